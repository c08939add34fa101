/**
 * The rooms of one server, found by room code or resume token. A new connection must say hello
 * first; the hello is routed to its room. Room codes are short enough to read out, so guessing is
 * limited per address: after a few wrong codes, tokens or keys in a minute the address is turned
 * away for a while, whatever it sends.
 */
import { randomBytes } from 'node:crypto';
import type { Seconds } from '@attune/engine';
import type { ClientMessage, ClientMessageOf } from '@attune/protocol';
import { Connection, type ConnectionLimits, DEFAULT_LIMITS } from './connection.ts';
import { type JoinOutcome, Room, type RoomOptions } from './room.ts';
import type { Scheduler } from './scheduler.ts';
import type { RoomSocket } from './socket.ts';

/** Letters and digits that cannot be mistaken for one another when read out or copied. */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Room code length: 32^6 ≈ 10^9 codes against five guesses a minute per address. */
export const CODE_LENGTH = 6;

/** How guessing is limited per address. */
export interface GuessLimit {
  /** Wrong guesses allowed within `window` seconds. */
  readonly max: number;
  readonly window: Seconds;
  /** How long an address that went over is turned away. */
  readonly lockout: Seconds;
}

export const DEFAULT_GUESS_LIMIT: GuessLimit = { max: 5, window: 60, lockout: 300 };

/** How a directory is set up. */
export interface DirectoryOptions {
  /** Monotonic seconds on the server (for limits and timeouts). */
  readonly now: () => Seconds;
  readonly scheduler: Scheduler;
  /** Random bytes for room codes and resume tokens (by default the system's secure source). */
  readonly random?: (bytes: number) => Uint8Array;
  readonly limits?: ConnectionLimits;
  readonly guesses?: GuessLimit;
  /** Seconds a new connection has to say hello (default 10). */
  readonly helloWithin?: Seconds;
  /** Where failures the directory survives are reported. */
  readonly onError?: (error: unknown, where: string) => void;
  /**
   * Codes of rooms that are closed for now but will open again (a session waiting to be resumed
   * after a restart): devices retrying them are refused but not counted as guessing.
   */
  readonly awaited?: (code: string) => boolean;
  /**
   * Set when several studio instances share the rooms (see `cluster/`): every hello is routed by
   * it (to a room here through {@link RoomDirectory.enter}, or bridged to the instance hosting the
   * room) and guesses are counted across the instances, rather than by this directory alone.
   */
  readonly router?: HelloRouter;
  /**
   * Whether resume tokens begin with their room's code, so any instance can tell which room a
   * token belongs to without a shared table (set with a router).
   */
  readonly codeInTokens?: boolean;
}

/** Routes hellos when the rooms span several instances. */
export interface HelloRouter {
  /** Takes a connection's hello; the connection is the router's until it joins or is refused. */
  route(connection: Connection, hello: ClientMessageOf<'hello'>): void;
}

/** What a room needs beyond what the directory supplies. */
export type RoomSetup = Omit<RoomOptions, 'code' | 'token' | 'scheduler'> & { readonly code?: string };

/** The rooms of a server and the door to them. */
export class RoomDirectory {
  private readonly rooms = new Map<string, Room>();
  private readonly guesses = new Map<string, { wrong: Seconds[]; lockedUntil: Seconds }>();
  /** The hello deadline of each connection still to say hello. */
  private readonly helloTimers = new Map<Connection, unknown>();
  private readonly random: (bytes: number) => Uint8Array;

  constructor(private readonly options: DirectoryOptions) {
    this.random = options.random ?? ((n) => randomBytes(n));
  }

  /** Opens a room with a fresh code (or the one given, when it is free). */
  open(setup: RoomSetup): Room {
    let code = setup.code;
    if (code !== undefined && this.rooms.has(code)) throw new RangeError(`room code ${code} is in use`);
    while (code === undefined || this.rooms.has(code)) code = this.newCode();
    const room = new Room({
      ...setup,
      code,
      scheduler: this.options.scheduler,
      token: () => this.newToken(this.options.codeInTokens ? code : ''),
    });
    this.rooms.set(code, room);
    return room;
  }

  /** The room with this code. */
  get(code: string): Room | undefined {
    return this.rooms.get(code);
  }

  /** Closes a room and forgets its code. */
  async close(code: string): Promise<void> {
    const room = this.rooms.get(code);
    if (!room) return;
    this.rooms.delete(code);
    await room.close();
  }

  /** Takes a new connection from `peer` (its address); it must say hello within the time allowed. */
  connect(socket: RoomSocket, peer: string): Connection {
    const connection = new Connection(socket, peer, this.options.now, this.options.limits ?? DEFAULT_LIMITS);
    const timer = this.options.scheduler.setTimeout(
      () => {
        if (!connection.joined) connection.refuse('not-joined', 'no hello came');
      },
      (this.options.helloWithin ?? 10) * 1000,
    );
    this.helloTimers.set(connection, timer);
    connection.onEnd = () => this.settle(connection);
    connection.receiver = (message) => {
      try {
        this.hello(connection, message);
      } catch (error) {
        // Whatever went wrong, the device hears a refusal and the server goes on.
        this.options.onError?.(error, `hello from ${peer}`);
        connection.refuse('not-joined', 'the hello could not be handled');
      }
    };
    return connection;
  }

  /**
   * Joins a connection that said hello to a room of this directory (a router's way in): its hello
   * deadline is lifted and the room decides. Bad keys and unknown tokens are the caller's to count.
   */
  enter(connection: Connection, room: Room, hello: ClientMessageOf<'hello'>): JoinOutcome {
    this.settle(connection);
    connection.onEnd = null;
    return room.join(connection, hello);
  }

  /** Lifts a connection's hello deadline: a router has taken it elsewhere. */
  handOff(connection: Connection): void {
    this.settle(connection);
    connection.onEnd = null;
  }

  /** A room code that no room of this directory uses. */
  freshCode(): string {
    let code = this.newCode();
    while (this.rooms.has(code)) code = this.newCode();
    return code;
  }

  private settle(connection: Connection): void {
    const timer = this.helloTimers.get(connection);
    if (timer === undefined) return;
    this.helloTimers.delete(connection);
    this.options.scheduler.clearTimeout(timer);
  }

  private hello(connection: Connection, message: ClientMessage): void {
    if (message.type !== 'hello') {
      connection.error('not-joined', 'the first message must be a hello', { type: message.type });
      return;
    }
    if (this.options.router) {
      this.options.router.route(connection, message);
      return;
    }
    if (this.locked(connection.peer)) {
      connection.refuse('too-many-attempts', 'too many wrong room codes from this address: try again later');
      return;
    }
    const room = this.route(message);
    if (!room) {
      const awaited = message.room !== undefined && (this.options.awaited?.(message.room) ?? false);
      if (awaited) {
        connection.refuse(
          'unknown-room',
          'this session is not running now: wait for the therapist to resume it',
        );
        return;
      }
      this.wrong(connection.peer);
      if (message.room !== undefined) connection.refuse('unknown-room', 'there is no room with that code');
      else connection.refuse('unknown-resume', 'this seat is no longer held: join again with the room code');
      return;
    }
    const outcome = this.enter(connection, room, message);
    if (outcome === 'bad-key' || outcome === 'unknown-resume') this.wrong(connection.peer);
  }

  private route(hello: ClientMessageOf<'hello'>): Room | undefined {
    if (hello.room !== undefined) return this.rooms.get(hello.room);
    const token = hello.resume as string;
    for (const room of this.rooms.values()) if (room.hasToken(token)) return room;
    return undefined;
  }

  private locked(peer: string): boolean {
    const entry = this.guesses.get(peer);
    return entry !== undefined && this.options.now() < entry.lockedUntil;
  }

  private wrong(peer: string): void {
    const limit = this.options.guesses ?? DEFAULT_GUESS_LIMIT;
    const now = this.options.now();
    const entry = this.guesses.get(peer) ?? { wrong: [], lockedUntil: Number.NEGATIVE_INFINITY };
    entry.wrong = entry.wrong.filter((t) => now - t < limit.window);
    entry.wrong.push(now);
    if (entry.wrong.length >= limit.max) {
      entry.lockedUntil = now + limit.lockout;
      entry.wrong = [];
    }
    this.guesses.set(peer, entry);
    // Addresses whose guesses and lockout have lapsed are forgotten, so the table cannot grow without end.
    if (this.guesses.size > 10_000) {
      for (const [p, e] of this.guesses)
        if (e.lockedUntil <= now && e.wrong.every((t) => now - t >= limit.window)) this.guesses.delete(p);
    }
  }

  private newCode(): string {
    const bytes = this.random(CODE_LENGTH);
    let code = '';
    // 256 is a multiple of 32, so every letter is equally likely.
    for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[(bytes[i] as number) % CODE_ALPHABET.length];
    return code;
  }

  private newToken(prefix: string): string {
    return prefix + Buffer.from(this.random(16)).toString('base64url');
  }
}
