/**
 * The devices of the live benchmarks, run in a process of their own so that the server's CPU and
 * the clients' are measured apart (`node --import tsx bench/live-clients.ts CONFIG_JSON`). Prints
 * one JSON line with what it measured.
 *
 * Two kinds of server:
 * - `bare`: a plain WebSocket relay (the baseline): a device's first frame names its room, and
 *   every later frame goes to every other device of that room; the devices send note-sized frames
 *   stamped with a number.
 * - `attune`: the studio. A therapist's device joins each room with its key and admits the
 *   participants, who then play notes; the relays to the others, the companion's notes and the
 *   clock exchange are measured.
 *
 * Times are read from `performance.timeOrigin + performance.now()`, which the server process reads
 * alike on the same machine, so the true session clock is known here when the bench passes the
 * moment each session began (`epochMs`).
 */
import { type ClockSample, estimateClock, PROTOCOL_VERSION } from '@attune/protocol';
import WebSocket from 'ws';

export interface RoomTarget {
  readonly code: string;
  readonly key: string;
  /** Absolute milliseconds at session time 0, for the true clock error (optional). */
  readonly epochMs?: number;
}

export interface ClientConfig {
  readonly kind: 'bare' | 'attune';
  /** ws://host:port/path */
  readonly url: string;
  /** One entry per room (for `bare`, the codes are ignored and every room is the one relay). */
  readonly rooms: readonly RoomTarget[];
  /** Participants per room. */
  readonly players: number;
  /** Which participants play: `one` (the first of each room) or `all`. */
  readonly senders: 'one' | 'all';
  /** Notes per second per sending participant. */
  readonly rate: number;
  /** Seconds of playing. */
  readonly seconds: number;
}

export interface ClientReport {
  /** Relay latency in milliseconds, send to receipt, of every receipt (µs resolution). */
  readonly latencies: number[];
  /** This process's CPU over the playing, as a share of one core (the harness must not be the bottleneck). */
  readonly cpu: number;
  /** Receipts expected (sent × receivers) and seen. */
  readonly expected: number;
  readonly received: number;
  /** Companion notes seen, and those that arrived after their start time. */
  readonly companionNotes: number;
  readonly companionLate: number;
  /** Smallest lead (ms) of a companion note's start over its arrival. */
  readonly companionMinLeadMs: number | null;
  /** Per device: the error bound its clock exchange reported, and the true error (ms) when known. */
  readonly clockBoundMs: number[];
  readonly clockTrueErrorMs: number[];
  readonly errors: string[];
}

/** Tells the bench where the playing starts and ends, so it measures the server's CPU over just that. */
const phase = (name: string) => process.stdout.write(`${JSON.stringify({ phase: name })}\n`);
const absMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Messages the measuring does not look at once the devices play: not parsed, so the devices'
 * process spends its time on what is measured (many rooms' devices share this one process).
 */
const UNREAD = /^\{"type":"(ack|perception|state)"/;

/** One device's socket with a queue of parsed messages and waiters. */
class Device {
  readonly socket: WebSocket;
  private handlers: Array<(m: Record<string, unknown>) => void> = [];
  /** Set once joined: acks, perception and state are skipped unread from then on. */
  skimming = false;
  constructor(url: string) {
    this.socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket.on('message', (data) => {
      const text = String(data);
      if (this.skimming && UNREAD.test(text)) return;
      const message = JSON.parse(text) as Record<string, unknown>;
      for (const h of this.handlers) h(message);
    });
  }
  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }
  on(handler: (m: Record<string, unknown>) => void): void {
    this.handlers.push(handler);
  }
  next(type: string, within = 10_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} within ${within} ms`)), within);
      const h = (m: Record<string, unknown>) => {
        if (
          m.type === type ||
          (type === 'welcome-or-admitted' && (m.type === 'welcome' || m.type === 'admitted'))
        ) {
          clearTimeout(timer);
          this.handlers = this.handlers.filter((x) => x !== h);
          resolve(m);
        } else if (m.type === 'refused') {
          clearTimeout(timer);
          reject(new Error(`refused: ${String(m.message)}`));
        }
      };
      this.handlers.push(h);
    });
  }
  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }
}

type Measured = Omit<ClientReport, 'cpu'>;

/** This process's CPU between `start()` and `stop()`, as a share of one core. */
function cpuMeter() {
  let used = process.cpuUsage();
  let wall = performance.now();
  return {
    start() {
      used = process.cpuUsage();
      wall = performance.now();
    },
    stop(): number {
      const u = process.cpuUsage(used);
      return (u.user + u.system) / 1000 / (performance.now() - wall);
    },
  };
}
const meter = cpuMeter();
let devicesCpu = Number.NaN;

async function bare(config: ClientConfig): Promise<Measured> {
  const rooms = await Promise.all(
    config.rooms.map((room) =>
      Promise.all(
        Array.from({ length: config.players + 1 }, async () => {
          const d = new Device(config.url);
          await d.opened();
          d.send({ join: room.code });
          return d;
        }),
      ),
    ),
  );
  await sleep(200);
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  for (const devices of rooms)
    for (const d of devices)
      d.on((m) => {
        const at = sentAt.get(m.n as number);
        if (at !== undefined) latencies.push(Math.round((absMs() - at) * 1000) / 1000);
      });
  const count = Math.round(config.rate * config.seconds);
  let n = 0;
  let receivers = 0;
  phase('playing');
  meter.start();
  const start = absMs();
  for (let i = 0; i < count; i++) {
    for (const devices of rooms) {
      // The first device of each room stands for the therapist's console and only listens.
      const players = devices.slice(1);
      for (const s of config.senders === 'one' ? players.slice(0, 1) : players) {
        const id = n++;
        sentAt.set(id, absMs());
        s.send({
          n: id,
          type: 'play',
          event: { type: 'note', t: i / config.rate, pitch: 60, velocity: 80, duration: 0.2 },
        });
        receivers += devices.length - 1;
      }
    }
    const due = start + ((i + 1) * 1000) / config.rate;
    await sleep(Math.max(0, due - absMs()));
  }
  devicesCpu = meter.stop();
  phase('played');
  await sleep(1000);
  for (const devices of rooms) for (const d of devices) d.socket.close();
  return {
    latencies,
    expected: receivers,
    received: latencies.length,
    companionNotes: 0,
    companionLate: 0,
    companionMinLeadMs: null,
    clockBoundMs: [],
    clockTrueErrorMs: [],
    errors: [],
  };
}

/** Joins one room: the therapist with its key, then each participant, admitted by the therapist. */
async function joinRoom(url: string, room: RoomTarget, players: number) {
  const therapist = new Device(url);
  await therapist.opened();
  const welcomed = therapist.next('welcome');
  therapist.send({
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    role: 'therapist',
    room: room.code,
    key: room.key,
    device: 'bench console',
  });
  await welcomed;
  const participants: Array<{ device: Device; id: string }> = [];
  for (let i = 0; i < players; i++) {
    const d = new Device(url);
    await d.opened();
    const waiting = d.next('waiting');
    d.send({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      role: 'participant',
      room: room.code,
      device: `bench tablet ${i + 1}`,
      name: `P${i + 1}`,
    });
    const { participant } = await waiting;
    const admitted = d.next('welcome-or-admitted');
    therapist.send({ type: 'admit', participant });
    await admitted;
    participants.push({ device: d, id: participant as string });
  }
  return { therapist, participants };
}

/** Eight clock exchanges; the estimate, its bound and (when the epoch is known) its true error. */
async function syncClock(
  d: Device,
  epochMs: number | undefined,
): Promise<{ offset: number; boundMs: number; trueMs: number | null }> {
  const samples: ClockSample[] = [];
  for (let id = 0; id < 8; id++) {
    const t0 = absMs() / 1000;
    const pong = d.next('pong');
    d.send({ type: 'ping', id, t0: t0 % 1e9 });
    const p = await pong;
    samples.push({ t0, t1: p.t1 as number, t2: p.t2 as number, t3: absMs() / 1000 });
  }
  const estimate = estimateClock(samples);
  if (!estimate) throw new Error('no usable clock sample');
  let trueMs: number | null = null;
  if (epochMs !== undefined) {
    const now = absMs();
    const truth = (now - epochMs) / 1000;
    trueMs = Math.abs(now / 1000 + estimate.offset - truth) * 1000;
  }
  return { offset: estimate.offset, boundMs: estimate.error * 1000, trueMs };
}

async function attune(config: ClientConfig): Promise<Measured> {
  const errors: string[] = [];
  const rooms = [];
  for (const room of config.rooms)
    rooms.push({ target: room, ...(await joinRoom(config.url, room, config.players)) });

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let companionNotes = 0;
  let companionLate = 0;
  let companionMinLeadMs: number | null = null;
  const clockBoundMs: number[] = [];
  const clockTrueErrorMs: number[] = [];
  const offsets = new Map<Device, number>();

  for (const room of rooms) {
    for (const d of [room.therapist, ...room.participants.map((p) => p.device)]) {
      const clock = await syncClock(d, room.target.epochMs);
      clockBoundMs.push(clock.boundMs);
      if (clock.trueMs !== null) clockTrueErrorMs.push(clock.trueMs);
      d.on((m) => {
        if (m.type === 'relay') {
          const event = m.event as { t: number };
          const at = sentAt.get(`${room.target.code}/${m.participant as string}/${event.t}`);
          if (at !== undefined) latencies.push(Math.round((absMs() - at) * 1000) / 1000);
        } else if (m.type === 'companion' && d !== room.therapist) {
          const now = absMs() / 1000 + clock.offset;
          for (const note of m.notes as Array<{ start: number }>) {
            companionNotes++;
            const lead = (note.start - now) * 1000;
            if (lead < 0) companionLate++;
            if (companionMinLeadMs === null || lead < companionMinLeadMs) companionMinLeadMs = lead;
          }
        } else if (m.type === 'error' || m.type === 'refused') {
          if (errors.length < 20) errors.push(JSON.stringify(m));
        }
      });
      offsets.set(d, clock.offset);
      d.skimming = true;
    }
  }

  const count = Math.round(config.rate * config.seconds);
  let receivers = 0;
  phase('playing');
  meter.start();
  const start = absMs();
  for (let i = 0; i < count; i++) {
    for (const room of rooms) {
      const senders = config.senders === 'one' ? room.participants.slice(0, 1) : room.participants;
      for (const { device, id } of senders) {
        // The session time of the touch; unique per sender, so each relay is matched to its send.
        const t = Math.round((absMs() / 1000 + (offsets.get(device) ?? 0)) * 1e6) / 1e6;
        sentAt.set(`${room.target.code}/${id}/${t}`, absMs());
        device.send({
          type: 'play',
          clientSeq: i,
          event: { type: 'note', t, pitch: 60 + (i % 12), velocity: 80, duration: 0.2 },
        });
        receivers += room.participants.length; // the other participants and the therapist
      }
    }
    const due = start + ((i + 1) * 1000) / config.rate;
    await sleep(Math.max(0, due - absMs()));
  }
  devicesCpu = meter.stop();
  phase('played');
  await sleep(1000);
  for (const room of rooms)
    for (const d of [room.therapist, ...room.participants.map((p) => p.device)]) d.socket.close();
  return {
    latencies,
    expected: receivers,
    received: latencies.length,
    companionNotes,
    companionLate,
    companionMinLeadMs,
    clockBoundMs,
    clockTrueErrorMs,
    errors,
  };
}

const config = JSON.parse(process.argv[2] ?? '{}') as ClientConfig;
try {
  const measured = config.kind === 'bare' ? await bare(config) : await attune(config);
  const report: ClientReport = { ...measured, cpu: devicesCpu };
  // Exit only once the report is written: a pipe takes it asynchronously.
  process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0));
} catch (error) {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
