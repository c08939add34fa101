/**
 * The voice planner: turns notes into voice commands ("play buffer B from offset O at time T
 * with rate R, this envelope, released at S"). Pure; the browser player and the offline mixer
 * both carry out the same commands, so a session and its WAV export sound alike.
 */
import type { Midi, Seconds, Velocity } from '@attune/engine';
import { type Envelope, envelopePoints } from '../envelope/index.ts';
import { type Instrument, pitchRatio, selectZones, velocityGain } from '../zones/index.ts';

/** A note to sound: its attack lands exactly on `t`. `duration` null while a key is still held. */
export interface PlannedNote {
  readonly t: Seconds;
  readonly key: Midi;
  readonly velocity: Velocity;
  readonly duration: Seconds | null;
  /** Notes of one group (a channel, a participant) silence each other's exclusive classes. */
  readonly group?: string;
}

/** What the planner needs to know of a loaded sample. */
export interface SampleInfo {
  /** Seconds from the buffer's start to its attack. */
  readonly onset: Seconds;
  /** Seconds the buffer lasts at its own rate. */
  readonly duration: Seconds;
}

/** One buffer to play: everything a Web Audio source node or the offline mixer needs. */
export interface VoiceCommand {
  readonly sample: string;
  /** When the buffer starts sounding. */
  readonly start: Seconds;
  /** Seconds into the buffer at `start`. */
  readonly offset: Seconds;
  /** Playback rate against the buffer's own rate (pitch shift). */
  readonly rate: number;
  readonly pan: number;
  readonly loop: { readonly start: Seconds; readonly end: Seconds } | null;
  readonly envelope: Envelope;
  /** The time the envelope's stages count from (before `start` when a voice joins late). */
  readonly envelopeStart: Seconds;
  readonly peak: number;
  /** The note-off, or null while the key is held. */
  readonly release: Seconds | null;
  /** When the voice falls silent: the envelope's end or the end of the buffer; Infinity while held. */
  readonly stop: Seconds;
  readonly exclusiveClass: number;
  readonly group: string;
}

/** Options of the planner. */
export interface PlanOptions {
  /** Nothing can start before this time (live: the audio clock's now); earlier voices join late. */
  readonly notBefore?: Seconds;
}

/** An envelope whose delay and attack last longer than this swells in: its attack is the envelope's, not the sample's. */
const SWELL: Seconds = 0.05;

/** Seconds an exclusive class takes to silence the voice it cuts (an open hi-hat closed). */
export const EXCLUSIVE_RELEASE: Seconds = 0.02;

/** The stop time of a voice from its envelope and its buffer's length. */
function stopOf(v: Omit<VoiceCommand, 'stop'>, info: SampleInfo): Seconds {
  const { end } = envelopePoints(v.envelope, v.envelopeStart, v.peak, v.release);
  if (v.loop) return end;
  const bufferEnd = v.start + Math.max(0, info.duration - v.offset) / v.rate;
  return Math.min(end, bufferEnd);
}

/**
 * The voices of one note on an instrument: one per zone that covers its key and velocity,
 * placed so each sample's attack falls on the note's time. Zones whose sample is not loaded
 * (no `info`) are left out.
 * @example planNote({ t: 1, key: 60, velocity: 90, duration: 0.5 }, piano, info)[0].rate // 1 (C4 is recorded)
 */
export function planNote(
  note: PlannedNote,
  instrument: Instrument,
  info: (sample: string) => SampleInfo | undefined,
  options: PlanOptions = {},
): VoiceCommand[] {
  if (!Number.isFinite(note.t)) throw new RangeError(`note time must be finite, got: ${note.t}`);
  const voices: VoiceCommand[] = [];
  for (const zone of selectZones(instrument, note.key, note.velocity)) {
    const sample = info(zone.sample);
    if (!sample) continue;
    const rate = pitchRatio(zone, note.key);
    const zoneStart = Math.max(zone.start, 0);
    // The sample's attack is placed on the note's time and its lead-in plays just before; a
    // zone that swells in through its envelope starts on the note's time instead.
    const swells = zone.envelope.delay + zone.envelope.attack > SWELL;
    const leadIn = swells ? 0 : Math.max(0, sample.onset - zoneStart) / rate;
    let start = note.t - leadIn;
    let offset = zoneStart;
    const envelopeStart = start;
    const notBefore = options.notBefore ?? Number.NEGATIVE_INFINITY;
    if (start < notBefore) {
      offset += (notBefore - start) * rate;
      start = notBefore;
    }
    const release = note.duration === null ? null : note.t + Math.max(0, note.duration);
    const voice = {
      sample: zone.sample,
      start,
      offset,
      rate,
      pan: zone.pan,
      loop: zone.loop,
      envelope: zone.envelope,
      envelopeStart,
      peak: velocityGain(zone, note.velocity),
      release,
      exclusiveClass: zone.exclusiveClass,
      group: note.group ?? '',
    };
    voices.push({ ...voice, stop: stopOf(voice, sample) });
  }
  return voices;
}

/**
 * Releases a held voice at `at` (a key let go live), returning the voice with its new stop.
 * A voice already released earlier is returned unchanged.
 */
export function releaseVoice(
  voice: VoiceCommand,
  at: Seconds,
  info: SampleInfo,
  release?: Seconds,
): VoiceCommand {
  if (voice.release !== null && voice.release <= at) return voice;
  const envelope = release === undefined ? voice.envelope : { ...voice.envelope, release };
  const next = { ...voice, envelope, release: Math.max(at, voice.start) };
  return { ...next, stop: stopOf(next, info) };
}

/**
 * The voices of many notes, each on its instrument, in start order; a voice of an exclusive
 * class is cut when a later voice of the same class starts in the same group.
 */
export function planNotes(
  notes: ReadonlyArray<PlannedNote & { readonly instrument: Instrument }>,
  info: (sample: string) => SampleInfo | undefined,
  options: PlanOptions = {},
): VoiceCommand[] {
  const sorted = [...notes].sort((a, b) => a.t - b.t);
  const voices: VoiceCommand[] = [];
  const lastOfClass = new Map<string, number[]>();
  for (const note of sorted) {
    for (const voice of planNote(note, note.instrument, info, options)) {
      if (voice.exclusiveClass !== 0) {
        const key = `${voice.group}\u0000${voice.exclusiveClass}`;
        const attack = note.t;
        for (const index of lastOfClass.get(key) ?? []) {
          const earlier = voices[index]!;
          const sampleInfo = info(earlier.sample)!;
          if (earlier.stop > attack)
            voices[index] = releaseVoice(earlier, attack, sampleInfo, EXCLUSIVE_RELEASE);
        }
        lastOfClass.set(key, [voices.length]);
      }
      voices.push(voice);
    }
  }
  return voices.sort((a, b) => a.start - b.start);
}

/** The sample ids the notes need, to load before planning. */
export function samplesNeeded(
  notes: ReadonlyArray<PlannedNote & { readonly instrument: Instrument }>,
): Set<string> {
  const ids = new Set<string>();
  for (const note of notes)
    for (const zone of selectZones(note.instrument, note.key, note.velocity)) ids.add(zone.sample);
  return ids;
}
