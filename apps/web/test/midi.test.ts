/**
 * A MIDI keyboard and drum pad on the solo page, in real Chromium. Web MIDI cannot open a real
 * device headless, so the page is given a stand-in `navigator.requestMIDIAccess` (installed
 * before the app loads) whose input sends the bytes the test asks for, stamped on the page clock
 * as a browser stamps real MIDI. What sounded is read from the page's `window.__attune` log.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/hook.ts';
import '../src/voice/hook.ts';
import { MIDI_PROBLEMS } from '../src/input/midi-access.ts';
import type { SoundEntry } from '../src/solo/session.ts';
import { type BuiltApp, buildAndServe, openSolo } from './pages/solo-page.ts';
import { hasChromium, launchBrowser, type TestBrowser } from './support/browser.ts';
import { expectChromiumInCI } from './support/chromium-ci.ts';
import { type FakeMidiMode, fakeMidi } from './support/midi.ts';

const SETUP_TIMEOUT = 240_000;

expectChromiumInCI();

describe.skipIf(!hasChromium())('a MIDI keyboard and drum pad on the solo page in Chromium', () => {
  let app: BuiltApp;
  let browser: TestBrowser;
  const errors: string[] = [];

  beforeAll(async () => {
    app = await buildAndServe();
    browser = await launchBrowser();
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function soloWith(mode: FakeMidiMode): Promise<Page> {
    return openSolo(browser.context, app.server.origin, errors, async (page) => {
      await page.addInitScript(fakeMidi, mode);
    });
  }

  const log = (page: Page): Promise<SoundEntry[]> => page.evaluate(() => [...(window.__attune?.log ?? [])]);
  const midiButton = (page: Page) => page.getByRole('button', { name: /MIDI/ });

  it('plays notes and drum hits from the device, each heard at the moment the device stamped it', async () => {
    const page = await soloWith('device');
    await midiButton(page).click();
    await expect.poll(() => page.locator('.inputs').textContent()).toContain('Playing from Attune Test Keys');
    expect(await midiButton(page).getAttribute('aria-pressed')).toBe('true');

    const before = (await log(page)).length;
    // A key struck 40 ms before the page handles it (a busy page): heard at the strike.
    await page.evaluate(() => window.__fakeMidi?.send([0x90, 60, 100], 40));
    await page.evaluate(() => window.__fakeMidi?.send([0x80, 60, 0]));
    await page.evaluate(() => window.__fakeMidi?.send([0x90, 64, 30]));
    await page.evaluate(() => window.__fakeMidi?.send([0x90, 64, 0]));
    await expect.poll(async () => (await log(page)).length).toBe(before + 2);
    const [loud, soft] = (await log(page)).slice(before);
    expect(loud).toMatchObject({
      who: 'client',
      pitch: 60,
      velocity: 100,
      surface: 'midi',
      instrument: 'piano',
    });
    expect(soft).toMatchObject({ who: 'client', pitch: 64, velocity: 30, surface: 'midi' });
    expect(loud?.voices).toBeGreaterThan(0);
    const origin = await page.evaluate(
      () => (window.__attune?.audioNow() ?? 0) - (window.__attune?.sessionNow() ?? 0),
    );
    // It sounded when handled (local monitoring) and was heard 40 ms earlier, to within the page's clock conversion.
    expect((loud?.audioTime as number) - ((loud?.t as number) + origin)).toBeGreaterThan(0.035);
    expect((loud?.audioTime as number) - ((loud?.t as number) + origin)).toBeLessThan(0.06);
    expect(Math.abs((soft?.audioTime as number) - ((soft?.t as number) + origin))).toBeLessThan(0.02);

    // Channel 10 is the drum kit: a snare, then again once the kit has loaded.
    await page.evaluate(() => window.__fakeMidi?.send([0x99, 38, 110]));
    await expect
      .poll(
        async () => {
          await page.evaluate(() => window.__fakeMidi?.send([0x99, 38, 110]));
          const hits = (await log(page)).filter((e) => e.instrument === 'font:128:0');
          return hits.at(-1)?.voices ?? 0;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBeGreaterThan(0);
    const hit = (await log(page)).filter((e) => e.instrument === 'font:128:0').at(-1);
    expect(hit).toMatchObject({ who: 'client', pitch: 38, velocity: 110, surface: 'midi' });

    const actions = await page.evaluate(() => window.__attuneInputs?.midi.map((a) => a.type));
    expect(actions?.slice(0, 4)).toEqual(['press', 'release', 'press', 'release']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lets the companion hear a steady MIDI pulse and come in', async () => {
    const page = await soloWith('device');
    await midiButton(page).click();
    await expect.poll(() => page.locator('.inputs').textContent()).toContain('Playing from');
    const pitches = [60, 62, 64, 67, 69, 67, 64, 62];
    for (let beat = 0; beat < 16; beat++) {
      const pitch = pitches[beat % pitches.length] as number;
      await page.evaluate((p) => window.__fakeMidi?.send([0x90, p, 90]), pitch);
      await page.waitForTimeout(250);
      await page.evaluate((p) => window.__fakeMidi?.send([0x80, p, 0]), pitch);
      await page.waitForTimeout(250);
      if (await page.evaluate(() => window.__attune?.companionState() === 'playing')) break;
    }
    await expect
      .poll(() => page.evaluate(() => window.__attune?.companionState()), { timeout: 5000 })
      .toBe('playing');
    await expect
      .poll(async () => (await log(page)).some((e) => e.who === 'companion'), { timeout: 5000 })
      .toBe(true);
    await page.close();
  });

  it('says when the device is pulled out, and finds it again when it is plugged back in', async () => {
    const page = await soloWith('device');
    await midiButton(page).click();
    await expect.poll(() => page.locator('.inputs').textContent()).toContain('Playing from Attune Test Keys');
    await page.evaluate(() => window.__fakeMidi?.send([0x90, 67, 90]));
    await page.evaluate(() => window.__fakeMidi?.plug(false));
    await expect.poll(() => page.locator('.inputs').textContent()).toContain('No MIDI device is plugged in');
    // The held note was let go when its device went.
    expect(
      await page.evaluate(() => window.__attuneInputs?.midi.map((a) => [a.type, 'pitch' in a ? a.pitch : 0])),
    ).toEqual([
      ['press', 67],
      ['release', 67],
    ]);
    await page.evaluate(() => window.__fakeMidi?.plug(true));
    await expect.poll(() => page.locator('.inputs').textContent()).toContain('Playing from Attune Test Keys');
    await midiButton(page).click();
    expect(await midiButton(page).getAttribute('aria-pressed')).toBe('false');
    const count = (await log(page)).length;
    await page.evaluate(() => window.__fakeMidi?.send([0x90, 69, 90]));
    await page.waitForTimeout(200);
    expect((await log(page)).length).toBe(count);
    await page.close();
  });

  it('says plainly when MIDI is refused, or the browser has none, and the pads still play', async () => {
    const refused = await soloWith('refuse');
    await midiButton(refused).click();
    await expect.poll(() => refused.getByRole('alert').textContent()).toBe(MIDI_PROBLEMS.denied);
    expect(await midiButton(refused).getAttribute('aria-pressed')).toBe('false');
    const before = (await log(refused)).length;
    await refused.keyboard.press('1');
    await expect.poll(async () => (await log(refused)).length).toBe(before + 1);
    await refused.close();

    const absent = await soloWith('absent');
    await midiButton(absent).click();
    await expect.poll(() => absent.getByRole('alert').textContent()).toBe(MIDI_PROBLEMS.unsupported);
    await absent.close();
  });
});
