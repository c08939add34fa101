/**
 * Two studio instances (real `startStudio`, real WebSockets) sharing one PostgreSQL database and
 * one Redis, as behind a load balancer: a room hosted by one instance and played from both.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStudio } from '../app.ts';
import { CLOSE_GOING_AWAY } from '../room/index.ts';
import { loggedIn, tempStudio, WsDevice } from '../test-support.ts';
import { HOST_GONE, LINK_FAILED } from './bridges.ts';
import { NEEDS_POSTGRES } from './cluster.ts';
import { admittedOn, anna, consoleOn, keysOf, REDIS_URL, TestCluster, therapistOn } from './test-support.ts';

let cluster: TestCluster;

/** Kills one of a studio's Redis links by its name, as a network failure would. */
async function cutLink(name: string): Promise<void> {
  const clients = (await cluster.redis.call('CLIENT', 'LIST')) as string;
  const link = clients.split('\n').find((line) => line.includes(` name=${name} `));
  const id = /(?:^| )id=(\d+)/.exec(link ?? '')?.[1];
  if (id === undefined) throw new Error(`no Redis link named ${name}`);
  await cluster.redis.call('CLIENT', 'KILL', 'ID', id);
}

beforeEach(async () => {
  cluster = await TestCluster.create();
});
afterEach(async () => {
  await cluster.dispose();
});

interface LoggedEvent {
  seq: number;
  participant: string;
  type: string;
  t: number;
  payload: { event?: { pitch: number } };
}

describe('a room shared by two studio instances', () => {
  it('hosts the room on one instance while devices on both play, hear each other and the companion, and every event is recorded once', async () => {
    const a = await cluster.studio();
    const b = await cluster.studio();
    const onA = await therapistOn(a.url, true);
    const onB = await therapistOn(b.url, false);
    const started = await onA.request('POST', '/api/sessions', { title: 'Across instances' });
    expect(started.status).toBe(201);
    const { session, key } = started.body;

    // Instance B shows the session running, with its code, and hands its therapist the key.
    const seen = await onB.request('GET', `/api/sessions/${session.id}`);
    expect(seen.body.session).toMatchObject({ live: true, code: session.code });
    expect(seen.body.key).toBe(key);
    const listed = await onB.request('GET', '/api/sessions');
    expect(listed.body.sessions[0]).toMatchObject({ id: session.id, live: true, code: session.code });

    const { therapist, welcome } = await consoleOn(cluster, a.url, session.code, key);
    const sam = await admittedOn(cluster, b.url, therapist, session.code, 'Sam'); // bridged
    const kim = await admittedOn(cluster, a.url, therapist, session.code, 'Kim'); // direct
    expect(sam.resume.startsWith(session.code)).toBe(true);

    therapist.send({ type: 'steer', clientSeq: 0, t: welcome.now, control: { type: 'start' } });
    await therapist.next('ack');
    const t0 = sam.admit.now;
    for (let i = 0; i < 6; i++) {
      sam.player.send({
        type: 'play',
        clientSeq: i,
        event: { type: 'note', t: t0 + i * 0.1, pitch: 60 + i, velocity: 80, duration: 0.2 },
      });
    }
    kim.player.send({
      type: 'play',
      clientSeq: 0,
      event: { type: 'note', t: t0, pitch: 72, velocity: 70, duration: 0.2 },
    });
    await sam.player.next('ack', (m) => m.clientSeq === 5);
    await kim.player.next('ack', (m) => m.clientSeq === 0);
    // Relays reach the bridged device from the direct one and the other way round.
    await kim.player.next(
      'relay',
      (m) => m.participant === sam.participant && m.event.type === 'note' && m.event.pitch === 65,
    );
    await therapist.next(
      'relay',
      (m) => m.participant === sam.participant && m.event.type === 'note' && m.event.pitch === 65,
    );
    await sam.player.next('relay', (m) => m.participant === kim.participant);
    // The companion, run by the host, is heard on both instances.
    await sam.player.next('companion', () => true, 10_000);
    await kim.player.next('companion', () => true, 10_000);
    // The therapist's perception of the bridged player arrives as of one in the room.
    await therapist.next('perception', (m) => m.participant === sam.participant, 5000);

    // Sam's link on B drops; the tablet resumes through A with its token and carries on numbering.
    sam.player.ws.terminate();
    await therapist.next('state', (s) =>
      s.participants.some((p) => p.participant === sam.participant && !p.connected),
    );
    const back = await cluster.device(a.url);
    back.hello({ role: 'participant', resume: sam.resume, device: 'tablet-Sam' });
    const again = await back.next('welcome');
    expect(again).toMatchObject({ participant: sam.participant, nextClientSeq: 6 });
    // A resend of something already recorded is acknowledged again, not recorded twice.
    back.send({
      type: 'play',
      clientSeq: 5,
      event: { type: 'note', t: t0 + 0.5, pitch: 65, velocity: 80, duration: 0.2 },
    });
    expect(await back.next('ack', (m) => m.clientSeq === 5)).toMatchObject({ duplicate: true });
    back.send({
      type: 'play',
      clientSeq: 6,
      event: { type: 'note', t: again.now, pitch: 67, velocity: 80, duration: 0.2 },
    });
    await back.next('ack', (m) => m.clientSeq === 6);
    await kim.player.next(
      'relay',
      (m) => m.participant === sam.participant && m.event.type === 'note' && m.event.pitch === 67,
    );

    // Kim moves to B (bridged now) and is still heard.
    kim.player.ws.terminate();
    const kimBack = await cluster.device(b.url);
    kimBack.hello({ role: 'participant', resume: kim.resume, device: 'tablet-Kim' });
    await kimBack.next('welcome');
    kimBack.send({
      type: 'play',
      clientSeq: 1,
      event: { type: 'note', t: again.now, pitch: 74, velocity: 70, duration: 0.2 },
    });
    await kimBack.next('ack', (m) => m.clientSeq === 1);
    await back.next(
      'relay',
      (m) => m.participant === kim.participant && m.event.type === 'note' && m.event.pitch === 74,
    );

    // Read from B: every event once, in one numbering.
    const events: LoggedEvent[] = (await onB.request('GET', `/api/sessions/${session.id}/events`)).body
      .events;
    const played = events.filter((e) => e.type === 'play');
    expect(played.map((e) => `${e.participant}:${e.payload.event?.pitch}`).sort()).toEqual(
      [
        ...[60, 61, 62, 63, 64, 65, 67].map((p) => `${sam.participant}:${p}`),
        `${kim.participant}:72`,
        `${kim.participant}:74`,
      ].sort(),
    );
    expect(new Set(events.map((e) => e.seq)).size).toBe(events.length);
    expect(events.some((e) => e.participant === 'companion')).toBe(true);
    for (const d of cluster.devices) expect(d.invalid).toEqual([]);
  }, 30_000);

  it('ends a session from the instance that does not host it: the host closes the room and tells every device', async () => {
    const a = await cluster.studio({ companion: false });
    const b = await cluster.studio({ companion: false });
    const onA = await therapistOn(a.url, true);
    const onB = await therapistOn(b.url, false);
    const { session, key } = (await onA.request('POST', '/api/sessions', {})).body;
    const { therapist } = await consoleOn(cluster, a.url, session.code, key);
    const sam = await admittedOn(cluster, b.url, therapist, session.code, 'Sam');

    const resumed = await onB.request('POST', `/api/sessions/${session.id}/resume`);
    expect(resumed.status).toBe(409);
    expect(resumed.body.error.code).toBe('live');

    const ended = await onB.request('POST', `/api/sessions/${session.id}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body.session).toMatchObject({ status: 'closed', live: false, code: null });
    for (const d of [therapist, sam.player]) {
      expect(await d.next('refused')).toMatchObject({ code: 'room-closed' });
      expect((await d.closedWithin()).code).toBe(CLOSE_GOING_AWAY);
    }
    expect((await onA.request('GET', `/api/sessions/${session.id}`)).body.session).toMatchObject({
      status: 'closed',
      live: false,
    });
    // The code is no longer awaited nor hosted anywhere.
    expect((await cluster.keys()).filter((k) => !k.includes(':instance:'))).toEqual([]);
    const late = await cluster.device(b.url);
    late.hello({ role: 'participant', room: session.code, device: 'late tablet' });
    expect(await late.next('refused')).toMatchObject({
      code: 'unknown-room',
      message: 'there is no room with that code',
    });
  }, 30_000);

  it('tells the bridged devices going-away when the host closes; the therapist resumes on the other instance and they come back', async () => {
    const a = await cluster.studio({ companion: false });
    const b = await cluster.studio({ companion: false });
    const onA = await therapistOn(a.url, true);
    const { session, key } = (await onA.request('POST', '/api/sessions', {})).body;
    const { therapist } = await consoleOn(cluster, a.url, session.code, key);
    const sam = await admittedOn(cluster, b.url, therapist, session.code, 'Sam');
    sam.player.send({
      type: 'play',
      clientSeq: 0,
      event: { type: 'note', t: sam.admit.now, pitch: 60, velocity: 80, duration: 0.2 },
    });
    await sam.player.next('ack');

    await a.close();
    const closed = await sam.player.closedWithin();
    expect(closed.code).toBe(CLOSE_GOING_AWAY);
    // Going away, not ended: the device was not told the session ended.
    expect(sam.player.types()).not.toContain('refused');
    expect((await therapist.closedWithin()).code).toBe(CLOSE_GOING_AWAY);

    // Until the therapist resumes, the tablet retrying is told to wait, and is not counted as guessing.
    const onB = await therapistOn(b.url, false);
    expect((await onB.request('GET', `/api/sessions/${session.id}`)).body.session).toMatchObject({
      live: false,
      status: 'open',
    });
    for (let i = 0; i < 6; i++) {
      const retry = await cluster.device(b.url);
      retry.hello({ role: 'participant', resume: sam.resume, device: 'tablet-Sam' });
      expect(await retry.next('refused')).toMatchObject({ code: 'unknown-resume' });
    }
    const resumed = await onB.request('POST', `/api/sessions/${session.id}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.session).toMatchObject({ live: true, code: session.code, events: 1 });
    const c = await cluster.studio({ companion: false });
    const console2 = await consoleOn(cluster, c.url, session.code, resumed.body.key);
    const samAgain = await admittedOn(cluster, c.url, console2.therapist, session.code, 'Sam');
    samAgain.player.send({
      type: 'play',
      clientSeq: 0,
      event: { type: 'note', t: samAgain.admit.now, pitch: 62, velocity: 80, duration: 0.2 },
    });
    await samAgain.player.next('ack');
    const events = (await onB.request('GET', `/api/sessions/${session.id}/events`)).body
      .events as LoggedEvent[];
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
  }, 30_000);

  it('sends bridged devices away when the host process is killed; the session resumes on the survivor with nothing acknowledged lost', async () => {
    const host = await cluster.process({ companion: false });
    const b = await cluster.studio({ companion: false });
    const onHost = await therapistOn(host.url, true);
    const { session, key } = (await onHost.request('POST', '/api/sessions', {})).body;
    const { therapist } = await consoleOn(cluster, host.url, session.code, key);
    const sam = await admittedOn(cluster, b.url, therapist, session.code, 'Sam');
    sam.player.send({
      type: 'play',
      clientSeq: 0,
      event: { type: 'note', t: sam.admit.now, pitch: 60, velocity: 80, duration: 0.2 },
    });
    const ack = await sam.player.next('ack');

    host.child.kill('SIGKILL');
    const closed = await sam.player.closedWithin(10_000);
    expect(closed).toEqual({ code: CLOSE_GOING_AWAY, reason: HOST_GONE });

    // Once the dead host's entries have expired, the session resumes on B with its log continuing.
    const onB = await therapistOn(b.url, false);
    let resumed = await onB.request('POST', `/api/sessions/${session.id}/resume`);
    for (let i = 0; i < 100 && resumed.status === 409; i++) {
      await new Promise((r) => setTimeout(r, 100));
      resumed = await onB.request('POST', `/api/sessions/${session.id}/resume`);
    }
    expect(resumed.status).toBe(200);
    expect(resumed.body.session).toMatchObject({ live: true, code: session.code, events: 1 });
    const events = (await onB.request('GET', `/api/sessions/${session.id}/events`)).body
      .events as LoggedEvent[];
    expect(events.map((e) => e.seq)).toEqual([ack.seq]);
  }, 60_000);

  it('shows a device away when the instance it reached is killed; it resumes on the host, and stray frames change nothing', async () => {
    const a = await cluster.studio({ companion: false });
    const via = await cluster.process({ companion: false });
    const onA = await therapistOn(a.url, true);
    const { session, key } = (await onA.request('POST', '/api/sessions', {})).body;
    const { therapist } = await consoleOn(cluster, a.url, session.code, key);
    const sam = await admittedOn(cluster, via.url, therapist, session.code, 'Sam');
    via.child.kill('SIGKILL');
    await therapist.next(
      'state',
      (s) => s.participants.some((p) => p.participant === sam.participant && !p.connected),
      10_000,
    );

    // Frames that are not frames, or name no connection, are ignored.
    const host = await cluster.redis.get(`${cluster.prefix}room:${session.code}`);
    const channel = `${cluster.prefix}to:${host?.split(' ')[0]}`;
    for (const junk of ['garbage', 'u nobody.1 {"type":"bye"}', 'g nobody.2', 'd nobody.3 {}', 'r nobody ok'])
      await cluster.redis.publish(channel, junk);

    const back = await cluster.device(a.url);
    back.hello({ role: 'participant', resume: sam.resume, device: 'tablet-Sam' });
    const welcome = await back.next('welcome');
    back.send({
      type: 'play',
      clientSeq: 0,
      event: { type: 'note', t: welcome.now, pitch: 60, velocity: 80, duration: 0.2 },
    });
    expect(await back.next('ack')).toMatchObject({ clientSeq: 0, duplicate: false });
  }, 60_000);

  it('sends bridged devices away when the link to Redis breaks, and bridges again once it is back', async () => {
    const a = await cluster.studio({ companion: false });
    const b = await cluster.studio({ companion: false });
    const onA = await therapistOn(a.url, true);
    const { session, key } = (await onA.request('POST', '/api/sessions', {})).body;
    const { therapist } = await consoleOn(cluster, a.url, session.code, key);
    const sam = await admittedOn(cluster, b.url, therapist, session.code, 'Sam');

    // Cut B's listening link (B is the instance that does not host the room).
    const host = (await cluster.redis.get(`${cluster.prefix}room:${session.code}`))?.split(' ')[0] as string;
    const instances = (await cluster.keys())
      .filter((k) => k.startsWith(`${cluster.prefix}instance:`))
      .map((k) => k.slice(`${cluster.prefix}instance:`.length));
    const onB = instances.find((i) => i !== host) as string;
    await cutLink(`attune-${onB}-sub`);
    expect(await sam.player.closedWithin()).toEqual({ code: CLOSE_GOING_AWAY, reason: LINK_FAILED });

    // The tablet comes back through B once the link is up again.
    const resume = async () => {
      for (let i = 0; i < 50; i++) {
        const again = await cluster.device(b.url);
        again.hello({ role: 'participant', resume: sam.resume, device: 'tablet-Sam' });
        try {
          await again.next('welcome', () => true, 1000);
          return again;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error('the tablet could not resume');
    };
    const again = await resume();

    // Now the host's sending link fails: the host drops the bridged device at once (the room shows
    // it away) and, once its link is back, has B send the device away too, to resume afresh.
    await cutLink(`attune-${host}-pub`);
    await therapist.next(
      'state',
      (s) => s.participants.some((p) => p.participant === sam.participant && !p.connected),
      5000,
    );
    expect(await again.closedWithin()).toEqual({ code: CLOSE_GOING_AWAY, reason: LINK_FAILED });
    const third = await resume();
    third.send({
      type: 'play',
      clientSeq: 0,
      event: { type: 'note', t: sam.admit.now, pitch: 60, velocity: 80, duration: 0.2 },
    });
    await third.next('ack');
  }, 60_000);

  it('limits wrong room codes per address across both instances', async () => {
    const limit = { max: 3, window: 60, lockout: 300 };
    const a = await cluster.studio({ companion: false, guessLimit: limit, trustProxy: true });
    const b = await cluster.studio({ companion: false, guessLimit: limit, trustProxy: true });
    const onA = await therapistOn(a.url, true);
    const { session } = (await onA.request('POST', '/api/sessions', {})).body;
    const guesser = { 'x-forwarded-for': '203.0.113.9' };
    const guess = async (base: string, room: string) => {
      const d = await cluster.device(base, guesser);
      d.hello({ role: 'participant', room, device: 'guessing' });
      return d.next('refused');
    };
    expect(await guess(a.url, 'ZZZZZ2')).toMatchObject({ code: 'unknown-room' });
    expect(await guess(b.url, 'ZZZZZ3')).toMatchObject({ code: 'unknown-room' });
    expect(await guess(a.url, 'ZZZZZ4')).toMatchObject({ code: 'unknown-room' });
    // Locked out on both, even with the right code.
    expect(await guess(b.url, session.code)).toMatchObject({ code: 'too-many-attempts' });
    expect(await guess(a.url, session.code)).toMatchObject({ code: 'too-many-attempts' });
    // Another address is not.
    const other = await cluster.device(b.url, { 'x-forwarded-for': '198.51.100.7' });
    other.hello({ role: 'participant', room: session.code, device: 'tablet' });
    await other.next('waiting');
  }, 30_000);
});

describe('without REDIS_URL', () => {
  it('runs alone as before: resume tokens are random alone, and no registry is written', async () => {
    // The prefix a studio with REDIS_URL would write under by default.
    const before = await keysOf(cluster.redis, 'attune:');
    const studio = await tempStudio({ companion: false });
    try {
      const therapist = await loggedIn(studio.url, anna, true);
      const { session } = (await therapist.request('POST', '/api/sessions', {})).body;
      const device = await WsDevice.open(studio.url);
      device.hello({ role: 'participant', room: session.code, device: 'tablet' });
      const waiting = await device.next('waiting');
      expect(waiting.resume).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(waiting.resume.startsWith(session.code)).toBe(false);
      device.close();
      expect(await keysOf(cluster.redis, 'attune:')).toEqual(before);
    } finally {
      await studio.close();
    }
  });
});

describe('REDIS_URL', () => {
  it('is refused with SQLite, with a reason naming DATABASE_URL', async () => {
    await expect(
      startStudio({ port: 0, dataDir: '/nonexistent/never-made', redisUrl: REDIS_URL }),
    ).rejects.toThrow(NEEDS_POSTGRES);
  });

  it('names an unreachable Redis, and leaves nothing open', async () => {
    await expect(
      startStudio({
        port: 0,
        dataDir: '/nonexistent/never-made',
        databaseUrl: cluster.databaseUrl,
        redisUrl: 'redis://127.0.0.1:1',
        onError: () => {},
      }),
    ).rejects.toThrow(/Redis at redis:\/\/127\.0\.0\.1:1.* could not be reached/);
  });
});
