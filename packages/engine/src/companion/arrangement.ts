/**
 * The companion's material from the idiom, harmony and texture modules: the idiom's progressions
 * chosen phrase by phrase (its cadence when a cadence is asked for), each chord voiced with smooth
 * voice leading, and each voice's figure for the beat shaped by the techniques (how many onsets,
 * how loud, how high, how bright, how long).
 */

import { type Chord, spellChord, type Voicing, voiceChord } from '../harmony/index.ts';
import { getIdiom, type Idiom, idiomForMode, idiomNames, scaleOf } from '../idiom/index.ts';
import type { Rng } from '../random/index.ts';
import type { Shaping } from '../technique/index.ts';
import type { Midi } from '../time/index.ts';
import type { BeatNote, BeatRequest, Material } from './material.ts';
import type { Voice } from './settings.ts';

/** General MIDI percussion keys the percussion voice plays. */
const BASS_DRUM = 36;
const HAND_DRUM = 64;
const SHAKER = 70;

interface Harmony {
  idiom: string;
  tonicPc: number;
  progression: readonly string[];
  step: number;
  chord: Chord;
  voicing: Voicing;
  bar: number;
}

/** Builds the material over the engine's idioms. */
export function idiomMaterial(): Material {
  let state: Harmony | null = null;
  const names = new Set<string>(idiomNames());

  const choose = (idiom: Idiom, rng: Rng): readonly string[] => {
    const motion = idiom.motion;
    const options = [...motion.progressions, ...motion.vamps];
    return options.length > 0 ? rng.pick(options) : [idiom.tonic];
  };

  const harmonyAt = (request: BeatRequest): Harmony => {
    const idiom = getIdiom(request.idiom);
    const previous = state;
    const sameFrame =
      previous !== null && previous.idiom === request.idiom && previous.tonicPc === request.tonicPc;
    const downbeat = request.beatInBar === 0;
    if (
      sameFrame &&
      previous !== null &&
      (!downbeat || previous.bar === request.bar) &&
      request.role !== 'tonic'
    ) {
      if (request.role !== 'dominant' || previous.chord.symbol === dominantOf(idiom)) return previous;
    }
    let progression = sameFrame && previous !== null ? previous.progression : choose(idiom, request.rng);
    let step =
      sameFrame && previous !== null ? previous.step + (downbeat && request.role === 'progress' ? 1 : 0) : 0;
    if (step >= progression.length) {
      progression = choose(idiom, request.rng);
      step = 0;
    }
    let symbol = progression[step] ?? idiom.tonic;
    if (request.role === 'dominant') symbol = dominantOf(idiom);
    if (request.role === 'tonic') {
      symbol = idiom.tonic;
      step = progression.length;
    }
    const chord = spellChord(idiom, symbol, request.tonicPc);
    const voicing = voiceChord(chord, sameFrame && previous !== null ? previous.voicing : null);
    state = {
      idiom: request.idiom,
      tonicPc: request.tonicPc,
      progression,
      step,
      chord,
      voicing,
      bar: request.bar,
    };
    return state;
  };

  return {
    isIdiom: (name) => names.has(name),
    idiomForMode: (mode) => idiomForMode(mode) ?? 'major',
    scale: (idiom, tonicPc) => scaleOf(idiom, tonicPc),
    beat(request) {
      const harmony = harmonyAt(request);
      const notes: BeatNote[] = [];
      for (const voice of request.voices) figure(voice, harmony.voicing, request, notes);
      return notes;
    },
  };
}

/** The penultimate chord of the idiom's cadence: the one that leads home. */
function dominantOf(idiom: Idiom): string {
  const cadence = idiom.motion.cadence;
  return cadence[cadence.length - 2] ?? idiom.tonic;
}

/** Moves a pitch by octaves toward a register centre, keeping its pitch class. */
function toward(pitch: Midi, centre: Midi): Midi {
  let p = pitch;
  while (p - centre > 6) p -= 12;
  while (centre - p > 6) p += 12;
  return p;
}

/** One voice's notes on one beat. */
function figure(voice: Voice, voicing: Voicing, request: BeatRequest, out: BeatNote[]): void {
  const s: Shaping = request.shaping;
  const n = Math.max(1, Math.min(4, Math.round(s.notesPerBeat)));
  const v = (scale: number) => Math.max(1, Math.min(127, Math.round(s.velocity * scale)));
  const downbeat = request.beatInBar === 0;
  const accent = downbeat ? 1.08 : 1;
  switch (voice) {
    case 'bass': {
      // A ground: the root on every beat; otherwise the root on the downbeat and the fifth half-way.
      const half = Math.floor(request.beatsPerBar / 2);
      if (s.steadyBass || downbeat || request.beatInBar === half) {
        out.push({ voice, pitch: voicing.bass, velocity: v(accent), offset: 0, duration: s.legato });
      }
      return;
    }
    case 'piano-left': {
      const chord = voicing.left.length > 0 ? [voicing.bass + 12, ...voicing.left] : [voicing.bass + 12];
      const low = chord.map((p) => (p > 64 ? p - 12 : p));
      if (s.onBeats || downbeat || n >= 2) {
        for (const p of low)
          out.push({ voice, pitch: p, velocity: v(0.85 * accent), offset: 0, duration: s.legato });
      }
      return;
    }
    case 'piano-right': {
      // The right hand moves: the chord on the beat, then broken chord tones around the register.
      const centre = s.register + Math.round(6 * (s.brightness - 0.5));
      const tones = voicing.right.map((p) => toward(p, centre)).sort((a, b) => a - b);
      for (let i = 0; i < n; i++) {
        const offset = i / n;
        if (i === 0 && (s.onBeats || downbeat)) {
          for (const p of tones)
            out.push({ voice, pitch: p, velocity: v(0.9 * accent), offset, duration: s.legato / n });
        } else {
          const pick = request.rng.pick(tones);
          out.push({ voice, pitch: pick, velocity: v(0.8), offset, duration: s.legato / n });
        }
      }
      return;
    }
    case 'mallets': {
      const tones = voicing.right.map((p) => toward(p + 12, s.register + 12)).sort((a, b) => a - b);
      for (let i = 0; i < n; i++) {
        out.push({
          voice,
          pitch: tones[(request.beatInBar * n + i) % tones.length] as Midi,
          velocity: v(0.75),
          offset: i / n,
          duration: 0.5 / n,
        });
      }
      return;
    }
    case 'pad': {
      if (downbeat) {
        for (const p of voicing.left.length > 0 ? voicing.left : voicing.right) {
          out.push({
            voice,
            pitch: p,
            velocity: v(0.6),
            offset: 0,
            duration: request.beatsPerBar * s.legato,
          });
        }
      }
      return;
    }
    case 'percussion': {
      out.push({
        voice,
        pitch: downbeat ? BASS_DRUM : HAND_DRUM,
        velocity: v(accent),
        offset: 0,
        duration: 0.25,
      });
      for (let i = 1; i < n; i++)
        out.push({ voice, pitch: SHAKER, velocity: v(0.6), offset: i / n, duration: 0.1 });
      return;
    }
  }
}
