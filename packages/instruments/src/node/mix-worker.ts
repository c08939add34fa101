/**
 * A worker thread that mixes one stretch of a long render (see `mix-range.ts`); the samples
 * arrive in shared memory, so threads share one decoded copy.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type MixRange, mixRange } from './mix-range.ts';

const range = workerData as MixRange;
const result = mixRange(range, (frames) => parentPort?.postMessage({ type: 'progress', frames }));
parentPort?.postMessage({ type: 'done', ...result });
