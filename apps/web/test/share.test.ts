/**
 * Sharing a clip with a family, in real Chromium against the real studio (its wall clock moved by
 * hand through test/support/shifted-clock.mjs). A session is recorded for real over the room's
 * WebSocket and linked to its client; the therapist opens its review, shares a span with a note,
 * and gets a link. The link opens in a browser with no cookie: the page plays that clip, of that
 * length, with the note, and neither the page nor anything it fetches shows more. Stopped by the
 * therapist, and a day after a one-day link was made, the page says the link no longer works and
 * the clip's address answers 404. With the consent withdrawn, the review offers no link and says
 * why. Screenshots (laptop 1024×768 and phone 390×844) go to /tmp/shots/.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/review/hook.ts';
import { hasChromium, launchBrowser, launchSharedBrowser, type TestBrowser } from './support/browser.ts';
import { expectChromiumInCI } from './support/chromium-ci.ts';
import { collectErrors } from './support/page-errors.ts';
import { NodeRoom, deviceNow as now, sleep } from './support/room.ts';
import { startTestStudio, type TestStudio } from './support/studio.ts';
import { Therapist } from './support/therapist.ts';

const SHOTS = '/tmp/shots';
const SETUP_TIMEOUT = 240_000;
const DAY_MS = 86_400_000;
const NOTE = 'She played the drum with me, and we finished together.';
const LAPTOP = { width: 1024, height: 768 };
const PHONE = { width: 390, height: 844 };

expectChromiumInCI();

describe.skipIf(!hasChromium())('sharing a clip with the family', () => {
  let studio: TestStudio;
  let clockDir: string;
  let clockFile: string;
  let therapist: Therapist;
  let browser: TestBrowser;
  let page: Page;
  let families: Browser;
  let session = '';
  let client = '';
  let link = '';
  const errors: string[] = [];

  /** Moves the studio's wall clock `ms` past the real time. */
  const moveClock = async (ms: number) => {
    await writeFile(clockFile, String(ms));
    await sleep(100);
  };

  /** A fresh browser of the family's: no cookie, no storage, every request recorded. */
  const familyPage = async (viewport = LAPTOP) => {
    const context: BrowserContext = await families.newContext({ viewport });
    const requests: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    const opened = await context.newPage();
    collectErrors(opened, errors, { console: false });
    return { context, page: opened, requests };
  };

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    clockDir = await mkdtemp(join(tmpdir(), 'attune-clock-'));
    clockFile = join(clockDir, 'offset');
    await writeFile(clockFile, '0');
    studio = await startTestStudio(undefined, { clockFile });
    therapist = await Therapist.setUp(studio.origin);
    const started = await therapist.startSession('Mia, week 4');
    session = started.session.id;
    const room = await NodeRoom.open(studio.origin, started);
    for (const [i, pitch] of [60, 64, 67, 72, 67, 64, 60, 62, 64, 65, 67, 72, 71, 72, 60, 48].entries()) {
      room.therapist.play({ type: 'note', pitch, velocity: 80 + (i % 4) * 8, duration: 0.3 }, now());
      await sleep(350);
    }
    await room.acknowledged('every note acknowledged');
    room.close();
    await therapist.request('POST', `/api/sessions/${session}/end`);
    const mia = await therapist.request<{ client: { id: string } }>('POST', '/api/clients', {
      name: 'Mia Jansen',
      birthDate: '2016-02-29',
      displayName: 'Mia',
      consent: { recording: true, research: false, family: true },
    });
    client = mia.client.id;
    await therapist.request('PUT', `/api/sessions/${session}/links`, {
      clients: [{ id: client, participant: null }],
      group: null,
    });

    browser = await launchBrowser();
    await therapist.logInto(browser.context);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: studio.origin });
    page = await browser.context.newPage();
    await page.setViewportSize(LAPTOP);
    collectErrors(page, errors, { console: false });
    families = await launchSharedBrowser();
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await families?.close();
    await browser?.close();
    await studio?.close();
    await rm(clockDir, { recursive: true, force: true });
  });

  it('makes a link to a span from the review, with a note, shown once to copy', async () => {
    await page.goto(`${studio.origin}/review/${session}`);
    await page.waitForFunction(() => window.__attuneReview?.ready() === true);
    const panel = page.getByRole('region', { name: 'Share with family' });
    await panel.scrollIntoViewIfNeeded();
    await panel.getByText('No links yet').waitFor();
    await panel.getByRole('button', { name: 'Share a clip…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share a clip with family' });
    await dialog.getByLabel('From').fill('0:01');
    await dialog.getByLabel('To').fill('0:04');
    await dialog.getByText('3 seconds').waitFor();
    await dialog.getByLabel('A note for the family').fill(NOTE);
    await dialog.getByRole('radio', { name: 'One week' }).check();
    await dialog.screenshot({ path: `${SHOTS}/share-dialog-laptop.png` });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SHOTS}/share-dialog-phone.png` });
    await page.setViewportSize(LAPTOP);
    await dialog.getByRole('button', { name: 'Make the link' }).click();

    const ready = page.getByRole('dialog', { name: 'The link is ready' });
    link = await ready.getByLabel('Link').inputValue();
    expect(link.startsWith(`${studio.origin}/shared/`)).toBe(true);
    expect(link).toMatch(/\/shared\/[A-Za-z0-9_-]{43}$/);
    await ready.getByRole('button', { name: 'Copy the link' }).click();
    await ready.getByText('The link is copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await ready.screenshot({ path: `${SHOTS}/share-link-laptop.png` });
    await ready.getByRole('button', { name: 'Done' }).click();

    const item = panel.getByRole('listitem');
    await expect.poll(() => item.count()).toBe(1);
    const text = (await item.textContent()) ?? '';
    expect(text).toContain('0:01.0–0:04.0');
    expect(text).toContain('for Mia’s family · 3 seconds');
    expect(text).toContain(NOTE);
    expect(text).toMatch(/Works until/);
    await panel.screenshot({ path: `${SHOTS}/share-panel-laptop.png` });
    expect(errors).toEqual([]);
  }, 60_000);

  it('opens with no account and plays that clip with the note, and nothing else', async () => {
    const family = await familyPage();
    const token = link.split('/').pop() ?? '';
    const path = new URL(link).pathname;
    const answers: Array<{ url: string; body: string }> = [];
    family.page.on('response', async (response) => {
      if (response.url().includes('/api/'))
        answers.push({ url: response.url(), body: await response.text().catch(() => '') });
    });
    await family.page.goto(`${studio.origin}${path}`);
    await family.page.getByRole('heading', { name: 'Music from a therapy session' }).waitFor();
    await family.page.getByText(NOTE).waitFor();
    expect(await family.page.title()).toBe('A clip from music therapy');
    const text = (await family.page.locator('body').textContent()) ?? '';
    expect(text).not.toMatch(/Mia|Jansen|week 4|Ann Lee|Attune|Log in|Review/);
    expect(await family.page.locator('a, nav').count()).toBe(0);

    // The clip plays: the player learns its length, and its time runs on to the end.
    const audio = family.page.locator('audio');
    await family.page.waitForFunction(() => (document.querySelector('audio')?.readyState ?? 0) >= 1);
    const duration = await audio.evaluate((a: HTMLAudioElement) => a.duration);
    expect(duration).toBeCloseTo(3, 2);
    await audio.evaluate((a: HTMLAudioElement) => a.play());
    await family.page.waitForFunction(() => document.querySelector('audio')?.ended === true, undefined, {
      timeout: 20_000,
    });
    await family.page.screenshot({ path: `${SHOTS}/share-family-laptop.png`, fullPage: true });
    await family.page.setViewportSize(PHONE);
    await family.page.screenshot({ path: `${SHOTS}/share-family-phone.png`, fullPage: true });

    // It asked the studio for the page, its code, the link's note and the clip: nothing else.
    const asked = family.requests.map((u) => new URL(u)).filter((u) => u.origin === studio.origin);
    expect(family.requests.length).toBe(asked.length);
    for (const u of asked)
      expect(
        u.pathname === path ||
          u.pathname.startsWith('/assets/') ||
          u.pathname === `/api/shared/${token}` ||
          u.pathname === `/api/shared/${token}/clip.wav`,
        u.pathname,
      ).toBe(true);
    expect(asked.some((u) => u.pathname === `/api/shared/${token}/clip.wav`)).toBe(true);
    const note = answers.find((a) => a.url.endsWith(`/api/shared/${token}`));
    expect(Object.keys(JSON.parse(note?.body ?? '{}')).sort()).toEqual(['duration', 'expiresAt', 'note']);
    for (const a of answers) expect(a.body).not.toMatch(new RegExp(`${session}|${client}|Mia`));
    expect((await family.context.cookies()).length).toBe(0);
    await family.context.close();
    expect(errors).toEqual([]);
  }, 60_000);

  it('stops working when the therapist stops it: a calm page, and the clip answers 404', async () => {
    const panel = page.getByRole('region', { name: 'Share with family' });
    await panel.getByRole('button', { name: /^Stop the link to/ }).click();
    await panel.getByRole('button', { name: 'Stop it' }).click();
    await panel.getByText(/^Stopped on/).waitFor();

    const family = await familyPage(PHONE);
    await family.page.goto(link);
    await family.page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
    expect(await family.page.locator('audio').count()).toBe(0);
    await family.page.screenshot({ path: `${SHOTS}/share-family-gone-phone.png`, fullPage: true });
    const wav = await fetch(`${link.replace('/shared/', '/api/shared/')}/clip.wav`);
    expect(wav.status).toBe(404);
    await family.context.close();
  }, 30_000);

  it('stops working once it has expired', async () => {
    const made = await therapist.request<{ link: string }>('POST', `/api/sessions/${session}/shares`, {
      from: 0.5,
      to: 2.5,
      note: 'For today only.',
      expiresInDays: 1,
    });
    const family = await familyPage();
    await family.page.goto(made.link);
    await family.page.getByText('For today only.').waitFor();
    await moveClock(DAY_MS + 60_000);
    await family.page.reload();
    await family.page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
    const wav = await fetch(`${made.link.replace('/shared/', '/api/shared/')}/clip.wav`);
    expect(wav.status).toBe(404);
    await family.context.close();
    await moveClock(0);
  }, 30_000);

  it("lists the client's links on their page, each naming its session, and stops one there", async () => {
    const made = await therapist.request<{ link: string; share: { id: string } }>(
      'POST',
      `/api/sessions/${session}/shares`,
      { from: 1, to: 3, note: 'Stopped from her page.', expiresInDays: 7 },
    );
    await page.goto(`${studio.origin}/clients/${client}`);
    const section = page.getByRole('region', { name: 'Links shared with family' });
    const list = section.getByRole('list', { name: "Links shared with Mia's family" });
    const item = list.getByRole('listitem').filter({ hasText: 'Stopped from her page.' });
    await item.getByRole('link', { name: /^of / }).waitFor();
    // The stopped link of the review is listed too, stopped.
    await list
      .getByRole('listitem')
      .filter({ hasText: /^.*Stopped on/ })
      .first()
      .waitFor();
    await item.getByRole('button', { name: /^Stop the link to/ }).click();
    await item.getByRole('button', { name: 'Stop it' }).click();
    await list
      .getByRole('listitem')
      .filter({ hasText: 'Stopped from her page.' })
      .getByText(/^Stopped on/)
      .waitFor();
    const shares = await therapist.request<{ shares: { id: string; state: string }[] }>(
      'GET',
      `/api/clients/${client}/shares`,
    );
    expect(shares.shares.find((s) => s.id === made.share.id)?.state).toBe('revoked');
    await section.screenshot({ path: `${SHOTS}/share-client-page.png` });
    const wav = await fetch(`${made.link.replace('/shared/', '/api/shared/')}/clip.wav`);
    expect(wav.status).toBe(404);
    await page.goto(`${studio.origin}/review/${session}`);
  }, 30_000);

  it('offers no link, and says why, once the family consent is withdrawn', async () => {
    await therapist.request('PATCH', `/api/clients/${client}`, { consent: { family: false } });
    await page.reload();
    await page.waitForFunction(() => window.__attuneReview?.ready() === true);
    const panel = page.getByRole('region', { name: 'Share with family' });
    await panel.scrollIntoViewIfNeeded();
    await panel.getByText('Mia’s record does not allow sharing with family.', { exact: false }).waitFor();
    expect(await panel.getByRole('button', { name: 'Share a clip…' }).isDisabled()).toBe(true);
    // The links already made stop for good too.
    await panel.getByText('Stopped: the consent to share with family was withdrawn').waitFor();
    expect(await panel.getByRole('button', { name: /^Stop the link to/ }).count()).toBe(0);
    await panel.screenshot({ path: `${SHOTS}/share-no-consent-laptop.png` });
    expect(errors).toEqual([]);
  }, 30_000);
});
