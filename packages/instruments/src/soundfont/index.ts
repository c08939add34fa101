/**
 * A SoundFont 2 reader (SF2, and SF3 whose samples are Ogg Vorbis streams). Pure: it reads the
 * bytes it is given and returns presets flattened into key/velocity zones with every generator
 * resolved (global zones as defaults, preset generators added to instrument generators, as the
 * SoundFont 2.04 specification says). Sample data is returned as bytes to decode elsewhere.
 */
import { type Envelope, timecentsToSeconds } from '../envelope/index.ts';
import type { Instrument, Zone } from '../zones/index.ts';

/** A SoundFont file that cannot be read, with the reason. */
export class SoundFontError extends Error {}

/** One sample header (`shdr`). For SF3, `start`/`end` are byte offsets of an Ogg stream. */
export interface SampleHeader {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly loopStart: number;
  readonly loopEnd: number;
  readonly sampleRate: number;
  readonly originalPitch: number;
  readonly pitchCorrection: number;
  readonly type: number;
  /** True when the sample is an Ogg Vorbis stream (SF3). */
  readonly compressed: boolean;
}

/** A preset header: its name and the bank/program it answers to. */
export interface PresetInfo {
  readonly name: string;
  readonly bank: number;
  readonly program: number;
}

/** A zone as stored: its generators by id. */
interface GenZone {
  readonly gens: Map<number, number>;
}

/** A parsed SoundFont: presets, instruments, samples and the raw sample chunk. */
export interface SoundFont {
  readonly name: string;
  readonly presets: readonly PresetInfo[];
  readonly samples: readonly SampleHeader[];
  /** The `smpl` chunk: 16-bit little-endian PCM (SF2) or concatenated Ogg streams (SF3). */
  readonly sampleChunk: Uint8Array;
  readonly presetZones: readonly (readonly GenZone[])[];
  readonly instrumentZones: readonly (readonly GenZone[])[];
}

/** A key/velocity region of a preset with every generator resolved. Loop points are frames from the sample start. */
export interface FontZone {
  readonly sample: number;
  readonly keyLo: number;
  readonly keyHi: number;
  readonly velLo: number;
  readonly velHi: number;
  /** The MIDI key at which the sample sounds at its recorded pitch, with fine tuning folded in. */
  readonly rootKey: number;
  /** Cents of pitch per key (100 = tempered; 0 = same pitch on every key, as for some drums). */
  readonly scaleTuning: number;
  /** 0 = no loop, 1 = loop for ever, 3 = loop until release then play on. */
  readonly loopMode: number;
  readonly startFrame: number;
  readonly endFrame: number | null;
  readonly loopStartFrame: number;
  readonly loopEndFrame: number;
  /** Centibels of attenuation (initialAttenuation). */
  readonly attenuation: number;
  /** -1 (left) … 1 (right). */
  readonly pan: number;
  readonly envelope: Envelope;
  readonly exclusiveClass: number;
}

const GEN = {
  startAddrsOffset: 0,
  endAddrsOffset: 1,
  startloopAddrsOffset: 2,
  endloopAddrsOffset: 3,
  startAddrsCoarseOffset: 4,
  endAddrsCoarseOffset: 12,
  pan: 17,
  delayVolEnv: 33,
  attackVolEnv: 34,
  holdVolEnv: 35,
  decayVolEnv: 36,
  sustainVolEnv: 37,
  releaseVolEnv: 38,
  keynumToVolEnvHold: 39,
  keynumToVolEnvDecay: 40,
  instrument: 41,
  keyRange: 43,
  velRange: 44,
  startloopAddrsCoarseOffset: 45,
  initialAttenuation: 48,
  endloopAddrsCoarseOffset: 50,
  coarseTune: 51,
  fineTune: 52,
  sampleID: 53,
  sampleModes: 54,
  scaleTuning: 56,
  exclusiveClass: 57,
  overridingRootKey: 58,
} as const;

/** Generators whose amount is two bytes lo/hi (ranges), not a signed word. */
const RANGE_GENS = new Set<number>([GEN.keyRange, GEN.velRange]);
/** Generators a preset zone may not add to (the specification ignores them at preset level). */
const INSTRUMENT_ONLY = new Set<number>([
  GEN.startAddrsOffset,
  GEN.endAddrsOffset,
  GEN.startloopAddrsOffset,
  GEN.endloopAddrsOffset,
  GEN.startAddrsCoarseOffset,
  GEN.endAddrsCoarseOffset,
  GEN.startloopAddrsCoarseOffset,
  GEN.endloopAddrsCoarseOffset,
  GEN.sampleModes,
  GEN.exclusiveClass,
  GEN.overridingRootKey,
  GEN.keynumToVolEnvHold,
  GEN.keynumToVolEnvDecay,
]);

const DEFAULTS = new Map<number, number>([
  [GEN.delayVolEnv, -12000],
  [GEN.attackVolEnv, -12000],
  [GEN.holdVolEnv, -12000],
  [GEN.decayVolEnv, -12000],
  [GEN.releaseVolEnv, -12000],
  [GEN.scaleTuning, 100],
  [GEN.overridingRootKey, -1],
  [GEN.keyRange, 127 << 8],
  [GEN.velRange, 127 << 8],
]);

interface Chunk {
  readonly id: string;
  readonly start: number;
  readonly size: number;
}

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

function chunksIn(bytes: Uint8Array, view: DataView, from: number, to: number): Chunk[] {
  const chunks: Chunk[] = [];
  let at = from;
  while (at + 8 <= to) {
    const id = fourcc(bytes, at);
    const size = view.getUint32(at + 4, true);
    if (at + 8 + size > to)
      throw new SoundFontError(`chunk '${id}' at byte ${at} runs past the end of its list`);
    chunks.push({ id, start: at + 8, size });
    at += 8 + size + (size & 1);
  }
  return chunks;
}

function cString(bytes: Uint8Array, at: number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    const c = bytes[at + i] ?? 0;
    if (c === 0) break;
    text += String.fromCharCode(c);
  }
  return text.trim();
}

/**
 * Reads a SoundFont (SF2 or SF3) from its bytes; throws {@link SoundFontError} with a reason for
 * anything that is not one.
 */
export function readSoundFont(bytes: Uint8Array): SoundFont {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || fourcc(bytes, 0) !== 'RIFF' || fourcc(bytes, 8) !== 'sfbk') {
    throw new SoundFontError('not a SoundFont (no RIFF sfbk header)');
  }
  const riffEnd = Math.min(bytes.length, 8 + view.getUint32(4, true));
  const lists = new Map<string, Chunk>();
  for (const chunk of chunksIn(bytes, view, 12, riffEnd)) {
    if (chunk.id === 'LIST' && chunk.size >= 4) lists.set(fourcc(bytes, chunk.start), chunk);
  }
  const info = lists.get('INFO');
  const sdta = lists.get('sdta');
  const pdta = lists.get('pdta');
  if (!sdta || !pdta) throw new SoundFontError('SoundFont lacks its sdta or pdta list');
  const sub = (list: Chunk) =>
    new Map(chunksIn(bytes, view, list.start + 4, list.start + list.size).map((c) => [c.id, c]));
  let name = '';
  if (info) name = cString(bytes, sub(info).get('INAM')?.start ?? 0, sub(info).get('INAM')?.size ?? 0);
  const smpl = sub(sdta).get('smpl');
  const sampleChunk = smpl ? bytes.subarray(smpl.start, smpl.start + smpl.size) : new Uint8Array(0);
  const hydra = sub(pdta);
  const need = (id: string, recordSize: number): Chunk => {
    const chunk = hydra.get(id);
    if (!chunk) throw new SoundFontError(`SoundFont lacks its '${id}' chunk`);
    if (chunk.size % recordSize !== 0 || chunk.size < recordSize * 2) {
      throw new SoundFontError(`'${id}' chunk has a bad size, got: ${chunk.size}`);
    }
    return chunk;
  };
  const phdr = need('phdr', 38);
  const pbag = need('pbag', 4);
  const pgen = need('pgen', 4);
  const inst = need('inst', 22);
  const ibag = need('ibag', 4);
  const igen = need('igen', 4);
  const shdr = need('shdr', 46);

  const readGens = (chunk: Chunk): Array<[number, number]> => {
    const gens: Array<[number, number]> = [];
    for (let at = chunk.start; at < chunk.start + chunk.size; at += 4) {
      const oper = view.getUint16(at, true);
      gens.push([oper, RANGE_GENS.has(oper) ? view.getUint16(at + 2, true) : view.getInt16(at + 2, true)]);
    }
    return gens;
  };
  const readBags = (chunk: Chunk): number[] => {
    const bags: number[] = [];
    for (let at = chunk.start; at < chunk.start + chunk.size; at += 4) bags.push(view.getUint16(at, true));
    return bags;
  };
  const pgens = readGens(pgen);
  const igens = readGens(igen);
  const pbags = readBags(pbag);
  const ibags = readBags(ibag);

  const zonesOf = (
    bagStart: number,
    bagEnd: number,
    bags: number[],
    gens: Array<[number, number]>,
  ): GenZone[] => {
    const zones: GenZone[] = [];
    for (let b = bagStart; b < bagEnd; b++) {
      const from = bags[b];
      const to = bags[b + 1];
      if (from === undefined || to === undefined || to < from || to > gens.length) {
        throw new SoundFontError(`bag ${b} points outside the generator list`);
      }
      zones.push({ gens: new Map(gens.slice(from, to)) });
    }
    return zones;
  };

  const presets: PresetInfo[] = [];
  const presetZones: GenZone[][] = [];
  const presetCount = phdr.size / 38 - 1;
  for (let i = 0; i < presetCount; i++) {
    const at = phdr.start + i * 38;
    presets.push({
      name: cString(bytes, at, 20),
      program: view.getUint16(at + 20, true),
      bank: view.getUint16(at + 22, true),
    });
    presetZones.push(
      zonesOf(view.getUint16(at + 24, true), view.getUint16(at + 38 + 24, true), pbags, pgens),
    );
  }
  const instrumentZones: GenZone[][] = [];
  const instCount = inst.size / 22 - 1;
  for (let i = 0; i < instCount; i++) {
    const at = inst.start + i * 22;
    instrumentZones.push(
      zonesOf(view.getUint16(at + 20, true), view.getUint16(at + 22 + 20, true), ibags, igens),
    );
  }
  const samples: SampleHeader[] = [];
  const sampleCount = shdr.size / 46 - 1;
  for (let i = 0; i < sampleCount; i++) {
    const at = shdr.start + i * 46;
    const type = view.getUint16(at + 44, true);
    samples.push({
      name: cString(bytes, at, 20),
      start: view.getUint32(at + 20, true),
      end: view.getUint32(at + 24, true),
      loopStart: view.getUint32(at + 28, true),
      loopEnd: view.getUint32(at + 32, true),
      sampleRate: view.getUint32(at + 36, true),
      originalPitch: view.getUint8(at + 40),
      pitchCorrection: view.getInt8(at + 41),
      type,
      compressed: (type & 0x10) !== 0,
    });
  }
  return { name, presets, samples, sampleChunk, presetZones, instrumentZones };
}

function splitGlobal(
  zones: readonly GenZone[],
  terminal: number,
): { global: GenZone | null; zones: GenZone[] } {
  const first = zones[0];
  if (first && !first.gens.has(terminal)) return { global: first, zones: zones.slice(1) };
  return { global: null, zones: zones.filter((z) => z.gens.has(terminal)) };
}

function rangeOf(value: number): [number, number] {
  return [value & 0xff, (value >> 8) & 0xff];
}

/** The index of the preset for a bank/program, or -1 when the font has none. */
export function findPreset(font: SoundFont, bank: number, program: number): number {
  return font.presets.findIndex((p) => p.bank === bank && p.program === program);
}

/**
 * Every key/velocity zone of a preset, its generators resolved. Empty for an unknown preset index.
 * @example presetZones(font, findPreset(font, 0, 48)) // the String Ensemble's zones
 */
export function presetZones(font: SoundFont, presetIndex: number): FontZone[] {
  const pz = font.presetZones[presetIndex];
  if (!pz) return [];
  const preset = splitGlobal(pz, GEN.instrument);
  const out: FontZone[] = [];
  for (const pzone of preset.zones) {
    const instIndex = pzone.gens.get(GEN.instrument) ?? -1;
    const iz = font.instrumentZones[instIndex];
    if (!iz) continue;
    const pgen = new Map([...(preset.global?.gens ?? []), ...pzone.gens]);
    const instrument = splitGlobal(iz, GEN.sampleID);
    for (const izone of instrument.zones) {
      const igen = new Map([...DEFAULTS, ...(instrument.global?.gens ?? []), ...izone.gens]);
      const zone = resolveZone(font, igen, pgen);
      if (zone) out.push(zone);
    }
  }
  return out;
}

function resolveZone(font: SoundFont, igen: Map<number, number>, pgen: Map<number, number>): FontZone | null {
  const sampleIndex = igen.get(GEN.sampleID) ?? -1;
  const sample = font.samples[sampleIndex];
  if (!sample) return null;
  const [ik0, ik1] = rangeOf(igen.get(GEN.keyRange) ?? 127 << 8);
  const [pk0, pk1] = rangeOf(pgen.get(GEN.keyRange) ?? 127 << 8);
  const [iv0, iv1] = rangeOf(igen.get(GEN.velRange) ?? 127 << 8);
  const [pv0, pv1] = rangeOf(pgen.get(GEN.velRange) ?? 127 << 8);
  const keyLo = Math.max(ik0, pk0);
  const keyHi = Math.min(ik1, pk1);
  const velLo = Math.max(iv0, pv0);
  const velHi = Math.min(iv1, pv1);
  if (keyLo > keyHi || velLo > velHi) return null;
  // Preset-level generators are offsets added to the instrument's values.
  const g = (id: number): number => (igen.get(id) ?? 0) + (INSTRUMENT_ONLY.has(id) ? 0 : (pgen.get(id) ?? 0));
  const overriding = igen.get(GEN.overridingRootKey) ?? -1;
  const root = overriding >= 0 ? overriding : sample.originalPitch;
  const tuneCents = g(GEN.coarseTune) * 100 + g(GEN.fineTune) + sample.pitchCorrection;
  // For SF3 the sample's own start is a byte offset, so its frames count from 0 and its loop
  // points are already relative to the sample; for SF2 they are absolute frames in the chunk.
  const base = sample.compressed ? 0 : sample.start;
  const startFrame = g(GEN.startAddrsOffset) + 32768 * g(GEN.startAddrsCoarseOffset);
  const endOffset = g(GEN.endAddrsOffset) + 32768 * g(GEN.endAddrsCoarseOffset);
  const sampleFrames = sample.compressed ? null : sample.end - sample.start;
  const loopStartFrame =
    sample.loopStart - base + g(GEN.startloopAddrsOffset) + 32768 * g(GEN.startloopAddrsCoarseOffset);
  const loopEndFrame =
    sample.loopEnd - base + g(GEN.endloopAddrsOffset) + 32768 * g(GEN.endloopAddrsCoarseOffset);
  const sustainCb = Math.max(0, Math.min(1440, g(GEN.sustainVolEnv)));
  return {
    sample: sampleIndex,
    keyLo,
    keyHi,
    velLo,
    velHi,
    rootKey: root - tuneCents / 100,
    scaleTuning: g(GEN.scaleTuning),
    loopMode: (igen.get(GEN.sampleModes) ?? 0) & 3,
    startFrame: Math.max(0, startFrame),
    endFrame: sampleFrames === null ? (endOffset === 0 ? null : endOffset) : sampleFrames + endOffset,
    loopStartFrame,
    loopEndFrame,
    attenuation: Math.max(0, g(GEN.initialAttenuation)),
    pan: Math.max(-1, Math.min(1, g(GEN.pan) / 500)),
    envelope: {
      delay: timecentsToSeconds(g(GEN.delayVolEnv)),
      attack: timecentsToSeconds(g(GEN.attackVolEnv)),
      hold: timecentsToSeconds(g(GEN.holdVolEnv)),
      decay: timecentsToSeconds(g(GEN.decayVolEnv)),
      sustain: 10 ** (-sustainCb / 200),
      release: timecentsToSeconds(g(GEN.releaseVolEnv)),
    },
    exclusiveClass: igen.get(GEN.exclusiveClass) ?? 0,
  };
}

/**
 * The bytes of one sample: 16-bit PCM frames (SF2) or an Ogg Vorbis stream (SF3).
 * Throws on an index the font does not have.
 */
export function sampleBytes(
  font: SoundFont,
  index: number,
): { kind: 'pcm16'; pcm: Int16Array } | { kind: 'ogg'; bytes: Uint8Array } {
  const sample = font.samples[index];
  if (!sample)
    throw new RangeError(
      `sample index must be within the font's ${font.samples.length} samples, got: ${index}`,
    );
  const chunk = font.sampleChunk;
  if (sample.compressed) {
    if (sample.end > chunk.length || sample.start >= sample.end) {
      throw new SoundFontError(`sample '${sample.name}' lies outside the sample data`);
    }
    return { kind: 'ogg', bytes: chunk.subarray(sample.start, sample.end) };
  }
  if (sample.end * 2 > chunk.length || sample.start >= sample.end) {
    throw new SoundFontError(`sample '${sample.name}' lies outside the sample data`);
  }
  const pcm = new Int16Array(sample.end - sample.start);
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  for (let i = 0; i < pcm.length; i++) pcm[i] = view.getInt16((sample.start + i) * 2, true);
  return { kind: 'pcm16', pcm };
}

/** SoundFont attenuation counts 0.4 dB per centibel step here, as EMU hardware and FluidSynth do. */
const ATTENUATION_FACTOR = 0.4;

/**
 * The sample id of a SoundFont sample.
 * @example fontSampleId(12) // 'font:12'
 */
export function fontSampleId(index: number): string {
  return `font:${index}`;
}

/** Parses a SoundFont sample id back into its index, or null when it is not one. */
export function parseFontSampleId(id: string): number | null {
  const match = /^font:(\d+)$/.exec(id);
  return match ? Number(match[1]) : null;
}

/**
 * A preset as an instrument, or null when the font has no such preset. A drum kit the font
 * lacks falls back to its standard kit (bank 128, program 0), as General MIDI players do.
 */
export function fontInstrument(font: SoundFont, bank: number, program: number): Instrument | null {
  let index = findPreset(font, bank, program);
  if (index < 0 && bank === 128) index = findPreset(font, 128, 0);
  if (index < 0) return null;
  const preset = font.presets[index]!;
  const zones: Zone[] = presetZones(font, index).map((z) => {
    const rate = font.samples[z.sample]?.sampleRate || 44100;
    const loops = (z.loopMode === 1 || z.loopMode === 3) && z.loopEndFrame > z.loopStartFrame + 1;
    return {
      sample: fontSampleId(z.sample),
      keyLo: z.keyLo,
      keyHi: z.keyHi,
      velLo: z.velLo,
      velHi: z.velHi,
      rootKey: z.rootKey,
      scaleTuning: z.scaleTuning,
      gain: 10 ** ((-z.attenuation * ATTENUATION_FACTOR) / 200),
      pan: z.pan,
      start: z.startFrame / rate,
      loop: loops ? { start: z.loopStartFrame / rate, end: z.loopEndFrame / rate } : null,
      envelope: z.envelope,
      exclusiveClass: z.exclusiveClass,
      velocityCurve: 'square',
    };
  });
  return { id: `font:${preset.bank}:${preset.program}`, name: preset.name, zones };
}
