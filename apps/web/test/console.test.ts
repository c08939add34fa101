/**
 * The therapist's console in real Chromium against the real studio, beyond the newcomer's path:
 * shortcuts that steer the room and never fire while typing, turning a waiting device away only
 * after asking, a reload that reconnects to the same room, the pages for a logged-out visitor and
 * a session that does not exist, and a session left open by a studio killed mid-session, resumed
 * from the home page with its log continuing.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, type TestBrowser } from './support/browser.ts';
import { expectChromiumInCI } from './support/chromium-ci.ts';
import { fakeMidi } from './support/midi.ts';
import { startTestStudio, type TestStudio } from './support/studio.ts';

const SETUP_TIMEOUT = 240_000;

interface Logged {
  seq: number;
  participant: string;
  type: string;
  payload: unknown;
}

type DeviceWindow = Window & { __messages?: Array<{ type: string; [key: string]: unknown }> };
/** Joins the room from a plain page with a WebSocket, as a client's device does, and keeps what arrives. */
async function joinAsDevice(page: Page, origin: string, code: string, name: string): Promise<void> {
  await page.goto(`${origin}/about`);
  await page.evaluate(
    ({ room, name }) => {
      const w = window as DeviceWindow;
      w.__messages = [];
      const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
      socket.onopen = () =>
        socket.send(
          JSON.stringify({ type: 'hello', protocol: 1, role: 'participant', room, device: 'Tablet', name }),
        );
      socket.onmessage = (event) => w.__messages?.push(JSON.parse(String(event.data)));
    },
    { room: code, name },
  );
}

expectChromiumInCI();

describe.skipIf(!hasChromium())('the console', () => {
  let studio: TestStudio;
  let browser: TestBrowser;
  let page: Page;
  let sessionId = '';
  let code = '';
  const errors: string[] = [];

  const log = (): Promise<Logged[]> =>
    page.evaluate(async (id) => {
      const response = await fetch(`/api/sessions/${id}/events?limit=5000`);
      return ((await response.json()) as { events: Logged[] }).events;
    }, sessionId);
  const steers = async () =>
    (await log()).filter((e) => e.type === 'steer').map((e) => JSON.stringify(e.payload));

  beforeAll(async () => {
    studio = await startTestStudio();
    browser = await launchBrowser();
    await browser.context.addInitScript(fakeMidi, 'device' as const);
    page = await browser.context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(studio.origin);
    await page.getByLabel('Your name').fill('Sam Okafor');
    await page.getByLabel('Email address').fill('sam@clinic.org');
    await page.getByLabel('Password', { exact: true }).fill('maple river lantern');
    await page.getByLabel('The password again').fill('maple river lantern');
    await page.getByRole('button', { name: 'Create the account' }).click();
    await page.getByRole('button', { name: 'Start a session' }).click();
    await page.waitForURL(/\/console\//);
    sessionId = new URL(page.url()).pathname.split('/').pop() as string;
    code = (await page.locator('.code').getAttribute('data-code')) ?? '';
    await page.locator('.link-state', { hasText: /^In the room/ }).waitFor({ timeout: 15_000 });
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('steers the room from the keyboard, and not while a field is being typed in', async () => {
    await page.locator('input[name=mark-note]').fill('sam');
    await page.locator('input[name=mark-note]').press('s');
    await page.locator('input[name=mark-note]').press('m');
    expect(await page.locator('input[name=mark-note]').inputValue()).toBe('samsm');
    await page.getByRole('heading', { name: 'Index mark' }).click();
    await page.keyboard.press('s');
    await page.keyboard.press('h');
    // The second press builds on the first at once, before the room's state comes back.
    await page.keyboard.press('=');
    await page.keyboard.press('3');
    await expect
      .poll(async () => (await steers()).length, { timeout: 10_000 })
      .toBe(4)
      .catch(async (error: unknown) => {
        const shown = await page.locator('.alert').allTextContents();
        throw new Error(
          `${String(error)}\nlogged: ${(await steers()).join(' | ')}\nshown: ${shown.join(' | ')}`,
        );
      });
    const logged = await steers();
    expect(logged[0]).toContain('"start"');
    expect(logged[1]).toMatch(/"hold","bpm":90/);
    expect(logged[2]).toMatch(/"hold","bpm":94/);
    expect(logged[3]).toContain('"reflect"');
    // The room's state comes back and the controls show it.
    await page.getByRole('radio', { name: /Hold/, checked: true }).waitFor();
    await page.getByText('94 beats a minute').waitFor();
    expect(await page.getByRole('checkbox', { name: /Reflect/ }).isChecked()).toBe(true);
    // Nothing typed into the note field was taken for a mark.
    expect((await log()).filter((e) => e.type === 'mark')).toEqual([]);
    // The tempo choice is a radio group: arrow keys move it.
    await page.getByRole('radio', { name: /Hold/, checked: true }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('radio', { name: /Guide/, checked: true }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-policy'))).toBe('guide');
    await expect.poll(async () => (await steers()).at(-1), { timeout: 10_000 }).toMatch(/"guide","bpm":94/);
  });

  it('plays along into the room from the on-screen keys and a MIDI keyboard', async () => {
    const before = (await log()).length;
    await page.getByRole('button', { name: 'G 4' }).click();
    await page.getByText('Play along from a MIDI keyboard or sing into the microphone').click();
    const midi = page.getByRole('button', { name: /MIDI/ });
    await midi.click();
    await expect.poll(() => midi.getAttribute('aria-pressed')).toBe('true');
    await page.evaluate(() => window.__fakeMidi?.send([0x90, 64, 100]));
    await page.evaluate(() => window.__fakeMidi?.send([0x80, 64, 0]));
    await page.evaluate(() => window.__fakeMidi?.send([0x99, 38, 110]));
    await expect
      .poll(async () => (await log()).slice(before).filter((e) => e.type === 'play').length, {
        timeout: 10_000,
      })
      .toBe(3);
    const played = (await log())
      .slice(before)
      .filter((e) => e.type === 'play')
      .map((e) => ({ participant: e.participant, event: (e.payload as { event: unknown }).event }));
    expect(played).toMatchObject([
      { participant: 'therapist', event: { type: 'note', pitch: 67 } },
      { participant: 'therapist', event: { type: 'note', pitch: 64, velocity: 100 } },
      { participant: 'therapist', event: { type: 'hit', instrument: 38, velocity: 110 } },
    ]);
  });

  it('turns a waiting device away only after asking', async () => {
    const device = await browser.context.newPage();
    await joinAsDevice(device, studio.origin, code, 'AM');
    const row = page.locator('.person.waiting', { hasText: 'AM' });
    await row.waitFor();
    expect(await page.title()).toBe('(1 waiting) Console · Attune');
    await row.getByRole('button', { name: 'Turn away' }).click();
    const dialog = page.getByRole('dialog', { name: 'Turn AM away?' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await row.isVisible()).toBe(true);
    await row.getByRole('button', { name: 'Turn away' }).click();
    await dialog.getByRole('button', { name: 'Turn away' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await page.title()).toBe('Console · Attune');
    await device.waitForFunction(() =>
      (window as DeviceWindow).__messages?.some((m) => m.type === 'refused' && m.code === 'dismissed'),
    );
    await device.close();
  });

  it('comes back to the same room after a reload, with who is in it', async () => {
    const device = await browser.context.newPage();
    await joinAsDevice(device, studio.origin, code, 'JB');
    await page.locator('.person.waiting', { hasText: 'JB' }).getByRole('button', { name: 'Admit' }).click();
    await page.locator('.player', { hasText: 'JB' }).waitFor();
    await page.reload();
    await page.locator('.link-state', { hasText: /^In the room/ }).waitFor({ timeout: 15_000 });
    expect(await page.locator('.code').getAttribute('data-code')).toBe(code);
    await page.locator('.player', { hasText: 'JB' }).waitFor();
    await page.getByRole('heading', { name: 'Index mark' }).click();
    await page.keyboard.press('m');
    await expect.poll(async () => (await log()).filter((e) => e.type === 'mark').length).toBe(1);
    await device.close();
  });

  it('steps back when the console is opened on another tab, and takes over again when asked', async () => {
    const second = await browser.context.newPage();
    await second.goto(`${studio.origin}/console/${sessionId}`);
    await second.locator('.link-state', { hasText: /^In the room/ }).waitFor({ timeout: 15_000 });
    await page.getByText("This session's console is open on another tab or device now").waitFor();
    await page.getByRole('button', { name: 'Use this one again' }).click();
    await page.locator('.link-state', { hasText: /^In the room/ }).waitFor({ timeout: 15_000 });
    await second.getByText("This session's console is open on another tab or device now").waitFor();
    await second.close();
  });

  it('asks a visitor to log in, and says when a session does not exist', async () => {
    const other = await launchBrowser();
    try {
      const stranger = await other.context.newPage();
      await stranger.goto(`${studio.origin}/console/${sessionId}`);
      await stranger.getByRole('heading', { name: 'Log in to open this console' }).waitFor();
      // Nothing of the session reached the stranger's page.
      expect(await stranger.locator('.code').count()).toBe(0);
    } finally {
      await other.close();
    }
    await page.goto(`${studio.origin}/console/no-such-session`);
    await page.getByRole('heading', { name: 'No such session' }).waitFor();
    await page.goto(`${studio.origin}/nowhere/at/all`);
    await page.getByRole('heading', { name: 'There is no page here' }).waitFor();
    await page.goto(`${studio.origin}/about`);
    await page.getByRole('heading', { name: 'Sounds' }).waitFor();
    await page.screenshot({ path: '/tmp/attune-shots/about.png', fullPage: true });
    expect(await page.locator('main').textContent()).toMatch(/Salamander Grand Piano V3[\s\S]*CC BY 3\.0/);
    expect(await page.locator('main').textContent()).toMatch(/FluidR3Mono_GM[\s\S]*MIT licence/);
  });

  it("keeps a colleague's live session to its own console, and lists it for the admin with its therapist", async () => {
    const created = await page.evaluate(async () => {
      const csrf = /(?:^|; )attune_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const response = await fetch('/api/therapists', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-attune-csrf': decodeURIComponent(csrf) },
        body: JSON.stringify({
          name: 'Rosa Diaz',
          email: 'rosa@clinic.org',
          password: 'cedar harbour song',
          role: 'therapist',
        }),
      });
      return response.status;
    });
    expect(created).toBe(201);
    const colleague = await launchBrowser();
    try {
      const rosa = await colleague.context.newPage();
      await rosa.goto(studio.origin);
      await rosa.getByLabel('Email address').fill('rosa@clinic.org');
      await rosa.getByLabel('Password').fill('cedar harbour song');
      await rosa.getByRole('button', { name: 'Log in' }).click();
      await rosa.getByRole('heading', { name: 'Start a session' }).waitFor();
      // A therapist sees only their own sessions.
      await rosa.getByText('No sessions yet.').waitFor();
      await rosa.getByLabel('Title').fill('Rosa, Friday');
      await rosa.getByRole('button', { name: 'Start a session' }).click();
      await rosa.waitForURL(/\/console\//);
      const theirs = new URL(rosa.url()).pathname.split('/').pop() as string;
      await rosa.locator('.link-state', { hasText: /^In the room/ }).waitFor({ timeout: 15_000 });

      await page.goto(studio.origin);
      const row = page.locator(`.session[data-session="${theirs}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('by Rosa Diaz');
      await row.getByRole('link', { name: 'Open the console' }).click();
      await page.getByRole('heading', { name: "This session is running on Rosa Diaz's console" }).waitFor();
      expect(await page.locator('.code').count()).toBe(0);
      // Rosa's console was not taken over.
      expect(await rosa.locator('.link-state').textContent()).toMatch(/^In the room/);
    } finally {
      await colleague.close();
    }
  });

  it('resumes a session a killed studio left open, its log continuing, and ends another after asking', async () => {
    // A second session is open too when the studio is killed.
    const other = await page.evaluate(async () => {
      const csrf = /(?:^|; )attune_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const response = await fetch('/api/sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-attune-csrf': decodeURIComponent(csrf) },
        body: JSON.stringify({ title: 'Thursday, Ben' }),
      });
      return ((await response.json()) as { session: { id: string } }).session.id;
    });
    await studio.kill();
    studio = await startTestStudio(studio.base);
    await page.goto(studio.origin);
    // The cookie holds for the host whatever the port: the therapist is still logged in.
    const before = await log();
    expect(before.length).toBeGreaterThan(0);
    const row = page.locator(`.session[data-session="${sessionId}"]`);
    await row.waitFor();
    expect(await row.locator('.badge').textContent()).toMatch(/^Interrupted/);
    expect(await row.locator('.count').textContent()).toBe(`${before.length} events`);
    const otherRow = page.locator(`.session[data-session="${other}"]`);
    expect(await otherRow.locator('.badge').textContent()).toMatch(/^Interrupted/);
    await page.screenshot({ path: '/tmp/attune-shots/home-interrupted.png', fullPage: true });
    await otherRow.getByRole('button', { name: 'End it' }).click();
    const dialog = page.getByRole('dialog', { name: 'End this session?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await otherRow.locator('.badge').textContent()).toMatch(/^Interrupted/);
    await otherRow.getByRole('button', { name: 'End it' }).click();
    await dialog.getByRole('button', { name: 'End the session' }).click();
    await otherRow.locator('.badge', { hasText: 'Ended' }).waitFor();
    expect(await otherRow.getByRole('button', { name: 'Resume' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Resume' }).click();
    await page.waitForURL(new RegExp(`/console/${sessionId}$`));
    await page.locator('.link-state', { hasText: /^In the room/ }).waitFor({ timeout: 15_000 });
    const newCode = await page.locator('.code').getAttribute('data-code');
    expect(newCode).toMatch(/^[A-Z0-9]{4,12}$/);
    await page.getByRole('heading', { name: 'Index mark' }).click();
    await page.keyboard.press('e');
    const last = Math.max(...before.map((e) => e.seq));
    await expect
      .poll(
        async () =>
          (await log()).filter((e) => e.seq > last && JSON.stringify(e.payload).includes('"end"')).length,
        {
          timeout: 10_000,
        },
      )
      .toBe(1);
    // Everything recorded before the studio was killed is still there, in its place.
    expect((await log()).slice(0, before.length)).toEqual(before);

    // Ended from elsewhere (another tab's session list, here its API): the console says so.
    const ended = await page.evaluate(async (id) => {
      const csrf = /(?:^|; )attune_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const response = await fetch(`/api/sessions/${id}/end`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-attune-csrf': decodeURIComponent(csrf) },
        body: '{}',
      });
      return response.status;
    }, sessionId);
    expect(ended).toBe(200);
    await page.getByRole('heading', { name: 'The session has ended' }).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
  });
});
