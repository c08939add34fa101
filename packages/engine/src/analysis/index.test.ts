import { describe, expect, it } from 'vitest';
import type { HitEvent, NoteEvent } from '../events/index.ts';
import { createRng } from '../random/index.ts';
import { createReactivePlayer, simulatePlayer } from '../simulate/index.ts';
import { analyzePerformance, formatAnalysis } from './index.ts';

const hits = (from: number, to: number, step: number, velocity = 80): HitEvent[] => {
  const out: HitEvent[] = [];
  for (let t = from; t < to - 1e-9; t += step) out.push({ type: 'hit', t, instrument: 38, velocity });
  return out;
};

describe('analyzePerformance of one track', () => {
  it('measures a steady simulated player: tempo, pulse stability, pitch and dynamics', () => {
    const sim = simulatePlayer(
      { bpm: 100, bars: 24, rhythm: 'eighths', velocity: 70, jitterMs: 8 },
      createRng(1),
    );
    const a = analyzePerformance([{ name: 'client', events: sim.events }]);
    const t = a.tracks[0];
    expect(t?.kind).toBe('pitched');
    // The pulse tracker chooses the metrical level: 100 BPM or a simple multiple of it.
    const ratio = (t?.tempo.median ?? 1) / 100;
    expect(
      Math.min(...[1 / 3, 1 / 2, 2 / 3, 1, 3 / 2, 2, 3].map((r) => Math.abs(Math.log(ratio / r)))),
    ).toBeLessThan(0.03);
    expect(t?.tempo.periodCv).toBeLessThan(0.15);
    expect(t?.tempo.confidentShare).toBeGreaterThan(0.7);
    expect(t?.tempo.curve.length).toBeGreaterThan(40);
    expect(t?.dynamics.mean).toBeGreaterThan(60);
    expect(t?.dynamics.mean).toBeLessThan(90);
    const pitches = sim.events.map((e) => (e as NoteEvent).pitch);
    expect(t?.pitch?.lowest).toBe(Math.min(...pitches));
    expect(t?.pitch?.highest).toBe(Math.max(...pitches));
    expect(t?.silence.share).toBe(0);
    expect(t?.phrases.count).toBe(1);
    expect(t?.density.playing).toBeCloseTo(sim.events.length / (a.duration || 1), 6);
  });

  it('hears a crescendo in the loudness curve', () => {
    const sim = simulatePlayer(
      {
        bpm: 90,
        bars: 16,
        velocity: 40,
        velocitySd: 3,
        accent: 0,
        dynamics: [{ beats: 64, from: 40, to: 110 }],
      },
      createRng(2),
    );
    const curve =
      analyzePerformance([{ name: 'client', events: sim.events }]).tracks[0]?.dynamics.curve ?? [];
    const first = curve[3]?.loudness ?? 0;
    const last = curve[curve.length - 1]?.loudness ?? 0;
    expect(last - first).toBeGreaterThan(40);
  });

  it('measures silences and phrases of a drummer who rests for ten seconds', () => {
    const events = [...hits(0, 10, 0.25), ...hits(20, 30, 0.25)];
    const t = analyzePerformance([{ name: 'drums', events }]).tracks[0];
    expect(t?.kind).toBe('percussive');
    expect(t?.pitch).toBeNull();
    expect(t?.tonal).toBeNull();
    expect(t?.silence.count).toBe(1);
    expect(t?.silence.longest).toBeCloseTo(10.25, 9);
    expect(t?.silence.share).toBeCloseTo(10.25 / 29.75, 9);
    expect(t?.phrases.count).toBe(2);
    expect(t?.phrases.meanLength).toBeCloseTo(9.75, 9);
    expect(t?.onsets).toBe(80);
  });

  it('counts a chord once for density and hears it as loud as its loudest note', () => {
    const events: NoteEvent[] = [];
    for (let k = 0; k < 20; k++) {
      for (const [i, pitch] of [60, 64, 67].entries()) {
        events.push({ type: 'note', t: k * 0.5 + i * 0.01, pitch, velocity: 50 + 10 * i, duration: 0.4 });
      }
    }
    const t = analyzePerformance([{ name: 'piano', events }]).tracks[0];
    expect(t?.events).toBe(60);
    expect(t?.onsets).toBe(20);
    expect(t?.dynamics.mean).toBe(70);
    expect(t?.pitch?.range).toBe(7);
  });
});

describe('analyzePerformance between tracks', () => {
  it('names the leader when the other copies its tempo and dynamics changes two beats later', () => {
    const tempo = [{ beats: 24 }, { beats: 8, to: 128 }, { beats: 24 }, { beats: 8, to: 92 }, { beats: 24 }];
    const dynamics = [
      { beats: 30, from: 60, to: 60 },
      { beats: 16, to: 100 },
      { beats: 24 },
      { beats: 16, to: 50 },
    ];
    // The same changes, two beats later.
    const later = <T extends { beats: number }>(segments: T[]): T[] =>
      segments.map((s, i) => (i === 0 ? { ...s, beats: s.beats + 2 } : s));
    const spec = { bpm: 100, bars: 24, velocity: 60, velocitySd: 3, jitterMs: 6, accent: 0 };
    const leader = simulatePlayer({ ...spec, tempo, dynamics }, createRng(3));
    const follower = simulatePlayer(
      { ...spec, tempo: later(tempo), dynamics: later(dynamics), register: 55 },
      createRng(4),
    );
    const a = analyzePerformance([
      { name: 'leader', events: leader.events },
      { name: 'follower', events: follower.events },
    ]);
    const lead = a.pairs[0]?.lead;
    expect(lead?.tempo.index).toBeGreaterThan(0.3);
    expect(lead?.dynamics.index).toBeGreaterThan(0.3);
    expect(lead?.index).toBeGreaterThan(0.3);
    const swapped = analyzePerformance([
      { name: 'follower', events: follower.events },
      { name: 'leader', events: leader.events },
    ]);
    expect(swapped.pairs[0]?.lead.index).toBeCloseTo(-(lead?.index ?? 0), 6);
  });

  it('finds no leader with confidence when two players make the same changes at the same time', () => {
    const tempo = [{ beats: 24 }, { beats: 8, to: 128 }, { beats: 24 }, { beats: 8, to: 92 }, { beats: 24 }];
    const dynamics = [
      { beats: 30, from: 60, to: 60 },
      { beats: 16, to: 100 },
      { beats: 24 },
      { beats: 16, to: 50 },
    ];
    const spec = { bpm: 100, bars: 24, velocity: 60, velocitySd: 3, jitterMs: 6, accent: 0, tempo, dynamics };
    const confidences = [3, 10, 20, 30].map((seed) => {
      const one = simulatePlayer(spec, createRng(seed));
      const two = simulatePlayer({ ...spec, register: 55 }, createRng(seed + 1));
      const a = analyzePerformance([
        { name: 'one', events: one.events },
        { name: 'two', events: two.events },
      ]);
      return a.pairs[0]?.lead.confidence ?? 1;
    });
    expect(confidences.reduce((a, b) => a + b, 0) / confidences.length).toBeLessThan(0.15);
  });

  it('names the leader when a simulated follower adapts to its tempo with a lag of two beats', () => {
    const swing = [
      { beats: 8, to: 124 },
      { beats: 24 },
      { beats: 8, to: 90 },
      { beats: 24 },
      { beats: 8, to: 112 },
    ];
    const tempo = [{ beats: 24 }, ...swing, { beats: 24 }, ...swing, { beats: 24 }];
    const confidences = [1, 2, 3].map((seed) => {
      const leader = simulatePlayer(
        { bpm: 100, bars: 74, tempo, velocity: 70, jitterMs: 8 },
        createRng(seed),
      );
      const follower = createReactivePlayer(
        { kind: 'follower', bpm: 100, lag: 2, register: 50, start: 0.5 },
        createRng(seed + 100),
      );
      const played: Array<NoteEvent | HitEvent> = [];
      let k = 0;
      for (let t = 0; t < leader.end; t += 0.05) {
        while (k < leader.events.length && (leader.events[k] as NoteEvent).t < t) {
          follower.hear(leader.events[k++] as NoteEvent);
        }
        played.push(...follower.play(t, t + 0.05));
      }
      // The tempo range keeps the pulse trackers at the beat these players mean (75–160 BPM).
      const lead = analyzePerformance(
        [
          { name: 'leader', events: leader.events },
          { name: 'follower', events: played },
        ],
        { relation: { pulse: { minBpm: 75, maxBpm: 160 } } },
      ).pairs[0]?.lead;
      expect(lead?.tempo.index).toBeGreaterThan(0.5);
      expect(lead?.tempo.secondFollows).toBeGreaterThan(0.3);
      return lead?.tempo.confidence ?? 0;
    });
    expect(confidences.reduce((a, b) => a + b, 0) / confidences.length).toBeGreaterThan(0.1);
  });

  it('hears a simulated call-and-response dialogue as turns with their latencies', () => {
    const caller = createReactivePlayer({ kind: 'call-and-response', bpm: 96, callBeats: 8 }, createRng(1));
    const calls: Array<NoteEvent | HitEvent> = [];
    const answers: NoteEvent[] = [];
    let answered = 0;
    for (let t = 0; t < 80; t += 0.05) {
      for (const e of answers) if (e.t >= t - 0.05 && e.t < t) caller.hear(e);
      calls.push(...caller.play(t, t + 0.05));
      const spans = caller.truth().calls;
      // The answer starts 0.6 s after each call's last beat ends: five notes 0.4 s apart.
      while (answered < spans.length && (spans[answered]?.end ?? Number.POSITIVE_INFINITY) <= t) {
        const end = spans[answered]?.end as number;
        for (let k = 0; k < 5; k++) {
          answers.push({ type: 'note', t: end + 0.6 + k * 0.4, pitch: 50 + k, velocity: 70, duration: 0.3 });
        }
        answered++;
      }
    }
    const r = analyzePerformance([
      { name: 'caller', events: calls },
      { name: 'answerer', events: answers.filter((e) => e.t < 80) },
    ]);
    const pair = r.pairs[0];
    expect(caller.truth().calls).toHaveLength(10);
    expect(pair?.bAnswersA.count).toBe(10);
    expect(pair?.aAnswersB.count).toBe(9);
    expect(pair?.bAnswersA.medianLatency).toBeGreaterThan(0.6);
    expect(pair?.bAnswersA.medianLatency).toBeLessThan(0.9);
    expect(r.group.together).toBe(0);
    expect(r.group.turns).toBe(19);
  });

  it('measures synchrony, overlap and turns of a group', () => {
    const a = hits(0, 30, 0.5);
    const b = hits(0.03, 30, 0.5, 60);
    const c = [...hits(31, 33, 0.25), ...hits(37, 39, 0.25)];
    const d = [...hits(34, 36, 0.25), ...hits(40, 42, 0.25)];
    const r = analyzePerformance([
      { name: 'a', events: a },
      { name: 'b', events: b },
      { name: 'c', events: c },
      { name: 'd', events: d },
    ]);
    expect(r.pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['a-b', 'a-c', 'a-d', 'b-c', 'b-d', 'c-d']);
    expect(r.pairs[0]?.synchrony.meanSigned).toBeCloseTo(-30, 6);
    expect(r.pairs[0]?.synchrony.pairs).toBe(60);
    const cd = r.pairs[5];
    expect(cd?.bAnswersA.count).toBe(2);
    expect(cd?.aAnswersB.count).toBe(1);
    expect(r.group.together).toBeGreaterThan(28);
  });
});

describe('analyzePerformance neutral values, shape and determinism', () => {
  it('gives neutral values for no tracks and for empty tracks', () => {
    const none = analyzePerformance([]);
    expect(none).toEqual({
      start: null,
      end: null,
      duration: 0,
      tracks: [],
      pairs: [],
      group: { anyone: 0, together: 0, overlapShare: 0, turns: 0, turnsPerMinute: 0 },
    });
    const empty = analyzePerformance([
      { name: '', events: [] },
      { name: '', events: [] },
    ]);
    expect(empty.tracks.map((t) => t.name)).toEqual(['track 1', 'track 2']);
    expect(empty.tracks[0]?.kind).toBe('empty');
    expect(empty.tracks[0]?.tempo.median).toBeNull();
    expect(empty.pairs[0]?.lead.index).toBe(0);
    expect(formatAnalysis(empty)).toContain('Recording with no notes');
  });

  it('is plain JSON: no NaN, no Infinity, nothing lost in a round trip', () => {
    const sim = simulatePlayer({ bpm: 120, bars: 8, style: 'drums' }, createRng(5));
    const piano = simulatePlayer({ bpm: 120, bars: 8, style: 'piano' }, createRng(6));
    const a = analyzePerformance([
      { name: 'drums', events: sim.events },
      { name: 'drums  ', events: piano.events },
    ]);
    expect(a.tracks.map((t) => t.name)).toEqual(['drums', 'drums (2)']);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    const text = formatAnalysis(a);
    expect(text).not.toMatch(/NaN|Infinity|undefined|null/);
    expect(text).toContain('Pair "drums" and "drums (2)"');
  });

  it('is deterministic and does not depend on the order of events within a track', () => {
    const sim = simulatePlayer({ bpm: 84, bars: 12, style: 'piano' }, createRng(7));
    const shuffled = [...sim.events].reverse();
    const a = analyzePerformance([{ name: 'p', events: sim.events }]);
    expect(analyzePerformance([{ name: 'p', events: sim.events }])).toEqual(a);
    expect(analyzePerformance([{ name: 'p', events: shuffled }]).tracks[0]?.onsets).toBe(a.tracks[0]?.onsets);
  });

  it('refuses bad options', () => {
    expect(() => analyzePerformance([], { curveStep: 0 })).toThrow(/curveStep.*got: 0/);
    expect(() => analyzePerformance([], { confidentPulse: 2 })).toThrow(/got: 2/);
  });
});
