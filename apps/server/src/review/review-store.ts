/**
 * The review's store: the marks edited, added and deleted in review (beside the append-only log),
 * each therapist's tag list, and the session log read for the review screen in compact pages.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_MARK_TAGS, type Mark } from '@attune/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/index.ts';
import { type ReviewDatabase, reviewDb } from './tables.ts';

/** What review did to a session's marks: marks added or edited, and the ids of those deleted. */
export interface ReviewMarks {
  readonly marks: Mark[];
  readonly deleted: string[];
}

/** A mark's content as the therapist sets it. */
export interface MarkContent {
  readonly t: number;
  readonly end: number | null;
  readonly note: string;
  readonly tags: readonly string[];
}

/** The id of a live mark (`live-<seq>`), as the engine's `readLog` names it. */
const LIVE_ID = /^live-(\d{1,10})$/;

/** A fresh id for a mark added in review. */
export function newMarkId(): string {
  return `r-${randomBytes(9).toString('base64url')}`;
}

export class ReviewStore {
  private readonly db: Kysely<ReviewDatabase>;

  constructor(
    db: Kysely<Database>,
    private readonly wallIso: () => string,
  ) {
    this.db = reviewDb(db);
  }

  /** What review did to a session's marks. */
  async marks(session: string): Promise<ReviewMarks> {
    const rows = await this.db
      .selectFrom('review_mark')
      .selectAll()
      .where('session_id', '=', session)
      .orderBy('t')
      .orderBy('mark_id')
      .execute();
    const marks: Mark[] = [];
    const deleted: string[] = [];
    for (const r of rows) {
      if (r.deleted) deleted.push(r.mark_id);
      else
        marks.push({
          id: r.mark_id,
          t: Number(r.t),
          end: r.end_t === null ? null : Number(r.end_t),
          note: r.note,
          tags: JSON.parse(r.tags) as string[],
          source: 'review',
          author: r.author_id,
        });
    }
    return { marks, deleted };
  }

  /**
   * Whether a mark exists on a session and is not deleted: a mark added in review, or a live mark
   * (a `mark` event of the log) not deleted in review.
   */
  async exists(session: string, id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('review_mark')
      .select('deleted')
      .where('session_id', '=', session)
      .where('mark_id', '=', id)
      .executeTakeFirst();
    if (row) return !row.deleted;
    const live = LIVE_ID.exec(id);
    if (!live) return false;
    const event = await this.db
      .selectFrom('session_event')
      .select('seq')
      .where('session_id', '=', session)
      .where('seq', '=', Number(live[1]))
      .where('type', '=', 'mark')
      .executeTakeFirst();
    return event !== undefined;
  }

  /** Writes a mark's content (adding it, or replacing what was there); returns the mark. */
  async save(session: string, id: string, content: MarkContent, author: string): Promise<Mark> {
    const row = {
      t: content.t,
      end_t: content.end,
      note: content.note,
      tags: JSON.stringify(content.tags),
      author_id: author,
      deleted: 0,
      updated_at: this.wallIso(),
    };
    await this.db
      .insertInto('review_mark')
      .values({ session_id: session, mark_id: id, ...row })
      .onConflict((oc) => oc.columns(['session_id', 'mark_id']).doUpdateSet(row))
      .execute();
    return { id, ...content, tags: [...content.tags], source: 'review', author };
  }

  /** Hides a mark (live or added in review); the log keeps a live mark as it was made. */
  async delete(session: string, id: string, author: string): Promise<void> {
    const now = this.wallIso();
    await this.db
      .insertInto('review_mark')
      .values({
        session_id: session,
        mark_id: id,
        t: 0,
        end_t: null,
        note: '',
        tags: '[]',
        author_id: author,
        deleted: 1,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['session_id', 'mark_id']).doUpdateSet({ deleted: 1, author_id: author, updated_at: now }),
      )
      .execute();
  }

  /** A therapist's tag list: their own, or the defaults until they set one. */
  async tags(account: string): Promise<string[]> {
    const row = await this.db
      .selectFrom('mark_tags')
      .select('tags')
      .where('account_id', '=', account)
      .executeTakeFirst();
    return row ? (JSON.parse(row.tags) as string[]) : [...DEFAULT_MARK_TAGS];
  }

  /** Sets a therapist's tag list. */
  async setTags(account: string, tags: readonly string[]): Promise<string[]> {
    const row = { tags: JSON.stringify(tags), updated_at: this.wallIso() };
    await this.db
      .insertInto('mark_tags')
      .values({ account_id: account, ...row })
      .onConflict((oc) => oc.column('account_id').doUpdateSet(row))
      .execute();
    return [...tags];
  }

  /** The latest time of anything in a session's log (0 when it is empty). */
  async lastTime(session: string): Promise<number> {
    const row = await this.db
      .selectFrom('session_event')
      .select((eb) => eb.fn.max('t').as('t'))
      .where('session_id', '=', session)
      .executeTakeFirst();
    return row?.t == null ? 0 : Number(row.t);
  }

  /**
   * A page of a session's log for the review, as the JSON text of
   * `{"events":[[seq,participant,t,type,payload],…],"next":seq|null}`. The payloads are written
   * as the log holds them (JSON the studio wrote itself), not parsed and written again, so an
   * hour's log of 150 000 events goes out in a few pages at the speed of the database.
   */
  async logPage(session: string, after: number, limit: number): Promise<string> {
    const rows = await this.db
      .selectFrom('session_event')
      .select(['seq', 'participant', 't', 'type', 'payload'])
      .where('session_id', '=', session)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit + 1)
      .execute();
    const more = rows.length > limit;
    const parts: string[] = [];
    for (let i = 0; i < Math.min(rows.length, limit); i++) {
      const r = rows[i] as (typeof rows)[number];
      parts.push(
        `[${Number(r.seq)},${JSON.stringify(r.participant)},${Number(r.t)},${JSON.stringify(r.type)},${r.payload}]`,
      );
    }
    const next = more ? Number((rows[limit - 1] as (typeof rows)[number]).seq) : null;
    return `{"events":[${parts.join(',')}],"next":${next}}`;
  }
}
