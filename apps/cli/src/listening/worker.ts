/**
 * A listening thread: takes tracks from the shared queue until none is left and listens to each
 * alone, writing into the shared listening the main thread replays meanwhile.
 */
import { parentPort } from 'node:worker_threads';
import { listenTrack } from '@attune/engine/analysis';
import { unpackOnsets } from './pack.ts';
import { type Job, takeTrack } from './queue.ts';

const port = parentPort;
if (port === null) throw new Error('the listening worker runs as a worker thread');

port.on('message', (job: Job) => {
  for (let k = takeTrack(job); k !== null; k = takeTrack(job))
    listenTrack(unpackOnsets(job.tracks[k] as Float64Array), job.plan, job.listenings[k]);
  port.close();
});
