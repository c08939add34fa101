/**
 * Client records through real HTTP on SQLite, as the web app and an intruder meet them: therapist
 * A's clients, groups, sessions and notes are out of therapist B's reach on every route, and out
 * of a participant's (a device with only a room code); each refusal is in the audit trail; an
 * admin reaches everything; bad input gets a clear error and changes nothing; the export holds
 * the recordings as MIDI; an erasure removes the client and leaves only its audit entry.
 */
import { readPerformance } from '@attune/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Browser, tempStudio, WsDevice } from '../test-support.ts';
import { ada as admin, anna, ben, consoleIn, staffed } from './test-support.ts';

const mia = {
  name: 'Mia Jansen',
  birthDate: '2016-02-29',
  displayName: 'Mia',
  consent: { recording: true, research: false, family: true },
  notes: 'Loves the drum; startles at sudden loud sounds.',
};
const tom = {
  name: 'Tom Reyes',
  birthDate: '2014-07-01',
  displayName: 'T.R.',
  consent: { recording: true, research: true, family: false },
};

type Running = Awaited<ReturnType<typeof tempStudio>>;
let studio: Running;
let ada: Browser;
let a: Browser;
let b: Browser;
let ids: { anna: string; ben: string };
const devices: WsDevice[] = [];

beforeEach(async () => {
  studio = await tempStudio({ companion: false });
  ({
    admin: ada,
    therapists: { anna: a, ben: b },
    ids,
  } = await staffed(studio.url, admin, { anna, ben }));
});

afterEach(async () => {
  for (const d of devices.splice(0)) d.close();
  await studio.close();
});

/** A session played over WebSockets: the therapist and each named participant play a few notes. */
async function playedSession(owner: Browser, title: string, players: string[]) {
  const { session, key } = (await owner.request('POST', '/api/sessions', { title })).body;
  const { therapist, welcome } = await consoleIn(studio.url, { session, key }, devices);
  const lanes: string[] = [];
  for (const [i, name] of players.entries()) {
    const player = await WsDevice.open(studio.url);
    devices.push(player);
    player.hello({ role: 'participant', room: session.code, device: `tablet-${name}`, name });
    const waiting = await player.next('waiting');
    await therapist.next('state', (s) => s.waiting.some((w) => w.participant === waiting.participant));
    therapist.send({ type: 'admit', participant: waiting.participant });
    const admitted = await player.next('admitted');
    player.send({
      type: 'play',
      clientSeq: 0,
      event: { type: 'note', t: admitted.now, pitch: 60 + i, velocity: 90, duration: 0.3 },
    });
    player.send({
      type: 'play',
      clientSeq: 1,
      event: { type: 'hit', t: admitted.now + 0.2, instrument: 38, velocity: 70 },
    });
    await player.next('ack', (x) => x.clientSeq === 1);
    lanes.push(waiting.participant);
  }
  therapist.send({
    type: 'play',
    clientSeq: 0,
    event: { type: 'note', t: welcome.now + 0.5, pitch: 48, velocity: 64, duration: 1 },
  });
  await therapist.next('ack', (x) => x.clientSeq === 0);
  return { session, lanes, therapist };
}

async function end(owner: Browser, sessionId: string) {
  expect((await owner.request('POST', `/api/sessions/${sessionId}/end`)).status).toBe(200);
}

/** Therapist A's world: a client with a recorded, linked and noted session, and a group. */
async function annasWorld() {
  const client = (await a.request('POST', '/api/clients', mia)).body.client;
  const played = await playedSession(a, 'Mia, week 1', ['Mia']);
  await end(a, played.session.id);
  const linked = await a.request('PUT', `/api/sessions/${played.session.id}/links`, {
    clients: [{ id: client.id, participant: played.lanes[0] }],
    group: null,
  });
  expect(linked.status).toBe(200);
  const note = (
    await a.request('POST', `/api/sessions/${played.session.id}/notes`, { text: 'Mia led the pulse.' })
  ).body.note;
  const group = (await a.request('POST', '/api/groups', { name: 'Tuesday group', clientIds: [client.id] }))
    .body.group;
  return { client, session: played.session, lane: played.lanes[0] as string, note, group };
}

describe('a therapist and their own clients', () => {
  it('makes, lists, reads and changes a client, assigned to the therapist who made them', async () => {
    const made = await a.request('POST', '/api/clients', mia);
    expect(made.status).toBe(201);
    expect(made.body.client).toMatchObject({
      name: 'Mia Jansen',
      birthDate: '2016-02-29',
      displayName: 'Mia',
      consent: { recording: true, research: false, family: true },
      therapists: [{ id: ids.anna, name: 'Anna Berg' }],
      groups: [],
      sessions: [],
    });
    const id = made.body.client.id;
    expect((await a.request('GET', '/api/clients')).body.clients.map((c: { id: string }) => c.id)).toEqual([
      id,
    ]);
    const changed = await a.request('PATCH', `/api/clients/${id}`, {
      consent: { research: true },
      notes: 'More.',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.client.consent).toEqual({ recording: true, research: true, family: true });
    expect(changed.body.client.notes).toBe('More.');
    expect((await a.request('GET', `/api/clients/${id}`)).body.client.name).toBe('Mia Jansen');

    const trail = (await ada.request('GET', `/api/audit?client=${id}`)).body.entries;
    expect(trail.map((e: { action: string }) => e.action)).toEqual([
      'client-read',
      'client-updated',
      'client-listed',
      'client-created',
    ]);
    for (const e of trail) expect(e).toMatchObject({ actor: ids.anna, target: id, address: '127.0.0.1' });
    expect(trail[1].detail).toEqual({ fields: ['notes', 'consent.research'] });
    // The trail names fields, never their values.
    expect(JSON.stringify(trail)).not.toMatch(/Mia|Jansen|2016|More\./);
  });

  it('links a played session to the client, adds notes, and shows both on the record', async () => {
    const world = await annasWorld();
    const record = (await a.request('GET', `/api/sessions/${world.session.id}/record`)).body;
    expect(record.clients).toEqual([{ id: world.client.id, displayName: 'Mia', participant: world.lane }]);
    expect(record.notes.map((n: { text: string }) => n.text)).toEqual(['Mia led the pulse.']);
    const client = (await a.request('GET', `/api/clients/${world.client.id}`)).body.client;
    expect(client.sessions).toEqual([
      expect.objectContaining({ id: world.session.id, participant: world.lane, groupId: null }),
    ]);
    expect(client.groups).toEqual([{ id: world.group.id, name: 'Tuesday group' }]);
    const edited = await a.request('PATCH', `/api/notes/${world.note.id}`, {
      text: 'Mia led the pulse twice.',
    });
    expect(edited.body.note.text).toBe('Mia led the pulse twice.');
    expect((await a.request('DELETE', `/api/notes/${world.note.id}`)).status).toBe(204);
    expect((await a.request('GET', `/api/sessions/${world.session.id}/record`)).body.notes).toEqual([]);
  });
});

describe("therapist B and therapist A's records", () => {
  it('refuses every route with 404 (403 for admin-only acts), logs each attempt, and changes nothing', async () => {
    const world = await annasWorld();
    const { client, session, note, group } = world;
    const before = (await ada.request('GET', `/api/clients/${client.id}`)).body.client;
    const bens = await playedSession(b, 'Ben’s own', []);

    const attempts: Array<[string, string, unknown, number]> = [
      ['GET', `/api/clients/${client.id}`, undefined, 404],
      ['PATCH', `/api/clients/${client.id}`, { notes: 'overwritten' }, 404],
      ['GET', `/api/clients/${client.id}/export`, undefined, 404],
      ['DELETE', `/api/clients/${client.id}`, { confirm: 'Mia Jansen' }, 404],
      ['PUT', `/api/clients/${client.id}/therapists`, { therapistIds: [ids.ben] }, 403],
      ['GET', `/api/groups/${group.id}`, undefined, 404],
      ['PATCH', `/api/groups/${group.id}`, { name: 'mine now' }, 404],
      ['DELETE', `/api/groups/${group.id}`, undefined, 404],
      ['PUT', `/api/groups/${group.id}/therapists`, { therapistIds: [ids.ben] }, 403],
      ['GET', `/api/sessions/${session.id}/record`, undefined, 404],
      ['PUT', `/api/sessions/${session.id}/links`, { clients: [], group: null }, 404],
      ['POST', `/api/sessions/${session.id}/notes`, { text: 'a note from B' }, 404],
      ['PATCH', `/api/notes/${note.id}`, { text: 'changed by B' }, 404],
      ['DELETE', `/api/notes/${note.id}`, undefined, 404],
      // Reaching A's client through B's own group and B's own session.
      ['POST', '/api/groups', { name: 'B’s group', clientIds: [client.id] }, 404],
      [
        'PUT',
        `/api/sessions/${bens.session.id}/links`,
        { clients: [{ id: client.id, participant: null }], group: group.id },
        404,
      ],
      ['GET', '/api/audit', undefined, 403],
      // A's session through the live-session routes.
      ['GET', `/api/sessions/${session.id}`, undefined, 404],
      ['GET', `/api/sessions/${session.id}/events`, undefined, 404],
    ];
    for (const [method, path, body, status] of attempts) {
      const answer = await b.request(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(status);
      expect(answer.body.error.code, `${method} ${path}`).toBe(status === 404 ? 'not-found' : 'admin-only');
      expect(JSON.stringify(answer.body)).not.toMatch(/Mia|Jansen|Tuesday/);
    }
    // A record B may not reach answers exactly as one that does not exist.
    const missing = await b.request('GET', '/api/clients/no-such-client');
    const hidden = await b.request('GET', `/api/clients/${client.id}`);
    expect(hidden.body).toEqual(missing.body);
    // Lists show none of A's records.
    expect((await b.request('GET', '/api/clients')).body.clients).toEqual([]);
    expect((await b.request('GET', '/api/groups')).body.groups).toEqual([]);

    // Nothing changed.
    expect((await ada.request('GET', `/api/clients/${client.id}`)).body.client).toEqual(before);
    const record = (await a.request('GET', `/api/sessions/${session.id}/record`)).body;
    expect(record.notes).toEqual([note]);
    expect(record.clients).toHaveLength(1);
    expect((await a.request('GET', `/api/groups/${group.id}`)).body.group.name).toBe('Tuesday group');
    expect((await b.request('GET', `/api/sessions/${bens.session.id}/record`)).body.clients).toEqual([]);

    // Every attempt on a record is in the audit trail, refused, with B's address.
    const refusals = (await ada.request('GET', `/api/audit?actor=${ids.ben}&limit=1000`)).body.entries.filter(
      (e: { action: string }) => e.action.endsWith('-refused'),
    );
    const refusedTargets = refusals.map(
      (e: { action: string; target: string | null }) => `${e.action} ${e.target}`,
    );
    for (const expected of [
      `client-read-refused ${client.id}`,
      `client-update-refused ${client.id}`,
      `client-export-refused ${client.id}`,
      `client-erase-refused ${client.id}`,
      `client-assign-refused ${client.id}`,
      `group-read-refused ${group.id}`,
      `group-update-refused ${group.id}`,
      `group-delete-refused ${group.id}`,
      `group-assign-refused ${group.id}`,
      `session-record-read-refused ${session.id}`,
      `session-link-refused ${session.id}`,
      `session-note-add-refused ${session.id}`,
      `session-note-update-refused ${note.id}`,
      `session-note-delete-refused ${note.id}`,
      `group-create-refused ${client.id}`,
      `session-link-refused ${client.id}`,
      'audit-read-refused null',
    ])
      expect(refusedTargets).toContain(expected);
    for (const e of refusals) expect(e.address).toBe('127.0.0.1');
    const forClient = (await ada.request('GET', `/api/audit?client=${client.id}&action=client-read-refused`))
      .body.entries;
    expect(forClient[0]).toMatchObject({ actor: ids.ben, detail: { reason: 'not-assigned' } });
  });

  it('lets B in once an admin assigns the client to B, and out again when the assignment ends', async () => {
    const { client } = await annasWorld();
    expect((await b.request('GET', `/api/clients/${client.id}`)).status).toBe(404);
    const assigned = await ada.request('PUT', `/api/clients/${client.id}/therapists`, {
      therapistIds: [ids.anna, ids.ben],
    });
    expect(assigned.body.client.therapists.map((t: { id: string }) => t.id).sort()).toEqual(
      [ids.anna, ids.ben].sort(),
    );
    expect((await b.request('GET', `/api/clients/${client.id}`)).status).toBe(200);
    await ada.request('PUT', `/api/clients/${client.id}/therapists`, { therapistIds: [ids.anna] });
    expect((await b.request('GET', `/api/clients/${client.id}`)).status).toBe(404);
    const entry = (await ada.request('GET', `/api/audit?client=${client.id}&action=client-assigned`)).body
      .entries[0];
    expect(entry.detail).toEqual({ added: [], removed: [ids.ben] });
  });
});

describe('a participant (a room code, no account)', () => {
  it('reaches no records route, with or without its resume token, and each attempt is logged', async () => {
    const world = await annasWorld();
    const { session } = (await a.request('POST', '/api/sessions', { title: 'live' })).body;
    const player = await WsDevice.open(studio.url);
    devices.push(player);
    player.hello({ role: 'participant', room: session.code, device: 'tablet', name: 'Mia' });
    const waiting = await player.next('waiting');
    const tablet = new Browser(studio.url);
    await tablet.state();
    const routes: Array<[string, string, unknown]> = [
      ['GET', '/api/clients', undefined],
      ['GET', `/api/clients/${world.client.id}`, undefined],
      ['GET', `/api/clients/${world.client.id}/export`, undefined],
      ['PATCH', `/api/clients/${world.client.id}`, { notes: 'x' }],
      ['DELETE', `/api/clients/${world.client.id}`, { confirm: 'Mia Jansen' }],
      ['GET', '/api/groups', undefined],
      ['GET', `/api/groups/${world.group.id}`, undefined],
      ['GET', `/api/sessions/${world.session.id}/record`, undefined],
      ['POST', `/api/sessions/${world.session.id}/notes`, { text: 'x' }],
      ['GET', '/api/audit', undefined],
    ];
    for (const cookie of [null, waiting.resume, session.code]) {
      if (cookie !== null) tablet.cookies.set('attune_session', cookie);
      for (const [method, path, body] of routes) {
        const answer = await tablet.request(method, path, body);
        expect(answer.status, `${method} ${path}`).toBe(401);
        expect(answer.body.error.code).toBe('not-logged-in');
      }
    }
    const anonymous = (await ada.request('GET', '/api/audit?limit=1000')).body.entries.filter(
      (e: { actor: string | null }) => e.actor === null,
    );
    expect(anonymous).toHaveLength(routes.length * 3);
    for (const e of anonymous)
      expect(e).toMatchObject({ address: '127.0.0.1', detail: { reason: 'not-logged-in' } });
    expect(anonymous.map((e: { target: string | null }) => e.target)).toContain(world.client.id);
    expect((await a.request('GET', `/api/clients/${world.client.id}`)).body.client.notes).toBe(mia.notes);
  });
});

describe('an admin', () => {
  it('reaches every client, group and session record, and filters the audit trail', async () => {
    const world = await annasWorld();
    expect((await ada.request('GET', '/api/clients')).body.clients.map((c: { id: string }) => c.id)).toEqual([
      world.client.id,
    ]);
    expect((await ada.request('GET', `/api/groups/${world.group.id}`)).body.group.members).toEqual([
      { id: world.client.id, displayName: 'Mia' },
    ]);
    expect((await ada.request('GET', `/api/sessions/${world.session.id}/record`)).status).toBe(200);
    expect((await ada.request('GET', `/api/clients/${world.client.id}/export`)).status).toBe(200);
    const made = await ada.request('POST', '/api/clients', { ...tom, therapistIds: [ids.ben] });
    expect(made.body.client.therapists).toEqual([{ id: ids.ben, name: 'Ben Ode' }]);
    expect((await b.request('GET', `/api/clients/${made.body.client.id}`)).status).toBe(200);

    const exports = (await ada.request('GET', '/api/audit?action=client-exported')).body.entries;
    expect(exports).toEqual([
      expect.objectContaining({ actor: expect.any(String), target: world.client.id }),
    ]);
    const span = await ada.request('GET', '/api/audit?from=2000-01-01&to=2000-01-02');
    expect(span.body.entries).toEqual([]);
    const limited = await ada.request('GET', '/api/audit?limit=2');
    expect(limited.body.entries).toHaveLength(2);
  });
});

describe('bad input', () => {
  it('gets a clear error and changes nothing', async () => {
    const { client } = await annasWorld();
    const before = (await a.request('GET', `/api/clients/${client.id}`)).body.client;
    const cases: Array<[string, string, unknown, number, string, string | RegExp]> = [
      [
        'POST',
        '/api/clients',
        { ...tom, admin: true },
        400,
        'invalid',
        'The body has a field it does not take: admin.',
      ],
      [
        'POST',
        '/api/clients',
        { ...tom, birthDate: '2019-02-29' },
        400,
        'invalid',
        'Birth date is not a day of the calendar: "2019-02-29".',
      ],
      ['POST', '/api/clients', { ...tom, birthDate: '01/07/2014' }, 400, 'invalid', /written YYYY-MM-DD/],
      [
        'POST',
        '/api/clients',
        { ...tom, birthDate: '2999-01-01' },
        400,
        'invalid',
        /must not be in the future/,
      ],
      ['POST', '/api/clients', { ...tom, name: '   ' }, 400, 'invalid', 'Name must not be blank.'],
      [
        'POST',
        '/api/clients',
        { ...tom, consent: { recording: 'yes', research: true, family: true } },
        400,
        'invalid',
        'Consent.recording must be a boolean.',
      ],
      [
        'POST',
        '/api/clients',
        { ...tom, consent: { recording: true } },
        400,
        'invalid',
        'The body lacks the field research.',
      ],
      [
        'POST',
        '/api/clients',
        { ...tom, therapistIds: [ids.ben] },
        403,
        'admin-only',
        'Only an admin can do this.',
      ],
      [
        'PATCH',
        `/api/clients/${client.id}`,
        { birthDate: '2016-13-01' },
        400,
        'invalid',
        /not a day of the calendar/,
      ],
      [
        'PATCH',
        `/api/clients/${client.id}`,
        { nickname: 'M' },
        400,
        'invalid',
        'The body has a field it does not take: nickname.',
      ],
      [
        'PATCH',
        `/api/clients/${client.id}`,
        {},
        400,
        'invalid',
        'The body changes nothing: give a field to change.',
      ],
      ['DELETE', `/api/clients/${client.id}`, {}, 400, 'invalid', 'The body lacks the field confirm.'],
      ['DELETE', `/api/clients/${client.id}`, undefined, 400, 'invalid', 'The body lacks the field confirm.'],
      [
        'DELETE',
        `/api/clients/${client.id}`,
        { confirm: 'Mia' },
        400,
        'confirmation-mismatch',
        /full name exactly/,
      ],
      [
        'PUT',
        `/api/clients/${client.id}/therapists`,
        { therapistIds: ['nobody'] },
        403,
        'admin-only',
        'Only an admin can do this.',
      ],
      [
        'POST',
        '/api/groups',
        { name: 'G', clientIds: [client.id], extra: 1 },
        400,
        'invalid',
        'The body has a field it does not take: extra.',
      ],
      [
        'POST',
        `/api/sessions/${client.id}/notes`,
        { text: 'x' },
        404,
        'not-found',
        'There is no such session.',
      ],
      [
        'GET',
        '/api/clients/not%20an%20id',
        undefined,
        400,
        'invalid',
        /The address must match pattern|Id must match pattern/,
      ],
    ];
    for (const [method, path, body, status, code, message] of cases) {
      const answer = await a.request(method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(answer.body.error.code, `${method} ${path} ${JSON.stringify(body)}`).toBe(code);
      if (typeof message === 'string') expect(answer.body.error.message).toBe(message);
      else expect(answer.body.error.message).toMatch(message);
    }
    const adminCases: Array<[string, string, unknown, string, string | RegExp]> = [
      [
        'PUT',
        `/api/clients/${client.id}/therapists`,
        { therapistIds: ['nobody'] },
        'unknown-therapist',
        'There is no account "nobody" to assign.',
      ],
      ['GET', '/api/audit?from=2026-02-30', undefined, 'invalid', /From must be a date or time/],
      ['GET', '/api/audit?to=yesterday', undefined, 'invalid', /To must be a date or time/],
      ['GET', '/api/audit?limit=0', undefined, 'invalid', /limit must be >= 1/i],
      ['GET', '/api/audit?who=me', undefined, 'invalid', 'The query has a field it does not take: who.'],
    ];
    for (const [method, path, body, code, message] of adminCases) {
      const answer = await ada.request(method, path, body);
      expect(answer.status, path).toBe(400);
      expect(answer.body.error.code, path).toBe(code);
      if (typeof message === 'string') expect(answer.body.error.message).toBe(message);
      else expect(answer.body.error.message).toMatch(message);
    }
    expect((await a.request('GET', `/api/clients/${client.id}`)).body.client).toEqual(before);
    expect((await a.request('GET', '/api/clients')).body.clients).toHaveLength(1);
    expect((await a.request('GET', '/api/groups')).body.groups).toHaveLength(1);
  });
});

describe('export', () => {
  it("holds the record, sessions with notes and events, and each recording as MIDI; other clients' lanes are left out", async () => {
    const mine = (await a.request('POST', '/api/clients', mia)).body.client;
    const other = (await a.request('POST', '/api/clients', tom)).body.client;
    const solo = await playedSession(a, 'Mia alone', ['Mia']);
    await end(a, solo.session.id);
    await a.request('PUT', `/api/sessions/${solo.session.id}/links`, {
      clients: [{ id: mine.id, participant: solo.lanes[0] }],
      group: null,
    });
    await a.request('POST', `/api/sessions/${solo.session.id}/notes`, { text: 'Steady beat today.' });
    const pair = await playedSession(a, 'Pair session', ['Mia', 'Tom']);
    await end(a, pair.session.id);
    const group = (await a.request('POST', '/api/groups', { name: 'Pair', clientIds: [mine.id, other.id] }))
      .body.group;
    await a.request('PUT', `/api/sessions/${pair.session.id}/links`, {
      clients: [
        { id: mine.id, participant: pair.lanes[0] },
        { id: other.id, participant: pair.lanes[1] },
      ],
      group: group.id,
    });

    const answer = await a.request('GET', `/api/clients/${mine.id}/export`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename="attune-client-/);
    const exported = answer.body;
    expect(exported).toMatchObject({
      format: 'attune-client-export',
      version: 1,
      client: { id: mine.id, name: 'Mia Jansen', birthDate: '2016-02-29', notes: mia.notes },
      therapists: [{ id: ids.anna, name: 'Anna Berg' }],
      groups: [{ id: group.id, name: 'Pair' }],
    });
    expect(exported.sessions.map((s: { session: { id: string } }) => s.session.id)).toEqual([
      solo.session.id,
      pair.session.id,
    ]);
    const [first, second] = exported.sessions;
    expect(first).toMatchObject({ shared: false, lanesLeftOut: 0, participant: solo.lanes[0] });
    expect(first.notes.map((n: { text: string }) => n.text)).toEqual(['Steady beat today.']);
    expect(new Set(first.events.map((e: { participant: string }) => e.participant))).toEqual(
      new Set([solo.lanes[0], 'therapist']),
    );
    expect(second).toMatchObject({ shared: true, lanesLeftOut: 1, groupId: group.id });
    expect(second.events.some((e: { participant: string }) => e.participant === pair.lanes[1])).toBe(false);
    const text = JSON.stringify({
      ...exported,
      recordings: exported.recordings.map((r: object) => ({ ...r, base64: '' })),
    });
    expect(text).not.toMatch(/Tom|Reyes|T\.R\./);

    expect(exported.recordings).toHaveLength(2);
    const recording = exported.recordings[1];
    expect(recording).toMatchObject({
      session: pair.session.id,
      mediaType: 'audio/midi',
      tracks: ['therapist', 'Mia'],
    });
    const performance = readPerformance(new Uint8Array(Buffer.from(recording.base64, 'base64')));
    expect(performance.tracks.map((t) => t.name)).toEqual(['therapist', 'Mia']);
    const miaTrack = performance.tracks[1];
    expect(miaTrack?.notes.map((n) => [n.pitch, n.channel])).toEqual([
      [60, 1],
      [38, 9],
    ]);
  });
});

describe('erasure', () => {
  it('removes the client, their own sessions, pseudonymises their lane in a shared one, and keeps only an audit entry', async () => {
    const mine = (await a.request('POST', '/api/clients', mia)).body.client;
    const other = (await a.request('POST', '/api/clients', tom)).body.client;
    const solo = await playedSession(a, 'Mia alone', ['Mia']);
    await end(a, solo.session.id);
    await a.request('PUT', `/api/sessions/${solo.session.id}/links`, {
      clients: [{ id: mine.id, participant: solo.lanes[0] }],
      group: null,
    });
    await a.request('POST', `/api/sessions/${solo.session.id}/notes`, { text: 'Mia Jansen smiled.' });
    const pair = await playedSession(a, 'Pair', ['Mia', 'Tom']);
    await end(a, pair.session.id);
    const group = (await a.request('POST', '/api/groups', { name: 'Pair', clientIds: [mine.id, other.id] }))
      .body.group;
    await a.request('PUT', `/api/sessions/${pair.session.id}/links`, {
      clients: [
        { id: mine.id, participant: pair.lanes[0] },
        { id: other.id, participant: pair.lanes[1] },
      ],
      group: group.id,
    });
    const live = await playedSession(a, 'Running now', []);
    await a.request('PUT', `/api/sessions/${live.session.id}/links`, {
      clients: [{ id: mine.id, participant: null }],
      group: null,
    });

    // A session running now holds the erasure back until it ends.
    const held = await a.request('DELETE', `/api/clients/${mine.id}`, { confirm: 'Mia Jansen' });
    expect(held.status).toBe(409);
    expect(held.body.error.code).toBe('session-live');
    expect((await a.request('GET', `/api/clients/${mine.id}`)).status).toBe(200);
    await end(a, live.session.id);

    const erased = await a.request('DELETE', `/api/clients/${mine.id}`, { confirm: 'Mia Jansen' });
    expect(erased.status).toBe(200);
    expect(erased.body.erased).toEqual({
      sessionsDeleted: 2,
      sessionsKept: [pair.session.id],
      lanesPseudonymised: 1,
      groupsLeft: 1,
    });

    for (const who of [a, ada]) {
      expect((await who.request('GET', `/api/clients/${mine.id}`)).status).toBe(404);
      expect((await who.request('GET', `/api/clients/${mine.id}/export`)).status).toBe(404);
      expect(
        (await who.request('GET', '/api/clients')).body.clients.map((c: { id: string }) => c.id),
      ).toEqual([other.id]);
    }
    // Her own sessions are gone with their recordings and notes.
    for (const id of [solo.session.id, live.session.id])
      expect((await a.request('GET', `/api/sessions/${id}`)).status).toBe(404);
    // The shared session keeps its music, her lane renamed; Tom's lane and link stay.
    const events = (await a.request('GET', `/api/sessions/${pair.session.id}/events`)).body.events;
    const lanes = new Set(events.map((e: { participant: string }) => e.participant));
    expect(lanes.has(pair.lanes[0] as string)).toBe(false);
    expect(lanes.has(pair.lanes[1] as string)).toBe(true);
    expect([...lanes].filter((p) => String(p).startsWith('erased-'))).toHaveLength(1);
    const record = (await a.request('GET', `/api/sessions/${pair.session.id}/record`)).body;
    expect(record.clients).toEqual([{ id: other.id, displayName: 'T.R.', participant: pair.lanes[1] }]);
    expect((await a.request('GET', `/api/groups/${group.id}`)).body.group.members).toEqual([
      { id: other.id, displayName: 'T.R.' },
    ]);

    // The audit keeps the erasure, and nowhere holds her personal data.
    const trail = (await ada.request('GET', `/api/audit?client=${mine.id}&limit=1000`)).body.entries;
    expect(trail.filter((e: { action: string }) => e.action === 'client-erased')).toEqual([
      expect.objectContaining({ actor: ids.anna, address: '127.0.0.1' }),
    ]);
    const everything = JSON.stringify((await ada.request('GET', '/api/audit?limit=10000')).body.entries);
    expect(everything).not.toMatch(/Mia|Jansen|2016-02-29|Loves the drum|smiled/);
    const rows = await studio.store.db.selectFrom('session_event').select('payload').execute();
    expect(JSON.stringify(rows)).not.toMatch(/Mia|Jansen/);
  });

  it('is refused without the confirmation, and to a therapist not assigned, and nothing is erased', async () => {
    const { client, session } = await annasWorld();
    for (const body of [{}, { confirm: '' }, { confirm: 'mia jansen' }]) {
      const answer = await a.request('DELETE', `/api/clients/${client.id}`, body);
      expect(answer.status).toBe(400);
    }
    expect((await b.request('DELETE', `/api/clients/${client.id}`, { confirm: 'Mia Jansen' })).status).toBe(
      404,
    );
    expect((await a.request('GET', `/api/clients/${client.id}`)).body.client.sessions).toHaveLength(1);
    expect((await a.request('GET', `/api/sessions/${session.id}/events`)).body.events.length).toBeGreaterThan(
      0,
    );
  });
});
