/** The shared directory against Redis for real (127.0.0.1:6379), under a key prefix of its own. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GUESS_LIMIT } from '../room/index.ts';
import { Registry } from './registry.ts';
import { keysOf, REDIS_URL } from './test-support.ts';

let redis: Redis;
let prefix: string;
let runs = 0;

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
});
afterAll(async () => {
  const keys = await keysOf(redis, `attune_registry_${process.pid}_`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});
beforeEach(() => {
  prefix = `attune_registry_${process.pid}_${Date.now().toString(36)}_${runs++}:`;
});

function registry(instance: string, ttl = 10_000, guesses = DEFAULT_GUESS_LIMIT): Registry {
  return new Registry(redis, { prefix, instance, ttl, guesses });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the registry of rooms', () => {
  it('gives a code and a session to one instance only', async () => {
    const a = registry('A');
    const b = registry('B');
    await a.refresh([]);
    await b.refresh([]);
    expect(await a.claim('s1', 'ABC234', 'key1')).toBe('ok');
    expect(await b.claim('s1', 'ABC234', 'key2')).toBe('session-live');
    expect(await b.claim('s1', 'XYZ789', 'key2')).toBe('session-live');
    expect(await b.claim('s2', 'ABC234', 'key2')).toBe('code-taken');
    expect(await a.claim('s2', 'ABC234', 'key2')).toBe('code-taken');
    expect(await a.host('ABC234')).toBe('A');
    expect(await b.host('ABC234')).toBe('A');
    expect(await b.host('NOPE22')).toBeNull();
    expect(await b.running(['s1', 's2'])).toEqual(
      new Map([['s1', { instance: 'A', code: 'ABC234', key: 'key1' }]]),
    );
  });

  it("lets another instance take over a dead instance's room, and tells the dead one it lost it", async () => {
    const a = registry('A', 300);
    const b = registry('B', 300);
    await a.refresh([]);
    expect(await a.claim('s1', 'ABC234', 'key1')).toBe('ok');
    // A stops refreshing: within its time to live it is still the host...
    expect(await b.claim('s1', 'ABC234', 'key2')).toBe('session-live');
    await sleep(400);
    // ...then it is gone, and so are its entries (the code stays awaited: the session is open).
    expect(await b.host('ABC234')).toBeNull();
    expect(await b.running(['s1'])).toEqual(new Map());
    expect(await b.awaited('ABC234')).toBe(true);
    await b.refresh([]);
    expect(await b.claim('s1', 'ABC234', 'key2')).toBe('ok');
    // A comes back to life (a long pause): its room is B's now and it must close it.
    const hosted = { session: 's1', code: 'ABC234', key: 'key1' };
    expect(await a.refresh([hosted])).toEqual([hosted]);
    expect(await b.host('ABC234')).toBe('B');
  });

  it('writes its rooms again after Redis lost them', async () => {
    const a = registry('A');
    await a.refresh([]);
    expect(await a.claim('s1', 'ABC234', 'key1')).toBe('ok');
    await redis.del(...(await keysOf(redis, prefix)));
    expect(await a.host('ABC234')).toBeNull();
    expect(await a.refresh([{ session: 's1', code: 'ABC234', key: 'key1' }])).toEqual([]);
    expect(await a.host('ABC234')).toBe('A');
    expect(await a.awaited('ABC234')).toBe(true);
    expect((await a.running(['s1'])).get('s1')).toEqual({ instance: 'A', code: 'ABC234', key: 'key1' });
  });

  it("releases only its own entries; an ended session's code is no longer awaited", async () => {
    const a = registry('A');
    const b = registry('B');
    await a.refresh([]);
    await b.refresh([]);
    expect(await a.claim('s1', 'ABC234', 'key1')).toBe('ok');
    await b.release('s1', 'ABC234', false);
    expect(await b.host('ABC234')).toBe('A');
    await a.release('s1', 'ABC234', false);
    expect(await b.host('ABC234')).toBeNull();
    expect(await b.awaited('ABC234')).toBe(true);
    await b.release('s1', 'ABC234', true);
    expect(await b.awaited('ABC234')).toBe(false);
    // Nothing of the session is left but the instances themselves.
    expect((await keysOf(redis, prefix)).sort()).toEqual([`${prefix}instance:A`, `${prefix}instance:B`]);
  });

  it('knows which instances live and forgets one that leaves', async () => {
    const a = registry('A');
    const b = registry('B');
    await a.refresh([]);
    await b.refresh([]);
    expect(await a.alive(['A', 'B', 'C'])).toEqual(new Set(['A', 'B']));
    await b.leave();
    expect(await a.alive(['A', 'B'])).toEqual(new Set(['A']));
  });
});

describe('wrong guesses across instances', () => {
  it('locks an address out on every instance once it reaches the limit, and no other address', async () => {
    const limit = { max: 3, window: 60, lockout: 300 };
    const a = registry('A', 10_000, limit);
    const b = registry('B', 10_000, limit);
    await a.wrong('203.0.113.9');
    await b.wrong('203.0.113.9');
    expect(await a.locked('203.0.113.9')).toBe(false);
    await a.wrong('203.0.113.9');
    expect(await a.locked('203.0.113.9')).toBe(true);
    expect(await b.locked('203.0.113.9')).toBe(true);
    expect(await b.locked('198.51.100.7')).toBe(false);
  });

  it('forgets guesses after the window and lifts the lockout after its time', async () => {
    const limit = { max: 2, window: 0.2, lockout: 0.3 };
    const a = registry('A', 10_000, limit);
    await a.wrong('x y');
    await sleep(300);
    await a.wrong('x y');
    expect(await a.locked('x y')).toBe(false);
    await a.wrong('x y');
    expect(await a.locked('x y')).toBe(true);
    await sleep(400);
    expect(await a.locked('x y')).toBe(false);
  });
});
