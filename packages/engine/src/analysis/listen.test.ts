import { describe, expect, it } from 'vitest';
import { type HitEvent, type Onset, toOnset } from '../events/index.ts';
import { KeyTracker } from '../key/index.ts';
import type { PulseEstimate } from '../pulse/index.ts';
import { createRng } from '../random/index.ts';
import { RelationTracker } from '../relation/index.ts';
import { simulatePlayer } from '../simulate/index.ts';
import { analyzePerformance, finishAnalysis, prepareAnalysis } from './index.ts';
import { keyAt, LISTENING, listenTrack, newListening, PulseReplay } from './listen.ts';

const hits = (from: number, to: number, step: number): HitEvent[] => {
  const out: HitEvent[] = [];
  for (let t = from; t < to - 1e-9; t += step) out.push({ type: 'hit', t, instrument: 38, velocity: 80 });
  return out;
};

/** A pianist who rests, a drummer on the grid's own times (ties with the grid), and a late hand drum. */
function trio() {
  const piano = simulatePlayer(
    {
      bpm: 96,
      bars: 20,
      style: 'piano',
      key: { tonic: 'A', mode: 'minor' },
      pauses: [
        { at: 16, beats: 6 },
        { at: 48, beats: 8 },
      ],
    },
    createRng(3),
  ).events;
  const drums = [...hits(0, 20, 0.25), ...hits(28, 44, 0.3125)];
  const hand = simulatePlayer({ bpm: 120, bars: 12, style: 'hits', start: 9 }, createRng(4)).events;
  return [
    { name: 'piano', events: piano },
    { name: 'drums', events: drums },
    { name: 'hand drum', events: hand },
  ];
}

/** What the pass's own trackers answer, fed as the pass feeds them: the relation tracker's pulses, and key trackers inline. */
function liveAnswers(onsets: Onset[][], end: number) {
  const names = onsets.map((_, k) => `p${k}`);
  const pulses: Array<Array<PulseEstimate | null>> = onsets.map(() => []);
  const keyTrackers = onsets.map((list) => (list.some((x) => !x.percussive) ? new KeyTracker() : null));
  const keys: Array<Map<number, string | null>> = onsets.map(() => new Map());
  let nextCurve = Math.min(...onsets.map((list) => list[0]?.t ?? Number.POSITIVE_INFINITY));
  let index = 0;
  const relation = new RelationTracker(names, { memory: Number.POSITIVE_INFINITY }, (t, samples) => {
    const onCurve = t >= nextCurve - 1e-9;
    if (onCurve) nextCurve += 1;
    samples.forEach((sample, k) => {
      pulses[k]?.push(sample.pulse);
      const key = onCurve ? keyTrackers[k]?.estimate(t) : undefined;
      if (key !== undefined) keys[k]?.set(index, key === null ? null : `${key.tonic} ${key.mode}`);
    });
    index += 1;
  });
  const merged = onsets.flatMap((list, k) => list.map((x, i) => ({ x, k, i })));
  merged.sort((a, b) => a.x.t - b.x.t || a.k - b.k || a.i - b.i);
  for (const { x, k } of merged) {
    relation.hear(names[k] as string, x);
    if (!x.percussive) keyTrackers[k]?.hear(x);
  }
  relation.snapshot(end);
  return { pulses, keys, beats: names.map((name) => relation.beatsOf(name)) };
}

describe('listening to each track alone', () => {
  it('gives, track by track, the answers the trackers give in the pass through every track together', () => {
    const prepared = prepareAnalysis(trio());
    const live = liveAnswers(prepared.onsets, prepared.end ?? 0);
    prepared.onsets.forEach((onsets, k) => {
      const l = listenTrack(onsets, prepared.plan);
      const pulses = live.pulses[k] ?? [];
      expect(pulses.length).toBe(prepared.plan.points);
      expect(pulses.filter((p) => p !== null).length).toBeGreaterThan(pulses.length / 3);
      const replay = new PulseReplay(l, prepared.plan);
      pulses.forEach((p, i) => {
        expect(replay.estimate(prepared.plan.origin + i * prepared.plan.step)).toEqual(p);
      });
      expect(Array.from(l.beats)).toEqual(live.beats[k]);
      const keys = live.keys[k] ?? new Map();
      for (const [i, label] of keys) expect(keyAt(l, i)?.label ?? null).toBe(label);
      if (k === 0) expect([...keys.values()].filter((x) => x === 'A minor').length).toBeGreaterThan(20);
    });
  });

  it('replays the pulse only in step with the grid it was listened on', () => {
    const prepared = prepareAnalysis(trio());
    const replay = new PulseReplay(listenTrack(prepared.onsets[1] ?? [], prepared.plan), prepared.plan);
    expect(() => replay.estimate(prepared.plan.origin + 0.1)).toThrow(/out of step/);
  });

  it('makes the same analysis whatever order the tracks are listened to in', () => {
    const tracks = trio();
    const prepared = prepareAnalysis(tracks);
    const listenings = [2, 0, 1].map((k) => ({ k, l: listenTrack(prepared.onsets[k] ?? [], prepared.plan) }));
    const inOrder = listenings.sort((a, b) => a.k - b.k).map(({ l }) => l);
    expect(finishAnalysis(prepared, inOrder)).toEqual(analyzePerformance(tracks));
  });

  it('refuses a listening too few for the tracks, and a relation tracker a pulse too few for its players', () => {
    const prepared = prepareAnalysis(trio());
    const one = listenTrack(prepared.onsets[0] ?? [], prepared.plan);
    expect(() => finishAnalysis(prepared, [one])).toThrow(/one listening per track, got: 1 for 3/);
    expect(
      () => new RelationTracker(['a', 'b'], {}, undefined, [new PulseReplay(one, prepared.plan)]),
    ).toThrow(/one pulse follower per player, got: 1 for 2/);
  });

  it('listens again here to a track whose listening another thread gave up on', () => {
    const tracks = trio();
    const prepared = prepareAnalysis(tracks);
    const listenings = prepared.onsets.map((onsets) => listenTrack(onsets, prepared.plan));
    // A shared listening too small for the drummer's beats: the listener fails and says so.
    const cramped = newListening(prepared.plan, prepared.onsets[1]?.length ?? 0, true);
    cramped.beats = new Float64Array(new SharedArrayBuffer(48 * 8));
    expect(() => listenTrack(prepared.onsets[1] ?? [], prepared.plan, cramped)).toThrow(/more beats than/);
    expect(cramped.progress[LISTENING.STATE]).toBe(LISTENING.FAILED);
    expect(cramped.progress[LISTENING.GRID]).toBeGreaterThan(0);
    listenings[1] = cramped;
    expect(finishAnalysis(prepared, listenings)).toEqual(analyzePerformance(tracks));
  });

  it('analyses in a page without shared memory (not cross-origin isolated), as the review screen may', () => {
    const tracks = trio();
    const expected = analyzePerformance(tracks);
    const global = globalThis as { SharedArrayBuffer?: SharedArrayBufferConstructor };
    const shared = global.SharedArrayBuffer;
    delete global.SharedArrayBuffer;
    try {
      expect(analyzePerformance(tracks)).toEqual(expected);
    } finally {
      global.SharedArrayBuffer = shared;
    }
  });

  it('listens to nothing when no track has an onset', () => {
    const prepared = prepareAnalysis([{ name: 'a', events: [] }]);
    expect(prepared.plan.points).toBe(0);
    const l = listenTrack([], prepared.plan);
    expect(l.bpm.length).toBe(0);
    expect(finishAnalysis(prepared, [l]).tracks[0]?.kind).toBe('empty');
  });

  it('orders each track and drops what is not an onset, as the pass did', () => {
    const prepared = prepareAnalysis([
      {
        name: 'a',
        events: [...hits(2, 3, 0.5), ...hits(0, 1, 0.5), { type: 'hit', t: 4, instrument: 38, velocity: 0 }],
      },
    ]);
    expect(prepared.onsets[0]?.map((x) => x.t)).toEqual([0, 0.5, 2, 2.5]);
    expect(prepared.onsets[0]?.[0]).toEqual(toOnset(hits(0, 1, 0.5)[0] as HitEvent));
  });
});
