/**
 * What room tests share: a store with one open session, a directory on a manual clock, and
 * simulated devices that speak the protocol over in-memory sockets, keep an outbox of
 * unacknowledged events and check every message they receive against its schema.
 */
import { createRng } from '@attune/engine';
import {
  type ClientMessageOf,
  type ClientType,
  encode,
  Outbox,
  PROTOCOL_VERSION,
  parseServerMessage,
  type ServerMessage,
  type ServerMessageOf,
  type ServerType,
} from '@attune/protocol';
import { openSqlite, type Store } from '../storage/index.ts';
import { type DirectoryOptions, RoomDirectory } from './directory.ts';
import type { LogWriter } from './recorder.ts';
import type { Room, RoomOptions } from './room.ts';
import { ManualScheduler } from './scheduler.ts';
import { type DeviceSocket, socketPair } from './socket.ts';

export const SESSION = 'session-1';
export const KEY = 'therapist-key-for-tests';

/** Lets every pending write and the acknowledgements after it happen. */
export async function settle(room: Room): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await room.idle();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A store, a manual clock, a directory and one open room. */
export async function roomSetup(
  options: {
    seed?: number;
    room?: Partial<RoomOptions>;
    directory?: Partial<DirectoryOptions>;
    log?: (store: Store) => LogWriter;
  } = {},
) {
  const store = await openSqlite(':memory:');
  await store.sessions.create({ id: SESSION, title: 'Group music', startedAt: '2026-11-25T10:00:00.000Z' });
  const clock = new ManualScheduler();
  const rng = createRng(options.seed ?? 1);
  const directory = new RoomDirectory({
    now: () => clock.now,
    scheduler: clock,
    random: (n) => Uint8Array.from({ length: n }, () => rng.int(0, 255)),
    ...options.directory,
  });
  const errors: Array<{ error: unknown; where: string }> = [];
  const room = directory.open({
    session: SESSION,
    therapistKey: KEY,
    log: options.log ? options.log(store) : store.sessions,
    clock: () => clock.now,
    wallClock: () => '2026-11-25T10:00:00.000Z',
    companion: null,
    onError: (error, where) => errors.push({ error, where }),
    ...options.room,
  });
  return { store, clock, directory, room, errors };
}

type Sent = ClientMessageOf<'play' | 'steer' | 'mark'>;
type Unsent<M> = M extends Sent ? Omit<M, 'clientSeq'> : never;

/** A simulated device: a socket, an outbox, and every message it received, checked. */
export class Device {
  socket: DeviceSocket;
  readonly outbox = new Outbox<Sent>();
  participant: string | null = null;
  token: string | null = null;
  /** Every ack received: clientSeq → seq. */
  readonly acks = new Map<number, number>();
  /** Every message received over every connection, in order. */
  readonly inbox: ServerMessage[] = [];
  private read = 0;

  constructor(
    private readonly directory: RoomDirectory,
    readonly peer = '192.168.1.20',
  ) {
    this.socket = this.open();
  }

  private open(): DeviceSocket {
    const [device, server] = socketPair();
    this.directory.connect(server, this.peer);
    this.read = 0;
    return device;
  }

  /** Reads what arrived: checks each message, takes acks off the outbox, notes the seat and token. */
  take(): ServerMessage[] {
    const fresh: ServerMessage[] = [];
    while (this.read < this.socket.received.length) {
      const text = this.socket.received[this.read++] as string;
      const checked = parseServerMessage(text);
      if (!checked.ok)
        throw new Error(
          `the server sent a bad message (${checked.issue.path} ${checked.issue.reason}): ${text}`,
        );
      const m = checked.message;
      if (m.type === 'ack') {
        const before = this.acks.get(m.clientSeq);
        if (before !== undefined && before !== m.seq) {
          throw new Error(`clientSeq ${m.clientSeq} acknowledged as ${before} and then as ${m.seq}`);
        }
        this.acks.set(m.clientSeq, m.seq);
        this.outbox.ack(m.clientSeq);
      }
      if (m.type === 'welcome' || m.type === 'waiting') {
        this.participant = m.participant;
        this.token = m.resume;
      }
      if (m.type === 'welcome' || m.type === 'admitted') this.outbox.resume(m.nextClientSeq);
      fresh.push(m);
      this.inbox.push(m);
    }
    return fresh;
  }

  /** Every message of one type received so far. */
  all<K extends ServerType>(type: K): ServerMessageOf<K>[] {
    this.take();
    return this.inbox.filter((m): m is ServerMessageOf<K> => m.type === type);
  }

  /** The latest message of one type, or undefined. */
  last<K extends ServerType>(type: K): ServerMessageOf<K> | undefined {
    return this.all(type).at(-1);
  }

  /** How many sent events still wait for an acknowledgement (after reading what arrived). */
  unacked(): number {
    this.take();
    return this.outbox.size;
  }

  raw(text: string): void {
    this.socket.send(text);
  }

  send(message: { type: ClientType } & Record<string, unknown>): void {
    this.socket.send(JSON.stringify(message));
  }

  join(
    role: 'therapist' | 'participant' | 'speaker',
    code: string,
    extra: Record<string, unknown> = {},
  ): void {
    this.send({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      role,
      room: code,
      device: `${role} device`,
      ...(role === 'therapist' ? { key: KEY } : {}),
      ...extra,
    });
    this.take();
  }

  /** Numbers an event, keeps it in the outbox and sends it (if the link is up). */
  emit(message: Unsent<Sent>): Sent {
    const sent = this.outbox.add((clientSeq) => ({ ...message, clientSeq }) as Sent);
    if (this.socket.open) this.socket.send(encode(sent));
    return sent;
  }

  /** Connects again with the resume token and sends everything unacknowledged. */
  reconnect(): void {
    this.take();
    if (this.token === null) throw new Error('no resume token to reconnect with');
    this.socket = this.open();
    this.send({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      role: 'participant',
      resume: this.token,
      device: 'again',
    });
    this.take();
    this.resend();
  }

  /** Sends every unacknowledged event again. */
  resend(): void {
    for (const m of this.outbox.pending()) this.socket.send(encode(m));
  }
}
