/**
 * Several studio instances serving one studio behind a load balancer, with Redis between them
 * (`REDIS_URL`) and one PostgreSQL database (`DATABASE_URL`). A device or a therapist's browser may
 * land on any instance:
 *
 * - each room is hosted by exactly one instance, the one that started or resumed its session:
 *   its companion, clock and recorder stay single, so every event is recorded once;
 * - the registry in Redis says which instance hosts which room; an instance refreshes its own
 *   entries every beat, so a crashed instance's rooms disappear within `ttl`;
 * - a device that reaches another instance is bridged to the host over Redis pub/sub;
 * - wrong room codes are counted per address in Redis, so guessing is limited across instances;
 * - the sessions API works from any instance: a session running elsewhere is shown live with its
 *   code (and key, to its therapist), and ending it asks its host to close the room first.
 *
 * One SQLite file cannot be shared by several processes safely, so a cluster needs PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { type LiveSessions, SessionError, type SessionRegistry } from '../live/live-sessions.ts';
import type { Connection, GuessLimit, RoomDirectory, RoomSocket } from '../room/index.ts';
import { Bridges, type DeviceFrame } from './bridges.ts';
import { Registry } from './registry.ts';
import { ClusterRouter } from './router.ts';
import { decodeFrame, encodeFrame, type Frame } from './wire.ts';

/** How an instance joins the cluster. */
export interface ClusterOptions {
  /** redis://host:6379 (or rediss://). */
  readonly url: string;
  /** Prefix of every key and channel (default `attune:`), so studios or test runs can share a Redis. */
  readonly prefix?: string;
  /** Seconds between refreshes of this instance's entries and checks of the others (default 2). */
  readonly beat?: number;
  /** Seconds an instance's entries outlive its last refresh (default three beats). */
  readonly ttl?: number;
  /** Seconds an instance asked to close a room has to answer (default 5). */
  readonly answerWithin?: number;
  readonly guesses: GuessLimit;
  readonly onError: (error: unknown, where: string) => void;
}

/** Why REDIS_URL is refused without DATABASE_URL. */
export const NEEDS_POSTGRES =
  'REDIS_URL needs DATABASE_URL: instances sharing rooms must share one PostgreSQL database (one SQLite file cannot be shared by several processes)';

/** A Redis URL with any password hidden, for messages. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}

async function connectRedis(url: string, name: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    connectTimeout: 5000,
    // Named, so an operator (or a test) can tell the links apart in CLIENT LIST.
    connectionName: name,
  });
  redis.on('error', () => {
    // Reported where a command fails; reconnecting is ioredis's.
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis at ${shown(url)} could not be reached: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return redis;
}

interface Pending {
  readonly host: string;
  readonly resolve: (error: string) => void;
}

/** This instance's part in the cluster. */
export class Cluster {
  readonly instance: string;
  readonly registry: Registry;
  readonly bridges: Bridges;
  readonly router: ClusterRouter;
  /** The live sessions' view of the registry. */
  readonly sessions: SessionRegistry;
  private directory: RoomDirectory | null = null;
  private live: LiveSessions | null = null;
  private readonly pending = new Map<string, Pending>();
  /** Frames for bridged devices waiting to go out, by instance. */
  private readonly outbox = new Map<string, Frame[]>();
  /**
   * Refreshes and releases run one at a time, so a refresh that read the rooms before one closed
   * cannot write that room's entries back after its release.
   */
  private turn: Promise<unknown> = Promise.resolve();
  /** Instances to tell, once the links are back, that this one ended its bridges with them. */
  private readonly resets = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly beatMs: number;

  private constructor(
    private readonly options: ClusterOptions,
    instance: string,
    private readonly pub: Redis,
    private readonly sub: Redis,
  ) {
    this.instance = instance;
    this.beatMs = (options.beat ?? 2) * 1000;
    this.registry = new Registry(pub, {
      prefix: options.prefix ?? 'attune:',
      instance: this.instance,
      ttl: Math.round((options.ttl ?? 3 * (options.beat ?? 2)) * 1000),
      guesses: options.guesses,
    });
    this.bridges = new Bridges({
      instance: this.instance,
      publish: (to, frame) => this.publish(to, frame),
      toDevice: (to, conn, frame) => this.toDevice(to, conn, frame),
    });
    this.router = new ClusterRouter({
      registry: this.registry,
      bridges: this.bridges,
      directory: () => this.rooms,
      awaited: (code) => this.live?.awaits(code) ?? false,
      onError: options.onError,
    });
    const registry = this.registry;
    this.sessions = {
      claim: (session, code, key) => registry.claim(session, code, key),
      release: (session, code, ended) => this.inTurn(() => registry.release(session, code, ended)),
      elsewhere: async (ids) => {
        const found = await registry.running(ids);
        const away = new Map<string, { code: string; key: string }>();
        for (const [id, r] of found) if (r.instance !== this.instance) away.set(id, r);
        return away;
      },
      closeElsewhere: (session) => this.closeElsewhere(session),
    };
  }

  /** Connects to Redis and listens on this instance's channel. */
  static async join(options: ClusterOptions): Promise<Cluster> {
    const instance = randomBytes(9).toString('base64url');
    const pub = await connectRedis(options.url, `attune-${instance}-pub`);
    let sub: Redis;
    try {
      sub = await connectRedis(options.url, `attune-${instance}-sub`);
    } catch (error) {
      pub.disconnect();
      throw error;
    }
    const cluster = new Cluster(options, instance, pub, sub);
    try {
      await cluster.listen();
    } catch (error) {
      pub.disconnect();
      sub.disconnect();
      throw error;
    }
    return cluster;
  }

  private get rooms(): RoomDirectory {
    if (!this.directory) throw new Error('the cluster has no room directory yet');
    return this.directory;
  }

  /** Takes the directory and sessions of this instance and starts keeping them alive. */
  attach(directory: RoomDirectory, live: LiveSessions): void {
    this.directory = directory;
    this.live = live;
    this.bridges.attach(directory);
    this.schedule(0);
  }

  /** A device's connection arriving at this instance (what the WebSocket door calls). */
  connect(socket: RoomSocket, peer: string): Connection {
    return this.bridges.connect(socket, peer);
  }

  /** Sends away every bridged device (this instance stops); rooms close after, sessions stay open. */
  leave(): void {
    this.bridges.leave();
  }

  /** Stops keeping this instance alive, forgets it in Redis and closes the links. */
  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const p of this.pending.values()) p.resolve('stopping');
    this.pending.clear();
    try {
      await this.registry.leave();
    } catch (error) {
      this.options.onError(error, 'leaving the cluster');
    }
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }

  private async listen(): Promise<void> {
    this.sub.on('message', (_channel: string, text: string) => this.receive(text));
    // Frames may be lost while a link is down: every bridge ends, so devices reconnect, and once
    // the links are back the instances at the other ends are told to end theirs too (what this
    // one published meanwhile, such as a device's end, may never have reached them).
    for (const link of [this.sub, this.pub]) {
      link.on('close', () => {
        if (this.stopped) return;
        for (const peer of this.bridges.cut()) this.resets.add(peer);
      });
      link.on('ready', () => this.sendResets());
    }
    await this.sub.subscribe(this.registry.channel(this.instance));
    await this.registry.refresh([]);
  }

  private sendResets(): void {
    if (this.stopped || this.sub.status !== 'ready' || this.pub.status !== 'ready') return;
    for (const peer of this.resets) this.publish(peer, { kind: 'reset', from: this.instance });
    this.resets.clear();
  }

  /**
   * Queues a frame for a bridged device; the queue of each instance goes out, in order, once the
   * code now running is done, so a room's broadcast to many devices on one instance is one frame.
   */
  private toDevice(to: string, conn: string, frame: DeviceFrame): void {
    let queue = this.outbox.get(to);
    if (!queue) {
      queue = [];
      this.outbox.set(to, queue);
      if (this.outbox.size === 1) queueMicrotask(() => this.flush());
    }
    const last = queue[queue.length - 1];
    if (frame.kind === 'close') queue.push({ kind: 'close', conn, code: frame.code, reason: frame.reason });
    else if (last?.kind === 'down' && last.text === frame.text) (last.conns as string[]).push(conn);
    else queue.push({ kind: 'down', conns: [conn], text: frame.text });
  }

  private flush(): void {
    const outbox = [...this.outbox];
    this.outbox.clear();
    for (const [to, frames] of outbox) for (const frame of frames) this.publish(to, frame);
  }

  private publish(to: string, frame: Frame): void {
    this.pub.publish(this.registry.channel(to), encodeFrame(frame)).catch((error: unknown) => {
      if (!this.stopped) this.options.onError(error, `sending a ${frame.kind} frame to ${to}`);
    });
  }

  private receive(text: string): void {
    const frame = decodeFrame(text);
    if (!frame) {
      this.options.onError(new Error(`not a frame: ${text.slice(0, 80)}`), 'the cluster channel');
      return;
    }
    try {
      if (frame.kind === 'end') this.endHere(frame.id, frame.from, frame.session);
      else if (frame.kind === 'ended') this.pending.get(frame.id)?.resolve(frame.error);
      else if (frame.kind === 'reset') this.bridges.reset(frame.from);
      else this.bridges.receive(frame);
    } catch (error) {
      this.options.onError(error, `handling a ${frame.kind} frame`);
    }
  }

  private endHere(id: string, from: string, session: string): void {
    const live = this.live;
    if (!live) return;
    live.closeHere(session).then(
      () => this.publish(from, { kind: 'ended', id, error: '' }),
      (error: unknown) => {
        if (!(error instanceof SessionError)) this.options.onError(error, `closing the room of ${session}`);
        this.publish(from, { kind: 'ended', id, error: error instanceof SessionError ? 'busy' : 'failed' });
      },
    );
  }

  private async closeElsewhere(session: string): Promise<void> {
    const running = (await this.registry.running([session])).get(session);
    if (!running || running.instance === this.instance) return;
    const host = running.instance;
    const id = randomBytes(9).toString('base64url');
    const answer = new Promise<string | null>((resolve) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(id);
          resolve(null);
        },
        (this.options.answerWithin ?? 5) * 1000,
      );
      this.pending.set(id, {
        host,
        resolve: (error) => {
          clearTimeout(timer);
          this.pending.delete(id);
          resolve(error);
        },
      });
    });
    this.publish(host, { kind: 'end', id, from: this.instance, session });
    const error = await answer;
    if (error === '') return;
    if (error === null && !(await this.registry.alive([host])).has(host)) return;
    throw new SessionError(
      409,
      'live',
      error === 'busy'
        ? 'This session is being changed already: try again in a moment.'
        : 'The studio server running this session did not close its room: try again in a moment.',
    );
  }

  private inTurn<T>(run: () => Promise<T>): Promise<T> {
    const next = this.turn.then(run, run);
    this.turn = next.catch(() => {});
    return next;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.beat().then(
        () => this.schedule(this.beatMs),
        (error: unknown) => {
          if (!this.stopped) this.options.onError(error, 'keeping this studio server in the cluster');
          this.schedule(this.beatMs);
        },
      );
    }, delay);
    this.timer.unref();
  }

  /** One beat: this instance and its rooms kept alive, the instances bridges depend on checked. */
  private async beat(): Promise<void> {
    const live = this.live;
    if (!live) return;
    const lost = await this.inTurn(() => this.registry.refresh(live.rooms()));
    for (const r of lost) {
      // Another instance took this room over while this one was taken for dead: one host only.
      this.options.onError(new Error(`room ${r.code} is hosted by another studio server now`), 'cluster');
      await live.closeHere(r.session).catch(() => {});
    }
    const peers = this.bridges.peers();
    const alive = await this.registry.alive(peers);
    for (const p of peers) if (!alive.has(p)) this.bridges.lost(p);
  }
}
