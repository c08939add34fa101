import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RenderJob, type Timers, WavJobs } from './wav-jobs.ts';

/** Timers run by hand: `advance(ms)` fires what is due. */
function manualTimers() {
  let now = 0;
  const due: Array<{ at: number; callback: () => void; handle: number }> = [];
  let next = 0;
  const timers: Timers = {
    set: (callback, ms) => {
      const handle = ++next;
      due.push({ at: now + ms, callback, handle });
      return handle;
    },
    clear: (handle) => {
      const i = due.findIndex((d) => d.handle === handle);
      if (i >= 0) due.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const d of due.filter((x) => x.at <= now)) {
      due.splice(due.indexOf(d), 1);
      d.callback();
    }
  };
  return { timers, advance };
}

/** A render that writes its file and waits to be told to finish, reporting progress on request. */
function heldRender() {
  let finish: (ok: boolean) => void = () => {};
  let report: (share: number) => void = () => {};
  let started = false;
  const render: RenderJob = (path, onProgress) => {
    started = true;
    report = onProgress;
    writeFileSync(path, 'RIFF');
    return new Promise((resolve, reject) => {
      finish = (ok) => (ok ? resolve({ seconds: 60 }) : reject(new Error('disk full at /secret/path')));
    });
  };
  return {
    render,
    started: () => started,
    progress: (share: number) => report(share),
    finish: (ok = true) => finish(ok),
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function jobsWith(options: { keepMs?: number; afterDownloadMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'attune-wav-jobs-'));
  dirs.push(dir);
  const { timers, advance } = manualTimers();
  const errors: unknown[] = [];
  const jobs = new WavJobs({ dir, timers, onError: (e) => errors.push(e), ...options });
  return { jobs, advance, errors, dir };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('WavJobs', () => {
  it('renders one job at a time, in order, saying how many are ahead', async () => {
    const { jobs } = jobsWith();
    const first = heldRender();
    const second = heldRender();
    const a = jobs.start('anna', 's1', first.render);
    const b = jobs.start('anna', 's2', second.render);
    expect(a.state).toBe('rendering');
    expect(b).toMatchObject({ state: 'queued', ahead: 1, progress: 0 });
    expect(second.started()).toBe(false);
    first.progress(0.4);
    expect(jobs.get(a.id, 'anna')).toMatchObject({ state: 'rendering', progress: 0.4 });
    // Progress never runs backwards.
    first.progress(0.2);
    expect(jobs.get(a.id, 'anna')?.progress).toBe(0.4);
    first.finish();
    await tick();
    expect(jobs.get(a.id, 'anna')).toMatchObject({ state: 'done', progress: 1, seconds: 60 });
    expect(jobs.get(b.id, 'anna')).toMatchObject({ state: 'rendering', ahead: 0 });
    expect(second.started()).toBe(true);
  });

  it('a job is its owner’s alone', () => {
    const { jobs } = jobsWith();
    const job = jobs.start('anna', 's1', heldRender().render);
    expect(jobs.get(job.id, 'ben')).toBeNull();
    expect(jobs.file(job.id, 'ben')).toBeNull();
    expect(jobs.cancel(job.id, 'ben')).toBe(false);
    expect(jobs.get(job.id, 'anna')?.state).toBe('rendering');
  });

  it('keeps a finished file an hour, or a minute once downloaded', async () => {
    const { jobs, advance } = jobsWith({ keepMs: 3_600_000, afterDownloadMs: 60_000 });
    const one = heldRender();
    const kept = jobs.start('anna', 's1', one.render);
    one.finish();
    await tick();
    const path = jobs.file(kept.id, 'anna')?.path as string;
    expect(existsSync(path)).toBe(true);
    advance(3_599_999);
    expect(existsSync(path)).toBe(true);
    advance(1);
    expect(existsSync(path)).toBe(false);
    expect(jobs.get(kept.id, 'anna')).toBeNull();

    const two = heldRender();
    const fetched = jobs.start('anna', 's1', two.render);
    two.finish();
    await tick();
    const second = jobs.file(fetched.id, 'anna')?.path as string;
    jobs.downloaded(fetched.id);
    advance(59_999);
    expect(existsSync(second)).toBe(true);
    advance(1);
    expect(existsSync(second)).toBe(false);
  });

  it('cancelling a queued job drops it; cancelling a rendering one removes its file when it ends', async () => {
    const { jobs } = jobsWith();
    const running = heldRender();
    const queued = heldRender();
    const a = jobs.start('anna', 's1', running.render);
    const b = jobs.start('anna', 's2', queued.render);
    expect(jobs.cancel(b.id, 'anna')).toBe(true);
    expect(jobs.get(b.id, 'anna')).toBeNull();
    expect(jobs.cancel(a.id, 'anna')).toBe(true);
    expect(jobs.get(a.id, 'anna')?.state).toBe('cancelled');
    running.finish();
    await tick();
    expect(jobs.get(a.id, 'anna')).toBeNull();
    expect(queued.started()).toBe(false);
  });

  it('a failed render says so in plain words, keeps no file, and the queue goes on', async () => {
    const { jobs, errors, dir } = jobsWith();
    const failing = heldRender();
    const next = heldRender();
    const a = jobs.start('anna', 's1', failing.render);
    jobs.start('anna', 's2', next.render);
    failing.finish(false);
    await tick();
    expect(jobs.get(a.id, 'anna')).toMatchObject({
      state: 'failed',
      error: 'The recording could not be made into a WAV file.',
    });
    expect(existsSync(join(dir, `${a.id}.wav`))).toBe(false);
    expect(errors).toHaveLength(1);
    expect(next.started()).toBe(true);
  });

  it('removes files an earlier run left behind, and takes no job once closed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attune-wav-jobs-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'left-over.wav'), 'RIFF');
    const jobs = new WavJobs({ dir });
    expect(existsSync(join(dir, 'left-over.wav'))).toBe(false);
    jobs.close();
    expect(() => jobs.start('anna', 's1', heldRender().render)).toThrow('the studio is closing');
  });
});
