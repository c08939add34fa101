/**
 * Where a hello goes when rooms span several instances. A hello names its room by code, or by a
 * resume token that begins with the room's code (the directory makes them so in a cluster), so
 * any instance can find the room's host in the shared registry without a table of tokens:
 *
 * - a room hosted here is joined at once, as without a cluster;
 * - a room hosted by another live instance is bridged to it (see {@link Bridges});
 * - no room: a code of an open session waiting to be resumed is told to wait and not counted,
 *   anything else is a wrong guess, counted for its address across every instance.
 *
 * Guessing is checked before anything else, in Redis, so an address turned away by one instance
 * is turned away by all. Messages that arrive while the hello is being routed wait for it.
 *
 * While Redis cannot be reached, the rooms hosted here still take their devices (guessing goes
 * uncounted meanwhile, and is reported); a hello for any other room is refused with "try again",
 * since it cannot be told whether the room runs elsewhere.
 */
import type { ClientMessage, ClientMessageOf } from '@attune/protocol';
import type { HelloRouter } from '../room/directory.ts';
import { CODE_ALPHABET, CODE_LENGTH, type Connection, type RoomDirectory } from '../room/index.ts';
import type { Bridges } from './bridges.ts';
import type { Registry } from './registry.ts';

/** Random characters after the code in a cluster's resume token (16 bytes in base64url). */
const TOKEN_RANDOM = 22;
const CODE_CHARS = new Set(CODE_ALPHABET);

/** The room code a cluster's resume token begins with, or null when it cannot be one. */
export function roomOfToken(token: string): string | null {
  if (token.length !== CODE_LENGTH + TOKEN_RANDOM) return null;
  const code = token.slice(0, CODE_LENGTH);
  for (const c of code) if (!CODE_CHARS.has(c)) return null;
  return code;
}

/** What the router needs. */
export interface RouterOptions {
  readonly registry: Registry;
  readonly bridges: Bridges;
  readonly directory: () => RoomDirectory;
  /** Codes this instance knows are awaited (open sessions found at start). */
  readonly awaited: (code: string) => boolean;
  readonly onError: (error: unknown, where: string) => void;
}

/** Routes hellos across the instances. */
export class ClusterRouter implements HelloRouter {
  constructor(private readonly options: RouterOptions) {}

  route(connection: Connection, hello: ClientMessageOf<'hello'>): void {
    const waiting: ClientMessage[] = [];
    connection.receiver = (message) => waiting.push(message);
    this.decide(connection, hello).then(
      () => {
        for (const message of waiting) {
          if (!connection.open || !connection.receiver) break;
          connection.receiver(message);
        }
      },
      (error: unknown) => {
        this.options.onError(error, `routing a hello from ${connection.peer}`);
        connection.refuse('not-joined', 'the hello could not be handled: try again in a moment');
      },
    );
  }

  private async locked(peer: string): Promise<boolean> {
    try {
      return await this.options.registry.locked(peer);
    } catch (error) {
      this.options.onError(error, `checking the guesses of ${peer}`);
      return false;
    }
  }

  private async wrong(peer: string): Promise<void> {
    try {
      await this.options.registry.wrong(peer);
    } catch (error) {
      this.options.onError(error, `counting a wrong guess of ${peer}`);
    }
  }

  private async decide(connection: Connection, hello: ClientMessageOf<'hello'>): Promise<void> {
    const { registry, bridges } = this.options;
    const directory = this.options.directory();
    // A device bridged here was checked by the instance it reached; its guesses count there too.
    const bridged = bridges.isBridgedIn(connection);
    if (!bridged && (await this.locked(connection.peer))) {
      connection.refuse('too-many-attempts', 'too many wrong room codes from this address: try again later');
      return;
    }
    if (!connection.open) return;
    const code = hello.room ?? roomOfToken(hello.resume ?? '');
    const local = code === null ? undefined : directory.get(code);
    if (local) {
      const outcome = directory.enter(connection, local, hello);
      if (outcome === 'bad-key' || outcome === 'unknown-resume') await this.wrong(connection.peer);
      return;
    }
    const host = code === null ? null : await registry.host(code);
    if (!connection.open) return;
    if (host !== null && host !== registry.instance && !bridged) {
      bridges.open(connection, host, hello);
      return;
    }
    const awaited = code !== null && (this.options.awaited(code) || (await registry.awaited(code)));
    if (awaited || bridged) {
      // The session is open but its room is not running (or has just closed): no guess.
      if (hello.room !== undefined)
        connection.refuse(
          'unknown-room',
          'this session is not running now: wait for the therapist to resume it',
        );
      else connection.refuse('unknown-resume', 'this seat is no longer held: join again with the room code');
      return;
    }
    await this.wrong(connection.peer);
    if (hello.room !== undefined) connection.refuse('unknown-room', 'there is no room with that code');
    else connection.refuse('unknown-resume', 'this seat is no longer held: join again with the room code');
  }
}
