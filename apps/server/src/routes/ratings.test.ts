/**
 * Assessment ratings over real HTTP, on SQLite and on PostgreSQL, as raters and intruders meet
 * them: two raters rate one session and see their agreement; each rewrites and removes only their
 * own ratings; bad scales, items, levels, evidence and lanes are refused with the fault named and
 * nothing saved; another therapist gets 404 (audited) and a participant's device 401; the
 * measures are offered beside a rating without becoming one; a client's progress lists their
 * sessions oldest first with notes, ratings and measures; the export carries the ratings and an
 * erasure removes them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { studioDatabase } from '../storage/test-stores.ts';
import { Browser, tempStudio } from '../test-support.ts';
import { staffed } from './test-support.ts';

const ada = { name: 'Ada Admin', email: 'ada@clinic.example', password: 'correct horse battery' };
const ben = { name: 'Ben Ode', email: 'ben@clinic.example', password: 'another long secret' };
const cleo = { name: 'Cleo Park', email: 'cleo@clinic.example', password: 'a third long secret' };
const dan = { name: 'Dan Roe', email: 'dan@clinic.example', password: 'a fourth long secret' };
const mia = {
  name: 'Mia Jansen',
  birthDate: '2016-02-29',
  displayName: 'Mia',
  consent: { recording: true, research: false, family: true },
};

/**
 * What the room would have logged: the client (p1) and the therapist on one steady beat, the
 * companion with them, and a live mark at 3 s. The client plays louder in later sessions.
 */
function playing(bpm: number, loud: number) {
  const beat = 60 / bpm;
  const events = [];
  for (let i = 0; i < 48; i++) {
    const t = 1 + i * beat;
    const note = (pitch: number, velocity: number) => ({
      type: 'note',
      t,
      pitch,
      velocity,
      duration: beat / 2,
    });
    events.push(
      {
        participant: 'p1',
        clientSeq: i,
        t,
        type: 'play',
        payload: { event: note(60 + (i % 5), loud + (i % 3) * 4) },
      },
      {
        participant: 'therapist',
        clientSeq: i,
        t: t + 0.01,
        type: 'play',
        payload: { event: { ...note(48, 64), t: t + 0.01 } },
      },
      {
        participant: 'companion',
        clientSeq: i,
        t: t + 0.005,
        type: 'companion',
        payload: { pitch: 36 + (i % 2) * 7, velocity: 60, duration: beat, voice: 'bass' },
      },
    );
  }
  events.push({
    participant: 'therapist',
    clientSeq: 1000,
    t: 3,
    type: 'mark',
    payload: { note: 'looked up', tags: ['first eye contact'] },
  });
  return events;
}

describe.each(['sqlite', 'postgres'] as const)('assessment ratings (%s)', (kind) => {
  let studio: Awaited<ReturnType<typeof tempStudio>>;
  let admin: Browser;
  let rater1: Browser;
  let rater2: Browser;
  let outsider: Browser;
  let client = '';
  const ids: Record<string, string> = {};
  const database = studioDatabase(kind, 'ratings');

  beforeEach(async () => {
    studio = await tempStudio({ companion: false, ...(await database()) });
    const staff = await staffed(studio.url, ada, { ben, cleo, dan });
    admin = staff.admin;
    Object.assign(ids, staff.ids);
    ({ ben: rater1, cleo: rater2, dan: outsider } = staff.therapists);
    client = (await rater1.request('POST', '/api/clients', mia)).body.client.id;
    // Cleo is assigned to Mia too: she may read and rate Mia's sessions.
    await admin.request('PUT', `/api/clients/${client}/therapists`, { therapistIds: [ids.ben, ids.cleo] });
  });
  afterEach(async () => {
    await studio.close();
  });

  /** A session Ben ran with Mia on lane p1, recorded, linked and ended. */
  async function recorded(title: string, bpm = 100, loud = 70): Promise<string> {
    const id = (await rater1.request('POST', '/api/sessions', { title })).body.session.id as string;
    await studio.store.sessions.append(id, playing(bpm, loud), new Date().toISOString());
    expect((await rater1.request('POST', `/api/sessions/${id}/end`)).status).toBe(200);
    const linked = await rater1.request('PUT', `/api/sessions/${id}/links`, {
      clients: [{ id: client, participant: 'p1' }],
      group: null,
    });
    expect(linked.status).toBe(200);
    return id;
  }

  const liveMark = async (session: string) => {
    const events = (await rater1.request('GET', `/api/sessions/${session}/events?limit=1000`)).body.events;
    return `live-${events.find((e: { type: string }) => e.type === 'mark').seq}`;
  };
  const stored = async () =>
    (await studio.store.db
      .selectFrom('session_rating' as never)
      .selectAll()
      .execute()) as unknown[];

  it('takes two raters’ ratings and shows how far they agree', async () => {
    const session = await recorded('Mia, week 1');
    const mark = await liveMark(session);
    const first = await rater1.request('PUT', `/api/sessions/${session}/ratings`, {
      scale: 'nordoff-robbins-2',
      ratings: [
        { item: 'instrumental', level: 4, comment: 'Kept the beat with me.', evidence: [mark] },
        { item: 'vocal', level: 2 },
        { item: 'body-movement', level: 5 },
      ],
    });
    expect(first.status).toBe(200);
    expect(first.body.ratings).toHaveLength(3);
    expect(first.body.ratings[1]).toMatchObject({
      rater: ids.ben,
      scale: 'nordoff-robbins-2',
      item: 'instrumental',
      participant: null,
      level: 4,
      comment: 'Kept the beat with me.',
      evidence: [mark],
    });
    // One rater: no agreement yet.
    expect(first.body.agreement).toEqual([]);

    const second = await rater2.request('PUT', `/api/sessions/${session}/ratings`, {
      scale: 'nordoff-robbins-2',
      ratings: [
        { item: 'instrumental', level: 4 },
        { item: 'vocal', level: 3 },
        { item: 'body-movement', level: 5 },
      ],
    });
    expect(second.status).toBe(200);
    const read = await rater1.request('GET', `/api/sessions/${session}/ratings`);
    expect(read.status).toBe(200);
    expect(read.body.raters.map((r: { name: string }) => r.name)).toEqual(['Ben Ode', 'Cleo Park']);
    expect(read.body.lanes).toEqual(['p1']);
    const [agreement] = read.body.agreement;
    expect(read.body.agreement).toHaveLength(1);
    expect(agreement.scale).toBe('nordoff-robbins-2');
    expect(agreement.units).toEqual(['body-movement', 'instrumental', 'vocal']);
    expect(agreement.percent.value).toBeCloseTo(2 / 3);
    expect(agreement.percent.units).toBe(3);
    expect(typeof agreement.alpha.value).toBe('number');
    expect(typeof agreement.weightedKappa.value).toBe('number');

    // Ben changes his mind on the voice: they now agree on every item.
    const again = await rater1.request('PUT', `/api/sessions/${session}/ratings`, {
      scale: 'nordoff-robbins-2',
      ratings: [{ item: 'vocal', level: 3 }],
    });
    expect(again.body.ratings).toHaveLength(6);
    expect(again.body.agreement[0].percent.value).toBe(1);
    const bens = again.body.ratings.find(
      (r: { rater: string; item: string }) => r.rater === ids.ben && r.item === 'vocal',
    );
    expect(bens.updatedAt >= bens.createdAt).toBe(true);

    // Each removes only their own rating.
    expect(
      (await rater2.request('DELETE', `/api/sessions/${session}/ratings/nordoff-robbins-2/vocal`)).status,
    ).toBe(204);
    const gone = await rater2.request('DELETE', `/api/sessions/${session}/ratings/nordoff-robbins-2/vocal`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('rating-not-found');
    const left = (await rater2.request('GET', `/api/sessions/${session}/ratings`)).body.ratings;
    expect(
      left.filter((r: { item: string }) => r.item === 'vocal').map((r: { rater: string }) => r.rater),
    ).toEqual([ids.ben]);

    // The audit names the session and the client, never the comment.
    const trail = (await admin.request('GET', `/api/audit?client=${client}&limit=1000`)).body.entries;
    const actions = trail.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['session-ratings-saved', 'session-ratings-read', 'session-rating-deleted']),
    );
    expect(JSON.stringify(trail)).not.toContain('Kept the beat');
    const bySession = (
      await admin.request('GET', `/api/audit?target=${session}&action=session-ratings-saved`)
    ).body.entries;
    expect(bySession).toHaveLength(3);
    expect(bySession[0].detail).toMatchObject({ scale: 'nordoff-robbins-2', participant: null });
  });

  it('refuses bad ratings with the fault named and saves none of them', async () => {
    const session = await recorded('Mia, week 1');
    const other = await recorded('Mia, week 2');
    const elsewhere = (await rater1.request('POST', `/api/sessions/${other}/marks`, { t: 2, note: 'smiled' }))
      .body.mark.id;
    const mark = await liveMark(session);
    const put = (body: unknown) => rater1.request('PUT', `/api/sessions/${session}/ratings`, body);
    const cases: Array<[unknown, string, string]> = [
      [
        { scale: 'iap', ratings: [{ item: 'autonomy:rhythm', level: 7 }] },
        'invalid-rating',
        'iap autonomy:rhythm takes a whole number from 1 to 5, got: 7',
      ],
      [
        { scale: 'iap', ratings: [{ item: 'autonomy:rhythm', level: 2.5 }] },
        'invalid-rating',
        'takes a whole number from 1 to 5, got: 2.5',
      ],
      [
        { scale: 'iap', ratings: [{ item: 'autonomy:melody', level: 2 }] },
        'invalid-rating',
        "unknown item of iap, got: 'autonomy:melody'",
      ],
      [
        { scale: 'nordoff-robbins-9', ratings: [{ item: 'vocal', level: 2 }] },
        'invalid-rating',
        'there is no scale "nordoff-robbins-9"; the scales are nordoff-robbins-1, nordoff-robbins-2, iap',
      ],
      [
        { scale: 'nordoff-robbins-1', ratings: [{ item: 'participation', level: 3, evidence: [elsewhere] }] },
        'invalid-rating',
        `no mark '${elsewhere}' in this session`,
      ],
      [
        {
          scale: 'nordoff-robbins-1',
          ratings: [{ item: 'participation', level: 3, evidence: [mark, mark] }],
        },
        'invalid-rating',
        'is cited twice',
      ],
      [
        { scale: 'nordoff-robbins-1', participant: 'p9', ratings: [{ item: 'participation', level: 3 }] },
        'invalid-rating',
        "no participant 'p9' in this session",
      ],
      [
        {
          scale: 'nordoff-robbins-1',
          ratings: [
            { item: 'participation', level: 3 },
            { item: 'participation', level: 4 },
          ],
        },
        'invalid-rating',
        'participation is rated twice',
      ],
      [{ scale: 'nordoff-robbins-1', ratings: [{ item: 'participation', level: 'high' }] }, 'invalid', ''],
      [
        { scale: 'nordoff-robbins-1', ratings: [{ item: 'participation', level: 3, score: 3 }] },
        'invalid',
        '',
      ],
      [{ scale: 'nordoff-robbins-1', ratings: [] }, 'invalid', ''],
    ];
    for (const [body, code, says] of cases) {
      const answer = await put(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe(code);
      expect(answer.body.error.message).toContain(says);
    }
    // One bad rating among good ones: none is saved, and both faults are named.
    const mixed = await put({
      scale: 'iap',
      participant: 'p1',
      ratings: [
        { item: 'variability:rhythm', level: 2, evidence: [mark] },
        { item: 'integration:rhythm', level: 9 },
        { item: 'tension:volume', level: 0 },
      ],
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.message).toBe(
      'The ratings were not saved: rating 2: iap integration:rhythm takes a whole number from 1 to 5, got: 9; rating 3: iap tension:volume takes a whole number from 1 to 5, got: 0.',
    );
    expect(await stored()).toEqual([]);
    // The same, rightly: saved for the client's lane.
    const good = await put({
      scale: 'iap',
      participant: 'p1',
      ratings: [{ item: 'variability:rhythm', level: 2, evidence: [mark] }],
    });
    expect(good.status).toBe(200);
    expect(good.body.ratings[0]).toMatchObject({ participant: 'p1', item: 'variability:rhythm', level: 2 });
  });

  it('answers another therapist 404 and a participant’s device 401, audits both, and changes nothing', async () => {
    const session = await recorded('Mia, week 1');
    await rater1.request('PUT', `/api/sessions/${session}/ratings`, {
      scale: 'nordoff-robbins-1',
      ratings: [{ item: 'participation', level: 3 }],
    });
    const before = await stored();
    const tries: Array<[string, string, unknown?]> = [
      ['GET', `/api/sessions/${session}/ratings`],
      [
        'PUT',
        `/api/sessions/${session}/ratings`,
        { scale: 'nordoff-robbins-1', ratings: [{ item: 'participation', level: 5 }] },
      ],
      ['DELETE', `/api/sessions/${session}/ratings/nordoff-robbins-1/participation`],
      ['GET', `/api/sessions/${session}/suggestions`],
      ['GET', `/api/clients/${client}/progress`],
      ['GET', '/api/sessions/no-such-session/ratings'],
    ];
    for (const [method, path, body] of tries) {
      const answer = await outsider.request(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error.code).toBe('not-found');
    }
    const device = new Browser(studio.url);
    await device.state();
    for (const [method, path, body] of tries.slice(0, 5)) {
      const answer = await device.request(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(401);
      expect(answer.body.error.code).toBe('not-logged-in');
    }
    // Without the CSRF header a change is refused before anything else.
    const forged = await rater1.request('PUT', `/api/sessions/${session}/ratings`, tries[1]?.[2], {
      csrf: false,
    });
    expect(forged.status).toBe(403);
    expect(await stored()).toEqual(before);

    const refusals = (
      await admin.request('GET', `/api/audit?target=${session}&limit=1000`)
    ).body.entries.filter((e: { action: string }) => e.action.endsWith('-refused'));
    expect(
      refusals
        .filter((e: { actor: string }) => e.actor === ids.dan)
        .map((e: { action: string; detail: { reason: string } }) => [e.action, e.detail.reason]),
    ).toEqual(
      expect.arrayContaining([
        ['session-ratings-read-refused', 'not-assigned'],
        ['session-ratings-save-refused', 'not-assigned'],
        ['session-rating-delete-refused', 'not-assigned'],
        ['session-suggestions-read-refused', 'not-assigned'],
      ]),
    );
    expect(
      refusals
        .filter((e: { actor: string | null }) => e.actor === null)
        .map((e: { detail: { reason: string } }) => e.detail.reason),
    ).toContain('not-logged-in');
    const clientRefusals = (
      await admin.request('GET', `/api/audit?target=${client}&action=client-progress-read-refused`)
    ).body.entries;
    expect(clientRefusals.map((e: { detail: { reason: string } }) => e.detail.reason)).toEqual([
      'not-logged-in',
      'not-assigned',
    ]);
  });

  it('offers the recording’s measures beside the IAP items, never as a rating', async () => {
    const session = await recorded('Mia, week 1');
    const answer = await rater1.request('GET', `/api/sessions/${session}/suggestions`);
    expect(answer.status).toBe(200);
    expect(answer.body.lanes.map((l: { participant: string }) => l.participant)).toEqual(['p1']);
    const suggestions = answer.body.lanes[0].suggestions;
    // Mia kept one steady beat with the therapist and the companion.
    const tempo = suggestions.find((s: { item: string }) => s.item === 'variability:rhythm');
    expect(tempo).toMatchObject({ measure: 'tempo.periodCv', toward: 'stable', towardValue: 2 });
    const together = suggestions.filter((s: { item: string }) => s.item === 'integration:rhythm');
    expect(together.map((s: { toward: string }) => s.toward)).toContain('integrated');
    for (const s of suggestions) expect(s.caveat).toMatch(/cannot hear intention/);
    expect((await rater1.request('GET', `/api/sessions/${session}/ratings`)).body.ratings).toEqual([]);

    // A session whose log grew is measured again, not answered from what was kept: Mia's beat
    // wanders far from the therapist's in the new stretch.
    const session2 = (await rater1.request('POST', '/api/sessions', { title: 'Mia, still playing' })).body
      .session.id;
    await studio.store.sessions.append(session2, playing(100, 70), new Date().toISOString());
    const before = (await rater1.request('GET', `/api/sessions/${session2}/suggestions`)).body.lanes[0]
      .suggestions;
    const steady = before.find((s: { item: string }) => s.item === 'variability:rhythm');
    await studio.store.sessions.append(
      session2,
      Array.from({ length: 40 }, (_, i) => ({
        participant: 'p1',
        clientSeq: 5000 + i,
        t: 40 + i * (0.3 + (i % 4) * 0.25),
        type: 'play',
        payload: {
          event: {
            type: 'note',
            t: 40 + i * (0.3 + (i % 4) * 0.25),
            pitch: 64,
            velocity: 30 + (i % 5) * 20,
            duration: 0.2,
          },
        },
      })),
      new Date().toISOString(),
    );
    const after = (await rater1.request('GET', `/api/sessions/${session2}/suggestions`)).body.lanes[0]
      .suggestions;
    const range = (list: { measure: string; value: number }[]) =>
      list.find((s) => s.measure === 'dynamics.range')?.value;
    expect(steady).toBeDefined();
    expect(range(after)).toBeGreaterThan((range(before) ?? 0) + 20);
  });

  it('gives a client’s progress: sessions oldest first with notes, ratings and measures', async () => {
    const sessions = [
      await recorded('Week 1', 90, 50),
      await recorded('Week 2', 100, 70),
      await recorded('Week 3', 110, 90),
    ];
    await rater1.request('POST', `/api/sessions/${sessions[0]}/notes`, { text: 'Wary at first.' });
    await rater1.request('POST', `/api/sessions/${sessions[2]}/notes`, { text: 'Led the drum.' });
    for (const [i, s] of [sessions[0], sessions[2]].entries()) {
      await rater1.request('PUT', `/api/sessions/${s}/ratings`, {
        scale: 'nordoff-robbins-1',
        ratings: [{ item: 'participation', level: 2 + i * 2 }],
      });
    }
    await rater2.request('PUT', `/api/sessions/${sessions[2]}/ratings`, {
      scale: 'nordoff-robbins-1',
      ratings: [{ item: 'participation', level: 5 }],
    });
    const answer = await rater2.request('GET', `/api/clients/${client}/progress`);
    expect(answer.status).toBe(200);
    const progress = answer.body;
    expect(progress.sessions.map((s: { title: string }) => s.title)).toEqual(['Week 1', 'Week 2', 'Week 3']);
    expect(progress.sessions[0].notes.map((n: { text: string }) => n.text)).toEqual(['Wary at first.']);
    expect(progress.sessions[1].ratings).toEqual([]);
    expect(progress.sessions[2].ratings).toHaveLength(2);
    const participation = progress.ratings.find((r: { item: string }) => r.item === 'participation');
    // A gap in week 2, not a zero; week 3 the mean of two raters.
    expect(participation.points.map((p: { session: string; value: number }) => [p.session, p.value])).toEqual(
      [
        [sessions[0], 2],
        [sessions[2], 4.5],
      ],
    );
    expect(participation.points[1].note).toBe('Led the drum.');
    const tempo = progress.measures.find((m: { measure: string }) => m.measure === 'tempo.median');
    expect(tempo.points.map((p: { value: number }) => Math.round(p.value))).toEqual([90, 100, 110]);
    const loudness = progress.measures.find((m: { measure: string }) => m.measure === 'dynamics.mean');
    const [quiet, , loud] = loudness.points.map((p: { value: number }) => p.value);
    expect(loud).toBeGreaterThan(quiet + 30);
    const synchrony = progress.measures.find(
      (m: { measure: string }) => m.measure === 'synchrony.coincidence@therapist',
    );
    expect(synchrony.label).toBe('Playing in time together, with the therapist');
    expect(synchrony.points.every((p: { value: number }) => p.value > 0.9)).toBe(true);
    expect(
      progress.measures.some((m: { measure: string }) => m.measure === 'synchrony.coincidence@companion'),
    ).toBe(true);
    expect(progress.sessions[0].measures['tempo.median']).toBeCloseTo(tempo.points[0].value);
    const read = (await admin.request('GET', `/api/audit?target=${client}&action=client-progress-read`)).body
      .entries;
    expect(read).toHaveLength(1);
    expect(read[0].detail.sessions).toEqual(sessions);
  });

  it('puts the ratings in the client’s export, and an erasure removes them', async () => {
    const session = await recorded('Mia, week 1');
    await rater1.request('PUT', `/api/sessions/${session}/ratings`, {
      scale: 'iap',
      participant: 'p1',
      ratings: [{ item: 'autonomy:rhythm', level: 3, comment: 'Partner in the groove.' }],
    });
    const exported = await rater1.request('GET', `/api/clients/${client}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.sessions[0].ratings).toMatchObject([
      {
        rater: ids.ben,
        scale: 'iap',
        item: 'autonomy:rhythm',
        participant: 'p1',
        level: 3,
        comment: 'Partner in the groove.',
      },
    ]);
    // A session Mia shared with Tom stays for him: only the ratings of Mia's lane go.
    const tom = (
      await rater1.request('POST', '/api/clients', { ...mia, name: 'Tom Reyes', displayName: 'T.R.' })
    ).body.client.id;
    const shared = await recorded('Mia and Tom');
    await rater1.request('PUT', `/api/sessions/${shared}/links`, {
      clients: [
        { id: client, participant: 'p1' },
        { id: tom, participant: 'p2' },
      ],
      group: null,
    });
    for (const participant of ['p1', 'p2', null])
      await rater1.request('PUT', `/api/sessions/${shared}/ratings`, {
        scale: 'nordoff-robbins-1',
        participant,
        ratings: [{ item: 'participation', level: 4 }],
      });
    const erased = await admin.request('DELETE', `/api/clients/${client}`, { confirm: mia.name });
    expect(erased.status).toBe(200);
    expect(erased.body.erased).toMatchObject({ sessionsDeleted: 1, sessionsKept: [shared] });
    const kept = (await rater1.request('GET', `/api/sessions/${shared}/ratings`)).body.ratings;
    expect(kept.map((r: { participant: string | null }) => r.participant)).toEqual([null, 'p2']);
    expect(await stored()).toHaveLength(2);
  });
});
