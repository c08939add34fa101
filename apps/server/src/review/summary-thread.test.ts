import { describe, expect, it } from 'vitest';
import { SummaryThread } from './summary-thread.ts';

describe('the summary thread', () => {
  // A worker stopped while its modules are still being evaluated can abort the whole process on
  // Node 20 (nodejs/node#43182; seen once in CI). The race cannot be forced here: this walks the
  // path that avoids it, closing a thread that has only begun to load.
  it('closes cleanly while still loading, giving up the summary asked for', async () => {
    for (let i = 0; i < 3; i++) {
      const thread = new SummaryThread();
      const job = thread.summarise([]);
      job.catch(() => {});
      await new Promise((resolve) => setImmediate(resolve)); // the thread has started loading
      await thread.close();
      await expect(job).rejects.toThrow(/closing|stopped/);
    }
  }, 120_000);

  it('makes a summary once loaded, and refuses work once closed', async () => {
    const thread = new SummaryThread();
    const made = await thread.summarise([]);
    expect(made.body.length).toBeGreaterThan(0);
    expect(made.measures.length).toBeGreaterThan(0);
    await thread.close();
    await expect(thread.summarise([])).rejects.toThrow('the studio is closing');
  }, 120_000);
});
