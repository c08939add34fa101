/**
 * The studio's journal on a real SQLite file with its writer thread (and, for the batching
 * itself, on this thread with a writer that can be held): many rooms' appends in one
 * transaction, each session in order, resends harmless, a refused request alone refused, the
 * thread dying and coming back, and a store that closes with appends pending.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type AppendInput,
  type AppendRequest,
  type BatchWriter,
  Journal,
  JournalThread,
  openSqlite,
  type Store,
  StoreError,
} from './index.ts';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const at = '2026-11-25T10:00:00.000Z';
const note = (participant: string, clientSeq: number): AppendInput => ({
  participant,
  clientSeq,
  t: clientSeq * 0.125,
  type: 'play',
  payload: { pitch: 60 + (clientSeq % 12) },
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attune-journal-'));
  dirs.push(dir);
  return dir;
}

/** A store on a file, with its writer thread, and `count` open sessions r0, r1, … */
async function studio(
  count: number,
  onError?: (error: unknown, where: string) => void,
): Promise<{ store: Store; path: string }> {
  const path = join(folder(), 'attune.sqlite');
  const store = await openSqlite(path, onError ? { onError } : {});
  stores.push(store);
  for (let i = 0; i < count; i++)
    await store.sessions.create({ id: `r${i}`, title: `Room ${i}`, startedAt: at });
  return { store, path };
}

const until = async (ready: () => boolean, within = 10_000): Promise<void> => {
  const end = Date.now() + within;
  while (!ready()) {
    if (Date.now() > end) throw new Error('waited too long');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('the journal on its writer thread', () => {
  it('commits the appends of two hundred rooms arriving together in one transaction', async () => {
    const { store } = await studio(200);
    expect(store.thread?.running).toBe(true);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.journal.append(`r${i}`, [note('p1', 0), note('p2', 0), note('companion', 0)], at),
      ),
    );
    expect(store.journal.tally()).toEqual({ transactions: 1, requests: 200, events: 600 });
    for (const appended of results) expect(appended.map((a) => a.seq)).toEqual([1, 2, 3]);
    expect((await store.sessions.read('r199')).map((e) => e.participant)).toEqual(['p1', 'p2', 'companion']);
    expect((await store.sessions.get('r0'))?.events).toBe(3);
  });

  it("keeps each session's events in the order appended, across transactions and rooms", async () => {
    const { store } = await studio(3);
    const pending: Array<Promise<unknown>> = [];
    for (let i = 0; i < 60; i++) {
      pending.push(store.journal.append(`r${i % 3}`, [note('p', i)], at));
      if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pending);
    expect(store.journal.tally().transactions).toBeGreaterThan(1);
    for (let r = 0; r < 3; r++) {
      const log = await store.sessions.read(`r${r}`);
      expect(log.map((e) => e.clientSeq)).toEqual(Array.from({ length: 20 }, (_, k) => k * 3 + r));
      expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, k) => k + 1));
    }
  });

  it('answers a resend, in the same transaction or a later one, with the first seq, and stores it once', async () => {
    const { store } = await studio(1);
    const [first, racing] = await Promise.all([
      store.journal.append('r0', [note('p', 0), note('p', 1)], at),
      store.journal.append('r0', [note('p', 1)], at),
    ]);
    expect(store.journal.tally().transactions).toBe(1);
    expect(first?.map((a) => a.duplicate)).toEqual([false, false]);
    expect(racing).toEqual([{ participant: 'p', clientSeq: 1, seq: 2, duplicate: true }]);
    const later = await store.journal.append('r0', [note('p', 0), note('p', 2)], at);
    expect(later.map((a) => [a.seq, a.duplicate])).toEqual([
      [1, true],
      [3, false],
    ]);
    expect((await store.sessions.read('r0')).map((e) => e.clientSeq)).toEqual([0, 1, 2]);
  });

  it('refuses a closed, an unknown and a malformed request alone, and commits the rest with them', async () => {
    const { store } = await studio(3);
    await store.sessions.close('r1', at);
    const settled = await Promise.allSettled([
      store.journal.append('r0', [note('p', 0)], at),
      store.journal.append('r1', [note('p', 0)], at),
      store.journal.append('ghost', [note('p', 0)], at),
      store.journal.append('r2', [note('p', 0), { ...note('p', 1), t: -1 }], at),
      store.journal.append('r2', [note('q', 0)], at),
    ]);
    expect(store.journal.tally().transactions).toBe(1);
    expect(
      settled.map((s) => (s.status === 'fulfilled' ? 'written' : (s.reason as StoreError).code)),
    ).toEqual(['written', 'closed', 'not-found', 'invalid', 'written']);
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(StoreError);
    expect((await store.sessions.read('r0')).length).toBe(1);
    expect(await store.sessions.read('r1')).toEqual([]);
    expect((await store.sessions.read('r2')).map((e) => e.participant)).toEqual(['q']);
  });

  it('survives its thread dying: what was in flight is refused and reported, and once it is back the resend is logged once', async () => {
    const reports: string[] = [];
    const { store } = await studio(2, (error, where) =>
      reports.push(`${where}: ${(error as Error).message}`),
    );
    const thread = store.thread as JournalThread;
    await store.journal.append('r0', [note('p', 0)], at);
    // A large batch is being written when the thread ends: the journal sends it at the end of this
    // turn of the event loop, and the thread is ended right after.
    const big = Array.from({ length: 5000 }, (_, i) => note('p', i + 1));
    const inFlight = store.journal.append('r0', big, at);
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.journal.tally().transactions).toBe(2);
    await thread.kill();
    const refused = await inFlight.catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreError);
    expect((refused as StoreError).code).toBe('unavailable');
    expect((refused as StoreError).message).toMatch(/writer stopped .*send it again/);
    expect(reports.some((r) => /session log: the session log's writer stopped/.test(r))).toBe(true);

    await until(() => thread.running);
    expect(thread.starts).toBe(2);
    // The device sends it all again: whatever the dead thread committed is a duplicate, the rest
    // is written now; either way the log holds each event once.
    const resent = await store.journal.append('r0', big, at);
    expect(resent.map((a) => a.clientSeq)).toEqual(big.map((e) => e.clientSeq));
    const log = await store.sessions.read('r0', { limit: 10_000 });
    expect(log.map((e) => e.clientSeq)).toEqual(Array.from({ length: 5001 }, (_, i) => i));
    expect(await store.journal.append('r1', [note('p', 0)], at)).toMatchObject([{ seq: 1 }]);
  });

  it('refuses appends with a clear error while its thread is restarting', async () => {
    const { store } = await studio(1, () => {});
    const thread = store.thread as JournalThread;
    await thread.kill();
    expect(thread.running).toBe(false);
    const error = await store.journal.append('r0', [note('p', 0)], at).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('unavailable');
    expect((error as StoreError).message).toMatch(
      /restarting after a failure: nothing was written; send it again/,
    );
    expect(await store.sessions.read('r0')).toEqual([]);
    await until(() => thread.running);
    expect(await store.journal.append('r0', [note('p', 1)], at)).toMatchObject([{ clientSeq: 1 }]);
  });

  it('writes what was appended before the store closed, durably, and refuses what comes after', async () => {
    const { store, path } = await studio(4);
    const pending = Array.from({ length: 4 }, (_, i) =>
      store.journal.append(`r${i}`, [note('p', 0), note('p', 1)], at),
    );
    const closed = store.close();
    stores.splice(stores.indexOf(store), 1);
    const late = await store.journal.append('r0', [note('p', 2)], at).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(StoreError);
    expect((late as StoreError).message).toMatch(/closing/);
    expect((await Promise.all(pending)).flat().every((a) => !a.duplicate)).toBe(true);
    await closed;
    expect(store.thread?.running).toBe(false);

    const reopened = await openSqlite(path);
    stores.push(reopened);
    for (let i = 0; i < 4; i++) expect((await reopened.sessions.read(`r${i}`)).length).toBe(2);
  });

  it('says clearly when its thread cannot open the file', async () => {
    const where = join(folder(), 'no-such-folder', 'attune.sqlite');
    await expect(JournalThread.start(where)).rejects.toThrow(
      /session log's writer could not start \(exit code 1: Cannot open database because the directory does not exist\), on .*no-such-folder/,
    );
  });
});

describe('the journal gathering what arrives during a write', () => {
  it('commits everything appended while a transaction is written in the next one', async () => {
    const store = await openSqlite(':memory:');
    stores.push(store);
    for (let i = 0; i < 30; i++) await store.sessions.create({ id: `r${i}`, title: 'x', startedAt: at });
    const batches: number[] = [];
    const held: Array<() => void> = [];
    const write: BatchWriter = async (requests: readonly AppendRequest[]) => {
      batches.push(requests.length);
      await new Promise<void>((resolve) => held.push(resolve));
      return store.sessions.appendAll(requests);
    };
    const journal = new Journal(write);
    const first = journal.append('r0', [note('p', 0)], at);
    await until(() => held.length === 1);
    const during = Array.from({ length: 30 }, (_, i) => journal.append(`r${i}`, [note('p', 1)], at));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toEqual([1]);
    held[0]?.();
    await until(() => held.length === 2);
    expect(batches).toEqual([1, 30]);
    held[1]?.();
    await Promise.all([first, ...during]);
    expect((await store.sessions.read('r0')).map((e) => e.clientSeq)).toEqual([0, 1]);
  });

  it('refuses every request of a transaction the database failed, and writes the next', async () => {
    const store = await openSqlite(':memory:');
    stores.push(store);
    await store.sessions.create({ id: 'r0', title: 'x', startedAt: at });
    let failing = true;
    const journal = new Journal(async (requests) => {
      if (failing) throw new Error('disk I/O error');
      return store.sessions.appendAll(requests);
    });
    const refused = await Promise.allSettled([
      journal.append('r0', [note('p', 0)], at),
      journal.append('r0', [note('q', 0)], at),
    ]);
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await store.sessions.read('r0')).toEqual([]);
    failing = false;
    expect(await journal.append('r0', [note('p', 0)], at)).toMatchObject([{ seq: 1, duplicate: false }]);
  });
});
