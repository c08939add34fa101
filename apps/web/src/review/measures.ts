/**
 * The measures under the timeline from the page: the engine's `reviewMeasures` (the analysis of
 * `attune analyze`) run in a worker, so opening a long session does not wait for it.
 */
import type { LogEntry, ParticipantCurves } from '@attune/engine';

/** What the worker answers. */
export type MeasuresAnswer =
  | { readonly ok: true; readonly curves: ParticipantCurves[] }
  | { readonly ok: false; readonly message: string };

/** Works out the curves of a session's log in a worker; resolves with them or rejects with the reason. */
export function measureInWorker(entries: readonly LogEntry[]): {
  result: Promise<ParticipantCurves[]>;
  cancel(): void;
} {
  const worker = new Worker(new URL('./measures-worker.ts', import.meta.url), { type: 'module' });
  const result = new Promise<ParticipantCurves[]>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<MeasuresAnswer>) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.curves);
      else reject(new Error(event.data.message));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || 'the measures could not be worked out'));
    };
  });
  worker.postMessage({ entries });
  return { result, cancel: () => worker.terminate() };
}
