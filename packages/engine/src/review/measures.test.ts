import { describe, expect, it } from 'vitest';
import { analyzePerformance } from '../analysis/index.ts';
import type { HitEvent, NoteEvent } from '../events/index.ts';
import { createRng } from '../random/index.ts';
import { simulatePlayer } from '../simulate/index.ts';
import type { LogEntry, VoicePoint } from './log.ts';
import { reviewMeasures, reviewTracks, synchronyCurves } from './measures.ts';
import { buildTimeline } from './timeline.ts';
import { voiceNotes } from './voice.ts';

let seq = 0;
const logOf = (participant: string, events: ReadonlyArray<NoteEvent | HitEvent>): LogEntry[] =>
  events.map((event) => ({ seq: ++seq, participant, t: event.t, type: 'play', payload: { event } }));
const companionLog = (events: readonly NoteEvent[], voice: string): LogEntry[] =>
  events.map((e) => ({
    seq: ++seq,
    participant: 'companion',
    t: e.t,
    type: 'companion',
    payload: { pitch: e.pitch, velocity: e.velocity, duration: e.duration, voice },
  }));
const frame = (t: number, pitch: number | null, onset = false, loudness = 0.5): VoicePoint => ({
  t,
  pitch,
  loudness,
  onset,
  seq: null,
});

describe('reviewMeasures', () => {
  it('gives the analysis of `attune analyze` on the same playing, with curves per participant', () => {
    const client = simulatePlayer({ bpm: 96, bars: 16, style: 'hits' }, createRng(1)).events;
    const therapist = simulatePlayer({ bpm: 96, bars: 16, register: 55 }, createRng(2)).events as NoteEvent[];
    const bass = simulatePlayer({ bpm: 96, bars: 16, register: 40, rhythm: 'halves' }, createRng(3))
      .events as NoteEvent[];
    const entries = [...logOf('p1', client), ...logOf('therapist', therapist), ...companionLog(bass, 'bass')];
    const m = reviewMeasures(buildTimeline(entries));
    const direct = analyzePerformance([
      { name: 'therapist', events: therapist },
      { name: 'p1', events: client },
      { name: 'companion', events: bass },
    ]);
    expect(m.analysis).toEqual(direct);
    expect(m.curves.map((c) => c.participant)).toEqual(['therapist', 'p1', 'companion']);
    expect(m.curves[1]?.tempo).toBe(m.analysis.tracks[1]?.tempo.curve);
    expect(m.curves[1]?.density.length).toBeGreaterThan(30);
    expect(m.synchrony.map((s) => [s.a, s.b])).toEqual([
      ['therapist', 'p1'],
      ['therapist', 'companion'],
      ['p1', 'companion'],
    ]);
    expect(
      reviewMeasures(buildTimeline(entries), { companion: false }).analysis.tracks.map((t) => t.name),
    ).toEqual(['therapist', 'p1']);
  });
});

describe('synchronyCurves', () => {
  it('follows a partner who plays 20 ms late, then 60 ms late, window by window', () => {
    const a: NoteEvent[] = [];
    const b: NoteEvent[] = [];
    for (let i = 0; i < 120; i++) {
      const t = 1 + i * 0.5;
      a.push({ type: 'note', t, pitch: 60, velocity: 80, duration: 0.3 });
      b.push({ type: 'note', t: t + (t < 31 ? 0.02 : 0.06), pitch: 48, velocity: 80, duration: 0.3 });
    }
    const [curve] = synchronyCurves(
      [
        { name: 'a', events: a },
        { name: 'b', events: b },
      ],
      { window: 10 },
    );
    expect(curve?.windows.map((w) => [w.from, w.to])).toEqual([
      [1, 11],
      [11, 21],
      [21, 31],
      [31, 41],
      [41, 51],
      [51, 61],
    ]);
    for (const w of curve?.windows ?? []) {
      const late = w.from < 31 ? 20 : 60;
      expect(w.pairs).toBe(20);
      expect(w.meanSigned).toBeCloseTo(-late, 6);
      expect(w.meanAbsolute).toBeCloseTo(late, 6);
      expect(w.coincidence).toBe(1);
    }
  });

  it('leaves a gap where the pair did not play together, and keeps chords as one onset', () => {
    const a: NoteEvent[] = [];
    const b: NoteEvent[] = [];
    for (let i = 0; i < 40; i++) {
      const t = i * 0.5;
      // a plays a three-note chord throughout; b only in the first 10 s.
      for (const [k, pitch] of [60, 64, 67].entries())
        a.push({ type: 'note', t: t + k * 0.01, pitch, velocity: 70, duration: 0.4 });
      if (t < 10) b.push({ type: 'note', t: t + 0.03, pitch: 40, velocity: 70, duration: 0.4 });
    }
    const [curve] = synchronyCurves(
      [
        { name: 'a', events: a },
        { name: 'b', events: b },
      ],
      { window: 10 },
    );
    expect(curve?.windows[0]?.pairs).toBe(20);
    expect(curve?.windows[0]?.meanSigned).toBeCloseTo(-30, 6);
    expect(curve?.windows[1]).toEqual({
      from: 10,
      to: 20,
      pairs: 0,
      meanSigned: null,
      meanAbsolute: null,
      coincidence: null,
    });
  });

  it('has empty curves for tracks without onsets, and refuses a window that is not positive', () => {
    expect(
      synchronyCurves([
        { name: 'a', events: [] },
        { name: 'b', events: [] },
      ]),
    ).toEqual([{ a: 'a', b: 'b', windows: [] }]);
    expect(() => synchronyCurves([], { window: 0 })).toThrow(
      'window must be a positive finite number, got: 0',
    );
  });
});

describe('voiceNotes', () => {
  it('makes a sung note from each onset frame, lasting until the voice falls unvoiced or starts again', () => {
    const { notes, unpitched } = voiceNotes([
      frame(1, 60, true, 0.5),
      frame(1.02, 60.2),
      frame(1.5, null), // the voice stops
      frame(2, null, true), // an onset without pitch at first…
      frame(2.05, 64.5), // …finds one within 0.2 s
      frame(2.4, 64.4, true), // the next onset ends the previous note
      frame(3, null, true, 0.3), // a spoken onset: no pitch anywhere near
      frame(3.5, null),
    ]);
    expect(notes).toEqual([
      { type: 'note', t: 1, pitch: 60, velocity: 64, duration: 0.5 },
      { type: 'note', t: 2, pitch: 64.5, velocity: 64, duration: 0.3999999999999999 },
      { type: 'note', t: 2.4, pitch: 64.4, velocity: 64, duration: 0.6000000000000001 },
    ]);
    expect(unpitched).toBe(1);
  });

  it('counts unpitched voice onsets per participant in the review measures', () => {
    seq = 0;
    const entries: LogEntry[] = [frame(1, null, true), frame(2, 62, true), frame(2.3, null)].map((f) => ({
      seq: ++seq,
      participant: 'p2',
      t: f.t,
      type: 'play',
      payload: { event: { type: 'voice', t: f.t, pitch: f.pitch, loudness: f.loudness, onset: f.onset } },
    }));
    const tl = buildTimeline(entries);
    expect(reviewTracks(tl)[0]?.events).toEqual([
      { type: 'note', t: 2, pitch: 62, velocity: 64, duration: 0.2999999999999998 },
    ]);
    expect(reviewMeasures(tl).unpitchedVoiceOnsets).toEqual({ p2: 1 });
  });
});
