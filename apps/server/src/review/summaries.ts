/**
 * Session summaries: made from the log when a session ends (and, for a session without one or
 * with a stale one, when it is first opened), kept gzipped, served as they are kept. One summary
 * is made at a time per studio, and a session asked for twice while its summary is being made
 * waits for the same one.
 */
import { SUMMARY_VERSION } from '@attune/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/index.ts';
import { type SummaryDatabase, summaryDb } from './summary-tables.ts';
import { type LogRow, type MadeSummary, SummaryThread } from './summary-thread.ts';

/** Rows of the log read at a time, so a long log does not hold the database (or SQLite's thread) for long. */
const PAGE = 20_000;

/** A summary as kept: gzipped JSON (the whole, and its measures alone) and the log's length when it was made. */
export interface StoredSummary {
  readonly events: number;
  readonly body: Buffer;
  readonly measures: Buffer;
}

/** Drops a session's summary (an erasure renaming its lanes calls this in its transaction). */
// biome-ignore lint/suspicious/noExplicitAny: any handle on the studio's tables (the records' transaction) holds the summaries'
export async function dropSummary(db: Kysely<any>, session: string): Promise<void> {
  await summaryDb(db as Kysely<Database>)
    .deleteFrom('session_summary')
    .where('session_id', '=', session)
    .execute();
}

/** Whether a kept summary is of this engine's format and of the log as long as it is now. */
const current = (row: { version: number; events: number }, events: number) =>
  Number(row.version) === SUMMARY_VERSION && Number(row.events) === events;

export class Summaries {
  private readonly db: Kysely<SummaryDatabase>;
  private readonly thread = new SummaryThread();
  private readonly making = new Map<string, Promise<StoredSummary>>();

  constructor(
    db: Kysely<Database>,
    private readonly wallIso: () => string,
  ) {
    this.db = summaryDb(db);
  }

  /** The summary of a session whose log holds `events` entries: the kept one if current, else made now. */
  async get(session: string, events: number): Promise<StoredSummary> {
    const row = await this.db
      .selectFrom('session_summary')
      .select(['version', 'events', 'body', 'measures'])
      .where('session_id', '=', session)
      .executeTakeFirst();
    if (row?.measures && current(row, events))
      return { events, body: Buffer.from(row.body), measures: Buffer.from(row.measures) };
    return this.make(session);
  }

  /** The summary of a session's log as it is now (counted here), kept or made. */
  async latest(session: string): Promise<StoredSummary> {
    const row = await this.db
      .selectFrom('session_event')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('session_id', '=', session)
      .executeTakeFirst();
    return this.get(session, Number(row?.n ?? 0));
  }

  /**
   * Only the measures (gzipped `CompactMeasures`) of the summary of a session whose log holds
   * `events` entries: the lanes are not read unless the summary has to be made.
   */
  async measures(session: string, events: number): Promise<Buffer> {
    const row = await this.db
      .selectFrom('session_summary')
      .select(['version', 'events', 'measures'])
      .where('session_id', '=', session)
      .executeTakeFirst();
    if (row?.measures && current(row, events)) return Buffer.from(row.measures);
    return (await this.make(session)).measures;
  }

  /** Makes (and keeps) a session's summary from its log as it is now. */
  make(session: string): Promise<StoredSummary> {
    let job = this.making.get(session);
    if (!job) {
      job = this.build(session).finally(() => this.making.delete(session));
      this.making.set(session, job);
    }
    return job;
  }

  private async build(session: string): Promise<StoredSummary> {
    for (let attempt = 0; ; attempt++) {
      const rows = await this.read(session);
      const made = await this.thread.summarise(rows);
      // An erasure may have renamed a lane while the summary was made: keep only a summary of the
      // log as it still is (same length, same lanes), else make it again.
      const now = await this.lanes(session);
      const then = new Set(rows.map((r) => r[1]));
      const same =
        now.count === rows.length && now.lanes.size === then.size && [...then].every((p) => now.lanes.has(p));
      if (!same && attempt < 2) continue;
      if (same) await this.keep(session, rows.length, made);
      return { events: rows.length, ...made };
    }
  }

  private async read(session: string): Promise<LogRow[]> {
    const rows: LogRow[] = [];
    let after = 0;
    for (;;) {
      const page = await this.db
        .selectFrom('session_event')
        .select(['seq', 'participant', 't', 'type', 'payload'])
        .where('session_id', '=', session)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const r of page) rows.push([Number(r.seq), r.participant, Number(r.t), r.type, r.payload]);
      if (page.length < PAGE) return rows;
      after = Number((page[page.length - 1] as (typeof page)[number]).seq);
    }
  }

  private async lanes(session: string): Promise<{ count: number; lanes: Set<string> }> {
    const rows = await this.db
      .selectFrom('session_event')
      .select((eb) => ['participant', eb.fn.countAll<number>().as('n')])
      .where('session_id', '=', session)
      .groupBy('participant')
      .execute();
    return {
      count: rows.reduce((n, r) => n + Number(r.n), 0),
      lanes: new Set(rows.map((r) => r.participant)),
    };
  }

  private async keep(session: string, events: number, made: MadeSummary): Promise<void> {
    const row = {
      version: SUMMARY_VERSION,
      events,
      body: made.body,
      measures: made.measures,
      made_at: this.wallIso(),
    };
    await this.db
      .insertInto('session_summary')
      .values({ session_id: session, ...row })
      .onConflict((oc) => oc.column('session_id').doUpdateSet(row))
      .execute();
  }

  /** Stops the summary thread. */
  close(): Promise<void> {
    return this.thread.close();
  }
}
