/**
 * The hello router of one instance over in-memory sockets, against Redis for real: messages that
 * arrive while a hello is routed keep their order, and rooms hosted here keep taking devices while
 * Redis cannot be reached.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GUESS_LIMIT, type RoomDirectory } from '../room/index.ts';
import { Device, roomSetup } from '../room/test-support.ts';
import { Bridges } from './bridges.ts';
import { Registry } from './registry.ts';
import { ClusterRouter, roomOfToken } from './router.ts';
import { keysOf, REDIS_URL } from './test-support.ts';

const prefix = `attune_router_${process.pid}_${Date.now().toString(36)}:`;
let live: Redis;

beforeAll(async () => {
  live = new Redis(REDIS_URL, { lazyConnect: true });
  await live.connect();
});
afterAll(async () => {
  const keys = await keysOf(live, prefix);
  if (keys.length > 0) await live.del(...keys);
  await live.quit();
});

/** A directory whose hellos go through the cluster router, over `redis`. */
async function routed(redis: Redis) {
  const registry = new Registry(redis, {
    prefix,
    instance: 'here',
    ttl: 10_000,
    guesses: DEFAULT_GUESS_LIMIT,
  });
  const errors: string[] = [];
  const bridges = new Bridges({ instance: 'here', publish: () => {}, toDevice: () => {} });
  let directory: RoomDirectory | null = null;
  const router = new ClusterRouter({
    registry,
    bridges,
    directory: () => directory as RoomDirectory,
    awaited: () => false,
    onError: (_error, where) => errors.push(where),
  });
  const setup = await roomSetup({ directory: { router, codeInTokens: true } });
  directory = setup.directory;
  bridges.attach(setup.directory);
  return { ...setup, errors };
}

/** Lets pending Redis answers and the routing after them happen. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('the cluster hello router', () => {
  it('keeps what a device sends while its hello is routed, in order, and gives it a token that names its room', async () => {
    const { directory, room } = await routed(live);
    const device = new Device(directory);
    device.join('participant', room.code);
    device.send({ type: 'ping', id: 7, t0: 1.5 });
    await until(() => device.all('pong').length > 0);
    expect(device.take().length).toBe(0);
    expect(device.inbox.map((m) => m.type)).toEqual(['waiting', 'pong']);
    expect(device.last('pong')).toMatchObject({ id: 7, t0: 1.5 });
    expect(roomOfToken(device.token as string)).toBe(room.code);
  });

  it('lets devices into the rooms hosted here while Redis cannot be reached, and asks the others to try again', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false });
    dead.on('error', () => {});
    try {
      const { directory, room, errors } = await routed(dead);
      const device = new Device(directory);
      device.join('participant', room.code);
      await until(() => device.all('waiting').length > 0);
      expect(device.last('waiting')).toBeDefined();
      expect(errors).toContain('checking the guesses of 192.168.1.20');

      const elsewhere = new Device(directory, '192.168.1.21');
      elsewhere.join('participant', 'ZZZZZ2');
      await until(() => elsewhere.all('refused').length > 0);
      expect(elsewhere.last('refused')).toMatchObject({
        code: 'not-joined',
        message: 'the hello could not be handled: try again in a moment',
      });
      expect(room.view().map((m) => m.role)).toEqual(['participant']);
    } finally {
      dead.disconnect();
    }
  });
});

describe('room codes in resume tokens', () => {
  it('reads the code from a token of the cluster, and nothing from any other', () => {
    expect(roomOfToken('K7QP2MQm4sT9vX2bK7nR1wE5yU0a')).toBe('K7QP2M');
    for (const token of [
      'Qm4sT9vX2bK7nR1wE5yU0a',
      'k7qp2mQm4sT9vX2bK7nR1wE5yU0a',
      'K7QP2MQm4sT9vX2bK7nR1wE5yU0',
      'K7QP1MQm4sT9vX2bK7nR1wE5yU0a',
    ])
      expect(roomOfToken(token), token).toBeNull();
  });
});
