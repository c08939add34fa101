/**
 * `attune analyze` on a one-hour, four-player session written as a MIDI file: the analysis in
 * process (read + measures), and the whole command as a researcher runs it. Target: under 1 s.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NoteEvent } from '@attune/engine/events';
import { performanceToMidi, writeMidi } from '@attune/engine/midi';
import { main } from '../apps/cli/src/main.ts';
import { groupSession } from './session.ts';
import { figure, nowMs, quantile } from './stats.ts';

export async function run(): Promise<void> {
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

    const sink = { write: () => true };
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = nowMs();
      const c0 = process.cpuUsage();
      const status = await main(['analyze', file, '--json'], { stdout: sink, stderr: sink });
      const used = process.cpuUsage(c0);
      times.push(nowMs() - t0);
      cpu.push((used.user + used.system) / 1000);
      if (status !== 0) throw new Error(`attune analyze failed with status ${status}`);
    }
    figure('analyze in process (read + measures), median of 5', quantile(times, 0.5), 'ms', 0);
    // On a shared machine the wall time counts the waits for a core; processor time does not.
    figure('the same, processor time, median of 5', quantile(cpu, 0.5), 'ms', 0);

    const bin = join(import.meta.dirname, '..', 'node_modules', '.bin', 'attune');
    const whole: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = nowMs();
      execFileSync(bin, ['analyze', file, '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
      whole.push(nowMs() - t0);
    }
    figure('whole command incl. Node start, median of 3', quantile(whole, 0.5), 'ms', 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
