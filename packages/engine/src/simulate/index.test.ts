import { describe, expect, it } from 'vitest';
import type { HitEvent, NoteEvent } from '../events/index.ts';
import { createRng } from '../random/index.ts';
import { GM_DRUMS, inScale, keyOf, type PlayerMode, simulatePlayer } from './index.ts';

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
};
const pitchOf = (e: NoteEvent | HitEvent): number => (e.type === 'note' ? e.pitch : e.instrument);
const nearest = (xs: readonly number[], t: number): number =>
  xs.reduce((a, b) => (Math.abs(b - t) < Math.abs(a - t) ? b : a));

describe('simulatePlayer: tempo and timing', () => {
  it('just works with a tempo and a length', () => {
    const p = simulatePlayer({ bpm: 92, bars: 16 }, createRng(1));
    expect(p.beats).toHaveLength(64);
    expect(p.downbeats).toHaveLength(16);
    expect(p.beats[1]! - p.beats[0]!).toBeCloseTo(60 / 92, 9);
    expect(p.events).toHaveLength(64);
    expect(p.key).toEqual({ tonic: 'C', tonicPc: 0, mode: 'major' });
    expect(p.pulsed).toBe(true);
    expect(p.phrases).toEqual([{ start: p.beats[0], end: p.end }]);
    expect(p.end).toBeCloseTo(p.beats[63]! + 60 / 92, 9);
  });

  it('places true beats on its tempo curve through a ritardando and a sudden change', () => {
    const p = simulatePlayer(
      { bpm: 120, bars: 12, tempo: [{ beats: 16, to: 80 }, { beats: 16 }, { change: 1.2, beats: 16 }] },
      createRng(2),
    );
    expect(p.tempo.map((x) => x.t)).toEqual(p.beats);
    for (let k = 0; k + 1 < p.beats.length; k++) {
      // Each beat lasts one period at the tempo halfway through it (within the curvature of the
      // ramp); a sudden change takes effect on its beat, so the beat before it keeps the old tempo.
      const period = p.beats[k + 1]! - p.beats[k]!;
      const mid = k === 31 ? p.tempo[k]!.bpm : (p.tempo[k]!.bpm + p.tempo[k + 1]!.bpm) / 2;
      expect(Math.abs(period - 60 / mid) / period).toBeLessThan(0.002);
    }
    expect(p.tempo[16]!.bpm).toBeCloseTo(80, 9);
    expect(p.tempo[32]!.bpm).toBeCloseTo(96, 9);
    expect(p.beats[33]! - p.beats[32]!).toBeCloseTo(60 / 96, 9);
  });

  it('plays on the beat within its motor noise', () => {
    const p = simulatePlayer({ bpm: 100, bars: 50, jitterMs: 15 }, createRng(3));
    const errors = p.events.map((e) => e.t - nearest(p.beats, e.t));
    expect(sd(errors) * 1000).toBeGreaterThan(12);
    expect(sd(errors) * 1000).toBeLessThan(18);
    expect(Math.abs(mean(errors)) * 1000).toBeLessThan(3);
    expect(Math.max(...errors.map(Math.abs)) * 1000).toBeLessThan(5 * 15);
    // The intended times are the beats themselves.
    expect(p.intended).toEqual(p.beats);
  });

  it('plays exactly on the beat without motor noise', () => {
    const p = simulatePlayer({ bpm: 77, bars: 4, jitterMs: 0, rhythm: 'eighths' }, createRng(4));
    const times = p.events.map((e) => e.t);
    expect(times.filter((_, i) => i % 2 === 0)).toEqual(p.beats);
    expect(times[1]! - times[0]!).toBeCloseTo(30 / 77, 12);
  });

  it('drifts with lag-1 correlation when asked, and not otherwise', () => {
    const lag1 = (xs: readonly number[]): number => {
      const m = mean(xs);
      let num = 0;
      for (let i = 1; i < xs.length; i++) num += (xs[i]! - m) * (xs[i - 1]! - m);
      return num / xs.reduce((s, x) => s + (x - m) ** 2, 0);
    };
    const errorsOf = (p: ReturnType<typeof simulatePlayer>): number[] =>
      p.events.map((e, i) => e.t - p.intended[i]!);
    const drifting = errorsOf(
      simulatePlayer({ bpm: 100, bars: 100, jitterMs: 2, driftMs: 20, driftCorrelation: 0.95 }, createRng(5)),
    );
    const steady = errorsOf(simulatePlayer({ bpm: 100, bars: 100, jitterMs: 20 }, createRng(5)));
    expect(lag1(drifting)).toBeGreaterThan(0.8);
    expect(Math.abs(lag1(steady))).toBeLessThan(0.1);
    expect(sd(drifting) * 1000).toBeGreaterThan(10);
  });
});

describe('simulatePlayer: rhythm, drums and dynamics', () => {
  it('places named rhythms within each beat', () => {
    const positions = (rhythm: 'eighths' | 'dotted' | 'triplets' | 'syncopated'): number[] => {
      const p = simulatePlayer({ bpm: 60, bars: 1, jitterMs: 0, start: 0, rhythm }, createRng(6));
      return p.events.map((e) => Math.round(e.t * 1000) / 1000);
    };
    expect(positions('eighths')).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
    expect(positions('dotted')).toEqual([0, 0.75, 1, 1.75, 2, 2.75, 3, 3.75]);
    expect(positions('triplets')).toHaveLength(12);
    expect(positions('syncopated')).toEqual([0, 1, 1.5, 2, 3.5]);
  });

  it('leaves beats out with the asked probability', () => {
    const p = simulatePlayer({ bpm: 100, bars: 200, missing: 0.3 }, createRng(7));
    expect(p.beats).toHaveLength(800);
    expect(p.events.length / 800).toBeGreaterThan(0.65);
    expect(p.events.length / 800).toBeLessThan(0.75);
  });

  it('plays a rock groove with a fill every four bars and a crash after it', () => {
    const p = simulatePlayer({ bpm: 120, bars: 8, style: 'drums', jitterMs: 0, start: 0 }, createRng(8));
    expect(p.key).toBeNull();
    const hits = p.events as HitEvent[];
    expect(hits.every((e) => e.type === 'hit')).toBe(true);
    const at = (beat: number): number[] =>
      hits
        .filter((e) => Math.abs(e.t - beat * 0.5) < 1e-9)
        .map((e) => e.instrument)
        .sort();
    expect(at(0)).toEqual([GM_DRUMS.kick, GM_DRUMS.closedHat]);
    expect(at(1)).toEqual([GM_DRUMS.snare, GM_DRUMS.closedHat].sort());
    const toms = hits.filter((e) => e.instrument === GM_DRUMS.highTom || e.instrument === GM_DRUMS.floorTom);
    const bars = [...new Set(toms.map((e) => Math.floor(e.t / 2)))];
    expect(bars).toEqual([3, 7]);
    expect(hits.filter((e) => e.instrument === GM_DRUMS.crash).map((e) => e.t)).toEqual([8]);
  });

  it('writes drums as GM percussion notes on channel 9 when asked', () => {
    const p = simulatePlayer({ bpm: 100, bars: 2, style: 'drums', drumOutput: 'notes' }, createRng(9));
    expect(p.events.length).toBeGreaterThan(20);
    for (const e of p.events) {
      expect(e.type).toBe('note');
      if (e.type === 'note') {
        expect(e.channel).toBe(9);
        expect(e.pitch).toBeGreaterThanOrEqual(35);
        expect(e.pitch).toBeLessThanOrEqual(81);
      }
    }
  });

  it('accents downbeats and follows a crescendo', () => {
    const p = simulatePlayer(
      { bpm: 100, bars: 64, velocity: 70, velocitySd: 4, accent: 20, dynamics: [{ beats: 256, to: 70 }] },
      createRng(10),
    );
    const down = p.events.filter((e) => p.downbeats.includes(p.intended[p.events.indexOf(e)]!));
    const rest = p.events.filter((e) => !down.includes(e));
    expect(mean(down.map((e) => e.velocity)) - mean(rest.map((e) => e.velocity))).toBeGreaterThan(8);
    const cresc = simulatePlayer(
      { bpm: 100, bars: 8, velocity: 40, velocitySd: 0, accent: 0, dynamics: [{ beats: 32, to: 100 }] },
      createRng(11),
    );
    const v = cresc.events.map((e) => e.velocity);
    expect(v[0]).toBe(40);
    expect(v[16]).toBe(70);
    for (let i = 1; i < v.length; i++) expect(v[i]!).toBeGreaterThanOrEqual(v[i - 1]!);
  });
});

describe('simulatePlayer: pitch', () => {
  const modes: PlayerMode[] = [
    'major',
    'minor',
    'dorian',
    'phrygian',
    'lydian',
    'mixolydian',
    'major-pentatonic',
    'minor-pentatonic',
  ];
  it.each(modes)('keeps melody, piano and unpulsed playing in the scale of %s', (mode) => {
    for (const [tonic, style] of [
      ['F#', 'melody'],
      ['Bb', 'piano'],
      ['E', 'unpulsed'],
    ] as const) {
      const p = simulatePlayer(
        { bpm: 100, bars: 16, style, rhythm: 'eighths', key: { tonic, mode }, leap: 0.4 },
        createRng(12),
      );
      expect(p.key).toEqual(keyOf(tonic, mode));
      expect(p.events.length).toBeGreaterThan(20);
      for (const e of p.events) expect(inScale(pitchOf(e), p.key!)).toBe(true);
      // Melodies move: several pitches, mostly by small steps.
      const pitches = p.events.map(pitchOf);
      expect(new Set(pitches).size).toBeGreaterThan(3);
    }
  });

  it('keeps the melody in its register and range, and the piano bass below it on strong beats', () => {
    const p = simulatePlayer({ bpm: 100, bars: 32, register: 72, range: 7, leap: 0.5 }, createRng(13));
    const pitches = p.events.map(pitchOf);
    expect(Math.min(...pitches)).toBeGreaterThanOrEqual(69);
    expect(Math.max(...pitches)).toBeLessThanOrEqual(76);
    const piano = simulatePlayer({ bpm: 100, bars: 4, style: 'piano', jitterMs: 0 }, createRng(14));
    const onDownbeat = piano.events.filter((e) => piano.downbeats.some((d) => Math.abs(d - e.t) < 1e-9));
    const bass = Math.min(...onDownbeat.map(pitchOf));
    expect(bass).toBeLessThan(55);
    // The bass plays the root of each bar's chord: I IV V I in C.
    const roots = piano.downbeats.map((d) =>
      Math.min(...piano.events.filter((e) => Math.abs(e.t - d) < 1e-9).map(pitchOf)),
    );
    expect(roots.map((r) => r % 12)).toEqual([0, 5, 7, 0]);
  });

  it('lands on a tone of the bar’s chord on strong beats', () => {
    const p = simulatePlayer(
      {
        bpm: 100,
        bars: 32,
        rhythm: 'eighths',
        key: { tonic: 'D', mode: 'dorian' },
        harmony: [0, 3, 4, 6],
        leap: 0.5,
      },
      createRng(21),
    );
    // D dorian: i (D F A), IV (G B D), v (A C E), VII (C E G).
    const chords = [
      [2, 5, 9],
      [7, 11, 2],
      [9, 0, 4],
      [0, 4, 7],
    ];
    let strong = 0;
    p.events.forEach((e, i) => {
      const k = p.beats.indexOf(p.intended[i]!);
      if (k < 0 || k % 2 !== 0) return;
      strong++;
      expect(chords[Math.floor(k / 4) % 4]).toContain(pitchOf(e) % 12);
    });
    expect(strong).toBe(64);
  });

  it('ends each phrase on the tonic', () => {
    const p = simulatePlayer({ bpm: 100, bars: 16, phrase: { bars: 4, breath: 2 } }, createRng(15));
    for (const phrase of p.phrases) {
      const inside = p.events.filter(
        (_e, i) => p.intended[i]! >= phrase.start && p.intended[i]! < phrase.end,
      );
      expect(pitchOf(inside[inside.length - 1]!) % 12).toBe(0);
    }
  });
});

describe('simulatePlayer: rests and phrases', () => {
  const onsetsIn = (events: readonly { t: number }[], start: number, end: number): number =>
    events.filter((e) => e.t >= start && e.t < end).length;

  it('keeps the pulse through a rest in tempo and stops it for a rest out of tempo', () => {
    const p = simulatePlayer(
      {
        bpm: 120,
        bars: 8,
        rhythm: 'eighths',
        jitterMs: 20,
        pauses: [
          { at: 6, beats: 3 },
          { at: 16, seconds: 1.37 },
          { at: 24, seconds: 1.1, inTempo: true },
        ],
      },
      createRng(16),
    );
    expect(p.beats).toHaveLength(32);
    expect(p.pauses).toHaveLength(3);
    const [inTempo, outOfTempo, rounded] = p.pauses;
    expect(inTempo).toEqual({ start: p.beats[6], end: p.beats[9], inTempo: true });
    expect(outOfTempo!.inTempo).toBe(false);
    expect(outOfTempo!.end - outOfTempo!.start).toBeCloseTo(1.37, 9);
    // Out of tempo the pulse stops: the beat after the rest comes a whole rest late.
    expect(p.beats[16]! - p.beats[15]!).toBeCloseTo(0.5 + 1.37, 9);
    expect(p.beats[9]! - p.beats[8]!).toBeCloseTo(0.5, 9);
    // 1.1 s at 120 BPM rounds to two whole beats.
    expect(rounded).toEqual({ start: p.beats[24], end: p.beats[26], inTempo: true });
    for (const pause of p.pauses) {
      expect(onsetsIn(p.events, pause.start, pause.end)).toBe(0);
      // Nothing sounds on into the rest either.
      for (const e of p.events)
        if (e.t < pause.start && e.type === 'note') expect(e.t + e.duration).toBeLessThanOrEqual(pause.start);
    }
    expect(p.phrases).toHaveLength(4);
  });

  it('breathes at the end of each phrase', () => {
    const p = simulatePlayer(
      { bpm: 90, bars: 16, rhythm: 'eighths', jitterMs: 25, phrase: { bars: 4, breath: 1.5 } },
      createRng(17),
    );
    expect(p.phrases).toHaveLength(4);
    p.phrases.forEach((phrase, i) => {
      expect(phrase.start).toBeCloseTo(p.downbeats[4 * i]!, 9);
      expect(onsetsIn(p.events, phrase.start - 0.1, phrase.end)).toBeGreaterThan(20);
      const next = p.phrases[i + 1]?.start ?? p.end;
      expect(next - phrase.end).toBeCloseTo(1.5 * (60 / 90), 9);
      expect(onsetsIn(p.events, phrase.end, next)).toBe(0);
    });
  });

  it('keeps rests and breaths silent however loose the player', () => {
    for (let seed = 30; seed < 40; seed++) {
      const p = simulatePlayer(
        {
          bpm: 140,
          bars: 8,
          rhythm: 'dotted',
          style: 'piano',
          jitterMs: 80,
          driftMs: 40,
          phrase: { bars: 2, breath: 0.5 },
          pauses: [
            { at: 9, beats: 1 },
            { at: 20, seconds: 0.3 },
          ],
        },
        createRng(seed),
      );
      const silences = [
        ...p.pauses,
        ...p.phrases.slice(0, -1).map((ph, i) => ({ start: ph.end, end: p.phrases[i + 1]!.start })),
      ];
      for (const q of silences) {
        expect(onsetsIn(p.events, q.start, q.end)).toBe(0);
        for (const e of p.events) {
          if (e.t < q.start && e.type === 'note') expect(e.t + e.duration).toBeLessThanOrEqual(q.start);
        }
      }
    }
  });

  it('plays unpulsed gestures with irregular onsets and silences between them', () => {
    const p = simulatePlayer({ bpm: 100, style: 'unpulsed', seconds: 60, rate: 4 }, createRng(18));
    expect(p.pulsed).toBe(false);
    expect(p.beats).toEqual([]);
    expect(p.tempo).toEqual([]);
    expect(p.phrases.length).toBeGreaterThan(8);
    expect(p.pauses).toHaveLength(p.phrases.length - 1);
    for (const pause of p.pauses) {
      expect(pause.end - pause.start).toBeGreaterThan(0.5);
      expect(onsetsIn(p.events, pause.start, pause.end)).toBe(0);
    }
    const iois = p.phrases.flatMap((ph) => {
      const inside = p.events.filter((e) => e.t >= ph.start && e.t < ph.end).map((e) => e.t);
      return inside.slice(1).map((t, i) => t - inside[i]!);
    });
    // A Poisson process: intervals spread as widely as their mean, with no recurring period.
    expect(sd(iois) / mean(iois)).toBeGreaterThan(0.6);
    expect(mean(iois)).toBeGreaterThan(0.2);
    expect(mean(iois)).toBeLessThan(0.4);
  });
});

describe('simulatePlayer: every combination makes well-formed events', () => {
  const styles = ['melody', 'hits', 'drums', 'piano', 'unpulsed'] as const;
  const rhythms = ['quarters', 'halves', 'eighths', 'triplets', 'dotted', 'syncopated'] as const;
  const grooves = ['rock', 'four-on-the-floor', 'half-time'] as const;
  it.each(styles)('%s in metres of 1 to 7 beats', (style) => {
    let seed = 100;
    for (let beatsPerBar = 1; beatsPerBar <= 7; beatsPerBar++) {
      for (const rhythm of rhythms) {
        const groove = grooves[seed % grooves.length]!;
        const p = simulatePlayer(
          {
            bpm: 60 + (seed % 90),
            bars: 5,
            beatsPerBar,
            style,
            rhythm,
            groove,
            fillEvery: 2,
            driftMs: 10,
            missing: 0.1,
            phrase: style === 'unpulsed' ? undefined : { bars: 2, breath: 0.5 },
            drumOutput: seed % 2 === 0 ? 'hits' : 'notes',
          },
          createRng(seed++),
        );
        expect(p.events.length).toBeGreaterThan(0);
        expect(p.intended).toHaveLength(p.events.length);
        p.events.forEach((e, i) => {
          if (i > 0) expect(e.t).toBeGreaterThanOrEqual(p.events[i - 1]!.t);
          expect(e.t).toBeGreaterThanOrEqual(0);
          expect(e.t).toBeLessThan(p.end + 0.1);
          expect(Number.isInteger(e.velocity) && e.velocity >= 1 && e.velocity <= 127).toBe(true);
          const pitch = pitchOf(e);
          expect(Number.isInteger(pitch) && pitch >= 0 && pitch <= 127).toBe(true);
          if (e.type === 'note') expect(e.duration).toBeGreaterThan(0);
        });
        for (const phrase of p.phrases) expect(phrase.end).toBeGreaterThan(phrase.start);
      }
    }
  });
});

describe('simulatePlayer: determinism and bad specs', () => {
  const spec = { bpm: 96, bars: 8, style: 'piano', driftMs: 10, missing: 0.1 } as const;
  it('replays the same performance for a seed and another for another seed', () => {
    const a = simulatePlayer(spec, createRng(19));
    expect(simulatePlayer(spec, createRng(19))).toEqual(a);
    const b = simulatePlayer(spec, createRng(20));
    expect(b.beats).toEqual(a.beats);
    expect(b.events.map((e) => [e.t, pitchOf(e)])).not.toEqual(a.events.map((e) => [e.t, pitchOf(e)]));
  });

  it.each([
    [{ bpm: -92 }, 'got: -92'],
    [{ bpm: 0 }, 'got: 0'],
    [{ bars: 0 }, 'got: 0'],
    [{ bars: 2.5 }, 'got: 2.5'],
    [{ beatsPerBar: 0 }, 'got: 0'],
    [{ range: 0 }, 'got: 0'],
    [{ range: -4 }, 'got: -4'],
    [{ register: 130 }, 'got: 130'],
    [{ register: 125, range: 12 }, 'got: 119–131'],
    [{ register: 65.5, range: 1, key: { tonic: 'C', mode: 'major-pentatonic' } }, 'got: 65–66'],
    [{ velocity: 200 }, 'got: 200'],
    [{ velocitySd: -1 }, 'got: -1'],
    [{ jitterMs: -5 }, 'got: -5'],
    [{ driftCorrelation: 1 }, 'got: 1'],
    [{ missing: 1.5 }, 'got: 1.5'],
    [{ leap: -0.1 }, 'got: -0.1'],
    [{ articulation: 0 }, 'got: 0'],
    [{ style: 'harp' }, 'got: harp'],
    [{ key: { tonic: 'H' } }, 'got: H'],
    [{ key: { tonic: 12 } }, 'got: 12'],
    [{ key: { mode: 'locrian' } }, 'got: locrian'],
    [{ rhythm: [0, 4.5] }, 'got: 4.5'],
    [{ rhythm: [] }, 'got: []'],
    [{ harmony: [] }, 'got: []'],
    [{ groove: { kick: [0], snare: [-1], hat: [] }, style: 'drums' }, 'got: -1'],
    [{ fillEvery: -1 }, 'got: -1'],
    [{ instrument: 300 }, 'got: 300'],
    [{ channel: 16 }, 'got: 16'],
    [{ tempo: [{ beats: 4, to: -3 }] }, 'got: -3'],
    [{ pauses: [{ at: 40, beats: 2 }] }, 'got: 40'],
    [{ pauses: [{ at: 2, beats: -2 }] }, 'got: -2'],
    [{ pauses: [{ at: 2 }] }, 'beats=undefined, seconds=undefined'],
    [
      {
        pauses: [
          { at: 2, beats: 4 },
          { at: 4, beats: 1 },
        ],
      },
      'got: 4',
    ],
    [{ phrase: { bars: 0 } }, 'got: 0'],
    [{ phrase: { bars: 2, breath: 8 } }, 'got: 8'],
    [{ dynamics: [{ beats: 8, to: 0 }] }, 'got: 0'],
    [{ rate: 0, style: 'unpulsed' }, 'got: 0'],
    [{ style: 'unpulsed', pauses: [{ at: 0, beats: 1 }] }, 'pauses and phrase do not apply'],
  ])('rejects %j naming the bad value', (bad, message) => {
    expect(() => simulatePlayer(bad as Parameters<typeof simulatePlayer>[0], createRng(1))).toThrow(message);
  });
});
