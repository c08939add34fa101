/**
 * Listening to a recording's tracks on several threads. Workers start before the file is read,
 * so their start overlaps the reading; then this thread and the workers take tracks from one
 * shared queue, most work first. Each track is listened to alone, so which thread takes which
 * does not change the analysis; a track a failed worker did not send back is listened to here.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { listenTrack, type PreparedAnalysis, type TrackListening } from '@attune/engine/analysis';
import { packOnsets } from './pack.ts';
import { type Job, takeTrack, type WorkerMessage } from './queue.ts';

/** Listening threads started ahead of the work. */
export interface Listeners {
  /**
   * Each track's listening, in the tracks' order. With `here: false` this thread takes no track
   * (it stays free for other work) unless a worker fails.
   */
  listen(prepared: PreparedAnalysis, options?: { here?: boolean }): Promise<TrackListening[]>;
  /** Stops the workers (also when `listen` was never called). */
  close(): Promise<void>;
  /** Why workers failed, if any did (their tracks were listened to here). */
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
      const order = onsets
        .map((_, k) => k)
        .sort((a, b) => (onsets[b]?.length ?? 0) - (onsets[a]?.length ?? 0));
      const job: Job = {
        plan,
        tracks: threads.length > 0 ? onsets.map(packOnsets) : [],
        order,
        taken: new Int32Array(new SharedArrayBuffer(4)),
      };
      const listenings: Array<TrackListening | undefined> = onsets.map(() => undefined);
      const finished = threads.map((thread) => finishedBy(thread, job, listenings));
      if (here || threads.length === 0)
        for (let k = takeTrack(job); k !== null; k = takeTrack(job))
          listenings[k] = listenTrack(onsets[k] ?? [], plan);
      await Promise.all(finished);
      return listenings.map((l, k) => l ?? listenTrack(onsets[k] ?? [], plan));
    },
    async close() {
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}

/** Gives a worker the job; settles when it has sent back every track it took, or has failed. */
function finishedBy(
  { worker, stopped }: Thread,
  job: Job,
  listenings: Array<TrackListening | undefined>,
): Promise<void> {
  if (stopped) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      worker.off('message', onMessage);
      resolve();
    };
    const onMessage = (message: WorkerMessage) => {
      if ('done' in message) done();
      else listenings[message.track] = message.listening;
    };
    worker.on('message', onMessage);
    worker.once('error', done);
    worker.once('exit', done);
    worker.postMessage(job);
  });
}
