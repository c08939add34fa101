/** Small helpers the benchmarks share: timing and percentiles. */

/** The q-quantile (0–1) of a list of numbers, by linear interpolation. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Milliseconds since an arbitrary origin, from the high-resolution clock. */
export function nowMs(): number {
  return performance.now();
}

/** Prints a figure as `  name: value unit`, aligned. */
export function figure(name: string, value: number, unit: string, digits = 2): void {
  console.log(`  ${name.padEnd(48)} ${value.toFixed(digits).padStart(10)} ${unit}`);
}
