/**
 * A session's exports through real HTTP, on SQLite and on PostgreSQL, as the review screen and an
 * intruder meet them: the MIDI file has a track per lane, the WAV export is a job whose progress
 * reaches 1 and whose file is a WAV of the span asked for with sound in it, the measures come as
 * JSON and CSV with a row per participant; another therapist gets 404 and a device with only a
 * room code 401, each refusal audited; the research export is the admin's alone and holds no
 * name, birth date, note or id, and only the clients who consented.
 */
import { readPerformance } from '@attune/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { studioDatabase } from '../storage/test-stores.ts';
import { type Browser, tempStudio } from '../test-support.ts';
import { staffed } from './test-support.ts';

const anna = { name: 'Anna Berg', email: 'anna@clinic.example', password: 'correct horse battery' };
const ben = { name: 'Ben Ode', email: 'ben@clinic.example', password: 'another long secret' };
const cleo = { name: 'Cleo Marsh', email: 'cleo@clinic.example', password: 'a third long secret' };
const tom = {
  name: 'Tom Reyes',
  birthDate: '2014-07-01',
  displayName: 'T.R.',
  consent: { recording: true, research: true, family: false },
  notes: 'Plays best after the hello song.',
};
const mia = {
  name: 'Mia Jansen',
  birthDate: '2016-02-29',
  displayName: 'Mia',
  consent: { recording: true, research: false, family: true },
  notes: 'Loves the drum; startles at sudden loud sounds.',
};

const note = (t: number, pitch: number) => ({ type: 'note', t, pitch, velocity: 80, duration: 0.4 });

/** A GET with the browser's cookies, answering the raw bytes. */
async function download(browser: Browser, base: string, path: string) {
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe.each(['sqlite', 'postgres'] as const)('session exports (%s)', (kind) => {
  let studio: Awaited<ReturnType<typeof tempStudio>>;
  let admin: Browser;
  let therapist: Browser;
  let other: Browser;
  let session = '';
  let clients: { tom: string; mia: string } = { tom: '', mia: '' };
  let ids: { ben: string; cleo: string } = { ben: '', cleo: '' };
  const database = studioDatabase(kind, 'exports');

  beforeEach(async () => {
    studio = await tempStudio({ companion: false, ...(await database()) });
    ({
      admin,
      therapists: { ben: therapist, cleo: other },
      ids,
    } = await staffed(studio.url, anna, { ben, cleo }));
    clients = {
      tom: (await therapist.request('POST', '/api/clients', tom)).body.client.id,
      mia: (await therapist.request('POST', '/api/clients', mia)).body.client.id,
    };
    session = (await therapist.request('POST', '/api/sessions', { title: 'Tom and Mia, week 3' })).body
      .session.id;
    // What the room would have logged: Tom (p1) on the keys, Mia (p2) on the drum, the therapist,
    // the companion's bass, and a live mark with a note that names Mia.
    await studio.store.sessions.append(
      session,
      [
        { participant: 'p1', clientSeq: 1, t: 0.5, type: 'play', payload: { event: note(0.5, 60) } },
        { participant: 'p1', clientSeq: 2, t: 1, type: 'play', payload: { event: note(1, 62) } },
        { participant: 'p1', clientSeq: 3, t: 1.5, type: 'play', payload: { event: note(1.5, 64) } },
        {
          participant: 'p2',
          clientSeq: 1,
          t: 0.5,
          type: 'play',
          payload: { event: { type: 'hit', t: 0.5, instrument: 38, velocity: 90 } },
        },
        {
          participant: 'p2',
          clientSeq: 2,
          t: 1.02,
          type: 'play',
          payload: { event: { type: 'hit', t: 1.02, instrument: 38, velocity: 70 } },
        },
        { participant: 'therapist', clientSeq: 1, t: 0.75, type: 'play', payload: { event: note(0.75, 48) } },
        {
          participant: 'companion',
          clientSeq: 1,
          t: 1,
          type: 'companion',
          payload: { pitch: 36, velocity: 70, duration: 0.5, voice: 'bass' },
        },
        {
          participant: 'therapist',
          clientSeq: 2,
          t: 1.2,
          type: 'mark',
          payload: { note: 'Mia Jansen looked up', tags: [] },
        },
      ],
      new Date().toISOString(),
    );
    expect((await therapist.request('POST', `/api/sessions/${session}/end`)).status).toBe(200);
    const linked = await therapist.request('PUT', `/api/sessions/${session}/links`, {
      clients: [
        { id: clients.tom, participant: 'p1' },
        { id: clients.mia, participant: 'p2' },
      ],
      group: null,
    });
    expect(linked.status).toBe(200);
  });
  afterEach(async () => {
    await studio.close();
  });

  /** The audit entries of `action`, as the admin reads them. */
  const audited = async (action: string) =>
    (await admin.request('GET', `/api/audit?action=${action}&limit=100`)).body.entries as Array<{
      actor: string | null;
      target: string | null;
      detail: Record<string, unknown>;
    }>;

  it('MIDI: one track per participant and companion voice, named from the record, audited per session and client', async () => {
    const answer = await download(therapist, studio.url, `/api/sessions/${session}/export.mid`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('audio/midi');
    expect(answer.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.mid"/);
    const performance = readPerformance(answer.bytes);
    expect(performance.tracks.map((t) => t.name)).toEqual(['therapist', 'T.R.', 'Mia', 'companion: bass']);
    expect(performance.tracks.map((t) => t.notes.length)).toEqual([1, 3, 2, 1]);
    const entries = await audited('session-exported-midi');
    expect(entries.map((e) => e.target).sort()).toEqual([clients.mia, clients.tom, session].sort());
    expect(entries.every((e) => e.actor === ids.ben)).toBe(true);
  });

  it('measures: CSV with a header and one row per participant, pairs on request, JSON with the analysis', async () => {
    const csv = await therapist.request('GET', `/api/sessions/${session}/measures.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (csv.body as string).trimEnd().split('\r\n');
    const header = (lines[0] as string).split(',');
    expect(header.slice(0, 4)).toEqual(['participant', 'name', 'kind', 'events']);
    expect(header).toContain('tempo_median_bpm');
    expect(header).toContain('silence_share');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['therapist', 'therapist'],
      ['p1', 'T.R.'],
      ['p2', 'Mia'],
      ['companion', 'companion'],
    ]);
    expect(rows.map((r) => r[header.indexOf('events')])).toEqual(['1', '3', '2', '1']);
    for (const row of rows) expect(row).toHaveLength(header.length);

    const pairs = await therapist.request('GET', `/api/sessions/${session}/measures.csv?table=pairs`);
    expect((pairs.body as string).trimEnd().split('\r\n')).toHaveLength(1 + 6);

    const json = await therapist.request('GET', `/api/sessions/${session}/measures.json`);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      format: 'attune-session-measures',
      version: 1,
      session: { id: session },
    });
    expect(json.body.participants.map((p: { participant: string }) => p.participant)).toEqual([
      'therapist',
      'p1',
      'p2',
      'companion',
    ]);
    expect(json.body.pairs).toHaveLength(6);

    const bad = await therapist.request('GET', `/api/sessions/${session}/measures.csv?table=everything`);
    expect(bad.status).toBe(400);
    expect((await audited('session-exported-measures')).filter((e) => e.target === session)).toHaveLength(3);
  });

  it('WAV: a job whose progress reaches 1 and whose file is a WAV of the span, with sound', async () => {
    const started = await therapist.request('POST', `/api/sessions/${session}/exports/wav`, {
      from: 0.25,
      to: 2.25,
      sampleRate: 22050,
    });
    expect(started.status).toBe(202);
    const job = started.body.job.id as string;
    expect(started.body.job).toMatchObject({ session, progress: 0 });
    let progress = await therapist.request('GET', `/api/exports/${job}`);
    const seen: number[] = [];
    for (let i = 0; i < 200 && progress.body.job.state !== 'done'; i++) {
      expect(['queued', 'rendering']).toContain(progress.body.job.state);
      seen.push(progress.body.job.progress);
      await new Promise((r) => setTimeout(r, 25));
      progress = await therapist.request('GET', `/api/exports/${job}`);
    }
    expect(progress.body.job).toMatchObject({ state: 'done', progress: 1, seconds: 2, error: null });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);

    // Not the other therapist's, nor the admin's.
    expect((await other.request('GET', `/api/exports/${job}`)).status).toBe(404);
    expect((await download(admin, studio.url, `/api/exports/${job}/file`)).status).toBe(404);

    const file = await download(therapist, studio.url, `/api/exports/${job}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/wav');
    const view = new DataView(file.bytes.buffer);
    expect(new TextDecoder().decode(file.bytes.subarray(0, 4))).toBe('RIFF');
    expect(new TextDecoder().decode(file.bytes.subarray(8, 12))).toBe('WAVE');
    expect(view.getUint16(22, true)).toBe(2);
    expect(view.getUint32(24, true)).toBe(22050);
    expect(view.getUint32(40, true)).toBe(2 * 22050 * 4);
    expect(file.bytes.length).toBe(44 + 2 * 22050 * 4);
    let peak = 0;
    for (let i = 44; i < file.bytes.length; i += 2) peak = Math.max(peak, Math.abs(view.getInt16(i, true)));
    expect(peak).toBeGreaterThan(1000);
    expect((await audited('session-exported-wav')).map((e) => e.target).sort()).toEqual(
      [clients.mia, clients.tom, session].sort(),
    );
  });

  it('WAV: a span that ends before it starts, or an unknown sample rate, is refused and starts nothing', async () => {
    const backwards = await therapist.request('POST', `/api/sessions/${session}/exports/wav`, {
      from: 3,
      to: 1,
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toBe('The end (1 s) must come after the start (3 s).');
    const rate = await therapist.request('POST', `/api/sessions/${session}/exports/wav`, {
      sampleRate: 12345,
    });
    expect(rate.status).toBe(400);
    const extra = await therapist.request('POST', `/api/sessions/${session}/exports/wav`, { volume: 11 });
    expect(extra.status).toBe(400);
    // Longer than a WAV file holds at that rate: a clear refusal, not a failed job later.
    const long = await therapist.request('POST', `/api/sessions/${session}/exports/wav`, { to: 30_000 });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toBe(
      'A WAV file at 48000 Hz holds at most 6 h 11 min; this is longer. Export a part of the session, or use a lower sample rate.',
    );
    expect(await audited('session-exported-wav')).toEqual([]);
  });

  it('a cancelled WAV export is gone', async () => {
    const started = await therapist.request('POST', `/api/sessions/${session}/exports/wav`, {
      sampleRate: 22050,
    });
    const job = started.body.job.id as string;
    expect((await other.request('DELETE', `/api/exports/${job}`)).status).toBe(404);
    expect((await therapist.request('DELETE', `/api/exports/${job}`)).status).toBe(204);
    const after = await therapist.request('GET', `/api/exports/${job}`);
    if (after.status === 200) expect(after.body.job.state).toBe('cancelled');
    else expect(after.status).toBe(404);
    expect((await download(therapist, studio.url, `/api/exports/${job}/file`)).status).toBe(404);
  });

  it('another therapist gets 404 on every export, each refusal audited; a device without a login gets 401', async () => {
    const paths = [
      ['GET', `/api/sessions/${session}/export.mid`, 'session-export-midi'],
      ['GET', `/api/sessions/${session}/measures.csv`, 'session-export-measures'],
      ['GET', `/api/sessions/${session}/measures.json`, 'session-export-measures'],
      ['POST', `/api/sessions/${session}/exports/wav`, 'session-export-wav'],
    ] as const;
    for (const [method, path, action] of paths) {
      const answer = await other.request(method, path, method === 'POST' ? {} : undefined);
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.code).toBe('not-found');
      const refusals = await audited(`${action}-refused`);
      expect(refusals.some((e) => e.actor === ids.cleo && e.detail.reason === 'not-assigned')).toBe(true);
    }
    const missing = await therapist.request('GET', '/api/sessions/no-such-session/export.mid');
    expect(missing.status).toBe(404);

    // A participant's device: a fresh browser with no login.
    const device = await fetch(`${studio.url}/api/sessions/${session}/export.mid`);
    expect(device.status).toBe(401);
    const anonymous = (await audited('session-export-midi-refused')).filter((e) => e.actor === null);
    expect(anonymous).toHaveLength(1);
    expect(anonymous[0]?.detail.reason).toBe('not-logged-in');
    expect(await audited('session-exported-midi')).toEqual([]);
  });

  it('research export: admin only, the consenting client alone, under a pseudonym, with nothing that names anyone', async () => {
    // A session of Mia's alone (she did not consent to research) is not in it at all.
    const hers = (await therapist.request('POST', '/api/sessions', { title: 'Mia alone' })).body.session.id;
    await studio.store.sessions.append(
      hers,
      [{ participant: 'p1', clientSeq: 1, t: 0.5, type: 'play', payload: { event: note(0.5, 67) } }],
      new Date().toISOString(),
    );
    await therapist.request('POST', `/api/sessions/${hers}/end`);
    const herLink = await therapist.request('PUT', `/api/sessions/${hers}/links`, {
      clients: [{ id: clients.mia, participant: 'p1' }],
      group: null,
    });
    expect(herLink.status).toBe(200);

    const refused = await therapist.request('GET', '/api/research/export');
    expect(refused.status).toBe(403);
    expect((await audited('research-export-refused')).map((e) => e.actor)).toEqual([ids.ben]);

    const answer = await admin.request('GET', '/api/research/export');
    expect(answer.status).toBe(200);
    const text = JSON.stringify(answer.body);
    for (const secret of [
      tom.name,
      tom.birthDate,
      tom.notes,
      tom.displayName,
      mia.name,
      mia.birthDate,
      mia.notes,
      'Mia',
      'Tom and Mia, week 3',
      anna.name,
      ben.name,
      ben.email,
      ids.ben,
      clients.tom,
      clients.mia,
      session,
      hers,
      'Mia alone',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
    const doc = answer.body;
    expect(doc).toMatchObject({ format: 'attune-research-export', version: 1 });
    expect(doc.clients).toEqual([{ client: expect.any(String), sessions: 1 }]);
    const pseudonym = doc.clients[0].client as string;
    expect(doc.sessions).toHaveLength(1);
    const [only] = doc.sessions;
    const years = new Date().getUTCFullYear() - 2014;
    expect(only.clients).toEqual([
      { client: pseudonym, participant: 'p1', ageYears: expect.any(Number), day: 0 },
    ]);
    expect([years - 1, years]).toContain(only.clients[0].ageYears);
    expect(only.lanesLeftOut).toBe(1);
    const lanes = new Set(only.events.map((e: { participant: string }) => e.participant));
    expect([...lanes].sort()).toEqual(['companion', 'p1', 'therapist']);
    expect(only.events.some((e: { type: string }) => e.type === 'mark')).toBe(false);
    expect(only.measures.participants.map((p: { participant: string }) => p.participant)).toEqual([
      'therapist',
      'p1',
      'companion',
    ]);

    // A fresh pseudonym each time.
    const again = await admin.request('GET', '/api/research/export');
    expect(again.body.clients[0].client).not.toBe(pseudonym);

    const entries = await audited('research-exported');
    expect(entries.map((e) => e.target)).toEqual([clients.tom, clients.tom]);
  });
});
