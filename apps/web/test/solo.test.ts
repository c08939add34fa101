/**
 * Solo play in real Chromium: pads, keys and switch scanning sound notes at once, the companion
 * plans its notes ahead on the audio clock, and nothing is fetched from beyond this machine.
 * What was sounded is read from the page's `window.__attune` log, not from the audio output.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/hook.ts';
import type { SoundEntry } from '../src/solo/session.ts';
import { hasChromium, launchBrowser, type TestBrowser } from './support/browser.ts';
import { expectChromiumInCI } from './support/chromium-ci.ts';
import { type AppServer, buildApp, serveApp } from './support/serve.ts';

const SETUP_TIMEOUT = 180_000;

// Without Chromium the browser tests are skipped on a workstation but fail in CI, which must install it.
expectChromiumInCI();

describe.skipIf(!hasChromium())('solo play in Chromium', () => {
  let server: AppServer;
  let browser: TestBrowser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await buildApp();
    server = await serveApp();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`${server.origin}/solo`);
    await page.waitForFunction(
      () => window.__attune !== undefined || document.querySelector('.problem'),
      undefined,
      {
        timeout: 120_000,
      },
    );
    const problem = await page
      .locator('.problem')
      .textContent({ timeout: 100 })
      .catch(() => null);
    if (problem) throw new Error(`the page could not start: ${problem}`);
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const log = (): Promise<SoundEntry[]> => page.evaluate(() => [...(window.__attune?.log ?? [])]);
  const pads = (): Promise<number[]> => page.evaluate(() => window.__attune?.pads() ?? []);
  const newEntries = async (before: number): Promise<SoundEntry[]> => (await log()).slice(before);

  it('sounds a tapped pad at once with the sampled piano, louder when struck higher', async () => {
    const pitches = await pads();
    expect(pitches.length).toBe(8);
    const before = (await log()).length;
    const pad = page.locator('.pad').nth(2);
    const box = await pad.boundingBox();
    if (!box) throw new Error('the third pad has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.95);
    await page.mouse.down();
    await page.mouse.up();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.05);
    await page.mouse.down();
    await page.mouse.up();
    const [low, high] = (await newEntries(before)).filter((e) => e.who === 'client');
    expect(low).toMatchObject({ pitch: pitches[2], surface: 'pad' });
    expect(high).toMatchObject({ pitch: pitches[2], surface: 'pad' });
    // Local monitoring: handed to Web Audio for the current audio time, no scheduling delay.
    expect(low!.audioTime).toBe(low!.handedAt);
    expect(low!.voices).toBeGreaterThan(0);
    expect(low!.instrument).toBe('piano');
    expect(high!.velocity).toBeGreaterThan(low!.velocity + 50);
  });

  it('names every pad for screen readers and shows the scale the idiom sets', async () => {
    const labels = await page
      .locator('.pad')
      .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
    // C major pentatonic from the C nearest D4 (62): C4 D4 E4 G4 A4 C5 D5 E5.
    expect(labels).toEqual(['C 4, home note', 'D 4', 'E 4', 'G 4', 'A 4', 'C 5, home note', 'D 5', 'E 5']);
    await page.locator('select[name=idiom]').selectOption('dorian');
    await page.locator('select[name=key]').selectOption('D');
    expect(await pads()).toEqual([62, 64, 65, 67, 69, 71, 72, 74]);
    await page.locator('select[name=idiom]').selectOption('pentatonic');
    await page.locator('select[name=key]').selectOption('C');
  });

  it('plays pads from the computer keyboard: number keys, and Tab then Enter or Space', async () => {
    const pitches = await pads();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const before = (await log()).length;
    await page.keyboard.press('4');
    await page.locator('.pad').nth(5).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press(' ');
    const played = (await newEntries(before)).filter((e) => e.who === 'client');
    expect(played.map((e) => [e.pitch, e.surface])).toEqual([
      [pitches[3], 'keyboard'],
      [pitches[5], 'keyboard'],
      [pitches[6], 'keyboard'],
    ]);
  });

  it('plays the on-screen piano keys', async () => {
    const before = (await log()).length;
    await page.getByRole('button', { name: 'F sharp 4, outside the scale' }).click();
    await page.getByRole('button', { name: 'G 4' }).last().click();
    const played = (await newEntries(before)).filter((e) => e.who === 'client');
    expect(played.map((e) => [e.pitch, e.surface])).toEqual([
      [66, 'piano'],
      [67, 'piano'],
    ]);
  });

  it('scans the pads and plays the lit one when the switch (Space) is pressed', async () => {
    const pitches = await pads();
    await page.getByLabel('Scan the pads; Space plays the lit pad').check();
    await page.waitForFunction(() => window.__attune?.lit() === 2, undefined, { timeout: 10_000 });
    const before = (await log()).length;
    const lit = await page.evaluate(() => window.__attune?.lit());
    await page.keyboard.press(' ');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: '/tmp/attune-solo-scanning.png' });
    const played = (await newEntries(before)).filter((e) => e.who === 'client');
    expect(played).toHaveLength(1);
    expect(played[0]).toMatchObject({ pitch: pitches[lit as number], surface: 'switch' });
    // The checkbox keeps focus, yet scanning still owns Space: it is still checked.
    expect(await page.getByLabel('Scan the pads; Space plays the lit pad').isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.locator('.pad.lit').count()).toBe(0);
  });

  it('latches a note until its pad is struck again', async () => {
    await page.locator('select[name=hold]').selectOption('latch');
    const before = (await log()).length;
    const pad = page.locator('.pad').nth(4);
    await pad.click();
    expect(await pad.getAttribute('aria-pressed')).toBe('true');
    await page.waitForTimeout(200);
    expect(await pad.getAttribute('aria-pressed')).toBe('true');
    await pad.click();
    expect(await pad.getAttribute('aria-pressed')).toBe('false');
    expect((await newEntries(before)).filter((e) => e.who === 'client')).toHaveLength(1);
    await page.locator('select[name=hold]').selectOption('release');
  });

  it('changes the sound to a SoundFont instrument and plays it', async () => {
    await page.locator('select[name=instrument]').selectOption('marimba');
    await expect
      .poll(() => page.locator('.status').textContent(), { timeout: 20_000 })
      .toContain('Ready to play');
    const before = (await log()).length;
    await page.locator('.pad').nth(1).click();
    const [note] = (await newEntries(before)).filter((e) => e.who === 'client');
    expect(note?.instrument).toBe('font:0:12');
    expect(note?.voices).toBeGreaterThan(0);
    await page.locator('select[name=instrument]').selectOption('piano');
  }, 30_000);

  it('plays the companion along, each note given its audio time ahead of the moment it was planned', async () => {
    const before = (await log()).length;
    const pad = page.locator('.pad').first();
    for (let i = 0; i < 6; i++) {
      await pad.click();
      await page.waitForTimeout(300);
    }
    await page.waitForTimeout(1500);
    const companion = (await newEntries(before)).filter((e) => e.who === 'companion');
    expect(companion.length).toBeGreaterThan(4);
    for (const note of companion) {
      // Planned ahead: never handed over after its time, and at most a lookahead (plus a late tick) early.
      expect(note.audioTime).toBeGreaterThanOrEqual(note.handedAt - 1e-9);
      expect(note.audioTime - note.handedAt).toBeLessThan(0.3);
    }
    expect(companion.some((n) => n.audioTime - n.handedAt > 0.01)).toBe(true);
    expect(companion.filter((n) => n.voices > 0).length).toBe(companion.length);
    expect(await page.evaluate(() => window.__attune?.companionState())).toBe('playing');
  });

  it('holds a steady tempo and brings in the bass when the therapist asks', async () => {
    await page.locator('select[name=tempo]').selectOption('hold');
    const before = (await log()).length;
    await page.getByText('Bass', { exact: true }).click();
    expect(await page.locator('input[name=voice][value=bass]').isChecked()).toBe(true);
    await expect
      .poll(async () => (await newEntries(before)).filter((e) => e.voice === 'bass').length, {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    const bass = (await newEntries(before)).filter((e) => e.voice === 'bass');
    for (const note of bass) expect(note).toMatchObject({ instrument: 'font:0:32' });
    expect(bass.every((n) => n.voices > 0)).toBe(true);
  }, 30_000);

  it('stops the companion with a cadence and starts it again on request', async () => {
    const state = () => page.evaluate(() => window.__attune?.companionState());
    await page.getByRole('button', { name: 'Stop companion' }).click();
    expect(await state()).toBe('ending');
    await expect.poll(state, { timeout: 15_000 }).toBe('off');
    const quiet = (await log()).length;
    await page.waitForTimeout(600);
    expect((await newEntries(quiet)).filter((e) => e.who === 'companion')).toEqual([]);
    await page.getByRole('button', { name: 'Start companion' }).click();
    await expect.poll(state, { timeout: 5_000 }).toBe('playing');
    await expect
      .poll(async () => (await newEntries(quiet)).filter((e) => e.who === 'companion').length, {
        timeout: 5_000,
      })
      .toBeGreaterThan(0);
  }, 30_000);

  it('looks calm at tablet and phone sizes', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: '/tmp/attune-solo-tablet.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/attune-solo-phone.png' });
    await page.screenshot({ path: '/tmp/attune-solo-phone-full.png', fullPage: true });
    await page.setViewportSize({ width: 1024, height: 768 });
  });

  it('keeps its old address /play/ working: it leads to /solo', async () => {
    const old = await browser.context.newPage();
    old.on('pageerror', (error) => errors.push(error.message));
    await old.goto(`${server.origin}/play/`);
    await old.waitForURL('**/solo');
    await old.getByRole('heading', { name: /Solo play/ }).waitFor();
    await old.close();
  });

  it('fetches nothing from beyond this machine, and raised no errors', () => {
    expect(errors).toEqual([]);
    expect(browser.requests.length).toBeGreaterThan(100);
    for (const url of browser.requests) {
      const { protocol, hostname } = new URL(url);
      if (protocol === 'data:' || protocol === 'blob:') continue;
      expect(hostname, url).toBe('127.0.0.1');
    }
    expect(server.requests).toContain('/sounds/FluidR3Mono_GM.sf3');
  });
});
