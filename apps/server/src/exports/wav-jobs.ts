/**
 * WAV exports as jobs: an hour of a session takes a minute or so to render, longer than a
 * request should wait, so a request starts a job and the browser asks how far it has got. The
 * studio renders one at a time (its machine has two cores, which one render uses) and queues the
 * rest in order. A job belongs to the account that started it: to anyone else it does not exist.
 * Its file lives in the data folder until it is downloaded (then a short grace, for a retried
 * download) or for an hour, whichever comes first; a cancelled or failed job's file goes at once.
 * A render already mixing cannot be stopped part-way (its threads run to the end), so cancelling
 * it stops its file being kept, and the queue moves on when it ends.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Where a job is. */
export type JobState = 'queued' | 'rendering' | 'done' | 'failed' | 'cancelled';

/** A job as its owner sees it. */
export interface JobView {
  readonly id: string;
  readonly session: string;
  readonly state: JobState;
  /** Share of the render done, 0..1. */
  readonly progress: number;
  /** Jobs to render before this one starts (0 when rendering or finished). */
  readonly ahead: number;
  /** Seconds of audio the file holds (known once it is done). */
  readonly seconds: number | null;
  readonly error: string | null;
}

/** What a render needs: the job's file and a progress callback (share 0..1). */
export type RenderJob = (
  path: string,
  onProgress: (share: number) => void,
) => Promise<{ readonly seconds: number }>;

/** Timers, as arguments so tests can run them. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Options of {@link WavJobs}. */
export interface WavJobsOptions {
  /** The folder for the files (made if missing; files left in it by an earlier run are removed). */
  readonly dir: string;
  /** How long a finished file is kept when nobody downloads it (default one hour). */
  readonly keepMs?: number;
  /** How long a file is kept after its download starts (default one minute). */
  readonly afterDownloadMs?: number;
  readonly timers?: Timers;
  /** Where a failed render is reported. */
  readonly onError?: (error: unknown) => void;
}

interface Job {
  readonly id: string;
  readonly owner: string;
  readonly session: string;
  readonly path: string;
  readonly render: RenderJob;
  state: JobState;
  progress: number;
  seconds: number | null;
  error: string | null;
  expiry: unknown;
}

/** Jobs render one at a time, in the order they were started. */
export class WavJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private idle: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly timers: Timers;

  constructor(private readonly options: WavJobsOptions) {
    this.timers = options.timers ?? realTimers;
    mkdirSync(options.dir, { recursive: true });
    for (const name of readdirSync(options.dir)) {
      if (name.endsWith('.wav')) rmSync(join(options.dir, name), { force: true });
    }
  }

  /** Queues a render of session `session` for account `owner`; returns the job as they see it. */
  start(owner: string, session: string, render: RenderJob): JobView {
    if (this.closed) throw new Error('the studio is closing: no new exports');
    const id = randomUUID();
    const job: Job = {
      id,
      owner,
      session,
      path: join(this.options.dir, `${id}.wav`),
      render,
      state: 'queued',
      progress: 0,
      seconds: null,
      error: null,
      expiry: null,
    };
    this.jobs.set(id, job);
    this.queue.push(job);
    this.next();
    return this.view(job);
  }

  /** The job, if `owner` started it. */
  get(id: string, owner: string): JobView | null {
    const job = this.own(id, owner);
    return job ? this.view(job) : null;
  }

  /** The file of a finished job of `owner`, or null. */
  file(id: string, owner: string): { readonly path: string; readonly session: string } | null {
    const job = this.own(id, owner);
    return job?.state === 'done' ? { path: job.path, session: job.session } : null;
  }

  /** A download of the job's file started: it is kept a little longer, then removed. */
  downloaded(id: string): void {
    const job = this.jobs.get(id);
    if (job?.state === 'done') this.expire(job, this.options.afterDownloadMs ?? 60_000);
  }

  /** Cancels a job of `owner`; false when there is no such job. */
  cancel(id: string, owner: string): boolean {
    const job = this.own(id, owner);
    if (!job) return false;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    if (job.state === 'queued' || job.state === 'rendering' || job.state === 'done') {
      job.state = 'cancelled';
      this.forget(job);
    }
    return true;
  }

  /** Stops taking jobs, drops the queue and removes every file (a render mixing ends on its own). */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    for (const job of this.jobs.values()) {
      if (job.state !== 'failed') job.state = 'cancelled';
      this.forget(job);
    }
  }

  /** Resolves when no render runs (for tests and benchmarks). */
  settled(): Promise<void> {
    return this.idle;
  }

  private own(id: string, owner: string): Job | null {
    const job = this.jobs.get(id);
    return job && job.owner === owner ? job : null;
  }

  private view(job: Job): JobView {
    const ahead = job.state === 'queued' ? this.queue.indexOf(job) + (this.running ? 1 : 0) : 0;
    return {
      id: job.id,
      session: job.session,
      state: job.state,
      progress: job.progress,
      ahead,
      seconds: job.seconds,
      error: job.error,
    };
  }

  private next(): void {
    if (this.running || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    job.state = 'rendering';
    this.idle = this.run(job).finally(() => {
      this.running = null;
      this.next();
    });
  }

  private async run(job: Job): Promise<void> {
    try {
      const { seconds } = await job.render(job.path, (share) => {
        job.progress = Math.max(job.progress, Math.min(1, share));
      });
      if (job.state !== 'rendering') {
        rmSync(job.path, { force: true });
        this.jobs.delete(job.id);
        return;
      }
      job.state = 'done';
      job.progress = 1;
      job.seconds = seconds;
      this.expire(job, this.options.keepMs ?? 3_600_000);
    } catch (error) {
      rmSync(job.path, { force: true });
      if (job.state !== 'rendering') {
        this.jobs.delete(job.id);
        return;
      }
      job.state = 'failed';
      job.error = 'The recording could not be made into a WAV file.';
      this.options.onError?.(error);
    }
  }

  /** Removes the job's file after `ms`, and the job with it. */
  private expire(job: Job, ms: number): void {
    if (job.expiry !== null) this.timers.clear(job.expiry);
    job.expiry = this.timers.set(() => {
      job.expiry = null;
      rmSync(job.path, { force: true });
      this.jobs.delete(job.id);
    }, ms);
  }

  /** Removes a cancelled job's file now (a render still mixing removes it when it ends). */
  private forget(job: Job): void {
    if (job.expiry !== null) this.timers.clear(job.expiry);
    job.expiry = null;
    if (job === this.running) return;
    rmSync(job.path, { force: true });
    this.jobs.delete(job.id);
  }
}
