import { describe, expect, it } from 'vitest';
import { HarmonyPlanner, spellChord, type Voicing, voiceChord } from '../harmony/index.ts';
import { allIdioms, scaleOf } from '../idiom/index.ts';
import { createRng } from '../random/index.ts';
import {
  GM,
  suggestTexture,
  TEXTURE_STYLES,
  type TextureInput,
  type TextureNote,
  type TextureStyle,
  texture,
  type Voice,
} from './index.ts';

const VOICE_NAMES = Object.keys(TEXTURE_STYLES) as Voice[];
const everyStyle = (): [Voice, TextureStyle][] =>
  VOICE_NAMES.flatMap((voice) =>
    TEXTURE_STYLES[voice].map((style) => [voice, style] as [Voice, TextureStyle]),
  );
const play = (voice: Voice, style: TextureStyle, input: TextureInput): TextureNote[] =>
  texture(voice, style as TextureStyle<typeof voice>, input);
const GM_KEYS = new Set<number>(Object.values(GM));

const cMajor = voiceChord(spellChord('major', 'I', 0), null);
const fMajor = voiceChord(spellChord('major', 'IV', 0), cMajor);
const base: TextureInput = {
  voicing: cMajor,
  start: 0,
  duration: 4,
  energy: 0.5,
  velocity: 80,
  next: fMajor,
};

describe('texture', () => {
  it('keeps every pitched note in the idiom scale, for every idiom, key, voice and style, over many seeds', () => {
    const problems: string[] = [];
    for (const idiom of allIdioms()) {
      for (let tonic = 0; tonic < 12; tonic++) {
        const scale = scaleOf(idiom, tonic);
        const rng = createRng(tonic * 97 + idiom.name.length);
        const steps = new HarmonyPlanner(idiom, tonic, rng.fork(), {
          beatsPerChord: rng.pick([2, 4, 8]),
        }).stepsIn(0, 48);
        steps.forEach((step, i) => {
          for (const [voice, style] of everyStyle()) {
            const notes = play(voice, style, {
              voicing: step.voicing,
              start: step.start,
              duration: step.duration,
              energy: rng.next(),
              velocity: rng.int(20, 120),
              scale,
              next: steps[i + 1]?.voicing ?? null,
              pattern: rng.int(0, 9),
              ending: step.phraseEnd && rng.chance(0.5),
              octaves: voice === 'percussion' ? 0 : rng.int(-1, 1),
            });
            const ringing = new Map<number, number>();
            for (const n of notes) {
              const where = `${idiom.name} in ${tonic}, ${voice} ${style} at ${n.start}: ${n.pitch}`;
              // A key is struck again only after its previous note has ended.
              if ((ringing.get(n.pitch) ?? Number.NEGATIVE_INFINITY) > n.start + 1e-9)
                problems.push(`${where} overlaps itself`);
              ringing.set(n.pitch, n.start + n.duration);
              if (!(n.duration > 0)) problems.push(`${where} has duration ${n.duration}`);
              if (voice === 'percussion') {
                if (!GM_KEYS.has(n.pitch)) problems.push(`${where} is not a GM percussion key`);
              } else if (!scale.includes(n.pitch % 12)) problems.push(`${where} is outside the scale`);
              if (n.start < step.start - 1e-9 || n.start >= step.start + step.duration) {
                problems.push(`${where} starts outside its chord`);
              }
              if (n.start + n.duration > step.start + step.duration + 1e-9)
                problems.push(`${where} outlasts its chord`);
              if (!(n.velocity >= 1 && n.velocity <= 127 && Number.isInteger(n.velocity))) {
                problems.push(`${where} has velocity ${n.velocity}`);
              }
              if (n.voice !== voice) problems.push(`${where} is labelled ${n.voice}`);
            }
          }
        });
      }
    }
    expect(problems).toEqual([]);
  });

  it('plays fewer and softer notes at energy 0.2 than at 0.9, in every voice and style', () => {
    for (const [voice, style] of everyStyle()) {
      const calm = play(voice, style, { ...base, energy: 0.2 });
      const intense = play(voice, style, { ...base, energy: 0.9 });
      const mean = (ns: TextureNote[]) => ns.reduce((s, n) => s + n.velocity, 0) / ns.length;
      expect(calm.length, `${voice} ${style}`).toBeGreaterThan(0);
      expect(calm.length, `${voice} ${style}`).toBeLessThan(intense.length);
      expect(mean(calm), `${voice} ${style}`).toBeLessThan(mean(intense));
    }
  });

  it('plays longer notes when calm', () => {
    for (const [voice, style] of everyStyle()) {
      if (voice === 'percussion') continue;
      const longest = (ns: TextureNote[]) => Math.max(...ns.map((n) => n.duration));
      expect(
        longest(play(voice, style, { ...base, energy: 0.2 })),
        `${voice} ${style}`,
      ).toBeGreaterThanOrEqual(longest(play(voice, style, { ...base, energy: 0.9 })));
    }
  });

  it('follows the client’s loudness', () => {
    for (const [voice, style] of everyStyle()) {
      const soft = play(voice, style, { ...base, velocity: 40 });
      const loud = play(voice, style, { ...base, velocity: 110 });
      expect(Math.max(...soft.map((n) => n.velocity))).toBeLessThan(Math.max(...loud.map((n) => n.velocity)));
    }
  });

  it('accents the downbeat', () => {
    const notes = play('piano-right', 'block', { ...base, energy: 0.9 });
    const at = (t: number) => notes.find((n) => n.start === t)?.velocity ?? 0;
    expect(at(0)).toBeGreaterThan(at(1));
    expect(at(1)).toBeGreaterThan(at(0.5));
    expect(at(2)).toBeGreaterThan(at(1));
  });

  it('counts the beat grid from the bar line, not from the chord', () => {
    // A chord starting on beat 3 of a bar that began at beat 1: its downbeat is at 5.
    const notes = play('bass', 'root', { ...base, start: 3, duration: 4, barStart: 1, energy: 0.4 });
    expect(notes.map((n) => n.start)).toEqual([3, 5]);
    expect((notes[1] as TextureNote).velocity).toBeGreaterThan((notes[0] as TextureNote).velocity);
  });

  it('is a pure function of its input', () => {
    for (const [voice, style] of everyStyle()) {
      expect(play(voice, style, { ...base, pattern: 3 })).toEqual(
        play(voice, style, { ...base, pattern: 3 }),
      );
    }
  });

  it('ends a phrase with one held chord and a breath before the bar line', () => {
    for (const [voice, style] of everyStyle()) {
      const notes = play(voice, style, { ...base, energy: 0.9, ending: true });
      expect(new Set(notes.map((n) => n.start))).toEqual(new Set([0]));
      if (voice !== 'percussion') for (const n of notes) expect(n.duration).toBe(3.5);
    }
  });

  it('shifts the register by whole octaves', () => {
    const plain = play('piano-right', 'broken', base);
    const higher = play('piano-right', 'broken', { ...base, octaves: 1 });
    expect(higher.map((n) => n.pitch)).toEqual(plain.map((n) => n.pitch + 12));
  });

  it('gives no notes for an empty span and refuses bad arguments, naming the value', () => {
    expect(play('bass', 'root', { ...base, duration: 0 })).toEqual([]);
    expect(play('bass', 'root', { ...base, duration: -2 })).toEqual([]);
    expect(play('bass', 'root', { ...base, start: Number.NaN })).toEqual([]);
    expect(() => play('bass', 'alberti' as TextureStyle, base)).toThrow(
      'voice "bass" has no texture "alberti"; valid textures: root, root-fifth, walking, drone',
    );
    expect(() => play('bass', 'root', { ...base, energy: 1.5 })).toThrow('got: 1.5');
    expect(() => play('bass', 'root', { ...base, velocity: 0 })).toThrow('got: 0');
    expect(() => play('bass', 'root', { ...base, octaves: 0.5 })).toThrow('got: 0.5');
    expect(() => play('bass', 'root', { ...base, beatsPerBar: 0 })).toThrow('got: 0');
  });
});

describe('voices', () => {
  it('walks the bass through the blues into each next chord by a scale step', () => {
    const symbols = ['I7', 'IV7', 'I7', 'I7', 'IV7', 'IV7', 'I7', 'I7', 'V7sus4', 'IV7', 'I7', 'V7sus4'];
    const voicings: Voicing[] = [];
    for (const s of symbols)
      voicings.push(voiceChord(spellChord('blues', s, 0), voicings[voicings.length - 1] ?? null));
    const scale = scaleOf('blues', 0);
    voicings.forEach((v, i) => {
      const next = voicings[(i + 1) % voicings.length] as Voicing;
      const line = play('bass', 'walking', { ...base, voicing: v, next, scale, energy: 0.6 }).map(
        (n) => n.pitch,
      );
      expect(line).toHaveLength(4);
      expect(line[0]).toBe(v.bass);
      const approach = line[3] as number;
      expect(Math.abs(approach - next.bass)).toBeGreaterThan(0);
      expect(Math.abs(approach - next.bass)).toBeLessThanOrEqual(2);
      for (let k = 1; k < 4; k++) expect(line[k]).not.toBe(line[k - 1]);
    });
    // The first bar, C7 into F7: C, B flat, G, E, then F.
    expect(
      play('bass', 'walking', {
        ...base,
        voicing: voicings[0] as Voicing,
        next: voicings[1] ?? null,
        scale,
        energy: 0.6,
      }).map((n) => n.pitch),
    ).toEqual([48, 46, 43, 40]);
  });

  it('alternates root and fifth', () => {
    const line = play('bass', 'root-fifth', { ...base, energy: 0.6 }).map((n) => n.pitch);
    expect(line).toEqual([cMajor.bass, cMajor.bass + 7, cMajor.bass, cMajor.bass + 7]);
  });

  it('holds a drone on the tonic whatever the chord', () => {
    const bII = voiceChord(spellChord('phrygian', 'bII', 4), null);
    const notes = play('bass', 'drone', {
      ...base,
      voicing: bII,
      scale: scaleOf('phrygian', 4),
      energy: 0.2,
    });
    expect(notes.map((n) => n.pitch % 12)).toEqual([4]);
    expect(notes[0]?.duration).toBe(4);
  });

  it('lets a ringing broken chord re-strike its notes cleanly', () => {
    const notes = play('piano-left', 'broken', { ...base, energy: 0.2 });
    expect(notes.map((n) => [n.start, n.pitch, n.duration])).toEqual([
      [0, cMajor.bass, 4],
      [1, cMajor.left[0], 2],
      [2, cMajor.left[1], 2],
      [3, cMajor.left[0], 1],
    ]);
  });

  it('plays Alberti as low, high, middle, high', () => {
    const notes = play('piano-right', 'alberti', { ...base, energy: 0.5 });
    const [low, middle, high] = cMajor.right as [number, number, number];
    expect(notes.slice(0, 4).map((n) => n.pitch)).toEqual([low, high, middle, high]);
  });

  it('keeps a mallet ostinato’s shape bar after bar and across chord changes', () => {
    const contour = (v: Voicing, start: number) =>
      play('mallets', 'ostinato', { ...base, voicing: v, start, energy: 0.5, pattern: 1 })
        .map((n) => n.pitch)
        .map((p, i, ps) => Math.sign(p - (ps[i - 1] ?? p)));
    expect(contour(cMajor, 0)).toEqual(contour(fMajor, 4));
    const notes = play('mallets', 'ostinato', { ...base, duration: 8, energy: 0.5, pattern: 2 }).map(
      (n) => n.pitch,
    );
    expect(notes.slice(0, 8)).toEqual(notes.slice(8, 16));
    expect(Math.min(...notes)).toBeGreaterThan(Math.max(...cMajor.right) - 12);
  });

  it('trembles faster as energy rises', () => {
    const rate = (e: number) => play('piano-right', 'tremolo', { ...base, energy: e }).length;
    expect(rate(0.1)).toBeLessThan(rate(0.5));
    expect(rate(0.5)).toBeLessThan(rate(0.95));
  });

  it('marks only the downbeat with a calm heartbeat, and drives with kick, snare and hi-hat', () => {
    const calm = play('percussion', 'heartbeat', { ...base, energy: 0.1 });
    expect(calm.map((n) => [n.start, n.pitch])).toEqual([[0, GM.bassDrum]]);
    const driving = play('percussion', 'drive', { ...base, energy: 0.8 });
    const keys = new Set(driving.map((n) => n.pitch));
    expect(keys).toEqual(new Set([GM.bassDrum, GM.snare, GM.closedHat, GM.openHat]));
    expect(driving.filter((n) => n.pitch === GM.snare).map((n) => n.start)).toEqual([1, 3]);
  });

  it('sustains the pad over the whole chord', () => {
    const notes = play('pad', 'sustain', { ...base, energy: 0.3 });
    expect(notes.map((n) => n.pitch)).toEqual([...cMajor.left, ...cMajor.right]);
    for (const n of notes) expect(n.duration).toBe(4);
  });
});

describe('suggestTexture', () => {
  it('chooses calm textures at low energy and intense ones at high energy, from the idiom’s own', () => {
    expect(suggestTexture('organum', 'bass', 0.2)).toBe('drone');
    expect(suggestTexture('clusters', 'piano-right', 0.9)).toBe('tremolo');
    expect(suggestTexture('major', 'piano-right', 0.1)).toBe('chorale');
    expect(suggestTexture('blues', 'bass', 0.7)).toBe('walking');
    for (const idiom of allIdioms()) {
      for (const voice of VOICE_NAMES) {
        for (const energy of [0, 0.5, 1]) {
          expect(idiom.textures[voice] as readonly string[]).toContain(suggestTexture(idiom, voice, energy));
        }
      }
    }
  });
});
