/**
 * The thread that makes session summaries: one worker, started when first needed and kept (its
 * start compiles the engine), given one log at a time; idle, it does not keep the studio running.
 */
import { Worker } from 'node:worker_threads';

/** A row of the log as the thread takes it: seq, participant, t, type, payload as the log holds it. */
export type LogRow = [number, string, number, string, string];

/** What the thread answers: the summary and its measures alone, as gzipped JSON, or why not. */
export type FromSummaryThread =
  | { readonly ok: true; readonly body: Uint8Array; readonly measures: Uint8Array }
  | { readonly ok: false; readonly message: string };

/** A summary as made: the whole (what the review opens) and its measures alone, both gzipped JSON. */
export interface MadeSummary {
  readonly body: Buffer;
  readonly measures: Buffer;
}

const buffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const ENTRY = new URL('./summary-worker.mjs', import.meta.url);

/** How long closing waits for a thread still loading its modules before stopping it anyway. */
const LOAD_WITHIN_MS = 30_000;

/** A worker and when it has loaded its modules (or ended without). */
interface Started {
  readonly worker: Worker;
  readonly loaded: Promise<void>;
}

export class SummaryThread {
  private thread: Started | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  /** The summary of a log and its measures, as gzipped JSON; one log at a time, in the order asked. */
  summarise(rows: LogRow[]): Promise<MadeSummary> {
    const job = this.queue.then(() => this.run(rows));
    this.queue = job.catch(() => {});
    return job;
  }

  private async run(rows: LogRow[]): Promise<MadeSummary> {
    if (this.closed) throw new Error('the studio is closing');
    this.thread ??= this.start();
    const { worker, loaded } = this.thread;
    worker.ref();
    await loaded;
    if (this.closed) throw new Error('the studio is closing');
    return new Promise<MadeSummary>((resolve, reject) => {
      const done = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref();
      };
      const onMessage = (answer: FromSummaryThread | 'loaded') => {
        if (answer === 'loaded') return;
        done();
        if (answer.ok) resolve({ body: buffer(answer.body), measures: buffer(answer.measures) });
        else reject(new Error(answer.message));
      };
      const onError = (error: Error) => {
        done();
        if (this.thread?.worker === worker) this.thread = null;
        reject(error);
      };
      // Stopped (the studio closing) or crashed without a word: the summary is not made.
      const onExit = (code: number) => {
        done();
        reject(new Error(`the summary thread stopped (exit code ${code})`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(rows);
    });
  }

  private start(): Started {
    const worker = new Worker(ENTRY);
    worker.on('exit', () => {
      if (this.thread?.worker === worker) this.thread = null;
    });
    const loaded = new Promise<void>((resolve) => {
      const onLoaded = (message: unknown) => {
        if (message !== 'loaded') return;
        worker.off('message', onLoaded);
        resolve();
      };
      worker.on('message', onLoaded);
      worker.once('exit', () => resolve());
    });
    return { worker, loaded };
  }

  /**
   * Stops the thread (a summary being made is given up), once it has loaded its modules: a
   * worker stopped while its modules are evaluated takes the whole process down on Node 20.
   */
  async close(): Promise<void> {
    this.closed = true;
    const thread = this.thread;
    this.thread = null;
    if (!thread) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      thread.loaded,
      new Promise((resolve) => (timer = setTimeout(resolve, LOAD_WITHIN_MS))),
    ]);
    clearTimeout(timer);
    await thread.worker.terminate();
  }
}
