import { describe, expect, it } from 'vitest';
import type { Onset } from '../events/index.ts';
import { createRng } from '../random/index.ts';
import { ClusterHistory, closeness } from './history.ts';
import { type FollowParams, Hypothesis, SILENCE, windowOf } from './hypothesis.ts';
import { addPositionEvidence, CYCLE, POSITIONS } from './salience.ts';
import { beatTimes, onBeats, rockGroove } from './test-support/index.ts';

/**
 * Induction as it was first written: a binary search for every beat, the remainder operator,
 * and a fade worked out for every stroke of every candidate. The tracker's faster induction must
 * give the same hypothesis to the last bit.
 */
function plainInduce(
  period: number,
  anchor: number,
  anchorSalience: number,
  history: ClusterHistory,
  maxBeats: number,
  p: FollowParams,
  positionMemory: number,
): Hypothesis {
  const firstAtOrAfter = (t: number): number => {
    let lo = 0;
    let hi = history.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (history.time(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const evidenceAt = (offset: number, phase: number): number => {
    const x = (((phase % CYCLE) + CYCLE) % CYCLE) * 12;
    const lo = Math.floor(x);
    const frac = x - lo;
    const a = history.evidence[offset + (lo % POSITIONS)] as number;
    const b = history.evidence[offset + ((lo + 1) % POSITIONS)] as number;
    return a + frac * (b - a);
  };
  let beat = anchor;
  let q = period;
  let strength = 0;
  let weight = 0;
  let judged = 0;
  let age = 1;
  const oldest = history.size > 0 ? history.time(0) : anchor;
  for (let k = 1; k <= maxBeats; k++) {
    beat -= q;
    if (beat < oldest) break;
    const w = windowOf(q, p);
    const from = firstAtOrAfter(beat - Math.max(1.5 * q, SILENCE));
    if (!(from < history.size && history.time(from) <= beat + w)) continue;
    let value = 0;
    let error = 0;
    let near = 0;
    let salience = 0;
    for (let i = firstAtOrAfter(beat - w); i < history.size; i++) {
      const t = history.time(i);
      if (t > beat + w) break;
      const c = closeness(t - beat, w);
      const s = history.salience(i);
      if (c * s > value) {
        value = c * s;
        error = t - beat;
        near = c;
        salience = s;
      }
    }
    strength += age * value;
    weight += age;
    age *= 1 - p.beatWeight;
    judged++;
    if (value > 0) {
      const e = error * near * Math.min(1, salience);
      beat += p.phaseGain * e;
      q = Math.min(p.maxPeriod, Math.max(p.minPeriod, q - p.periodGain * e));
    }
  }
  const h = new Hypothesis();
  h.reset(q, anchor, weight > 0 ? strength / weight : 0, judged);
  const first = firstAtOrAfter(anchor - maxBeats * period);
  for (let i = first; i < history.size; i++) {
    const n = history.strokesOf(i);
    if (n <= 0) continue;
    const t = history.time(i);
    const fade = Math.exp(-(anchor - t) / positionMemory);
    const phase = (t - anchor) / period;
    for (let k = 0; k < CYCLE; k++) {
      h.metrics[k] = (h.metrics[k] as number) + fade * evidenceAt(history.evidenceOffset(i), phase + k);
    }
    h.strokes += fade * n;
  }
  h.bestValue = anchorSalience;
  h.bestWeight = Math.min(1, anchorSalience);
  return h;
}

/** The clusters of a performance, as the tracker remembers them (50 ms clusters, loudest first). */
function remember(onsets: readonly Onset[], capacity: number): ClusterHistory {
  const history = new ClusterHistory(capacity);
  const evidence = new Float64Array(POSITIONS);
  let i = 0;
  while (i < onsets.length) {
    const start = (onsets[i] as Onset).t;
    evidence.fill(0);
    let strokes = 0;
    let salience = 0;
    for (; i < onsets.length && (onsets[i] as Onset).t - start <= 0.05; i++) {
      const o = onsets[i] as Onset;
      if (addPositionEvidence(o, evidence)) strokes++;
      salience += o.velocity / 90;
    }
    history.push(start, Math.min(4, salience), evidence, strokes);
  }
  return history;
}

const FOLLOW: FollowParams = {
  phaseGain: 0.6,
  periodGain: 0.3,
  windowShare: 0.22,
  minWindow: 0.04,
  maxWindow: 0.2,
  beatWeight: 0.15,
  minPeriod: 0.25 / 1.06,
  maxPeriod: 2 * 1.06,
};

describe('Hypothesis.induce', () => {
  const rng = createRng(5);
  const drums = rockGroove(
    beatTimes((t) => 96 + 20 * Math.sin(t / 9), 0.4, 90),
    rng,
    0.015,
  );
  const piano = onBeats(
    beatTimes((t) => 70 + 10 * Math.sin(t / 7), 0.2, 90),
    rng,
    0.03,
  )
    .flatMap((o, i) => [o, { ...o, t: o.t + 0.23 + 0.01 * (i % 3), velocity: 50 }])
    // A pause: beats in it are not judged.
    .filter((o) => o.t < 40 || o.t > 46);

  for (const [name, onsets] of [
    ['a drummer with a drifting tempo', drums],
    ['a pianist playing two notes a beat', piano],
  ] as const) {
    it(`judges a candidate exactly as the plain walk does, for ${name}`, () => {
      // A small ring, so the history has wrapped around many times.
      const history = remember(onsets, 128);
      const h = new Hypothesis();
      const pick = createRng(9);
      let strokes = 0;
      for (let trial = 0; trial < 300; trial++) {
        const anchor = history.time(history.size - 1 - pick.int(0, 60));
        const period = pick.uniform(0.24, 2.1);
        const beats = pick.int(2, 8);
        const salience = pick.uniform(0.5, 3);
        h.induce(period, anchor, salience, history, beats, FOLLOW, 8);
        const plain = plainInduce(period, anchor, salience, history, beats, FOLLOW, 8);
        for (const key of [
          'period',
          'next',
          'strength',
          'beats',
          'strokes',
          'bestValue',
          'bestWeight',
        ] as const) {
          expect(Object.is(h[key], plain[key]), `${key}: ${h[key]} vs ${plain[key]}`).toBe(true);
        }
        expect(Array.from(h.metrics)).toEqual(Array.from(plain.metrics));
        strokes += h.strokes;
      }
      if (name.startsWith('a drummer')) expect(strokes).toBeGreaterThan(100);
    });
  }
});
