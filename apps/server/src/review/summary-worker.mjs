// Starts a summary thread (summary-worker.ts). A worker does not take the TypeScript loader of the
// thread that starts it (Node 20), so it registers tsx itself, under `npm start` and vitest alike.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import('./summary-worker.ts');
// Loaded: the thread may be stopped from now on. Stopping a worker while its modules are still
// being evaluated (this file awaits) aborts the whole process on Node 20 (nodejs/node#43182).
parentPort?.postMessage('loaded');
