import { describe, expect, it } from 'vitest';
import type { Onset } from '../events/index.ts';
import { createRng } from '../random/index.ts';
import {
  LeadEstimator,
  NO_LEAD,
  NO_SYNCHRONY,
  presenceOf,
  RelationTracker,
  SynchronyMeter,
} from './index.ts';

const phrase = (start: number, end: number) => ({ start, end, onsets: 4 });

describe('presenceOf', () => {
  it('hears two players alternating as turns, with their answer latencies', () => {
    const a = [phrase(0, 2), phrase(6, 8), phrase(12, 14)];
    const b = [phrase(3, 5), phrase(9, 11.5), phrase(15, 17)];
    const p = presenceOf([a, b], { responseWindow: 4 });
    expect(p.anyone).toBeCloseTo(12.5, 9);
    expect(p.together).toBe(0);
    expect(p.players.map((x) => x.share)).toEqual([6 / 12.5, 6.5 / 12.5]);
    expect(p.turns).toBe(5);
    expect(p.answers[1]?.[0]).toEqual({ count: 3, meanLatency: 1, medianLatency: 1 });
    expect(p.answers[0]?.[1]?.count).toBe(2);
    expect(p.answers[0]?.[1]?.meanLatency).toBeCloseTo(0.75, 9);
  });

  it('measures overlap and finds no turn when one player plays through the other', () => {
    const p = presenceOf([[phrase(0, 10)], [phrase(2, 8)]], { responseWindow: 4 });
    expect(p.anyone).toBe(10);
    expect(p.together).toBe(6);
    expect(p.overlapShare).toBeCloseTo(0.6, 9);
    expect(p.turns).toBe(0);
  });

  it('does not count an entry as an answer when the player had not waited, or answered too late', () => {
    const notWaiting = presenceOf([[phrase(1, 3)], [phrase(0, 2.9), phrase(3.5, 5)]], { responseWindow: 4 });
    expect(notWaiting.turns).toBe(0);
    const late = presenceOf([[phrase(0, 2)], [phrase(7, 9)]], { responseWindow: 4 });
    expect(late.turns).toBe(0);
  });

  it('gives neutral values for no players and for players who never played', () => {
    expect(presenceOf([], { responseWindow: 4 })).toEqual({
      anyone: 0,
      together: 0,
      overlapShare: 0,
      players: [],
      turns: 0,
      answers: [],
    });
    const silent = presenceOf([[], []], { responseWindow: 4 });
    expect(silent.players).toEqual([
      { playing: 0, share: 0, phrases: 0 },
      { playing: 0, share: 0, phrases: 0 },
    ]);
  });
});

describe('SynchronyMeter', () => {
  it('gives the mean signed and absolute asynchrony of near-coincident onsets', () => {
    const m = new SynchronyMeter(Number.POSITIVE_INFINITY);
    for (let k = 0; k < 40; k++) {
      m.hear('a', k * 0.5, 0.1);
      m.hear('b', k * 0.5 + (k % 2 === 0 ? 0.02 : 0.04), 0.1);
    }
    const s = m.synchrony();
    expect(s.pairs).toBe(40);
    expect(s.meanSigned).toBeCloseTo(-30, 9);
    expect(s.meanAbsolute).toBeCloseTo(30, 9);
    expect(s.sd).toBeCloseTo(10, 6);
    expect(s.coincidence).toBe(1);
  });

  it('pairs only onsets within the window, each at most once', () => {
    const m = new SynchronyMeter(Number.POSITIVE_INFINITY);
    m.hear('a', 0, 0.05);
    m.hear('b', 0.2, 0.05);
    m.hear('b', 0.21, 0.05);
    m.hear('a', 0.22, 0.05);
    m.hear('a', 0.23, 0.05);
    expect(m.synchrony().pairs).toBe(1);
    expect(m.synchrony().meanSigned).toBeCloseTo(10, 9);
    expect(new SynchronyMeter(10).synchrony()).toEqual(NO_SYNCHRONY);
  });
});

/** A log-tempo curve that wanders in steps and ramps, sampled every 0.25 s. */
function wandering(seed: number, samples: number): number[] {
  const rng = createRng(seed);
  const out: number[] = [];
  let x = Math.log(100);
  let slope = 0;
  for (let n = 0; n < samples; n++) {
    if (n % 16 === 0) slope = rng.normal(0, 0.004);
    if (rng.chance(0.02)) x += rng.normal(0, 0.05);
    x += slope;
    out.push(x);
  }
  return out;
}

describe('LeadEstimator', () => {
  const options = {
    step: 0.25,
    horizon: 1,
    memory: Number.POSITIVE_INFINITY,
    decorrelation: 4,
    minSpread: 0.01,
    fold: Math.LN2,
  };

  it('names the player whose changes the other copies one second later as the leader', () => {
    const leader = wandering(3, 800);
    const lag = 4;
    const e = new LeadEstimator(options);
    const r = new LeadEstimator(options);
    for (let n = 0; n < leader.length; n++) {
      const follower = leader[Math.max(0, n - lag)] as number;
      e.sample(leader[n] as number, follower);
      r.sample(follower, leader[n] as number);
    }
    expect(e.lead().index).toBeGreaterThan(0.8);
    expect(e.lead().confidence).toBeGreaterThan(0.5);
    expect(r.lead().index).toBeLessThan(-0.8);
    expect(r.lead().confidence).toBeCloseTo(e.lead().confidence, 9);
  });

  it('finds no leader with confidence when both change at once, or each goes its own way', () => {
    const shared = wandering(5, 800);
    const together = new LeadEstimator(options);
    const apart = new LeadEstimator(options);
    const other = wandering(9, 800);
    const noise = createRng(1);
    for (let n = 0; n < shared.length; n++) {
      together.sample(
        (shared[n] as number) + noise.normal(0, 0.002),
        (shared[n] as number) + noise.normal(0, 0.002),
      );
      apart.sample(shared[n] as number, other[n] as number);
    }
    expect(together.lead().confidence).toBeLessThan(0.3);
    expect(apart.lead().confidence).toBeLessThan(0.4);
  });

  it('ignores a level offset, and a switch between double and single time, of the follower', () => {
    const leader = wandering(11, 800);
    const e = new LeadEstimator(options);
    for (let n = 0; n < leader.length; n++) {
      // The follower is heard at double time, so its log tempo sits ln 2 higher.
      // The follower's pulse is heard at double time, and switches to the same level halfway.
      const level = n < 400 ? Math.LN2 : 0;
      e.sample(leader[n] as number, (leader[Math.max(0, n - 4)] as number) + level);
    }
    expect(e.lead().index).toBeGreaterThan(0.8);
    expect(e.lead().confidence).toBeGreaterThan(0.5);
  });

  it('does not call anyone a follower of a player whose level hardly moves', () => {
    const wanderer = wandering(13, 800);
    const e = new LeadEstimator(options);
    const wobble = createRng(2);
    // The steady player's tempo only wobbles by 0.1 %: its small wobbles cannot be followed.
    for (let n = 0; n < wanderer.length; n++)
      e.sample(Math.log(100) + wobble.normal(0, 0.001), wanderer[n] as number);
    expect(e.lead().secondFollows).toBe(0);
    expect(Math.abs(e.lead().firstFollows)).toBeLessThan(0.2);
    expect(e.lead().confidence).toBe(0);
  });

  it('is neutral without samples or with gaps only', () => {
    const e = new LeadEstimator(options);
    expect(e.lead()).toEqual(NO_LEAD);
    for (let n = 0; n < 50; n++) e.sample(n % 2 === 0 ? 1 : null, 1);
    expect(e.lead().confidence).toBe(0);
  });
});

/** A player's quarter notes from per-beat periods and velocities, starting at `start`. */
function playBeats(start: number, periods: readonly number[], velocities: readonly number[]): Onset[] {
  const out: Onset[] = [];
  let t = start;
  periods.forEach((p, k) => {
    out.push({ t, velocity: velocities[k] as number, pitch: 60 + (k % 5), duration: p * 0.8 });
    t += p;
  });
  return out;
}

function merged(tracks: Record<string, Onset[]>): Array<[string, Onset]> {
  const all: Array<[string, Onset]> = [];
  for (const [name, list] of Object.entries(tracks)) for (const o of list) all.push([name, o]);
  return all.sort((x, y) => x[1].t - y[1].t);
}

describe('RelationTracker', () => {
  it('names the leader when the other copies its tempo and dynamics changes two beats later', () => {
    const bpm: number[] = [];
    const vel: number[] = [];
    for (let k = 0; k < 160; k++) {
      const phase = Math.floor(k / 20) % 4;
      bpm.push([96, 120, 104, 132][phase] as number);
      vel.push([60, 90, 50, 100][phase] as number);
    }
    const periods = bpm.map((b) => 60 / b);
    const leader = playBeats(0, periods, vel);
    // The follower plays the leader's beat periods and velocities two beats late.
    const follower = playBeats(
      0,
      periods.map((_, k) => periods[Math.max(0, k - 2)] as number),
      vel.map((_, k) => vel[Math.max(0, k - 2)] as number),
    );
    for (const [names, sign] of [
      [['leader', 'follower'], 1],
      [['follower', 'leader'], -1],
    ] as const) {
      const r = new RelationTracker(names, { memory: Number.POSITIVE_INFINITY });
      for (const [name, onset] of merged({ leader, follower })) r.hear(name, onset);
      const lead = r.snapshot(leader[leader.length - 1]?.t ?? 0).pairs[0]?.lead;
      expect(Math.sign(lead?.tempo.index ?? 0)).toBe(sign);
      expect(Math.abs(lead?.tempo.index ?? 0)).toBeGreaterThan(0.5);
      expect(lead?.tempo.confidence).toBeGreaterThan(0.2);
      expect(Math.sign(lead?.dynamics.index ?? 0)).toBe(sign);
      expect(Math.sign(lead?.index ?? 0)).toBe(sign);
    }
  });

  it('hears two players taking turns, and the asynchrony of two playing together', () => {
    const a: Onset[] = [];
    const b: Onset[] = [];
    for (let turn = 0; turn < 6; turn++) {
      const start = turn * 5;
      const who = turn % 2 === 0 ? a : b;
      for (let k = 0; k < 8; k++) who.push({ t: start + k * 0.25, velocity: 70, percussive: true });
    }
    const r = new RelationTracker(['a', 'b']);
    for (const [name, onset] of merged({ a, b })) r.hear(name, onset);
    const s = r.snapshot(40);
    expect(s.turns).toBe(5);
    expect(s.pairs[0]?.bAnswersA.count).toBe(3);
    expect(s.pairs[0]?.aAnswersB.count).toBe(2);
    // Each phrase ends at its last hit, 1.75 s in; the answer comes at 5 s.
    expect(s.pairs[0]?.bAnswersA.meanLatency).toBeCloseTo(3.25, 9);
    expect(s.together).toBe(0);
    expect(s.players.map((p) => p.playing)).toEqual([false, false]);

    const together = new RelationTracker(['a', 'b']);
    const rng = createRng(4);
    const x: Onset[] = [];
    const y: Onset[] = [];
    for (let k = 0; k < 60; k++) {
      x.push({ t: 1 + k * 0.5, velocity: 70, pitch: 60 });
      y.push({ t: 1 + k * 0.5 + 0.025 + rng.normal(0, 0.005), velocity: 70, pitch: 48 });
    }
    for (const [name, onset] of merged({ a: x, b: y })) together.hear(name, onset);
    const sync = together.snapshot(31).pairs[0]?.synchrony;
    expect(sync?.pairs).toBe(60);
    expect(sync?.meanSigned).toBeGreaterThan(-28);
    expect(sync?.meanSigned).toBeLessThan(-22);
    expect(together.snapshot(31).overlapShare).toBeGreaterThan(0.95);
  });

  it('answers with neutral values before anyone plays, and refuses bad use', () => {
    const r = new RelationTracker(['a', 'b', 'c']);
    const s = r.snapshot(10);
    expect(s.pairs).toHaveLength(3);
    expect(s.turns).toBe(0);
    expect(s.anyone).toBe(0);
    for (const pair of s.pairs) {
      expect(pair.synchrony).toEqual(NO_SYNCHRONY);
      expect(pair.lead.index).toBe(0);
      expect(pair.lead.confidence).toBe(0);
    }
    expect(() => r.hear('d', { t: 0, velocity: 60 })).toThrow(/unknown player, got: "d"/);
    r.hear('a', { t: 1, velocity: 60 });
    expect(() => r.hear('b', { t: 0.5, velocity: 60 })).toThrow(/time order: 0.5 after 1/);
    expect(() => new RelationTracker(['a', 'a'])).toThrow(/got: "a"/);
    expect(() => new RelationTracker(['a'], { step: 0 })).toThrow(/step.*got: 0/);
  });

  it('is deterministic', () => {
    const rng = createRng(8);
    const a: Onset[] = [];
    const b: Onset[] = [];
    for (let k = 0; k < 200; k++) {
      a.push({ t: k * 0.3 + rng.normal(0, 0.01), velocity: rng.int(40, 100), pitch: rng.int(55, 70) });
      b.push({ t: k * 0.3 + 0.1 + rng.normal(0, 0.01), velocity: rng.int(40, 100), percussive: true });
    }
    const run = () => {
      const r = new RelationTracker(['a', 'b']);
      for (const [name, onset] of merged({ a, b })) r.hear(name, onset);
      return r.snapshot(70);
    };
    expect(run()).toEqual(run());
  });
});
