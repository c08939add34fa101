/**
 * The journal's writer thread (started by `journal-thread.ts` through `journal-worker.mjs`): it
 * owns a connection of its own to the studio's SQLite file and writes each batch it is sent with
 * `SessionLog.appendAll`, in one transaction with full sync. better-sqlite3 waits for the disk in
 * the calling thread, so the wait happens here and not in the thread that relays the rooms.
 *
 * Messages: in, `write` (id, requests) and `close`; out, `ready` or `open-failed` once,
 * then `written` (id, outcomes) or `write-failed` (id, message) per write, and `closed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Kysely, SqliteDialect } from 'kysely';
import { connectSqlite, type ToThread, type WireOutcome } from './journal-thread.ts';
import type { Database } from './schema.ts';
import { SessionLog } from './session-log.ts';

const port = parentPort;
if (!port) throw new Error('journal-worker.ts runs as a worker thread (see journal-thread.ts)');
const { path } = workerData as { path: string };

let db: Kysely<Database>;
try {
  db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connectSqlite(path) }) });
  port.postMessage({ type: 'ready' });
} catch (error) {
  port.postMessage({ type: 'open-failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
const log = new SessionLog(db);

/** Writes run one after another, and `close` waits for the last. */
let last: Promise<void> = Promise.resolve();

port.on('message', (message: ToThread) => {
  if (message.type === 'write') {
    last = last.then(async () => {
      try {
        const outcomes = await log.appendAll(message.requests);
        const wire: WireOutcome[] = outcomes.map((o) =>
          o.ok ? o : { ok: false, message: o.error.message, code: o.error.code },
        );
        port.postMessage({ type: 'written', id: message.id, outcomes: wire });
      } catch (error) {
        port.postMessage({
          type: 'write-failed',
          id: message.id,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    });
  } else if (message.type === 'close') {
    last = last.then(async () => {
      await db.destroy();
      port.postMessage({ type: 'closed' });
      port.close();
    });
  }
});
