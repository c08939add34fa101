/**
 * What the cluster tests share: studios sharing one fresh PostgreSQL database (at 127.0.0.1:5432)
 * and one Redis (at 127.0.0.1:6379) under a key prefix of their own, all removed again by
 * `dispose`, and the therapist's and participants' usual steps over real WebSockets.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { StudioOptions } from '../app.ts';
import { loggedIn, tempStudio, WsDevice } from '../test-support.ts';

export const REDIS_URL = process.env.ATTUNE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const POSTGRES_URL = process.env.ATTUNE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * One statement on the server's `test` database with a plain client: opening the studio's store
 * there would run its migrations, and Kysely's migrator may then find another test's schema (being
 * dropped at that moment) and fail.
 */
async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export const anna = { name: 'Anna Berg', email: 'anna@clinic.example', password: 'correct horse battery' };

type TempStudio = Awaited<ReturnType<typeof tempStudio>>;

let runs = 0;

/** Keys of a Redis prefix (for checks and clean-up). */
export async function keysOf(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/** Studios of one cluster under test. */
export class TestCluster {
  readonly studios: TempStudio[] = [];
  readonly devices: WsDevice[] = [];
  readonly processes: ChildProcess[] = [];

  private constructor(
    readonly databaseUrl: string,
    private readonly database: string,
    readonly prefix: string,
    readonly redis: Redis,
  ) {}

  /** A fresh database and key prefix. */
  static async create(): Promise<TestCluster> {
    const run = `${process.pid}_${Date.now().toString(36)}_${runs++}`;
    const database = `attune_cluster_${run}`;
    await adminQuery(`create database ${database}`);
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${database}`;
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    await redis.connect();
    return new TestCluster(url.toString(), database, `attune_test_${run}:`, redis);
  }

  /** A studio instance of this cluster (quick beats, so a crash is noticed within about two seconds, yet a busy test machine stalling a process for a second is not taken for one). */
  async studio(options: Partial<StudioOptions> = {}): Promise<TempStudio> {
    const studio = await tempStudio({
      databaseUrl: this.databaseUrl,
      redisUrl: REDIS_URL,
      cluster: { prefix: this.prefix, beat: 0.2, ttl: 2, answerWithin: 3 },
      ...options,
    });
    this.studios.push(studio);
    return studio;
  }

  /** A studio instance of this cluster in a process of its own (to be killed). */
  async process(options: Partial<StudioOptions> = {}): Promise<{ url: string; child: ChildProcess }> {
    const dir = mkdtempSync(join(tmpdir(), 'attune-instance-'));
    const settings: Partial<StudioOptions> = {
      port: 0,
      host: '127.0.0.1',
      dataDir: join(dir, 'data'),
      webDir: join(dir, 'no-web-app'),
      databaseUrl: this.databaseUrl,
      redisUrl: REDIS_URL,
      cluster: { prefix: this.prefix, beat: 0.2, ttl: 2, answerWithin: 3 },
      ...options,
    };
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'test-instance.ts')],
      {
        env: { ...process.env, ATTUNE_TEST_STUDIO: JSON.stringify(settings) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.processes.push(child);
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the instance did not start: ${out}`)), 20_000);
      const read = (chunk: Buffer) => {
        out += chunk.toString();
        const match = /^listening (\S+)$/m.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.on('exit', (code) => reject(new Error(`the instance exited with ${code}: ${out}`)));
    });
    return { url, child };
  }

  /** A device connected to a studio, closed by `dispose`. */
  async device(base: string, headers: Record<string, string> = {}): Promise<WsDevice> {
    const d = await WsDevice.open(base, { headers });
    this.devices.push(d);
    return d;
  }

  /** Keys this cluster has in Redis now. */
  keys(): Promise<string[]> {
    return keysOf(this.redis, this.prefix);
  }

  /** Closes every device and studio, drops the database and deletes the keys. */
  async dispose(): Promise<void> {
    for (const d of this.devices.splice(0)) d.close();
    for (const p of this.processes.splice(0)) p.kill('SIGKILL');
    await Promise.allSettled(this.studios.splice(0).map((s) => s.close()));
    const keys = await this.keys();
    if (keys.length > 0) await this.redis.del(...keys);
    await this.redis.quit();
    await adminQuery(`drop database if exists ${this.database} with (force)`);
  }
}

/** Sets the studio up (first therapist) through `base`, or logs in when it is set up already. */
export function therapistOn(base: string, setup: boolean) {
  return loggedIn(base, anna, setup);
}

/** A therapist's console connected to a session's room through `base`. */
export async function consoleOn(cluster: TestCluster, base: string, code: string, key: string) {
  const therapist = await cluster.device(base);
  therapist.hello({ role: 'therapist', room: code, key, device: 'console' });
  const welcome = await therapist.next('welcome');
  return { therapist, welcome };
}

/** A participant joined by code through `base` and admitted by the therapist. */
export async function admittedOn(
  cluster: TestCluster,
  base: string,
  therapist: WsDevice,
  code: string,
  name: string,
) {
  const player = await cluster.device(base);
  player.hello({ role: 'participant', room: code, device: `tablet-${name}`, name });
  const waiting = await player.next('waiting');
  await therapist.next('state', (s) => s.waiting.some((w) => w.participant === waiting.participant));
  therapist.send({ type: 'admit', participant: waiting.participant });
  const admit = await player.next('admitted');
  return { player, participant: waiting.participant, resume: waiting.resume, admit };
}
