/**
 * A client's progress over twenty sessions: the studio (in this process, SQLite) holds twenty
 * twenty-minute sessions of the client (a melody on p1) with the therapist (piano), each linked
 * to the client and rated; the figure is `GET /api/clients/:id/progress` over HTTP, first read
 * from the session summaries the studio made when each session ended (each summary's
 * measures unzipped, kept apart from the lanes), then from the analyses the studio keeps in memory.
 * Before the first read the bench waits until every summary is kept (opening each review's
 * summary), so the figure is progress read from summaries, not summaries being made. Working the analyses out
 * from the logs instead took about 1.8 s a session on this (loaded) machine: 37 s for the twenty.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStudio } from '../apps/server/src/app.ts';
import type { AppendInput } from '../apps/server/src/storage/index.ts';
import { Therapist } from '../apps/web/test/support/therapist.ts';
import { groupSession } from './session.ts';
import { figure, nowMs, quantile } from './stats.ts';

const SESSIONS = Number(process.env.ATTUNE_PROGRESS_SESSIONS ?? 20);
const SECONDS = 20 * 60;
const AT = '2026-11-25T10:00:00.000Z';

/** The client on p1 and the therapist, as the room logs them, in batches the log takes. */
function batches(): AppendInput[][] {
  const [piano, melody] = groupSession(SECONDS);
  const entries: AppendInput[] = [];
  for (const [participant, track] of [
    ['therapist', piano],
    ['p1', melody],
  ] as const)
    track?.events.forEach((event, k) => {
      entries.push({ participant, clientSeq: k, t: event.t, type: 'play', payload: { event } });
    });
  entries.sort((a, b) => a.t - b.t);
  const out: AppendInput[][] = [];
  for (let i = 0; i < entries.length; i += 5000) out.push(entries.slice(i, i + 5000));
  return out;
}

export async function run(): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'attune-progress-bench-'));
  const studio = await startStudio({
    port: 0,
    host: '127.0.0.1',
    dataDir: join(base, 'data'),
    webDir: join(base, 'no-web'),
    companion: false,
    onError: () => {},
  });
  try {
    const therapist = await Therapist.setUp(`http://127.0.0.1:${studio.port}`);
    const client = (
      await therapist.request<{ client: { id: string } }>('POST', '/api/clients', {
        name: 'Bench Client',
        birthDate: '2015-05-05',
        displayName: 'BC',
        consent: { recording: true, research: false, family: false },
      })
    ).client.id;
    const log = batches();
    const events = log.reduce((n, b) => n + b.length, 0);
    const sessions: string[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const id = (await therapist.startSession(`Week ${i + 1}`)).session.id;
      sessions.push(id);
      for (const batch of log) await studio.store.sessions.append(id, batch, AT);
      await therapist.request('POST', `/api/sessions/${id}/end`);
      await therapist.request('PUT', `/api/sessions/${id}/links`, {
        clients: [{ id: client, participant: 'p1' }],
        group: null,
      });
      await therapist.request('PUT', `/api/sessions/${id}/ratings`, {
        scale: 'nordoff-robbins-2',
        ratings: [{ item: 'instrumental', level: 1 + (i % 10) }],
      });
    }
    console.log(
      `  ${SESSIONS} sessions of ${SECONDS / 60} minutes, client and therapist, ${events} events each`,
    );
    const t0 = nowMs();
    for (const id of sessions) await therapist.request('GET', `/api/sessions/${id}/review/summary`);
    figure('summaries ready (made as each session ended, waited for)', nowMs() - t0, 'ms', 0);
    const time = async () => {
      const t0 = nowMs();
      await therapist.request('GET', `/api/clients/${client}/progress`);
      return nowMs() - t0;
    };
    figure('progress, first read (from the kept session summaries)', await time(), 'ms', 0);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(await time());
    figure('progress, warm (analyses kept), median of 5', quantile(warm, 0.5), 'ms', 0);
  } finally {
    await studio.close();
    await rm(base, { recursive: true, force: true });
  }
}
