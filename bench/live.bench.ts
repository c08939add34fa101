/**
 * Live rooms on loopback, the studio beside a bare WebSocket relay measured in the same run.
 * The server runs in this process (so its CPU is this process's, its journal thread included), the
 * devices in others (`live-clients.ts`, one process per 50 rooms), whose CPU is shown too: a
 * devices' process near a full core measures its own queue, not the server.
 *
 * - Relay: one participant plays 20 notes a second to a room of 40 participants and the therapist;
 *   latency from its send to each other device's receipt, p50 and p99. Target: the studio's p99
 *   under 10 ms and within twice the bare relay's.
 * - Load: 200 rooms of four players, each playing 8 notes a second, the companion running in
 *   every room: the server's CPU (share of one core), relay p99, and companion notes that arrived
 *   after their start time (target: none).
 * - Clock: after eight exchanges, each device's reported error bound and its true error (the
 *   server's session clock and the devices' clocks read from the same system clock).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { type Studio, startStudio } from '../apps/server/src/app.ts';
import type { ClientConfig, ClientReport, RoomTarget } from './live-clients.ts';
import { figure, quantile } from './stats.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** Milliseconds on the clock the devices' process reads alike. */
const absMs = (): number => performance.timeOrigin + performance.now();

/** What the devices measured, all their processes together. */
interface Run {
  readonly report: Omit<ClientReport, 'latencies' | 'cpu'> & {
    readonly latency: { readonly p50: number; readonly p99: number };
  };
  /** Server CPU over the playing, as a share of one core (this process: every thread of the studio). */
  readonly cpu: number;
  /** The devices' processes' CPU over the playing, summed, as a share of one core. */
  readonly devicesCpu: number;
  /**
   * How late this process's event loop ran what was due over the playing (ms, p99 and max): a
   * disk sync in the loop shows here, whoever's clock the devices read.
   */
  readonly loopDelay: { readonly p99: number; readonly max: number };
}

/**
 * Devices' processes for a run: `ATTUNE_BENCH_DEVICE_PROCESSES`, or one per 50 rooms (at most 4).
 * One process could not keep up with 200 rooms' devices (6400 notes sent and 25600 relays read a
 * second): the bare relay's p99 then measured the devices' queue, not the relay.
 */
function processesFor(rooms: number): number {
  const asked = Number(process.env.ATTUNE_BENCH_DEVICE_PROCESSES);
  if (Number.isInteger(asked) && asked > 0) return Math.min(asked, rooms);
  return Math.max(1, Math.min(4, Math.ceil(rooms / 50)));
}

/** One process of devices; `onPhase` hears when it starts and stops playing. */
function deviceProcess(config: ClientConfig, onPhase: (phase: string) => void): Promise<ClientReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'live-clients.ts'), JSON.stringify(config)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let report: ClientReport | null = null;
    createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      const message = JSON.parse(line) as { phase?: string } & Partial<ClientReport>;
      if (message.phase) onPhase(message.phase);
      else if (message.latencies) report = message as ClientReport;
    });
    child.on('exit', (code) => {
      if (code === 0 && report) resolve(report);
      else reject(new Error(`a devices' process ended with status ${code}`));
    });
  });
}

/**
 * Runs the devices in processes of their own, the rooms shared among them; measures this
 * process's CPU from the first starting to play to the last done.
 */
async function devices(config: ClientConfig): Promise<Run> {
  const count = processesFor(config.rooms.length);
  let cpuStart: NodeJS.CpuUsage | null = null;
  let wallStart = 0;
  let cpu = Number.NaN;
  let playing = 0;
  let played = 0;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const onPhase = (phase: string) => {
    if (phase === 'playing' && playing++ === 0) {
      cpuStart = process.cpuUsage();
      wallStart = performance.now();
      delay.enable();
    } else if (phase === 'played' && ++played === count && cpuStart) {
      const used = process.cpuUsage(cpuStart);
      cpu = (used.user + used.system) / 1000 / (performance.now() - wallStart);
      delay.disable();
    }
  };
  const reports = await Promise.all(
    Array.from({ length: count }, (_, k) =>
      deviceProcess({ ...config, rooms: config.rooms.filter((_, i) => i % count === k) }, onPhase),
    ),
  );
  const latencies = reports.flatMap((r) => r.latencies);
  const sum = (f: (r: ClientReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const leads = reports.map((r) => r.companionMinLeadMs).filter((x): x is number => x !== null);
  return {
    cpu,
    devicesCpu: sum((r) => r.cpu),
    loopDelay: { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
    report: {
      latency: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) },
      expected: sum((r) => r.expected),
      received: sum((r) => r.received),
      companionNotes: sum((r) => r.companionNotes),
      companionLate: sum((r) => r.companionLate),
      companionMinLeadMs: leads.length > 0 ? Math.min(...leads) : null,
      clockBoundMs: reports.flatMap((r) => r.clockBoundMs),
      clockTrueErrorMs: reports.flatMap((r) => r.clockTrueErrorMs),
      errors: reports.flatMap((r) => r.errors),
    },
  };
}

/** A relay with rooms and nothing else: the first frame names the room. */
async function bareRelay(): Promise<{ url: string; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  const rooms = new Map<string, Set<import('ws').WebSocket>>();
  server.on('connection', (ws) => {
    let room: Set<import('ws').WebSocket> | null = null;
    ws.on('message', (data) => {
      if (room === null) {
        const code = String((JSON.parse(String(data)) as { join: string }).join);
        room = rooms.get(code) ?? new Set();
        rooms.set(code, room);
        room.add(ws);
        return;
      }
      const text = String(data);
      for (const other of room) if (other !== ws) other.send(text);
    });
    ws.on('close', () => room?.delete(ws));
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A therapist's account and logged-in HTTP calls to a studio. */
async function therapist(studio: Studio) {
  let cookies = '';
  const call = async (method: string, path: string, body?: unknown) => {
    const csrf = /attune_csrf=([^;]+)/.exec(cookies)?.[1] ?? '';
    const response = await fetch(`${studio.url}${path}`, {
      method,
      headers: { cookie: cookies, 'content-type': 'application/json', 'x-attune-csrf': csrf },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const set of response.headers.getSetCookie()) {
      const pair = set.split(';')[0] as string;
      const name = pair.split('=')[0] as string;
      cookies = [...cookies.split('; ').filter((c) => c && !c.startsWith(`${name}=`)), pair].join('; ');
    }
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : ((await response.json()) as Record<string, unknown>);
  };
  await call('GET', '/api/state');
  await call('POST', '/api/setup', {
    name: 'Bench',
    email: 'bench@example.org',
    password: 'a long bench password',
  });
  return {
    async room(title: string): Promise<RoomTarget> {
      const made = (await call('POST', '/api/sessions', { title })) as {
        session: { id: string; code: string };
        key: string;
      };
      const clock = studio.sessionClock(made.session.id);
      const epochMs = clock ? absMs() - clock() * 1000 : undefined;
      return { code: made.session.code, key: made.key, ...(epochMs === undefined ? {} : { epochMs }) };
    },
  };
}

function latencyFigures(label: string, run: Run): void {
  const { report } = run;
  figure(`${label} p50`, report.latency.p50, 'ms');
  figure(`${label} p99`, report.latency.p99, 'ms');
  figure(`${label} received of expected`, (100 * report.received) / Math.max(1, report.expected), '%', 1);
}

async function withStudio<T>(use: (studio: Studio) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'attune-bench-live-'));
  const studio = await startStudio({
    port: 0,
    host: '127.0.0.1',
    dataDir: join(dir, 'data'),
    webDir: join(dir, 'no-web-app'),
    monotonic: () => absMs() / 1000,
    onError: (error, where) => console.error(`  studio: ${where}: ${String(error)}`),
  });
  try {
    return await use(studio);
  } finally {
    await studio.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function relay(): Promise<void> {
  const shape = { players: 40, senders: 'one', rate: 20, seconds: 15 } as const;
  console.log(
    `  relay: one of ${shape.players} participants plays ${shape.rate} notes/s for ${shape.seconds} s`,
  );
  const bare = await bareRelay();
  const bareRun = await devices({ kind: 'bare', url: bare.url, rooms: [{ code: 'R', key: '' }], ...shape });
  await bare.close();
  latencyFigures('bare ws relay', bareRun);
  const attuneRun = await withStudio(async (studio) => {
    const t = await therapist(studio);
    const room = await t.room('Relay bench');
    return devices({
      kind: 'attune',
      url: `${studio.url.replace('http', 'ws')}/ws`,
      rooms: [room],
      ...shape,
    });
  });
  latencyFigures('Attune', attuneRun);
  const ratio = attuneRun.report.latency.p99 / bareRun.report.latency.p99;
  figure('Attune p99 ÷ bare p99 (target ≤ 2)', ratio, '×');
  clockFigures(attuneRun.report);
  if (attuneRun.report.errors.length > 0) console.log(`  errors: ${attuneRun.report.errors.join(' | ')}`);
}

function clockFigures(report: Run['report']): void {
  figure('clock error bound after 8 exchanges, median', quantile(report.clockBoundMs, 0.5), 'ms', 3);
  if (report.clockTrueErrorMs.length > 0) {
    figure('clock true error, median', quantile(report.clockTrueErrorMs, 0.5), 'ms', 3);
    figure('clock true error, max', Math.max(...report.clockTrueErrorMs), 'ms', 3);
  }
}

async function load(): Promise<void> {
  const shape = { players: 4, senders: 'all', rate: 8, seconds: 20 } as const;
  const roomCount = Number(process.env.ATTUNE_BENCH_ROOMS ?? 200);
  console.log(
    `  load: ${roomCount} rooms of ${shape.players} players, ${shape.rate} notes/s each, ${shape.seconds} s`,
  );
  const bare = await bareRelay();
  const rooms = Array.from({ length: roomCount }, (_, i) => ({ code: `R${i}`, key: '' }));
  const bareRun = await devices({ kind: 'bare', url: bare.url, rooms, ...shape });
  await bare.close();
  figure('bare ws relay CPU (one core)', 100 * bareRun.cpu, '%', 0);
  figure(`devices' CPU (${processesFor(roomCount)} processes, one core)`, 100 * bareRun.devicesCpu, '%', 0);
  figure('bare ws relay p99', bareRun.report.latency.p99, 'ms');
  figure('bare ws relay event loop delay p99', bareRun.loopDelay.p99, 'ms');
  const attuneRun = await withStudio(async (studio) => {
    const t = await therapist(studio);
    const targets: RoomTarget[] = [];
    for (let i = 0; i < roomCount; i++) targets.push(await t.room(`Load bench ${i + 1}`));
    return devices({
      kind: 'attune',
      url: `${studio.url.replace('http', 'ws')}/ws`,
      rooms: targets,
      ...shape,
    });
  });
  figure('Attune CPU (one core), companion in every room', 100 * attuneRun.cpu, '%', 0);
  figure(`devices' CPU (${processesFor(roomCount)} processes, one core)`, 100 * attuneRun.devicesCpu, '%', 0);
  figure('Attune relay p99', attuneRun.report.latency.p99, 'ms');
  figure("Attune event loop delay p99 (the studio's process)", attuneRun.loopDelay.p99, 'ms');
  figure('Attune event loop delay, longest', attuneRun.loopDelay.max, 'ms');
  figure(
    'Attune received of expected',
    (100 * attuneRun.report.received) / attuneRun.report.expected,
    '%',
    1,
  );
  figure('companion notes received', attuneRun.report.companionNotes, 'notes', 0);
  figure('companion notes arriving after their start', attuneRun.report.companionLate, 'notes', 0);
  figure('companion notes, smallest lead', attuneRun.report.companionMinLeadMs ?? Number.NaN, 'ms');
  clockFigures(attuneRun.report);
  if (attuneRun.report.errors.length > 0)
    console.log(`  errors: ${attuneRun.report.errors.slice(0, 5).join(' | ')}`);
}

/** `ATTUNE_BENCH_LIVE=load` runs one part; `ATTUNE_BENCH_ROOMS=20` a smaller load. */
export async function run(): Promise<void> {
  const parts = (process.env.ATTUNE_BENCH_LIVE ?? 'relay,load').split(',');
  if (parts.includes('relay')) await relay();
  if (parts.includes('load')) await load();
}
