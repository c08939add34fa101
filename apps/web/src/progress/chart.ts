/**
 * The geometry of a progress chart, apart from the page: sessions' dates along x (by time, so a
 * long gap between sessions shows as one), values along y, the ticks of both, and the path that
 * joins the points. Pure, so it is tested without a browser; Progress.svelte draws it as SVG.
 */

/** The drawing area of a chart, in pixels. */
export interface ChartFrame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** A point of a series: a session's date and its value. */
export interface DatedValue {
  readonly date: string;
  readonly value: number;
}

/** Where each date lies along x: first and last session at the ends, one session in the middle. */
export function xScale(dates: readonly string[], frame: ChartFrame): (date: string) => number {
  const times = dates.map((d) => Date.parse(d)).filter(Number.isFinite);
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const x0 = frame.left;
  const x1 = frame.width - frame.right;
  if (times.length === 0 || hi === lo) return () => (x0 + x1) / 2;
  return (date) => x0 + ((Date.parse(date) - lo) / (hi - lo)) * (x1 - x0);
}

/** Where each value lies along y, `lo` at the bottom. */
export function yScale(lo: number, hi: number, frame: ChartFrame): (value: number) => number {
  const y0 = frame.height - frame.bottom;
  const y1 = frame.top;
  if (hi === lo) return () => (y0 + y1) / 2;
  return (value) => y0 - ((value - lo) / (hi - lo)) * (y0 - y1);
}

/**
 * A range and round ticks that hold the values, for a measure (a rating's range is its levels).
 * @example valueRange([92, 101, 117]) // { lo: 90, hi: 120, ticks: [90, 100, 110, 120] }
 */
export function valueRange(
  values: readonly number[],
  count = 4,
): { lo: number; hi: number; ticks: number[] } {
  if (values.length === 0) return { lo: 0, hi: 1, ticks: [0, 1] };
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi === lo) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const first = Math.floor(lo / step) * step;
  const last = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= last + step / 1e6; v += step) ticks.push(Number(v.toPrecision(12)));
  return { lo: first, hi: last, ticks };
}

/** The SVG path joining points in date order; a session without a value is simply not a point. */
export function linePath(points: ReadonlyArray<{ x: number; y: number }>): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

/**
 * Which of the sessions' dates to label on the x axis: all of a few, or every k-th of many (the
 * first and the last always), so the labels never overlap.
 */
export function dateTicks(dates: readonly string[], most: number): string[] {
  if (dates.length <= most) return [...dates];
  const every = Math.ceil((dates.length - 1) / (most - 1));
  const out = dates.filter((_, i) => i % every === 0);
  const last = dates[dates.length - 1] as string;
  if (out[out.length - 1] !== last) {
    if (out.length >= most) out.pop();
    out.push(last);
  }
  return out;
}

/**
 * A session's date as the axis shows it: '3 Mar', with the year when the sessions span years, and
 * the time of day when two sessions fall on one day.
 */
export function dateLabel(date: string, withYear: boolean, withTime = false): string {
  const d = new Date(date);
  const day = d.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  });
  return withTime ? `${day} ${d.toISOString().slice(11, 16)}` : day;
}
