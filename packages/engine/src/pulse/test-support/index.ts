/**
 * Simulated playing with known beats, for the pulse tracker's tests: beat times from a tempo
 * curve, motor noise from a seeded generator, and the onsets a player makes on and between them.
 */
import type { Onset } from '../../events/index.ts';
import type { Rng } from '../../random/index.ts';
import type { Bpm, Seconds } from '../../time/index.ts';

/** Beat times from `start` while `bpmAt(t)` gives the tempo in force at t, up to `end`. */
export function beatTimes(bpmAt: (t: Seconds) => Bpm, start: Seconds, end: Seconds): Seconds[] {
  const beats: Seconds[] = [];
  for (let t = start; t <= end; t += 60 / bpmAt(t)) beats.push(t);
  return beats;
}

/** One onset per beat with Gaussian motor noise of `noise` seconds. */
export function onBeats(beats: readonly Seconds[], rng: Rng, noise: Seconds, velocity = 90): Onset[] {
  return beats.map((b) => ({ t: b + rng.normal(0, noise), velocity, pitch: 60, duration: 0.2 }));
}

/**
 * A rock groove on a drum kit: kick on beats 1 and 3, snare on 2 and 4, hi-hat on every eighth,
 * each with motor noise.
 */
export function rockGroove(beats: readonly Seconds[], rng: Rng, noise: Seconds): Onset[] {
  const onsets: Onset[] = [];
  beats.forEach((b, i) => {
    const next = beats[i + 1] ?? b + (b - (beats[i - 1] ?? b - 0.5));
    const hit = (t: Seconds, key: number, velocity: number): void => {
      onsets.push({ t: t + rng.normal(0, noise), velocity, pitch: key, percussive: true });
    };
    hit(b, 42, 80);
    hit((b + next) / 2, 42, 60);
    hit(b, i % 2 === 0 ? 36 : 38, 100);
  });
  return onsets.sort((a, b) => a.t - b.t);
}

/** Onsets at uniformly random times: playing with no pulse. */
export function randomOnsets(rng: Rng, start: Seconds, end: Seconds, perSecond: number): Onset[] {
  const onsets: Onset[] = [];
  let t = start;
  for (;;) {
    t += -Math.log(1 - rng.next()) / perSecond;
    if (t > end) return onsets;
    onsets.push({ t, velocity: rng.int(40, 110), pitch: rng.int(40, 80), duration: rng.uniform(0.05, 0.6) });
  }
}

/** Share of `truth` beats (after `from`) that have a tracked beat within `window`. */
export function hitRate(
  truth: readonly Seconds[],
  tracked: readonly Seconds[],
  from: Seconds,
  window = 0.07,
): number {
  const wanted = truth.filter((b) => b >= from);
  if (wanted.length === 0) return 0;
  let hits = 0;
  let j = 0;
  for (const b of wanted) {
    while (j < tracked.length && (tracked[j] as number) < b - window) j++;
    if (j < tracked.length && Math.abs((tracked[j] as number) - b) <= window) hits++;
  }
  return hits / wanted.length;
}

/** Share of tracked beats (after `from`) that lie within `window` of a true beat. */
export function precision(
  truth: readonly Seconds[],
  tracked: readonly Seconds[],
  from: Seconds,
  window = 0.07,
): number {
  return hitRate(tracked, truth, from, window);
}

/**
 * A groove whose hi-hats outnumber and outplay the kick and backbeat: `'open-hat'` has a loud
 * open hi-hat on every off-beat, soft closed sixteenths, the kick on beats 1 and 3 and the snare
 * on 2 and 4 (as in disco and afrobeat); `'sixteenths'` has closed hi-hat sixteenths, the kick on
 * 1 and 3 (and the last sixteenth of beat 3) and the snare on 2 and 4 (a slow hip-hop or soul
 * groove). Every stroke has motor noise.
 */
export function hiHatGroove(
  beats: readonly Seconds[],
  rng: Rng,
  noise: Seconds,
  kind: 'open-hat' | 'sixteenths',
): Onset[] {
  const onsets: Onset[] = [];
  beats.forEach((b, i) => {
    const p = (beats[i + 1] ?? b + (b - (beats[i - 1] ?? b - 0.5))) - b;
    const hit = (t: Seconds, key: number, velocity: number): void => {
      onsets.push({ t: t + rng.normal(0, noise), velocity, pitch: key, percussive: true });
    };
    if (kind === 'open-hat') {
      hit(b, 42, 40);
      hit(b + p / 4, 42, 35);
      hit(b + p / 2, 46, 110);
      hit(b + (3 * p) / 4, 42, 35);
      hit(b, i % 2 === 0 ? 36 : 38, i % 2 === 0 ? 80 : 70);
      if (i % 4 === 3) hit(b + p / 2, 36, 80);
    } else {
      for (let k = 0; k < 4; k++) hit(b + (k * p) / 4, 42, k % 2 === 0 ? 80 : 55);
      hit(b, i % 2 === 0 ? 36 : 38, i % 2 === 0 ? 100 : 105);
      if (i % 4 === 2) hit(b + (3 * p) / 4, 36, 90);
    }
  });
  return onsets.sort((a, b) => a.t - b.t);
}
