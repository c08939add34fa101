/**
 * How a live room looks on a player's device: which pads the room's idiom and key give, and the
 * player's colour on them with ink that stays readable on it. Pure, so it is tested without a page.
 */
import { idiomNames } from '@attune/engine/idiom';
import type { CompanionSettings } from '@attune/protocol';
import { layoutPads, lowestFor, type Pad } from '../input/pads.ts';

/** The pads' idiom and key when the room leaves them to the companion ('auto') or has none. */
export const FALLBACK = { idiom: 'pentatonic', key: 'C' } as const;

const IDIOMS = new Set<string>(idiomNames());
const TONIC = /^[A-G](#|b)?$/;

/**
 * The idiom and key the pads follow: the room's, or pentatonic on C where the room says 'auto'
 * (any note of it sounds well against whatever the companion finds).
 * @example padScale({ idiom: 'dorian', key: 'auto' }) // { idiom: 'dorian', key: 'C' }
 */
export function padScale(settings: Pick<CompanionSettings, 'idiom' | 'key'> | null): {
  idiom: string;
  key: string;
} {
  const idiom = settings && IDIOMS.has(settings.idiom) ? settings.idiom : FALLBACK.idiom;
  const key = settings && TONIC.test(settings.key) ? settings.key : FALLBACK.key;
  return { idiom, key };
}

/** Where the pads' home note sits: the octave around D4. */
const PAD_CENTRE = 62;

/** The pads for a room's settings. */
export function roomPads(settings: Pick<CompanionSettings, 'idiom' | 'key'> | null, count: number): Pad[] {
  const { idiom, key } = padScale(settings);
  return layoutPads(idiom, key, count, lowestFor(key, PAD_CENTRE));
}

function channels(colour: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!m) return null;
  return [
    Number.parseInt(m[1] as string, 16),
    Number.parseInt(m[2] as string, 16),
    Number.parseInt(m[3] as string, 16),
  ];
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(colour: string): number {
  const c = channels(colour);
  if (!c) return 0;
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Mixes a colour toward black (amount < 0) or white (amount > 0). */
export function shade(colour: string, amount: number): string {
  const c = channels(colour);
  if (!c) return colour;
  const target = amount < 0 ? 0 : 255;
  const a = Math.min(1, Math.abs(amount));
  return `#${c
    .map((v) =>
      Math.round(v + (target - v) * a)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

const INK = '#17212b';
const PAPER = '#ffffff';

/**
 * The CSS variables that paint the pads in a player's colour, with ink that reads on it
 * (dark ink on light colours, white on dark ones: whichever contrasts more, at least 4.5:1).
 * @example padColours('#f0e442')['--pad-ink'] // '#17212b'
 */
export function padColours(colour: string | null): Record<string, string> {
  if (!colour || !channels(colour)) return {};
  const ink = contrast(colour, INK) >= contrast(colour, PAPER) ? INK : PAPER;
  // Text sits on the colour itself; where neither ink reaches 4.5:1 the colour is deepened (or lightened) until one does.
  const readable = (from: string, step: number) => {
    let c = from;
    for (let i = 0; i < 12 && contrast(c, ink) < 4.5; i++) c = shade(c, step);
    return c;
  };
  const base = readable(colour, ink === PAPER ? -0.1 : 0.1);
  // The home pad (the key's tonic) is the same colour, much lighter under dark ink or much
  // deeper under white, so it stands apart by lightness while its name stays as readable.
  const home = readable(shade(base, ink === PAPER ? -0.45 : 0.55), ink === PAPER ? -0.1 : 0.1);
  return {
    '--pad-bg': base,
    '--pad-bg-top': shade(base, ink === PAPER ? 0.12 : -0.06),
    '--pad-edge': shade(base, -0.3),
    '--pad-ink': ink,
    '--tonic-bg': home,
    '--tonic-bg-top': home,
    '--tonic-edge': shade(base, -0.45),
    '--player': colour,
  };
}

/**
 * The grid that fills a space of `width` × `height` with `count` pads: as few empty cells as
 * may be, each cell as near square as the space allows (two rows of four on a tablet held
 * sideways, four rows of two on a phone held upright).
 * @example padGrid(8, 1024, 690) // { cols: 4, rows: 2 }
 */
export function padGrid(count: number, width: number, height: number): { cols: number; rows: number } {
  if (!(count >= 1 && width > 0 && height > 0)) return { cols: Math.max(1, count), rows: 1 };
  let best = { cols: count, rows: 1, score: Number.POSITIVE_INFINITY };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const aspect = width / cols / (height / rows);
    const score = Math.abs(Math.log(aspect)) + 0.5 * (cols * rows - count);
    if (score < best.score) best = { cols, rows, score };
  }
  return { cols: best.cols, rows: best.rows };
}
