/** Live rooms over real WebSockets against `startStudio`: joining, admitting, playing, recording, refusing. */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CLIENT_MESSAGE_BYTES } from '@attune/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startStudio } from './app.ts';
import { type Browser, loggedIn, tempStudio, WsDevice } from './test-support.ts';
import { roomSocket } from './ws.ts';

const anna = { name: 'Anna Berg', email: 'anna@clinic.example', password: 'correct horse battery' };

type Running = Awaited<ReturnType<typeof tempStudio>>;
let studio: Running;
let console_: Browser;
const devices: WsDevice[] = [];

async function device(): Promise<WsDevice> {
  const d = await WsDevice.open(studio.url);
  devices.push(d);
  return d;
}

/** A started session and the therapist's console connected to its room. */
async function startSession(title = 'Group') {
  const { session, key } = (await console_.request('POST', '/api/sessions', { title })).body;
  const therapist = await device();
  therapist.hello({ role: 'therapist', room: session.code, key, device: 'console' });
  const welcome = await therapist.next('welcome');
  return { session, key, therapist, welcome };
}

/** A participant joined by code and admitted by the therapist. */
async function admitted(therapist: WsDevice, code: string, name: string) {
  const player = await device();
  player.hello({ role: 'participant', room: code, device: `tablet-${name}`, name });
  const waiting = await player.next('waiting');
  await therapist.next('state', (s) => s.waiting.some((w) => w.participant === waiting.participant));
  therapist.send({ type: 'admit', participant: waiting.participant });
  const admit = await player.next('admitted');
  return { player, participant: waiting.participant, admit };
}

beforeEach(async () => {
  studio = await tempStudio();
  console_ = await loggedIn(studio.url, anna, true);
});
afterEach(async () => {
  for (const d of devices.splice(0)) d.close();
  await studio.close();
});

describe('a live room over WebSockets', () => {
  it('admits a participant by code; notes are acknowledged, relayed, recorded and listed in events', async () => {
    const { session, therapist, welcome } = await startSession();
    expect(welcome).toMatchObject({ role: 'therapist', participant: 'therapist', session: session.id });
    const { player, participant, admit } = await admitted(therapist, session.code, 'Sam');
    expect(admit).toMatchObject({ participant, seat: 1 });

    const t = admit.now;
    player.send({
      type: 'play',
      clientSeq: 0,
      event: { type: 'note', t, pitch: 60, velocity: 90, duration: 0.3 },
    });
    player.send({
      type: 'play',
      clientSeq: 1,
      event: { type: 'hit', t: t + 0.1, instrument: 38, velocity: 70 },
    });
    const ack = await player.next('ack', (a) => a.clientSeq === 1);
    expect(ack.duplicate).toBe(false);
    const relay = await therapist.next('relay', (r) => r.event.type === 'hit');
    expect(relay).toMatchObject({ participant, clientSeq: 1 });
    therapist.send({ type: 'mark', clientSeq: 0, t: t + 0.2, note: 'Sam found the pulse', tags: ['pulse'] });
    await therapist.next('ack', (a) => a.clientSeq === 0);
    // A resend after a reconnect is acknowledged with its first seq and logged once.
    player.send({
      type: 'play',
      clientSeq: 1,
      event: { type: 'hit', t: t + 0.1, instrument: 38, velocity: 70 },
    });
    const again = await player.next('ack', (a) => a.clientSeq === 1 && a.duplicate);
    expect(again.seq).toBe(ack.seq);

    const events = (await console_.request('GET', `/api/sessions/${session.id}/events`)).body.events;
    const mine = events.filter((e: { participant: string }) => e.participant !== 'companion');
    expect(mine.map((e: { participant: string; type: string }) => [e.participant, e.type])).toEqual([
      [participant, 'play'],
      [participant, 'play'],
      ['therapist', 'mark'],
    ]);
    expect(mine[0].payload.event).toMatchObject({ pitch: 60, velocity: 90 });
    expect(mine[2].payload).toEqual({ note: 'Sam found the pulse', tags: ['pulse'] });
    const page = (
      await console_.request('GET', `/api/sessions/${session.id}/events?after=${mine[0].seq}&limit=1`)
    ).body;
    expect(page.events).toHaveLength(1);
    expect(page.events[0].seq).toBeGreaterThan(mine[0].seq);
    const listed = (await console_.request('GET', `/api/sessions/${session.id}`)).body.session;
    expect(listed.events).toBeGreaterThanOrEqual(3);
    expect(player.invalid).toEqual([]);
    expect(therapist.invalid).toEqual([]);
  });

  it('plays the companion to every admitted device ahead of time, and logs its notes', async () => {
    const { session, therapist } = await startSession();
    const { player, admit } = await admitted(therapist, session.code, 'Sam');
    therapist.send({ type: 'steer', clientSeq: 0, t: admit.now, control: { type: 'start' } });
    await therapist.next('ack');
    for (let i = 0; i < 8; i++) {
      player.send({
        type: 'play',
        clientSeq: i,
        event: { type: 'note', t: admit.now + i * 0.25, pitch: 60 + (i % 5), velocity: 80, duration: 0.2 },
      });
    }
    const notes = await player.next('companion', () => true, 10_000);
    expect(notes.notes.length).toBeGreaterThan(0);
    // The room sends its notes first and logs them after (they must reach the devices in time).
    const logged = async () =>
      (await console_.request('GET', `/api/sessions/${session.id}/events`)).body.events.some(
        (e: { participant: string }) => e.participant === 'companion',
      );
    const until = Date.now() + 5000;
    while (!(await logged()) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(await logged()).toBe(true);
  });

  it("refuses a participant's steering, and ending the session closes every device", async () => {
    const { session, therapist } = await startSession();
    const { player, admit } = await admitted(therapist, session.code, 'Sam');
    player.send({ type: 'steer', clientSeq: 0, t: admit.now, control: { type: 'energy', energy: 1 } });
    const error = await player.next('error');
    expect(error).toMatchObject({ code: 'forbidden' });
    expect((await console_.request('POST', `/api/sessions/${session.id}/end`)).status).toBe(200);
    expect(await player.next('refused')).toMatchObject({ code: 'room-closed' });
    expect((await player.closedWithin()).code).toBe(1001);
    const events = (await console_.request('GET', `/api/sessions/${session.id}/events`)).body.events;
    expect(events.filter((e: { type: string }) => e.type === 'steer')).toEqual([]);
    const late = await device();
    late.hello({ role: 'participant', room: session.code, device: 'late' });
    expect(await late.next('refused')).toMatchObject({ code: 'unknown-room' });
  });

  it('answers malformed frames with an error, closes on oversized and binary frames, and records none of it', async () => {
    const { session, therapist } = await startSession();
    const { player, admit } = await admitted(therapist, session.code, 'Sam');
    player.sendRaw('{"type":"play",');
    expect(await player.next('error')).toMatchObject({ code: 'malformed' });
    player.sendRaw(
      JSON.stringify({ type: 'play', clientSeq: 5, event: { type: 'note', t: admit.now, pitch: 300 } }),
    );
    expect(await player.next('error', (e) => e.code === 'invalid')).toMatchObject({ ref: { clientSeq: 5 } });
    player.sendRaw(JSON.stringify({ type: 'shout' }));
    expect(await player.next('error', (e) => e.code === 'unknown-type')).toBeTruthy();
    player.sendRaw('x'.repeat(MAX_CLIENT_MESSAGE_BYTES + 1));
    const closed = await player.closedWithin();
    expect(closed.code).toBe(1009);

    const other = await admitted(therapist, session.code, 'Kim');
    other.player.sendRaw(Buffer.from('{"type":"bye"}'), true);
    expect((await other.player.closedWithin()).code).toBe(1003);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const events = (await console_.request('GET', `/api/sessions/${session.id}/events`)).body.events;
    expect(events.filter((e: { participant: string }) => e.participant !== 'companion')).toEqual([]);
  });

  it('turns an address away after repeated wrong room codes, even with the right one', async () => {
    const { session } = await startSession();
    for (let i = 0; i < 5; i++) {
      const guesser = await device();
      guesser.hello({ role: 'participant', room: `ZZZZZ${i + 2}`, device: 'guesser' });
      expect(await guesser.next('refused')).toMatchObject({ code: 'unknown-room' });
    }
    const right = await device();
    right.hello({ role: 'participant', room: session.code, device: 'guesser' });
    expect(await right.next('refused')).toMatchObject({ code: 'too-many-attempts' });
  });

  it('refuses a wrong therapist key and an upgrade anywhere but /ws', async () => {
    const { session } = await startSession();
    const impostor = await device();
    impostor.hello({ role: 'therapist', room: session.code, key: 'not-the-key', device: 'x' });
    expect(await impostor.next('refused')).toMatchObject({ code: 'bad-key' });
    const elsewhere = new WebSocket(`${studio.url.replace('http', 'ws')}/elsewhere`);
    const status = await new Promise<number | undefined>((resolve) => {
      elsewhere.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      elsewhere.on('error', () => resolve(undefined));
    });
    expect(status).toBe(404);
  });
});

describe('links that fail', () => {
  it('closes every device with "going away" when the studio stops; the session waits to be resumed on its code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attune-stop-'));
    const options = { port: 0, host: '127.0.0.1', dataDir: dir, webDir: dir, onError: () => {} };
    const first = await startStudio(options);
    try {
      const owner = await loggedIn(first.url, anna, true);
      const { session, key } = (await owner.request('POST', '/api/sessions', {})).body;
      const therapist = await WsDevice.open(first.url);
      therapist.hello({ role: 'therapist', room: session.code, key, device: 'console' });
      await therapist.next('welcome');
      await first.close();
      expect(await therapist.closedWithin()).toEqual({ code: 1001, reason: 'the studio is restarting' });
      expect(therapist.received.some((m) => m.type === 'refused')).toBe(false);

      const second = await startStudio(options);
      try {
        const again = await loggedIn(second.url, anna, false);
        const listed = (await again.request('GET', '/api/sessions')).body.sessions;
        expect(listed).toMatchObject([{ id: session.id, status: 'open', live: false, code: null }]);
        // Tablets retrying the code before the therapist resumes are told to wait, not locked out.
        for (let i = 0; i < 7; i++) {
          const early = await WsDevice.open(second.url);
          early.hello({ role: 'participant', room: session.code, device: 'tablet' });
          const refused = await early.next('refused');
          expect(refused.code).toBe('unknown-room');
          expect(refused.message).toMatch(/wait for the therapist/);
        }
        await again.request('POST', `/api/sessions/${session.id}/resume`);
        const tablet = await WsDevice.open(second.url);
        tablet.hello({ role: 'participant', room: session.code, device: 'tablet' });
        await tablet.next('waiting');
        tablet.close();
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends a link that stops answering pings, and the therapist sees the device away', async () => {
    await studio.close();
    studio = await tempStudio({ heartbeat: 0.2 });
    console_ = await loggedIn(studio.url, anna, true);
    const { session, therapist } = await startSession();
    const player = await WsDevice.open(studio.url, { autoPong: false });
    devices.push(player);
    player.hello({ role: 'participant', room: session.code, device: 'sleepy tablet' });
    const waiting = await player.next('waiting');
    therapist.send({ type: 'admit', participant: waiting.participant });
    await player.next('admitted');
    const closed = await player.closedWithin(5000);
    expect(closed.code).toBe(1006);
    await therapist.next('state', (s) =>
      s.participants.some((p) => p.participant === waiting.participant && !p.connected),
    );
    expect(therapist.closed).toBeNull();
  });

  it('drops a flood from one device and closes it, while the others in the room play on', async () => {
    const { session, therapist } = await startSession();
    const flooder = await admitted(therapist, session.code, 'Flo');
    const calm = await admitted(therapist, session.code, 'Cal');
    for (let i = 0; i < 2600; i++) flooder.player.send({ type: 'ping', id: i, t0: i });
    expect(await flooder.player.next('error', (e) => e.code === 'rate-limited')).toBeTruthy();
    expect(await flooder.player.next('refused')).toMatchObject({ code: 'flood' });
    calm.player.send({
      type: 'play',
      clientSeq: 0,
      event: { type: 'note', t: calm.admit.now, pitch: 62, velocity: 60, duration: 0.2 },
    });
    expect(await calm.player.next('ack')).toMatchObject({ clientSeq: 0, duplicate: false });
  });
});

describe('a device that does not read', () => {
  it('is dropped once more than the limit waits for it, instead of being buffered without bound', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    await new Promise((resolve) => client.once('open', resolve));
    const serverSide = await accepted;
    client.pause();
    let ended = false;
    const socket = roomSocket(serverSide, 256 * 1024);
    socket.onClose(() => {
      ended = true;
    });
    const chunk = 'x'.repeat(60_000);
    let sent = 0;
    // Kernel buffers take the first few hundred kilobytes; after that the limit must act.
    while (!ended && sent < 64 * 1024 * 1024) {
      socket.send(chunk);
      sent += chunk.length;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(ended).toBe(true);
    expect(serverSide.bufferedAmount).toBeLessThanOrEqual(256 * 1024 + chunk.length);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
    client.terminate();
    server.close();
  });
});
