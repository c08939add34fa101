/**
 * The ratings' store: a session's ratings read (for the review, the export and a client's
 * progress), a rater's ratings of one scale written together, one rating removed, and the
 * ratings of an erased client's lane removed from a session that is kept. Rows become the
 * engine's `Rating`s, so agreement and progress are computed by the engine on what is stored.
 */
import type { Rating, ScaleId } from '@attune/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/index.ts';
import { type RatingsDatabase, type RatingTables, ratingsDb } from './tables.ts';

type Row = RatingTables['session_rating'];

/** A stored rating as the API and the export give it. */
export interface StoredRating {
  readonly session: string;
  readonly rater: string;
  readonly scale: ScaleId;
  readonly item: string;
  /** The client's lane, or null for the session as a whole. */
  readonly participant: string | null;
  readonly level: number;
  readonly comment: string;
  /** Ids of the marks cited as evidence. */
  readonly evidence: string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One item of a rater's ratings as they are written. */
export interface RatingInput {
  readonly item: string;
  readonly level: number;
  readonly comment: string;
  readonly evidence: readonly string[];
}

/** Any of the studio's database handles (the records', the review's…): they all hold the ratings' table. */
// biome-ignore lint/suspicious/noExplicitAny: a handle over any set of the studio's tables
type AnyDb = Kysely<any>;

const ratings = (db: AnyDb): Kysely<RatingsDatabase> => ratingsDb(db as Kysely<Database>);

/** The stored rating of a row. */
export function ratingView(row: Row): StoredRating {
  return {
    session: row.session_id,
    rater: row.rater_id,
    scale: row.scale as ScaleId,
    item: row.item,
    participant: row.participant === '' ? null : row.participant,
    level: Number(row.level),
    comment: row.comment,
    evidence: JSON.parse(row.evidence) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A stored rating as the engine's `Rating` (its latest change is when it was rated). */
export function engineRating(r: StoredRating): Rating {
  return {
    scale: r.scale,
    item: r.item,
    value: r.level,
    rater: r.rater,
    ratedAt: r.updatedAt,
    participant: r.participant,
    marks: r.evidence,
    note: r.comment,
  };
}

/** The ratings of these sessions, by session, in scale, item, lane and rater order. */
export async function sessionRatings(
  db: AnyDb,
  sessions: readonly string[],
): Promise<Map<string, StoredRating[]>> {
  const out = new Map<string, StoredRating[]>(sessions.map((s) => [s, []]));
  for (let i = 0; i < sessions.length; i += 500) {
    const rows = await ratings(db)
      .selectFrom('session_rating')
      .selectAll()
      .where('session_id', 'in', sessions.slice(i, i + 500))
      .orderBy('session_id')
      .orderBy('scale')
      .orderBy('item')
      .orderBy('participant')
      .orderBy('rater_id')
      .execute();
    for (const row of rows) out.get(row.session_id)?.push(ratingView(row));
  }
  return out;
}

/**
 * Writes a rater's ratings of one scale for one lane (each item added or rewritten; items not
 * given stay as they were), within the caller's transaction. Returns them as stored.
 */
export async function saveRatings(
  trx: AnyDb,
  key: { session: string; rater: string; scale: ScaleId; participant: string | null },
  items: readonly RatingInput[],
  now: string,
): Promise<StoredRating[]> {
  const db = ratings(trx);
  const saved: StoredRating[] = [];
  for (const item of items) {
    const values = {
      level: item.level,
      comment: item.comment,
      evidence: JSON.stringify(item.evidence),
      updated_at: now,
    };
    const row: Row = {
      session_id: key.session,
      rater_id: key.rater,
      scale: key.scale,
      item: item.item,
      participant: key.participant ?? '',
      created_at: now,
      ...values,
    };
    await db
      .insertInto('session_rating')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['session_id', 'rater_id', 'scale', 'item', 'participant']).doUpdateSet(values),
      )
      .execute();
    const stored = await db
      .selectFrom('session_rating')
      .selectAll()
      .where('session_id', '=', row.session_id)
      .where('rater_id', '=', row.rater_id)
      .where('scale', '=', row.scale)
      .where('item', '=', row.item)
      .where('participant', '=', row.participant)
      .executeTakeFirstOrThrow();
    saved.push(ratingView(stored));
  }
  return saved;
}

/** Removes one of a rater's ratings; whether there was one. */
export async function deleteRating(
  trx: AnyDb,
  key: { session: string; rater: string; scale: string; item: string; participant: string | null },
): Promise<boolean> {
  const result = await ratings(trx)
    .deleteFrom('session_rating')
    .where('session_id', '=', key.session)
    .where('rater_id', '=', key.rater)
    .where('scale', '=', key.scale)
    .where('item', '=', key.item)
    .where('participant', '=', key.participant ?? '')
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Removes the ratings of one client's lane of a session (an erased client's, in a session kept
 * for the other clients); how many went.
 */
export async function deleteLaneRatings(trx: AnyDb, session: string, participant: string): Promise<number> {
  const result = await ratings(trx)
    .deleteFrom('session_rating')
    .where('session_id', '=', session)
    .where('participant', '=', participant)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
