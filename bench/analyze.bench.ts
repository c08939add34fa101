/**
 * `attune analyze` on a one-hour, four-player session (about 200k events) written as a MIDI
 * file. Target: under 1 s for the whole command as a researcher runs it (Node's start included).
 *
 * Measured in turns, so that both sides of each comparison share the machine's load:
 * - the whole command: the prebuilt command listening on every core, against the sources run
 *   through tsx on one thread (the command as it was, ATTUNE_BUNDLE=0 ATTUNE_WORKERS=0);
 * - in process (read, measures and JSON): on every core against one thread.
 * Set ATTUNE_ANALYZE_RUNS for more turns (default 5).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NoteEvent } from '@attune/engine/events';
import { performanceToMidi, writeMidi } from '@attune/engine/midi';
// @ts-expect-error: a plain JavaScript build script, without types.
import { bundle } from '../apps/cli/scripts/bundle.mjs';
import { useWorkerModule } from '../apps/cli/src/listening/pool.ts';
import { main } from '../apps/cli/src/main.ts';
import { groupSession } from './session.ts';
import { figure, nowMs, quantile } from './stats.ts';

/** Runs `f` with the environment variables set, then puts them back. */
async function withEnv<T>(vars: Record<string, string>, f: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await f();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function report(name: string, wall: readonly number[], cpu?: readonly number[]): void {
  figure(`${name}: best of ${wall.length}`, Math.min(...wall), 'ms', 0);
  figure('  median', quantile(wall, 0.5), 'ms', 0);
  if (cpu) figure('  processor time (all threads), median', quantile(cpu, 0.5), 'ms', 0);
}

export async function run(): Promise<void> {
  const runs = Number(process.env.ATTUNE_ANALYZE_RUNS ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'attune-bench-'));
  try {
    const tracks = groupSession(3600).map((t, i) => ({
      name: t.name,
      channel: t.name.includes('drum') ? 9 : i,
      notes: t.events.map(
        (e): NoteEvent =>
          e.type === 'hit'
            ? { type: 'note', t: e.t, pitch: e.instrument, velocity: e.velocity, duration: 0.05 }
            : (e as NoteEvent),
      ),
    }));
    const events = tracks.reduce((n, t) => n + t.notes.length, 0);
    const file = join(dir, 'session.mid');
    writeFileSync(file, writeMidi(performanceToMidi(tracks)));
    console.log(`  one-hour simulated session, ${tracks.length} players, ${events} events`);
    // The prebuilt command as `npm install` leaves it, from the sources as they are now.
    if (!(await bundle({ quiet: true }))) throw new Error('esbuild is needed to prebuild the command');
    // In process too the listening threads load the prebuilt worker, as the command's do (a worker
    // started from the sources spends its first half second compiling them).
    useWorkerModule(new URL('../apps/cli/dist/listen-worker.js', import.meta.url));
    console.log(
      `  load average before: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );

    const sink = { write: () => true };
    const inProcess = async (workers: string) =>
      withEnv({ ATTUNE_WORKERS: workers }, async () => {
        const t0 = nowMs();
        const c0 = process.cpuUsage();
        const status = await main(['analyze', file, '--json'], { stdout: sink, stderr: sink });
        const used = process.cpuUsage(c0);
        if (status !== 0) throw new Error(`attune analyze failed with status ${status}`);
        return { wall: nowMs() - t0, cpu: (used.user + used.system) / 1000 };
      });
    const bin = join(import.meta.dirname, '..', 'node_modules', '.bin', 'attune');
    // The command's processor time (every thread), written by the command itself as it exits.
    const cpuAtExit = `data:text/javascript,${encodeURIComponent(
      "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('cpu ' + (u.user + u.system) / 1000 + '\\n'); });",
    )}`;
    const whole = (env: Record<string, string>) => {
      const t0 = nowMs();
      const run = spawnSync(process.execPath, ['--import', cpuAtExit, bin, 'analyze', file, '--json'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      const wall = nowMs() - t0;
      const cpu = /cpu ([\d.]+)/.exec(run.stderr)?.[1];
      if (run.status !== 0 || cpu === undefined) throw new Error(`attune analyze failed: ${run.stderr}`);
      return { wall, cpu: Number(cpu) };
    };

    const shared = { wall: [] as number[], cpu: [] as number[] };
    const single = { wall: [] as number[], cpu: [] as number[] };
    const built = { wall: [] as number[], cpu: [] as number[] };
    const builtSingle = { wall: [] as number[], cpu: [] as number[] };
    const sources = { wall: [] as number[], cpu: [] as number[] };
    // One turn of each first, unmeasured: the compile caches and the disk are warm for both.
    await inProcess('');
    whole({ ATTUNE_BUNDLE: '0', ATTUNE_WORKERS: '0' });
    for (let i = 0; i < runs; i++) {
      for (const [side, env] of [
        [built, {}],
        [builtSingle, { ATTUNE_WORKERS: '0' }],
        [sources, { ATTUNE_BUNDLE: '0', ATTUNE_WORKERS: '0' }],
      ] as const) {
        const r = whole(env);
        side.wall.push(r.wall);
        side.cpu.push(r.cpu);
      }
      for (const [side, workers] of [
        [shared, ''],
        [single, '0'],
      ] as const) {
        const r = await inProcess(workers);
        side.wall.push(r.wall);
        side.cpu.push(r.cpu);
      }
    }
    report('whole command, prebuilt, every core', built.wall, built.cpu);
    report('whole command, prebuilt, one thread', builtSingle.wall, builtSingle.cpu);
    report('whole command, sources through tsx, one thread', sources.wall, sources.cpu);
    report('in process, every core', shared.wall, shared.cpu);
    report('in process, one thread', single.wall, single.cpu);
    console.log(
      `  load average after: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
