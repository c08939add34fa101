import type { PlayedEvent } from '@attune/engine';
import { describe, expect, it } from 'vitest';
import { LeadWatcher } from './leads.ts';
import { leadWords } from './words.ts';

/** Quarter notes from per-beat periods and velocities. */
function beats(periods: readonly number[], velocities: readonly number[]): PlayedEvent[] {
  const out: PlayedEvent[] = [];
  let t = 1;
  periods.forEach((p, k) => {
    out.push({ type: 'note', t, pitch: 60 + (k % 5), velocity: velocities[k] as number, duration: p * 0.8 });
    t += p;
  });
  return out;
}

/** A leader changing tempo and loudness every 20 beats, and a follower copying it two beats late. */
function leaderAndFollower(): { leader: PlayedEvent[]; follower: PlayedEvent[] } {
  const bpm: number[] = [];
  const vel: number[] = [];
  for (let k = 0; k < 160; k++) {
    const phase = Math.floor(k / 20) % 4;
    bpm.push([96, 120, 104, 132][phase] as number);
    vel.push([60, 90, 50, 100][phase] as number);
  }
  const periods = bpm.map((b) => 60 / b);
  return {
    leader: beats(periods, vel),
    follower: beats(
      periods.map((_, k) => periods[Math.max(0, k - 2)] as number),
      vel.map((_, k) => vel[Math.max(0, k - 2)] as number),
    ),
  };
}

describe('LeadWatcher', () => {
  it('names who leads from events arriving out of order, as the console receives them', () => {
    const { leader, follower } = leaderAndFollower();
    const watcher = new LeadWatcher();
    const end = Math.max(leader.at(-1)?.t ?? 0, follower.at(-1)?.t ?? 0) + 1;
    // Each second the console receives the follower's notes (relayed a little after they were
    // played) and the leader's notes (the companion's, planned ahead), in arrival order.
    let said = '';
    for (let now = 1; now <= end + 1; now += 1) {
      for (const e of follower.filter((e) => e.t > now - 1 - 0.1 && e.t <= now - 0.1)) watcher.hear('p1', e);
      for (const e of leader.filter((e) => e.t > now && e.t <= now + 1)) watcher.hear('companion', e);
      said = leadWords(watcher.pairs(now), (id) => (id === 'p1' ? 'JB' : 'the companion'));
    }
    expect(said).toBe('The companion leads; JB follows');
  });

  it('says nothing is known before anyone plays, and drops what arrives too late to be heard in order', () => {
    const watcher = new LeadWatcher(0.5);
    expect(watcher.pairs(10)).toEqual([]);
    watcher.hear('p1', { type: 'note', t: 10.2, pitch: 60, velocity: 70, duration: 0.3 });
    watcher.hear('p2', { type: 'note', t: 10.3, pitch: 62, velocity: 70, duration: 0.3 });
    expect(watcher.pairs(11).map((p) => [p.a, p.b])).toEqual([['p1', 'p2']]);
    // Already past the settled time: left out, without upsetting the time order.
    watcher.hear('p1', { type: 'note', t: 10.1, pitch: 60, velocity: 70, duration: 0.3 });
    watcher.hear('p3', { type: 'note', t: 10.6, pitch: 64, velocity: 70, duration: 0.3 });
    expect(() => watcher.pairs(12)).not.toThrow();
    expect(watcher.pairs(12).map((p) => [p.a, p.b])).toEqual([
      ['p1', 'p2'],
      ['p1', 'p3'],
      ['p2', 'p3'],
    ]);
  });

  it('keeps what it heard when a newcomer starts playing', () => {
    const { leader, follower } = leaderAndFollower();
    const watcher = new LeadWatcher();
    const end = leader.at(-1)?.t ?? 0;
    for (const e of leader) watcher.hear('p1', e);
    for (const e of follower) watcher.hear('p2', e);
    watcher.pairs(end + 1);
    watcher.hear('p3', { type: 'note', t: end + 1.2, pitch: 60, velocity: 70, duration: 0.3 });
    const pairs = watcher.pairs(end + 2);
    const first = pairs.find((p) => p.a === 'p1' && p.b === 'p2');
    expect(first?.index).toBeGreaterThan(0.25);
    expect(pairs).toHaveLength(3);
  });
});
