/**
 * The table of session summaries and its migration. A summary is what the review screen opens a
 * recording with (the engine's `summarise`: the lanes as read from the log, in columns, and the
 * measures), made once from the log and kept as gzipped JSON, sent as it is kept. It is a copy:
 * `events` says how long the log was when it was made, so a longer log makes it stale, and an
 * erasure that renames a lane drops it (records/erasure.ts). The measures are kept a second time,
 * alone (`measures`, migration `0008-summary-measures`), so a client's progress and the suggestions
 * beside a rating unzip a few kilobytes of analysis, not the lanes of an hour.
 */
import type { Kysely, Migration } from 'kysely';
import type { Database } from '../storage/index.ts';

/** The summaries' table as Kysely sees it. */
export type SummaryTables = {
  session_summary: {
    session_id: string;
    /** The engine's `SUMMARY_VERSION` it was made with. */
    version: number;
    /** Entries of the log it was made from. */
    events: number;
    /** The summary's JSON, gzipped. */
    body: Buffer;
    /** The summary's measures alone (`CompactMeasures`), gzipped; null in a summary made before 0008. */
    measures: Buffer | null;
    made_at: string;
  };
};

/** The studio's database with the summaries' table. */
export type SummaryDatabase = Database & SummaryTables;

/** The summaries' database handle over a store's (or an erasure's transaction). */
export function summaryDb<D>(db: Kysely<D>): Kysely<D & SummaryTables> {
  return db.withTables<SummaryTables>();
}

/** Migration `0007-session-summaries`. */
export const summaryMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('session_summary')
      .addColumn('session_id', 'text', (c) =>
        c.primaryKey().references('live_session.id').onDelete('cascade'),
      )
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('events', 'integer', (c) => c.notNull())
      // bytea in PostgreSQL; in SQLite a column of any type keeps a blob as it is.
      .addColumn('body', 'bytea', (c) => c.notNull())
      .addColumn('made_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('session_summary').execute();
  },
};

/** Migration `0008-summary-measures`: the measures apart from the lanes (a summary without them is made again). */
export const summaryMeasuresMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('session_summary').addColumn('measures', 'bytea').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('session_summary').dropColumn('measures').execute();
  },
};
