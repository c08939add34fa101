/**
 * Frame on simulated clients with known phrases: the introduction before the client comes in, a
 * cadence marking each phrase the client ends, and the beat kept when frame and synchronise play
 * together. Run through the live loop (a plan every 25 ms, 100 ms ahead).
 */
import { describe, expect, it } from 'vitest';
import { scaleOf } from '../idiom/index.ts';
import { createRng } from '../random/index.ts';
import { simulatePlayer } from '../simulate/index.ts';
import { Framer, INTRO_BARS, isStrongBeat } from './framing.ts';
import { median, type PlannedNote, scaleShare, syncScore } from './index.ts';
import { accompany, LIVE_LOOP } from './offline.ts';

/** The pitched notes struck at a time. */
const struckAt = (notes: readonly PlannedNote[], t: number) =>
  notes.filter((n) => Math.abs(n.start - t) < 0.002 && n.voice !== 'percussion');

/** Whether a chord rooted on one of `roots` is struck at `t` and held at least a beat of `period`. */
function heldChordOn(
  notes: readonly PlannedNote[],
  t: number,
  period: number,
  roots: readonly number[],
): boolean {
  const chord = struckAt(notes, t);
  if (chord.length === 0) return false;
  const bass = Math.min(...chord.map((n) => n.pitch));
  return roots.includes(bass % 12) && Math.max(...chord.map((n) => n.duration)) >= 0.9 * period;
}

/**
 * For each simulated client, how long after each of their phrase ends (in beats) the companion
 * struck a held tonic or dominant chord on a strong beat, or null when it did not within a bar.
 * A chord struck within 50 ms before the end counts as landing with it (the beat's own spread).
 */
function marks(techniques: ('frame' | 'synchronise')[]): (number | null)[][] {
  const all: (number | null)[][] = [];
  for (const [rhythm, breath, seed] of [
    ['quarters', 3, 1],
    ['eighths', 2, 2],
    ['quarters', 4, 3],
    ['eighths', 3, 4],
    ['eighths', 1, 6],
  ] as const) {
    const bpm = 84 + seed * 6;
    const period = 60 / bpm;
    const perf = simulatePlayer(
      { style: 'melody', bpm, bars: 16, rhythm, phrase: { bars: 2, breath } },
      createRng(seed),
    );
    const result = accompany(perf.events, { techniques, key: 'C', idiom: 'major' }, seed);
    // Every phrase end after the companion came in, but the performance's last.
    const ends = perf.phrases
      .slice(0, -1)
      .map((p) => p.end)
      .filter((e) => e > 3);
    all.push(
      ends.map((end) => {
        const t = result.beats.find(
          (t, i) =>
            isStrongBeat(i, 4) &&
            t > end - 0.05 &&
            t <= end + 4 * period + 0.03 &&
            heldChordOn(result.notes, t, period, [0, 7]),
        );
        return t === undefined ? null : (t - end) / period;
      }),
    );
  }
  return all;
}

const share = (delays: readonly (number | null)[]) => delays.filter((d) => d !== null).length / delays.length;

describe('isStrongBeat', () => {
  it('is the downbeat, and the middle of an even bar of four or more', () => {
    expect([0, 1, 2, 3, 4, 6].map((i) => isStrongBeat(i, 4))).toEqual([true, false, true, false, true, true]);
    expect([0, 1, 2, 3].map((i) => isStrongBeat(i, 3))).toEqual([true, false, false, true]);
    expect([0, 3, 6].map((i) => isStrongBeat(i, 6))).toEqual([true, true, true]);
    expect(isStrongBeat(1, 2)).toBe(false);
  });
});

describe('Framer', () => {
  const ended = (...spans: [number, number][]) => ({
    ended: spans.map(([start, end]) => ({ start, end, onsets: 8 })),
    current: null,
  });
  const clock = (index: number, time: number, period = 0.5) => ({
    index,
    time,
    period,
    anchor: { index: 0, time: 0 },
    together: 0,
    leading: false,
    found: true,
    own: 0,
    strokes: [],
  });

  it("introduces with two bars arriving on the last bar's third beat, then answers no phrase until it ends", () => {
    const f = new Framer();
    f.introduce(4);
    expect(f.beat(clock(0, 1), 4, ended())).toEqual({ kind: 'introduction', from: 0, arrival: 6, until: 8 });
    expect(f.beat(clock(7, 4.5), 4, ended([1, 4.2]))).toMatchObject({ kind: 'introduction' });
    expect(f.beat(clock(8, 5), 4, ended())).toBeNull();
  });

  it('marks a phrase end with the tonic on the next strong beat a beat away, once', () => {
    const f = new Framer();
    // The phrase ended at 10.9 s; beat 13 falls at 11.5 s: the open chord on it, the tonic on beat 14.
    const g = f.beat(clock(13, 11.5), 4, ended([8, 10.9]));
    expect(g).toEqual({ kind: 'phrase-end', from: 13, arrival: 14, until: 16 });
    expect(f.beat(clock(15, 12.5), 4, ended([8, 10.9]))).toBe(g);
    expect(f.beat(clock(16, 13), 4, ended([8, 10.9]))).toBeNull();
  });

  it('arrives at once on a strong beat when no later one is within a bar of the phrase end', () => {
    const f = new Framer();
    // The phrase ended at 9.1 s, a bar is 2 s: beat 16 at 11 s is strong, beat 18 at 12 s too late.
    expect(f.beat(clock(16, 11), 4, ended([6, 9.1]))).toEqual({
      kind: 'phrase-end',
      from: 16,
      arrival: 16,
      until: 20,
    });
  });

  it('marks on time the end of a phrase as long as the last two, as it ends, and not again after', () => {
    const f = new Framer();
    const playing = (now: number) => ({
      ended: [
        { start: 0, end: 3.4, onsets: 7 },
        { start: 4, end: 7.4, onsets: 7 },
      ],
      current: { start: 8, end: now, onsets: 3 },
    });
    // Expected to end at 11.4 s: the tonic on beat 24 (12 s), the first strong beat from 11.275 s.
    expect(f.beat(clock(21, 10.5), 4, playing(10.5))).toBeNull();
    expect(f.beat(clock(22, 11), 4, playing(11))).toBeNull();
    expect(f.beat(clock(23, 11.5), 4, playing(11.4))).toEqual({
      kind: 'phrase-end',
      from: 23,
      arrival: 24,
      until: 28,
    });
    const over = { ended: [...playing(0).ended, { start: 8, end: 11.4, onsets: 7 }], current: null };
    expect(f.beat(clock(28, 14), 4, over)).toBeNull();
  });

  it('does not anticipate a client whose phrases differ in length', () => {
    const f = new Framer();
    const uneven = {
      ended: [
        { start: 0, end: 2.4, onsets: 5 },
        { start: 4, end: 7.4, onsets: 7 },
      ],
      current: { start: 8, end: 10, onsets: 3 },
    };
    expect(f.beat(clock(20, 10), 4, uneven)).toBeNull();
  });

  it('leaves a phrase that ended more than a bar ago, and one that ended while frame was paused', () => {
    const f = new Framer();
    expect(f.beat(clock(20, 12), 4, ended([6, 9.5]))).toBeNull();
    expect(f.pause(12.2)).toBeNull();
    expect(f.beat(clock(21, 12.5), 4, ended([10, 11.8]))).toBeNull();
  });
});

describe('frame', () => {
  it("marks each of the client's phrase ends within a bar, with a held tonic or dominant on a strong beat", () => {
    for (const techniques of [['frame'], ['synchronise', 'frame']] as const) {
      for (const delays of marks([...techniques])) expect(share(delays)).toBeGreaterThanOrEqual(0.85);
    }
    // Without frame the companion's own texture rarely does so: the test can tell the difference.
    for (const delays of marks(['synchronise'])) expect(share(delays)).toBeLessThanOrEqual(0.3);
  });

  it('marks a client who phrases regularly on time: after two phrases, the tonic lands as each one ends', () => {
    for (const delays of marks(['synchronise', 'frame'])) {
      const later = delays.slice(2).filter((d): d is number => d !== null);
      expect(later.length).toBeGreaterThanOrEqual(4);
      expect(median(later)).toBeLessThanOrEqual(0.5);
    }
  });

  it('plays an introduction of the set length before the client comes in, ending open on the dominant', () => {
    for (const [bpm, seed] of [
      [90, 1],
      [72, 2],
    ] as const) {
      const period = 60 / bpm;
      const bar = 4 * period;
      const start = 0.5;
      // The client comes in after the introduction, at the companion's tempo.
      const perf = simulatePlayer(
        { style: 'piano', bpm, bars: 8, start: start + INTRO_BARS * bar, key: { tonic: 'F', mode: 'major' } },
        createRng(seed),
      );
      const result = accompany(
        perf.events,
        { techniques: ['synchronise', 'frame'], key: 'F', idiom: 'major', startTempo: bpm },
        seed,
        { ...LIVE_LOOP, steering: [{ control: { type: 'start' }, at: start }] },
      );
      const entry = perf.events[0]?.t as number;
      const before = result.notes.filter((n) => n.start < entry - 0.05);
      // It comes in at once (within the lookahead), before the client has played anything.
      expect(Math.min(...before.map((n) => n.start))).toBeLessThan(start + LIVE_LOOP.lookahead);
      expect(result.beats.filter((t) => t < entry - 0.05).length).toBeGreaterThanOrEqual(INTRO_BARS * 4);
      // It begins on the tonic (F) and arrives on the dominant (C) on the last bar's third beat, held.
      expect(heldChordOn(result.notes, result.beats[0] as number, period, [5])).toBe(false);
      expect(struckAt(result.notes, result.beats[0] as number).some((n) => n.pitch % 12 === 5)).toBe(true);
      expect(Math.min(...struckAt(result.notes, result.beats[0] as number).map((n) => n.pitch)) % 12).toBe(5);
      expect(heldChordOn(result.notes, result.beats[6] as number, period, [0])).toBe(true);
      expect(result.beats[6] as number).toBeLessThan(entry);
    }
  });

  it('with synchronise, keeps playing on the client beats through their phrases and breaths', () => {
    for (const [style, seed] of [
      ['piano', 1],
      ['melody', 2],
      ['hits', 3],
    ] as const) {
      const perf = simulatePlayer(
        {
          style,
          bpm: 84 + seed * 8,
          bars: 16,
          phrase: { bars: 2, breath: 2 },
          key: { tonic: 'C', mode: 'major' },
        },
        createRng(seed),
      );
      const { notes } = accompany(
        perf.events,
        { techniques: ['synchronise', 'frame'], key: 'C', idiom: 'major' },
        seed,
      );
      const score = syncScore(perf.beats, notes);
      expect(score.onBeats).toBeGreaterThanOrEqual(0.9);
      expect(score.meanError).toBeLessThanOrEqual(0.03);
    }
  });

  it('decides nothing from a note heard less than 50 ms earlier: cutting the input at T changes no note before T + 50 ms', () => {
    const perf = simulatePlayer(
      { style: 'melody', bpm: 90, bars: 12, rhythm: 'eighths', phrase: { bars: 2, breath: 3 } },
      createRng(5),
    );
    const settings = { techniques: ['synchronise', 'frame'] as const, key: 'C', idiom: 'major' };
    const full = accompany(perf.events, { ...settings, techniques: [...settings.techniques] }, 5, {
      ...LIVE_LOOP,
      until: 30,
    });
    for (const cut of [7.3, 12.1, 17.9]) {
      const clipped = perf.events.filter((e) => e.t < cut);
      const part = accompany(clipped, { ...settings, techniques: [...settings.techniques] }, 5, {
        ...LIVE_LOOP,
        until: 30,
      });
      const before = (notes: readonly PlannedNote[]) => notes.filter((n) => n.start < cut + 0.05);
      expect(before(part.notes)).toEqual(before(full.notes));
    }
  });

  it('keeps the introduction and the marks in every idiom, the marks arriving on its tonic', () => {
    const bpm = 90;
    const period = 60 / bpm;
    const perf = simulatePlayer(
      { style: 'melody', bpm, bars: 12, phrase: { bars: 2, breath: 2 }, start: 0.5 + 8 * period },
      createRng(7),
    );
    for (const idiom of [
      'major',
      'minor',
      'dorian',
      'pentatonic',
      'phrygian',
      'whole-tone',
      'organum',
      'blues',
    ]) {
      const result = accompany(perf.events, { techniques: ['synchronise', 'frame'], key: 'D', idiom }, 7, {
        ...LIVE_LOOP,
        steering: [{ control: { type: 'start' }, at: 0.5 }],
      });
      expect(scaleShare(result.notes, scaleOf(idiom, 2))).toBeGreaterThanOrEqual(0.98);
      // Each phrase end of the client is marked by the idiom's tonic (D), struck and held on a strong beat.
      const ends = perf.phrases.slice(0, -1).map((p) => p.end);
      const onTonic = ends.filter((end) =>
        result.beats.some(
          (t, i) =>
            isStrongBeat(i, 4) &&
            t > end - 0.05 &&
            t <= end + 4 * period + 0.03 &&
            heldChordOn(result.notes, t, period, [2]),
        ),
      );
      expect(onTonic.length).toBeGreaterThanOrEqual(ends.length - 1);
    }
  });
});
