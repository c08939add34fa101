/**
 * The voice as notes: a microphone's frames (pitch contour and loudness, with onsets marked)
 * become sung notes for the analysis and for replay through a voice-like instrument.
 */
import { type NoteEvent, type Onset, toOnset } from '../events/index.ts';
import type { Seconds } from '../time/index.ts';
import type { VoicePoint } from './log.ts';

/** The longest a sung note is taken to last when the voice never falls silent. */
const LONGEST_VOICE_NOTE: Seconds = 10;
/** How long after a voice onset a pitch is looked for when the onset frame has none. */
const PITCH_LOOKAHEAD: Seconds = 0.2;

/**
 * Sung notes from voice frames: each onset frame starts a note at its pitch (or the first voiced
 * pitch within 0.2 s), lasting until the voice falls unvoiced or the next onset; its velocity is
 * the onset's loudness as perception hears it.
 */
export function voiceNotes(frames: readonly VoicePoint[]): { notes: NoteEvent[]; unpitched: number } {
  const notes: NoteEvent[] = [];
  let unpitched = 0;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i] as VoicePoint;
    if (!f.onset) continue;
    let pitch = f.pitch;
    let end = f.t + LONGEST_VOICE_NOTE;
    for (let j = i + 1; j < frames.length; j++) {
      const g = frames[j] as VoicePoint;
      if (g.onset) {
        end = Math.min(end, g.t);
        break;
      }
      if (pitch === null && g.pitch !== null && g.t - f.t <= PITCH_LOOKAHEAD) pitch = g.pitch;
      if (g.pitch === null && pitch !== null) {
        end = Math.min(end, g.t);
        break;
      }
      if (g.t >= end) break;
    }
    const onset = toOnset({ type: 'voice', t: f.t, pitch, loudness: f.loudness, onset: true }) as Onset;
    if (pitch === null) unpitched += 1;
    else
      notes.push({ type: 'note', t: f.t, pitch, velocity: onset.velocity, duration: Math.max(0, end - f.t) });
  }
  return { notes, unpitched };
}
