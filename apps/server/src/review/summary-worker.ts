/**
 * The summary thread: gets a session's log as rows, answers with its summary as gzipped JSON
 * (the engine's `summarise`) and its measures alone, gzipped too, so an hour's analysis never holds up the studio's live rooms.
 */
import { parentPort } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { type LogEntry, summarise } from '@attune/engine';
import type { FromSummaryThread, LogRow } from './summary-thread.ts';

parentPort?.on('message', (rows: LogRow[]) => {
  let answer: FromSummaryThread;
  try {
    const entries = rows.map(
      ([seq, participant, t, type, payload]): LogEntry => ({
        seq,
        participant,
        t,
        type,
        payload: JSON.parse(payload) as unknown,
      }),
    );
    const summary = summarise(entries);
    const body = gzipSync(JSON.stringify(summary));
    const measures = gzipSync(JSON.stringify(summary.measures));
    answer = { ok: true, body, measures };
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(answer);
});
