/** The work the listening threads share: the tracks, and a counter each thread takes the next from. */
import type { ListenPlan, TrackListening } from '@attune/engine/analysis';

/** What every thread is given; every array is in shared memory. */
export interface Job {
  plan: ListenPlan;
  /** Each track's onsets, packed. */
  tracks: Float64Array[];
  /** Each track's listening, written by the thread that takes it. */
  listenings: TrackListening[];
  /** Track indices, most work first. */
  order: number[];
  /** One shared counter: how many of `order` have been taken. */
  taken: Int32Array;
}

/** The next track for this thread, or null when all are taken. */
export function takeTrack(job: Job): number | null {
  const next = Atomics.add(job.taken, 0, 1);
  return next < job.order.length ? (job.order[next] as number) : null;
}
