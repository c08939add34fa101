/**
 * The app's audio engine rendering into an OfflineAudioContext in real Chromium: a note sounds
 * where it was scheduled, to the frame, and nothing before it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, type TestBrowser } from './support/browser.ts';
import { expectChromiumInCI } from './support/chromium-ci.ts';
import { type AppServer, buildTestPage, serveApp } from './support/serve.ts';

const RATE = 44100;

expectChromiumInCI();

describe.skipIf(!hasChromium())('offline render through the audio engine in Chromium', () => {
  let out: string;
  let server: AppServer;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'attune-offline-'));
    await buildTestPage('offline', out);
    server = await serveApp(out);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(`${server.origin}/test/pages/offline.html`);
    await page.waitForFunction(() => window.renderNotes !== undefined);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('puts each note on its scheduled frame: a note 2.5 s later sounds exactly 110250 frames later', async () => {
    const notes = [0.5, 3].map((t) => ({ t, key: 60, velocity: 90, duration: 0.4 }));
    const samples = await page.evaluate((n) => window.renderNotes!(n, 5.5), notes);
    const shift = 2.5 * RATE;
    const first = samples.slice(0, shift);
    const second = samples.slice(shift, 2 * shift);
    const peak = Math.max(...first.map(Math.abs));
    expect(peak).toBeGreaterThan(0.05);
    let worst = 0;
    first.forEach((x, n) => {
      worst = Math.max(worst, Math.abs((second[n] as number) - x));
    });
    expect(worst).toBeLessThan(1e-4 * peak);
    // Silence well before the note (the recording's own lead-in is a few milliseconds).
    const before = first.slice(0, Math.floor((0.5 - 0.05) * RATE));
    expect(Math.max(...before.map(Math.abs))).toBe(0);
    // The attack is heard right after the scheduled time.
    const attack = first.slice(Math.floor(0.5 * RATE), Math.floor(0.55 * RATE));
    expect(Math.max(...attack.map(Math.abs))).toBeGreaterThan(0.5 * peak);
  }, 60_000);
});
