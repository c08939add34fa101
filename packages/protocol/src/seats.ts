/**
 * The colour of each seat in a room, shared by the studio (which hands them out) and the devices
 * (which draw pads and lanes in them and check their ink against them).
 */
import { MAX_SEATS } from './messages.ts';

/** The first colours, seat 0 the therapist's: Okabe–Ito first (distinct for colour-blind eyes), then Tableau. */
const NAMED_COLOURS = [
  '#1f77b4',
  '#e69f00',
  '#56b4e9',
  '#009e73',
  '#f0e442',
  '#0072b2',
  '#d55e00',
  '#cc79a7',
  '#8c564b',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#9467bd',
  '#2ca02c',
  '#d62728',
  '#ff9896',
  '#aec7e8',
] as const;

/** `#rrggbb` of a hue (degrees), saturation and lightness (0–1). */
function hsl(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/**
 * A colour per seat 0..MAX_SEATS: the named colours, then (for large groups) hues a golden angle
 * apart at alternating lightness, so neighbouring seats never look alike.
 */
export const SEAT_COLOURS: readonly string[] = [
  ...NAMED_COLOURS,
  ...Array.from({ length: Math.max(0, MAX_SEATS + 1 - NAMED_COLOURS.length) }, (_, i) =>
    hsl((i * 137.508 + 20) % 360, 0.55, i % 2 === 0 ? 0.42 : 0.62),
  ),
];

/** The colour of a seat, or null for no seat. */
export function colourOf(seat: number | null): string | null {
  return seat === null ? null : (SEAT_COLOURS[seat] ?? null);
}
