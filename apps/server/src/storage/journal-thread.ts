/**
 * The journal's writer thread for SQLite, seen from the studio's thread. better-sqlite3 is
 * synchronous: a commit with full sync waits for the disk in the thread that makes it, and in the
 * studio's thread that wait would hold up every room's relays and companion. So the journal's
 * transactions are written by a worker thread (`journal-worker.ts`) with a connection of its own
 * to the same file; WAL lets the studio's thread go on reading (and making its rare writes:
 * sessions started and ended, logins) through its own connection.
 *
 * If the thread dies, the batch it was writing is refused (it may or may not have been committed:
 * nothing of it was acknowledged, and a resend is harmless), appends are refused with a clear
 * error while a new thread starts, and the studio goes on.
 */
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { BatchWriter } from './journal.ts';
import { type Appended, type AppendOutcome, type AppendRequest, StoreError } from './session-log.ts';

/**
 * A connection to the studio's SQLite file, as every connection to it must be set up: WAL lets
 * readers (review, exports) run beside the writer; synchronous=FULL makes each commit durable on
 * disk before the room acknowledges the events in it; a writer waits up to 5 s for another.
 */
export function connectSqlite(path: string): SQLite.Database {
  const database = new SQLite(path);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

/** Messages to the thread. */
export type ToThread =
  | { readonly type: 'write'; readonly id: number; readonly requests: readonly AppendRequest[] }
  | { readonly type: 'close' };

/** An outcome as it crosses between threads (an error is sent as its message and code). */
export type WireOutcome =
  | { readonly ok: true; readonly appended: Appended[] }
  | { readonly ok: false; readonly message: string; readonly code: StoreError['code'] };

/** Messages from the thread. */
type FromThread =
  | { readonly type: 'ready' }
  | { readonly type: 'open-failed'; readonly message: string }
  | { readonly type: 'written'; readonly id: number; readonly outcomes: WireOutcome[] }
  | { readonly type: 'write-failed'; readonly id: number; readonly message: string }
  | { readonly type: 'closed' };

export interface JournalThreadOptions {
  /** Where a thread that died, or could not be restarted, is reported. */
  readonly onError?: (error: unknown, where: string) => void;
  /**
   * Milliseconds to wait before each restart after the thread died; the last repeats. A restart
   * that writes a batch starts the list again. Default: at once, then ¼ s, 1 s, 5 s.
   */
  readonly restartDelays?: readonly number[];
}

interface Pending {
  readonly resolve: (outcomes: AppendOutcome[]) => void;
  readonly reject: (error: unknown) => void;
}

const ENTRY = new URL('./journal-worker.mjs', import.meta.url);
/** How long a closing thread may take to finish its last write before it is ended. */
const CLOSE_WITHIN_MS = 10_000;

/** The writer thread of one SQLite file, restarted when it dies. */
export class JournalThread {
  private worker: Worker | null = null;
  private ready = false;
  private closing = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failures = 0;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private started = 0;

  private constructor(
    private readonly path: string,
    private readonly options: JournalThreadOptions,
  ) {}

  /** Starts the thread on the SQLite file at `path`; rejects with the reason when it cannot open it. */
  static async start(path: string, options: JournalThreadOptions = {}): Promise<JournalThread> {
    const thread = new JournalThread(path, options);
    try {
      await thread.spawn();
    } catch (error) {
      await thread.close();
      throw error;
    }
    return thread;
  }

  /** How many threads were started (1 until the first one died). */
  get starts(): number {
    return this.started;
  }

  /** Whether a thread is running and takes writes. */
  get running(): boolean {
    return this.ready;
  }

  /** Writes one batch in one transaction on the thread: the journal's {@link BatchWriter}. */
  readonly write: BatchWriter = (requests) => {
    if (this.closing)
      return Promise.reject(new StoreError('the store is closing: nothing more is written', 'unavailable'));
    const worker = this.worker;
    if (!worker || !this.ready)
      return Promise.reject(
        new StoreError(
          "the session log's writer is restarting after a failure: nothing was written; send it again",
          'unavailable',
        ),
      );
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      // Held while a write is in flight, so a process does not end before its events are durable.
      worker.ref();
      worker.postMessage({ type: 'write', id, requests } satisfies ToThread);
    });
  };

  /** Ends the thread at once, as a crash would: what it was writing is refused and it restarts. */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Lets the thread finish what it was sent, closes its connection and ends it. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    if (this.ready) {
      worker.ref();
      worker.postMessage({ type: 'close' } satisfies ToThread);
      const timer = setTimeout(() => void worker.terminate(), CLOSE_WITHIN_MS);
      await ended;
      clearTimeout(timer);
    } else {
      // Still starting: let it finish loading (or end) before stopping it, since a worker stopped
      // while its modules are evaluated takes the whole process down on Node 20 (nodejs/node#43182).
      let timer: NodeJS.Timeout | undefined;
      const started = new Promise<void>((resolve) => {
        worker.on('message', (message: FromThread) => {
          if (message.type === 'ready') resolve();
        });
        timer = setTimeout(resolve, CLOSE_WITHIN_MS);
      });
      await Promise.race([started, ended]);
      clearTimeout(timer);
      await worker.terminate();
    }
  }

  /** Starts a thread; resolves once it has opened the file, rejects with why it could not. */
  private spawn(): Promise<void> {
    this.started++;
    const worker = new Worker(ENTRY, { workerData: { path: this.path } });
    this.worker = worker;
    let lastError: string | null = null;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromThread) => {
        switch (message.type) {
          case 'ready':
            this.ready = true;
            worker.unref();
            resolve();
            return;
          case 'open-failed':
            lastError = message.message;
            return;
          case 'written':
          case 'write-failed':
            this.settle(message);
            return;
          case 'closed':
            return;
        }
      });
      worker.on('error', (error) => {
        lastError = error.message;
      });
      worker.on('exit', (code) => {
        const wasReady = this.ready;
        this.ready = false;
        if (this.worker === worker) this.worker = null;
        const why = `the session log's writer ${wasReady ? 'stopped' : 'could not start'} (exit code ${code}${lastError ? `: ${lastError}` : ''})`;
        this.refuseAll(why);
        if (!wasReady) reject(new Error(`${why}, on ${this.path}`));
        if (this.closing) return;
        if (wasReady) this.report(new Error(why), 'the session log');
        this.restart();
      });
    });
  }

  private settle(message: Extract<FromThread, { type: 'written' | 'write-failed' }>): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (message.type === 'write-failed') {
      pending.reject(new Error(`the session log could not write: ${message.message}`));
      return;
    }
    this.failures = 0;
    pending.resolve(
      message.outcomes.map((o) => (o.ok ? o : { ok: false, error: new StoreError(o.message, o.code) })),
    );
  }

  private refuseAll(why: string): void {
    const error = new StoreError(
      `${why}; what it was writing was not acknowledged: send it again`,
      'unavailable',
    );
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private restart(): void {
    const delays = this.options.restartDelays ?? [0, 250, 1000, 5000];
    const delay = delays[Math.min(this.failures, delays.length - 1)] ?? 0;
    this.failures++;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.closing) return;
      // A thread that fails to start is restarted by its own exit.
      this.spawn().catch((error: unknown) => this.report(error, 'restarting the session log'));
    }, delay);
    this.restartTimer.unref();
  }

  private report(error: unknown, where: string): void {
    try {
      (
        this.options.onError ??
        ((e: unknown, w: string) => console.error(`Attune: ${w}: ${e instanceof Error ? e.message : e}`))
      )(error, where);
    } catch {
      // A failing reporter must not stop the restart.
    }
  }
}
