/** The work the listening threads share: the tracks, and a counter each thread takes the next from. */
import type { ListenPlan, TrackListening } from '@attune/engine/analysis';

/** What every thread is given. */
export interface Job {
  plan: ListenPlan;
  /** Each track's onsets, packed. */
  tracks: Float64Array[];
  /** Track indices, most work first. */
  order: number[];
  /** One shared counter: how many of `order` have been taken. */
  taken: Int32Array;
}

/** What a worker sends back: one track's listening, or that it has finished. */
export type WorkerMessage = { track: number; listening: TrackListening } | { done: true };

/** The next track for this thread, or null when all are taken. */
export function takeTrack(job: Job): number | null {
  const next = Atomics.add(job.taken, 0, 1);
  return next < job.order.length ? (job.order[next] as number) : null;
}
