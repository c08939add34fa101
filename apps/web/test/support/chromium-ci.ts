/**
 * The guard of every browser test file: such a file skips itself on a machine without Chromium,
 * so in CI one test fails instead, and a missing Chromium cannot pass unnoticed where it must run.
 * (Kept apart from browser.ts, which the benchmarks load outside vitest.)
 */
import { expect, it } from 'vitest';
import { hasChromium } from './browser.ts';

/** Registers the test that fails in CI when Chromium is missing. */
export function expectChromiumInCI(): void {
  it.runIf(!hasChromium() && process.env.CI !== undefined)('finds Chromium in CI', () => {
    expect(hasChromium()).toBe(true);
  });
}
