/**
 * Live sessions over the registry while Redis cannot be reached (a real client to a port where
 * nothing listens): the sessions are still listed from the database, and a room whose code
 * cannot be claimed is not opened.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../accounts/accounts.ts';
import { LiveSessions, type SessionRegistry } from '../live/live-sessions.ts';
import { DEFAULT_GUESS_LIMIT, ManualScheduler, RoomDirectory } from '../room/index.ts';
import { openSqlite, type Store } from '../storage/index.ts';
import { Registry } from './registry.ts';

const anna: User = { id: 'u1', name: 'Anna Berg', email: 'anna@clinic.example', role: 'admin' };

let store: Store;
let dead: Redis;

beforeEach(async () => {
  store = await openSqlite(':memory:');
  dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false });
  dead.on('error', () => {});
});
afterEach(async () => {
  dead.disconnect();
  await store.close();
});

function sessions(errors: string[]): LiveSessions {
  const registry = new Registry(dead, {
    prefix: 'attune_unreachable:',
    instance: 'here',
    ttl: 10_000,
    guesses: DEFAULT_GUESS_LIMIT,
  });
  const shared: SessionRegistry = {
    claim: (session, code, key) => registry.claim(session, code, key),
    release: (session, code, ended) => registry.release(session, code, ended),
    elsewhere: async (ids) => new Map(await registry.running(ids)),
    closeElsewhere: async () => {},
  };
  const clock = new ManualScheduler();
  return new LiveSessions({
    log: store.sessions,
    directory: new RoomDirectory({ now: () => clock.now, scheduler: clock }),
    monotonic: () => clock.now,
    now: () => Date.parse('2026-11-25T10:00:00.000Z'),
    companion: false,
    onError: (_error, where) => errors.push(where),
    registry: shared,
  });
}

describe('live sessions while Redis cannot be reached', () => {
  it('lists the sessions from the database, none shown live', async () => {
    await store.sessions.create({
      id: 's1',
      title: 'Tuesday group',
      therapistId: anna.id,
      startedAt: '2026-11-25T09:00:00.000Z',
    });
    await store.sessions.setRoomCode('s1', 'ABC234');
    const errors: string[] = [];
    const live = sessions(errors);
    const listed = await live.list(anna);
    expect(listed.map((s) => [s.stored.id, s.code, s.key])).toEqual([['s1', null, null]]);
    expect((await live.get(anna, 's1')).code).toBeNull();
    expect(errors).toEqual([
      'looking up the rooms of other studio servers',
      'looking up the rooms of other studio servers',
    ]);
  });

  it('opens no room whose code it cannot claim: the session stays open, to be resumed', async () => {
    const live = sessions([]);
    await expect(live.start(anna, 'Tuesday group')).rejects.toThrow(
      /enableOfflineQueue|Stream isn't writeable/,
    );
    const [left] = await store.sessions.list({});
    expect(left).toMatchObject({ title: 'Tuesday group', status: 'open' });
    expect(live.rooms()).toEqual([]);
    expect(live.isLive(left?.id as string)).toBe(false);
  });
});
