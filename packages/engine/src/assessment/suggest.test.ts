import { describe, expect, it } from 'vitest';
import { analyzePerformance } from '../analysis/index.ts';
import { createRng } from '../random/index.ts';
import { simulatePlayer } from '../simulate/index.ts';
import { type Suggestion, suggestIap } from './suggest.ts';

const find = (list: Suggestion[], item: string, partner: string | null = null): Suggestion | undefined =>
  list.find((s) => s.item === item && (partner === null || s.partner === partner));

/** A leader whose tempo and loudness changes the follower copies two beats later. */
function leaderAndFollower(seed: number) {
  const tempo = [{ beats: 24 }, { beats: 8, to: 128 }, { beats: 24 }, { beats: 8, to: 92 }, { beats: 24 }];
  const dynamics = [
    { beats: 30, from: 60, to: 60 },
    { beats: 16, to: 100 },
    { beats: 24 },
    { beats: 16, to: 50 },
  ];
  const later = <T extends { beats: number }>(segments: T[]): T[] =>
    segments.map((s, i) => (i === 0 ? { ...s, beats: s.beats + 2 } : s));
  const spec = { bpm: 100, bars: 24, velocity: 60, velocitySd: 3, jitterMs: 6, accent: 0 };
  const leader = simulatePlayer({ ...spec, tempo, dynamics }, createRng(seed));
  const follower = simulatePlayer(
    { ...spec, tempo: later(tempo), dynamics: later(dynamics), register: 55 },
    createRng(seed + 1),
  );
  return analyzePerformance([
    { name: 'therapist', events: leader.events },
    { name: 'client', events: follower.events },
  ]);
}

const steadySpec = { bpm: 100, bars: 24, velocity: 70, velocitySd: 4, accent: 6, jitterMs: 8 };
const variableSpec = {
  bpm: 100,
  bars: 24,
  velocity: 70,
  velocitySd: 8,
  jitterMs: 15,
  tempo: [
    { beats: 16 },
    { beats: 8, to: 130 },
    { beats: 16 },
    { beats: 8, to: 80 },
    { beats: 16 },
    { beats: 8, to: 110 },
  ],
  dynamics: [
    { beats: 16, from: 50, to: 50 },
    { beats: 16, to: 110 },
    { beats: 16, to: 35 },
    { beats: 16, to: 90 },
  ],
};

describe('suggestIap: autonomy from who leads', () => {
  it('points a leader toward leader and the follower toward follower, on tempo and on loudness', () => {
    for (const seed of [3, 7]) {
      const a = leaderAndFollower(seed);
      const asFollower = suggestIap(a, 'client');
      const asLeader = suggestIap(a, 'therapist');
      for (const item of ['autonomy:rhythm', 'autonomy:volume']) {
        expect(find(asLeader, item)?.toward).toBe('leader');
        expect(find(asLeader, item)?.towardValue).toBe(4);
        expect(find(asFollower, item)?.toward).toBe('follower');
        expect(find(asFollower, item)?.towardValue).toBe(2);
        expect(find(asFollower, item)?.value).toBeCloseTo(-(find(asLeader, item)?.value ?? 0), 9);
      }
      const s = find(asFollower, 'autonomy:rhythm');
      expect(s?.partner).toBe('therapist');
      expect(s?.sentence).toBe("The client followed therapist's changes of tempo.");
      expect(s?.confidence).toBeGreaterThanOrEqual(0.15);
      expect(s?.caveat).toMatch(/cannot hear intention/);
    }
  });

  it('points nowhere when two players keep one tempo and neither leads', () => {
    const one = simulatePlayer(steadySpec, createRng(1));
    const two = simulatePlayer({ ...steadySpec, register: 50, jitterMs: 12 }, createRng(31));
    const a = analyzePerformance([
      { name: 'client', events: one.events },
      { name: 'companion', events: two.events },
    ]);
    const s = find(suggestIap(a, 'client'), 'autonomy:rhythm');
    expect(s?.toward).toBeNull();
    expect(s?.towardValue).toBeNull();
    expect(s?.sentence).toBe('Not enough evidence of who leads the tempo between the client and companion.');
  });
});

describe('suggestIap: variability of tempo and dynamics', () => {
  it('points a steady player toward stable and a changing one toward contrasting', () => {
    for (const seed of [1, 2, 3]) {
      const steady = simulatePlayer(steadySpec, createRng(seed));
      const variable = simulatePlayer(variableSpec, createRng(seed + 10));
      const a = analyzePerformance([
        { name: 'steady', events: steady.events },
        { name: 'variable', events: variable.events },
      ]);
      const s = suggestIap(a, 'steady', { partners: [] });
      const v = suggestIap(a, 'variable', { partners: [] });
      expect(find(s, 'variability:rhythm')?.toward).toBe('stable');
      expect(find(s, 'variability:volume')?.toward).toBe('stable');
      expect(find(v, 'variability:rhythm')?.toward).toBe('contrasting');
      expect(find(v, 'variability:volume')?.toward).toBe('contrasting');
      expect(find(v, 'variability:rhythm')?.value).toBeGreaterThan(find(s, 'variability:rhythm')?.value ?? 1);
      // With no partners, nothing between players is suggested.
      expect(s.map((x) => x.profile)).toEqual(['variability', 'variability']);
    }
  });

  it('does not judge tempo variation without a steady pulse to measure it on', () => {
    const explorer = simulatePlayer({ style: 'unpulsed', seconds: 60, rate: 2 }, createRng(4));
    const a = analyzePerformance([{ name: 'client', events: explorer.events }]);
    const s = find(suggestIap(a, 'client'), 'variability:rhythm');
    // The tracker locks on for a moment now and then (3 % of the time), so a period variation exists.
    expect(a.tracks[0]?.tempo.periodCv).not.toBeNull();
    expect(s?.toward).toBeNull();
    expect(s?.sentence).toBe(
      'A steady beat was heard only 3 % of the playing time: too little to judge how the tempo changed.',
    );
  });
});

describe('suggestIap: integration from playing in time together', () => {
  it('points playing on one beat toward integrated and unrelated tempi toward differentiated', () => {
    for (const seed of [1, 2, 3]) {
      const client = simulatePlayer(steadySpec, createRng(seed));
      const together = simulatePlayer({ ...steadySpec, register: 50, jitterMs: 12 }, createRng(seed + 30));
      const apart = simulatePlayer({ bpm: 77, bars: 18, register: 50, velocity: 70 }, createRng(seed + 20));
      const a = analyzePerformance([
        { name: 'client', events: client.events },
        { name: 'therapist', events: together.events },
        { name: 'companion', events: apart.events },
      ]);
      const list = suggestIap(a, 'client');
      expect(find(list, 'integration:rhythm', 'therapist')?.toward).toBe('integrated');
      expect(find(list, 'integration:rhythm', 'companion')?.toward).toBe('differentiated');
      const only = suggestIap(a, 'client', { partners: ['therapist'] });
      expect(only.every((s) => s.partner === null || s.partner === 'therapist')).toBe(true);
    }
  });
});

describe('suggestIap: bad input', () => {
  it('names an unknown client or partner track', () => {
    const a = analyzePerformance([
      { name: 'client', events: simulatePlayer(steadySpec, createRng(1)).events },
    ]);
    expect(() => suggestIap(a, 'p9')).toThrow("no track 'p9' in the analysis (tracks: client)");
    expect(() => suggestIap(a, 'client', { partners: ['nobody'] })).toThrow("no partner track 'nobody'");
  });

  it('suggests nothing for a client who did not play', () => {
    const a = analyzePerformance([
      { name: 'client', events: [] },
      { name: 'therapist', events: simulatePlayer(steadySpec, createRng(1)).events },
    ]);
    expect(suggestIap(a, 'client')).toEqual([]);
  });
});

describe('suggestIap: the thresholds', () => {
  /** An analysis of two simple tracks, its numbers then set by hand to the case under test. */
  const base = analyzePerformance([
    { name: 'client', events: simulatePlayer(steadySpec, createRng(1)).events },
    { name: 'therapist', events: simulatePlayer({ ...steadySpec, register: 50 }, createRng(2)).events },
  ]);
  const withLead = (index: number, confidence: number) => {
    const pair = base.pairs[0] as (typeof base.pairs)[number];
    const tempo = { ...pair.lead.tempo, index, confidence };
    return { ...base, pairs: [{ ...pair, lead: { ...pair.lead, tempo } }] };
  };
  const withTrack = (tempo: Partial<(typeof base.tracks)[number]['tempo']>, range: number | null) => {
    const track = base.tracks[0] as (typeof base.tracks)[number];
    return {
      ...base,
      tracks: [
        { ...track, tempo: { ...track.tempo, ...tempo }, dynamics: { ...track.dynamics, range } },
        base.tracks[1],
      ],
    } as typeof base;
  };

  it('names a partner when both adapt, with the client on the second side of the pair as well', () => {
    expect(find(suggestIap(withLead(0.1, 0.5), 'client'), 'autonomy:rhythm')?.toward).toBe('partner');
    expect(find(suggestIap(withLead(0.5, 0.5), 'client'), 'autonomy:rhythm')?.toward).toBe('leader');
    // The therapist is the pair's second player: the same index reads the other way round.
    expect(find(suggestIap(withLead(0.5, 0.5), 'therapist'), 'autonomy:rhythm')?.toward).toBe('follower');
    expect(find(suggestIap(withLead(0.9, 0.1), 'client'), 'autonomy:rhythm')?.toward).toBeNull();
  });

  it('places tempo and dynamics variation on either side of each threshold', () => {
    const at = (cv: number, range: number) =>
      suggestIap(withTrack({ periodCv: cv, confidentShare: 0.9 }, range), 'client');
    expect(find(at(0.039, 19), 'variability:rhythm')?.toward).toBe('stable');
    expect(find(at(0.039, 19), 'variability:volume')?.toward).toBe('stable');
    expect(find(at(0.04, 20), 'variability:rhythm')?.toward).toBe('variable');
    expect(find(at(0.04, 20), 'variability:volume')?.toward).toBe('variable');
    expect(find(at(0.1, 45), 'variability:rhythm')?.toward).toBe('contrasting');
    expect(find(at(0.1, 45), 'variability:volume')?.towardValue).toBe(4);
    const none = suggestIap(withTrack({ periodCv: null }, null), 'client');
    expect(none.filter((s) => s.profile === 'variability')).toEqual([]);
  });
});
