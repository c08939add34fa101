/**
 * A device's live connection to a room: it says hello, waits to be admitted, keeps its clock in
 * step with the session clock, stamps what the player plays at the moment of the touch, and keeps
 * every event until the server has it safe, across dropped links, reconnections and reloads.
 *
 * The socket, the device clock, the timer and the storage are arguments, so the whole of it runs
 * in a unit test with a fake socket and time moved by hand. The page gives it the browser's
 * WebSocket, `performance.now()`, `setTimeout` and localStorage.
 *
 * Rules it keeps (docs/PROTOCOL.md):
 * - an event is numbered and kept (in storage too) before it is sent; it is forgotten only when
 *   its `ack` arrives, and everything kept is sent again, in order, after every (re)join;
 * - after a dropped link it comes back on its seat with the resume token, trying again with a
 *   growing pause; a seat that lapsed is asked for again with the room code;
 * - a link that stops answering pings is taken for dead and replaced, so a lost Wi-Fi is noticed
 *   even when the browser does not say so;
 * - every message from the server is checked against the protocol before anything uses it.
 */
import type { Seconds } from '@attune/engine';
import {
  type ClientMessage,
  type ClientMessageOf,
  type ClockEstimate,
  ClockSync,
  encode,
  MAX_SESSION_TIME,
  Outbox,
  type PlayedEvent,
  PROTOCOL_VERSION,
  parseServerMessage,
  type RefusalCode,
  type Role,
  type ServerMessage,
  type ServerMessageOf,
  type SteeringControl,
} from '@attune/protocol';
import type { Timer } from '../audio/scheduler.ts';
import { type JoinDetails, type KeptEvent, type KeptSeat, type KeyValueStore, SeatKeeper } from './kept.ts';
import type { LiveSocket, SocketFactory } from './socket.ts';

/** Where the device is in joining the room. */
export type Phase = 'joining' | 'waiting' | 'in-room' | 'ended';

/** How the link is, in the words the player sees. */
export type Link = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** Why the device is no longer in the room. */
export interface Ended {
  readonly code: RefusalCode | 'left';
  readonly message: string;
}

/** Everything the screens show about the connection. */
export interface LiveStatus {
  readonly phase: Phase;
  readonly link: Link;
  /** Events kept on this device until the server has them safe. */
  readonly kept: number;
  /** The clock estimate (offset to the session clock and its error), once a pong came back. */
  readonly clock: ClockEstimate | null;
  readonly participant: string | null;
  readonly role: Role;
  readonly seat: number | null;
  readonly colour: string | null;
  readonly session: string | null;
  readonly ended: Ended | null;
  /** Events the server refused as invalid and that were let go (they could never be recorded). */
  readonly refusedEvents: number;
  /**
   * The room this device played in is not running just now (a restarted studio waiting for the
   * therapist to resume the session): the seat and the kept notes are held while it asks again.
   */
  readonly paused: boolean;
}

/** What the connection tells its listeners. */
export interface LiveEvents {
  status: LiveStatus;
  state: ServerMessageOf<'state'>;
  relay: ServerMessageOf<'relay'>;
  companion: ServerMessageOf<'companion'>;
  perception: ServerMessageOf<'perception'>;
  ack: ServerMessageOf<'ack'>;
  error: ServerMessageOf<'error'>;
  /** Something went wrong on this side (a message that failed its check, storage that refused). */
  problem: string;
}

/** A played event before it is stamped: the connection adds the session time. */
export type Unstamped = PlayedEvent extends infer E ? (E extends PlayedEvent ? Omit<E, 't'> : never) : never;

/** How the device joins. */
export interface JoinRequest extends JoinDetails {
  /** The room code. */
  readonly code: string;
  /** The therapist's key for the room (never kept in storage). */
  readonly key?: string;
}

/** What the connection needs from its surroundings. */
export interface LiveOptions {
  readonly join: JoinRequest;
  /** Opens a socket to the studio. */
  readonly connect: SocketFactory;
  /** The device's clock in seconds (the page's `performance.now() / 1000`). */
  readonly deviceNow: () => Seconds;
  readonly timer?: Timer;
  /** Where the seat and unacknowledged events are kept (the page's localStorage); none keeps nothing. */
  readonly store?: KeyValueStore | null;
  /** A random number in [0, 1), to spread reconnection attempts (Math.random by default). */
  readonly random?: () => number;
}

/** Pings sent one after another at joining, for a good first clock estimate. */
export const FIRST_PINGS = 5;
/** Seconds between pings once the clock is found. */
export const PING_EVERY: Seconds = 2;
/** A link silent this long (no pong, nothing) is taken for dead. */
export const DEAD_AFTER: Seconds = 5;
/** Pauses before reconnection attempts, in seconds; the last repeats. */
export const BACKOFF: readonly Seconds[] = [0.25, 0.5, 1, 2, 4, 8];
/** Failed attempts after which the player is told the device is offline rather than reconnecting. */
export const OFFLINE_AFTER = 4;
/**
 * Seconds between attempts while the room is not running: four a minute, under the studio's
 * count of wrong codes (five a minute), so a device waiting for a session to be resumed is never
 * taken for a guesser.
 */
export const PAUSED_RETRY: Seconds = 15;
/** Seconds to wait before sending kept events again after `not-recorded` or `rate-limited`. */
export const RESEND_AFTER: Seconds = 1;

/** Refusals after which trying again cannot help. */
const FINAL: ReadonlySet<RefusalCode> = new Set([
  'version',
  'unknown-room',
  'bad-key',
  'too-many-attempts',
  'room-full',
  'dismissed',
  'replaced',
  'room-closed',
]);
/** Refusals after which the kept seat is of no further use. */
const FORGET: ReadonlySet<RefusalCode> = new Set(['unknown-room', 'dismissed', 'room-closed', 'version']);

const pageTimer: Timer = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

type Listeners = { [K in keyof LiveEvents]: Set<(value: LiveEvents[K]) => void> };

/** One device's connection to one room. */
export class LiveConnection {
  private readonly options: LiveOptions;
  private readonly timer: Timer;
  private readonly random: () => number;
  private readonly keeper: SeatKeeper;
  private readonly clock = new ClockSync();
  private outbox: Outbox<KeptEvent>;
  private readonly listeners: Listeners = {
    status: new Set(),
    state: new Set(),
    relay: new Set(),
    companion: new Set(),
    perception: new Set(),
    ack: new Set(),
    error: new Set(),
    problem: new Set(),
  };

  private socket: LiveSocket | null = null;
  /** Counts sockets; a handler of an older socket than this one is ignored. */
  private generation = 0;
  private started = false;
  private finished = false;
  private joined = false;
  private attempts = 0;
  private phase: Phase = 'joining';
  private everJoined = false;
  private resumeToken: string | null;
  private participant: string | null;
  private session: string | null;
  private admitted: boolean;
  private role: Role;
  private seat: number | null = null;
  private colour: string | null = null;
  private ended: Ended | null = null;
  private refusedEvents = 0;
  /** Whether the room this device played in is not running just now. */
  private paused = false;
  /** Offset from the device clock to the session clock told by welcome/admitted, before any pong. */
  private roughOffset: Seconds | null = null;
  private lastHeard: Seconds = 0;
  private firstPings = 0;
  private pingHandle: unknown = null;
  private retryHandle: unknown = null;
  private resendHandle: unknown = null;
  private lastState: ServerMessageOf<'state'> | null = null;

  constructor(options: LiveOptions) {
    this.options = options;
    this.timer = options.timer ?? pageTimer;
    this.random = options.random ?? Math.random;
    this.role = options.join.role;
    this.keeper = new SeatKeeper(options.store ?? null, options.join.code, (error) =>
      this.emit('problem', `this device could not keep its notes safe: ${messageOf(error)}`),
    );
    const kept = this.keeper.load();
    // A kept seat from another role (a speaker now joining as a player) is not this device's seat.
    const usable = kept && kept.join.role === options.join.role ? kept : null;
    this.resumeToken = usable?.resume ?? null;
    this.participant = usable?.participant ?? null;
    this.session = usable?.session ?? null;
    this.admitted = usable?.admitted ?? false;
    this.outbox = new Outbox<KeptEvent>(usable?.nextClientSeq ?? 0);
    this.outbox.restore(usable?.pending ?? []);
  }

  /** Whether a seat is kept on this device for a room (a reload can go straight back to it). */
  static hasKeptSeat(store: KeyValueStore | null, code: string): KeptSeat | null {
    const kept = new SeatKeeper(store, code).load();
    return kept && (kept.resume !== null || kept.pending.length > 0) ? kept : null;
  }

  /** Listens to one kind of news; returns the way to stop listening. */
  on<K extends keyof LiveEvents>(kind: K, listener: (value: LiveEvents[K]) => void): () => void {
    const set = this.listeners[kind] as Set<(value: LiveEvents[K]) => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** The connection as the screens show it. */
  get status(): LiveStatus {
    return {
      phase: this.phase,
      link: this.link(),
      kept: this.outbox.size,
      clock: this.clock.estimate(),
      participant: this.participant,
      role: this.role,
      seat: this.seat,
      colour: this.colour,
      session: this.session,
      ended: this.ended,
      refusedEvents: this.refusedEvents,
      paused: this.paused,
    };
  }

  /** The last room state the server sent (who is in, the companion's settings), if any. */
  get state(): ServerMessageOf<'state'> | null {
    return this.lastState;
  }

  /** The events kept until acknowledged, oldest first. */
  pending(): KeptEvent[] {
    return this.outbox.pending();
  }

  /** Connects (once); everything after is automatic until {@link leave} or {@link close}. */
  start(): void {
    if (this.started || this.finished) return;
    this.started = true;
    this.connect();
  }

  /** Tries to reconnect now rather than after the pause (the browser says it is online again). */
  retryNow(): void {
    if (!this.started || this.finished || this.socket !== null) return;
    this.clear('retryHandle');
    this.connect();
  }

  /**
   * The session time of a device time, from the best clock estimate (or the rough one from
   * joining); null before the device has joined.
   */
  sessionTime(deviceTime: Seconds): Seconds | null {
    const offset = this.offset();
    return offset === null ? null : deviceTime + offset;
  }

  /** The device time of a session time; null before the device has joined. */
  deviceTime(sessionTime: Seconds): Seconds | null {
    const offset = this.offset();
    return offset === null ? null : sessionTime - offset;
  }

  /**
   * Records a note, hit or voice frame played at device time `at` (the moment of the touch):
   * stamps it on the session clock, keeps it and sends it. Returns the message, or null when this
   * device may not play now (not admitted yet, a speaker, or no longer in the room).
   */
  play(event: Unstamped, at: Seconds): ClientMessageOf<'play'> | null {
    if (this.phase !== 'in-room' || this.role === 'speaker') return null;
    const t = this.stamp(at);
    if (t === null) return null;
    return this.keep((clientSeq) => ({ type: 'play', clientSeq, event: { ...event, t } as PlayedEvent }));
  }

  /** Steers the companion (therapist only), stamped at device time `at`. */
  steer(control: SteeringControl, at: Seconds): ClientMessageOf<'steer'> | null {
    if (this.phase !== 'in-room' || this.role !== 'therapist') return null;
    const t = this.stamp(at);
    if (t === null) return null;
    return this.keep((clientSeq) => ({ type: 'steer', clientSeq, t, control }));
  }

  /** Drops an index mark on the recording (therapist only), stamped at device time `at`. */
  mark(note: string, tags: readonly string[], at: Seconds): ClientMessageOf<'mark'> | null {
    if (this.phase !== 'in-room' || this.role !== 'therapist') return null;
    const t = this.stamp(at);
    if (t === null) return null;
    return this.keep((clientSeq) => ({ type: 'mark', clientSeq, t, note, tags: [...tags] }));
  }

  /** Lets a waiting device in (therapist); false when the link is down and nothing was sent. */
  admit(participant: string, seat?: number): boolean {
    return this.sendNow({ type: 'admit', participant, ...(seat === undefined ? {} : { seat }) });
  }

  /** Turns a waiting device away or removes a participant (therapist); false when not sent. */
  dismiss(participant: string): boolean {
    return this.sendNow({ type: 'dismiss', participant });
  }

  /** Leaves for good: says bye, and forgets the seat (what was not acknowledged is let go too). */
  leave(): void {
    if (this.finished) return;
    this.sendNow({ type: 'bye' });
    this.keeper.forget();
    this.finish({ code: 'left', message: 'You left the session.' });
  }

  /** Stops without leaving (the page is going away): the seat and the kept events stay kept. */
  close(): void {
    if (this.finished) return;
    this.save();
    this.finished = true;
    this.stopTimers();
    this.dropSocket(1001, 'page closed');
  }

  // ---- the link ----

  private connect(): void {
    const generation = ++this.generation;
    this.joined = false;
    const current = () => generation === this.generation;
    this.socket = this.options.connect({
      open: () => {
        if (current()) this.opened();
      },
      message: (text) => {
        if (current()) this.received(text);
      },
      close: () => {
        if (current()) this.lost();
      },
    });
    this.emitStatus();
  }

  private opened(): void {
    const join = this.options.join;
    const who = { role: join.role, device: join.device };
    const hello: ClientMessageOf<'hello'> =
      this.resumeToken !== null
        ? { type: 'hello', protocol: PROTOCOL_VERSION, ...who, resume: this.resumeToken }
        : {
            type: 'hello',
            protocol: PROTOCOL_VERSION,
            ...who,
            room: join.code,
            ...(join.key === undefined ? {} : { key: join.key }),
            ...(join.name === undefined ? {} : { name: join.name }),
            ...(join.seat === undefined ? {} : { seat: join.seat }),
          };
    this.lastHeard = this.options.deviceNow();
    this.socket?.send(encode(hello));
  }

  /** The socket ended, or was found dead: try again after a pause unless the device is done. */
  private lost(): void {
    this.socket = null;
    this.joined = false;
    this.clear('pingHandle');
    this.clear('resendHandle');
    if (this.finished) return;
    const pause = this.paused
      ? PAUSED_RETRY
      : (BACKOFF[Math.min(this.attempts, BACKOFF.length - 1)] as number);
    this.attempts++;
    // Spread between three quarters and five quarters of the pause, so a room's devices do not
    // all come back in the same instant after the studio's Wi-Fi returns.
    // (While the room is not running, only ever later than the pause: never over four a minute.)
    const spread = pause * ((this.paused ? 1 : 0.75) + 0.5 * this.random());
    this.clear('retryHandle');
    this.retryHandle = this.timer.setTimeout(() => {
      this.retryHandle = null;
      if (!this.finished) this.connect();
    }, spread * 1000);
    this.emitStatus();
  }

  private dropSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    this.generation++;
    try {
      socket?.close(code, reason);
    } catch {
      // A socket that cannot even close is gone already.
    }
  }

  private link(): Link {
    if (this.joined) return 'connected';
    if (this.attempts >= OFFLINE_AFTER) return 'offline';
    return this.everJoined ? 'reconnecting' : 'connecting';
  }

  // ---- what arrives ----

  private received(text: string): void {
    this.lastHeard = this.options.deviceNow();
    const checked = parseServerMessage(text);
    if (!checked.ok) {
      const { code, path, reason } = checked.issue;
      this.emit(
        'problem',
        `the studio sent a message this device cannot read (${code} at ${path || '/'}: ${reason})`,
      );
      return;
    }
    this.handle(checked.message);
  }

  private handle(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        this.resumeToken = message.resume;
        this.participant = message.participant;
        this.role = message.role;
        this.seat = message.seat;
        this.colour = message.colour;
        this.inRoom(message.session, message.nextClientSeq, message.now);
        return;
      case 'admitted':
        this.participant = message.participant;
        this.role = message.role;
        this.seat = message.seat;
        this.colour = message.colour;
        this.inRoom(message.session, message.nextClientSeq, message.now);
        return;
      case 'waiting':
        this.resumeToken = message.resume;
        this.participant = message.participant;
        this.phase = 'waiting';
        this.connected();
        this.save();
        this.emitStatus();
        return;
      case 'refused':
        this.refused(message);
        return;
      case 'pong':
        if (this.clock.pong(message, this.options.deviceNow())) {
          if (this.firstPings < FIRST_PINGS) this.ping();
          this.emitStatus();
        }
        return;
      case 'ack':
        if (this.outbox.ack(message.clientSeq)) {
          this.keeper.release(message.clientSeq);
          this.emitStatus();
        }
        this.emit('ack', message);
        return;
      case 'state':
        this.lastState = message;
        this.seatFrom(message);
        this.emit('state', message);
        return;
      case 'relay':
        this.emit('relay', message);
        return;
      case 'companion':
        this.emit('companion', message);
        return;
      case 'perception':
        this.emit('perception', message);
        return;
      case 'error':
        this.serverError(message);
        return;
    }
  }

  /** Joined or rejoined: the link counts as good again, the clock is pinged (once per link). */
  private connected(): void {
    if (this.joined) return;
    this.joined = true;
    this.paused = false;
    this.everJoined = true;
    this.attempts = 0;
    this.clear('retryHandle');
    this.firstPings = 0;
    this.ping();
  }

  private inRoom(session: string, nextClientSeq: number, now: Seconds): void {
    if (this.session !== null && this.session !== session && this.outbox.size > 0) {
      // Events of another session (the room closed and its code came round again) belong to no
      // log this device can reach now.
      this.emit('problem', `${this.outbox.size} events of an earlier session could not be recorded`);
      for (const event of this.outbox.pending()) this.keeper.release(event.clientSeq);
      this.outbox = new Outbox<KeptEvent>(nextClientSeq);
    }
    this.session = session;
    this.admitted = true;
    this.phase = 'in-room';
    this.outbox.resume(nextClientSeq);
    if (this.clock.estimate() === null) this.roughOffset = now - this.options.deviceNow();
    this.connected();
    for (const event of this.outbox.pending()) this.socket?.send(encode(event));
    this.save();
    this.emitStatus();
  }

  private seatFrom(state: ServerMessageOf<'state'>): void {
    const me = state.participants.find((p) => p.participant === this.participant);
    if (!me) return;
    if (me.seat !== this.seat || me.colour !== this.colour) {
      this.seat = me.seat;
      this.colour = me.colour;
      this.emitStatus();
    }
  }

  private refused(message: ServerMessageOf<'refused'>): void {
    if (message.code === 'unknown-resume') {
      // The seat lapsed: ask for one again with the room code (back to the waiting area).
      this.resumeToken = null;
      this.phase = 'joining';
      this.admitted = false;
      this.save();
      this.emitStatus();
      return;
    }
    if (message.code === 'unknown-room' && this.session !== null && this.role !== 'therapist') {
      // The room this device played in is not running (the studio restarted and the session waits
      // for the therapist to resume it, or it ended while the device was away). Its seat and what
      // it kept are held, and it asks again now and then, slowly enough never to count as guessing.
      this.paused = true;
      this.resumeToken = null;
      this.phase = 'joining';
      this.admitted = false;
      this.save();
      this.emitStatus();
      return;
    }
    if (!FINAL.has(message.code)) return; // flood, not-joined: the close that follows brings a retry
    if (FORGET.has(message.code)) this.keeper.forget();
    this.finish({ code: message.code, message: message.message });
  }

  private serverError(message: ServerMessageOf<'error'>): void {
    this.emit('error', message);
    const clientSeq = message.ref.clientSeq;
    switch (message.code) {
      case 'not-recorded':
      case 'rate-limited':
        this.resendSoon();
        return;
      case 'invalid':
      case 'forbidden':
        // An event the room will never take: sending it again would only be refused again.
        if (clientSeq !== undefined && this.outbox.ack(clientSeq)) {
          this.refusedEvents++;
          this.keeper.release(clientSeq);
          this.emitStatus();
        }
        return;
      default:
        return;
    }
  }

  // ---- what leaves ----

  private stamp(at: Seconds): Seconds | null {
    const t = this.sessionTime(at);
    if (t === null || !Number.isFinite(t)) return null;
    // Microseconds are finer than any touch; the session clock starts at 0.
    return Math.min(MAX_SESSION_TIME, Math.max(0, Math.round(t * 1e6) / 1e6));
  }

  private keep<M extends KeptEvent>(build: (clientSeq: number) => M): M {
    const message = this.outbox.add(build) as M;
    // Kept on the device before it leaves it: a reload a moment later still has it.
    this.keeper.keep(message);
    if (this.joined) this.socket?.send(encode(message));
    this.emitStatus();
    return message;
  }

  private sendNow(message: ClientMessage): boolean {
    if (!this.joined || !this.socket) return false;
    this.socket.send(encode(message));
    return true;
  }

  private resendSoon(): void {
    if (this.resendHandle !== null) return;
    this.resendHandle = this.timer.setTimeout(() => {
      this.resendHandle = null;
      if (this.joined && this.phase === 'in-room') {
        for (const event of this.outbox.pending()) this.socket?.send(encode(event));
      }
    }, RESEND_AFTER * 1000);
  }

  private ping(): void {
    if (!this.socket) return;
    this.firstPings++;
    this.socket.send(encode(this.clock.ping(this.options.deviceNow())));
    this.clear('pingHandle');
    const wait = this.firstPings < FIRST_PINGS ? DEAD_AFTER : PING_EVERY;
    this.pingHandle = this.timer.setTimeout(() => {
      this.pingHandle = null;
      this.checkAlive();
    }, wait * 1000);
  }

  private checkAlive(): void {
    if (!this.joined) return;
    if (this.options.deviceNow() - this.lastHeard >= DEAD_AFTER) {
      // Nothing heard for a while: the link is gone even if the socket has not noticed yet.
      this.dropSocket(4000, 'no answer');
      this.lost();
      return;
    }
    this.firstPings = Math.max(this.firstPings, FIRST_PINGS);
    this.ping();
  }

  // ---- bookkeeping ----

  private offset(): Seconds | null {
    return this.clock.estimate()?.offset ?? this.roughOffset;
  }

  private finish(ended: Ended): void {
    this.finished = true;
    this.ended = ended;
    this.phase = 'ended';
    this.joined = false;
    this.stopTimers();
    this.dropSocket(1000, ended.code);
    this.emitStatus();
  }

  private stopTimers(): void {
    this.clear('pingHandle');
    this.clear('retryHandle');
    this.clear('resendHandle');
  }

  private clear(which: 'pingHandle' | 'retryHandle' | 'resendHandle'): void {
    const handle = this[which];
    if (handle !== null) this.timer.clearTimeout(handle);
    this[which] = null;
  }

  private save(): void {
    // A device that left, or whose room is gone, keeps nothing.
    if (this.ended && (this.ended.code === 'left' || FORGET.has(this.ended.code))) return;
    const { key: _key, code, ...join } = this.options.join;
    this.keeper.save({
      code,
      join,
      resume: this.resumeToken,
      participant: this.participant,
      session: this.session,
      admitted: this.admitted,
      nextClientSeq: this.outbox.nextClientSeq,
    });
  }

  private emitStatus(): void {
    this.emit('status', this.status);
  }

  private emit<K extends keyof LiveEvents>(kind: K, value: LiveEvents[K]): void {
    for (const listener of this.listeners[kind] as Set<(value: LiveEvents[K]) => void>) {
      try {
        listener(value);
      } catch (error) {
        // A listener's mistake must not stop the connection (or the other listeners).
        console.error(`live connection: a ${kind} listener failed:`, error);
      }
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
