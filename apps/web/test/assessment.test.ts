/**
 * Assessment in real Chromium against the real studio (`node --import tsx apps/server/src/main.ts`,
 * SQLite in a fresh folder). Three sessions with Mia are recorded for real: the therapist and Mia
 * connect from Node over `ws` with the same LiveConnection the pages use, Mia plays a steady tune,
 * the therapist marks a moment live, and each session is linked to Mia's record with a note. Then
 * Ann rates a session on Scale II in its review, citing the live mark, and sees what the recording
 * shows beside the IAP items without any level chosen for her; Bo, a colleague assigned to Mia (not the
 * therapist who ran the session), opens its review from Mia's page, rates it in his own browser and the
 * agreement shows to both; and after two more sessions
 * are rated, Mia's page charts her ratings and measures across the three. Screenshots at 1024×768
 * and 1440×900 go to /tmp/shots/.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchSharedBrowser } from './support/browser.ts';
import { expectChromiumInCI } from './support/chromium-ci.ts';
import { collectErrors } from './support/page-errors.ts';
import { NodeRoom, deviceNow as now, sleep } from './support/room.ts';
import { startTestStudio, type TestStudio } from './support/studio.ts';
import { Therapist } from './support/therapist.ts';

const SHOTS = '/tmp/shots';
const SETUP_TIMEOUT = 300_000;
const TUNE = [60, 62, 64, 65, 67, 65, 64, 62, 60, 64, 67, 72, 67, 64];

interface Rating {
  rater: string;
  item: string;
  level: number;
  comment: string;
  evidence: string[];
}

expectChromiumInCI();

describe.skipIf(!hasChromium())('rating sessions and following a client’s progress', () => {
  let studio: TestStudio;
  let chromium: Browser;
  let ann: Therapist;
  let bo: Therapist;
  let annPage: Page;
  let client = '';
  const sessions: string[] = [];
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  /** One session recorded for real: Mia plays the tune at `beat` seconds, the therapist marks once. */
  async function record(title: string, beat: number, loud: number): Promise<{ id: string; lane: string }> {
    const started = await ann.startSession(title);
    const room = await NodeRoom.open(studio.origin, started);
    const { player: mia, seat: lane } = await room.admit('Mia');
    for (const [i, pitch] of TUNE.entries()) {
      mia.play({ type: 'note', pitch, velocity: loud + (i % 3) * 5, duration: beat / 2 }, now());
      if (i === 5) room.therapist.mark('looked up and smiled', ['first eye contact'], now());
      await sleep(beat * 1000);
    }
    await room.acknowledged();
    await sleep(800);
    room.close();
    await ann.request('POST', `/api/sessions/${started.session.id}/end`);
    await ann.request('PUT', `/api/sessions/${started.session.id}/links`, {
      clients: [{ id: client, participant: lane }],
      group: null,
    });
    return { id: started.session.id, lane };
  }

  /** A page of a browser of its own, logged in as `who`. */
  async function pageOf(who: Therapist): Promise<Page> {
    const context = await chromium.newContext();
    contexts.push(context);
    await who.logInto(context);
    const page = await context.newPage();
    collectErrors(page, errors, { where: true });
    return page;
  }

  const ratings = async (session: string) =>
    (await ann.request<{ ratings: Rating[] }>('GET', `/api/sessions/${session}/ratings`)).ratings;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    studio = await startTestStudio();
    ann = await Therapist.setUp(studio.origin);
    const made = await ann.request<{ user: { id: string } }>('POST', '/api/therapists', {
      name: 'Bo Kim',
      email: 'bo@clinic.example',
      password: 'another long password',
      role: 'therapist',
    });
    client = (
      await ann.request<{ client: { id: string } }>('POST', '/api/clients', {
        name: 'Mia Jansen',
        birthDate: '2016-02-29',
        displayName: 'Mia',
        consent: { recording: true, research: false, family: true },
      })
    ).client.id;
    const state = await ann.request<{ user: { id: string } }>('GET', '/api/state');
    await ann.request('PUT', `/api/clients/${client}/therapists`, {
      therapistIds: [state.user.id, made.user.id],
    });
    bo = await Therapist.logIn(studio.origin, 'bo@clinic.example', 'another long password');

    for (const [i, [beat, loud]] of [
      [0.5, 50],
      [0.45, 70],
      [0.4, 90],
    ].entries()) {
      const { id } = await record(`Mia, week ${i + 1}`, beat as number, loud as number);
      sessions.push(id);
      await ann.request('POST', `/api/sessions/${id}/notes`, {
        text: ['Wary; stayed by the door.', 'Played the drum with me.', 'Led the tune; laughed.'][i],
      });
    }
    chromium = await launchSharedBrowser();
    annPage = await pageOf(ann);
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await chromium?.close();
    await studio?.close();
  });

  it('rates a session on Scale II in its review, citing the live mark', async () => {
    const page = annPage;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${studio.origin}/review/${sessions[1]}`);
    const panel = page.getByRole('region', { name: 'Assessment' });
    await panel.waitFor({ timeout: 60_000 }).catch(async (error: unknown) => {
      await page.screenshot({ path: `${SHOTS}/assessment-failed.png`, fullPage: true });
      throw new Error(`no assessment panel (page errors: ${errors.join(' | ')}): ${String(error)}`);
    });
    await panel.getByRole('radio', { name: /Scale II/ }).click();
    const instrumental = panel.getByRole('group', { name: 'Instrumental' });
    await instrumental.getByText('4', { exact: true }).click();
    await panel.getByRole('group', { name: 'Vocal' }).getByText('2', { exact: true }).click();
    const item = panel.locator('[data-item="instrumental"]');
    await item.getByText('Comment and evidence').click();
    await item.getByLabel('Comment').fill('Kept the beat with me for the whole tune.');
    await item.getByLabel(/looked up and smiled/).check();
    await panel.getByRole('button', { name: 'Save my 2 ratings' }).click();
    await panel.getByText('Your 2 ratings are saved.').waitFor();
    const saved = await ratings(sessions[1] as string);
    expect(saved.map((r) => [r.item, r.level])).toEqual([
      ['instrumental', 4],
      ['vocal', 2],
    ]);
    expect(saved[0]?.comment).toBe('Kept the beat with me for the whole tune.');
    expect(saved[0]?.evidence).toEqual([expect.stringMatching(/^live-\d+$/)]);
    await expect.poll(() => panel.getByRole('button', { name: 'Nothing new to save' }).count()).toBe(1);
    await item.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/assessment-review-1440.png` });
  }, 120_000);

  it('shows what the recording shows beside the IAP items, choosing no level', async () => {
    const panel = annPage.getByRole('region', { name: 'Assessment' });
    await panel.getByRole('radio', { name: /IAP/ }).click();
    await panel.getByText('Variability', { exact: true }).click();
    const shows = panel.getByRole('complementary', { name: 'What the recording shows' });
    await expect.poll(() => shows.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => shows.first().textContent()).toMatch(/cannot hear intention/);
    expect(await panel.locator('input[type="radio"]:checked').count()).toBe(0);
    await panel.locator('[data-item="variability:rhythm"]').scrollIntoViewIfNeeded();
    await annPage.screenshot({ path: `${SHOTS}/assessment-iap-1440.png` });
    expect(errors).toEqual([]);
  }, 90_000);

  it('lets a second rater rate in his own browser, and both see their agreement', async () => {
    const page = await pageOf(bo);
    await page.setViewportSize({ width: 1024, height: 768 });
    // He did not run the session: being assigned to Mia lets him reach it from her page.
    await page.goto(`${studio.origin}/clients/${client}`);
    await page.getByRole('link', { name: 'Review Mia, week 2' }).click();
    await page.waitForURL(`**/review/${sessions[1]}`);
    // Who the session was with he reads, and is told who changes it.
    await page
      .getByText('Only the therapist who ran the session, or an admin, changes who it was with.')
      .waitFor();
    await page.getByText('Mia, Seat 1 (p1)').waitFor();
    const panel = page.getByRole('region', { name: 'Assessment' });
    await panel.getByRole('radio', { name: /Scale II/ }).click();
    // Ann's levels are there beside his, before he rates.
    await panel.getByText('Ann Lee:').first().waitFor();
    await panel.getByRole('group', { name: 'Instrumental' }).getByText('4', { exact: true }).click();
    await panel.getByRole('group', { name: 'Vocal' }).getByText('3', { exact: true }).click();
    await panel.getByRole('button', { name: 'Save my 2 ratings' }).click();
    await panel.getByText('Your 2 ratings are saved.').waitFor();
    const agreement = panel.getByRole('group', { name: 'Agreement between raters' });
    await agreement.getByText('Ann Lee and Bo Kim rated 2 items.').waitFor();
    await agreement.getByText(/Same level: 50 %/).waitFor();
    await agreement.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/assessment-agreement-1024.png` });

    await annPage.reload();
    const annPanel = annPage.getByRole('region', { name: 'Assessment' });
    await annPanel.getByRole('radio', { name: /Scale II/ }).click();
    await annPanel
      .getByRole('group', { name: 'Agreement between raters' })
      .getByText(/Krippendorff’s alpha/)
      .waitFor();
    await annPanel.getByText('Bo Kim:').first().waitFor();
    expect((await ratings(sessions[1] as string)).length).toBe(4);
    expect(errors).toEqual([]);
  }, 120_000);

  it('charts Mia’s ratings and measures across her sessions on her page, notes on focus', async () => {
    for (const [i, s] of [sessions[0], sessions[2]].entries())
      await ann.request('PUT', `/api/sessions/${s}/ratings`, {
        scale: 'nordoff-robbins-2',
        ratings: [
          { item: 'instrumental', level: 2 + i * 4 },
          { item: 'vocal', level: 1 + i * 3 },
        ],
      });
    const page = annPage;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${studio.origin}/clients/${client}`);
    const section = page.getByRole('region', { name: 'Progress across sessions' });
    await section.getByText(/^3 sessions, (all on|from) /).waitFor({ timeout: 60_000 });
    const instrumental = section.getByRole('group', { name: /^Instrumental: 3 of 3 sessions/ });
    await expect.poll(() => instrumental.getByRole('button').count()).toBe(3);
    const tempo = section.getByRole('group', { name: /^Usual tempo/ });
    await expect.poll(() => tempo.getByRole('button').count()).toBe(3);
    // The usual tempo rose with the tune's beat: 120, 133 and 150 BPM.
    const tempi = await tempo
      .getByRole('button')
      .evaluateAll((points) => points.map((p) => p.getAttribute('aria-label') ?? ''));
    const bpm = tempi.map((label) => Number(/: ([\d.]+) BPM/.exec(label)?.[1]));
    expect(bpm[0]).toBeLessThan(bpm[1] as number);
    expect(bpm[1]).toBeLessThan(bpm[2] as number);
    const first = instrumental.getByRole('button').first();
    await first.focus();
    await section.getByText('Wary; stayed by the door.').waitFor();
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/assessment-progress-1440.png`, fullPage: true });
    await page.setViewportSize({ width: 1024, height: 768 });
    await instrumental.getByRole('button').nth(1).focus();
    await section.getByText('Played the drum with me.').waitFor();
    await page.screenshot({ path: `${SHOTS}/assessment-progress-1024.png` });
    expect(errors).toEqual([]);
  }, 120_000);
});
