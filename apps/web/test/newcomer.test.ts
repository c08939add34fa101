/**
 * The newcomer's path through a real studio, in real Chromium: the first therapist created on the
 * setup page, a session started, a second browser page joining by the room code, admitted from
 * the console, playing pads, hearing the companion, steering and an index mark recorded, the session
 * ended and its recording listed on the home page with its event count. Then logging in again:
 * a wrong password, and the pause after too many.
 *
 * The studio is the real one (`node --import tsx apps/server/src/main.ts`, SQLite in a fresh
 * folder); what is recorded is read back through its HTTP API.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/console/hook.ts';
import '../src/live/hook.ts';
import { hasChromium, launchBrowser, type TestBrowser } from './support/browser.ts';
import { expectChromiumInCI } from './support/chromium-ci.ts';
import { startTestStudio, type TestStudio } from './support/studio.ts';

const SHOTS = '/tmp/attune-shots';
const SETUP_TIMEOUT = 240_000;

interface Logged {
  seq: number;
  participant: string;
  t: number;
  type: string;
  payload: unknown;
}

expectChromiumInCI();

describe.skipIf(!hasChromium())('a newcomer runs a first session', () => {
  let studio: TestStudio;
  let browser: TestBrowser;
  /** The client's tablet: another browser, with its own storage. */
  let tablet: TestBrowser;
  let therapist: Page;
  let client: Page;
  const errors: string[] = [];
  let sessionId = '';
  let code = '';

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    studio = await startTestStudio();
    browser = await launchBrowser();
    tablet = await launchBrowser();
    therapist = await browser.context.newPage();
    client = await tablet.context.newPage();
    for (const page of [therapist, client]) page.on('pageerror', (error) => errors.push(error.message));
    await therapist.setViewportSize({ width: 1280, height: 900 });
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await tablet?.close();
    await studio?.close();
  });

  /** The session log, read by the logged-in therapist's page. */
  const log = (): Promise<Logged[]> =>
    therapist.evaluate(async (id) => {
      const response = await fetch(`/api/sessions/${id}/events?limit=5000`);
      return ((await response.json()) as { events: Logged[] }).events;
    }, sessionId);

  it('creates the first therapist on the setup page, after saying what was wrong', async () => {
    await therapist.goto(studio.origin);
    await therapist.getByRole('heading', { name: 'Set up your studio' }).waitFor();
    await therapist.screenshot({ path: `${SHOTS}/setup.png`, fullPage: true });
    await therapist.getByLabel('Your name').fill('Ann Lee');
    await therapist.getByLabel('Email address').fill('ann@clinic');
    await therapist.getByLabel('Password', { exact: true }).fill('violin');
    await therapist.getByLabel('The password again').fill('violin');
    await therapist.getByRole('button', { name: 'Create the account' }).click();
    await therapist.getByText('Write the full email address, like name@example.org.').waitFor();
    await therapist.getByText('The password needs at least 10 characters; it has 6.').waitFor();
    // Nothing was sent: the studio still asks for its first account.
    const state = await therapist.evaluate(async () => (await fetch('/api/state')).json());
    expect(state).toMatchObject({ setupNeeded: true, user: null });

    await therapist.getByLabel('Email address').fill('ann@clinic.org');
    await therapist.getByLabel('Password', { exact: true }).fill('blue violin morning');
    await therapist.getByLabel('The password again').fill('blue violin mornin');
    await therapist.getByRole('button', { name: 'Create the account' }).click();
    await therapist.getByText('The two passwords are not the same.').waitFor();
    await therapist.getByLabel('The password again').fill('blue violin morning');
    await therapist.getByRole('button', { name: 'Create the account' }).click();
    await therapist.getByRole('heading', { name: 'Start a session' }).waitFor();
    await therapist.getByText('Logged in as').waitFor();
    await therapist.getByText('No sessions yet.').waitFor();
  });

  it('starts a session and shows the room code, the join link and its QR code', async () => {
    await therapist.getByLabel('Title').fill('Tuesday group');
    await therapist.getByRole('button', { name: 'Start a session' }).click();
    await therapist.waitForURL(/\/console\/[A-Za-z0-9_-]+$/);
    sessionId = new URL(therapist.url()).pathname.split('/').pop() as string;
    const codeText = therapist.locator('.code');
    await codeText.waitFor();
    code = (await codeText.getAttribute('data-code')) ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4,12}$/);
    expect(await therapist.locator('.join .link a').textContent()).toMatch(new RegExp(`/join/${code}$`));
    expect(await therapist.locator('svg.qr path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    await therapist.locator('.link-state', { hasText: /^In the room/ }).waitFor({ timeout: 15_000 });
    // The console's sounds load from the studio itself.
    await therapist.waitForFunction(() => window.__attuneConsole !== undefined, undefined, {
      timeout: 120_000,
    });
  }, 150_000);

  it('lets a second browser in by the room code, and the room hears its pads with the companion', async () => {
    // A client types the code on the join page, as on a tablet.
    await client.goto(`${studio.origin}/join`);
    await client.getByLabel('Room code').fill(code.toLowerCase());
    await client.getByRole('button', { name: 'Next' }).click();
    await client.getByLabel('Your first name or initials').fill('JB');
    await client.getByRole('button', { name: 'Join', exact: true }).click();
    await client.getByRole('heading', { name: /The therapist will let you in/ }).waitFor();

    const waiting = therapist.locator('.person.waiting', { hasText: 'JB' });
    await waiting.waitFor({ timeout: 10_000 });
    await waiting.getByRole('button', { name: 'Admit' }).click();
    await client.waitForFunction(
      () => window.__attuneLive?.status().phase === 'in-room' && window.__attuneLive.ready(),
      undefined,
      { timeout: 120_000 },
    );
    const participant = (await client.evaluate(() => window.__attuneLive?.status().participant)) ?? '';
    const player = therapist.locator(`.player[data-participant="${participant}"]`);
    await player.waitFor();
    expect(await player.textContent()).toContain('JB');
    expect(await therapist.locator('.person.waiting').count()).toBe(0);
    const seated = await client.evaluate(() => window.__attuneLive?.status().colour);
    const shown = await player.evaluate((el) => getComputedStyle(el).borderLeftColor);
    const hex = (rgb: string) =>
      `#${(rgb.match(/\d+/g) ?? []).map((n) => Number(n).toString(16).padStart(2, '0')).join('')}`;
    expect(hex(shown)).toBe(seated);

    // The client touches pads, then keeps a steady pulse on them from the keyboard: 120 a minute.
    for (const i of [0, 2, 4, 2]) {
      await client.locator('.pad').nth(i).click();
      await client.waitForTimeout(500);
    }
    await client.evaluate(async () => {
      for (let i = 0; i < 24; i++) {
        const key = String((i % 4) + 1);
        window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
        setTimeout(() => window.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true })), 150);
        await new Promise((done) => setTimeout(done, 500));
      }
    });
    await client.waitForFunction(() => window.__attuneLive?.pending().length === 0, undefined, {
      timeout: 10_000,
    });
    const logged = await log();
    const played = logged.filter((e) => e.participant === participant && e.type === 'play');
    expect(played.length).toBe(28);

    // The companion is heard on the client's device: its notes were scheduled on time there.
    await expect
      .poll(
        async () =>
          (
            await client.evaluate(
              () =>
                window.__attuneLive?.log.filter((e) => e.kind === 'companion' && e.outcome === 'scheduled') ??
                [],
            )
          ).length,
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    // And on the console, the room's speaker by default.
    const sounded = await therapist.evaluate(
      () =>
        window.__attuneConsole?.log.filter((e) => e.kind === 'companion' && e.outcome === 'scheduled') ?? [],
    );
    expect(sounded.length).toBeGreaterThan(0);

    // The console says what Attune hears of the player, in words.
    await player.locator('.heard').waitFor({ timeout: 10_000 });
    const bpm = Number(await player.locator('.pulse strong').textContent());
    expect(bpm).toBeGreaterThan(110);
    expect(bpm).toBeLessThan(130);
    const heard = (await player.locator('.heard').textContent()) ?? '';
    expect(heard).toMatch(/Steady pulse|Pulse forming/);
    expect(heard).toMatch(/Quiet|Moderate|Strong|Very loud|Very quiet|Silent/);
    await therapist.screenshot({ path: `${SHOTS}/console.png`, fullPage: true });
    // The console on a tablet held upright: one column, nothing cut off.
    await therapist.setViewportSize({ width: 820, height: 1180 });
    await therapist.screenshot({ path: `${SHOTS}/console-tablet.png`, fullPage: true });
    expect(await therapist.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
    await therapist.setViewportSize({ width: 1280, height: 900 });
  }, 240_000);

  it('records steering from the console and a mark made with M, with its note and tags', async () => {
    await therapist.getByRole('radio', { name: /Hold/ }).click();
    await therapist.locator('input[name=mark-note]').fill('first shared pulse');
    await therapist.locator('input[name=mark-tags]').fill('synchrony, turn-taking');
    await therapist.getByRole('heading', { name: 'In the room' }).click();
    await therapist.keyboard.press(']');
    await therapist.keyboard.press('m');
    await therapist.getByText(/^Marked at \d+:\d\d$/).waitFor();
    await expect
      .poll(async () => (await log()).filter((e) => e.type === 'steer' || e.type === 'mark').length, {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(3);
    const logged = await log();
    const steers = logged.filter((e) => e.type === 'steer').map((e) => JSON.stringify(e.payload));
    expect(steers.some((p) => p.includes('"hold"'))).toBe(true);
    expect(steers.some((p) => p.includes('"energy"'))).toBe(true);
    const mark = logged.find((e) => e.type === 'mark');
    expect(mark?.participant).toBe('therapist');
    expect(JSON.stringify(mark?.payload)).toContain('first shared pulse');
    expect(mark?.payload).toMatchObject({ tags: ['synchrony', 'turn-taking'] });
    // The console shows the hold it asked for, as the room's state now says.
    await therapist.getByRole('radio', { name: /Hold/, checked: true }).waitFor();
    expect(await therapist.locator('.marks li[data-recorded=true]').count()).toBe(1);
  });

  it('ends the session after asking, and lists the recording with its event count', async () => {
    await therapist.getByRole('button', { name: 'End session' }).click();
    const dialog = therapist.getByRole('dialog', { name: 'End this session?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await therapist.locator('.link-state').textContent()).toMatch(/^In the room/);
    await therapist.getByRole('button', { name: 'End session' }).click();
    await dialog.getByRole('button', { name: 'End the session' }).click();
    await therapist.getByRole('heading', { name: 'The session has ended' }).waitFor();
    expect(await therapist.getByRole('link', { name: 'Review the recording' }).getAttribute('href')).toBe(
      `/review/${sessionId}`,
    );
    // The client's page is told calmly that the session is over.
    await client.waitForFunction(() => window.__attuneLive?.status().ended?.code === 'room-closed');

    await therapist.getByRole('link', { name: 'Back to the sessions' }).click();
    const row = therapist.locator(`.session[data-session="${sessionId}"]`);
    await row.waitFor();
    const sessions = await therapist.evaluate(async () => (await fetch('/api/sessions')).json());
    const listed = (
      sessions as { sessions: Array<{ id: string; events: number; status: string }> }
    ).sessions.find((s) => s.id === sessionId);
    expect(listed?.status).toBe('closed');
    const logged = await log();
    expect(listed?.events).toBe(logged.length);
    expect(logged.length).toBeGreaterThan(28);
    expect(await row.textContent()).toContain('Tuesday group');
    expect(await row.locator('.badge').textContent()).toBe('Ended');
    expect(await row.locator('.count').textContent()).toBe(`${logged.length.toLocaleString('en-US')} events`);
    await therapist.screenshot({ path: `${SHOTS}/home.png`, fullPage: true });
  });

  it('says plainly when a password is wrong, and when logging in is paused after too many tries', async () => {
    await therapist.getByRole('button', { name: 'Log out' }).click();
    await therapist.getByRole('heading', { name: 'Log in to the studio' }).waitFor();
    await therapist.getByLabel('Email address').fill('ann@clinic.org');
    await therapist.getByLabel('Password').fill('blue violin evening');
    await therapist.getByRole('button', { name: 'Log in' }).click();
    await therapist
      .getByText('That email address and password do not match an account. Check both and try again.')
      .waitFor();
    await therapist.screenshot({ path: `${SHOTS}/login-wrong.png` });
    // The page forgot the wrong password; nobody is logged in.
    expect(await therapist.getByLabel('Password').inputValue()).toBe('');
    expect(await therapist.evaluate(() => document.activeElement?.id)).toBe('login-password');
    expect(await therapist.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);

    await therapist.getByLabel('Password').fill('blue violin morning');
    await therapist.getByRole('button', { name: 'Log in' }).click();
    await therapist.getByRole('heading', { name: 'Sessions', level: 2 }).waitFor();
    await therapist.getByRole('button', { name: 'Log out' }).click();
    await therapist.getByLabel('Email address').fill('ann@clinic.org');
    for (let i = 0; i < 6; i++) {
      await therapist.getByLabel('Password').fill(`wrong guess ${i}`);
      await therapist.getByRole('button', { name: 'Log in' }).click();
      await therapist.getByRole('alert').waitFor();
      if ((await therapist.getByRole('alert').textContent())?.startsWith('Too many')) break;
    }
    const alert = (await therapist.getByRole('alert').textContent()) ?? '';
    expect(alert).toMatch(
      /^Too many tries that did not match\. Logging in from here is paused; try again in [1-5] minutes?\.$/,
    );
    // Even the right password waits out the pause.
    await therapist.getByLabel('Password').fill('blue violin morning');
    await therapist.getByRole('button', { name: 'Log in' }).click();
    await therapist.getByText(/^Too many tries/).waitFor();
    expect(await therapist.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    expect(errors).toEqual([]);
  });
});
