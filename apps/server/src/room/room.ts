/**
 * A live room: the devices of one session, the therapist who admits and steers, and the companion
 * the room host runs. It knows nothing of HTTP or WebSockets: it takes {@link Connection}s (any
 * socket with send, close and two handlers), a session clock, a scheduler and the session log,
 * so tests run it over in-memory sockets with time moved by hand.
 *
 * Rules it keeps:
 * - a participant joins by room code into a waiting area and plays only once the therapist
 *   admits them; a participant or speaker never steers, marks, admits or dismisses;
 * - every play, steer and mark is durable in the session log before it is acknowledged, relayed
 *   or heard; a resend is recognised by participant and clientSeq, acknowledged again with its
 *   first seq, and goes no further;
 * - the companion plans on a tick with a lookahead and its notes go to every device before their
 *   time; they are logged as the companion's events;
 * - nothing a device sends can make the room throw: a failure is reported and the room goes on.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Seconds } from '@attune/engine';
import type { PlannedNote } from '@attune/engine/companion';
import {
  type ClientMessage,
  type ClientMessageOf,
  colourOf,
  encode,
  MAX_SEATS,
  PROTOCOL_VERSION,
  type ServerMessage,
  type ServerMessageOf,
} from '@attune/protocol';
import type { AppendInput } from '../storage/index.ts';
import { CLOSE_GOING_AWAY, CLOSE_NORMAL, type Connection } from './connection.ts';
import { CompanionHost, type CompanionSetup, type Listener } from './host.ts';
import { type Continuation, type Member, type MemberView, Roster, THERAPIST } from './members.ts';
import { type LogWriter, Recorder } from './recorder.ts';
import type { Scheduler } from './scheduler.ts';

/** How a room is set up. */
export interface RoomOptions {
  /** The session whose log the room writes. */
  readonly session: string;
  readonly code: string;
  /** The credential a therapist's hello must carry. */
  readonly therapistKey: string;
  readonly log: LogWriter;
  /** Seconds on the session clock. */
  readonly clock: () => Seconds;
  readonly scheduler: Scheduler;
  /** A fresh resume token (16 to 64 characters of A–Z, a–z, 0–9, _ and -). */
  readonly token: () => string;
  /** Wall-clock time as ISO text, stamped on logged batches (by default the system clock). */
  readonly wallClock?: () => string;
  /** The companion, or null for a room without one. */
  readonly companion?: CompanionSetup | null;
  /** Seconds between perception summaries to the therapist (default 1). */
  readonly perceptionEvery?: Seconds;
  /** How long a dropped device keeps its seat and may resume (default 15 minutes). */
  readonly resumeWindow?: Seconds;
  /** Most devices in the room, waiting ones included (default {@link DEFAULT_MAX_MEMBERS}). */
  readonly maxMembers?: number;
  /** How far ahead of the session clock a device's event may be stamped (default 1 s). */
  readonly maxAhead?: Seconds;
  /**
   * Where numbering resumes when a room is reopened on a session that already has a log (after a
   * server restart): see {@link continuation}. Without it numbering starts afresh.
   */
  readonly continueFrom?: Continuation;
  /** Where failures the room survives are reported (a store that refused a batch, a broken plan). */
  readonly onError?: (error: unknown, where: string) => void;
}

/** What a hello led to, for the directory's count of failed guesses. */
export type JoinOutcome = 'joined' | 'bad-key' | 'unknown-resume' | 'refused';

/** Participants heard within this long get perception summaries. */
const PERCEPTION_RECENT: Seconds = 30;
/** Every seat taken, the therapist, a few speakers and a few devices still waiting. */
export const DEFAULT_MAX_MEMBERS = MAX_SEATS + 8;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** A live room. */
export class Room {
  readonly code: string;
  readonly session: string;
  private readonly options: RoomOptions;
  private readonly members: Roster;
  private readonly recorder: Recorder;
  private readonly host: CompanionHost | null;
  private readonly keyDigest: Buffer;
  private companionSeq: number;
  private timer: unknown = null;
  private nextTickAt: Seconds;
  private nextPerception: Seconds;
  private closed = false;

  constructor(options: RoomOptions) {
    if (!options.therapistKey) throw new RangeError('a room needs a therapist key, got: empty');
    this.options = options;
    this.code = options.code;
    this.session = options.session;
    this.keyDigest = digest(options.therapistKey);
    this.members = new Roster(options.token, options.continueFrom);
    this.recorder = new Recorder(
      options.log,
      options.session,
      options.wallClock ?? (() => new Date().toISOString()),
    );
    this.host = options.companion ? new CompanionHost(options.companion) : null;
    this.companionSeq = options.continueFrom?.companion ?? 0;
    const now = options.clock();
    this.nextTickAt = now;
    this.nextPerception = now + this.perceptionEvery;
    this.schedule();
  }

  private get perceptionEvery(): Seconds {
    return this.options.perceptionEvery ?? 1;
  }

  /** Takes a device whose hello named this room or one of its resume tokens. */
  join(connection: Connection, hello: ClientMessageOf<'hello'>): JoinOutcome {
    if (this.closed) {
      connection.refuse('room-closed', 'the session has ended', CLOSE_GOING_AWAY);
      return 'refused';
    }
    if (hello.resume !== undefined) return this.resume(connection, hello.resume, hello.device);
    if (hello.role === 'therapist') {
      if (!this.keyMatches(hello.key ?? '')) {
        connection.refuse('bad-key', 'the key does not open this room');
        return 'bad-key';
      }
      const therapist =
        this.members.get(THERAPIST) ?? this.members.add('therapist', null, hello.device, null);
      therapist.device = hello.device;
      this.attach(therapist, connection);
      this.sendWelcome(therapist);
      this.broadcastState();
      return 'joined';
    }
    const present = this.members.present().length;
    if (present >= (this.options.maxMembers ?? DEFAULT_MAX_MEMBERS)) {
      connection.refuse('room-full', 'the room is full');
      return 'refused';
    }
    const member = this.members.add(hello.role, hello.name ?? null, hello.device, hello.seat ?? null);
    this.attach(member, connection);
    connection.send({ type: 'waiting', participant: member.id, resume: member.token });
    this.broadcastState();
    return 'joined';
  }

  /** Whether a resume token belongs to this room. */
  hasToken(token: string): boolean {
    return this.members.withToken(token) !== undefined;
  }

  /** The devices in the room. */
  view(): MemberView[] {
    return this.members.view();
  }

  /** Resolves once every event received so far has been written to the log (or refused). */
  idle(): Promise<void> {
    return this.recorder.idle();
  }

  /** Ends the room: stops the host, tells every device, and waits for the log to be written. */
  async close(): Promise<void> {
    if (this.closed) return this.recorder.idle();
    this.closed = true;
    if (this.timer !== null) this.options.scheduler.clearTimeout(this.timer);
    this.timer = null;
    for (const m of this.members.present())
      m.connection?.refuse('room-closed', 'the session has ended', CLOSE_GOING_AWAY);
    await this.recorder.idle();
  }

  private keyMatches(key: string): boolean {
    return timingSafeEqual(digest(key), this.keyDigest);
  }

  private resume(connection: Connection, token: string, device: string): JoinOutcome {
    const member = this.members.withToken(token);
    if (!member || this.expired(member)) {
      connection.refuse('unknown-resume', 'this seat is no longer held: join again with the room code');
      return 'unknown-resume';
    }
    member.device = device;
    this.attach(member, connection);
    if (member.admitted) this.sendWelcome(member);
    else connection.send({ type: 'waiting', participant: member.id, resume: member.token });
    this.broadcastState();
    return 'joined';
  }

  private expired(member: Member): boolean {
    const window = this.options.resumeWindow ?? 900;
    return (
      member.connection === null && member.goneAt !== null && this.options.clock() - member.goneAt > window
    );
  }

  private attach(member: Member, connection: Connection): void {
    const old = member.connection;
    member.connection = connection;
    member.goneAt = null;
    // The old connection (a half-open link, another tab) ends; its end must not unseat the new one.
    old?.refuse('replaced', 'this seat was taken up by a new connection');
    connection.joined = true;
    connection.receiver = (message) => this.receive(member, connection, message);
    connection.onEnd = () => this.gone(member, connection);
  }

  private gone(member: Member, connection: Connection): void {
    if (member.connection !== connection) return;
    member.connection = null;
    member.goneAt = this.options.clock();
    if (!this.closed) this.broadcastState();
  }

  private sendWelcome(member: Member): void {
    member.connection?.send({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      participant: member.id,
      role: member.role,
      seat: member.seat,
      colour: colourOf(member.seat),
      resume: member.token,
      session: this.session,
      nextClientSeq: member.nextClientSeq,
      now: this.options.clock(),
    });
  }

  private receive(member: Member, connection: Connection, message: ClientMessage): void {
    try {
      this.dispatch(member, connection, message);
    } catch (error) {
      this.report(error, `handling ${message.type} from ${member.id}`);
      connection.error('invalid', 'the message could not be handled', refOf(message));
    }
  }

  private dispatch(member: Member, connection: Connection, message: ClientMessage): void {
    const ref = refOf(message);
    switch (message.type) {
      case 'hello':
        connection.error('already-joined', 'this connection has joined already', ref);
        return;
      case 'ping': {
        const t1 = this.options.clock();
        connection.send({ type: 'pong', id: message.id, t0: message.t0, t1, t2: this.options.clock() });
        return;
      }
      case 'bye':
        // The therapist's place outlasts a bye: their key brings them back, numbering on.
        if (member.role !== 'therapist') this.leave(member);
        connection.close(CLOSE_NORMAL, 'bye');
        return;
      case 'play':
        if (!member.admitted) {
          connection.error('not-admitted', 'wait until the therapist lets you in', ref);
          return;
        }
        if (member.role === 'speaker') {
          connection.error('forbidden', 'a speaker plays what others play', ref);
          return;
        }
        if (!this.inTime(message.event.t, connection, ref)) return;
        // The room hears the event at once and the device is acknowledged once it is durable: the
        // others play along without waiting for the disk, and the device keeps the event until the
        // log has it, so nothing heard can be lost from the recording.
        if (message.clientSeq > member.heardUpTo) {
          member.heardUpTo = message.clientSeq;
          try {
            this.relay(member, message.clientSeq, message.event);
            this.host?.hear(member.id, message.event);
            member.listener?.hear(message.event);
          } catch (error) {
            this.report(error, `hearing play ${member.id}#${message.clientSeq}`);
          }
        }
        this.record(member, connection, message, message.event.t, { event: message.event }, () => {});
        return;
      case 'steer': {
        if (member.role !== 'therapist') {
          connection.error('forbidden', 'only the therapist steers the companion', ref);
          return;
        }
        if (!this.host) {
          connection.error('invalid', 'this room has no companion to steer', ref);
          return;
        }
        const reason = this.host.refuse(message.control);
        if (reason !== null) {
          connection.error('invalid', reason, ref, '/control');
          return;
        }
        if (!this.inTime(message.t, connection, ref)) return;
        const host = this.host;
        this.record(member, connection, message, message.t, { control: message.control }, () => {
          host.steer(message.control, this.options.clock());
          this.broadcastState();
        });
        return;
      }
      case 'mark':
        if (member.role !== 'therapist') {
          connection.error('forbidden', 'only the therapist marks the recording', ref);
          return;
        }
        if (!this.inTime(message.t, connection, ref)) return;
        this.record(
          member,
          connection,
          message,
          message.t,
          { note: message.note, tags: message.tags },
          () => {},
        );
        return;
      case 'admit':
        if (member.role !== 'therapist') {
          connection.error('forbidden', 'only the therapist admits', ref);
          return;
        }
        this.admit(connection, message, ref);
        return;
      case 'dismiss': {
        if (member.role !== 'therapist') {
          connection.error('forbidden', 'only the therapist dismisses', ref);
          return;
        }
        const target = this.members.get(message.participant);
        if (!target || target.role === 'therapist') {
          connection.error('unknown-participant', `no participant ${message.participant} to dismiss`, ref);
          return;
        }
        this.leave(target);
        target.connection?.refuse('dismissed', 'the therapist has closed this seat');
        return;
      }
    }
  }

  private inTime(t: Seconds, connection: Connection, ref: ServerMessageOf<'error'>['ref']): boolean {
    const ahead = t - this.options.clock();
    const limit = this.options.maxAhead ?? 1;
    if (ahead <= limit) return true;
    connection.error(
      'invalid',
      `the event is stamped ${ahead.toFixed(3)} s ahead of the session clock: sync the clock`,
      ref,
      '/t',
    );
    return false;
  }

  private admit(
    connection: Connection,
    message: ClientMessageOf<'admit'>,
    ref: ServerMessageOf<'error'>['ref'],
  ): void {
    const target = this.members.get(message.participant);
    if (!target || target.role === 'therapist') {
      connection.error('unknown-participant', `no device ${message.participant} to admit`, ref);
      return;
    }
    const seat = this.members.seatFor(target, message.seat);
    if (seat !== null && typeof seat === 'object') {
      connection.error('seat-taken', seat.refused, ref, message.seat === undefined ? undefined : '/seat');
      return;
    }
    const first = !target.admitted;
    target.admitted = true;
    target.seat = seat;
    if (first) {
      target.connection?.send({
        type: 'admitted',
        participant: target.id,
        role: target.role,
        seat,
        colour: colourOf(seat),
        session: this.session,
        nextClientSeq: target.nextClientSeq,
        now: this.options.clock(),
      });
    }
    this.broadcastState();
  }

  private leave(member: Member): void {
    this.members.leave(member);
    this.broadcastState();
  }

  /**
   * Logs an event and, once it is durable, acknowledges it; `then` runs for a first arrival only,
   * never for a resend, so a resend is neither relayed nor heard twice.
   */
  private record(
    member: Member,
    connection: Connection,
    message: ClientMessageOf<'play' | 'steer' | 'mark'>,
    t: Seconds,
    payload: unknown,
    then: (seq: number) => void,
  ): void {
    const input: AppendInput = {
      participant: member.id,
      clientSeq: message.clientSeq,
      t,
      type: message.type,
      payload,
    };
    this.recorder.record(input).then(
      (appended) => {
        member.nextClientSeq = Math.max(member.nextClientSeq, appended.clientSeq + 1);
        // The acknowledgement goes to the device's connection of now: after a reconnect, the new one.
        (member.connection ?? connection).send({
          type: 'ack',
          clientSeq: appended.clientSeq,
          seq: appended.seq,
          duplicate: appended.duplicate,
        });
        if (appended.duplicate || this.closed) return;
        try {
          then(appended.seq);
        } catch (error) {
          this.report(error, `after logging ${message.type} ${member.id}#${message.clientSeq}`);
        }
      },
      (error: unknown) => {
        this.report(error, `logging ${message.type} ${member.id}#${message.clientSeq}`);
        (member.connection ?? connection).error(
          'not-recorded',
          'the event could not be recorded: keep it and send it again',
          refOf(message),
        );
      },
    );
  }

  private relay(from: Member, clientSeq: number, event: ClientMessageOf<'play'>['event']): void {
    const text = encode({ type: 'relay', participant: from.id, clientSeq, event } satisfies ServerMessage);
    for (const m of this.members.present())
      if (m !== from && this.listening(m)) m.connection?.sendEncoded(text);
  }

  private listening(m: Member): boolean {
    return !m.left && m.admitted && m.connection !== null;
  }

  private broadcastState(): void {
    if (this.closed) return;
    const shown = this.host?.settings() ?? null;
    const settings = shown && { ...shown, techniques: [...shown.techniques], voices: [...shown.voices] };
    for (const m of this.members.present()) {
      if (this.listening(m)) m.connection?.send(this.members.stateFor(m, settings));
    }
  }

  private schedule(): void {
    if (this.closed) return;
    const period = this.host ? this.host.tick : this.perceptionEvery;
    const now = this.options.clock();
    // Ticks keep to their grid; after a stall the room catches up at once rather than in a burst.
    this.nextTickAt = Math.max(this.nextTickAt + period, now);
    this.timer = this.options.scheduler.setTimeout(
      () => {
        this.timer = null;
        this.tick();
        this.schedule();
      },
      (this.nextTickAt - now) * 1000,
    );
  }

  /** One tick of the room host: plan and send the companion's notes, perception, expired seats. */
  private tick(): void {
    const now = this.options.clock();
    if (this.host) {
      let notes: PlannedNote[] = [];
      try {
        notes = this.host.plan(now);
      } catch (error) {
        // A broken plan costs one window of silence, not the session.
        this.report(error, `planning at ${now}`);
      }
      if (notes.length > 0) this.sendCompanion(notes);
    }
    if (now >= this.nextPerception) {
      this.nextPerception = now + this.perceptionEvery;
      this.sendPerception(now);
    }
    for (const m of this.members.present()) {
      if (!m.admitted && this.expired(m)) this.leave(m);
    }
  }

  private sendCompanion(notes: readonly PlannedNote[]): void {
    for (let i = 0; i < notes.length; i += 256) {
      const batch = notes.slice(i, i + 256).map((n) => ({
        pitch: n.pitch,
        velocity: Math.max(1, Math.min(127, Math.round(n.velocity))),
        start: n.start,
        duration: n.duration,
        voice: n.voice,
      }));
      const text = encode({ type: 'companion', notes: batch } satisfies ServerMessage);
      for (const m of this.members.present()) if (this.listening(m)) m.connection?.sendEncoded(text);
    }
    // Sent first, logged after: the notes must reach the devices before their time, and they are
    // the room's own, so there is no acknowledgement to wait for.
    for (const n of notes) {
      const input: AppendInput = {
        participant: 'companion',
        clientSeq: this.companionSeq++,
        t: n.start,
        type: 'companion',
        payload: { pitch: n.pitch, velocity: n.velocity, duration: n.duration, voice: n.voice },
      };
      this.recorder.record(input).catch((error: unknown) => this.report(error, 'logging the companion'));
    }
  }

  private sendPerception(now: Seconds): void {
    const therapist = this.members.get(THERAPIST);
    if (!therapist?.connection) return;
    for (const m of this.members.present()) {
      const heard = m.listener?.lastHeard;
      if (heard === null || heard === undefined || now - heard > PERCEPTION_RECENT) continue;
      try {
        therapist.connection.send((m.listener as Listener).summary(m.id, now));
      } catch (error) {
        this.report(error, `perception of ${m.id}`);
      }
    }
  }

  private report(error: unknown, where: string): void {
    try {
      this.options.onError?.(error, where);
    } catch {
      // A failing reporter must not take the room down with it.
    }
  }
}

function refOf(message: ClientMessage): ServerMessageOf<'error'>['ref'] {
  const ref: { type: string; clientSeq?: number; id?: number } = { type: message.type };
  if ('clientSeq' in message) ref.clientSeq = message.clientSeq;
  if (message.type === 'ping') ref.id = message.id;
  return ref;
}
