/**
 * The companion's speed: one `plan` call for a 25 ms window (target under 0.2 ms median), and
 * a one-hour performance accompanied offline through the live loop (target under 5 s).
 */
import { accompany, Companion } from '@attune/engine/companion';
import { createRng } from '@attune/engine/random';
import { simulatePlayer } from '@attune/engine/simulate';
import { figure, nowMs, quantile } from './stats.ts';

export function run(): void {
  const drummer = simulatePlayer({ bpm: 100, bars: 1500, style: 'drums' }, createRng(3)).events;
  const pianist = simulatePlayer(
    { bpm: 84, bars: 1260, style: 'piano', rhythm: 'eighths' },
    createRng(4),
  ).events;
  console.log(`  simulated hour: drummer ${drummer.length} hits, pianist ${pianist.length} notes`);

  for (const [name, events] of [
    ['drummer', drummer],
    ['pianist', pianist],
  ] as const) {
    const t0 = nowMs();
    const result = accompany(events, { techniques: ['synchronise', 'match'] }, 1);
    figure(
      `one hour accompanied offline (${name}, ${result.notes.length} notes)`,
      (nowMs() - t0) / 1000,
      's',
    );
  }

  // One plan call per 25 ms tick, as the room host makes them, timed one by one.
  const companion = new Companion({ techniques: ['synchronise', 'match'] }, 1);
  const costs: number[] = [];
  let next = 0;
  for (let tick = 0; tick < 10 * 60 * 40; tick++) {
    const now = tick * 0.025;
    while (next < pianist.length && (pianist[next]?.t ?? Number.POSITIVE_INFINITY) < now) {
      companion.hear('client', pianist[next] as (typeof pianist)[number]);
      next++;
    }
    const t0 = process.hrtime.bigint();
    companion.plan(now + 0.1, now + 0.125);
    costs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  figure('plan for a 25 ms window: median', quantile(costs, 0.5), 'ms', 4);
  figure('plan for a 25 ms window: p99', quantile(costs, 0.99), 'ms', 4);
}
