/**
 * Live sessions as therapists see them: start one (a log row and a room with the companion
 * running), list, look at, end, and resume one whose room was lost when the studio stopped.
 * Each room has a random key that only its therapist's console gets; a therapist sees only their
 * own sessions, an admin sees every one. A session another therapist owns is "not found", so
 * its existence is not given away.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Seconds } from '@attune/engine';
import type { User } from '../accounts/accounts.ts';
import { continuation, type Room, type RoomDirectory } from '../room/index.ts';
import type { LiveSession, LoggedEvent, LogWriter, SessionLog } from '../storage/index.ts';
import { resumeAt, sessionClock } from './clock.ts';

/** A request refused; nothing changed. */
export class SessionError extends Error {
  constructor(
    readonly status: 403 | 404 | 409,
    readonly code: 'not-found' | 'owner-only' | 'closed' | 'live' | 'not-live',
    message: string,
  ) {
    super(message);
  }
}

/** A session with its room, if one runs now. */
export interface SessionState {
  readonly stored: LiveSession;
  /** The room code while a room runs. */
  readonly code: string | null;
  /** The therapist's key, while a room runs. */
  readonly key: string | null;
}

interface Running {
  readonly room: Room;
  readonly code: string;
  readonly key: string;
  readonly clock: () => Seconds;
}

/** What the live sessions need. */
export interface LiveSessionsOptions {
  readonly log: SessionLog;
  /** Where the rooms write their events: the studio's journal (default: `log`, a transaction per room). */
  readonly journal?: LogWriter;
  readonly directory: RoomDirectory;
  /** Monotonic seconds (the session clocks run on it). */
  readonly monotonic: () => Seconds;
  /** Wall-clock milliseconds. */
  readonly now: () => number;
  /** Whether rooms run the companion (default true). */
  readonly companion?: boolean;
  readonly onError: (error: unknown, where: string) => void;
  /** Set when several studio instances share the sessions (see `cluster/`); none: this one alone. */
  readonly registry?: SessionRegistry;
}

/**
 * Where the rooms of every studio instance are registered, when several share the sessions: a
 * session's room runs on exactly one instance, its code is claimed before the room opens, and a
 * session running elsewhere is shown (and ended) through it.
 */
export interface SessionRegistry {
  /**
   * Claims `code` for the room of `session` on this instance: `session-live` when another live
   * instance runs its room, `code-taken` when another session's room uses the code.
   */
  claim(session: string, code: string, key: string): Promise<'ok' | 'session-live' | 'code-taken'>;
  /** The room of `session` closed here; `ended` when the session ended (its code is no longer awaited). */
  release(session: string, code: string, ended: boolean): Promise<void>;
  /** The rooms of these sessions that run on other instances, by session id. */
  elsewhere(sessions: readonly string[]): Promise<Map<string, { code: string; key: string }>>;
  /** Has the instance running `session`'s room close it; resolves once it is closed (or gone). */
  closeElsewhere(session: string): Promise<void>;
}

type Elsewhere = ReadonlyMap<string, { code: string; key: string }>;
const NOWHERE: Elsewhere = new Map();

/** Longest title kept. */
export const MAX_TITLE = 200;

/** The studio's live sessions. */
export class LiveSessions {
  private readonly running = new Map<string, Running>();
  /** Sessions being started, ended or resumed: one change at a time per session. */
  private readonly busy = new Set<string>();
  /** Room codes of open sessions whose room is gone, waiting to be resumed. */
  private readonly awaiting = new Set<string>();

  constructor(private readonly options: LiveSessionsOptions) {}

  /**
   * Finds the sessions a stop or crash left open: their codes are awaited, so devices that retry
   * them while the therapist has not yet resumed are not taken for guessers.
   */
  async load(): Promise<void> {
    for (const s of await this.options.log.list({ status: 'open' }))
      if (s.roomCode !== null && !this.running.has(s.id)) this.awaiting.add(s.roomCode);
  }

  /** Whether a room code belongs to an open session waiting to be resumed. */
  awaits(code: string): boolean {
    return this.awaiting.has(code);
  }

  /** Starts a session for `owner`: its log, and a room with the companion playing. */
  async start(owner: User, title: string | undefined): Promise<SessionState> {
    const id = randomBytes(12).toString('base64url');
    const startedAt = new Date(this.options.now());
    const name = title?.trim() || `Session of ${startedAt.toISOString().slice(0, 16).replace('T', ' ')}`;
    await this.options.log.create({
      id,
      title: name.slice(0, MAX_TITLE),
      therapistId: owner.id,
      startedAt: startedAt.toISOString(),
    });
    return this.openRoom(id, 0, undefined);
  }

  /** The sessions `viewer` may see, newest first. */
  async list(viewer: User): Promise<SessionState[]> {
    const stored = await this.options.log.list(viewer.role === 'admin' ? {} : { therapistId: viewer.id });
    const elsewhere = await this.elsewhere(stored);
    return stored.map((s) => this.state(s, viewer, elsewhere));
  }

  /** One session, if `viewer` may see it. */
  async get(viewer: User, id: string): Promise<SessionState> {
    const stored = await this.visible(viewer, id);
    return this.state(stored, viewer, await this.elsewhere([stored]));
  }

  /** Ends a session: the room closes (every device is told), the log is kept and closed. */
  async end(viewer: User, id: string): Promise<SessionState> {
    const stored = await this.visible(viewer, id);
    return this.exclusive(id, async () => {
      const running = this.running.get(id);
      const code = running?.code ?? stored.roomCode;
      if (running) {
        this.running.delete(id);
        await this.options.directory.close(running.room.code);
      } else if (this.options.registry && stored.status === 'open') {
        await this.options.registry.closeElsewhere(id);
      }
      const closed = stored.status === 'open' ? await this.options.log.close(id, this.wallIso()) : stored;
      if (stored.roomCode !== null) this.awaiting.delete(stored.roomCode);
      if (code !== null) await this.release(id, code, true);
      return this.state(closed, viewer);
    });
  }

  /** Reopens the room of an open session whose room is gone (after a restart); the log continues. */
  async resume(viewer: User, id: string): Promise<SessionState> {
    const stored = await this.visible(viewer, id);
    if (stored.therapistId !== viewer.id)
      throw new SessionError(403, 'owner-only', 'Only the therapist who started this session can resume it.');
    if (stored.status === 'closed') throw new SessionError(409, 'closed', 'This session has ended.');
    return this.exclusive(id, async () => {
      if (this.running.has(id)) throw new SessionError(409, 'live', 'This session is running already.');
      const tally = await this.options.log.tally(id);
      const at = resumeAt(tally.lastT, Date.parse(stored.startedAt), this.options.now());
      return this.openRoom(id, at, stored.roomCode ?? undefined, tally.participants);
    });
  }

  /** Events of a session's log after `after`, at most `limit`. */
  async events(viewer: User, id: string, after: number, limit: number): Promise<LoggedEvent[]> {
    await this.visible(viewer, id);
    return this.options.log.read(id, { afterSeq: after, limit });
  }

  /** Closes every room without ending its session: each stays open, to be resumed. */
  async shutdown(): Promise<void> {
    const rooms = [...this.running.values()];
    this.running.clear();
    await Promise.all(
      rooms.map(async (r) => {
        await this.options.directory.close(r.room.code);
        await this.release(r.room.session, r.room.code, false);
      }),
    );
  }

  /**
   * Closes the room of a session if it runs here, the session staying open (another instance is
   * ending it, see {@link SessionRegistry.closeElsewhere}); false when no room of it runs here.
   */
  async closeHere(id: string): Promise<boolean> {
    return this.exclusive(id, async () => {
      const running = this.running.get(id);
      if (!running) return false;
      this.running.delete(id);
      await this.options.directory.close(running.room.code);
      await this.release(id, running.room.code, false);
      return true;
    });
  }

  /** The rooms running here, with their codes and keys (kept alive in the registry). */
  rooms(): Array<{ session: string; code: string; key: string }> {
    return [...this.running].map(([session, r]) => ({ session, code: r.code, key: r.key }));
  }

  /** Whether a room runs for this session now. */
  isLive(id: string): boolean {
    return this.running.has(id);
  }

  /** The session clock of the room running for this session, or null (for benchmarks and tests). */
  clockOf(id: string): (() => Seconds) | null {
    return this.running.get(id)?.clock ?? null;
  }

  private async openRoom(
    id: string,
    from: Seconds,
    code: string | undefined,
    logged?: ReadonlyArray<{ participant: string; clientSeq: number }>,
  ): Promise<SessionState> {
    const key = randomBytes(24).toString('base64url');
    let free = code !== undefined && this.options.directory.get(code) === undefined ? code : undefined;
    if (this.options.registry) free = await this.claim(id, free, key);
    const clock = sessionClock(from, this.options.monotonic);
    const room = this.options.directory.open({
      session: id,
      therapistKey: key,
      log: this.options.journal ?? this.options.log,
      clock,
      companion: this.options.companion === false ? null : { seed: randomInt(2 ** 31) },
      onError: (error, where) => this.options.onError(error, `session ${id}: ${where}`),
      ...(free !== undefined ? { code: free } : {}),
      ...(logged ? { continueFrom: continuation(logged) } : {}),
    });
    this.running.set(id, { room, code: room.code, key, clock });
    if (code !== undefined) this.awaiting.delete(code);
    try {
      await this.options.log.setRoomCode(id, room.code);
    } catch (error) {
      this.options.onError(error, `session ${id}: keeping the room code`);
    }
    const stored = await this.options.log.get(id);
    return { stored: stored as LiveSession, code: room.code, key };
  }

  private state(stored: LiveSession, viewer: User, elsewhere: Elsewhere = NOWHERE): SessionState {
    const running = this.running.get(stored.id) ?? elsewhere.get(stored.id);
    return {
      stored,
      code: running?.code ?? null,
      key: running && stored.therapistId === viewer.id ? running.key : null,
    };
  }

  /** Claims a code across the instances: the one wanted if it is free, else a fresh one. */
  private async claim(id: string, wanted: string | undefined, key: string): Promise<string> {
    const registry = this.options.registry as SessionRegistry;
    let code = wanted ?? this.options.directory.freshCode();
    for (;;) {
      const claimed = await registry.claim(id, code, key);
      if (claimed === 'ok') return code;
      if (claimed === 'session-live')
        throw new SessionError(409, 'live', 'This session is running already, on another studio server.');
      code = this.options.directory.freshCode();
    }
  }

  /** Open sessions whose rooms run on other instances. */
  private async elsewhere(stored: readonly LiveSession[]): Promise<Elsewhere> {
    const registry = this.options.registry;
    if (!registry) return NOWHERE;
    const ids = stored.filter((s) => s.status === 'open' && !this.running.has(s.id)).map((s) => s.id);
    if (ids.length === 0) return NOWHERE;
    try {
      return await registry.elsewhere(ids);
    } catch (error) {
      // The sessions are still listed (as not live here) while the registry cannot be reached.
      this.options.onError(error, 'looking up the rooms of other studio servers');
      return NOWHERE;
    }
  }

  private async release(id: string, code: string, ended: boolean): Promise<void> {
    try {
      await this.options.registry?.release(id, code, ended);
    } catch (error) {
      this.options.onError(error, `session ${id}: releasing room ${code}`);
    }
  }

  private async visible(viewer: User, id: string): Promise<LiveSession> {
    const stored = await this.options.log.get(id);
    if (!stored || (viewer.role !== 'admin' && stored.therapistId !== viewer.id))
      throw new SessionError(404, 'not-found', 'There is no such session.');
    return stored;
  }

  private async exclusive<T>(id: string, run: () => Promise<T>): Promise<T> {
    if (this.busy.has(id))
      throw new SessionError(409, 'live', 'This session is being changed already: try again in a moment.');
    this.busy.add(id);
    try {
      return await run();
    } finally {
      this.busy.delete(id);
    }
  }

  private wallIso(): string {
    return new Date(this.options.now()).toISOString();
  }
}
