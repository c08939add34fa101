/**
 * Scale-locked pads: which pitch each pad plays, how hard a touch strikes it, and which computer
 * keys play which pad. Pure: the pad component and its tests share it.
 */
import { type Midi, padPitches, tonicPc, type Velocity } from '@attune/engine';
import { noteName, spokenName } from './notes.ts';

/** Fewest and most pads a player can have. */
export const PAD_COUNT = { min: 3, max: 12 } as const;

/** One pad: its pitch and what it shows and says. */
export interface Pad {
  readonly index: number;
  readonly pitch: Midi;
  /** Shown on the pad, e.g. 'E♭4'. */
  readonly label: string;
  /** Read by a screen reader, e.g. 'E flat 4'. */
  readonly spoken: string;
  /** The computer key that plays it, if any. */
  readonly key: string | null;
  /** Whether this pad is the key's tonic (pads show it as home). */
  readonly tonic: boolean;
}

/**
 * Computer keys for the pads, in pad order: the number row, then the row below.
 * Space and Enter are kept for playing the focused or highlighted pad.
 */
export const PAD_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '='] as const;
/** A second row that plays the same pads, for hands more at home on letters. */
export const PAD_LETTER_KEYS = ['q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']'] as const;

/**
 * The pads of an idiom in a key: `count` scale notes from the first at or above `lowest`.
 * @example layoutPads('pentatonic', 'C', 5, 60).map((p) => p.label) // ['C4', 'D4', 'E4', 'G4', 'A4']
 */
export function layoutPads(idiom: string, key: string, count: number, lowest: Midi): Pad[] {
  if (!(Number.isInteger(count) && count >= PAD_COUNT.min && count <= PAD_COUNT.max)) {
    throw new RangeError(
      `pad count must be a whole number from ${PAD_COUNT.min} to ${PAD_COUNT.max}, got: ${count}`,
    );
  }
  const home = tonicPc(key);
  return padPitches(idiom, key, count, lowest).map((pitch, index) => ({
    index,
    pitch,
    label: noteName(pitch, key),
    spoken: spokenName(pitch, key),
    key: PAD_KEYS[index] ?? null,
    tonic: pitch % 12 === home,
  }));
}

/**
 * The lowest pad pitch that puts the key's tonic near a register centre.
 * @example lowestFor('G', 60) // 55
 */
export function lowestFor(key: string, centre: Midi): Midi {
  const pc = tonicPc(key);
  const below = centre - ((((centre - pc) % 12) + 12) % 12);
  return centre - below > 6 ? below + 12 : below;
}

/** The pad a computer key plays, or null. */
export function padForKey(key: string, count: number): number | null {
  const lower = key.toLowerCase();
  let index = (PAD_KEYS as readonly string[]).indexOf(lower);
  if (index < 0) index = (PAD_LETTER_KEYS as readonly string[]).indexOf(lower);
  return index >= 0 && index < count ? index : null;
}

/** How loud a pad sounds: from where it is struck (within a range), or always the same. */
export type VelocityMode =
  | { readonly kind: 'position'; readonly range?: StrikeRange }
  | { readonly kind: 'fixed'; readonly velocity: Velocity };

/** The softest and loudest a struck pad sounds. */
export interface StrikeRange {
  readonly soft: Velocity;
  readonly loud: Velocity;
}

/** The usual range: from quiet to strong, leaving the extremes of the piano aside. */
export const STRIKE_RANGE: StrikeRange = { soft: 30, loud: 120 };

/**
 * Named ranges a therapist can choose: a narrow one keeps a client whose touch varies a lot
 * within a comfortable dynamic; a wide one gives a client with fine control every shade.
 */
export const STRIKE_RANGES = {
  narrow: { soft: 55, loud: 95 },
  usual: STRIKE_RANGE,
  wide: { soft: 12, loud: 127 },
} as const satisfies Record<string, StrikeRange>;

/**
 * The velocity of a strike at a height on the pad (0 at its bottom edge, 1 at its top):
 * higher on the pad is louder, like a level rising. Out-of-range heights are clamped.
 * @example strikeVelocity(1, { kind: 'position' }) // 120
 */
export function strikeVelocity(height: number, mode: VelocityMode): Velocity {
  if (mode.kind === 'fixed') return clampVelocity(mode.velocity);
  const { soft, loud } = mode.range ?? STRIKE_RANGE;
  const h = Number.isFinite(height) ? Math.max(0, Math.min(1, height)) : 0.5;
  return clampVelocity(soft + h * (loud - soft));
}

/** How the player's settings ask for loudness (the part of PlaySettings' options it reads). */
export interface VelocitySettings {
  readonly velocity: 'position' | 'fixed';
  readonly range: keyof typeof STRIKE_RANGES;
  readonly fixedVelocity: number;
}

/**
 * The velocity of a strike by the player's settings. A pad or a piano key says how hard by where
 * it is struck; a computer key or a switch cannot, so it plays at the middle of the range (unless
 * the level is fixed).
 * @example surfaceVelocity({ velocity: 'position', range: 'usual', fixedVelocity: 80 }, 1, 'pad') // 120
 */
export function surfaceVelocity(settings: VelocitySettings, height: number, surface: string): Velocity {
  const mode: VelocityMode =
    settings.velocity === 'fixed'
      ? { kind: 'fixed', velocity: settings.fixedVelocity }
      : { kind: 'position', range: STRIKE_RANGES[settings.range] };
  return strikeVelocity(surface === 'pad' || surface === 'piano' ? height : 0.6, mode);
}

function clampVelocity(v: number): Velocity {
  return Number.isFinite(v) ? Math.max(1, Math.min(127, Math.round(v))) : 64;
}
