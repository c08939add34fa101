/**
 * The whole studio on PostgreSQL (for real, at 127.0.0.1:5432) in a database of its own: setup,
 * login, a session played over a WebSocket and read back, a restart, a resume and an end.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from './storage/index.ts';
import { loggedIn, tempStudio, WsDevice } from './test-support.ts';

const POSTGRES_URL = process.env.ATTUNE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database = `attune_studio_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
const url = new URL(POSTGRES_URL);
url.pathname = `/${database}`;

beforeAll(async () => {
  const admin = await openPostgres(POSTGRES_URL);
  await sql.raw(`create database ${database}`).execute(admin.db);
  await admin.close();
});

afterAll(async () => {
  const admin = await openPostgres(POSTGRES_URL);
  await sql.raw(`drop database if exists ${database} with (force)`).execute(admin.db);
  await admin.close();
});

const anna = { name: 'Anna Berg', email: 'anna@clinic.example', password: 'correct horse battery' };

describe('the studio on PostgreSQL', () => {
  it('sets up, records a played session, and resumes it after a restart', async () => {
    let studio = await tempStudio({ databaseUrl: url.toString(), companion: false });
    expect(studio.store.kind).toBe('postgres');
    const admin = await loggedIn(studio.url, anna, true);
    const { session, key } = (await admin.request('POST', '/api/sessions', { title: 'On PostgreSQL' })).body;
    const therapist = await WsDevice.open(studio.url);
    therapist.hello({ role: 'therapist', room: session.code, key, device: 'console' });
    const welcome = await therapist.next('welcome');
    therapist.send({
      type: 'play',
      clientSeq: 0,
      event: { type: 'note', t: welcome.now, pitch: 67, velocity: 70, duration: 0.5 },
    });
    const ack = await therapist.next('ack');
    therapist.close();
    await studio.close();

    studio = await tempStudio({ databaseUrl: url.toString(), companion: false });
    try {
      const again = await loggedIn(studio.url, anna, false);
      const events = (await again.request('GET', `/api/sessions/${session.id}/events`)).body.events;
      expect(events).toEqual([
        {
          seq: ack.seq,
          participant: 'therapist',
          t: welcome.now,
          type: 'play',
          payload: { event: { type: 'note', t: welcome.now, pitch: 67, velocity: 70, duration: 0.5 } },
        },
      ]);
      expect((await again.request('GET', `/api/sessions/${session.id}`)).body.session.live).toBe(false);
      const resumed = await again.request('POST', `/api/sessions/${session.id}/resume`);
      expect(resumed.body.session).toMatchObject({ live: true, code: session.code, events: 1 });
      const ended = await again.request('POST', `/api/sessions/${session.id}/end`);
      expect(ended.body.session.status).toBe('closed');
    } finally {
      await studio.close();
    }
  }, 30_000);
});
