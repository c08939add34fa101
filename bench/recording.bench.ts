/**
 * Recording throughput: events made durable per second by the session log, for SQLite (a file in
 * WAL mode with full sync, what a new studio gets) and PostgreSQL (when it answers at
 * 127.0.0.1:5432 or `DATABASE_URL`).
 *
 * Three ways of writing, measured in the same run so the machine's noise touches them alike:
 * - the database alone, 1 row per transaction (the baseline: what the disk and engine allow);
 * - `SessionLog.append` with one event per call, each awaited (the worst case for the log:
 *   sequence numbering and the resend check in every transaction);
 * - the room's `Recorder` with many events in flight, as in a busy room, where events arriving
 *   during a write are committed together in the next transaction (group commit).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Recorder } from '../apps/server/src/room/recorder.ts';
import { type AppendInput, openPostgres, openSqlite, type Store } from '../apps/server/src/storage/index.ts';
import { figure, nowMs } from './stats.ts';

const AT = '2026-11-25T10:00:00.000Z';

const note = (participant: string, clientSeq: number): AppendInput => ({
  participant,
  clientSeq,
  t: clientSeq * 0.125,
  type: 'play',
  payload: { type: 'note', t: clientSeq * 0.125, pitch: 60 + (clientSeq % 12), velocity: 80, duration: 0.2 },
});

/** Events per second of `count` awaited single-event appends. */
async function singleAppends(store: Store, session: string, count: number): Promise<number> {
  await store.sessions.create({ id: session, title: 'bench', startedAt: AT });
  const t0 = nowMs();
  for (let i = 0; i < count; i++) await store.sessions.append(session, [note('p1', i)], AT);
  return count / ((nowMs() - t0) / 1000);
}

/** Events per second through the Recorder with `players` devices each sending `each` events at once. */
async function recorded(store: Store, session: string, players: number, each: number): Promise<number> {
  await store.sessions.create({ id: session, title: 'bench', startedAt: AT });
  const recorder = new Recorder(store.sessions, session, () => AT);
  const t0 = nowMs();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < each; i++)
    for (let p = 1; p <= players; p++) pending.push(recorder.record(note(`p${p}`, i)));
  await Promise.all(pending);
  const rate = (players * each) / ((nowMs() - t0) / 1000);
  const logged = await store.sessions.read(session, { limit: players * each + 1 });
  if (logged.length !== players * each)
    throw new Error(`expected ${players * each} logged, found ${logged.length}`);
  return rate;
}

async function sqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'attune-bench-rec-'));
  try {
    const raw = new SQLite(join(dir, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec('create table e (id integer primary key, payload text not null)');
    const insert = raw.prepare('insert into e (payload) values (?)');
    const count = 5000;
    const t0 = nowMs();
    for (let i = 0; i < count; i++) insert.run(JSON.stringify(note('p1', i).payload));
    figure('SQLite alone, 1 row per transaction', count / ((nowMs() - t0) / 1000), 'events/s', 0);
    raw.close();

    const store = await openSqlite(join(dir, 'attune.sqlite'));
    try {
      figure('SQLite log, one event per append', await singleAppends(store, 'single', 2000), 'events/s', 0);
      figure('SQLite log, Recorder, 4 players × 5000', await recorded(store, 'busy', 4, 5000), 'events/s', 0);
      figure('SQLite log, Recorder, 40 players × 500', await recorded(store, 'big', 40, 500), 'events/s', 0);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<void> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${process.pid}`;
  const admin = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 2000 });
  try {
    await admin.query('select 1');
  } catch (error) {
    console.log(`  PostgreSQL not reachable at ${url}: ${(error as Error).message}; skipped`);
    await admin.end();
    return;
  }
  try {
    await admin.query(`create schema ${schema}`);
    await admin.query(`create table ${schema}.e (id serial primary key, payload text not null)`);
    const count = 2000;
    const t0 = nowMs();
    for (let i = 0; i < count; i++)
      await admin.query(`insert into ${schema}.e (payload) values ($1)`, [
        JSON.stringify(note('p1', i).payload),
      ]);
    figure('PostgreSQL alone, 1 row per transaction', count / ((nowMs() - t0) / 1000), 'events/s', 0);

    const store = await openPostgres(url, schema);
    try {
      figure(
        'PostgreSQL log, one event per append',
        await singleAppends(store, 'single', 1000),
        'events/s',
        0,
      );
      figure(
        'PostgreSQL log, Recorder, 4 players × 5000',
        await recorded(store, 'busy', 4, 5000),
        'events/s',
        0,
      );
      figure(
        'PostgreSQL log, Recorder, 40 players × 500',
        await recorded(store, 'big', 40, 500),
        'events/s',
        0,
      );
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

export async function run(): Promise<void> {
  await sqlite();
  await postgres();
}
