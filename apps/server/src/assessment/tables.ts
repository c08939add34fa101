/**
 * The table of assessment ratings and its migration. A rating is one rater's level for one item
 * of a scale on one session, for one client's lane of it (`participant`, '' when the session is
 * rated as a whole: a session with one client), with the marks it cites as evidence and a
 * comment. One row per (session, rater, scale, item, participant): a rater rewrites their own
 * rating, never another's. A session's ratings go with the session (`on delete cascade`), so an
 * erasure that removes a session cannot leave them behind.
 */
import type { Kysely, Migration } from 'kysely';
import type { Database } from '../storage/index.ts';

/** The ratings' table as Kysely sees it (a type: `withTables` needs its implicit index signature). */
export type RatingTables = {
  session_rating: {
    session_id: string;
    rater_id: string;
    /** A scale id of the engine's (`nordoff-robbins-1`, `nordoff-robbins-2`, `iap`). */
    scale: string;
    /** The item's id on that scale ('participation', 'vocal', 'autonomy:rhythm'). */
    item: string;
    /** The client's lane (p1, p2…), or '' for the session as a whole. */
    participant: string;
    level: number;
    comment: string;
    /** Ids of the marks cited as evidence, as a JSON list. */
    evidence: string;
    created_at: string;
    updated_at: string;
  };
};

/** The studio's database with the ratings' table. */
export type RatingsDatabase = Database & RatingTables;

/** The ratings' database handle over a store's. */
export function ratingsDb(db: Kysely<Database>): Kysely<RatingsDatabase> {
  return db.withTables<RatingTables>();
}

/** Migration `0005-ratings`. */
export const ratingsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('session_rating')
      .addColumn('session_id', 'text', (c) => c.notNull().references('live_session.id').onDelete('cascade'))
      .addColumn('rater_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
      .addColumn('scale', 'text', (c) => c.notNull())
      .addColumn('item', 'text', (c) => c.notNull())
      .addColumn('participant', 'text', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('comment', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('session_rating_pk', [
        'session_id',
        'rater_id',
        'scale',
        'item',
        'participant',
      ])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('session_rating').execute();
  },
};
