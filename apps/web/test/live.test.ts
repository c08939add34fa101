/**
 * Live sessions from the players' side, in real Chromium against the real studio
 * (`node --import tsx apps/server/src/main.ts`, SQLite in a fresh folder). The therapist is
 * driven from Node: the account and session through the HTTP API, the room through the same
 * LiveConnection the pages use, over a `ws` socket. Two players, each in a browser context of
 * their own (so one can go offline alone), join by the room code, are let in, and play; what
 * each page sounded, and when, is read from `window.__attuneLive`, and what was recorded from
 * the session log through the API.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Seconds } from '@attune/engine';
import { encodeWav } from '@attune/instruments';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveConnection } from '../src/live/connection.ts';
import '../src/live/hook.ts';
import { COMPANION_GRACE, type LiveSoundEntry } from '../src/live/sound.ts';
import { type ToneNote, toneSequence } from '../src/voice/signals.ts';
import { fakeMicrophone, hasChromium, launchSharedBrowser } from './support/browser.ts';
import { expectChromiumInCI } from './support/chromium-ci.ts';
import { fakeMidi } from './support/midi.ts';
import { nodeSocket, until } from './support/socket.ts';
import { startTestStudio, type TestStudio } from './support/studio.ts';
import { Therapist } from './support/therapist.ts';

const SHOTS = '/tmp/attune-shots';
const SETUP_TIMEOUT = 240_000;
/** What the first player sings into the (fake) microphone: a phrase of six notes, looped. */
const SUNG: ToneNote[] = [57, 64, 60, 67, 62, 65].map((pitch, i) => ({
  start: 0.25 + i * 0.5,
  duration: 0.3,
  pitch,
  amplitude: 0.15,
  harmonics: [0.6, 0.35, 0.2],
  attack: 0.01,
  release: 0.03,
}));

/** Loading the piano in a page takes a while on a busy machine. */
const READY_TIMEOUT = 120_000;

interface Logged {
  seq: number;
  participant: string;
  t: number;
  type: string;
  payload: { event?: { type: string; t: number; pitch?: number } };
}

expectChromiumInCI();

describe.skipIf(!hasChromium())('live sessions on the players’ devices', () => {
  let studio: TestStudio;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let therapist: Therapist;
  let room: LiveConnection;
  let session = '';
  let code = '';
  let a: Page;
  let b: Page;
  const errors: string[] = [];

  let folder = '';

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    folder = await mkdtemp(join(tmpdir(), 'attune-live-'));
    const wav = join(folder, 'sung.wav');
    await writeFile(wav, encodeWav([toneSequence(SUNG, 48_000, 3)], 48_000));
    studio = await startTestStudio();
    therapist = await Therapist.setUp(studio.origin);
    const started = await therapist.startSession('Group on Tuesday');
    session = started.session.id;
    code = started.session.code;
    room = new LiveConnection({
      join: { code, role: 'therapist', device: 'Console', key: started.key },
      connect: nodeSocket(`${studio.origin.replace('http', 'ws')}/ws`),
      deviceNow: () => performance.now() / 1000,
    });
    room.start();
    await until('the therapist in the room', () => room.status.phase === 'in-room');
    // Every page's microphone is a file: the first player sings into it.
    browser = await launchSharedBrowser({ args: fakeMicrophone(wav) });
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
      contexts.push(context);
      // The second player has a MIDI keyboard.
      if (i === 1) await context.addInitScript(fakeMidi, 'device' as const);
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(error.message));
      if (i === 0) a = page;
      else b = page;
    }
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    room?.close();
    await browser?.close();
    await studio?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const soundLog = (page: Page): Promise<LiveSoundEntry[]> =>
    page.evaluate(() => [...(window.__attuneLive?.log ?? [])]);
  const status = (page: Page) => page.evaluate(() => window.__attuneLive?.status());
  const padPitches = (page: Page): Promise<number[]> =>
    page.evaluate(() => window.__attuneLive?.pads() ?? []);

  /** The therapist lets in the waiting device with this name, and the page shows its pads. */
  async function admit(page: Page, name: string, seat?: number): Promise<string> {
    await until(`${name} in the waiting list`, () =>
      (room.state?.waiting ?? []).some((w) => w.name === name),
    );
    const waiting = room.state?.waiting.find((w) => w.name === name);
    if (!waiting) throw new Error(`${name} is not waiting`);
    expect(room.admit(waiting.participant, seat)).toBe(true);
    await page.waitForFunction(
      () => window.__attuneLive?.status().phase === 'in-room' && window.__attuneLive.ready(),
      undefined,
      { timeout: READY_TIMEOUT },
    );
    return waiting.participant;
  }

  let pa = '';
  let pb = '';

  it(
    'lets a player type the room code, give initials, wait, and be let in',
    async () => {
      // A code that opens no room says so plainly, and asks for the code again.
      await a.goto(`${studio.origin}/join/ZZZZ22`);
      await a.getByLabel('Your first name or initials').fill('JB');
      await a.getByRole('button', { name: 'Join', exact: true }).click();
      await a.getByText('No session has this code (ZZZZ22).').waitFor();
      await a.waitForURL('**/join');
      expect(await a.evaluate(() => localStorage.getItem('attune.seat.ZZZZ22'))).toBeNull();
      await a.goto(`${studio.origin}/join`);
      const input = a.getByLabel('Room code');
      await input.waitFor();
      // A code of the wrong shape is explained, and nothing is joined.
      await input.fill('K7');
      await a.getByRole('button', { name: 'Next' }).click();
      expect(await a.locator('#code-hint').textContent()).toContain('this one has 2');
      await input.fill(code.toLowerCase());
      await a.screenshot({ path: `${SHOTS}/live-join-code.png` });
      await a.getByRole('button', { name: 'Next' }).click();
      await a.waitForURL(`**/join/${code}`);
      await a.getByLabel('Your first name or initials').fill('JB');
      await a.screenshot({ path: `${SHOTS}/live-join-details.png` });
      await a.getByRole('button', { name: 'Join', exact: true }).click();
      await a.getByRole('heading', { name: 'Hello, JB. The therapist will let you in' }).waitFor();
      await a.screenshot({ path: `${SHOTS}/live-waiting.png` });
      // Waiting, the device has no pads and the room has not seated it.
      expect(await a.locator('.pad').count()).toBe(0);
      expect(room.state?.participants.some((p) => p.name === 'JB')).toBe(false);
      pa = await admit(a, 'JB');
      expect(await status(a)).toMatchObject({ phase: 'in-room', link: 'connected', participant: pa });
      // The player's colour is the seat's, as the room gave it.
      const seated = room.state?.participants.find((p) => p.participant === pa);
      expect(seated?.colour).toMatch(/^#[0-9a-f]{6}$/);
      expect((await status(a))?.colour).toBe(seated?.colour);
    },
    READY_TIMEOUT + 30_000,
  );

  it(
    'joins a second player by the link, on the seat they asked for',
    async () => {
      await b.goto(`${studio.origin}/join/${code}`);
      await b.getByLabel('Your first name or initials').fill('AM');
      await b.getByLabel('Seat').selectOption('3');
      await b.getByRole('button', { name: 'Join', exact: true }).click();
      await b.getByRole('heading', { name: /The therapist will let you in/ }).waitFor();
      pb = await admit(b, 'AM');
      expect((await status(b))?.seat).toBe(3);
    },
    READY_TIMEOUT + 30_000,
  );

  it("shows the room's idiom and key on the pads, and follows the therapist's change", async () => {
    const settings = await a.evaluate(() => window.__attuneLive?.settings());
    expect(settings).not.toBeNull();
    room.steer({ type: 'idiom', idiom: 'dorian' }, performance.now() / 1000);
    room.steer({ type: 'key', key: 'D' }, performance.now() / 1000);
    await expect.poll(() => padPitches(a), { timeout: 10_000 }).toEqual([62, 64, 65, 67, 69, 71, 72, 74]);
    await expect.poll(() => padPitches(b), { timeout: 10_000 }).toEqual([62, 64, 65, 67, 69, 71, 72, 74]);
  });

  it('sounds a touch at once, sends it stamped at the touch, and the other page and the log receive it', async () => {
    const before = { a: (await soundLog(a)).length, b: (await soundLog(b)).length };
    await a.locator('.pad').nth(2).click();
    await a.screenshot({ path: `${SHOTS}/live-play.png` });
    await a.setViewportSize({ width: 390, height: 844 });
    await a.screenshot({ path: `${SHOTS}/live-play-phone.png` });
    await a.setViewportSize({ width: 1024, height: 768 });
    const own = (await soundLog(a)).slice(before.a).filter((e) => e.kind === 'own');
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ pitch: 65, outcome: 'now' });
    expect(own[0]?.voices).toBeGreaterThan(0);
    expect(own[0]?.audioTime).toBe(own[0]?.handedAt);
    await a.waitForFunction(() => window.__attuneLive?.pending().length === 0);
    await expect
      .poll(async () => (await soundLog(b)).slice(before.b).filter((e) => e.kind === 'relay').length, {
        timeout: 5_000,
      })
      .toBe(1);
    const [relay] = (await soundLog(b)).slice(before.b).filter((e) => e.kind === 'relay');
    expect(relay, JSON.stringify(relay)).toMatchObject({ who: pa, pitch: 65, t: own[0]?.t });
    // Sounded as it came (where the clocks put it a hair ahead, on its time; on a page stalled
    // past a quarter of a second, shown only).
    expect(['now', 'scheduled', 'past'], JSON.stringify(relay)).toContain(relay?.outcome);
    if (relay?.outcome !== 'past') expect(relay?.voices).toBeGreaterThan(0);
    const logged = (await therapist.events<Logged>(session)).filter(
      (e) => e.participant === pa && e.type === 'play',
    );
    expect(logged.map((e) => [e.payload.event?.pitch, e.t])).toEqual([[65, own[0]?.t]]);
  });

  it('plays from the computer keyboard and from a single switch scanning the pads', async () => {
    const pitches = await padPitches(a);
    const before = (await soundLog(a)).length;
    await a.locator('body').click({ position: { x: 5, y: 300 } });
    await a.keyboard.press('4');
    await a.getByRole('button', { name: 'Settings' }).click();
    await a.getByLabel('Scan the pads; Space plays the lit pad').check();
    await a.getByRole('button', { name: 'Close settings' }).click();
    await a.waitForFunction(() => window.__attuneLive?.lit() === 1, undefined, { timeout: 10_000 });
    const lit = (await a.evaluate(() => window.__attuneLive?.lit())) as number;
    await a.keyboard.press(' ');
    await a.keyboard.press('Escape');
    const own = (await soundLog(a)).slice(before).filter((e) => e.kind === 'own');
    expect(own.map((e) => e.pitch)).toEqual([pitches[3], pitches[lit]]);
    await a.waitForFunction(() => window.__attuneLive?.pending().length === 0);
    const logged = (await therapist.events<Logged>(session)).filter(
      (e) => e.participant === pa && e.type === 'play',
    );
    for (const note of own) expect(logged.filter((e) => e.t === note.t)).toHaveLength(1);
  });

  it("plays the companion's notes on both pages at their session time, in step with each other", async () => {
    const before = { a: (await soundLog(a)).length, b: (await soundLog(b)).length };
    const pad = a.locator('.pad').first();
    for (let i = 0; i < 8; i++) {
      await pad.click();
      await a.waitForTimeout(350);
    }
    await expect
      .poll(async () => (await soundLog(b)).slice(before.b).filter((e) => e.kind === 'companion').length, {
        timeout: 15_000,
      })
      .toBeGreaterThan(6);
    await a.waitForTimeout(500);
    const companionOf = async (page: Page, from: number) =>
      (await soundLog(page)).slice(from).filter((e) => e.kind === 'companion');
    const onA = await companionOf(a, before.a);
    const onB = await companionOf(b, before.b);
    for (const all of [onA, onB]) {
      // The companion's first window may start before its message could arrive (the protocol
      // promises the lead only after it); every later note comes ahead of its time.
      const first = Math.min(...all.map((n) => n.handedAt));
      const notes = all.filter((n) => n.handedAt > first);
      expect(notes.length).toBeGreaterThan(4);
      expect(notes.filter((n) => n.outcome === 'muted')).toEqual([]);
      // Each is given to Web Audio for the audio time that leaves the speaker at its session time.
      // The room sends notes 75 to 100 ms ahead and the output latency (about 40 ms in headless
      // Chromium) comes off that lead: in time, a note is scheduled ahead; a page stalled by a
      // busy machine meets some late and sounds them at once within the grace. A clock or
      // conversion off by more than the lead would put them all past, or far ahead.
      const leads = notes.map((n) => n.lead as number).sort((x, y) => x - y);
      const median = leads[Math.floor(leads.length / 2)] as number;
      const detail = JSON.stringify(notes.map((n) => [n.outcome, n.lead?.toFixed(3)]));
      expect(median, detail).toBeGreaterThan(-COMPANION_GRACE);
      expect(leads.at(-1) as number, detail).toBeLessThan(0.2);
      const scheduled = notes.filter((n) => n.outcome === 'scheduled');
      expect(scheduled.length, detail).toBeGreaterThan(0);
      for (const n of scheduled) expect(n.audioTime as number).toBeGreaterThan(n.handedAt);
      for (const n of notes.filter((n) => n.outcome !== 'past')) expect(n.voices).toBeGreaterThan(0);
    }
    // Both devices handled the same notes, each once (the companion may double a note in a chord).
    const key = (n: LiveSoundEntry) => `${n.t}:${n.pitch}:${n.voice}:${n.velocity}`;
    const from = Math.max(Math.min(...onA.map((n) => n.t)), Math.min(...onB.map((n) => n.t)));
    const to = Math.min(Math.max(...onA.map((n) => n.t)), Math.max(...onB.map((n) => n.t)));
    const within = (notes: LiveSoundEntry[]) =>
      notes
        .filter((n) => n.t >= from && n.t <= to)
        .map(key)
        .sort();
    expect(within(onA).length).toBeGreaterThan(4);
    expect(within(onA)).toEqual(within(onB));
    // The same companion note is heard at the same moment on both devices, within their clock errors.
    const clocks = await Promise.all([status(a), status(b)]).then((s) => s.map((x) => x?.clock));
    const bound = (clocks[0]?.error ?? 1) + (clocks[1]?.error ?? 1) + 0.005;
    expect(bound).toBeLessThan(0.25);
    const shared = onA.filter((n) => onB.some((m) => m.t === n.t && m.pitch === n.pitch)).slice(0, 5);
    expect(shared.length).toBeGreaterThan(0);
    for (const n of shared) {
      const wallA = (await a.evaluate((t) => window.__attuneLive?.wallOf(t), n.t)) as Seconds;
      const wallB = (await b.evaluate((t) => window.__attuneLive?.wallOf(t), n.t)) as Seconds;
      expect(Math.abs(wallA - wallB)).toBeLessThan(bound);
    }
    // And the log holds the companion's notes the devices played.
    const logged = (await therapist.events<Logged>(session)).filter((e) => e.participant === 'companion');
    for (const n of shared) expect(logged.some((e) => Math.abs(e.t - n.t) < 1e-9)).toBe(true);
  }, 40_000);

  it(
    "sounds what each device's mode asks: a room speaker everyone, a tablet only its player",
    async () => {
      const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
      contexts.push(context);
      const speaker = await context.newPage();
      speaker.on('pageerror', (error) => errors.push(error.message));
      await speaker.goto(`${studio.origin}/join/${code}`);
      await speaker.getByLabel("This device is the room's speaker", { exact: false }).check();
      await speaker.getByRole('button', { name: 'Join as the speaker' }).click();
      await until('the speaker waiting', () => (room.state?.waiting ?? []).some((w) => w.role === 'speaker'));
      const waiting = room.state?.waiting.find((w) => w.role === 'speaker');
      room.admit(waiting?.participant ?? '');
      await speaker.waitForFunction(
        () => window.__attuneLive?.status().phase === 'in-room' && window.__attuneLive.ready(),
        undefined,
        { timeout: READY_TIMEOUT },
      );
      // A speaker has no pads; it lists the players.
      expect(await speaker.locator('.pad').count()).toBe(0);
      await speaker.getByRole('list', { name: 'Players' }).getByText('JB').waitFor();
      // The second tablet now sounds only its own player.
      await b.getByRole('button', { name: 'Settings' }).click();
      await b.getByLabel('Only me').check();
      await b.getByRole('button', { name: 'Close settings' }).click();
      const before = { s: (await soundLog(speaker)).length, b: (await soundLog(b)).length };
      for (let i = 0; i < 4; i++) {
        await a.locator('.pad').nth(i).click();
        await a.waitForTimeout(300);
      }
      await b.locator('.pad').nth(1).click();
      await expect
        .poll(
          async () => (await soundLog(speaker)).slice(before.s).filter((e) => e.kind === 'relay').length,
          {
            timeout: 5_000,
          },
        )
        .toBe(5);
      await speaker.screenshot({ path: `${SHOTS}/live-speaker.png` });
      const heard = (await soundLog(speaker)).slice(before.s);
      // Each sounded as it came (or, where the clocks put it a hair ahead, on its time).
      const relays = heard.filter((e) => e.kind === 'relay');
      expect(relays.map((e) => e.who)).toEqual([pa, pa, pa, pa, pb]);
      // A speaker sounds them as they come; a page stalled by a busy machine may find one long
      // past its time (then it is shown, not sounded late), never most.
      const detail = JSON.stringify(relays.map((e) => [e.outcome, e.lead?.toFixed(3)]));
      const sounded = relays.filter((e) => e.outcome === 'now' || e.outcome === 'scheduled');
      expect(sounded.length, detail).toBeGreaterThanOrEqual(3);
      expect(sounded.every((e) => e.voices > 0)).toBe(true);
      expect(relays.filter((e) => e.outcome === 'muted' || e.outcome === 'late')).toEqual([]);
      const onB = (await soundLog(b)).slice(before.b);
      expect(onB.filter((e) => e.kind === 'own').map((e) => e.outcome)).toEqual(['now']);
      const others = onB.filter((e) => e.kind !== 'own');
      expect(others.length).toBeGreaterThan(0);
      expect(others.every((e) => e.outcome === 'muted' && e.voices === 0)).toBe(true);
      await b.getByRole('button', { name: 'Settings' }).click();
      await b.getByLabel('Everyone and the companion').check();
      await b.getByRole('button', { name: 'Close settings' }).click();
      await speaker.close();
    },
    READY_TIMEOUT + 30_000,
  );

  it('plays from a MIDI keyboard and drum pad, stamped when the key went down', async () => {
    const before = { a: (await soundLog(a)).length, b: (await soundLog(b)).length };
    await b.getByRole('button', { name: 'Settings' }).click();
    const midi = b.getByRole('button', { name: /MIDI/ });
    await midi.click();
    await expect.poll(() => midi.getAttribute('aria-pressed')).toBe('true');
    await b.getByRole('button', { name: 'Close settings' }).click();
    // A key pressed 40 ms before the page reads it, let go, then a snare on the drum channel.
    const sessionBefore = (await b.evaluate(() => window.__attuneLive?.sessionNow())) as number;
    await b.evaluate(() => window.__fakeMidi?.send([0x90, 67, 100], 40));
    await b.evaluate(() => window.__fakeMidi?.send([0x80, 67, 0]));
    await b.evaluate(() => window.__fakeMidi?.send([0x99, 38, 110]));
    const own = (await soundLog(b)).slice(before.b).filter((e) => e.kind === 'own');
    expect(own.map((e) => [e.pitch, e.velocity, e.outcome])).toEqual([
      [67, 100, 'now'],
      [38, 110, 'now'],
    ]);
    expect(own[0]?.t as number).toBeLessThan(sessionBefore);
    await b.waitForFunction(() => window.__attuneLive?.pending().length === 0);
    const logged = (await therapist.events<Logged>(session)).filter((e) => e.participant === pb);
    const note = logged.find((e) => e.t === own[0]?.t);
    const hit = logged.find((e) => e.t === own[1]?.t);
    expect(note?.payload.event).toMatchObject({ type: 'note', pitch: 67, velocity: 100 });
    expect(hit?.payload.event).toMatchObject({ type: 'hit', instrument: 38, velocity: 110 });
    await expect
      .poll(async () =>
        (await soundLog(a))
          .slice(before.a)
          .filter((e) => e.who === pb)
          .map((e) => e.pitch),
      )
      .toEqual([67, 38]);
  });

  it('sends a sung line to the room, its onsets and pitches stamped when they were sung', async () => {
    await a.getByRole('button', { name: 'Settings' }).click();
    const mic = a.getByRole('button', { name: /microphone/i });
    await mic.click();
    await expect.poll(() => a.locator('.inputs').textContent(), { timeout: 10_000 }).toContain('Listening');
    const voiced = async () =>
      (await therapist.events<Logged>(session)).filter(
        (e) =>
          e.participant === pa &&
          e.payload.event?.type === 'voice' &&
          (e.payload.event as { onset?: boolean }).onset,
      );
    await expect.poll(async () => (await voiced()).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(6);
    await mic.click();
    await a.getByRole('button', { name: 'Close settings' }).click();
    const onsets = await voiced();
    // Heard at the pitches sung (within a fifth of a semitone), each onset logged once.
    for (const e of onsets) {
      const pitch = (e.payload.event as { pitch: number | null }).pitch as number;
      expect(Math.min(...SUNG.map((n) => Math.abs(n.pitch - pitch)))).toBeLessThan(0.2);
    }
    expect(new Set(onsets.map((e) => e.t)).size).toBe(onsets.length);
    // Onsets of the loop are half a second apart, as sung: stamped at the singing, not the sending.
    const gaps = onsets.slice(1).map((e, i) => e.t - (onsets[i] as Logged).t);
    const regular = gaps.filter((g) => Math.abs(g - 0.5) < 0.03 || Math.abs(g - 1) < 0.03);
    expect(regular.length).toBeGreaterThanOrEqual(gaps.length - 2);
  }, 60_000);

  it('keeps what is played through 30 s offline, says so calmly, and sends it once when the link is back', async () => {
    const beforeA = (await soundLog(a)).length;
    const beforeB = (await soundLog(b)).length;
    const context = contexts[1] as BrowserContext;
    const dropped = Date.now();
    await context.setOffline(true);
    for (const index of [0, 3, 5]) {
      await b.locator('.pad').nth(index).click();
      await b.waitForTimeout(200);
    }
    // The link is found dead (no pongs) and the page says calmly that the notes are safe.
    await b.waitForFunction(() => window.__attuneLive?.status().link === 'offline', undefined, {
      timeout: 30_000,
    });
    expect((await status(b))?.kept).toBeGreaterThanOrEqual(3);
    expect(await b.locator('.room-status').textContent()).toContain('notes kept safe on this device');
    await b.screenshot({ path: `${SHOTS}/live-offline.png` });
    // The player plays on through the rest of half a minute without a link.
    while (Date.now() - dropped < 25_000) {
      await b.locator('.pad').nth(2).click();
      await b.waitForTimeout(4_000);
    }
    await b.waitForTimeout(Math.max(0, 30_000 - (Date.now() - dropped)));
    const own = (await soundLog(b)).slice(beforeB).filter((e) => e.kind === 'own');
    expect(own.length).toBeGreaterThanOrEqual(6);
    // Offline, every note sounded on the device at once.
    expect(own.every((e) => e.outcome === 'now' && e.voices > 0)).toBe(true);
    expect((await status(b))?.kept).toBe(own.length);
    await context.setOffline(false);
    await b.waitForFunction(
      () => window.__attuneLive?.status().link === 'connected' && window.__attuneLive.status().kept === 0,
      undefined,
      { timeout: 30_000 },
    );
    const touched = own.map((e) => e.t).sort((x, y) => x - y);
    const logged = (await therapist.events<Logged>(session)).filter(
      (e) => e.participant === pb && e.type === 'play',
    );
    for (const t of touched) expect(logged.filter((e) => e.t === t)).toHaveLength(1);
    // The other page received them, once each, as long past: shown, not sounded late.
    const relays = (await soundLog(a)).slice(beforeA).filter((e) => e.who === pb);
    expect(relays.map((e) => e.t).sort((x, y) => x - y)).toEqual(touched);
    expect(relays.every((e) => e.outcome === 'past')).toBe(true);
  }, 120_000);

  it(
    'loses nothing when the page is reloaded before the notes were sent',
    async () => {
      const context = contexts[1] as BrowserContext;
      await context.setOffline(true);
      const before = (await soundLog(b)).length;
      await b.locator('.pad').nth(1).click();
      await b.locator('.pad').nth(4).click();
      const touched = (await soundLog(b)).slice(before).map((e) => e.t);
      expect(touched).toHaveLength(2);
      // The notes wait in the device's storage; the page goes away before any link comes back.
      expect(await b.evaluate(() => window.__attuneLive?.pending().length)).toBe(2);
      await b.goto('about:blank');
      await context.setOffline(false);
      await b.goto(`${studio.origin}/join/${code}`);
      // Straight back to its seat, with no form to fill in again.
      await b.waitForFunction(
        () => window.__attuneLive?.status().phase === 'in-room' && window.__attuneLive.status().kept === 0,
        undefined,
        { timeout: READY_TIMEOUT },
      );
      expect((await status(b))?.participant).toBe(pb);
      const logged = (await therapist.events<Logged>(session)).filter(
        (e) => e.participant === pb && e.type === 'play',
      );
      for (const t of touched) expect(logged.filter((e) => e.t === t)).toHaveLength(1);
    },
    READY_TIMEOUT + 30_000,
  );

  it('records every note once, and ends calmly when the therapist ends the session', async () => {
    const logged = await therapist.events<Logged>(session);
    const plays = logged.filter((e) => e.type === 'play');
    const keys = plays.map((e) => `${e.participant}@${e.t}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(logged.map((e) => e.seq)).size).toBe(logged.length);
    await therapist.request('POST', `/api/sessions/${session}/end`, {});
    await a.getByRole('heading', { name: 'The session has ended' }).waitFor({ timeout: 10_000 });
    // The seat is forgotten (what the device sounds stays its preference).
    const kept = await a.evaluate(
      (c) => Object.keys(localStorage).filter((k) => k.startsWith(`attune.seat.${c}`)),
      code,
    );
    expect(kept).toEqual([]);
    await a.screenshot({ path: `${SHOTS}/live-ended.png` });
  });

  it('fetched nothing from beyond this machine and raised no errors', () => {
    expect(errors).toEqual([]);
  });
});
