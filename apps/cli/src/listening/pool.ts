/**
 * Listening to a recording's tracks on several threads. Workers start before the file is read,
 * so their start overlaps the reading; then this thread and the workers take tracks from one
 * shared queue, most work first, each writing its tracks' listenings into shared memory. This
 * thread goes on to the pass through every track as soon as it has no track left to take,
 * replaying the workers' listenings as they are written. Each track is listened to alone, so
 * which thread takes which does not change the analysis; a listening a failed worker left
 * unfinished is listened to again on this thread.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  listenTrack,
  newListening,
  type PreparedAnalysis,
  type TrackListening,
} from '@attune/engine/analysis';
import { packOnsets } from './pack.ts';
import { type Job, takeTrack } from './queue.ts';

/** Listening threads started ahead of the work. */
export interface Listeners {
  /**
   * Each track's listening, in the tracks' order, once this thread has taken its share (the
   * workers' listenings may still be being written: replay them with `finishAnalysis`). With
   * `here: false` this thread takes no track and returns at once.
   */
  listen(prepared: PreparedAnalysis, options?: { here?: boolean }): Promise<TrackListening[]>;
  /** Stops the workers (also when `listen` was never called). */
  close(): Promise<void>;
  /** Why workers failed, if any did (their tracks were listened to again here). */
  readonly failures: readonly Error[];
}

/**
 * How a worker is made: from the TypeScript source, which registers tsx first (a worker does not
 * inherit the loader), unless the prebuilt command says otherwise.
 */
let makeWorker = (): Worker => {
  const tsx = pathToFileURL(
    join(dirname(createRequire(import.meta.url).resolve('tsx/esm/api')), 'index.mjs'),
  );
  const entry = new URL('./worker.ts', import.meta.url);
  const boot = `import(${JSON.stringify(tsx.href)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true });
};

/** Loads listening threads from a JavaScript module (the bundled worker beside the prebuilt command). */
export function useWorkerModule(url: URL): void {
  makeWorker = () => new Worker(url);
}

/** A worker, and whether it has failed or stopped. */
interface Thread {
  worker: Worker;
  stopped: boolean;
}

/** Starts `workers` listening threads (0: every track is listened to on this thread). */
export function startListeners(workers: number): Listeners {
  const failures: Error[] = [];
  const threads: Thread[] = Array.from({ length: workers }, () => {
    const thread = { worker: makeWorker(), stopped: false };
    // A worker that fails or stops does not fail the analysis: its tracks are listened to here.
    thread.worker.on('error', (error) => {
      thread.stopped = true;
      failures.push(error);
    });
    thread.worker.on('exit', () => {
      thread.stopped = true;
    });
    return thread;
  });
  return {
    failures,
    async listen(prepared, { here = true } = {}) {
      const { onsets, plan } = prepared;
      const live = threads.filter((thread) => !thread.stopped);
      if (live.length === 0) return onsets.map((list) => listenTrack(list, plan));
      const job: Job = {
        plan,
        tracks: onsets.map(packOnsets),
        listenings: onsets.map((list) => newListening(plan, list.length, true)),
        order: onsets.map((_, k) => k).sort((a, b) => (onsets[b]?.length ?? 0) - (onsets[a]?.length ?? 0)),
        taken: new Int32Array(new SharedArrayBuffer(4)),
      };
      for (const thread of live) thread.worker.postMessage(job);
      if (here)
        for (let k = takeTrack(job); k !== null; k = takeTrack(job))
          listenTrack(onsets[k] ?? [], plan, job.listenings[k]);
      return job.listenings;
    },
    async close() {
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}
