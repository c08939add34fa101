import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { recordsDb } from '../records/tables.ts';
import { testStores } from '../storage/test-stores.ts';
import { sessionEntries } from './access.ts';

const stores = testStores('exports');
afterAll(() => stores.removeAll());

describe.each(stores.backends)('sessionEntries (%s)', (_kind, open) => {
  it('reads the log in order with its times exact; a payload that is not JSON reads as null', async () => {
    const store = await open();
    try {
      await store.sessions.create({ id: 's1', title: 'x', startedAt: '2026-11-25T10:00:00Z' });
      const event = (t: number, pitch: number) => ({ type: 'note', t, pitch, velocity: 80, duration: 0.25 });
      await store.sessions.append(
        's1',
        [
          { participant: 'p1', clientSeq: 1, t: 1.1, type: 'play', payload: { event: event(1.1, 60) } },
          {
            participant: 'therapist',
            clientSeq: 1,
            t: 0.1 + 0.2,
            type: 'mark',
            payload: { note: 'é "quoted"', tags: [] },
          },
          { participant: 'p2', clientSeq: 1, t: 2, type: 'play', payload: { event: event(2, 62) } },
        ],
        '2026-11-25T10:00:05Z',
      );
      const db = recordsDb(store.db);
      const entries = await sessionEntries(db, 's1');
      expect(entries.map((e) => [e.seq, e.participant, e.t, e.type])).toEqual([
        [1, 'p1', 1.1, 'play'],
        [2, 'therapist', 0.1 + 0.2, 'mark'],
        [3, 'p2', 2, 'play'],
      ]);
      expect(entries[1]?.payload).toEqual({ note: 'é "quoted"', tags: [] });
      expect(await sessionEntries(db, 'no-such-session')).toEqual([]);

      await sql`update session_event set payload = ${'{not json'} where seq = 2`.execute(db);
      const mended = await sessionEntries(db, 's1');
      expect(mended.map((e) => e.payload === null)).toEqual([false, true, false]);
      expect(mended[2]?.payload).toEqual({ event: event(2, 62) });
    } finally {
      await store.close();
    }
  });
});
