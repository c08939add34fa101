// Starts a summary thread (summary-worker.ts). A worker does not take the TypeScript loader of the
// thread that starts it (Node 20), so it registers tsx itself, under `npm start` and vitest alike.
import { register } from 'tsx/esm/api';

register();
await import('./summary-worker.ts');
