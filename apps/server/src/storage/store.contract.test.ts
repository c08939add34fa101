/**
 * One contract for every store: SQLite (what a new studio gets) and PostgreSQL (for real, on the
 * server this machine and CI start at 127.0.0.1:5432), run through the same tests.
 */

import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppendInput, openStore, type Store, StoreError } from './index.ts';
import { POSTGRES_URL, testStores } from './test-stores.ts';

const { backends, folder, removeAll } = testStores('store');
afterAll(removeAll);

const note = (participant: string, clientSeq: number, t: number, pitch = 60): AppendInput => ({
  participant,
  clientSeq,
  t,
  type: 'note',
  payload: { pitch, velocity: 80, duration: 0.25 },
});
const at = '2026-11-25T12:00:00.000Z';

describe.each(backends)('%s store', (_name, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('opens, lists and closes sessions', async () => {
    await store.sessions.create({ id: 's1', title: 'Tuesday group', startedAt: '2026-11-24T10:00:00Z' });
    await store.sessions.create({
      id: 's2',
      title: 'Anna',
      therapistId: 't1',
      startedAt: '2026-11-25T10:00:00Z',
    });
    expect((await store.sessions.list()).map((s) => s.id)).toEqual(['s2', 's1']);
    const closed = await store.sessions.close('s1', '2026-11-24T11:00:00Z');
    expect(closed).toMatchObject({ status: 'closed', endedAt: '2026-11-24T11:00:00Z' });
    expect((await store.sessions.list({ status: 'open' })).map((s) => s.id)).toEqual(['s2']);
    expect(await store.sessions.get('nope')).toBeNull();
  });

  it('refuses a second session with the same id and keeps the first', async () => {
    await store.sessions.create({ id: 's1', title: 'first', startedAt: at });
    await expect(store.sessions.create({ id: 's1', title: 'second', startedAt: at })).rejects.toThrow(
      'exists already',
    );
    expect((await store.sessions.get('s1'))?.title).toBe('first');
  });

  it('numbers events in order across participants and reads them back', async () => {
    await store.sessions.create({ id: 's', title: 't', startedAt: at });
    const a = await store.sessions.append('s', [note('anna', 1, 0.5), note('companion', 1, 0.6)], at);
    const b = await store.sessions.append('s', [note('anna', 2, 1.0, 62)], at);
    expect([...a, ...b].map((x) => x.seq)).toEqual([1, 2, 3]);
    const log = await store.sessions.read('s');
    expect(log.map((e) => [e.seq, e.participant, e.clientSeq, e.t])).toEqual([
      [1, 'anna', 1, 0.5],
      [2, 'companion', 1, 0.6],
      [3, 'anna', 2, 1.0],
    ]);
    expect(log[2]?.payload).toEqual({ pitch: 62, velocity: 80, duration: 0.25 });
    expect((await store.sessions.read('s', { afterSeq: 1, limit: 1 })).map((e) => e.seq)).toEqual([2]);
  });

  it('makes resends harmless: the same events get their first seq back and are stored once', async () => {
    await store.sessions.create({ id: 's', title: 't', startedAt: at });
    const first = await store.sessions.append('s', [note('anna', 1, 0.5), note('anna', 2, 0.7)], at);
    const again = await store.sessions.append('s', [note('anna', 2, 0.7), note('anna', 3, 0.9)], at);
    expect(again).toEqual([
      { participant: 'anna', clientSeq: 2, seq: first[1]?.seq, duplicate: true },
      { participant: 'anna', clientSeq: 3, seq: 3, duplicate: false },
    ]);
    expect((await store.sessions.read('s')).length).toBe(3);
  });

  it('keeps payloads exactly, including nested values and any script', async () => {
    await store.sessions.create({ id: 's', title: 't', startedAt: at });
    const payload = { text: 'Ça chante — 歌 🎵', nested: { list: [1, 2.5, null], flag: true } };
    await store.sessions.append(
      's',
      [{ participant: 'therapist', clientSeq: 0, t: 3, type: 'mark', payload }],
      at,
    );
    expect((await store.sessions.read('s'))[0]?.payload).toEqual(payload);
  });

  it('refuses events for an unknown or closed session and writes nothing', async () => {
    await expect(store.sessions.append('ghost', [note('anna', 1, 0)], at)).rejects.toMatchObject({
      code: 'not-found',
    });
    await store.sessions.create({ id: 's', title: 't', startedAt: at });
    await store.sessions.append('s', [note('anna', 1, 0)], at);
    await store.sessions.close('s', at);
    await expect(store.sessions.append('s', [note('anna', 2, 1)], at)).rejects.toMatchObject({
      code: 'closed',
    });
    expect((await store.sessions.read('s')).length).toBe(1);
  });

  it('refuses a batch with any malformed event and writes none of it', async () => {
    await store.sessions.create({ id: 's', title: 't', startedAt: at });
    const bad: AppendInput[] = [
      { ...note('anna', 1, 0), t: Number.NaN },
      { ...note('anna', 1, 0), t: -1 },
      { ...note('anna', 1, 0), clientSeq: -1 },
      { ...note('anna', 1, 0), clientSeq: 1.5 },
      { ...note('anna', 1, 0), participant: '' },
      { ...note('anna', 1, 0), type: '' },
    ];
    for (const event of bad) {
      const error = await store.sessions
        .append('s', [note('anna', 0, 0), event], at)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('invalid');
    }
    await expect(store.sessions.append('s', [note('anna', 1, 0), note('anna', 1, 0)], at)).rejects.toThrow(
      'twice',
    );
    expect(await store.sessions.read('s')).toEqual([]);
  });

  it("lists one therapist's sessions, counts their events and tallies what a reopened room continues from", async () => {
    await store.sessions.create({ id: 'a', title: 'Anna', therapistId: 't1', startedAt: at });
    await store.sessions.create({ id: 'b', title: 'Ben', therapistId: 't2', startedAt: at });
    expect((await store.sessions.list({ therapistId: 't1' })).map((s) => s.id)).toEqual(['a']);
    expect(await store.sessions.tally('a')).toEqual({ participants: [], lastT: null });
    await store.sessions.append('a', [note('p1', 0, 0.5), note('p1', 7, 2.5), note('therapist', 3, 1)], at);
    await store.sessions.append('a', [note('p1', 7, 2.5)], at);
    const tally = await store.sessions.tally('a');
    expect([...tally.participants].sort((x, y) => x.participant.localeCompare(y.participant))).toEqual([
      { participant: 'p1', clientSeq: 7 },
      { participant: 'therapist', clientSeq: 3 },
    ]);
    expect(tally.lastT).toBe(2.5);
    expect((await store.sessions.get('a'))?.events).toBe(3);
    expect((await store.sessions.get('b'))?.events).toBe(0);
    expect((await store.sessions.get('a'))?.roomCode).toBeNull();
    await store.sessions.setRoomCode('a', 'K7QX2M');
    expect((await store.sessions.get('a'))?.roomCode).toBe('K7QX2M');
  });

  it('appends many sessions in one call, each numbered on from its own log in the order given', async () => {
    for (const id of ['a', 'b', 'c']) await store.sessions.create({ id, title: id, startedAt: at });
    await store.sessions.append('b', [note('p', 0, 0)], at);
    const outcomes = await store.sessions.appendAll([
      { session: 'a', events: [note('p', 0, 0.1), note('q', 0, 0.2)], receivedAt: at },
      { session: 'b', events: [note('p', 1, 0.3)], receivedAt: '2026-11-25T12:00:01.000Z' },
      { session: 'a', events: [note('p', 1, 0.4)], receivedAt: at },
      { session: 'c', events: [], receivedAt: at },
    ]);
    expect(outcomes.map((o) => (o.ok ? o.appended.map((x) => x.seq) : o.error.code))).toEqual([
      [1, 2],
      [2],
      [3],
      [],
    ]);
    expect((await store.sessions.read('a')).map((e) => [e.seq, e.participant, e.clientSeq])).toEqual([
      [1, 'p', 0],
      [2, 'q', 0],
      [3, 'p', 1],
    ]);
    expect((await store.sessions.read('b'))[1]?.receivedAt).toBe('2026-11-25T12:00:01.000Z');
    expect((await store.sessions.get('a'))?.events).toBe(3);
    expect((await store.sessions.get('c'))?.events).toBe(0);
  });

  it('refuses one request of a multi-session append and writes the others', async () => {
    await store.sessions.create({ id: 'ok', title: 't', startedAt: at });
    await store.sessions.create({ id: 'shut', title: 't', startedAt: at });
    await store.sessions.close('shut', at);
    const outcomes = await store.sessions.appendAll([
      { session: 'ghost', events: [note('p', 0, 0)], receivedAt: at },
      { session: 'ok', events: [note('p', 0, 0)], receivedAt: at },
      { session: 'shut', events: [note('p', 0, 0)], receivedAt: at },
      { session: 'ok', events: [note('p', 1, 0), { ...note('p', 2, 0), t: Number.NaN }], receivedAt: at },
      { session: 'ok', events: [note('q', 5, 0), note('q', 5, 0)], receivedAt: at },
      { session: 'ok', events: [note('p', 3, 1)], receivedAt: at },
    ]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual([
      'not-found',
      'ok',
      'closed',
      'invalid',
      'invalid',
      'ok',
    ]);
    for (const o of outcomes) if (!o.ok) expect(o.error).toBeInstanceOf(StoreError);
    expect((await store.sessions.read('ok')).map((e) => [e.seq, e.clientSeq])).toEqual([
      [1, 0],
      [2, 3],
    ]);
    expect(await store.sessions.read('shut')).toEqual([]);
    expect(await store.sessions.get('ghost')).toBeNull();
  });

  it('calls an event given twice in one multi-session append a duplicate of the first, stored once', async () => {
    await store.sessions.create({ id: 's', title: 't', startedAt: at });
    await store.sessions.append('s', [note('p', 0, 0)], at);
    const outcomes = await store.sessions.appendAll([
      { session: 's', events: [note('p', 0, 0), note('p', 1, 0.5)], receivedAt: at },
      { session: 's', events: [note('p', 1, 0.5), note('p', 2, 1)], receivedAt: at },
    ]);
    expect(outcomes).toEqual([
      {
        ok: true,
        appended: [
          { participant: 'p', clientSeq: 0, seq: 1, duplicate: true },
          { participant: 'p', clientSeq: 1, seq: 2, duplicate: false },
        ],
      },
      {
        ok: true,
        appended: [
          { participant: 'p', clientSeq: 1, seq: 2, duplicate: true },
          { participant: 'p', clientSeq: 2, seq: 3, duplicate: false },
        ],
      },
    ]);
    expect((await store.sessions.read('s')).map((e) => e.clientSeq)).toEqual([0, 1, 2]);
  });

  it("takes no other participant's or session's event for a resend", async () => {
    await store.sessions.create({ id: 's', title: 't', startedAt: at });
    await store.sessions.create({ id: 'other', title: 't', startedAt: at });
    await store.sessions.append('s', [note('anna', 6, 0), note('ben', 5, 0)], at);
    await store.sessions.append('other', [note('anna', 5, 0)], at);
    const [outcome] = await store.sessions.appendAll([
      { session: 's', events: [note('anna', 5, 1), note('ben', 6, 1), note('ben', 5, 1)], receivedAt: at },
    ]);
    expect(outcome).toEqual({
      ok: true,
      appended: [
        { participant: 'anna', clientSeq: 5, seq: 3, duplicate: false },
        { participant: 'ben', clientSeq: 6, seq: 4, duplicate: false },
        { participant: 'ben', clientSeq: 5, seq: 2, duplicate: true },
      ],
    });
  });

  it("commits the rooms' appends arriving together through the journal in one transaction", async () => {
    for (let i = 0; i < 20; i++) await store.sessions.create({ id: `r${i}`, title: 't', startedAt: at });
    await store.sessions.close('r7', at);
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.journal.append(`r${i}`, [note('p1', 0, 0.5), note('p2', 0, 0.5)], at),
      ),
    );
    expect(store.journal.tally()).toEqual({ transactions: 1, requests: 20, events: 40 });
    expect(settled.map((s) => s.status === 'fulfilled')).toEqual(
      Array.from({ length: 20 }, (_, i) => i !== 7),
    );
    expect((await store.sessions.get('r19'))?.events).toBe(2);
    expect((await store.sessions.get('r7'))?.events).toBe(0);
  });

  it('hands out distinct, gap-free numbers to concurrent appends', async () => {
    await store.sessions.create({ id: 's', title: 't', startedAt: at });
    const batches = Array.from({ length: 20 }, (_, i) =>
      store.sessions.append('s', [note(`p${i}`, 1, i), note(`p${i}`, 2, i + 0.5)], at),
    );
    const seqs = (await Promise.all(batches)).flat().map((x) => x.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});

describe('openStore', () => {
  it('gives a new studio SQLite under its data folder, and keeps what was written across a reopen', async () => {
    const dir = folder();
    const first = await openStore({ dataDir: join(dir, 'data') });
    expect(first.kind).toBe('sqlite');
    await first.sessions.create({ id: 's', title: 't', startedAt: at });
    await first.sessions.append('s', [note('anna', 1, 0.25)], at);
    await first.close();
    const second = await openStore({ dataDir: join(dir, 'data'), databaseUrl: '' });
    expect((await second.sessions.read('s')).map((e) => e.t)).toEqual([0.25]);
    await second.close();
  });

  it('chooses PostgreSQL when a URL is given', async () => {
    const store = await openStore({ dataDir: '/nonexistent', databaseUrl: POSTGRES_URL });
    expect(store.kind).toBe('postgres');
    await store.close();
  });

  it('fails clearly on an unreachable database', async () => {
    await expect(
      openStore({ dataDir: '/tmp', databaseUrl: 'postgres://nobody@127.0.0.1:1/none' }),
    ).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});
