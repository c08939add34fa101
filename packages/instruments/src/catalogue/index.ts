/**
 * The instrument catalogue: Attune's named instruments, and the sound any General MIDI channel
 * and program asks for (the sampled grand piano for the acoustic pianos, the SoundFont's preset
 * for everything else, its drum kit on channel 10).
 */

/** Where an instrument's sound comes from. */
export type SoundSource =
  | { readonly kind: 'piano' }
  | { readonly kind: 'font'; readonly bank: number; readonly program: number };

/** An instrument a participant can choose in Attune. */
export interface CatalogueEntry {
  readonly id: AttuneInstrument;
  readonly label: string;
  readonly source: SoundSource;
}

/** The names of Attune's instruments. */
export type AttuneInstrument =
  | 'piano'
  | 'marimba'
  | 'vibraphone'
  | 'glockenspiel'
  | 'xylophone'
  | 'drums'
  | 'strings'
  | 'warm-pad'
  | 'voice-pad';

/** The General MIDI bank the SoundFont keeps its drum kits in. */
export const PERCUSSION_BANK = 128;
/** MIDI channel 10 (9 counting from 0) is General MIDI percussion. */
export const PERCUSSION_CHANNEL = 9;

/** Attune's instruments in the order a chooser lists them. */
export const CATALOGUE: readonly CatalogueEntry[] = [
  { id: 'piano', label: 'Grand piano', source: { kind: 'piano' } },
  { id: 'marimba', label: 'Marimba', source: { kind: 'font', bank: 0, program: 12 } },
  { id: 'vibraphone', label: 'Vibraphone', source: { kind: 'font', bank: 0, program: 11 } },
  { id: 'glockenspiel', label: 'Glockenspiel', source: { kind: 'font', bank: 0, program: 9 } },
  { id: 'xylophone', label: 'Xylophone', source: { kind: 'font', bank: 0, program: 13 } },
  { id: 'drums', label: 'Drum kit', source: { kind: 'font', bank: PERCUSSION_BANK, program: 0 } },
  { id: 'strings', label: 'Strings', source: { kind: 'font', bank: 0, program: 48 } },
  { id: 'warm-pad', label: 'Warm pad', source: { kind: 'font', bank: 0, program: 89 } },
  { id: 'voice-pad', label: 'Voices', source: { kind: 'font', bank: 0, program: 52 } },
];

/** General MIDI programs (0-based) the sampled grand piano plays: acoustic grand, bright, electric grand, honky-tonk. */
const PIANO_PROGRAMS = new Set([0, 1, 2, 3]);

/**
 * The catalogue entry of an Attune instrument; throws on an unknown id.
 * @example catalogueEntry('strings').source // { kind: 'font', bank: 0, program: 48 }
 */
export function catalogueEntry(id: string): CatalogueEntry {
  const entry = CATALOGUE.find((e) => e.id === id);
  if (!entry)
    throw new RangeError(`instrument must be one of ${CATALOGUE.map((e) => e.id).join(', ')}, got: ${id}`);
  return entry;
}

/**
 * The sound for a MIDI channel (0–15) playing a General MIDI program (0–127): channel 10 plays
 * the drum kit numbered by its program (the standard kit when the font lacks that kit is the
 * loader's choice), the acoustic pianos play the sampled grand, every other program its preset.
 * @example gmSource(9, 0) // { kind: 'font', bank: 128, program: 0 }
 * @example gmSource(0, 0) // { kind: 'piano' }
 */
export function gmSource(channel: number, program: number): SoundSource {
  if (!Number.isInteger(channel) || channel < 0 || channel > 15) {
    throw new RangeError(`channel must be a whole number from 0 to 15, got: ${channel}`);
  }
  if (!Number.isInteger(program) || program < 0 || program > 127) {
    throw new RangeError(`program must be a whole number from 0 to 127, got: ${program}`);
  }
  if (channel === PERCUSSION_CHANNEL) return { kind: 'font', bank: PERCUSSION_BANK, program };
  if (PIANO_PROGRAMS.has(program)) return { kind: 'piano' };
  return { kind: 'font', bank: 0, program };
}

/** A stable key for a sound source, e.g. 'piano' or 'font:0:48'. */
export function sourceKey(source: SoundSource): string {
  return source.kind === 'piano' ? 'piano' : `font:${source.bank}:${source.program}`;
}
