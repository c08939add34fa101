/**
 * Perception cost per event: each player's events fed, in time order, to its own pulse, key and
 * activity trackers, as the room host will do live. Target: under 20 µs per event, median.
 */
import { ActivityTracker } from '@attune/engine/activity';
import { toOnset } from '@attune/engine/events';
import { KeyTracker } from '@attune/engine/key';
import { PulseTracker } from '@attune/engine/pulse';
import { groupSession } from './session.ts';
import { figure, quantile } from './stats.ts';

export function run(): void {
  const tracks = groupSession(3600);
  const total = tracks.reduce((n, t) => n + t.events.length, 0);
  console.log(`  one-hour simulated session, ${tracks.length} players, ${total} events`);

  const costs: Record<'pulse' | 'key' | 'activity' | 'all', number[]> = {
    pulse: [],
    key: [],
    activity: [],
    all: [],
  };
  for (const track of tracks) {
    const pulse = new PulseTracker();
    const key = new KeyTracker();
    const activity = new ActivityTracker();
    for (const event of track.events) {
      const onset = toOnset(event);
      if (onset === null) continue;
      const t0 = process.hrtime.bigint();
      pulse.advance(onset.t);
      pulse.hear(onset);
      pulse.estimate(onset.t);
      const t1 = process.hrtime.bigint();
      if (event.type === 'note') {
        key.hear(onset);
        key.estimate(onset.t);
      }
      const t2 = process.hrtime.bigint();
      activity.hear(onset);
      activity.snapshot(onset.t);
      const t3 = process.hrtime.bigint();
      costs.pulse.push(Number(t1 - t0) / 1000);
      costs.key.push(Number(t2 - t1) / 1000);
      costs.activity.push(Number(t3 - t2) / 1000);
      costs.all.push(Number(t3 - t0) / 1000);
    }
  }
  for (const [name, values] of Object.entries(costs)) {
    figure(`${name}: median per event`, quantile(values, 0.5), 'µs');
    figure(`${name}: p99 per event`, quantile(values, 0.99), 'µs');
  }
}
