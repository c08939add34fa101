import { describe, expect, it } from 'vitest';
import type { HitEvent, NoteEvent } from '../events/index.ts';
import { createRng } from '../random/index.ts';
import {
  createReactivePlayer,
  type ReactivePlayer,
  type ReactivePlayerSpec,
  simulatePlayer,
} from './index.ts';

type Played = NoteEvent | HitEvent;
const WINDOW = 0.05;

/**
 * Runs a reactive player beside a partner in lookahead windows, as the room does: the player
 * plays each window, then hears what the partner played in it. `partner` may depend on what the
 * player has done so far.
 */
function duet(
  player: ReactivePlayer,
  until: number,
  partner: (from: number, to: number) => Played[],
): Played[] {
  const out: Played[] = [];
  for (let i = 0; i * WINDOW < until; i++) {
    const from = i * WINDOW;
    // Both ends from the index, so that consecutive windows share their boundary exactly.
    const to = (i + 1) * WINDOW;
    out.push(...player.play(from, to));
    for (const e of partner(from, to)) player.hear(e);
  }
  return out;
}

const within = (events: readonly Played[]) => (from: number, to: number) =>
  events.filter((e) => e.t >= from && e.t < to);

describe('createReactivePlayer: follower', () => {
  // The partner plays at 100 BPM, then suddenly at 120 from beat 32.
  const partner = simulatePlayer(
    { bpm: 100, bars: 20, jitterMs: 0, tempo: [{ beats: 32 }, { from: 120, beats: 48 }] },
    createRng(1),
  );
  const change = partner.beats[32]!;
  const follow = (spec: Partial<ReactivePlayerSpec>) => {
    const player = createReactivePlayer(
      { kind: 'follower', bpm: 88, gain: 0.5, maxChange: 4, jitterMs: 0, ...spec },
      createRng(2),
    );
    const events = duet(player, partner.end, within(partner.events));
    return { events, truth: player.truth() };
  };

  it('converges to the partner’s tempo and beat, never changing faster than its limit', () => {
    const { truth } = follow({ lag: 1 });
    const before = truth.tempo.filter((x) => x.t < change && x.t > change - 3);
    for (const x of before) expect(x.bpm).toBeCloseTo(100, 1);
    const after = truth.tempo.filter((x) => x.t > change + 10 && x.t < partner.end);
    expect(after.length).toBeGreaterThan(10);
    for (const x of after) expect(x.bpm).toBeCloseTo(120, 1);
    for (let k = 1; k < truth.tempo.length; k++) {
      expect(Math.abs(truth.tempo[k]!.bpm - truth.tempo[k - 1]!.bpm)).toBeLessThanOrEqual(4 + 1e-9);
    }
    // Once together its beats fall on the partner's.
    const late = truth.beats.filter((b) => b > change + 10 && b < partner.end - 0.5);
    for (const b of late) {
      const nearest = partner.beats.reduce((a, c) => (Math.abs(c - b) < Math.abs(a - b) ? c : a));
      expect(Math.abs(b - nearest)).toBeLessThan(0.005);
    }
  });

  it.each([0.5, 1, 2, 4])('reacts to a change %s beats after it could hear it', (lag) => {
    const { truth } = follow({ lag });
    // The change is audible once two intervals at the new tempo have been played.
    const audible = partner.beats[34]!;
    const first = truth.tempo.findIndex(
      (x, k) => k > 0 && x.t > change && x.bpm > truth.tempo[k - 1]!.bpm + 0.01,
    );
    expect(first).toBeGreaterThan(0);
    const period = 60 / truth.tempo[first - 1]!.bpm;
    const decided = truth.beats[first - 1]! + period; // where the beat would have fallen unchanged
    expect(decided - lag * period).toBeGreaterThan(audible);
    // ... and not a beat later than it had to.
    expect(decided - lag * period - audible).toBeLessThanOrEqual(period + 1e-9);
  });

  it('hears a partner’s eighths and chords as its beat', () => {
    const piano = simulatePlayer({ bpm: 108, bars: 16, style: 'piano', rhythm: 'eighths' }, createRng(15));
    const player = createReactivePlayer({ kind: 'follower', bpm: 96, gain: 0.4 }, createRng(16));
    duet(player, piano.end, within(piano.events));
    const late = player.truth().tempo.filter((x) => x.t > 15 && x.t < piano.end);
    expect(late.length).toBeGreaterThan(10);
    // Its tempo wanders with the partner's jitter, as a listener's would, around the partner's.
    for (const x of late) expect(Math.abs(x.bpm - 108)).toBeLessThan(3.5);
    expect(Math.abs(late.reduce((s, x) => s + x.bpm, 0) / late.length - 108)).toBeLessThan(1);
  });

  it('keeps its own tempo with no gain, and holds it when the partner stops', () => {
    const { truth } = follow({ gain: 0, lag: 1 });
    for (const x of truth.tempo) expect(x.bpm).toBe(88);
    const silent = createReactivePlayer({ kind: 'follower', bpm: 75, jitterMs: 0 }, createRng(3));
    duet(silent, 10, () => []);
    const beats = silent.truth().beats;
    for (let k = 1; k < beats.length; k++) expect(beats[k]! - beats[k - 1]!).toBeCloseTo(0.8, 9);
  });

  it.each([
    { kind: 'follower', bpm: 90, driftMs: 8, lag: 0 },
    { kind: 'call-and-response', bpm: 90, callBeats: 3, maxWait: 40 },
  ] as const)('plays only on what it heard before each window: %j', (spec) => {
    const a = createReactivePlayer(spec, createRng(4));
    const b = createReactivePlayer(spec, createRng(4));
    // b hears the whole future at once; a hears each window after playing it.
    // A partner who plays phrases with long breaths, so that the caller's waits end.
    const phrased = simulatePlayer({ bpm: 100, bars: 16, phrase: { bars: 2, breath: 4 } }, createRng(13));
    for (const e of phrased.events) b.hear(e);
    const heardInTime = duet(a, 30, within(phrased.events));
    const heardAhead = duet(b, 30, () => []);
    expect(heardAhead).toEqual(heardInTime);
    expect(b.truth()).toEqual(a.truth());
    expect(heardInTime.length).toBeGreaterThan(15);
  });
});

describe('createReactivePlayer: leader', () => {
  it('keeps its tempo curve whatever it hears', () => {
    const spec: ReactivePlayerSpec = {
      kind: 'leader',
      bpm: 80,
      tempo: [{ beats: 8, to: 110 }],
      style: 'drums',
    };
    const deaf = createReactivePlayer(spec, createRng(5));
    const hearing = createReactivePlayer(spec, createRng(5));
    const noise = simulatePlayer({ bpm: 140, bars: 12, style: 'drums' }, createRng(6));
    const a = duet(deaf, 12, () => []);
    const b = duet(hearing, 12, within(noise.events));
    expect(b).toEqual(a);
    const whole = simulatePlayer({ ...spec, bars: 6, style: 'drums' }, createRng(7));
    const heard = deaf.truth().beats;
    expect(heard.length).toBeGreaterThan(16);
    expect(heard).toEqual(whole.beats.slice(0, heard.length));
    expect(deaf.truth().key).toBeNull();
  });

  it('plays what the same player simulated whole would play, window by window', () => {
    const spec = {
      bpm: 96,
      bars: 6,
      tempo: [{ beats: 8, to: 120, shape: 'exponential' as const }],
      style: 'drums' as const,
    };
    const leader = createReactivePlayer({ kind: 'leader', ...spec }, createRng(14));
    expect(duet(leader, 20, () => [])).toEqual(simulatePlayer(spec, createRng(14)).events);
  });

  it('breathes at the end of its phrases', () => {
    const leader = createReactivePlayer(
      { kind: 'leader', bpm: 120, bars: 4, rhythm: 'eighths', jitterMs: 0, phrase: { bars: 1, breath: 1 } },
      createRng(17),
    );
    const events = duet(leader, 10, () => []);
    const beats = leader.truth().beats;
    expect(events).toHaveLength(4 * 6);
    for (let bar = 0; bar < 4; bar++) {
      const breath = beats[4 * bar + 3]!;
      expect(events.filter((e) => e.t >= breath && e.t < breath + 0.5)).toEqual([]);
    }
  });

  it('plays the same for a seed and differently for another', () => {
    const run = (seed: number) =>
      duet(createReactivePlayer({ kind: 'leader', bpm: 100, bars: 4 }, createRng(seed)), 12, () => []);
    expect(run(18)).toEqual(run(18));
    expect(run(19).map((e) => e.t)).not.toEqual(run(18).map((e) => e.t));
  });

  it('stops after its bars and plays each onset once, in order', () => {
    const leader = createReactivePlayer(
      { kind: 'leader', bpm: 120, bars: 2, rhythm: 'eighths' },
      createRng(8),
    );
    const events = duet(leader, 10, () => []);
    expect(events).toHaveLength(16);
    for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
    expect(leader.truth().beats).toHaveLength(8);
  });
});

describe('createReactivePlayer: call and response', () => {
  const spec: ReactivePlayerSpec = {
    kind: 'call-and-response',
    bpm: 100,
    callBeats: 4,
    answerGap: 1,
    maxWait: 6,
  };
  const period = 0.6;

  it('waits in its silence for an answer and calls again once the answer is over', () => {
    const player = createReactivePlayer(spec, createRng(9));
    const answer: Played[] = [];
    const events = duet(player, 12, (from, to) => {
      const calls = player.truth().calls;
      if (answer.length === 0 && calls.length > 0) {
        // The partner answers with four notes just after the first call, then falls silent.
        const end = calls[0]!.end;
        for (let i = 0; i < 4; i++) {
          answer.push({ type: 'note', t: end + 0.2 + 0.3 * i, pitch: 60, velocity: 70, duration: 0.2 });
        }
      }
      return within(answer)(from, to);
    });
    const [first, second] = player.truth().calls;
    expect(first!.end - first!.start).toBeCloseTo(4 * period, 9);
    const lastAnswer = answer[answer.length - 1]!.t;
    expect(second!.start).toBeGreaterThanOrEqual(lastAnswer + period);
    expect(second!.start).toBeLessThan(lastAnswer + 2 * period + 0.1);
    // Silent from the end of its call until its next call.
    expect(events.filter((e) => e.t >= first!.end && e.t < second!.start - 0.05)).toEqual([]);
    expect(events.filter((e) => e.t >= first!.start && e.t < first!.end).length).toBe(4);
  });

  it('calls again after its longest wait when nobody answers', () => {
    const player = createReactivePlayer({ ...spec, jitterMs: 0 }, createRng(10));
    const events = duet(player, 20, () => []);
    const calls = player.truth().calls;
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i]!.start - calls[i - 1]!.end).toBeCloseTo(6 * period, 9);
    }
    const beats = player.truth().beats;
    expect(events.map((e) => e.t).slice(0, 5)).toEqual([...beats.slice(0, 4), beats[10]]);
  });

  it('keeps waiting while its partner goes on playing', () => {
    const player = createReactivePlayer({ ...spec, maxWait: 100 }, createRng(11));
    const busy = simulatePlayer({ bpm: 100, bars: 5, start: 2, rhythm: 'eighths' }, createRng(12));
    duet(player, 20, within(busy.events));
    const [first, second] = player.truth().calls;
    expect(second!.start).toBeGreaterThan(busy.events[busy.events.length - 1]!.t + period);
    expect(first!.end).toBeLessThan(3);
  });
});

describe('createReactivePlayer: bad specs and windows', () => {
  it.each([
    [{ kind: 'shadow' }, 'got: shadow'],
    [{ kind: 'follower', gain: 2 }, 'got: 2'],
    [{ kind: 'follower', lag: -1 }, 'got: -1'],
    [{ kind: 'follower', maxChange: 0 }, 'got: 0'],
    [{ kind: 'follower', bpm: -60 }, 'got: -60'],
    [{ kind: 'follower', range: 0 }, 'got: 0'],
    [{ kind: 'call-and-response', callBeats: 2.5 }, 'got: 2.5'],
    [{ kind: 'call-and-response', maxWait: 0 }, 'got: 0'],
    [{ kind: 'call-and-response', answerGap: 0 }, 'got: 0'],
    [{ kind: 'leader', style: 'unpulsed' }, 'got: unpulsed'],
  ])('rejects %j naming the bad value', (bad, message) => {
    expect(() => createReactivePlayer(bad as ReactivePlayerSpec, createRng(1))).toThrow(message);
  });

  it('rejects windows that go backwards or are empty', () => {
    const p = createReactivePlayer({ kind: 'leader' }, createRng(1));
    p.play(0, 1);
    expect(() => p.play(0.5, 2)).toThrow('got: 0.5');
    expect(() => p.play(3, 3)).toThrow('[3, 3)');
  });
});
