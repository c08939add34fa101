/**
 * A session's recording as a Standard MIDI File: one track per participant (the notes they played,
 * their hits on General MIDI's percussion channel, their singing as notes) and one per companion
 * voice, read from the session log with the review's reader, so what the export holds is what the
 * review shows. The tracks are made from the log as read (`ReadLog`): from the entries (a client's
 * export) or from a session summary's lanes (`expandLog`, the studio's MIDI export), the same bytes. Each track gets a channel of its own (skipping the percussion channel) so a
 * player keeps the voices apart.
 */
import {
  type LogEntry,
  type NoteEvent,
  PERCUSSION_CHANNEL,
  performanceToMidi,
  type ReadLog,
  readLog,
  type TrackNotes,
  voiceNotes,
  writeMidi,
} from '@attune/engine';

/** How long a hit sounds in the file (a hit has no length in the log). */
const HIT_LENGTH = 0.1;

/** Which lanes go into the file and what each track is called. */
export interface SessionMidiOptions {
  /** Whether a participant's lane is written (default every lane); companion voices always are. */
  readonly keep?: (participant: string) => boolean;
  /** A track name for a participant (default the participant id: therapist, p1, …). */
  readonly names?: ReadonlyMap<string, string>;
}

/** Participant order: the therapist, then p1, p2, … in number order, then any other id. */
function participantOrder(a: string, b: string): number {
  const rank = (p: string) => (p === 'therapist' ? 0 : /^p\d+$/.test(p) ? 1 : 2);
  const number = (p: string) => (/^p\d+$/.test(p) ? Number(p.slice(1)) : 0);
  return rank(a) - rank(b) || number(a) - number(b) || a.localeCompare(b);
}

/** The tracks of a session log as read (empty when nothing was played). */
export function sessionTracks(log: ReadLog, options: SessionMidiOptions = {}): TrackNotes[] {
  const keep = options.keep ?? (() => true);
  const participants = [...new Set([...log.notes.keys(), ...log.hits.keys(), ...log.voice.keys()])]
    .filter(keep)
    .sort(participantOrder);
  let next = 0;
  const channel = () => {
    const c = next % 15;
    next++;
    return c >= PERCUSSION_CHANNEL ? c + 1 : c;
  };
  const tracks: TrackNotes[] = [];
  for (const p of participants) {
    const own = channel();
    const notes: NoteEvent[] = [
      ...(log.notes.get(p) ?? []).map(
        (n): NoteEvent => ({
          type: 'note',
          t: n.t,
          pitch: n.pitch,
          velocity: n.velocity,
          duration: n.duration,
          channel: own,
        }),
      ),
      ...voiceNotes(log.voice.get(p) ?? []).notes.map((n): NoteEvent => ({ ...n, channel: own })),
      ...(log.hits.get(p) ?? []).map(
        (h): NoteEvent => ({
          type: 'note',
          t: h.t,
          pitch: h.instrument,
          velocity: h.velocity,
          duration: HIT_LENGTH,
          channel: PERCUSSION_CHANNEL,
        }),
      ),
    ].sort((a, b) => a.t - b.t);
    if (notes.length > 0) tracks.push({ name: options.names?.get(p) ?? p, notes });
  }
  for (const voice of [...log.companion.keys()].sort()) {
    const own = channel();
    const notes = (log.companion.get(voice) ?? []).map(
      (n): NoteEvent => ({
        type: 'note',
        t: n.t,
        pitch: n.pitch,
        velocity: n.velocity,
        duration: n.duration,
        channel: own,
      }),
    );
    if (notes.length > 0) tracks.push({ name: `companion: ${voice}`, notes });
  }
  return tracks;
}

/** A session's MIDI file: its bytes and its tracks' names. */
export interface SessionMidiFile {
  readonly bytes: Uint8Array;
  readonly tracks: string[];
}

/** A session log's entries as a MIDI file, or null when nothing was played. */
export function sessionMidi(
  entries: readonly LogEntry[],
  options: SessionMidiOptions = {},
): SessionMidiFile | null {
  return logMidi(readLog(entries), options);
}

/** A session log as read (from its entries or a summary's lanes) as a MIDI file, or null when nothing was played. */
export function logMidi(log: ReadLog, options: SessionMidiOptions = {}): SessionMidiFile | null {
  const tracks = sessionTracks(log, options);
  if (tracks.length === 0) return null;
  return { bytes: writeMidi(performanceToMidi(tracks)), tracks: tracks.map((t) => t.name) };
}
