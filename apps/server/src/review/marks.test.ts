/**
 * The review's routes over real HTTP, on SQLite and on PostgreSQL: a recorded session opened for
 * review, its log in pages, index marks added, edited (a live one too) and deleted without the log
 * changing, the therapist's tags; another therapist gets 404 and changes nothing; bad input is
 * refused with the field named and nothing saved.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { type Browser, loggedIn } from '../test-support.ts';
import { ben, type ReviewStudio, reviewStudios } from './test-studios.ts';

const note = (t: number, pitch: number) => ({ type: 'note', t, pitch, velocity: 80, duration: 0.4 });

describe.each(['sqlite', 'postgres'] as const)('review of a recorded session (%s)', (kind) => {
  let studio: ReviewStudio['studio'];
  let admin: Browser;
  let therapist: Browser;
  let other: Browser;
  let session = '';
  const fresh = reviewStudios(kind, 'review');

  beforeEach(async () => {
    ({ studio, admin, therapist, other } = fresh());
    session = (await therapist.request('POST', '/api/sessions', { title: 'Ben and Sam' })).body.session.id;
    // What the room would have logged: notes, a steer, a live mark at 3 s.
    await studio.store.sessions.append(
      session,
      [
        { participant: 'p1', clientSeq: 1, t: 1, type: 'play', payload: { event: note(1, 60) } },
        { participant: 'p1', clientSeq: 2, t: 2, type: 'play', payload: { event: note(2, 62) } },
        {
          participant: 'therapist',
          clientSeq: 1,
          t: 2.5,
          type: 'steer',
          payload: { control: { type: 'energy', energy: 0.5 } },
        },
        {
          participant: 'therapist',
          clientSeq: 2,
          t: 3,
          type: 'mark',
          payload: { note: 'looked up', tags: ['first eye contact'] },
        },
        { participant: 'p1', clientSeq: 3, t: 4, type: 'play', payload: { event: note(4, 64) } },
      ],
      new Date().toISOString(),
    );
    await therapist.request('POST', `/api/sessions/${session}/end`);
  });

  const log = async (who: Browser) =>
    (await who.request('GET', `/api/sessions/${session}/events?limit=100`)).body.events;

  it('opens the session with its log in pages, the default tags and no review marks yet', async () => {
    const review = await therapist.request('GET', `/api/sessions/${session}/review`);
    expect(review.status).toBe(200);
    expect(review.body).toMatchObject({
      session: { id: session, title: 'Ben and Sam', status: 'closed', events: 5 },
      marks: [],
      deleted: [],
    });
    expect(review.body.tags).toEqual(
      expect.arrayContaining(['first eye contact', 'sang', 'initiated', 'distress']),
    );

    const first = await therapist.request('GET', `/api/sessions/${session}/review/log?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      events: [
        [1, 'p1', 1, 'play', { event: note(1, 60) }],
        [2, 'p1', 2, 'play', { event: note(2, 62) }],
      ],
      next: 2,
    });
    const rest = await therapist.request('GET', `/api/sessions/${session}/review/log?after=2&limit=10`);
    expect(rest.body.events.map((e: unknown[]) => e[0])).toEqual([3, 4, 5]);
    expect(rest.body.next).toBeNull();
    expect(
      (await therapist.request('GET', `/api/sessions/${session}/review/log?limit=0`)).body.error.code,
    ).toBe('invalid');
  });

  it('adds, edits and deletes marks, a live one too, and the log stays as it was', async () => {
    const before = await log(therapist);
    const added = await therapist.request('POST', `/api/sessions/${session}/marks`, {
      t: 1,
      end: 2.5,
      note: 'answered the drum',
      tags: ['initiated', ' sang '],
    });
    expect(added.status).toBe(201);
    const id = added.body.mark.id as string;
    expect(added.body.mark).toEqual({
      id,
      t: 1,
      end: 2.5,
      note: 'answered the drum',
      tags: ['initiated', 'sang'],
      source: 'review',
      author: expect.any(String),
    });
    const edited = await therapist.request('PUT', `/api/sessions/${session}/marks/${id}`, {
      t: 1.2,
      note: 'answered the drum, then sang',
      tags: ['sang'],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.mark).toMatchObject({ id, t: 1.2, end: null, tags: ['sang'] });

    // The live mark of the log, at seq 4, edited in review.
    const live = await therapist.request('PUT', `/api/sessions/${session}/marks/live-4`, {
      t: 3,
      note: 'looked up, smiled',
      tags: ['first eye contact'],
    });
    expect(live.status).toBe(200);
    let review = (await therapist.request('GET', `/api/sessions/${session}/review`)).body;
    expect(review.marks.map((m: { id: string }) => m.id)).toEqual([id, 'live-4']);
    expect(review.deleted).toEqual([]);

    expect((await therapist.request('DELETE', `/api/sessions/${session}/marks/${id}`)).status).toBe(204);
    expect((await therapist.request('DELETE', `/api/sessions/${session}/marks/live-4`)).status).toBe(204);
    review = (await therapist.request('GET', `/api/sessions/${session}/review`)).body;
    expect(review.marks).toEqual([]);
    expect(review.deleted.sort()).toEqual([id, 'live-4'].sort());
    // A deleted mark is gone: it cannot be edited or deleted again.
    const again = await therapist.request('PUT', `/api/sessions/${session}/marks/${id}`, { t: 1 });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('mark-not-found');
    expect((await therapist.request('DELETE', `/api/sessions/${session}/marks/live-4`)).status).toBe(404);

    expect(await log(therapist)).toEqual(before);
  });

  it('lets an admin review any session; another therapist gets 404 and changes nothing', async () => {
    const mark = (await therapist.request('POST', `/api/sessions/${session}/marks`, { t: 2, note: 'mine' }))
      .body.mark;
    const path = `/api/sessions/${session}`;
    for (const [method, url, body] of [
      ['GET', `${path}/review`, undefined],
      ['GET', `${path}/review/log`, undefined],
      ['POST', `${path}/marks`, { t: 1 }],
      ['PUT', `${path}/marks/${mark.id}`, { t: 1, note: 'theirs' }],
      ['PUT', `${path}/marks/live-4`, { t: 1 }],
      ['DELETE', `${path}/marks/${mark.id}`, undefined],
    ] as const) {
      const answer = await other.request(method, url, body);
      expect(answer.status, `${method} ${url}`).toBe(404);
      expect(answer.body.error).toEqual({ code: 'not-found', message: 'There is no such session.' });
    }
    const review = (await therapist.request('GET', `${path}/review`)).body;
    expect(review.marks).toEqual([mark]);
    expect(review.deleted).toEqual([]);
    expect((await admin.request('GET', `${path}/review`)).status).toBe(200);
    // Logged out: 401. Without the CSRF header: 403, nothing saved.
    const anonymous = await loggedIn(studio.url, ben, false);
    await anonymous.request('POST', '/api/logout');
    expect((await anonymous.request('GET', `${path}/review`)).status).toBe(401);
    const forged = await therapist.request('POST', `${path}/marks`, { t: 1 }, { csrf: false });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('csrf');
    expect((await therapist.request('GET', `${path}/review`)).body.marks).toEqual([mark]);
  });

  it('refuses bad marks with a plain sentence and saves nothing', async () => {
    const path = `/api/sessions/${session}/marks`;
    const cases: Array<[unknown, string, RegExp]> = [
      [{}, 'invalid', /lacks the field t/],
      [{ t: -1 }, 'invalid', /^T must be >= 0/],
      [{ t: 'soon' }, 'invalid', /^T must be a number/],
      [{ t: 1, colour: 'red' }, 'invalid', /field it does not take: colour/],
      [{ t: 1, note: 'x'.repeat(1001) }, 'invalid', /^Note must NOT have more than 1000 characters/],
      [{ t: 1, tags: [''] }, 'invalid', /^Tags\.0 must NOT have fewer than 1 characters/],
      [
        { t: 1, tags: Array.from({ length: 17 }, (_, i) => `t${i}`) },
        'invalid',
        /^Tags must NOT have more than 16 items/,
      ],
      [{ t: 3, end: 2 }, 'invalid-mark', /a span must end after it starts: 2 is not after 3/],
      [{ t: 1, tags: ['sang', 'sang '] }, 'invalid-mark', /tag 'sang' is given twice/],
      [{ t: 1, tags: ['  '] }, 'invalid-mark', /a tag must be 1 to 32 characters/],
      [{ t: 5000 }, 'invalid-mark', /t must be a time from 0 to/],
    ];
    for (const [body, code, message] of cases) {
      const answer = await therapist.request('POST', path, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code, JSON.stringify(body)).toBe(code);
      expect(answer.body.error.message, JSON.stringify(body)).toMatch(message);
    }
    const malformed = await therapist.request('POST', path, undefined, { raw: '{"t":' });
    expect(malformed.status).toBe(400);
    expect((await therapist.request('PUT', `${path}/r-nothing`, { t: 1 })).body.error.code).toBe(
      'mark-not-found',
    );
    expect((await therapist.request('PUT', `${path}/live-1`, { t: 1 })).status).toBe(404); // seq 1 is a note
    expect((await therapist.request('PUT', `${path}/bad%20id`, { t: 1 })).body.error.code).toBe('invalid');
    expect((await therapist.request('POST', '/api/sessions/nope/marks', { t: 1 })).status).toBe(404);
    const review = (await therapist.request('GET', `/api/sessions/${session}/review`)).body;
    expect(review.marks).toEqual([]);
    expect(review.deleted).toEqual([]);
  });

  it("keeps each therapist's tag list, checked", async () => {
    const defaults = (await therapist.request('GET', '/api/tags')).body.tags;
    expect(defaults.slice(0, 4)).toEqual(['first eye contact', 'sang', 'initiated', 'distress']);
    const set = await therapist.request('PUT', '/api/tags', { tags: ['sang', ' hummed ', 'distress'] });
    expect(set.status).toBe(200);
    expect(set.body.tags).toEqual(['sang', 'hummed', 'distress']);
    expect((await therapist.request('GET', '/api/tags')).body.tags).toEqual(['sang', 'hummed', 'distress']);
    expect((await other.request('GET', '/api/tags')).body.tags).toEqual(defaults);
    for (const [body, code] of [
      [{ tags: ['a', 'a'] }, 'invalid-tags'],
      [{ tags: [' '] }, 'invalid-tags'],
      [{ tags: ['x'.repeat(33)] }, 'invalid'],
      [{ tags: 'sang' }, 'invalid'],
      [{}, 'invalid'],
    ] as const) {
      const answer = await therapist.request('PUT', '/api/tags', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe(code);
    }
    expect((await therapist.request('GET', '/api/tags')).body.tags).toEqual(['sang', 'hummed', 'distress']);
    expect((await therapist.request('PUT', '/api/tags', { tags: [] }, { csrf: false })).status).toBe(403);
  });
});
