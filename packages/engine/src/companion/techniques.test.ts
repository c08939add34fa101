/**
 * Each technique's judged property, on simulated clients with known answers, through the same
 * live loop the room uses (a plan every 25 ms, 100 ms ahead).
 */
import { describe, expect, it } from 'vitest';
import type { PlayedEvent } from '../events/index.ts';
import { scaleOf } from '../idiom/index.ts';
import { createRng } from '../random/index.ts';
import { createReactivePlayer, simulatePlayer } from '../simulate/index.ts';
import {
  answerDelays,
  beatsApart,
  correlation,
  gridShare,
  median,
  onsetTimes,
  overlapShare,
  type PlannedNote,
  recoveryBeats,
  scaleShare,
  smoothedVelocity,
  syncScore,
} from './index.ts';
import { accompany, duet, LIVE_LOOP } from './offline.ts';

const velocityCurve = (notes: readonly PlannedNote[], to: number) =>
  smoothedVelocity(
    notes.map((n) => ({ t: n.start, velocity: n.velocity })),
    5,
    to,
  );

describe('synchronise', () => {
  it('plays on the client beats after 5 s, within 30 ms on average', () => {
    for (const [style, seed] of [
      ['drums', 1],
      ['piano', 2],
      ['hits', 3],
    ] as const) {
      const perf = simulatePlayer({ style, bpm: 84 + seed * 9, bars: 16 }, createRng(seed));
      const { notes } = accompany(perf.events, { techniques: ['synchronise'] }, seed);
      const score = syncScore(perf.beats, notes);
      expect(score.onBeats).toBeGreaterThanOrEqual(0.5);
      expect(score.meanError).toBeLessThanOrEqual(0.03);
    }
  });

  it('is back in time within four beats after a sudden 20% change of tempo, up or down, whatever the client plays', () => {
    for (const [style, seed, change] of [
      ['piano', 5, 1.2],
      ['piano', 6, 0.8],
      ['hits', 2, 0.8],
      ['hits', 3, 1.2],
      ['melody', 1, 1.2],
      ['melody', 4, 0.8],
      ['drums', 1, 1.2],
      ['drums', 2, 0.8],
    ] as const) {
      const perf = simulatePlayer(
        { style, bpm: 92, bars: 20, tempo: [{ beats: 40 }, { beats: 40, change }] },
        createRng(seed),
      );
      const { notes, jumps } = accompany(perf.events, { techniques: ['synchronise'] }, seed);
      const change40 = perf.beats[40] as number;
      expect(recoveryBeats(perf.beats, notes, change40)).toBeLessThanOrEqual(4);
      // The companion heard the jump itself, and nowhere else: from the client's second beat at
      // the new tempo, so its own beat follows them from their third.
      expect(jumps).toHaveLength(1);
      expect(jumps[0] as number).toBeGreaterThan(change40);
      expect(jumps[0] as number).toBeLessThan((perf.beats[43] as number) + 0.03);
    }
  });

  it('hears no change of tempo in steady expressive playing: rubato, syncopation, dotted and triplet figures, fills', () => {
    let jumps = 0;
    let beats = 0;
    const rhythms = ['quarters', 'eighths', 'syncopated', 'dotted', 'triplets'] as const;
    for (const style of ['drums', 'hits', 'piano', 'melody'] as const) {
      for (const [k, rhythm] of rhythms.entries()) {
        if (style === 'drums' && k > 1) continue;
        const seed = 40 + k;
        const bpm = 70 + 12 * k;
        // A phrase that slows by 12% and recovers, then one that presses on by 10%: rubato, not a jump.
        const tempo = [
          { beats: 12 },
          { beats: 6, to: bpm * 0.88 },
          { beats: 6, to: bpm },
          { beats: 8, to: bpm * 1.1 },
          { beats: 8, to: bpm },
          { beats: 24 },
        ];
        const perf = simulatePlayer(
          { style, bpm, bars: 16, rhythm, tempo, jitterMs: 18, driftMs: 15, driftCorrelation: 0.7 },
          createRng(seed),
        );
        const result = accompany(perf.events, { techniques: ['synchronise'] }, seed);
        jumps += result.jumps.length;
        beats += perf.beats.length;
      }
    }
    expect(beats).toBeGreaterThan(1000);
    expect(jumps / beats).toBeLessThan(0.01);
  });
});

describe('idiom', () => {
  it('keeps every pitched note in the idiom scale in its key', () => {
    const perf = simulatePlayer(
      { style: 'piano', bpm: 96, bars: 8, key: { tonic: 'E', mode: 'major' } },
      createRng(2),
    );
    const voices = ['piano-left', 'piano-right', 'bass', 'mallets', 'pad', 'percussion'] as const;
    for (const idiom of [
      'major',
      'minor',
      'pentatonic',
      'dorian',
      'mixolydian',
      'phrygian',
      'whole-tone',
      'organum',
      'blues',
      'clusters',
    ]) {
      const { notes } = accompany(
        perf.events,
        { idiom, key: 'Bb', techniques: ['synchronise', 'match'], voices },
        2,
      );
      expect(notes.filter((n) => n.voice !== 'percussion').length).toBeGreaterThan(20);
      expect(scaleShare(notes, scaleOf(idiom, 10))).toBeGreaterThanOrEqual(0.98);
    }
  });

  it('takes the key from the client when left to them', () => {
    const perf = simulatePlayer(
      { style: 'piano', bpm: 96, bars: 16, key: { tonic: 'A', mode: 'minor' } },
      createRng(4),
    );
    const { notes } = accompany(perf.events, { techniques: ['synchronise'] }, 4);
    const late = notes.filter((n) => n.start > 15);
    expect(scaleShare(late, scaleOf('minor', 9))).toBeGreaterThanOrEqual(0.98);
  });
});

describe('match', () => {
  it('companion loudness follows the client through crescendo and diminuendo', () => {
    const rs: number[] = [];
    for (const seed of [1, 2, 3]) {
      const perf = simulatePlayer(
        {
          style: 'piano',
          bpm: 90,
          bars: 24,
          velocity: 50,
          dynamics: [
            { beats: 24, to: 110 },
            { beats: 24, to: 40 },
            { beats: 24, to: 90 },
          ],
        },
        createRng(seed),
      );
      const { notes } = accompany(perf.events, { techniques: ['synchronise', 'match'] }, seed);
      rs.push(correlation(smoothedVelocity(perf.events, 5, perf.end), velocityCurve(notes, perf.end)));
    }
    expect(median(rs)).toBeGreaterThanOrEqual(0.7);
  });

  it('plays more notes for a busy client than for a sparse one', () => {
    const count = (rhythm: 'halves' | 'eighths') => {
      const perf = simulatePlayer({ style: 'melody', bpm: 90, bars: 12, rhythm }, createRng(6));
      return accompany(perf.events, { techniques: ['match'] }, 6).notes.filter((n) => n.start > 8).length;
    };
    expect(count('eighths')).toBeGreaterThan(count('halves'));
  });
});

describe('reflect', () => {
  it('moves into the client register', () => {
    const centre = (register: number) => {
      const perf = simulatePlayer({ style: 'melody', bpm: 90, bars: 12, register }, createRng(7));
      const right = accompany(perf.events, { techniques: ['synchronise', 'reflect'] }, 7).notes.filter(
        (n) => n.voice === 'piano-right' && n.start > 8,
      );
      return median(right.map((n) => n.pitch));
    };
    expect(centre(84) - centre(52)).toBeGreaterThanOrEqual(12);
  });
});

describe('calm and intensify', () => {
  it('calm plays softer and sparser than intensify', () => {
    const perf = simulatePlayer({ style: 'drums', bpm: 100, bars: 12 }, createRng(8));
    const calm = accompany(perf.events, { techniques: ['synchronise', 'calm'] }, 8).notes.filter(
      (n) => n.start > 10,
    );
    const intense = accompany(perf.events, { techniques: ['synchronise', 'intensify'] }, 8).notes.filter(
      (n) => n.start > 10,
    );
    expect(onsetTimes(calm).length).toBeLessThan(onsetTimes(intense).length);
    expect(median(calm.map((n) => n.velocity))).toBeLessThan(median(intense.map((n) => n.velocity)));
  });
});

describe('ground', () => {
  it('with the tempo held at 90, keeps 95% of its onsets within 10 ms of a steady sixteenth grid', () => {
    for (const seed of [1, 2]) {
      const perf = simulatePlayer(
        {
          style: 'drums',
          bpm: 104,
          bars: 16,
          tempo: [
            { beats: 24, to: 80 },
            { beats: 24, change: 1.2 },
          ],
          jitterMs: 25,
        },
        createRng(seed),
      );
      const { notes } = accompany(
        perf.events,
        {
          techniques: ['ground'],
          tempo: { kind: 'hold', bpm: 90 },
          voices: ['bass', 'piano-left', 'percussion'],
        },
        seed,
      );
      expect(notes.length).toBeGreaterThan(50);
      expect(gridShare(onsetTimes(notes), 60 / 90 / 4, 0.01)).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('plays the bass on every beat', () => {
    const perf = simulatePlayer({ style: 'hits', bpm: 90, bars: 8 }, createRng(3));
    const bass = accompany(
      perf.events,
      { techniques: ['ground'], voices: ['bass', 'piano-right'] },
      3,
    ).notes.filter((n) => n.voice === 'bass');
    const { onBeats } = syncScore(perf.beats, bass, { ignoreBefore: 6, until: perf.end - 1 });
    expect(onBeats).toBeGreaterThanOrEqual(0.9);
  });
});

describe('dialogue', () => {
  it('answers in the client silences, within a beat of their phrase end, and stays out of their phrases', () => {
    for (const seed of [1, 2]) {
      const bpm = 84 + 10 * seed;
      const client = createReactivePlayer(
        { kind: 'call-and-response', style: 'melody', bpm, callBeats: 8, rhythm: 'eighths' },
        createRng(seed),
      );
      const result = duet(client, { techniques: ['dialogue'] }, seed, { ...LIVE_LOOP, until: 40 });
      const calls = client.truth().calls.map((c) => ({ start: c.start, end: soundEnd(result.client, c) }));
      expect(calls.length).toBeGreaterThanOrEqual(3);
      expect(overlapShare(calls, result.notes)).toBeLessThan(0.1);
      const delays = answerDelays(calls, result.notes).slice(0, -1);
      expect(delays.every((d) => d !== null && d > 0.5 * (60 / bpm) && d <= 60 / bpm)).toBe(true);
    }
  });
});

describe('lead', () => {
  it('takes a following client to the target tempo without leaving them a beat behind', () => {
    for (const [seed, target] of [
      [1, 108],
      [2, 66],
    ] as const) {
      const client = createReactivePlayer(
        { kind: 'follower', style: 'hits', bpm: 84, lag: 1, gain: 0.3 },
        createRng(seed),
      );
      const result = duet(
        client,
        { techniques: ['synchronise', 'lead'], tempo: { kind: 'guide', bpm: target } },
        seed,
        {
          ...LIVE_LOOP,
          until: 80,
        },
      );
      const truth = client.truth();
      const end = median(truth.tempo.filter((x) => x.t > 70).map((x) => x.bpm));
      expect(Math.abs(end - target)).toBeLessThan(0.03 * target);
      expect(beatsApart(truth.beats, result.beats)).toBeLessThan(1);
    }
  });

  it('waits for a client who does not follow', () => {
    const perf = simulatePlayer({ style: 'hits', bpm: 84, bars: 30 }, createRng(9));
    const result = accompany(
      perf.events,
      { techniques: ['synchronise', 'lead'], tempo: { kind: 'guide', bpm: 120 } },
      9,
    );
    const late = result.beats.filter((t) => t > 30);
    const periods = late.slice(1).map((t, i) => t - (late[i] as number));
    // Never more than one step (about 5%) ahead of a client who stays at 84.
    expect(60 / median(periods)).toBeLessThan(84 * 1.06);
  });
});

describe('make-space, fade-out and ending with a cadence (real material)', () => {
  const perf = simulatePlayer({ style: 'piano', bpm: 100, bars: 24 }, createRng(11));
  const settings = { techniques: ['synchronise', 'match'] as const, key: 'C', idiom: 'major' };

  it('make-space: silence within two beats, whenever it is asked for (held chords included)', () => {
    for (const at of [8, 9.1, 10.25, 12, 13.7, 15.3, 20]) {
      const result = accompany(perf.events, { ...settings, techniques: [...settings.techniques] }, 1, {
        ...LIVE_LOOP,
        steering: [{ control: { type: 'techniques', techniques: ['make-space'] }, at }],
      });
      const effective = result.controls[0]?.effective as number;
      expect(effective).toBeGreaterThanOrEqual(at);
      expect(effective).toBeLessThan(at + 0.7);
      // Two of the companion's beats from where it took effect, nothing sounds.
      const second = result.beats[result.beats.findIndex((t) => t >= effective - 1e-6) + 2] as number;
      const sounding = result.notes.filter((n) => n.start + n.duration > second + 0.001);
      expect(sounding).toEqual([]);
    }
  });

  it('fade-out: quieter bar by bar over the requested bars, then silent', () => {
    const result = accompany(perf.events, { ...settings, techniques: [...settings.techniques] }, 1, {
      ...LIVE_LOOP,
      steering: [{ control: { type: 'fade-out', bars: 3 }, at: 10 }],
    });
    const effective = result.controls[0]?.effective as number;
    const bar = 4 * 0.6;
    const loudness = [0, 1, 2].map((k) =>
      median(
        result.notes
          .filter((n) => n.start >= effective + k * bar && n.start < effective + (k + 1) * bar)
          .map((n) => n.velocity),
      ),
    );
    expect(loudness[1]).toBeLessThan(loudness[0] as number);
    expect(loudness[2]).toBeLessThan(loudness[1] as number);
    expect(result.notes.filter((n) => n.start >= effective + 3 * bar - 0.05)).toEqual([]);
  });

  it('end with a cadence: the last chord is the tonic, struck on a downbeat', () => {
    const result = accompany(perf.events, { ...settings, techniques: [...settings.techniques] }, 1, {
      ...LIVE_LOOP,
      steering: [{ control: { type: 'end', cadence: true }, at: 10 }],
    });
    const last = Math.max(...result.notes.map((n) => n.start));
    const chord = result.notes.filter((n) => Math.abs(n.start - last) < 1e-6);
    const lowest = Math.min(...chord.map((n) => n.pitch));
    expect(lowest % 12).toBe(0);
    expect(new Set(chord.map((n) => n.pitch % 12))).toEqual(new Set([0, 4, 7]));
    const index = result.beats.findIndex((t) => Math.abs(t - last) < 1e-6);
    expect(index % 4).toBe(0);
    expect(last - (result.controls[0]?.effective as number)).toBeLessThanOrEqual(3 * 4 * 0.6 + 1e-6);
  });
});

/** The end of a call's last sound. */
function soundEnd(events: readonly PlayedEvent[], call: { start: number; end: number }): number {
  let end = call.start;
  for (const e of events) {
    if (e.t >= call.start - 1e-6 && e.t <= call.end)
      end = Math.max(end, e.t + (e.type === 'note' ? e.duration : 0));
  }
  return end;
}
