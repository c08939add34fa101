import { afterEach, describe, expect, it } from 'vitest';
import { type AppendInput, openSqlite, type Store } from '../storage/index.ts';
import { type LogWriter, Recorder } from './recorder.ts';

const event = (participant: string, clientSeq: number): AppendInput => ({
  participant,
  clientSeq,
  t: clientSeq * 0.1,
  type: 'play',
  payload: { clientSeq },
});

let store: Store | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});

async function open(): Promise<Store> {
  store = await openSqlite(':memory:');
  await store.sessions.create({ id: 's', title: 'x', startedAt: '2026-11-25T10:00:00.000Z' });
  return store;
}

/** A writer that counts its transactions. */
function counting(s: Store, calls: number[]): LogWriter {
  return {
    append: (session, events, at) => {
      calls.push(events.length);
      return s.sessions.append(session, events, at);
    },
  };
}

describe('Recorder', () => {
  it('sends the events of one turn as one request, in arrival order', async () => {
    const s = await open();
    const calls: number[] = [];
    const recorder = new Recorder(counting(s, calls), 's', () => '2026-11-25T10:00:01.000Z');
    const results = await Promise.all(
      [event('a', 0), event('b', 0), event('a', 1)].map((e) => recorder.record(e)),
    );
    expect(calls).toEqual([3]);
    expect(results.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(results.every((r) => !r.duplicate)).toBe(true);
  });

  it('sends the next turn without waiting for the write before it, and idle() waits for both', async () => {
    const s = await open();
    const calls: number[] = [];
    const gates: Array<() => void> = [];
    const gated: LogWriter = {
      append: async (session, events, at) => {
        calls.push(events.length);
        await new Promise<void>((resolve) => gates.push(resolve));
        return s.sessions.append(session, events, at);
      },
    };
    const recorder = new Recorder(gated, 's', () => 'now');
    const first = recorder.record(event('a', 0));
    await new Promise((resolve) => setImmediate(resolve));
    const later = [recorder.record(event('a', 1)), recorder.record(event('a', 2))];
    await new Promise((resolve) => setImmediate(resolve));
    // Both requests are with the log; ordering them is the log's (the journal's) part.
    expect(calls).toEqual([1, 2]);
    let idle = false;
    const waiting = recorder.idle().then(() => {
      idle = true;
    });
    for (const release of gates) release();
    await waiting;
    expect(idle).toBe(true);
    expect((await Promise.all([first, ...later])).map((a) => a.seq)).toEqual([1, 2, 3]);
  });

  it('keeps the order of its turns through the studio journal', async () => {
    const s = await open();
    const recorder = new Recorder(s.journal, 's', () => 'now');
    const all: Promise<unknown>[] = [];
    for (let turn = 0; turn < 5; turn++) {
      for (let i = 0; i < 3; i++) all.push(recorder.record(event('a', turn * 3 + i)));
      await Promise.resolve();
    }
    await Promise.all(all);
    expect((await s.sessions.read('s')).map((e) => e.clientSeq)).toEqual(
      Array.from({ length: 15 }, (_, i) => i),
    );
  });

  it('sends an event recorded twice in one turn once, and calls the second copy a resend', async () => {
    const s = await open();
    const recorder = new Recorder(s.sessions, 's', () => 'now');
    const [a, b] = await Promise.all([recorder.record(event('a', 5)), recorder.record(event('a', 5))]);
    expect(a).toEqual({ participant: 'a', clientSeq: 5, seq: 1, duplicate: false });
    expect(b).toEqual({ participant: 'a', clientSeq: 5, seq: 1, duplicate: true });
    expect((await s.sessions.read('s')).length).toBe(1);
    expect(await recorder.record(event('a', 5))).toMatchObject({ seq: 1, duplicate: true });
  });

  it('refuses every event of a request the store refused, and writes the next', async () => {
    const s = await open();
    let fail = true;
    const writer: LogWriter = {
      append: async (session, events, at) => {
        if (fail) throw new Error('disk full');
        return s.sessions.append(session, events, at);
      },
    };
    const recorder = new Recorder(writer, 's', () => 'now');
    const refused = await Promise.allSettled([
      recorder.record(event('a', 0)),
      recorder.record(event('a', 1)),
    ]);
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await recorder.record(event('a', 0))).toMatchObject({ seq: 1, duplicate: false });
    await recorder.idle();
  });
});
