/**
 * The tables of the review and their migration. The session log is append-only: a mark made live
 * is an event in it and stays there. What a therapist does to marks in review is kept beside the
 * log, one row per session and mark id: a mark added in review, a live mark edited (a row with the
 * live mark's id replaces it), or a mark deleted (a row with `deleted` 1 hides it). The engine's
 * review model (`buildTimeline` with `marks` and `deletedMarks`) merges the two.
 *
 * Each therapist's list of mark tags is kept too, one row per account (none: the defaults).
 */
import type { Kysely, Migration } from 'kysely';
import type { Database } from '../storage/index.ts';

/** The review's tables as Kysely sees them (a type: `withTables` needs its implicit index signature). */
export type ReviewTables = {
  review_mark: {
    session_id: string;
    /** `live-<seq>` for a live mark edited or deleted in review; `r-…` for one added in review. */
    mark_id: string;
    /** Seconds on the session clock: the moment, or the start of a span. */
    t: number;
    /** The end of a span, or null for a moment. */
    end_t: number | null;
    note: string;
    /** The tags as a JSON list of strings. */
    tags: string;
    author_id: string | null;
    /** 1: the mark is deleted in review (hidden, live or not). */
    deleted: number;
    updated_at: string;
  };
  mark_tags: {
    account_id: string;
    /** The therapist's tags as a JSON list of strings, in their order. */
    tags: string;
    updated_at: string;
  };
};

/** The studio's database with the review's tables. */
export type ReviewDatabase = Database & ReviewTables;

/** The review's database handle over a store's. */
export function reviewDb(db: Kysely<Database>): Kysely<ReviewDatabase> {
  return db.withTables<ReviewTables>();
}

/** Migration `0004-review-marks`. */
export const reviewMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('review_mark')
      .addColumn('session_id', 'text', (c) => c.notNull().references('live_session.id').onDelete('cascade'))
      .addColumn('mark_id', 'text', (c) => c.notNull())
      .addColumn('t', 'double precision', (c) => c.notNull())
      .addColumn('end_t', 'double precision')
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.references('account.id').onDelete('set null'))
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('review_mark_pk', ['session_id', 'mark_id'])
      .execute();
    await db.schema
      .createTable('mark_tags')
      .addColumn('account_id', 'text', (c) => c.primaryKey().references('account.id').onDelete('cascade'))
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('mark_tags').execute();
    await db.schema.dropTable('review_mark').execute();
  },
};
