/**
 * The microphone on the solo page, in real Chromium: a WAV of sung-like tones at known pitches
 * and onsets is played into Chromium's fake microphone (which loops it), the voice worklet hears
 * it, and the onsets it reports must match the file's notes: each onset within 15 ms of where
 * the file puts it (relative to the first note heard, since the file starts when the capture
 * does) and its pitch within 20 cents. The notes fall on a steady beat, so the companion, which
 * hears only onsets, must come in.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '@attune/instruments';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/hook.ts';
import '../src/voice/hook.ts';
import type { VoiceEvent } from '../src/voice/segmenter.ts';
import { addNoise, dbToAmplitude, type ToneNote, toneSequence } from '../src/voice/signals.ts';
import { type BuiltApp, buildAndServe, openSolo } from './pages/solo-page.ts';
import { fakeMicrophone, hasChromium, launchBrowser, type TestBrowser } from './support/browser.ts';
import { expectChromiumInCI } from './support/chromium-ci.ts';

const SETUP_TIMEOUT = 240_000;
const RATE = 48_000;
/** The file's length: Chromium loops it, so the beat runs on across the loop. */
const LOOP = 3;
/** Six sung-like notes on a beat of 0.5 s, each at its own pitch so a heard one names its place. */
const NOTES: ToneNote[] = [57, 64, 60, 67, 62, 65].map((pitch, i) => ({
  start: 0.25 + i * 0.5,
  duration: 0.3,
  pitch,
  amplitude: 0.15,
  harmonics: [0.6, 0.35, 0.2],
  attack: 0.01,
  release: 0.03,
}));
/** How far a heard onset may be from the file's, and a heard pitch from the file's. */
const ONSET_TOLERANCE = 0.015;
const PITCH_TOLERANCE = 0.2;

type Onset = Extract<VoiceEvent, { kind: 'onset' }>;

expectChromiumInCI();

describe.skipIf(!hasChromium())('the microphone on the solo page in Chromium', () => {
  let app: BuiltApp;
  let browser: TestBrowser;
  let folder: string;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'attune-voice-'));
    const wav = join(folder, 'voice.wav');
    const signal = addNoise(toneSequence(NOTES, RATE, LOOP), dbToAmplitude(-62), 11);
    await writeFile(wav, encodeWav([signal], RATE));
    app = await buildAndServe();
    browser = await launchBrowser({ args: fakeMicrophone(wav) });
    page = await openSolo(browser.context, app.server.origin, errors);
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const micButton = () => page.getByRole('button', { name: /microphone/i });
  const heard = (): Promise<VoiceEvent[]> => page.evaluate(() => [...(window.__attuneInputs?.voice ?? [])]);

  it('hears the file’s notes at their onsets and pitches, and the companion comes in', async () => {
    await micButton().click();
    await expect.poll(() => page.locator('.inputs').textContent()).toContain('Listening');
    expect(await micButton().getAttribute('aria-pressed')).toBe('true');
    // Three loops of the file: eighteen notes.
    await expect
      .poll(async () => (await heard()).filter((e) => e.kind === 'onset').length, {
        timeout: 30_000,
        interval: 250,
      })
      .toBeGreaterThanOrEqual(18);
    const onsets = (await heard()).filter((e): e is Onset => e.kind === 'onset');
    // The file starts when the capture does: the first onset whose pitch names a note sets where.
    const first = onsets[0] as Onset;
    const note = (pitch: number | null) =>
      NOTES.find((n) => pitch !== null && Math.abs(n.pitch - pitch) < 0.5);
    const anchor = note(first.pitch);
    expect(anchor, `first onset's pitch ${first.pitch}`).toBeDefined();
    const origin = first.t - (anchor as ToneNote).start;
    const seen = new Set<number>();
    for (const onset of onsets.slice(0, 18)) {
      const expected = note(onset.pitch);
      expect(expected, `an onset at ${onset.t} with pitch ${onset.pitch}`).toBeDefined();
      const { start, pitch } = expected as ToneNote;
      expect(Math.abs((onset.pitch as number) - pitch)).toBeLessThan(PITCH_TOLERANCE);
      const loops = Math.round((onset.t - origin - start) / LOOP);
      expect(Math.abs(onset.t - (origin + start + loops * LOOP))).toBeLessThan(ONSET_TOLERANCE);
      seen.add(loops * NOTES.length + NOTES.indexOf(expected as ToneNote));
    }
    // None missed, none heard twice: eighteen different notes in a row.
    expect(seen.size).toBe(18);
    expect(Math.max(...seen) - Math.min(...seen)).toBe(17);
    // Every note ended before the next began, after about as long as it sounded (0.3 s; the
    // level is averaged over 20 ms and the end waits 60 ms of quiet, so up to 50 ms later).
    const ends = (await heard()).filter((e): e is Extract<VoiceEvent, { kind: 'end' }> => e.kind === 'end');
    expect(ends.length).toBeGreaterThanOrEqual(17);
    for (const end of ends.slice(0, 17)) {
      expect(end.duration).toBeGreaterThan(0.28);
      expect(end.duration).toBeLessThan(0.35);
    }

    await expect
      .poll(() => page.evaluate(() => window.__attune?.companionState()), { timeout: 20_000 })
      .toBe('playing');
    // The meter shows the voice counting above the room.
    const meter = await page.evaluate(() => window.__attuneInputs?.meter());
    expect(meter?.floor).toBeLessThan(-50);
    expect(errors).toEqual([]);
  });

  it('stops listening when switched off', async () => {
    await micButton().click();
    expect(await micButton().getAttribute('aria-pressed')).toBe('false');
    await page.waitForTimeout(600);
    const count = (await heard()).length;
    await page.waitForTimeout(1500);
    expect((await heard()).length).toBe(count);
  });
});
