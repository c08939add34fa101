import type { Seconds } from '@attune/engine';
import { checkClientMessage } from '@attune/protocol';
import { describe, expect, it } from 'vitest';
import { VoiceAnalyser } from './analyser.ts';
import { toVoiceFrame, type VoiceEvent } from './segmenter.ts';
import { addNoise, dbToAmplitude, type ToneNote, toneSequence } from './signals.ts';

const RATE = 48_000;
/** A sung vowel's first harmonics. */
const VOWEL = [0.6, 0.35, 0.2];

function analyse(signal: Float32Array, chunk = 128, rate = RATE): VoiceEvent[] {
  const analyser = new VoiceAnalyser(rate);
  const events: VoiceEvent[] = [];
  for (let i = 0; i < signal.length; i += chunk) {
    events.push(...analyser.push(signal.subarray(i, i + chunk), i / rate));
  }
  events.push(...analyser.flush(signal.length / rate));
  return events;
}

const onsets = (events: readonly VoiceEvent[]) =>
  events.filter((e): e is Extract<VoiceEvent, { kind: 'onset' }> => e.kind === 'onset');
const ends = (events: readonly VoiceEvent[]) =>
  events.filter((e): e is Extract<VoiceEvent, { kind: 'end' }> => e.kind === 'end');
const cents = (a: number, b: number): number => Math.abs(a - b) * 100;

/** Tone bursts at known pitches and onsets, a little room noise between them. */
const BURSTS: ToneNote[] = [
  { start: 0.5, duration: 0.3, pitch: 57, amplitude: 0.2, harmonics: VOWEL },
  { start: 1.0, duration: 0.25, pitch: 64.3, amplitude: 0.1, harmonics: VOWEL },
  { start: 1.4, duration: 0.4, pitch: 48, amplitude: 0.3, harmonics: VOWEL },
  { start: 2.0, duration: 0.2, pitch: 72, amplitude: 0.05 },
  { start: 2.35, duration: 0.3, pitch: 60.5, amplitude: 0.15, harmonics: VOWEL },
];

describe('VoiceAnalyser', () => {
  it('finds tone bursts within 10 ms of their onsets and 20 cents of their pitches, and their ends', () => {
    const signal = addNoise(toneSequence(BURSTS, RATE, 3), dbToAmplitude(-65), 1);
    const events = analyse(signal);
    const found = onsets(events);
    expect(found).toHaveLength(BURSTS.length);
    found.forEach((onset, i) => {
      const note = BURSTS[i] as ToneNote;
      expect(Math.abs(onset.t - note.start)).toBeLessThan(0.01);
      expect(cents(onset.pitch as number, note.pitch)).toBeLessThan(20);
      expect(onset.loudness).toBeGreaterThan(0.4);
    });
    const finished = ends(events);
    expect(finished).toHaveLength(BURSTS.length);
    finished.forEach((end, i) => {
      const note = BURSTS[i] as ToneNote;
      expect(Math.abs(end.t - (note.start + note.duration))).toBeLessThan(0.04);
    });
    // Louder notes are louder: the third (0.3) against the fourth (0.05).
    expect(found[2]?.loudness).toBeGreaterThan((found[3]?.loudness as number) + 0.15);
  });

  it('says what it hears in voice frames the protocol carries unchanged', () => {
    const events = analyse(addNoise(toneSequence(BURSTS, RATE, 3), dbToAmplitude(-65), 1));
    expect(events.length).toBeGreaterThan(15);
    events.forEach((event, clientSeq) => {
      const frame = toVoiceFrame(event, (t) => t + 100);
      const checked = checkClientMessage({ type: 'play', clientSeq, event: frame });
      expect(checked, JSON.stringify(frame)).toMatchObject({ ok: true });
    });
  });

  it('hears the same events whatever the size of the buffers it is fed, at 44.1 kHz too', () => {
    const signal = addNoise(toneSequence(BURSTS, RATE, 3), dbToAmplitude(-65), 1);
    // Times agree to the nanosecond (hop times are sums of sample times, rounded differently).
    const rounded = (events: VoiceEvent[]) => events.map((e) => ({ ...e, t: Math.round(e.t * 1e9) }));
    expect(rounded(analyse(signal, 441))).toEqual(rounded(analyse(signal, 128)));
    const cd = addNoise(toneSequence(BURSTS, 44_100, 3), dbToAmplitude(-65), 1);
    const found = onsets(analyse(cd, 128, 44_100));
    expect(found.map((o) => Math.round(o.pitch as number))).toEqual([57, 64, 48, 72, 61]);
    found.forEach((onset, i) => {
      expect(Math.abs(onset.t - (BURSTS[i] as ToneNote).start)).toBeLessThan(0.01);
    });
  });

  it('hears a sung line with soft attacks and no gaps: a new note at each step of pitch', () => {
    const line: ToneNote[] = [60, 62, 64, 65, 67].map((pitch, i) => ({
      start: 0.5 + i * 0.35,
      duration: 0.36,
      pitch,
      amplitude: 0.15,
      harmonics: VOWEL,
      attack: i === 0 ? 0.04 : 0.02,
      release: 0.02,
    }));
    const signal = addNoise(toneSequence(line, RATE, 2.6), dbToAmplitude(-65), 2);
    const found = onsets(analyse(signal));
    expect(found.map((o) => Math.round(o.pitch as number))).toEqual([60, 62, 64, 65, 67]);
    found.forEach((onset, i) => {
      expect(Math.abs(onset.t - (line[i] as ToneNote).start)).toBeLessThan(0.04);
    });
  });

  it('hears a sung glide as one note whose contour follows it within 20 cents', () => {
    const glide: ToneNote = {
      start: 0.4,
      duration: 1.2,
      pitch: 57,
      toPitch: 64,
      amplitude: 0.15,
      harmonics: VOWEL,
      attack: 0.03,
    };
    const signal = addNoise(toneSequence([glide], RATE, 2), dbToAmplitude(-65), 3);
    const events = analyse(signal);
    expect(onsets(events)).toHaveLength(1);
    expect(ends(events)).toHaveLength(1);
    const truth = (t: Seconds): number => 57 + (7 * (t - glide.start)) / glide.duration;
    const contour = events.filter((e) => e.kind === 'contour' && e.pitch !== null) as {
      t: Seconds;
      pitch: number;
    }[];
    expect(contour.length).toBeGreaterThan(20);
    // A contour frame is sent when the estimate arrives: its pitch is that of the window's centre,
    // about 20 ms before (the window is 37 ms long).
    for (const frame of contour.filter(
      (f) => f.t > glide.start + 0.1 && f.t < glide.start + glide.duration - 0.05,
    )) {
      expect(cents(frame.pitch, truth(frame.t - 0.02))).toBeLessThan(20);
    }
  });

  it('counts a quiet tone over room noise, and nothing of the noise alone', () => {
    const note: ToneNote = { start: 1.5, duration: 0.5, pitch: 62, amplitude: dbToAmplitude(-47) };
    // The tone's level is −50 dB full scale, 10 dB above the room's −60 dB.
    const signal = addNoise(toneSequence([note], RATE, 3), dbToAmplitude(-60), 4);
    const events = analyse(signal);
    const found = onsets(events);
    expect(found).toHaveLength(1);
    expect(Math.abs((found[0] as { t: number }).t - note.start)).toBeLessThan(0.01);
    expect(cents(found[0]?.pitch as number, 62)).toBeLessThan(20);
    expect(events.every((e) => e.t > 1.4)).toBe(true);
  });

  it('counts a whisper (noise 12 dB above the room, with gaps) as unpitched onsets', () => {
    const rate = RATE;
    const signal = addNoise(new Float32Array(rate * 4), dbToAmplitude(-60), 5);
    const syllables = [1.5, 2.0, 2.6];
    syllables.forEach((start, i) => {
      const burst = addNoise(new Float32Array(Math.round(0.25 * rate)), dbToAmplitude(-48), 10 + i);
      for (let j = 0; j < burst.length; j++) {
        const envelope = Math.min(1, j / (0.01 * rate), (burst.length - j) / (0.02 * rate));
        const k = Math.round(start * rate) + j;
        signal[k] = (signal[k] as number) + envelope * (burst[j] as number);
      }
    });
    const found = onsets(analyse(signal));
    expect(found).toHaveLength(3);
    found.forEach((onset, i) => {
      expect(Math.abs(onset.t - (syllables[i] as number))).toBeLessThan(0.015);
      expect(onset.pitch).toBeNull();
    });
  });

  it('hears nothing in steady noise, loud or quiet, nor in silence', () => {
    for (const db of [-70, -50, -30]) {
      expect(analyse(addNoise(new Float32Array(RATE * 4), dbToAmplitude(db), 6))).toEqual([]);
    }
    expect(analyse(new Float32Array(RATE * 2))).toEqual([]);
  });

  it('hears nothing when a microphone starts with zeros and then the room', () => {
    const signal = addNoise(new Float32Array(RATE * 3), dbToAmplitude(-62), 12);
    signal.fill(0, 0, RATE * 0.3);
    expect(analyse(signal)).toEqual([]);
  });

  it('takes a noise that starts (a fan switched on) as the room within two seconds', () => {
    const signal = addNoise(new Float32Array(RATE * 6), dbToAmplitude(-65), 7);
    const fan = addNoise(new Float32Array(RATE * 4), dbToAmplitude(-45), 8);
    signal.set(
      fan.map((x, i) => x + (signal[RATE * 2 + i] as number)),
      RATE * 2,
    );
    const events = analyse(signal);
    // The fan's start may sound like an onset, but it is the room well before the memory is out.
    expect(onsets(events).length).toBeLessThanOrEqual(1);
    const end = ends(events)[0];
    if (end) expect(end.t).toBeLessThan(4.3);
  });

  it('holds a long sung note to its end: pitched sound does not become the floor', () => {
    const note: ToneNote = { start: 0.5, duration: 5, pitch: 55, amplitude: 0.1, harmonics: VOWEL };
    const events = analyse(addNoise(toneSequence([note], RATE, 6), dbToAmplitude(-60), 9));
    expect(onsets(events)).toHaveLength(1);
    expect(ends(events)).toHaveLength(1);
    expect(Math.abs((ends(events)[0] as { t: number }).t - 5.5)).toBeLessThan(0.04);
  });

  it('treats samples that are not numbers as silence', () => {
    const signal = addNoise(toneSequence(BURSTS.slice(0, 1), RATE, 1), dbToAmplitude(-65), 13);
    signal.fill(Number.NaN, 100, 200);
    signal.fill(Number.POSITIVE_INFINITY, 30_000, 30_010);
    expect(onsets(analyse(signal))).toHaveLength(1);
  });
});
