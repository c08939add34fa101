/**
 * Opening the review of a one-hour, four-player session in real Chromium: the studio (in this
 * process, SQLite, the web app built as for the browser tests) holds `bench/session.ts`'s hour
 * recorded as four players' `play` events; the therapist opens `/review/:id` and the figure is
 * the time from the navigation to the timeline AND the measures drawn (the page sets
 * `data-ready` on its root and a `attune-review-ready` performance mark then). Several runs, each
 * in a fresh page; the median is the figure. Target: under 2 s.
 *
 * The summary the page opens from is made when the session ends; the first open of a session that
 * has none (an older session) makes it then, and is timed apart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStudio } from '../apps/server/src/app.ts';
import { dropSummary } from '../apps/server/src/review/summaries.ts';
import type { AppendInput } from '../apps/server/src/storage/index.ts';
import '../apps/web/src/review/hook.ts';
import { hasChromium, launchBrowser } from '../apps/web/test/support/browser.ts';
import { buildAppInto } from '../apps/web/test/support/studio.ts';
import { Therapist } from '../apps/web/test/support/therapist.ts';
import { groupSession } from './session.ts';
import { figure, nowMs, quantile } from './stats.ts';

const RUNS = Number(process.env.ATTUNE_REVIEW_RUNS ?? 7);
const AT = '2026-11-25T10:00:00.000Z';

/** The hour as the room logs it: each player's events as `play` entries, in batches the log takes. */
function* batches(): Generator<AppendInput[]> {
  const entries: AppendInput[] = [];
  groupSession(3600).forEach((track, i) => {
    track.events.forEach((event, k) => {
      entries.push({ participant: `p${i + 1}`, clientSeq: k, t: event.t, type: 'play', payload: { event } });
    });
  });
  entries.sort((a, b) => a.t - b.t);
  for (let i = 0; i < entries.length; i += 5000) yield entries.slice(i, i + 5000);
}

export async function run(): Promise<void> {
  if (!hasChromium()) {
    console.log('  skipped: no Chromium at /usr/bin/chromium');
    return;
  }
  const base = await mkdtemp(join(tmpdir(), 'attune-review-bench-'));
  const webDir = join(base, 'web');
  await buildAppInto(webDir);
  const studio = await startStudio({
    port: 0,
    host: '127.0.0.1',
    dataDir: join(base, 'data'),
    webDir,
    companion: false,
    onError: () => {},
  });
  const origin = `http://127.0.0.1:${studio.port}`;
  const browser = await launchBrowser();
  try {
    const therapist = await Therapist.setUp(origin);
    /** Records the hour into a new session and ends it, as a session ends in the console. */
    const record = async (title: string): Promise<string> => {
      const started = await therapist.startSession(title);
      const id = started.session.id;
      let events = 0;
      for (const batch of batches()) {
        await studio.store.sessions.append(id, batch, AT);
        events += batch.length;
      }
      await therapist.request('POST', `/api/sessions/${id}/end`);
      console.log(`  one-hour simulated session, 4 players, ${events} events`);
      return id;
    };
    const url = new URL(origin);
    await browser.context.addCookies(
      [...therapist.cookies].map(([name, value]) => ({ name, value, domain: url.hostname, path: '/' })),
    );

    /** Opens the review once in a fresh page: ms from navigation to timeline and measures drawn. */
    const open = async (id: string): Promise<number> => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1440, height: 900 });
      const t0 = nowMs();
      await page.goto(`${origin}/review/${id}`);
      await page.waitForFunction(
        () =>
          document.querySelector('[data-ready="true"]') !== null ||
          (window.__attuneReview?.ready() === true && window.__attuneReview.measured() === true),
        undefined,
        { timeout: 120_000, polling: 20 },
      );
      const wall = nowMs() - t0;
      // The page's own mark, from the navigation's start, when it has one.
      const marked = await page.evaluate(
        () => performance.getEntriesByName('attune-review-ready')[0]?.startTime ?? null,
      );
      await page.close();
      return marked ?? wall;
    };

    // An older session, from before summaries: its summary (made at its end) is dropped, so the
    // first open makes it, in the studio's summary thread.
    const first = await record('Bench hour, first open');
    await open(first);
    await dropSummary(studio.store.db, first);
    const firstOpen = await open(first);
    figure('first open of an hour without a summary (made then)', firstOpen, 'ms', 0);

    const id = await record('Bench hour');
    // The summary is made when the session ends; one open to warm Chromium's caches.
    await open(id);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await open(id));
    figure(`open to timeline + measures drawn, median of ${RUNS}`, quantile(times, 0.5), 'ms', 0);
    figure('the same, fastest / slowest', Math.min(...times), 'ms', 0);
    figure('', Math.max(...times), 'ms', 0);
  } finally {
    await browser.close();
    await studio.close();
    await rm(base, { recursive: true, force: true });
  }
}
