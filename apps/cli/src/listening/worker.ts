/**
 * A listening thread: takes tracks from the shared queue until none is left, listens to each
 * alone and sends its listening back (its buffers moved, not copied).
 */
import { parentPort } from 'node:worker_threads';
import { type ListenPlan, listeningBuffers, listenTrack } from '@attune/engine/analysis';
import { unpackOnsets } from './pack.ts';
import { type Job, takeTrack, type WorkerMessage } from './queue.ts';

const port = parentPort;
if (port === null) throw new Error('the listening worker runs as a worker thread');

port.on('message', (job: Job) => {
  const plan: ListenPlan = job.plan;
  for (let k = takeTrack(job); k !== null; k = takeTrack(job)) {
    const listening = listenTrack(unpackOnsets(job.tracks[k] as Float64Array), plan);
    const message: WorkerMessage = { track: k, listening };
    port.postMessage(message, listeningBuffers(listening));
  }
  port.postMessage({ done: true } satisfies WorkerMessage);
});
