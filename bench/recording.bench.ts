/**
 * Recording throughput: events made durable per second by the session log, for SQLite (a file in
 * WAL mode with full sync, what a new studio gets) and PostgreSQL (when it answers at
 * 127.0.0.1:5432 or `DATABASE_URL`).
 *
 * Three ways of writing, measured in the same run so the machine's noise touches them alike:
 * - the database alone, 1 row per transaction (the baseline: what the disk and engine allow);
 * - `SessionLog.append` with one event per call, each awaited (the worst case for the log:
 *   sequence numbering and the resend check in every transaction);
 * - one room's events through the studio's journal with many events in flight, as in a busy room:
 *   what arrives while a transaction is written is committed together in the next (group commit);
 * - many rooms at once, in waves (every player of every room plays one note, then the next turn
 *   of the event loop): each room writing its own transaction per wave (how rooms wrote before
 *   the journal) beside the journal, which commits every room's wave together. Beside the rate,
 *   the share of the time the event loop was busy (what the rooms' relays and companion would
 *   have lost) and the events per transaction. On SQLite the journal writes in its own thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Recorder } from '../apps/server/src/room/recorder.ts';
import {
  type AppendInput,
  type LogWriter,
  openPostgres,
  openSqlite,
  type Store,
} from '../apps/server/src/storage/index.ts';
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

/** Events per second through a room's Recorder and the journal, `players` devices sending `each` events at once. */
async function recorded(store: Store, session: string, players: number, each: number): Promise<number> {
  await store.sessions.create({ id: session, title: 'bench', startedAt: AT });
  const recorder = new Recorder(store.journal, session, () => AT);
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

/**
 * `rooms` rooms of `players` players, `waves` waves: in each, every player of every room plays
 * one note, all appended in one turn of the event loop; the next wave comes in the next turn,
 * without waiting for the writes. Each room writes through `writer(room)`.
 */
async function manyRooms(
  label: string,
  store: Store,
  prefix: string,
  writer: LogWriter,
  shape: { rooms: number; players: number; waves: number },
): Promise<void> {
  for (let r = 0; r < shape.rooms; r++)
    await store.sessions.create({ id: `${prefix}${r}`, title: 'bench', startedAt: AT });
  const before = store.journal.tally().transactions;
  const loop = performance.eventLoopUtilization();
  const t0 = nowMs();
  const pending: Promise<unknown>[] = [];
  for (let w = 0; w < shape.waves; w++) {
    for (let r = 0; r < shape.rooms; r++) {
      const events = Array.from({ length: shape.players }, (_, p) => note(`p${p}`, w));
      pending.push(writer.append(`${prefix}${r}`, events, AT));
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(pending);
  const seconds = (nowMs() - t0) / 1000;
  const busy = performance.eventLoopUtilization(loop).utilization;
  const count = shape.rooms * shape.players * shape.waves;
  const logged = (await store.sessions.get(`${prefix}${shape.rooms - 1}`))?.events;
  if (logged !== shape.players * shape.waves)
    throw new Error(`expected ${shape.players * shape.waves} logged, found ${logged}`);
  const transactions = store.journal.tally().transactions - before;
  const per = transactions > 0 ? `, ${(count / transactions).toFixed(0)} events/transaction` : '';
  figure(label, count / seconds, 'events/s', 0);
  console.log(`  ${''.padEnd(48)} event loop busy ${(100 * busy).toFixed(0)}%${per}`);
}

const MANY = { rooms: 200, players: 4, waves: 25 };

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
      figure(
        'SQLite journal, one room, 4 players × 5000',
        await recorded(store, 'busy', 4, 5000),
        'events/s',
        0,
      );
      figure(
        'SQLite journal, one room, 40 players × 500',
        await recorded(store, 'big', 40, 500),
        'events/s',
        0,
      );
      await manyRooms('SQLite, 200 rooms × 4, a transaction per room', store, 'own', store.sessions, MANY);
      await manyRooms('SQLite journal (thread), 200 rooms × 4', store, 'all', store.journal, MANY);
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
        'PostgreSQL journal, one room, 4 players × 5000',
        await recorded(store, 'busy', 4, 5000),
        'events/s',
        0,
      );
      figure(
        'PostgreSQL journal, one room, 40 players × 500',
        await recorded(store, 'big', 40, 500),
        'events/s',
        0,
      );
      await manyRooms(
        'PostgreSQL, 200 rooms × 4, a transaction per room',
        store,
        'own',
        store.sessions,
        MANY,
      );
      await manyRooms('PostgreSQL journal, 200 rooms × 4', store, 'all', store.journal, MANY);
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
