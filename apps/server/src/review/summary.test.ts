/**
 * The session summary over real HTTP, on SQLite and on PostgreSQL: made when a session ends,
 * equal to what the engine computes from the log, sent gzipped, made again when the log grows,
 * dropped by an erasure that renames a lane, its measures kept apart; opened (and marked) by a
 * therapist assigned to a client linked to the session, refused to another therapist, or nobody
 * logged in (404, 401), the refusal audited and nothing kept; and the MIDI export written from it,
 * the same bytes as from the log's entries.
 */
import { gunzipSync } from 'node:zlib';
import { expandSummary, type LogEntry, summarise } from '@attune/engine';
import { beforeEach, describe, expect, it } from 'vitest';
import { sessionMidi } from '../records/session-midi.ts';
import { Browser } from '../test-support.ts';
import { summaryDb } from './summary-tables.ts';
import { type ReviewStudio, reviewStudios } from './test-studios.ts';

const client = (name: string, displayName: string) => ({
  name,
  birthDate: '2015-03-01',
  displayName,
  consent: { recording: true, research: false, family: false },
});

/** Two players over half a minute, as the room logs them, numbered from `clientSeq`. */
function played(from = 0, seconds = 30) {
  const out = [];
  for (let i = 0; i < seconds * 2; i++) {
    const t = from + i * 0.5;
    out.push({
      participant: 'p1',
      clientSeq: from * 10 + i,
      t,
      type: 'play',
      payload: { event: { type: 'note', t, pitch: 60 + (i % 5), velocity: 60 + (i % 30), duration: 0.3 } },
    });
    out.push({
      participant: 'p2',
      clientSeq: from * 10 + i,
      t: t + 0.01,
      type: 'play',
      payload: { event: { type: 'hit', t: t + 0.01, instrument: 38, velocity: 90 } },
    });
  }
  return out;
}

describe.each(['sqlite', 'postgres'] as const)('the session summary (%s)', (kind) => {
  let studio: ReviewStudio['studio'];
  let admin: Browser;
  let therapist: Browser;
  let other: Browser;
  let session = '';
  const fresh = reviewStudios(kind, 'summary');

  beforeEach(async () => {
    ({ studio, admin, therapist, other } = fresh());
    session = (await therapist.request('POST', '/api/sessions', { title: 'Ben, Sam and Jo' })).body.session
      .id;
    await studio.store.sessions.append(
      session,
      [
        ...played(),
        {
          participant: 'therapist',
          clientSeq: 1,
          t: 12,
          type: 'mark',
          payload: { note: 'played together', tags: ['played together'] },
        },
      ],
      new Date().toISOString(),
    );
  });

  const kept = () =>
    summaryDb(studio.store.db)
      .selectFrom('session_summary')
      .select(['session_id', 'events'])
      .where('session_id', '=', session)
      .execute();
  const entries = async (): Promise<LogEntry[]> =>
    (await studio.store.sessions.read(session, { limit: 100_000 })).map((e) => ({
      seq: e.seq,
      participant: e.participant,
      t: e.t,
      type: e.type,
      payload: e.payload,
    }));
  const summary = (who: Browser = therapist) => who.request('GET', `/api/sessions/${session}/review/summary`);

  it('is made when the session ends, sent gzipped, and equals what the engine computes from the log', async () => {
    expect(await kept()).toEqual([]);
    await therapist.request('POST', `/api/sessions/${session}/end`);
    await expect.poll(async () => (await kept()).length, { timeout: 30_000 }).toBe(1);
    const answer = await summary();
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-encoding')).toBe('gzip');
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const log = await entries();
    expect(answer.body).toEqual(JSON.parse(JSON.stringify(summarise(log))));
    const { timeline, measures } = expandSummary(answer.body);
    expect(timeline.participants.map((l) => [l.participant, l.notes.size + l.hits.size])).toEqual([
      ['p1', 60],
      ['p2', 60],
    ]);
    expect(timeline.marks).toMatchObject([{ id: expect.stringMatching(/^live-/), note: 'played together' }]);
    expect(measures.analysis.pairs.map((p) => [p.a, p.b])).toEqual([['p1', 'p2']]);
    const trail = await admin.request('GET', `/api/audit?action=session-summary-read&target=${session}`);
    expect(trail.body.entries).toHaveLength(1);
  });

  it('is sent without compression to a client that does not take it', async () => {
    const answer = await therapist.request('GET', `/api/sessions/${session}/review/summary`, undefined, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-encoding')).toBeNull();
    expect(answer.body.events).toBe(121);
  });

  it('is made again when the log has grown since', async () => {
    expect((await summary()).body.events).toBe(121);
    expect(await kept()).toEqual([{ session_id: session, events: 121 }]);
    await studio.store.sessions.append(session, played(40, 5), new Date().toISOString());
    const grown = await summary();
    expect(grown.body.events).toBe(141);
    expect(grown.body).toEqual(JSON.parse(JSON.stringify(summarise(await entries()))));
    expect((await kept())[0]?.events).toBe(141);
  });

  it('is refused to another therapist and to nobody logged in, the refusal audited and nothing made', async () => {
    const refused = await summary(other);
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('not-found');
    const nobody = await summary(await loggedOut(studio.url));
    expect(nobody.status).toBe(401);
    const missing = await therapist.request('GET', '/api/sessions/no-such-session/review/summary');
    expect(missing.status).toBe(404);
    expect(await kept()).toEqual([]);
    const trail = await admin.request('GET', '/api/audit?action=session-summary-read-refused');
    expect(
      trail.body.entries.map((e: { target: string; detail: { reason: string } }) => [
        e.target,
        e.detail.reason,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [session, 'not-assigned'],
        [session, 'not-logged-in'],
        ['no-such-session', 'missing'],
      ]),
    );
    // An admin reviews any session.
    expect((await summary(admin)).status).toBe(200);
  });

  it("is dropped when an erasure renames a client's lane, and made again without the lane's old name", async () => {
    await therapist.request('POST', `/api/sessions/${session}/end`);
    const sam = (await admin.request('POST', '/api/clients', client('Sam Hill', 'Sam'))).body.client;
    const jo = (await admin.request('POST', '/api/clients', client('Jo Park', 'Jo'))).body.client;
    const linked = await admin.request('PUT', `/api/sessions/${session}/links`, {
      clients: [
        { id: sam.id, participant: 'p1' },
        { id: jo.id, participant: 'p2' },
      ],
      group: null,
    });
    expect(linked.status).toBe(200);
    expect((await summary()).body.log.participants.map((p: { id: string }) => p.id)).toEqual(['p1', 'p2']);
    expect(await kept()).toHaveLength(1);
    const erased = await admin.request('DELETE', `/api/clients/${sam.id}`, { confirm: 'Sam Hill' });
    expect(erased.status).toBe(200);
    expect(erased.body.erased.lanesPseudonymised).toBe(1);
    expect(await kept()).toEqual([]);
    const again = (await summary()).body;
    const lanes = again.log.participants.map((p: { id: string }) => p.id);
    expect(lanes).not.toContain('p1');
    expect(lanes).toContain('p2');
    expect(lanes.some((id: string) => /^erased-/.test(id))).toBe(true);
    expect(again).toEqual(JSON.parse(JSON.stringify(summarise(await entries()))));
  });

  it('keeps its measures apart from the lanes, equal to the whole summary’s measures', async () => {
    const whole = (await summary()).body;
    const row = await summaryDb(studio.store.db)
      .selectFrom('session_summary')
      .select(['measures'])
      .where('session_id', '=', session)
      .executeTakeFirstOrThrow();
    const measures = JSON.parse(gunzipSync(Buffer.from(row.measures ?? [])).toString('utf8'));
    expect(measures).toEqual(whole.measures);
  });

  it('is made again, measures apart, when kept without them (made before 0008), as progress and suggestions ask', async () => {
    expect((await summary()).status).toBe(200);
    const db = summaryDb(studio.store.db);
    await db
      .updateTable('session_summary')
      .set({ measures: null })
      .where('session_id', '=', session)
      .execute();
    const suggested = await therapist.request('GET', `/api/sessions/${session}/suggestions`);
    expect(suggested.status).toBe(200);
    const row = await db
      .selectFrom('session_summary')
      .select(['events', 'measures'])
      .where('session_id', '=', session)
      .executeTakeFirstOrThrow();
    expect(row.events).toBe(121);
    const measures = JSON.parse(gunzipSync(Buffer.from(row.measures ?? [])).toString('utf8'));
    expect(measures).toEqual(JSON.parse(JSON.stringify(summarise(await entries()).measures)));
  });

  it('is opened and marked by a therapist assigned to a client linked to the session; refused, audited, once the assignment goes', async () => {
    const sam = (await therapist.request('POST', '/api/clients', client('Sam Hill', 'Sam'))).body.client;
    const cleo = (await other.request('GET', '/api/me')).body.user.id as string;
    const ben = (await therapist.request('GET', '/api/me')).body.user.id as string;
    await therapist.request('PUT', `/api/sessions/${session}/links`, {
      clients: [{ id: sam.id, participant: 'p1' }],
      group: null,
    });
    const assign = (ids: string[]) =>
      admin.request('PUT', `/api/clients/${sam.id}/therapists`, { therapistIds: ids });
    expect((await assign([ben, cleo])).status).toBe(200);

    const opened = await summary(other);
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual(JSON.parse(JSON.stringify(summarise(await entries()))));
    expect((await other.request('GET', `/api/sessions/${session}/review`)).status).toBe(200);
    expect((await other.request('GET', `/api/sessions/${session}/review/log`)).status).toBe(200);
    const added = await other.request('POST', `/api/sessions/${session}/marks`, {
      t: 3,
      note: 'Sam looked up',
    });
    expect(added.status).toBe(201);
    const read = await admin.request('GET', `/api/audit?action=session-summary-read&target=${session}`);
    expect(read.body.entries.map((e: { actor: string }) => e.actor)).toEqual([cleo]);

    // Unassigned, Cleo reaches nothing of it again, and changes nothing.
    expect((await assign([ben])).status).toBe(200);
    const mark = added.body.mark.id as string;
    const refusals = [
      ['GET', `/api/sessions/${session}/review/summary`, undefined, 'session-summary-read'],
      ['GET', `/api/sessions/${session}/review`, undefined, 'session-review'],
      ['GET', `/api/sessions/${session}/review/log`, undefined, 'session-review-log'],
      ['POST', `/api/sessions/${session}/marks`, { t: 4, note: 'again' }, 'mark-add'],
      ['PUT', `/api/sessions/${session}/marks/${mark}`, { t: 4, note: 'changed' }, 'mark-edit'],
      ['DELETE', `/api/sessions/${session}/marks/${mark}`, undefined, 'mark-delete'],
    ] as const;
    for (const [method, path, body, action] of refusals) {
      const answer = await other.request(method, path, body);
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.code).toBe('not-found');
      const trail = await admin.request('GET', `/api/audit?action=${action}-refused&target=${session}`);
      expect(
        trail.body.entries.map((e: { actor: string; detail: { reason: string } }) => [
          e.actor,
          e.detail.reason,
        ]),
      ).toEqual([[cleo, 'not-assigned']]);
    }
    const marks = (await therapist.request('GET', `/api/sessions/${session}/review`)).body.marks;
    expect(marks.map((m: { id: string; note: string }) => [m.id, m.note])).toEqual([[mark, 'Sam looked up']]);
  });

  it('gives the MIDI export from the summary’s lanes: the bytes written from the log’s entries, the summary made if missing', async () => {
    await studio.store.sessions.append(
      session,
      [
        {
          participant: 'companion',
          clientSeq: 1,
          t: 2,
          type: 'companion',
          payload: { pitch: 43, velocity: 64.4, duration: 1.5, voice: 'bass' },
        },
        ...Array.from({ length: 40 }, (_, i) => ({
          participant: 'p3',
          clientSeq: i,
          t: 4 + i * 0.02,
          type: 'play',
          payload: {
            event: {
              type: 'voice',
              t: 4 + i * 0.02,
              pitch: i < 5 ? null : 67,
              loudness: 0.5,
              onset: i === 5,
            },
          },
        })),
      ],
      new Date().toISOString(),
    );
    expect(await kept()).toEqual([]);
    const cookie = [...therapist.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${studio.url}/api/sessions/${session}/export.mid`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const fromLog = sessionMidi(await entries());
    expect(fromLog?.tracks).toEqual(['p1', 'p2', 'p3', 'companion: bass']);
    expect(Buffer.from(bytes).equals(Buffer.from(fromLog?.bytes ?? []))).toBe(true);
    expect(await kept()).toEqual([{ session_id: session, events: 162 }]);
  });
});

/** A browser that has the CSRF cookie and no login. */
async function loggedOut(base: string): Promise<Browser> {
  const browser = new Browser(base);
  await browser.state();
  return browser;
}
