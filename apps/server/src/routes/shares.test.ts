/**
 * Sharing a clip with a family, through real HTTP, on SQLite and on PostgreSQL: a therapist
 * shares a span of a recorded session; the link, opened with no account, gives the note, the
 * clip's length and a WAV of exactly that span that holds sound, and nothing else; it stops when
 * revoked, when it expires (the studio's clock is moved by hand), when the family consent is
 * withdrawn and when the client is erased. Another therapist reaches none of it (404, audited), a
 * participant's device none (401, audited); bad spans are refused and store nothing; an address
 * trying unknown links is turned away.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWav, rms } from '../render/test-wav.ts';
import { freshDatabase } from '../storage/test-stores.ts';
import { Browser, loggedIn, tempStudio, type WsDevice } from '../test-support.ts';
import { CLIP_SAMPLE_RATE, LINK_RULE } from './shares.ts';
import { ada as admin, anna, ben, consoleIn, staffed } from './test-support.ts';

const mia = {
  name: 'Mia Jansen',
  birthDate: '2016-02-29',
  displayName: 'Mia',
  consent: { recording: true, research: false, family: true },
  notes: 'Loves the drum.',
};

const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe.each(['sqlite', 'postgres'] as const)('sharing a clip with family (%s)', (backend) => {
  let studio: Awaited<ReturnType<typeof tempStudio>>;
  let database: Awaited<ReturnType<typeof freshDatabase>> | null = null;
  let clock: number;
  /** Seconds added to the monotonic clock (the rooms' clock runs on it, so it must run). */
  let later: number;
  let ada: Browser;
  let a: Browser;
  let b: Browser;
  let ids: { anna: string; ben: string };
  const devices: WsDevice[] = [];

  beforeEach(async () => {
    clock = Date.parse('2026-11-25T10:00:00.000Z');
    later = 0;
    database = backend === 'postgres' ? await freshDatabase('shares') : null;
    studio = await tempStudio({
      companion: false,
      now: () => clock,
      monotonic: () => performance.now() / 1000 + later,
      ...(database ? { databaseUrl: database.url } : {}),
    });
    ({
      admin: ada,
      therapists: { anna: a, ben: b },
      ids,
    } = await staffed(studio.url, admin, { anna, ben }));
  });

  afterEach(async () => {
    for (const d of devices.splice(0)) d.close();
    await studio.close();
    await database?.drop();
  });

  /**
   * A session of Anna's with Mia: the therapist plays a note every quarter second from 0.25 s to
   * 3.75 s on the session clock (stamped once the clock has passed them), then ends it; linked to
   * Mia (made with `consent`).
   */
  async function miasSession(consent = mia.consent) {
    const client = (await a.request('POST', '/api/clients', { ...mia, consent })).body.client;
    const { session, key } = (await a.request('POST', '/api/sessions', { title: 'Mia, week 3' })).body;
    const { therapist } = await consoleIn(studio.url, { session, key }, devices);
    await sleep(3000);
    for (let i = 0; i < 15; i++)
      therapist.send({
        type: 'play',
        clientSeq: i,
        event: { type: 'note', t: 0.25 + i * 0.25, pitch: 60 + (i % 8), velocity: 90, duration: 0.25 },
      });
    await therapist.next('ack', (x) => x.clientSeq === 14);
    expect((await a.request('POST', `/api/sessions/${session.id}/end`)).status).toBe(200);
    const linked = await a.request('PUT', `/api/sessions/${session.id}/links`, {
      clients: [{ id: client.id, participant: null }],
      group: null,
    });
    expect(linked.status).toBe(200);
    return { client, session };
  }

  const share = (owner: Browser, session: string, body: Record<string, unknown> = {}) =>
    owner.request('POST', `/api/sessions/${session}/shares`, {
      from: 1,
      to: 3.5,
      note: 'Mia kept the beat with me for the whole song.',
      expiresInDays: 7,
      ...body,
    });

  /** The family: a browser with no cookie at all. */
  const family = () => new Browser(studio.url);

  it('plays only the span shared, with the note and nothing else, and logs who did what', async () => {
    const { client, session } = await miasSession();
    const made = await share(a, session.id);
    expect(made.status).toBe(201);
    const { token, link } = made.body;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link).toBe(`${studio.url}/shared/${token}`);
    expect(made.body.share).toMatchObject({
      sessionId: session.id,
      client: { id: client.id, displayName: 'Mia' },
      from: 1,
      to: 3.5,
      showName: false,
      createdBy: ids.anna,
      expiresAt: '2026-12-02T10:00:00.000Z',
      revokedAt: null,
      state: 'active',
    });
    // Only the token's hash is kept.
    const stored = await studio.store.db
      .withTables<{ share: { token_hash: string } }>()
      .selectFrom('share')
      .select('token_hash')
      .execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);

    // The clip is rendered as soon as the link is made, so the family's first play starts at once.
    const folder = join(studio.dir, 'data', 'shares');
    await expect
      .poll(() => (existsSync(folder) ? readdirSync(folder) : []), { timeout: 30_000, interval: 100 })
      .toEqual([`${made.body.share.id}.wav`]);

    const opened = await family().request('GET', `/api/shared/${token}`);
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({
      note: 'Mia kept the beat with me for the whole song.',
      duration: 2.5,
      expiresAt: '2026-12-02T10:00:00.000Z',
    });
    expect(opened.headers.get('cache-control')).toBe('no-store');
    expect(opened.headers.get('referrer-policy')).toBe('no-referrer');
    expect(opened.headers.get('set-cookie')).toBeNull();

    const clip = await fetch(`${studio.url}/api/shared/${token}/clip.wav`);
    expect(clip.status).toBe(200);
    expect(clip.headers.get('content-type')).toBe('audio/wav');
    expect(clip.headers.get('cache-control')).toBe('no-store');
    const wav = readWav(new Uint8Array(await clip.arrayBuffer()));
    expect(wav).toMatchObject({ riff: 'RIFF', wave: 'WAVE', channels: 2, sampleRate: CLIP_SAMPLE_RATE });
    expect(wav.frames).toBe(2.5 * CLIP_SAMPLE_RATE);
    expect(rms(wav.samples)).toBeGreaterThan(0.01);
    // Rendered once, kept under the data folder; a player's range request gets its bytes.
    expect(readdirSync(folder)).toHaveLength(1);
    const part = await fetch(`${studio.url}/api/shared/${token}/clip.wav`, {
      headers: { range: 'bytes=0-99' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-99/${44 + 2.5 * CLIP_SAMPLE_RATE * 4}`);
    expect((await part.arrayBuffer()).byteLength).toBe(100);

    // The therapist's list; the family page shows the pseudonym only when asked to.
    const answer = (await a.request('GET', `/api/sessions/${session.id}/shares`)).body;
    expect(answer.sharing).toEqual({
      allowed: true,
      reason: null,
      clients: [{ id: client.id, displayName: 'Mia' }],
    });
    const listed = answer.shares;
    expect(listed.map((s: { id: string }) => s.id)).toEqual([made.body.share.id]);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await a.request('GET', `/api/clients/${client.id}/shares`)).body.shares).toHaveLength(1);
    const named = (await share(a, session.id, { showName: true })).body.token;
    expect((await family().request('GET', `/api/shared/${named}`)).body.displayName).toBe('Mia');

    const trail = (await ada.request('GET', `/api/audit?client=${client.id}&limit=1000`)).body.entries;
    const actions = trail.map((e: { action: string }) => e.action);
    for (const act of ['share-created', 'share-listed', 'share-opened', 'share-played'])
      expect(actions).toContain(act);
    expect(trail.find((e: { action: string }) => e.action === 'share-opened')).toMatchObject({
      actor: null,
      address: '127.0.0.1',
    });
    expect(JSON.stringify(trail)).not.toMatch(/kept the beat|Mia/);
  }, 60_000);

  it('refuses a client whose record does not allow sharing with family, and stores nothing', async () => {
    const { client, session } = await miasSession({ recording: true, research: false, family: false });
    const before = (await a.request('GET', `/api/sessions/${session.id}/shares`)).body;
    expect(before.sharing).toEqual({
      allowed: false,
      reason:
        'Mia’s record does not allow sharing with family. Change the consent on their record first, if the family has agreed.',
      clients: [{ id: client.id, displayName: 'Mia' }],
    });
    const refused = await share(a, session.id);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: 'no-family-consent',
      message:
        'Mia’s record does not allow sharing with family. Change the consent on their record first, if the family has agreed.',
    });
    expect((await a.request('GET', `/api/sessions/${session.id}/shares`)).body.shares).toEqual([]);
    const trail = (await ada.request('GET', `/api/audit?target=${session.id}&action=share-create-refused`))
      .body.entries;
    expect(trail[0]).toMatchObject({ actor: ids.anna, detail: { reason: 'no-consent' } });
    expect(client.consent.family).toBe(false);
  }, 30_000);

  it('stops a link for good when the family consent is withdrawn, even if given again at once', async () => {
    const { client, session } = await miasSession();
    const { token, share: made } = (await share(a, session.id)).body;
    expect((await fetch(`${studio.url}/api/shared/${token}/clip.wav`)).status).toBe(200);
    await a.request('PATCH', `/api/clients/${client.id}`, { consent: { family: false } });
    await a.request('PATCH', `/api/clients/${client.id}`, { consent: { family: true } });
    const gone = await family().request('GET', `/api/shared/${token}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('link-gone');
    expect((await fetch(`${studio.url}/api/shared/${token}/clip.wav`)).status).toBe(404);
    const [listed] = (await a.request('GET', `/api/sessions/${session.id}/shares`)).body.shares;
    expect(listed).toMatchObject({ id: made.id, state: 'consent-withdrawn' });
    expect(readdirSync(join(studio.dir, 'data', 'shares'))).toEqual([]);
  }, 30_000);

  it('asks whose family the clip is for when a session is about several clients', async () => {
    const { client, session } = await miasSession();
    const jo = (
      await a.request('POST', '/api/clients', {
        name: 'Jo Obi',
        birthDate: '2015-03-03',
        displayName: 'Jo',
        consent: { recording: true, research: false, family: true },
      })
    ).body.client;
    const other = (
      await a.request('POST', '/api/clients', { ...mia, name: 'Ann Other', displayName: 'A.O.' })
    ).body.client;
    await a.request('PUT', `/api/sessions/${session.id}/links`, {
      clients: [
        { id: client.id, participant: null },
        { id: jo.id, participant: null },
      ],
      group: null,
    });
    const unsaid = await share(a, session.id);
    expect(unsaid.status).toBe(400);
    expect(unsaid.body.error).toEqual({
      code: 'client-needed',
      message: 'Say which client’s family the clip is for (client).',
    });
    const elsewhere = await share(a, session.id, { client: other.id });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.code).toBe('client-not-in-session');
    expect((await a.request('GET', `/api/sessions/${session.id}/shares`)).body.shares).toEqual([]);
    const made = await share(a, session.id, { client: jo.id, showName: true });
    expect(made.status).toBe(201);
    expect(made.body.share.client).toEqual({ id: jo.id, displayName: 'Jo' });
    expect((await family().request('GET', `/api/shared/${made.body.token}`)).body.displayName).toBe('Jo');
    expect((await a.request('GET', `/api/clients/${jo.id}/shares`)).body.shares).toHaveLength(1);
    expect((await a.request('GET', `/api/clients/${client.id}/shares`)).body.shares).toEqual([]);
  }, 30_000);

  it('stops a link when a client without family consent is linked to its session later', async () => {
    const { client, session } = await miasSession();
    const { token } = (await share(a, session.id)).body;
    expect((await family().request('GET', `/api/shared/${token}`)).status).toBe(200);
    const tom = (
      await a.request('POST', '/api/clients', {
        name: 'Tom Reyes',
        birthDate: '2014-07-01',
        displayName: 'T.R.',
        consent: { recording: true, research: true, family: false },
      })
    ).body.client;
    await a.request('PUT', `/api/sessions/${session.id}/links`, {
      clients: [
        { id: client.id, participant: null },
        { id: tom.id, participant: null },
      ],
      group: null,
    });
    expect((await family().request('GET', `/api/shared/${token}`)).status).toBe(404);
    const answer = (await a.request('GET', `/api/sessions/${session.id}/shares`)).body;
    expect(answer.shares.map((s: { state: string }) => s.state)).toEqual(['consent-withdrawn']);
    expect(answer.sharing.reason).toBe(
      'Everyone heard in this session must allow sharing with family, and T.R. does not: change the consent on their record first, if the family has agreed.',
    );
  }, 30_000);

  it('answers an expired, a revoked and an unknown link alike, and deletes the clips', async () => {
    const { session } = await miasSession();
    const day = (await share(a, session.id, { expiresInDays: 1 })).body;
    const week = (await share(a, session.id)).body;
    for (const made of [day, week])
      expect((await fetch(`${studio.url}/api/shared/${made.token}/clip.wav`)).status).toBe(200);
    const folder = join(studio.dir, 'data', 'shares');
    expect(readdirSync(folder).sort()).toEqual([`${day.share.id}.wav`, `${week.share.id}.wav`].sort());

    const revoked = await a.request('DELETE', `/api/shares/${week.share.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.share).toMatchObject({ state: 'revoked', revokedAt: '2026-11-25T10:00:00.000Z' });
    expect(readdirSync(folder)).toEqual([`${day.share.id}.wav`]);

    clock += DAY;
    // A day on, the therapists' own logins have lapsed too.
    a = await loggedIn(studio.url, anna, false);
    ada = await loggedIn(studio.url, admin, false);
    const answers = await Promise.all(
      [day.token, week.token, 'A'.repeat(43)].map((t) => family().request('GET', `/api/shared/${t}`)),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(answers[2]?.body);
    }
    for (const t of [day.token, week.token])
      expect((await fetch(`${studio.url}/api/shared/${t}/clip.wav`)).status).toBe(404);
    // The expired link's clip went at the first request after it expired.
    expect(readdirSync(folder)).toEqual([]);
    const states = (await a.request('GET', `/api/sessions/${session.id}/shares`)).body.shares.map(
      (s: { state: string }) => s.state,
    );
    expect(states.sort()).toEqual(['expired', 'revoked']);
    const refusals = (
      await ada.request('GET', `/api/audit?target=${session.id}&action=share-open-refused`)
    ).body.entries.map((e: { detail: { reason: string } }) => e.detail.reason);
    expect(refusals.sort()).toEqual(['expired', 'revoked']);
  }, 60_000);

  it('refuses spans outside the recording or too long, and expiries out of range; nothing is stored', async () => {
    const { session } = await miasSession();
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ from: -1 }, 'The clip cannot start before the recording does, got: -1 s.'],
      [{ from: 3, to: 2 }, 'The clip must end after it starts, got 3 s to 2 s.'],
      [{ from: 2, to: 2.5 }, 'The clip must last at least 1 second.'],
      [{ from: 0, to: 601 }, 'A clip may last at most 10 minutes, got 601 s: choose a shorter span.'],
      [{ from: 1, to: 9 }, 'The clip must end within the recording, which ends at 4 s, got: 9 s.'],
      [{ from: '1' }, 'From must be a number.'],
      [{ expiresInDays: 0 }, 'ExpiresInDays must be >= 1.'],
      [{ expiresInDays: 91 }, 'ExpiresInDays must be <= 90.'],
      [{ expiresInDays: 1.5 }, 'ExpiresInDays must be an integer.'],
      [{ token: 'mine' }, 'The body has a field it does not take: token.'],
      [{ note: 'x'.repeat(2001) }, 'Note must NOT have more than 2000 characters.'],
    ];
    for (const [body, message] of bad) {
      const answer = await share(a, session.id, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.message, JSON.stringify(body)).toBe(message);
    }
    expect((await a.request('GET', `/api/sessions/${session.id}/shares`)).body.shares).toEqual([]);
  }, 30_000);

  it('refuses a session still running, or linked to no client, and stores nothing', async () => {
    const { client } = await miasSession();
    const running = (await a.request('POST', '/api/sessions', { title: 'Mia, live' })).body.session;
    await a.request('PUT', `/api/sessions/${running.id}/links`, {
      clients: [{ id: client.id, participant: null }],
      group: null,
    });
    const live = await share(a, running.id, { from: 0, to: 1 });
    expect(live.status).toBe(409);
    expect(live.body.error).toEqual({
      code: 'session-live',
      message: 'This session is still running: end it before sharing a clip.',
    });
    expect((await a.request('POST', `/api/sessions/${running.id}/end`)).status).toBe(200);
    await a.request('PUT', `/api/sessions/${running.id}/links`, { clients: [], group: null });
    const alone = await share(a, running.id, { from: 0, to: 1 });
    expect(alone.status).toBe(409);
    expect(alone.body.error.code).toBe('no-client');
    const listed = (await a.request('GET', `/api/sessions/${running.id}/shares`)).body;
    expect(listed).toEqual({
      shares: [],
      sharing: {
        allowed: false,
        reason: 'Link this session to its client first: sharing with family needs the client’s consent.',
        clients: [],
      },
    });
  }, 30_000);

  it("keeps therapist B and a participant's device out of A's shares, and logs each attempt", async () => {
    const { client, session } = await miasSession();
    const mine = (await share(a, session.id)).body;
    const attempts: Array<[string, string, unknown]> = [
      ['POST', `/api/sessions/${session.id}/shares`, { from: 1, to: 3, note: '', expiresInDays: 1 }],
      ['GET', `/api/sessions/${session.id}/shares`, undefined],
      ['GET', `/api/clients/${client.id}/shares`, undefined],
      ['DELETE', `/api/shares/${mine.share.id}`, undefined],
    ];
    const device = family();
    await device.state();
    for (const [method, path, body] of attempts) {
      const answer = await b.request(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error.code).toBe('not-found');
      expect(JSON.stringify(answer.body)).not.toMatch(/Mia|kept the beat/);
      expect((await device.request(method, path, body)).status, `${method} ${path}`).toBe(401);
    }
    // B's refusal of A's session reads as one of a session that does not exist.
    expect((await b.request('GET', '/api/sessions/no-such-session/shares')).body).toEqual(
      (await b.request('GET', `/api/sessions/${session.id}/shares`)).body,
    );
    // Nothing changed: A's link still plays, and is the only one.
    expect((await family().request('GET', `/api/shared/${mine.token}`)).status).toBe(200);
    expect((await a.request('GET', `/api/sessions/${session.id}/shares`)).body.shares).toHaveLength(1);

    const refusals = (await ada.request('GET', '/api/audit?limit=1000')).body.entries.filter(
      (e: { action: string }) => e.action.endsWith('-refused'),
    );
    const by = (actor: string | null) =>
      refusals
        .filter((e: { actor: string | null }) => e.actor === actor)
        .map((e: { action: string; target: string; detail: { reason: string } }) =>
          [e.action, e.target, e.detail.reason].join(' '),
        );
    expect(by(ids.ben).sort()).toEqual(
      [
        `share-create-refused ${session.id} not-assigned`,
        `share-list-refused ${session.id} not-assigned`,
        `share-list-refused ${client.id} not-assigned`,
        `share-revoke-refused ${mine.share.id} not-assigned`,
        'share-list-refused no-such-session missing',
        `share-list-refused ${session.id} not-assigned`,
      ].sort(),
    );
    expect(by(null)).toEqual(
      expect.arrayContaining([
        `share-create-refused ${session.id} not-logged-in`,
        `share-revoke-refused ${mine.share.id} not-logged-in`,
      ]),
    );
  }, 30_000);

  it('turns away an address that tries too many unknown links, whatever it sends then', async () => {
    const { session } = await miasSession();
    const { token } = (await share(a, session.id)).body;
    for (let i = 0; i < LINK_RULE.max; i++) {
      const guess = `${'b'.repeat(40)}${String(i).padStart(3, '0')}`;
      expect((await family().request('GET', `/api/shared/${guess}`)).status).toBe(404);
    }
    const locked = await family().request('GET', `/api/shared/${token}`);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too-many-tries');
    expect(locked.headers.get('retry-after')).toBe(String(LINK_RULE.lockout));
    later += LINK_RULE.lockout;
    expect((await family().request('GET', `/api/shared/${token}`)).status).toBe(200);
  }, 30_000);

  it("goes with the client's erasure: links, clip files and all", async () => {
    const { client, session } = await miasSession();
    const { token, share: made } = (await share(a, session.id)).body;
    expect((await fetch(`${studio.url}/api/shared/${token}/clip.wav`)).status).toBe(200);
    const file = join(studio.dir, 'data', 'shares', `${made.id}.wav`);
    expect(existsSync(file)).toBe(true);
    const exported = (await a.request('GET', `/api/clients/${client.id}/export`)).body;
    expect(exported.shares).toEqual([expect.objectContaining({ id: made.id, session: session.id, from: 1 })]);
    const erased = await a.request('DELETE', `/api/clients/${client.id}`, { confirm: 'Mia Jansen' });
    expect(erased.status).toBe(200);
    expect(existsSync(file)).toBe(false);
    expect((await family().request('GET', `/api/shared/${token}`)).status).toBe(404);
    const rows = await studio.store.db
      .withTables<{ share: { id: string } }>()
      .selectFrom('share')
      .select('id')
      .execute();
    expect(rows).toEqual([]);
  }, 30_000);
});
