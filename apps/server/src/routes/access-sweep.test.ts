/**
 * The access sweep, through real HTTP and WebSockets, on SQLite and on PostgreSQL: therapist A
 * records a live session with a client playing, links it to the client and a group, notes it,
 * marks it, rates it, shares a moment of it and exports it as WAV. Then every route the studio
 * registers (listed as Fastify registers them, so a route added later is swept too) is called:
 *
 * - as therapist B with A's ids and valid bodies: each is refused (404 for a record, 403 for a
 *   role), the answer holds nothing of A's, nothing A sees has changed, and the refusal is in the
 *   audit trail as `<action>-refused` wherever the route is about a client's record;
 * - as a participant's device (its resume token or the room code where the session cookie goes,
 *   or nothing): `401 not-logged-in`, audited wherever the route is about a record.
 *
 * A route that is in neither the public allow-list nor the table of probes fails the test: whoever
 * adds a route adds its probe, and with it the proof that B and a participant are kept out.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyRequest, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../storage/test-stores.ts';
import { type Answer, Browser, loggedIn, tempStudio, WsDevice } from '../test-support.ts';

const ann = { name: 'Ann Admin', email: 'ann@clinic.example', password: 'correct horse battery' };
const anna = { name: 'Anna Berg', email: 'anna@clinic.example', password: 'another long secret' };
const ben = { name: 'Ben Ode', email: 'ben@clinic.example', password: 'yet another secret' };

/** A's client; every word of her record is one the sweep looks for in B's answers. */
const mirela = {
  name: 'Mirela Quist',
  birthDate: '2015-03-14',
  displayName: 'Mirela',
  consent: { recording: true, research: true, family: true },
  notes: 'Startles at the cymbal; calmer with the lyre.',
};
const TEXT = {
  title: 'Mirela, week 4',
  live: 'Mirela, week 5',
  group: 'Thursday circle',
  note: 'Mirela answered every phrase on the drum.',
  mark: 'She looked up when the melody came back.',
  rating: 'Held the beat through the bridge.',
  share: 'Mirela kept the beat with me.',
};

/** Routes anyone may call, each with why. */
const PUBLIC: Record<string, string> = {
  'GET /healthz': 'a load balancer asks whether the studio is up; answers nothing else',
  'GET /api/state': 'the first call of every page: whether setup is needed, who is logged in (the asker)',
  'POST /api/setup': 'makes the first admin, refused once there is one',
  'POST /api/login': 'how one logs in',
  'POST /api/logout': 'ends the asker’s own login, if any',
  'GET /api/me': 'the asker’s own account, 401 without one',
  'GET /api/shared/:token': 'a family’s clip by its 256-bit link (docs/RECORDS.md "Sharing with family")',
  'GET /api/shared/:token/clip.wav': 'the clip itself, by the same link',
  'GET /': 'the web app',
  'GET /*': 'the web app’s files',
  'GET /play': 'old address of solo play, redirected',
  'GET /play/*': 'old address of solo play, redirected',
};

/** What therapist A made, by id. */
interface World {
  readonly anna: string;
  readonly ben: string;
  readonly client: string;
  readonly group: string;
  /** A recorded, ended, linked session. */
  readonly session: string;
  /** A session still live, with a participant waiting in it. */
  readonly live: string;
  readonly lane: string;
  readonly note: string;
  readonly mark: string;
  readonly share: string;
  readonly job: string;
}

/** How a route is probed. */
interface Probe {
  readonly path: (w: World) => string;
  readonly body?: (w: World) => unknown;
  /** B's answer: 404 for a record, 403 for a role; 2xx where B asks for B's own (no id of A's). */
  readonly b: number;
  /** The action whose `-refused` entry an attempt writes, and its target; null: not about a record. */
  readonly audit: ((w: World) => readonly [action: string, target: string | null]) | null;
}

const session = (w: World) => `/api/sessions/${w.session}`;
const onSession =
  (action: string) =>
  (w: World): readonly [string, string] => [action, w.session];
const onClient =
  (action: string) =>
  (w: World): readonly [string, string] => [action, w.client];
const onGroup =
  (action: string) =>
  (w: World): readonly [string, string] => [action, w.group];

/** Every route that needs a login, as B calls it. */
const PROBES: Record<string, Probe> = {
  // accounts
  'GET /api/therapists': { path: () => '/api/therapists', b: 403, audit: null },
  'POST /api/therapists': {
    path: () => '/api/therapists',
    body: () => ({ name: 'Eve Next', email: 'eve@clinic.example', password: 'a long enough secret' }),
    b: 403,
    audit: null,
  },
  // live sessions
  'POST /api/sessions': {
    path: () => '/api/sessions',
    body: () => ({ title: 'Ben alone' }),
    b: 201,
    audit: null,
  },
  'GET /api/sessions': { path: () => '/api/sessions', b: 200, audit: null },
  'GET /api/sessions/:id': { path: session, b: 404, audit: onSession('session-get') },
  'POST /api/sessions/:id/end': {
    path: (w) => `/api/sessions/${w.live}/end`,
    b: 404,
    audit: (w) => ['session-end', w.live],
  },
  'POST /api/sessions/:id/resume': {
    path: (w) => `${session(w)}/resume`,
    b: 404,
    audit: onSession('session-resume'),
  },
  'GET /api/sessions/:id/events': {
    path: (w) => `${session(w)}/events`,
    b: 404,
    audit: onSession('session-read'),
  },
  // review
  'GET /api/sessions/:id/review': {
    path: (w) => `${session(w)}/review`,
    b: 404,
    audit: onSession('session-review'),
  },
  'GET /api/sessions/:id/review/log': {
    path: (w) => `${session(w)}/review/log`,
    b: 404,
    audit: onSession('session-review-log'),
  },
  'GET /api/sessions/:id/review/summary': {
    path: (w) => `${session(w)}/review/summary`,
    b: 404,
    audit: onSession('session-summary-read'),
  },
  'POST /api/sessions/:id/marks': {
    path: (w) => `${session(w)}/marks`,
    body: () => ({ t: 0.1, note: 'Ben was here.' }),
    b: 404,
    audit: onSession('mark-add'),
  },
  'PUT /api/sessions/:id/marks/:markId': {
    path: (w) => `${session(w)}/marks/${w.mark}`,
    body: () => ({ t: 0.1, note: 'Overwritten by Ben.' }),
    b: 404,
    audit: onSession('mark-edit'),
  },
  'DELETE /api/sessions/:id/marks/:markId': {
    path: (w) => `${session(w)}/marks/${w.mark}`,
    b: 404,
    audit: onSession('mark-delete'),
  },
  'GET /api/tags': { path: () => '/api/tags', b: 200, audit: null },
  'PUT /api/tags': { path: () => '/api/tags', body: () => ({ tags: ['calm'] }), b: 200, audit: null },
  // records
  'GET /api/clients': { path: () => '/api/clients', b: 200, audit: () => ['client-list', null] },
  'POST /api/clients': {
    path: () => '/api/clients',
    body: (w) => ({ ...mirela, name: 'Nora Vale', displayName: 'Nora', therapistIds: [w.anna] }),
    b: 403,
    audit: () => ['client-create', null],
  },
  'GET /api/clients/:id': { path: (w) => `/api/clients/${w.client}`, b: 404, audit: onClient('client-read') },
  'PATCH /api/clients/:id': {
    path: (w) => `/api/clients/${w.client}`,
    body: () => ({ notes: 'Overwritten by Ben.', consent: { family: false } }),
    b: 404,
    audit: onClient('client-update'),
  },
  'DELETE /api/clients/:id': {
    path: (w) => `/api/clients/${w.client}`,
    body: () => ({ confirm: mirela.name }),
    b: 404,
    audit: onClient('client-erase'),
  },
  'PUT /api/clients/:id/therapists': {
    path: (w) => `/api/clients/${w.client}/therapists`,
    body: (w) => ({ therapistIds: [w.ben] }),
    b: 403,
    audit: onClient('client-assign'),
  },
  'GET /api/clients/:id/export': {
    path: (w) => `/api/clients/${w.client}/export`,
    b: 404,
    audit: onClient('client-export'),
  },
  'GET /api/groups': { path: () => '/api/groups', b: 200, audit: () => ['group-list', null] },
  'POST /api/groups': {
    path: () => '/api/groups',
    body: (w) => ({ name: 'Ben’s circle', clientIds: [w.client] }),
    b: 404,
    audit: () => ['group-create', null],
  },
  'GET /api/groups/:id': { path: (w) => `/api/groups/${w.group}`, b: 404, audit: onGroup('group-read') },
  'PATCH /api/groups/:id': {
    path: (w) => `/api/groups/${w.group}`,
    body: () => ({ name: 'Renamed by Ben', clientIds: [] }),
    b: 404,
    audit: onGroup('group-update'),
  },
  'DELETE /api/groups/:id': { path: (w) => `/api/groups/${w.group}`, b: 404, audit: onGroup('group-delete') },
  'PUT /api/groups/:id/therapists': {
    path: (w) => `/api/groups/${w.group}/therapists`,
    body: (w) => ({ therapistIds: [w.ben] }),
    b: 403,
    audit: onGroup('group-assign'),
  },
  'GET /api/sessions/:id/record': {
    path: (w) => `${session(w)}/record`,
    b: 404,
    audit: onSession('session-record-read'),
  },
  'PUT /api/sessions/:id/links': {
    path: (w) => `${session(w)}/links`,
    body: () => ({ clients: [], group: null }),
    b: 404,
    audit: onSession('session-link'),
  },
  'POST /api/sessions/:id/notes': {
    path: (w) => `${session(w)}/notes`,
    body: () => ({ text: 'Ben was here.' }),
    b: 404,
    audit: onSession('session-note-add'),
  },
  'PATCH /api/notes/:id': {
    path: (w) => `/api/notes/${w.note}`,
    body: () => ({ text: 'Overwritten by Ben.' }),
    b: 404,
    audit: (w) => ['session-note-update', w.note],
  },
  'DELETE /api/notes/:id': {
    path: (w) => `/api/notes/${w.note}`,
    b: 404,
    audit: (w) => ['session-note-delete', w.note],
  },
  'GET /api/audit': { path: () => '/api/audit', b: 403, audit: () => ['audit-read', null] },
  // exports
  'GET /api/sessions/:id/export.mid': {
    path: (w) => `${session(w)}/export.mid`,
    b: 404,
    audit: onSession('session-export-midi'),
  },
  'GET /api/sessions/:id/measures.json': {
    path: (w) => `${session(w)}/measures.json`,
    b: 404,
    audit: onSession('session-export-measures'),
  },
  'GET /api/sessions/:id/measures.csv': {
    path: (w) => `${session(w)}/measures.csv?table=pairs`,
    b: 404,
    audit: onSession('session-export-measures'),
  },
  'POST /api/sessions/:id/exports/wav': {
    path: (w) => `${session(w)}/exports/wav`,
    body: () => ({ from: 0, to: 1 }),
    b: 404,
    audit: onSession('session-export-wav'),
  },
  'GET /api/exports/:job': {
    path: (w) => `/api/exports/${w.job}`,
    b: 404,
    audit: (w) => ['export-progress', w.job],
  },
  'GET /api/exports/:job/file': {
    path: (w) => `/api/exports/${w.job}/file`,
    b: 404,
    audit: (w) => ['export-download', w.job],
  },
  'DELETE /api/exports/:job': {
    path: (w) => `/api/exports/${w.job}`,
    b: 404,
    audit: (w) => ['export-cancel', w.job],
  },
  'GET /api/research/export': {
    path: () => '/api/research/export',
    b: 403,
    audit: () => ['research-export', null],
  },
  // sharing with family
  'POST /api/sessions/:id/shares': {
    path: (w) => `${session(w)}/shares`,
    body: () => ({ from: 0, to: 1.2, note: 'Ben’s clip.', expiresInDays: 7 }),
    b: 404,
    audit: onSession('share-create'),
  },
  'GET /api/sessions/:id/shares': {
    path: (w) => `${session(w)}/shares`,
    b: 404,
    audit: onSession('share-list'),
  },
  'GET /api/clients/:id/shares': {
    path: (w) => `/api/clients/${w.client}/shares`,
    b: 404,
    audit: onClient('share-list'),
  },
  'DELETE /api/shares/:id': {
    path: (w) => `/api/shares/${w.share}`,
    b: 404,
    audit: (w) => ['share-revoke', w.share],
  },
  // assessment
  'GET /api/sessions/:id/ratings': {
    path: (w) => `${session(w)}/ratings`,
    b: 404,
    audit: onSession('session-ratings-read'),
  },
  'PUT /api/sessions/:id/ratings': {
    path: (w) => `${session(w)}/ratings`,
    body: (w) => ({
      scale: 'nordoff-robbins-2',
      participant: w.lane,
      ratings: [{ item: 'vocal', level: 1 }],
    }),
    b: 404,
    audit: onSession('session-ratings-save'),
  },
  'DELETE /api/sessions/:id/ratings/:scale/:item': {
    path: (w) => `${session(w)}/ratings/nordoff-robbins-2/instrumental?participant=${w.lane}`,
    b: 404,
    audit: onSession('session-rating-delete'),
  },
  'GET /api/sessions/:id/suggestions': {
    path: (w) => `${session(w)}/suggestions`,
    b: 404,
    audit: onSession('session-suggestions-read'),
  },
  'GET /api/clients/:id/progress': {
    path: (w) => `/api/clients/${w.client}/progress`,
    b: 404,
    audit: onClient('client-progress-read'),
  },
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** `METHOD /url` for each method of a registered route (HEAD is GET's twin, made by Fastify). */
function routeKeys(route: RouteOptions): string[] {
  const methods = typeof route.method === 'string' ? [route.method] : [...route.method];
  return methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${route.url}`);
}

/** The ids of `w` that are A's records, by name. */
const RECORD_IDS = ['client', 'group', 'session', 'live', 'note', 'mark', 'share', 'job'] as const;

/** A world of the same shape whose records do not exist. */
function ghostOf(w: World): World {
  return {
    ...w,
    client: randomUUID(),
    group: randomUUID(),
    session: 'ghostSession0001',
    live: 'ghostSession0002',
    note: randomUUID(),
    mark: 'r-ghostMark00001',
    share: randomUUID(),
    job: randomUUID(),
  };
}

/** An answer with the ids of `w` named instead, so answers about two worlds can be compared. */
function blind(answer: Answer, w: World): { status: number; body: string } {
  let body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  for (const name of RECORD_IDS) body = body.replaceAll(w[name], `<${name}>`);
  return { status: answer.status, body };
}

describe.each(['sqlite', 'postgres'] as const)('the access sweep (%s)', (backend) => {
  let studio: Awaited<ReturnType<typeof tempStudio>>;
  let database: Awaited<ReturnType<typeof freshDatabase>> | null = null;
  const registered = new Set<string>();
  /** The route the last request reached (set by a hook on every route), or null. */
  let reached: string | null = null;
  /** Calls a route and checks that the request reached the route `key` names, not a 404 for no route. */
  const call = async (who: Browser, key: string, path: string, body: unknown, headers = {}) => {
    reached = null;
    const answer = await who.request(key.split(' ')[0] as string, path, body, { headers });
    return { answer, reached };
  };
  const devices: WsDevice[] = [];
  let ada: Browser;
  let a: Browser;
  let b: Browser;
  let w: World;
  /** A participant's resume token and room code, in A's live session. */
  let participant: { resume: string; code: string };

  /** What A sees of everything A made (and Ann of the accounts), to compare before and after. */
  const snapshot = async () => {
    const read = async (who: Browser, path: string) => {
      const answer = await who.request('GET', path);
      return { path, status: answer.status, body: answer.body };
    };
    return Promise.all([
      read(a, `/api/clients/${w.client}`),
      read(a, `/api/groups/${w.group}`),
      read(a, `/api/sessions/${w.session}`),
      read(a, `/api/sessions/${w.live}`),
      read(a, `/api/sessions/${w.session}/record`),
      read(a, `/api/sessions/${w.session}/events?limit=10000`),
      read(a, `/api/sessions/${w.session}/review`),
      read(a, `/api/sessions/${w.session}/ratings`),
      read(a, `/api/sessions/${w.session}/shares`),
      read(a, `/api/exports/${w.job}`),
      read(a, '/api/tags'),
      read(a, '/api/clients'),
      read(a, '/api/groups'),
      read(ada, '/api/therapists'),
    ]);
  };

  beforeAll(async () => {
    database = backend === 'postgres' ? await freshDatabase('sweep') : null;
    studio = await tempStudio({
      companion: false,
      onError: (error, where) => console.error(where, error),
      onRoute: (route) => {
        for (const key of routeKeys(route)) registered.add(key);
        const note = async (request: FastifyRequest) => {
          reached = `${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url}`;
        };
        route.onRequest = [...[route.onRequest ?? []].flat(), note] as RouteOptions['onRequest'];
      },
      ...(database ? { databaseUrl: database.url } : {}),
    });
    ada = await loggedIn(studio.url, ann, true);
    const made = await Promise.all(
      [anna, ben].map((t) => ada.request('POST', '/api/therapists', { ...t, role: 'therapist' })),
    );
    a = await loggedIn(studio.url, anna, false);
    b = await loggedIn(studio.url, ben, false);
    await a.request('PUT', '/api/tags', { tags: ['turn-taking', 'pulse'] });

    const client = (await a.request('POST', '/api/clients', mirela)).body.client.id as string;
    const group = (await a.request('POST', '/api/groups', { name: TEXT.group, clientIds: [client] })).body
      .group.id as string;

    // A's session, recorded live: the client plays on her tablet, the therapist answers.
    const started = (await a.request('POST', '/api/sessions', { title: TEXT.title })).body;
    const therapist = await WsDevice.open(studio.url);
    devices.push(therapist);
    therapist.hello({ role: 'therapist', room: started.session.code, key: started.key, device: 'console' });
    const welcome = await therapist.next('welcome');
    const tablet = await WsDevice.open(studio.url);
    devices.push(tablet);
    tablet.hello({ role: 'participant', room: started.session.code, device: 'tablet', name: 'Mirela' });
    const waiting = await tablet.next('waiting');
    await therapist.next('state', (s) => s.waiting.some((x) => x.participant === waiting.participant));
    therapist.send({ type: 'admit', participant: waiting.participant });
    const admitted = await tablet.next('admitted');
    tablet.send({
      type: 'play',
      clientSeq: 0,
      event: { type: 'note', t: admitted.now, pitch: 62, velocity: 90, duration: 0.3 },
    });
    tablet.send({
      type: 'play',
      clientSeq: 1,
      event: { type: 'hit', t: admitted.now + 0.2, instrument: 38, velocity: 70 },
    });
    await tablet.next('ack', (x) => x.clientSeq === 1);
    therapist.send({
      type: 'play',
      clientSeq: 0,
      event: { type: 'note', t: welcome.now + 0.5, pitch: 50, velocity: 64, duration: 1 },
    });
    await therapist.next('ack', (x) => x.clientSeq === 0);
    const id = started.session.id as string;
    expect((await a.request('POST', `/api/sessions/${id}/end`)).status).toBe(200);

    const lane = waiting.participant;
    const ok = (answer: Answer, status: number) => {
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      return answer.body;
    };
    ok(
      await a.request('PUT', `/api/sessions/${id}/links`, {
        clients: [{ id: client, participant: lane }],
        group,
      }),
      200,
    );
    const note = ok(await a.request('POST', `/api/sessions/${id}/notes`, { text: TEXT.note }), 201).note.id;
    const mark = ok(
      await a.request('POST', `/api/sessions/${id}/marks`, { t: 0.2, note: TEXT.mark, tags: ['pulse'] }),
      201,
    ).mark.id;
    ok(
      await a.request('PUT', `/api/sessions/${id}/ratings`, {
        scale: 'nordoff-robbins-2',
        participant: lane,
        ratings: [{ item: 'instrumental', level: 4, comment: TEXT.rating }],
      }),
      200,
    );
    const share = ok(
      await a.request('POST', `/api/sessions/${id}/shares`, {
        from: 0,
        to: 1.2,
        note: TEXT.share,
        expiresInDays: 7,
      }),
      201,
    ).share.id;
    const job = ok(await a.request('POST', `/api/sessions/${id}/exports/wav`, { sampleRate: 22050 }), 202).job
      .id;
    // The job settles before the sweep, so what A sees of it cannot move on its own.
    for (let i = 0; i < 600; i++) {
      const state = (await a.request('GET', `/api/exports/${job}`)).body.job.state;
      if (state === 'done') break;
      expect(['queued', 'rendering']).toContain(state);
      await sleep(100);
    }

    // A second session, still live, with a participant waiting to be let in.
    const live = (await a.request('POST', '/api/sessions', { title: TEXT.live })).body.session;
    const guest = await WsDevice.open(studio.url);
    devices.push(guest);
    guest.hello({ role: 'participant', room: live.code, device: 'phone', name: 'Mirela' });
    participant = { resume: (await guest.next('waiting')).resume, code: live.code };

    w = {
      anna: made[0]?.body.user.id,
      ben: made[1]?.body.user.id,
      client,
      group,
      session: id,
      live: live.id,
      lane,
      note,
      mark,
      share,
      job,
    };
  }, 60_000);

  afterAll(async () => {
    for (const d of devices.splice(0)) d.close();
    await studio?.close();
    await database?.drop();
  });

  it('knows every route the studio registers: each is public for a stated reason, or probed', () => {
    const unprobed = [...registered].filter((key) => !(key in PUBLIC) && !(key in PROBES));
    expect(
      unprobed,
      'routes with no probe: add each to PROBES (or, if truly public, to PUBLIC with why)',
    ).toEqual([]);
    // And the table names no route that is gone.
    const stale = [...Object.keys(PUBLIC), ...Object.keys(PROBES)].filter((key) => !registered.has(key));
    expect(stale).toEqual([]);
  });

  it('refuses therapist B every route on A’s records, says nothing of them, changes nothing, audits each', async () => {
    const before = await snapshot();
    const secrets = [
      mirela.name,
      mirela.displayName,
      mirela.notes,
      mirela.birthDate,
      ...Object.values(TEXT),
      anna.name,
      anna.email,
      w.anna,
      w.client,
      w.group,
      w.session,
      w.live,
      w.note,
      w.mark,
      w.share,
      w.job,
    ];
    const since = new Date().toISOString();
    const ghost = ghostOf(w);
    for (const [key, probe] of Object.entries(PROBES)) {
      const path = probe.path(w);
      const body = probe.body?.(w);
      const { answer, reached: route } = await call(b, key, path, body);
      expect(answer.status, `${key}: ${JSON.stringify(answer.body)}`).toBe(probe.b);
      expect(route, path).toBe(key);
      // A record of A's is refused exactly as one that does not exist.
      if (probe.b === 404) {
        const none = await call(b, key, probe.path(ghost), probe.body?.(ghost));
        expect(blind(answer, w), key).toEqual(blind(none.answer, ghost));
      }
      if (probe.b === 404) expect(answer.body.error.code, key).toBe('not-found');
      if (probe.b === 403) expect(answer.body.error.code, key).toBe('admin-only');
      // B may name A's ids in the request; the answer names nothing of A's beyond them.
      const asked = `${path} ${JSON.stringify(body ?? null)}`;
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      const told = secrets.filter((s) => text.includes(s) && !asked.includes(s));
      expect(told, `${key} told B`).toEqual([]);
    }
    expect(await snapshot()).toEqual(before);

    const trail = (await ada.request('GET', `/api/audit?actor=${w.ben}&from=${since}&limit=10000`)).body
      .entries as Array<{ action: string; target: string | null; detail: { reason?: string } }>;
    const missing = Object.entries(PROBES).flatMap(([key, probe]) => {
      if (probe.b < 400 || !probe.audit) return [];
      const [action, target] = probe.audit(w);
      const found = trail.some(
        (e) =>
          e.action === `${action}-refused` && (target === null || e.target === target) && e.detail.reason,
      );
      return found ? [] : [`${key}: ${action}-refused on ${target}`];
    });
    expect(missing).toEqual([]);
    // Nothing B did succeeded on A's records: no entry of a done act on them.
    const done = trail.filter(
      (e) => !e.action.endsWith('-refused') && e.target !== null && secrets.includes(e.target),
    );
    expect(done).toEqual([]);
  });

  it('answers a participant’s device 401 on every route, whatever it sends for a login, and audits each', async () => {
    const before = await snapshot();
    const since = new Date().toISOString();
    const tablet = new Browser(studio.url);
    await tablet.state();
    /** What a device sends instead of a login: a session cookie, a header, or neither. */
    const ways: Array<{ way: string; cookie: string | null; headers: Record<string, string> }> = [
      { way: 'no login', cookie: null, headers: {} },
      { way: 'the resume token as the session cookie', cookie: participant.resume, headers: {} },
      { way: 'the room code as the session cookie', cookie: participant.code, headers: {} },
      {
        way: 'the resume token as a bearer',
        cookie: null,
        headers: { authorization: `Bearer ${participant.resume}` },
      },
    ];
    for (const { way, cookie, headers } of ways) {
      if (cookie === null) tablet.cookies.delete('attune_session');
      else tablet.cookies.set('attune_session', cookie);
      for (const [key, probe] of Object.entries(PROBES)) {
        const { answer, reached: route } = await call(tablet, key, probe.path(w), probe.body?.(w), headers);
        expect(answer.status, `${key} with ${way}: ${JSON.stringify(answer.body)}`).toBe(401);
        expect(answer.body.error.code).toBe('not-logged-in');
        expect(route).toBe(key);
      }
    }
    // With no cookie at all a change is refused before the route (no CSRF token), a read by the route.
    const bare = new Browser(studio.url);
    for (const [key, probe] of Object.entries(PROBES)) {
      const method = key.split(' ')[0] as string;
      const answer = await bare.request(method, probe.path(w), probe.body?.(w));
      expect(answer.status, key).toBe(method === 'GET' ? 401 : 403);
      expect(answer.body.error.code).toBe(method === 'GET' ? 'not-logged-in' : 'csrf');
    }
    expect(await snapshot()).toEqual(before);

    const trail = (
      (await ada.request('GET', `/api/audit?from=${since}&limit=10000`)).body.entries as Array<{
        actor: string | null;
        action: string;
        target: string | null;
        detail: { reason?: string };
      }>
    ).filter((e) => e.actor === null);
    for (const e of trail) expect(e.detail.reason).toBe('not-logged-in');
    const expected = new Map<string, number>();
    for (const [key, probe] of Object.entries(PROBES)) {
      if (!probe.audit) continue;
      const [action, target] = probe.audit(w);
      const at = `${action}-refused ${target}`;
      expected.set(at, (expected.get(at) ?? 0) + ways.length + (key.startsWith('GET ') ? 1 : 0));
    }
    const counted = new Map<string, number>();
    for (const e of trail)
      counted.set(`${e.action} ${e.target}`, (counted.get(`${e.action} ${e.target}`) ?? 0) + 1);
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(expected));

    // The public routes that answer per person give the device nothing either.
    tablet.cookies.set('attune_session', participant.resume);
    expect((await tablet.request('GET', '/api/me')).status).toBe(401);
    expect((await tablet.request('GET', '/api/state')).body.user).toBeNull();
    expect((await tablet.request('GET', `/api/shared/${participant.resume}`)).body.error.code).toBe(
      'link-gone',
    );
  });

  it('lets A read through every probed route B was refused: the probes aim at real records', async () => {
    for (const [key, probe] of Object.entries(PROBES)) {
      if (!key.startsWith('GET ') || probe.b !== 404) continue;
      const { answer, reached: route } = await call(a, key, probe.path(w), undefined);
      expect(answer.status, `${key}: ${JSON.stringify(answer.body)}`).toBe(200);
      expect(route).toBe(key);
    }
  });
});
