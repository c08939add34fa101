/**
 * Exports from the review screen in real Chromium against the real studio: a session recorded
 * for real (the therapist and a player over `ws` with the pages' LiveConnection), opened for
 * review, its MIDI file downloaded (a track per lane), and a WAV file made with its progress
 * shown, then downloaded (a WAV of the session's length with sound in it); and a WAV export
 * stopped part-way. Screenshots go to /tmp/attune-shots/.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { readPerformance } from '@attune/engine';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/review/hook.ts';
import { hasChromium, launchBrowser, type TestBrowser } from './support/browser.ts';
import { expectChromiumInCI } from './support/chromium-ci.ts';
import { collectErrors } from './support/page-errors.ts';
import { NodeRoom, deviceNow as now, sleep } from './support/room.ts';
import { startTestStudio, type TestStudio } from './support/studio.ts';
import { Therapist } from './support/therapist.ts';

const SHOTS = '/tmp/attune-shots';
const SETUP_TIMEOUT = 240_000;

expectChromiumInCI();

describe.skipIf(!hasChromium())('exporting a recorded session', () => {
  let studio: TestStudio;
  let browser: TestBrowser;
  let page: Page;
  let therapist: Therapist;
  let session = '';
  const errors: string[] = [];

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    studio = await startTestStudio();
    therapist = await Therapist.setUp(studio.origin);
    const started = await therapist.startSession('Sam, Thursday');
    session = started.session.id;
    const room = await NodeRoom.open(studio.origin, started);
    const { player } = await room.admit('SB');
    for (const [i, pitch] of [60, 62, 64, 65, 67, 65, 64, 62].entries()) {
      player.play({ type: 'note', pitch, velocity: 80, duration: 0.3 }, now());
      if (i % 2 === 0) room.therapist.play({ type: 'hit', instrument: 36, velocity: 90 }, now());
      await sleep(300);
    }
    await room.acknowledged();
    room.close();
    await therapist.request('POST', `/api/sessions/${session}/end`);

    browser = await launchBrowser();
    await therapist.logInto(browser.context);
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    collectErrors(page, errors);
    await page.goto(`${studio.origin}/review/${session}`);
    await page.getByRole('heading', { name: 'Export this session' }).waitFor();
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('downloads the MIDI file, a track per player', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download MIDI' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/-session-.*\.mid$/);
    const performance = readPerformance(new Uint8Array(await readFile((await file.path()) as string)));
    expect(performance.tracks.map((t) => t.name)).toEqual(expect.arrayContaining(['therapist', 'p1']));
    expect(performance.tracks.find((t) => t.name === 'p1')?.notes).toHaveLength(8);
  });

  it('downloads the measures as a spreadsheet, a row per player', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Each player (CSV)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/-measures\.csv$/);
    const lines = (await readFile((await file.path()) as string, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^participant,name,kind,events,onsets,start_s,end_s,tempo_median_bpm,/);
    const p1 = lines.find((l) => l.startsWith('p1,'));
    expect(p1?.split(',')[3]).toBe('8');
  });

  it('makes a WAV file, showing its progress, and downloads it', async () => {
    // Every value the progress bar shows, read as often as the page draws.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { __seen: number[] }).__seen = seen;
      const look = () => {
        const bar = document.querySelector<HTMLProgressElement>('.exports progress');
        if (bar) seen.push(bar.value);
        requestAnimationFrame(look);
      };
      look();
    });
    const download = page.waitForEvent('download', { timeout: 120_000 });
    await page.getByRole('button', { name: 'Make a WAV file' }).click();
    await page.getByRole('progressbar', { name: 'Making the WAV file' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/exports-wav-progress.png`, fullPage: true });
    const file = await download;
    expect(file.suggestedFilename()).toBe(`session-${session}.wav`);
    const bytes = await readFile((await file.path()) as string);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
    const rate = bytes.readUInt32LE(24);
    const frames = bytes.readUInt32LE(40) / 4;
    // The session's length: about 2.4 s of playing, and two seconds to ring out.
    expect(frames / rate).toBeGreaterThan(4);
    expect(frames / rate).toBeLessThan(8);
    let peak = 0;
    for (let i = 44; i < bytes.length; i += 2) peak = Math.max(peak, Math.abs(bytes.readInt16LE(i)));
    expect(peak).toBeGreaterThan(1000);
    const seen = await page.evaluate(() => (window as unknown as { __seen: number[] }).__seen);
    expect(seen.length).toBeGreaterThan(0);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    await page.getByText(/The WAV file is ready/).waitFor();
    await page.screenshot({ path: `${SHOTS}/exports-wav-ready.png`, fullPage: true });
  }, 150_000);

  it('makes a WAV file of the part selected on the timeline, exactly that long', async () => {
    await page.getByRole('button', { name: 'Whole session' }).click();
    const box = await page.locator('.strip').boundingBox();
    if (!box) throw new Error('no timeline');
    const view = await page.evaluate(() => window.__attuneReview?.view() ?? { from: 0, to: 0 });
    const xAt = (t: number) => box.x + ((t - view.from) / (view.to - view.from)) * box.width;
    const from = view.from + (view.to - view.from) * 0.2;
    const to = view.from + (view.to - view.from) * 0.7;
    await page.mouse.move(xAt(from), box.y + 160);
    await page.mouse.down();
    await page.mouse.move(xAt((from + to) / 2), box.y + 160, { steps: 4 });
    await page.mouse.move(xAt(to), box.y + 160, { steps: 4 });
    await page.mouse.up();
    const span = await page.evaluate(() => window.__attuneReview?.span());
    if (!span) throw new Error('no span selected');
    const download = page.waitForEvent('download', { timeout: 120_000 });
    await page.getByRole('button', { name: /^Only \d+:\d\d–\d+:\d\d, as selected$/ }).click();
    const bytes = await readFile((await (await download).path()) as string);
    const frames = bytes.readUInt32LE(40) / 4;
    expect(frames / bytes.readUInt32LE(24)).toBeCloseTo(span.to - span.from, 3);
  }, 150_000);

  it('stops a WAV export part-way: the studio drops it', async () => {
    const answer = page.waitForResponse((r) => r.url().endsWith('/exports/wav'));
    await page.getByRole('button', { name: 'Make it again' }).click();
    const job = ((await (await answer).json()) as { job: { id: string } }).job.id;
    await page.getByRole('button', { name: 'Stop making it' }).click();
    await page.getByRole('button', { name: 'Make a WAV file' }).waitFor();
    expect(await page.locator('.exports progress').count()).toBe(0);
    // Gone, or (if it was mixing) cancelled until its render ends.
    const left = await therapist
      .request<{ job: { state: string } }>('GET', `/api/exports/${job}`)
      .then((a) => a.job.state)
      .catch((error: Error) => (error.message.includes(' 404 ') ? 'gone' : error.message));
    expect(['gone', 'cancelled']).toContain(left);
    expect(errors).toEqual([]);
  });
});
