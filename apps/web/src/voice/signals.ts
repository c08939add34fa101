/**
 * Synthesised voices with known answers: tones at known pitches and onsets, a sung-like glide,
 * and seeded noise. The voice tests and the microphone's browser test (through a WAV file fed to
 * Chromium's fake microphone) measure the ear against these.
 */
import { createRng, type Midi, type Seconds } from '@attune/engine';
import { midiToFrequency } from './pitch.ts';

/** One synthesised note of a tone sequence. */
export interface ToneNote {
  /** When it starts (seconds from the start of the signal). */
  readonly start: Seconds;
  readonly duration: Seconds;
  readonly pitch: Midi;
  /** Peak amplitude of the fundamental, full scale = 1. */
  readonly amplitude: number;
  /** Attack and release ramps (seconds); a voice takes tens of milliseconds, a struck tone a few. */
  readonly attack?: Seconds;
  readonly release?: Seconds;
  /** Relative amplitudes of the 2nd, 3rd, … harmonics (a sung vowel has several). */
  readonly harmonics?: readonly number[];
  /** Pitch at the end, for a glide (the pitch moves evenly in semitones). */
  readonly toPitch?: Midi;
}

/** Amplitude of a level in dB relative to full scale. */
export function dbToAmplitude(db: number): number {
  return 10 ** (db / 20);
}

/** A signal of `seconds` holding the given notes (added together where they overlap). */
export function toneSequence(notes: readonly ToneNote[], sampleRate: number, seconds: Seconds): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (const note of notes) addNote(out, note, sampleRate);
  return out;
}

function addNote(out: Float32Array, note: ToneNote, sampleRate: number): void {
  const first = Math.round(note.start * sampleRate);
  const count = Math.round(note.duration * sampleRate);
  const attack = Math.max(1, Math.round((note.attack ?? 0.005) * sampleRate));
  const release = Math.max(1, Math.round((note.release ?? 0.01) * sampleRate));
  const partials = [1, ...(note.harmonics ?? [])];
  const end = note.toPitch ?? note.pitch;
  let phase = 0;
  for (let i = 0; i < count && first + i < out.length; i++) {
    const pitch = note.pitch + ((end - note.pitch) * i) / Math.max(1, count - 1);
    phase += (2 * Math.PI * midiToFrequency(pitch)) / sampleRate;
    const envelope = Math.min(1, (i + 1) / attack, (count - i) / release);
    let value = 0;
    for (let h = 0; h < partials.length; h++) value += (partials[h] as number) * Math.sin((h + 1) * phase);
    if (first + i >= 0) out[first + i] = (out[first + i] as number) + note.amplitude * envelope * value;
  }
}

/** Seeded white noise with a given RMS level, added to `signal` in place (or a new signal). */
export function addNoise(signal: Float32Array, rms: number, seed: number): Float32Array {
  const rng = createRng(seed);
  for (let i = 0; i < signal.length; i++) signal[i] = (signal[i] as number) + rng.normal(0, rms);
  return signal;
}
