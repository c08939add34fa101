/**
 * The shared directory of the studio instances, kept in Redis:
 *
 *   {prefix}instance:{id}    present while instance `id` lives (refreshed every beat, expires
 *                            after `ttl`: a crashed instance disappears by itself)
 *   {prefix}room:{code}      "{instance} {session}": which instance hosts the room with this code
 *   {prefix}live:{session}   "{instance} {code} {key}": the session's running room, so any
 *                            instance can show it (and hand its therapist the key) or end it
 *   {prefix}open:{code}      the session whose code this is, until the session ends: a device
 *                            retrying it while no room runs is told to wait, not counted as guessing
 *   {prefix}guess:{peer}     wrong codes, tokens and keys from an address in the current window
 *   {prefix}lock:{peer}      present while the address is turned away
 *
 * Room and live keys expire with their instance unless refreshed, so an instance that died leaves
 * nothing that outlives it by more than `ttl`. Every check-and-set is one Lua script, so two
 * instances claiming one code or one session cannot both win.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { GuessLimit } from '../room/directory.ts';

/** Lua scripts run by SHA, loaded again by text when Redis lost them (after a restart). */
class Script {
  private readonly sha: string;
  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}

/** An owner is alive when it is the caller or its instance key is present. */
const ALIVE = `
local function alive(owner)
  return owner == ARGV[1] or redis.call('EXISTS', ARGV[2] .. owner) == 1
end
`;

/** KEYS room, live, open; ARGV me, instancePrefix, session, code, key, ttlMs. */
const CLAIM = new Script(`${ALIVE}
local l = redis.call('GET', KEYS[2])
if l then
  local owner = string.match(l, '^(%S+)')
  if owner ~= ARGV[1] and alive(owner) then return 'session-live' end
end
local r = redis.call('GET', KEYS[1])
if r then
  local owner, session = string.match(r, '^(%S+) (%S+)$')
  if session ~= ARGV[3] and alive(owner) then return 'code-taken' end
end
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[3], 'PX', ARGV[6])
redis.call('SET', KEYS[2], ARGV[1] .. ' ' .. ARGV[4] .. ' ' .. ARGV[5], 'PX', ARGV[6])
redis.call('SET', KEYS[3], ARGV[3])
return 'ok'
`);

/** KEYS room, live, open; ARGV me, session, ended ('1' or '0'). */
const RELEASE = new Script(`
if redis.call('GET', KEYS[1]) == ARGV[1] .. ' ' .. ARGV[2] then redis.call('DEL', KEYS[1]) end
local l = redis.call('GET', KEYS[2])
if l and string.match(l, '^(%S+)') == ARGV[1] then redis.call('DEL', KEYS[2]) end
if ARGV[3] == '1' and redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
return 1
`);

/** KEYS room; ARGV me, instancePrefix: the live instance hosting the room, or false. */
const ROUTE = new Script(`${ALIVE}
local r = redis.call('GET', KEYS[1])
if not r then return false end
local owner = string.match(r, '^(%S+)')
if owner and alive(owner) then return owner end
return false
`);

/**
 * KEYS instance, then the room, live and open key of each room here; ARGV me, ttlMs, then each
 * room's session, code and key. Keeps what is still this instance's (writing it again if Redis
 * lost it, after a restart) and returns the (1-based) rooms another instance has taken over.
 */
const REFRESH = new Script(`
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
local lost = {}
for n = 1, (#KEYS - 1) / 3 do
  local room, live, open = KEYS[3 * n - 1], KEYS[3 * n], KEYS[3 * n + 1]
  local session, code, key = ARGV[3 * n], ARGV[3 * n + 1], ARGV[3 * n + 2]
  local r = redis.call('GET', room)
  local l = redis.call('GET', live)
  if (r == false or r == ARGV[1] .. ' ' .. session) and (l == false or string.match(l, '^(%S+)') == ARGV[1]) then
    redis.call('SET', room, ARGV[1] .. ' ' .. session, 'PX', ARGV[2])
    redis.call('SET', live, ARGV[1] .. ' ' .. code .. ' ' .. key, 'PX', ARGV[2])
    redis.call('SET', open, session, 'NX')
  else
    table.insert(lost, n)
  end
end
return lost
`);

/** KEYS guess, lock; ARGV max, windowMs, lockoutMs: counts a wrong guess, locks at the limit. */
const WRONG = new Script(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
end
return n
`);

/** How the registry is set up. */
export interface RegistryOptions {
  /** Key prefix, so several studios (or test runs) can share one Redis. */
  readonly prefix: string;
  /** This instance's id (one word). */
  readonly instance: string;
  /** Milliseconds an instance and its rooms outlive their last refresh. */
  readonly ttl: number;
  readonly guesses: GuessLimit;
}

/** A session's room running on some instance. */
export interface RunningRoom {
  readonly instance: string;
  readonly code: string;
  readonly key: string;
}

/** A room hosted by this instance. */
export interface HostedRoom {
  readonly session: string;
  readonly code: string;
  readonly key: string;
}

/** The shared directory, as one instance uses it. */
export class Registry {
  constructor(
    private readonly redis: Redis,
    readonly options: RegistryOptions,
  ) {}

  get instance(): string {
    return this.options.instance;
  }

  private key(kind: string, name: string): string {
    return `${this.options.prefix}${kind}:${name}`;
  }

  /** The channel instance `id` listens on. */
  channel(id: string): string {
    return this.key('to', id);
  }

  /** Claims `code` for `session`'s room here (see `SessionRegistry.claim`). */
  async claim(session: string, code: string, key: string): Promise<'ok' | 'session-live' | 'code-taken'> {
    const answer = await CLAIM.run(
      this.redis,
      [this.key('room', code), this.key('live', session), this.key('open', code)],
      [this.instance, this.key('instance', ''), session, code, key, this.options.ttl],
    );
    if (answer === 'ok' || answer === 'session-live' || answer === 'code-taken') return answer;
    throw new Error(`unexpected answer from the claim script: ${String(answer)}`);
  }

  /** Gives up `session`'s room here; `ended` also forgets that its code is awaited. */
  async release(session: string, code: string, ended: boolean): Promise<void> {
    await RELEASE.run(
      this.redis,
      [this.key('room', code), this.key('live', session), this.key('open', code)],
      [this.instance, session, ended ? '1' : '0'],
    );
  }

  /** The live instance hosting the room with this code (possibly this one), or null. */
  async host(code: string): Promise<string | null> {
    const owner = await ROUTE.run(
      this.redis,
      [this.key('room', code)],
      [this.instance, this.key('instance', '')],
    );
    return typeof owner === 'string' ? owner : null;
  }

  /** Whether the code belongs to an open session (whose room may or may not run). */
  async awaited(code: string): Promise<boolean> {
    return (await this.redis.exists(this.key('open', code))) === 1;
  }

  /** The running rooms of these sessions, wherever they run, by session id. */
  async running(sessions: readonly string[]): Promise<Map<string, RunningRoom>> {
    const found = new Map<string, RunningRoom>();
    if (sessions.length === 0) return found;
    const values = await this.redis.mget(...sessions.map((s) => this.key('live', s)));
    sessions.forEach((s, i) => {
      const [instance, code, key] = values[i]?.split(' ') ?? [];
      if (instance && code && key) found.set(s, { instance, code, key });
    });
    return found;
  }

  /**
   * Marks this instance alive and keeps its rooms; returns the rooms another instance has taken
   * over meanwhile (this one was taken for dead: it must close them).
   */
  async refresh(rooms: readonly HostedRoom[]): Promise<HostedRoom[]> {
    const keys = [this.key('instance', this.instance)];
    const args: Array<string | number> = [this.instance, this.options.ttl];
    for (const r of rooms) {
      keys.push(this.key('room', r.code), this.key('live', r.session), this.key('open', r.code));
      args.push(r.session, r.code, r.key);
    }
    const lost = (await REFRESH.run(this.redis, keys, args)) as number[];
    return lost.map((n) => rooms[n - 1] as HostedRoom);
  }

  /** Which of these instances are alive. */
  async alive(instances: readonly string[]): Promise<Set<string>> {
    const living = new Set<string>();
    if (instances.length === 0) return living;
    const values = await this.redis.mget(...instances.map((i) => this.key('instance', i)));
    instances.forEach((id, i) => {
      if (values[i] !== null) living.add(id);
    });
    return living;
  }

  /** Forgets this instance at once (a clean stop), rather than after `ttl`. */
  async leave(): Promise<void> {
    await this.redis.del(this.key('instance', this.instance));
  }

  /** Whether an address is turned away for guessing, on any instance. */
  async locked(peer: string): Promise<boolean> {
    return (await this.redis.exists(this.key('lock', encodeURIComponent(peer)))) === 1;
  }

  /** Counts a wrong code, token or key from an address, across the instances. */
  async wrong(peer: string): Promise<void> {
    const { max, window, lockout } = this.options.guesses;
    const name = encodeURIComponent(peer);
    await WRONG.run(
      this.redis,
      [this.key('guess', name), this.key('lock', name)],
      [max, Math.round(window * 1000), Math.round(lockout * 1000)],
    );
  }
}
