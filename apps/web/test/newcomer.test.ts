/**
 * The newcomer's path through a real studio, in real Chromium: the first therapist created on the
 * setup page, a session started, a second browser page joining by the room code, admitted from
 * the console, playing, hearing the companion, steering and an index mark recorded, the session
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
import { hasChromium, launchBrowser, type TestBrowser } from './support/browser.ts';
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

/** What the participant's page has received and sent, kept on its window. */
interface Device {
  messages: Array<{ type: string; [key: string]: unknown }>;
  /** Session time at each companion message's arrival, and the earliest start in it. */
  companionArrivals: Array<{ at: number; earliest: number }>;
  offset: number | null;
  sent: number;
}
type DeviceWindow = Window & { __device?: Device; __socket?: WebSocket };

it.runIf(!hasChromium() && process.env.CI !== undefined)('finds Chromium in CI', () => {
  expect(hasChromium()).toBe(true);
});

describe.skipIf(!hasChromium())('a newcomer runs a first session', () => {
  let studio: TestStudio;
  let browser: TestBrowser;
  let therapist: Page;
  let client: Page;
  const errors: string[] = [];
  let sessionId = '';
  let code = '';

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    studio = await startTestStudio();
    browser = await launchBrowser();
    therapist = await browser.context.newPage();
    client = await browser.context.newPage();
    for (const page of [therapist, client]) page.on('pageerror', (error) => errors.push(error.message));
    await therapist.setViewportSize({ width: 1280, height: 900 });
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
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
    expect(await therapist.getByText('No sessions yet.').isVisible()).toBe(true);
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

  it('lets a second device in from the waiting list, and the room hears it play with the companion', async () => {
    // A second browser page joins by the code, as a client's tablet does.
    await client.goto(`${studio.origin}/about`);
    await client.evaluate((room) => {
      const w = window as DeviceWindow;
      const device: Device = { messages: [], companionArrivals: [], offset: null, sent: 0 };
      w.__device = device;
      const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
      w.__socket = socket;
      socket.onopen = () =>
        socket.send(
          JSON.stringify({
            type: 'hello',
            protocol: 1,
            role: 'participant',
            room,
            device: 'Tablet by the window',
            name: 'JB',
          }),
        );
      socket.onmessage = (event) => {
        const message = JSON.parse(String(event.data));
        device.messages.push(message);
        const deviceNow = performance.now() / 1000;
        if (message.type === 'admitted' || message.type === 'welcome')
          device.offset = message.now - deviceNow;
        if (message.type === 'companion' && device.offset !== null && message.notes.length > 0) {
          const starts = (message.notes as Array<{ start: number }>).map((n) => n.start);
          device.companionArrivals.push({ at: deviceNow + device.offset, earliest: Math.min(...starts) });
        }
      };
    }, code);

    const waiting = therapist.locator('.person.waiting', { hasText: 'JB' });
    await waiting.waitFor({ timeout: 10_000 });
    expect(await waiting.textContent()).toContain('Tablet by the window');
    await waiting.getByRole('button', { name: 'Admit' }).click();
    await client.waitForFunction(() =>
      (window as DeviceWindow).__device?.messages.some((m) => m.type === 'admitted'),
    );
    const player = therapist.locator('.player', { hasText: 'JB' });
    await player.waitFor();
    expect(await therapist.locator('.person.waiting').count()).toBe(0);
    const colour = await player.evaluate((el) => getComputedStyle(el).borderLeftColor);
    expect(colour).not.toBe('rgb(136, 136, 136)');

    // The client taps a steady pulse on the pads' notes: 120 a minute for 12 seconds.
    await client.evaluate(async () => {
      const w = window as DeviceWindow;
      const device = w.__device as Device;
      const admitted = device.messages.find((m) => m.type === 'admitted') as unknown as {
        nextClientSeq: number;
      };
      const pitches = [60, 62, 64, 67, 69, 67, 64, 62];
      for (let i = 0; i < 24; i++) {
        const t = performance.now() / 1000 + (device.offset as number);
        const event = { type: 'note', t, pitch: pitches[i % 8], velocity: 70 + (i % 4) * 8, duration: 0.3 };
        w.__socket?.send(JSON.stringify({ type: 'play', clientSeq: admitted.nextClientSeq + i, event }));
        device.sent++;
        await new Promise((done) => setTimeout(done, 500));
      }
    });
    // The companion is heard: its notes reach the client's device, ahead of their time.
    await client.waitForFunction(
      () => ((window as DeviceWindow).__device?.companionArrivals.length ?? 0) > 0,
      undefined,
      {
        timeout: 20_000,
      },
    );
    const device = (await client.evaluate(() => (window as DeviceWindow).__device)) as Device;
    const acks = device.messages.filter((m) => m.type === 'ack');
    expect(acks.length).toBe(24);
    const notes = device.messages
      .filter((m) => m.type === 'companion')
      .flatMap((m) => m.notes as Array<{ start: number }>);
    expect(notes.length).toBeGreaterThan(0);
    // After its first window the room sends each batch ahead of its first note (docs/PROTOCOL.md).
    // This device's clock is the rough one from joining, and the machine is shared with other
    // test runs, so a batch held up now and then is tolerated; most must arrive ahead of time.
    const later = device.companionArrivals.slice(1);
    const ahead = later.filter((a) => a.earliest > a.at).length;
    expect(
      ahead / later.length,
      JSON.stringify(later.filter((a) => a.earliest <= a.at)),
    ).toBeGreaterThanOrEqual(0.8);

    // The console's device, the room's speaker by default, sounded the companion on time too.
    const sounded = await therapist.evaluate(
      () => window.__attuneConsole?.log.filter((e) => e.kind === 'companion') ?? [],
    );
    expect(
      sounded.filter((e) => e.outcome === 'scheduled').length,
      JSON.stringify(sounded.slice(0, 3)),
    ).toBeGreaterThan(0);

    // The console says what Attune hears of the player, in words.
    await player.locator('.heard').waitFor({ timeout: 10_000 });
    const heard = (await player.locator('.heard').textContent()) ?? '';
    // The client tapped 120 a minute.
    expect(Number(await player.locator('.pulse strong').textContent())).toBeGreaterThan(114);
    expect(Number(await player.locator('.pulse strong').textContent())).toBeLessThan(126);
    expect(heard).toMatch(/Steady pulse|Pulse forming/);
    expect(heard).toMatch(/Quiet|Moderate|Strong|Very loud|Very quiet/);
    await therapist.screenshot({ path: `${SHOTS}/console.png`, fullPage: true });

    const logged = await log();
    const played = logged.filter(
      (e) => e.participant === device.messages.find((m) => m.type === 'admitted')?.participant,
    );
    expect(played.length).toBe(24);
  }, 90_000);

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
    await client.waitForFunction(() =>
      (window as DeviceWindow).__device?.messages.some(
        (m) => m.type === 'refused' && m.code === 'room-closed',
      ),
    );

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
    expect(logged.length).toBeGreaterThan(24);
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
