/**
 * The visible stretch of a session on the review timeline, and how it zooms and pans: from the
 * whole session down to a single note (half a second across), anchored where the pointer or the
 * playhead is, never past the ends. Pure, so the screen and its tests share it.
 */

/** The stretch of session time shown, in seconds. */
export interface View {
  readonly from: number;
  readonly to: number;
}

/** The narrowest view: half a second across, a single note. */
export const MIN_SPAN = 0.5;

/** The whole session with a little room either side (at least ten seconds across). */
export function wholeView(start: number, end: number): View {
  const span = Math.max(10, end - start);
  const pad = span * 0.02;
  return { from: Math.max(0, start - pad), to: start + span + pad };
}

/** A view kept inside `bounds` and no narrower than {@link MIN_SPAN}. */
export function clampView(view: View, bounds: View): View {
  const widest = bounds.to - bounds.from;
  const span = Math.min(widest, Math.max(MIN_SPAN, view.to - view.from));
  const from = Math.min(Math.max(view.from, bounds.from), bounds.to - span);
  return { from, to: from + span };
}

/**
 * Zooms by `factor` (below 1: in, above 1: out) keeping the time `anchor` where it is on screen.
 * @example zoomAt({ from: 0, to: 100 }, 0.5, 50, { from: 0, to: 100 }) // { from: 25, to: 75 }
 */
export function zoomAt(view: View, factor: number, anchor: number, bounds: View): View {
  const share = (anchor - view.from) / (view.to - view.from);
  const span = (view.to - view.from) * factor;
  const from = anchor - share * span;
  return clampView({ from, to: from + span }, bounds);
}

/** Moves the view by `seconds` (negative: earlier). */
export function pan(view: View, seconds: number, bounds: View): View {
  return clampView({ from: view.from + seconds, to: view.to + seconds }, bounds);
}

/** A view of the same width showing `t`, moved only when `t` is outside it (for a following playhead). */
export function follow(view: View, t: number, bounds: View): View {
  if (t >= view.from && t < view.to) return view;
  const span = view.to - view.from;
  return clampView({ from: t - span * 0.1, to: t + span * 0.9 }, bounds);
}

/** The x of time `t` on a strip `width` pixels wide. */
export function xOf(t: number, view: View, width: number): number {
  return ((t - view.from) / (view.to - view.from)) * width;
}

/** The time at x on a strip `width` pixels wide. */
export function timeAt(x: number, view: View, width: number): number {
  return view.from + (x / width) * (view.to - view.from);
}

const STEPS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * Seconds between labelled ticks so that labels stand at least `minPx` apart.
 * @example tickStep({ from: 0, to: 3600 }, 1000) // 300
 */
export function tickStep(view: View, width: number, minPx = 80): number {
  const perPx = (view.to - view.from) / width;
  return STEPS.find((s) => s / perPx >= minPx) ?? 3600;
}

/**
 * A session time as a therapist reads it: m:ss, or h:mm:ss past an hour, with tenths when the
 * view is close enough for them to matter.
 * @example timeLabel(75.3) // '1:15'
 * @example timeLabel(75.3, 1) // '1:15.3'
 */
export function timeLabel(t: number, decimals = 0): string {
  const sign = t < 0 ? '−' : '';
  const total = Math.abs(t);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const sec =
    decimals > 0 ? s.toFixed(decimals).padStart(3 + decimals, '0') : String(Math.floor(s)).padStart(2, '0');
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${sec}` : `${sign}${m}:${sec}`;
}

/**
 * A time as a therapist writes it (m:ss, h:mm:ss, with tenths, or plain seconds) in seconds;
 * null when it is not one.
 * @example parseTime('1:15.3') // 75.3
 * @example parseTime('1:02:03') // 3723
 * @example parseTime('soon') // null
 */
export function parseTime(text: string): number | null {
  const parts = text.trim().split(':');
  if (parts.length > 3 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) return null;
  const numbers = parts.map(Number);
  // Minutes and seconds after the first part stay under sixty.
  if (numbers.slice(1).some((n) => n >= 60)) return null;
  return numbers.reduce((total, n) => total * 60 + n, 0);
}

/**
 * A moment, or a span from `t` to `end`, with tenths.
 * @example spanLabel(75.3, null) // '1:15.3'
 * @example spanLabel(75.3, 80) // '1:15.3–1:20.0'
 */
export function spanLabel(t: number, end: number | null): string {
  return end === null ? timeLabel(t, 1) : `${timeLabel(t, 1)}–${timeLabel(end, 1)}`;
}
