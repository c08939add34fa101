import type { HitEvent } from '@attune/engine';
import { MAX_SEATS, PROTOCOL_VERSION } from '@attune/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Appended, AppendInput, Store } from '../storage/index.ts';
import { DEFAULT_LIMITS } from './connection.ts';
import { continuation } from './members.ts';
import type { LogWriter } from './recorder.ts';
import { Device, KEY, roomSetup, SESSION, settle } from './test-support.ts';

const hit = (t: number, velocity = 90): HitEvent => ({ type: 'hit', t, instrument: 38, velocity });

let stores: Store[] = [];
afterEach(async () => {
  for (const s of stores) await s.close();
  stores = [];
});

/** A room with the therapist in and `n` participants admitted. */
async function seated(n: number, options: Parameters<typeof roomSetup>[0] = {}) {
  const setup = await roomSetup(options);
  stores.push(setup.store);
  const therapist = new Device(setup.directory, '192.168.1.2');
  therapist.join('therapist', setup.room.code);
  const players: Device[] = [];
  for (let i = 0; i < n; i++) {
    const d = new Device(setup.directory, `192.168.1.${30 + i}`);
    d.join('participant', setup.room.code, { name: `P${i}` });
    therapist.send({ type: 'admit', participant: d.participant as string });
    d.take();
    players.push(d);
  }
  return { ...setup, therapist, players };
}

describe('joining', () => {
  it('welcomes the therapist with the key on seat 0', async () => {
    const { therapist } = await seated(0);
    const welcome = therapist.last('welcome');
    expect(welcome).toMatchObject({
      participant: 'therapist',
      role: 'therapist',
      seat: 0,
      session: SESSION,
      protocol: 1,
    });
    expect(welcome?.colour).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('refuses a therapist with the wrong key', async () => {
    const { directory, room, store } = await roomSetup();
    stores.push(store);
    const d = new Device(directory);
    d.send({ type: 'hello', protocol: 1, role: 'therapist', room: room.code, key: 'guess', device: 'x' });
    expect(d.last('refused')?.code).toBe('bad-key');
    expect(d.socket.open).toBe(false);
  });

  it('puts a participant in the waiting area until the therapist admits them, on the seat they asked for', async () => {
    const { directory, room, store } = await seated(0).then((s) => s);
    const therapist = new Device(directory, '10.0.0.1');
    therapist.join('therapist', room.code);
    const client = new Device(directory);
    client.join('participant', room.code, { name: 'JB', seat: 5 });
    expect(client.last('waiting')?.participant).toBe('p1');
    expect(therapist.last('state')?.waiting).toEqual([
      {
        participant: 'p1',
        role: 'participant',
        name: 'JB',
        device: 'participant device',
        seat: 5,
        connected: true,
      },
    ]);
    // Waiting devices may not play, and hear nothing of the room.
    client.emit({ type: 'play', event: hit(0.5) });
    await settle(room);
    expect(client.last('error')).toMatchObject({ code: 'not-admitted', ref: { type: 'play', clientSeq: 0 } });
    expect(await store.sessions.read(SESSION)).toEqual([]);
    expect(client.all('state')).toEqual([]);

    therapist.send({ type: 'admit', participant: 'p1' });
    expect(client.last('admitted')).toMatchObject({ participant: 'p1', seat: 5, nextClientSeq: 0 });
    const state = client.last('state');
    expect(state?.participants.map((p) => [p.participant, p.seat])).toEqual([
      ['therapist', 0],
      ['p1', 5],
    ]);
    expect(state?.waiting).toEqual([]);
  });

  it('gives another seat when the wanted one is taken, and refuses a taken seat asked by the therapist', async () => {
    const { directory, room, therapist } = await seated(0);
    const a = new Device(directory);
    a.join('participant', room.code, { seat: 2 });
    const b = new Device(directory);
    b.join('participant', room.code, { seat: 2 });
    therapist.send({ type: 'admit', participant: 'p1' });
    therapist.send({ type: 'admit', participant: 'p2' });
    expect(a.last('admitted')?.seat).toBe(2);
    expect(b.last('admitted')?.seat).toBe(1);
    therapist.send({ type: 'admit', participant: 'p2', seat: 2 });
    expect(therapist.last('error')).toMatchObject({ code: 'seat-taken', path: '/seat' });
    therapist.send({ type: 'admit', participant: 'p2', seat: 7 });
    expect(therapist.last('state')?.participants.find((p) => p.participant === 'p2')?.seat).toBe(7);
  });

  it('seats a large group of forty, each in a colour of its own, and says so when every seat is taken', async () => {
    const { directory, room, therapist } = await seated(0);
    const devices = Array.from({ length: MAX_SEATS + 1 }, (_, i) => {
      const d = new Device(directory, `10.0.1.${i + 1}`);
      d.join('participant', room.code);
      return d;
    });
    for (const d of devices) therapist.send({ type: 'admit', participant: d.participant as string });
    const seats = devices.slice(0, MAX_SEATS).map((d) => d.last('admitted')?.seat);
    expect(seats).toEqual(Array.from({ length: MAX_SEATS }, (_, i) => i + 1));
    const colours = new Set(devices.slice(0, MAX_SEATS).map((d) => d.last('admitted')?.colour));
    colours.add(therapist.last('welcome')?.colour);
    expect(colours.size).toBe(MAX_SEATS + 1);
    for (const c of colours) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    // The forty-first still waits, and the therapist hears why.
    expect(devices[MAX_SEATS]?.last('admitted')).toBeUndefined();
    expect(therapist.last('error')).toMatchObject({ code: 'seat-taken' });
    expect(therapist.last('state')?.waiting.map((w) => w.participant)).toEqual([
      devices[MAX_SEATS]?.participant,
    ]);
  });

  it('turns a device away at the door when the room holds its most devices', async () => {
    const { directory, room } = await seated(0, { room: { maxMembers: 3 } });
    const devices = Array.from({ length: 4 }, (_, i) => {
      const d = new Device(directory, `10.0.2.${i + 1}`);
      d.join('participant', room.code);
      return d;
    });
    // The therapist and two waiting devices fill three places; the fourth device is refused.
    expect(devices.slice(0, 2).map((d) => d.last('waiting')?.participant)).toEqual(['p1', 'p2']);
    expect(devices[2]?.last('refused')).toMatchObject({ code: 'room-full' });
    expect(devices[3]?.last('refused')).toMatchObject({ code: 'room-full' });
  });

  it('lets the therapist turn a device away, ending its seat and token', async () => {
    const { directory, room, therapist, players } = await seated(1);
    const [p] = players as [Device];
    therapist.send({ type: 'dismiss', participant: 'p1' });
    expect(p.last('refused')?.code).toBe('dismissed');
    expect(therapist.last('state')?.participants.map((x) => x.participant)).toEqual(['therapist']);
    const again = new Device(directory);
    again.send({ type: 'hello', protocol: 1, role: 'participant', resume: p.token, device: 'x' });
    expect(again.last('refused')?.code).toBe('unknown-resume');
    therapist.send({ type: 'dismiss', participant: 'p9' });
    expect(therapist.last('error')?.code).toBe('unknown-participant');
    expect(room.view().map((m) => m.id)).toEqual(['therapist']);
  });

  it('refuses a device of another protocol version before reading the rest of its hello', async () => {
    const { directory, room, store } = await roomSetup();
    stores.push(store);
    const d = new Device(directory);
    d.send({ type: 'hello', protocol: PROTOCOL_VERSION + 1, room: room.code, shape: 'of the future' });
    expect(d.last('refused')?.code).toBe('version');
    expect(d.socket.closedWith?.code).toBe(1008);
  });

  it('answers anything before a hello with not-joined, and closes a connection that never says hello', async () => {
    const { directory, clock, store } = await roomSetup();
    stores.push(store);
    const d = new Device(directory);
    d.send({ type: 'ping', id: 1, t0: 0 });
    expect(d.last('error')).toMatchObject({ code: 'not-joined', ref: { type: 'ping' } });
    clock.advance(10.5);
    expect(d.last('refused')?.code).toBe('not-joined');
    expect(d.socket.open).toBe(false);
  });

  it('refuses a hello it could not handle and goes on serving others', async () => {
    let broken = false;
    const failures: string[] = [];
    const { directory, room, store } = await roomSetup({
      directory: {
        random: (n) => {
          if (broken) throw new Error('no entropy');
          return new Uint8Array(n).fill(7);
        },
        onError: (_, where) => failures.push(where),
      },
    });
    stores.push(store);
    broken = true;
    const d = new Device(directory, '10.1.1.1');
    d.join('participant', room.code);
    expect(d.last('refused')?.code).toBe('not-joined');
    expect(failures).toEqual(['hello from 10.1.1.1']);
    broken = false;
    const t = new Device(directory, '10.1.1.2');
    t.join('therapist', room.code);
    expect(t.last('welcome')).toBeDefined();
  });

  it('refuses a second hello on a joined connection', async () => {
    const { therapist, room } = await seated(0);
    therapist.join('therapist', room.code);
    expect(therapist.last('error')?.code).toBe('already-joined');
  });
});

describe('guessing room codes', () => {
  it('turns an address away after five wrong codes, whatever it sends, until the lockout lapses', async () => {
    const { directory, room, clock, store } = await roomSetup();
    stores.push(store);
    for (let i = 0; i < 5; i++) {
      const d = new Device(directory, '203.0.113.9');
      d.join('participant', 'ZZZZ9Z');
      expect(d.last('refused')?.code).toBe('unknown-room');
      clock.advance(1);
    }
    const right = new Device(directory, '203.0.113.9');
    right.join('participant', room.code);
    expect(right.last('refused')?.code).toBe('too-many-attempts');
    // Another address is not affected.
    const other = new Device(directory, '203.0.113.10');
    other.join('participant', room.code);
    expect(other.last('waiting')).toBeDefined();
    clock.advance(301);
    const later = new Device(directory, '203.0.113.9');
    later.join('participant', room.code);
    expect(later.last('waiting')).toBeDefined();
  });

  it('counts wrong resume tokens and wrong keys as guesses too', async () => {
    const { directory, room, store } = await roomSetup();
    stores.push(store);
    for (let i = 0; i < 3; i++) {
      const d = new Device(directory, '203.0.113.7');
      d.send({ type: 'hello', protocol: 1, role: 'participant', resume: `guessedtoken000${i}`, device: 'x' });
      expect(d.last('refused')?.code).toBe('unknown-resume');
    }
    for (let i = 0; i < 2; i++) {
      const d = new Device(directory, '203.0.113.7');
      d.send({ type: 'hello', protocol: 1, role: 'therapist', room: room.code, key: `k${i}`, device: 'x' });
      expect(d.last('refused')?.code).toBe('bad-key');
    }
    const t = new Device(directory, '203.0.113.7');
    t.join('therapist', room.code);
    expect(t.last('refused')?.code).toBe('too-many-attempts');
  });
});

describe('playing and recording', () => {
  it('relays and hears a play at once, and acknowledges it only once it is durable', async () => {
    let release: () => void = () => {};
    const gate = (store: Store): LogWriter => ({
      append: async (session: string, events: readonly AppendInput[], at: string): Promise<Appended[]> => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return store.sessions.append(session, events, at);
      },
    });
    const { room, store, therapist, players } = await seated(2, { log: gate });
    const [a, b] = players as [Device, Device];
    const relaysBefore = b.all('relay').length;
    a.emit({ type: 'play', event: hit(0.25) });
    await new Promise((resolve) => setImmediate(resolve));
    // Not yet durable: the others hear it already, but the device has no acknowledgement and keeps it.
    expect(a.all('ack')).toEqual([]);
    expect(a.unacked()).toBe(1);
    expect(b.all('relay').length).toBe(relaysBefore + 1);
    expect(await store.sessions.read(SESSION)).toEqual([]);
    release();
    await settle(room);
    const logged = await store.sessions.read(SESSION);
    expect(logged).toMatchObject([
      { participant: 'p1', clientSeq: 0, type: 'play', t: 0.25, payload: { event: hit(0.25) } },
    ]);
    expect(a.last('ack')).toEqual({ type: 'ack', clientSeq: 0, seq: logged[0]?.seq, duplicate: false });
    expect(b.last('relay')).toEqual({ type: 'relay', participant: 'p1', clientSeq: 0, event: hit(0.25) });
    expect(b.all('relay').length).toBe(relaysBefore + 1);
    expect(therapist.last('relay')?.participant).toBe('p1');
    expect(a.all('relay')).toEqual([]);
  });

  it('acknowledges a resend with its first seq and relays it no further', async () => {
    const { room, store, players } = await seated(2);
    const [a, b] = players as [Device, Device];
    const sent = a.emit({ type: 'play', event: hit(1) });
    await settle(room);
    a.raw(JSON.stringify(sent));
    a.raw(JSON.stringify(sent));
    await settle(room);
    const acks = a.all('ack');
    expect(acks.map((x) => x.duplicate)).toEqual([false, true, true]);
    expect(new Set(acks.map((x) => x.seq)).size).toBe(1);
    expect(b.all('relay').length).toBe(1);
    expect((await store.sessions.read(SESSION)).length).toBe(1);
  });

  it('refuses an event stamped well ahead of the session clock', async () => {
    const { room, clock, players, store } = await seated(1);
    clock.advance(10);
    const [a] = players as [Device];
    a.emit({ type: 'play', event: hit(15) });
    await settle(room);
    expect(a.last('error')).toMatchObject({ code: 'invalid', path: '/t', ref: { clientSeq: 0 } });
    expect(await store.sessions.read(SESSION)).toEqual([]);
  });

  it('keeps what the store refused unacknowledged, and logs it on the resend once the store is back', async () => {
    let failing = true;
    const flaky = (store: Store): LogWriter => ({
      append: async (session, events, at) => {
        if (failing) throw new Error('disk full');
        return store.sessions.append(session, events, at);
      },
    });
    const { room, store, players, errors } = await seated(2, { log: flaky });
    const [a, b] = players as [Device, Device];
    a.emit({ type: 'play', event: hit(0.5) });
    await settle(room);
    expect(a.last('error')).toMatchObject({ code: 'not-recorded', ref: { type: 'play', clientSeq: 0 } });
    expect(a.unacked()).toBe(1);
    // The room heard it when it came; the resend is logged but not played to the room again.
    expect(b.all('relay').length).toBe(1);
    expect(errors.map((e) => e.where)).toEqual(['logging play p1#0']);
    failing = false;
    a.resend();
    await settle(room);
    expect(a.unacked()).toBe(0);
    expect(b.all('relay').length).toBe(1);
    expect((await store.sessions.read(SESSION)).length).toBe(1);
  });

  it('a speaker hears the room but may not play', async () => {
    const { directory, room, therapist, players } = await seated(1);
    const speaker = new Device(directory);
    speaker.join('speaker', room.code);
    therapist.send({ type: 'admit', participant: speaker.participant as string });
    expect(speaker.last('admitted')?.seat).toBeNull();
    speaker.emit({ type: 'play', event: hit(0) });
    (players[0] as Device).emit({ type: 'play', event: hit(0.1) });
    await settle(room);
    expect(speaker.last('error')?.code).toBe('forbidden');
    expect(speaker.last('relay')?.participant).toBe('p1');
  });
});

describe('steering and marks', () => {
  it('refuses a participant who tries to steer or mark, changing nothing', async () => {
    const { room, store, therapist, players } = await seated(1, { room: { companion: { seed: 3 } } });
    const [p] = players as [Device];
    const before = therapist.last('state')?.settings;
    p.emit({ type: 'steer', t: 0, control: { type: 'energy', energy: 1 } });
    p.emit({ type: 'mark', t: 0, note: 'mine', tags: [] });
    p.send({ type: 'admit', participant: 'p1', seat: 9 });
    p.send({ type: 'dismiss', participant: 'therapist' });
    await settle(room);
    expect(p.all('error').map((e) => e.code)).toEqual(['forbidden', 'forbidden', 'forbidden', 'forbidden']);
    expect(p.all('error')[0]?.ref).toEqual({ type: 'steer', clientSeq: 0 });
    expect(await store.sessions.read(SESSION)).toEqual([]);
    expect(therapist.last('state')?.settings).toEqual(before);
  });

  it("logs the therapist's steering, applies it and shows the new settings to the room", async () => {
    const { room, store, therapist, players } = await seated(1, { room: { companion: { seed: 3 } } });
    therapist.emit({
      type: 'steer',
      t: 0,
      control: { type: 'techniques', techniques: ['ground', 'dialogue'] },
    });
    therapist.emit({ type: 'mark', t: 0, note: 'client leads', tags: ['leading'] });
    await settle(room);
    expect((players[0] as Device).last('state')?.settings?.techniques).toEqual(['ground', 'dialogue']);
    const logged = await store.sessions.read(SESSION);
    expect(logged.map((e) => [e.participant, e.type])).toEqual([
      ['therapist', 'steer'],
      ['therapist', 'mark'],
    ]);
    expect(logged[1]?.payload).toEqual({ note: 'client leads', tags: ['leading'] });
  });

  it('refuses a steering control the companion cannot use, with its reason', async () => {
    const { room, store, therapist } = await seated(0, { room: { companion: { seed: 3 } } });
    therapist.emit({ type: 'steer', t: 0, control: { type: 'idiom', idiom: 'no-such-idiom' } });
    await settle(room);
    expect(therapist.last('error')).toMatchObject({ code: 'invalid', path: '/control' });
    expect(therapist.last('error')?.message).toContain('no-such-idiom');
    expect(await store.sessions.read(SESSION)).toEqual([]);
  });
});

describe('bad input', () => {
  it('answers malformed, unknown, invalid and oversized messages with errors and goes on', async () => {
    const { room, players, store } = await seated(1);
    const [p] = players as [Device];
    p.raw('{nope');
    p.raw(JSON.stringify({ type: 'launch' }));
    p.raw(JSON.stringify({ type: 'play', clientSeq: 0, event: { ...hit(0), velocity: 999 } }));
    p.raw(JSON.stringify({ type: 'mark', clientSeq: 1, t: 0, note: 'x'.repeat(20_000), tags: [] }));
    p.raw('x'.repeat(10_000_000));
    const errors = p.all('error');
    expect(errors.map((e) => e.code)).toEqual([
      'malformed',
      'unknown-type',
      'invalid',
      'too-large',
      'too-large',
    ]);
    expect(errors[2]).toMatchObject({ path: '/event/velocity', ref: { type: 'play', clientSeq: 0 } });
    p.emit({ type: 'play', event: hit(0.3) });
    await settle(room);
    expect(p.last('ack')?.duplicate).toBe(false);
    expect((await store.sessions.read(SESSION)).length).toBe(1);
  });

  it('throttles a flood, closes the flooding connection, and leaves the others playing', async () => {
    const { room, clock, store, players, errors } = await seated(2);
    const [flooder, other] = players as [Device, Device];
    for (let i = 0; i < 5000; i++) flooder.emit({ type: 'play', event: hit(0.001 * (i % 900)) });
    other.emit({ type: 'play', event: hit(0.5) });
    await settle(room);
    clock.advance(0.5);
    other.emit({ type: 'play', event: hit(0.6) });
    await settle(room);
    const flooderErrors = flooder.all('error').filter((e) => e.code === 'rate-limited');
    expect(flooderErrors.length).toBe(1);
    expect(flooder.last('refused')?.code).toBe('flood');
    expect(flooder.socket.open).toBe(false);
    expect(other.all('ack').map((a) => a.duplicate)).toEqual([false, false]);
    const logged = await store.sessions.read(SESSION);
    // The burst allowance got through and was logged; nothing beyond it was.
    // (Its hello took one message of the burst.)
    expect(logged.filter((e) => e.participant === 'p1').length).toBe(DEFAULT_LIMITS.burst - 1);
    expect(logged.filter((e) => e.participant === 'p2').length).toBe(2);
    expect(errors).toEqual([]);
  });
});

describe('reconnecting', () => {
  it('after 30 s away, resumes the seat and logs what was played offline exactly once', async () => {
    const { room, clock, store, therapist, players } = await seated(2);
    const [a, b] = players as [Device, Device];
    a.emit({ type: 'play', event: hit(0.1) });
    await settle(room);
    // The link fails while one event is in flight: logged, but its ack never arrives.
    a.emit({ type: 'play', event: hit(0.2) });
    a.socket.drop();
    await settle(room);
    expect(therapist.last('state')?.participants.find((p) => p.participant === 'p1')?.connected).toBe(false);
    for (let i = 0; i < 30; i++) {
      clock.advance(1);
      a.emit({ type: 'play', event: hit(clock.now) });
    }
    expect(a.unacked()).toBe(31);
    a.reconnect();
    await settle(room);
    expect(a.last('welcome')).toMatchObject({ participant: 'p1', seat: 1, nextClientSeq: 2 });
    expect(a.unacked()).toBe(0);
    const mine = (await store.sessions.read(SESSION)).filter((e) => e.participant === 'p1');
    expect(mine.map((e) => e.clientSeq)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(a.all('ack').find((x) => x.clientSeq === 1)?.duplicate).toBe(true);
    // The others heard each event once.
    expect(b.all('relay').filter((r) => r.participant === 'p1').length).toBe(32);
    expect(therapist.last('state')?.participants.find((p) => p.participant === 'p1')?.connected).toBe(true);
  });

  it('a reloaded device that lost its count continues after what was logged', async () => {
    const { room, directory, players } = await seated(1);
    const [a] = players as [Device];
    for (let i = 0; i < 3; i++) a.emit({ type: 'play', event: hit(0.1 * i) });
    await settle(room);
    const reloaded = new Device(directory, a.peer);
    reloaded.token = a.token;
    reloaded.reconnect();
    expect(reloaded.last('welcome')?.nextClientSeq).toBe(3);
    expect(reloaded.emit({ type: 'play', event: hit(0.5) }).clientSeq).toBe(3);
    await settle(room);
    expect(reloaded.last('ack')?.duplicate).toBe(false);
  });

  it('replaces an older connection of the same seat', async () => {
    const { directory, players } = await seated(1);
    const [a] = players as [Device];
    const second = new Device(directory, a.peer);
    second.token = a.token;
    second.reconnect();
    expect(a.last('refused')?.code).toBe('replaced');
    expect(second.last('welcome')?.participant).toBe('p1');
  });

  it('forgets a seat after the resume window, and a device that said bye', async () => {
    const { directory, clock, players } = await seated(2, { room: { resumeWindow: 60 } });
    const [a, b] = players as [Device, Device];
    a.socket.drop();
    clock.advance(61);
    a.reconnect();
    expect(a.last('refused')?.code).toBe('unknown-resume');
    b.send({ type: 'bye' });
    expect(b.socket.closedWith?.code).toBe(1000);
    const again = new Device(directory, b.peer);
    again.token = b.token;
    again.reconnect();
    expect(again.last('refused')?.code).toBe('unknown-resume');
  });
});

describe('clock', () => {
  it('answers a ping with the session times it received and sent it', async () => {
    const { clock, players } = await seated(1);
    clock.advance(42.5);
    const [p] = players as [Device];
    p.send({ type: 'ping', id: 9, t0: 1234.5 });
    expect(p.last('pong')).toEqual({ type: 'pong', id: 9, t0: 1234.5, t1: 42.5, t2: 42.5 });
  });
});

describe('the companion', () => {
  it('sends its notes to every device ahead of their time and logs them', async () => {
    const { room, clock, store, therapist, players } = await seated(2, { room: { companion: { seed: 11 } } });
    const [a, b] = players as [Device, Device];
    therapist.emit({ type: 'steer', t: 0, control: { type: 'start' } });
    await settle(room);
    const arrivals: Array<{ at: number; start: number }> = [];
    let seen = 0;
    for (let step = 0; step < 800; step++) {
      // The client beats at 100 BPM.
      if (step % 24 === 0) a.emit({ type: 'play', event: hit(clock.now) });
      clock.advance(0.025);
      await settle(room);
      const batches = a.all('companion');
      for (const batch of batches.slice(seen))
        for (const n of batch.notes) arrivals.push({ at: clock.now, start: n.start });
      seen = batches.length;
    }
    expect(arrivals.length).toBeGreaterThan(40);
    // After the first window, every note reaches the devices at least the lookahead less one tick
    // (75 ms) before it sounds.
    const first = arrivals[0]?.at ?? 0;
    for (const n of arrivals.filter((x) => x.at > first))
      expect(n.start - n.at).toBeGreaterThanOrEqual(0.075 - 1e-6);
    expect(b.all('companion')).toEqual(a.all('companion'));
    expect(therapist.all('companion')).toEqual(a.all('companion'));
    const logged = (await store.sessions.read(SESSION)).filter((e) => e.participant === 'companion');
    expect(logged.length).toBe(arrivals.length);
    expect(logged.map((e) => e.clientSeq)).toEqual(logged.map((_, i) => i));
  });

  it('tells the therapist what it hears of each participant', async () => {
    const { room, clock, therapist, players } = await seated(1, { room: { companion: { seed: 2 } } });
    const [a] = players as [Device];
    for (let i = 0; i < 16; i++) {
      a.emit({ type: 'play', event: hit(clock.now, 100) });
      clock.advance(0.5);
      await settle(room);
    }
    const perception = therapist.last('perception');
    expect(perception?.participant).toBe('p1');
    expect(perception?.loudness).toBeGreaterThan(50);
    expect(perception?.pulse?.bpm).toBeCloseTo(120, -1);
    expect(a.all('perception')).toEqual([]);
  });
});

describe('reopening a session', () => {
  it('continues ids and numbering from the log, so nothing new is mistaken for a resend', async () => {
    const { room, directory, clock, store, therapist, players } = await seated(1, {
      room: { companion: { seed: 5 } },
    });
    therapist.emit({ type: 'mark', t: 0, note: 'start', tags: [] });
    therapist.emit({ type: 'steer', t: 0, control: { type: 'start' } });
    (players[0] as Device).emit({ type: 'play', event: hit(0.1) });
    clock.advance(2);
    await settle(room);
    await directory.close(room.code);
    const logged = await store.sessions.read(SESSION);
    const from = continuation(logged);
    expect(from.participants).toBe(1);
    expect(from.therapist).toBe(2);
    expect(from.companion).toBe(logged.filter((e) => e.participant === 'companion').length);

    const reopened = directory.open({
      session: SESSION,
      therapistKey: KEY,
      log: store.sessions,
      clock: () => clock.now,
      companion: { seed: 5 },
      continueFrom: from,
    });
    const back = new Device(directory, '192.168.1.2');
    back.join('therapist', reopened.code);
    expect(back.last('welcome')?.nextClientSeq).toBe(2);
    back.emit({ type: 'mark', t: 2, note: 'after the restart', tags: [] });
    const newcomer = new Device(directory, '192.168.1.77');
    newcomer.join('participant', reopened.code);
    expect(newcomer.last('waiting')?.participant).toBe('p2');
    clock.advance(2);
    await settle(reopened);
    expect(back.last('ack')?.duplicate).toBe(false);
    const after = await store.sessions.read(SESSION);
    const keys = after.map((e) => `${e.participant}#${e.clientSeq}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(after.filter((e) => e.participant === 'therapist').map((e) => e.clientSeq)).toEqual([0, 1, 2]);
    await reopened.close();
  });
});

describe('continuation', () => {
  it('reads the highest participant number and the next clientSeq of the therapist and the companion', () => {
    expect(continuation([])).toEqual({ participants: 0, therapist: 0, companion: 0 });
    const logged = [
      { participant: 'p2', clientSeq: 40 },
      { participant: 'p11', clientSeq: 0 },
      { participant: 'therapist', clientSeq: 7 },
      { participant: 'companion', clientSeq: 99 },
      { participant: 'therapist', clientSeq: 3 },
      { participant: 'px', clientSeq: 500 },
    ];
    expect(continuation(logged)).toEqual({ participants: 11, therapist: 8, companion: 100 });
  });
});

describe('closing', () => {
  it('ends every connection and writes what was pending', async () => {
    const { room, store, players, therapist } = await seated(1);
    (players[0] as Device).emit({ type: 'play', event: hit(0) });
    await room.close();
    expect((await store.sessions.read(SESSION)).length).toBe(1);
    expect(therapist.last('refused')?.code).toBe('room-closed');
    expect(KEY.length).toBeGreaterThan(0);
  });
});
