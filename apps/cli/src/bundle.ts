/**
 * The entry of the prebuilt command (`dist/attune.js`, made by scripts/bundle.mjs at install):
 * the same command, with its listening threads loaded from the bundled worker beside it.
 */
import { useWorkerModule } from './listening/pool.ts';

useWorkerModule(new URL('./listen-worker.js', import.meta.url));

export { startListeners } from './listening/pool.ts';
export { main } from './main.ts';
