/**
 * Assessment of recorded sessions: the raters' ratings of a session on the engine's scales, the
 * agreement between them, the measures offered beside a rating (never as one), and a client's
 * progress across their sessions.
 *
 * Access is that of session records (`records/access.ts`): a session's therapist, a therapist
 * assigned to a client or group it is linked to, or an admin; anyone else is answered `404
 * not-found` as if it did not exist, and the refusal is audited. Each of them is a rater: several
 * raters rate one session, each rewriting only their own ratings. Every read and change writes an
 * audit entry for the session and one for each client it is about (ids only, never a comment).
 */
import {
  checkRating,
  type RaterAgreement,
  raterAgreement,
  ratingScaleOf,
  SCALE_IDS,
  type ScaleId,
  type Suggestion,
  suggestIap,
} from '@attune/engine';
import type { Kysely } from 'kysely';
import type { Audit, AuditEntry } from '../accounts/audit.ts';
import { type Access, clientAccess, type SessionAccess, sessionAccess } from '../records/access.ts';
import { auditEntry, refusalEntry, sessionAuditEntries } from '../records/audit-entries.ts';
import { RecordsError } from '../records/checks.ts';
import type { Actor } from '../records/records.ts';
import { type RecordsDatabase, recordsDb } from '../records/tables.ts';
import { ReviewStore } from '../review/review-store.ts';
import type { Database } from '../storage/index.ts';
import { isClientLane, type SessionAnalyses } from './analysis.ts';
import { type ClientProgress, clientProgressOf } from './progress.ts';
import {
  deleteRating,
  engineRating,
  type RatingInput,
  type StoredRating,
  saveRatings,
  sessionRatings,
} from './store.ts';

/** A session's ratings as the review reads them. */
export interface SessionRatings {
  readonly session: string;
  readonly ratings: StoredRating[];
  /** Everyone who rated the session, by id, with their names. */
  readonly raters: Array<{ readonly id: string; readonly name: string }>;
  /** The lanes that may be rated (client lanes in the log or linked to a client). */
  readonly lanes: string[];
  /** Per scale rated by two raters or more: the engine's agreement of the raters. */
  readonly agreement: RaterAgreement[];
}

/** A rater's ratings of one scale for one lane, as sent. */
export interface RatingsChange {
  readonly scale: string;
  readonly participant?: string | null;
  readonly ratings: ReadonlyArray<{
    readonly item: string;
    readonly level: number;
    readonly comment?: string;
    readonly evidence?: readonly string[];
  }>;
}

/** Which rating to remove. */
export interface RatingKey {
  readonly scale: string;
  readonly item: string;
  readonly participant: string | null;
}

/** The measures beside a rating, per client lane. */
export interface SessionSuggestions {
  readonly session: string;
  readonly lanes: Array<{
    readonly participant: string;
    readonly name: string;
    readonly suggestions: Suggestion[];
  }>;
}

const WHAT = { session: 'session', client: 'client', rating: 'rating' } as const;

export class Assessment {
  private readonly db: Kysely<RecordsDatabase>;
  private readonly review: ReviewStore;

  constructor(
    db: Kysely<Database>,
    private readonly options: {
      readonly audit: Audit;
      readonly wallClock: () => string;
      readonly analyses: SessionAnalyses;
    },
  ) {
    this.db = recordsDb(db);
    this.review = new ReviewStore(db, options.wallClock);
  }

  /** Every rater's ratings of a session and their agreement. */
  async read(actor: Actor, session: string): Promise<SessionRatings> {
    await this.mayReach(actor, session, 'session-ratings-read');
    const answer = await this.ratingsOf(session);
    await this.logForSession(actor, session, 'session-ratings-read', { ratings: answer.ratings.length });
    return answer;
  }

  /**
   * Writes the actor's ratings of one scale (each item given added or rewritten), all checked by
   * the engine first: a scale and items it knows, levels in range, evidence that is a mark of this
   * session, a lane of this session. One problem refuses them all and nothing is written.
   */
  async save(actor: Actor, session: string, change: RatingsChange): Promise<SessionRatings> {
    await this.mayReach(actor, session, 'session-ratings-save');
    const participant = change.participant ?? null;
    if (ratingScaleOf(change.scale) === null)
      invalid([
        `there is no scale ${JSON.stringify(change.scale.slice(0, 64))}; the scales are ${SCALE_IDS.join(', ')}`,
      ]);
    const context = { marks: await this.markIds(session), participants: new Set(await this.lanes(session)) };
    const now = this.options.wallClock();
    const problems = new Set<string>();
    const items: RatingInput[] = [];
    change.ratings.forEach((r, i) => {
      const checked = checkRating(
        {
          scale: change.scale,
          item: r.item,
          value: r.level,
          rater: actor.user.id,
          ratedAt: now,
          participant,
          marks: r.evidence ?? [],
          note: r.comment ?? '',
        },
        context,
      );
      if (!checked.ok)
        // A lane that is not the session's is named once, not once per rating.
        for (const p of checked.problems)
          problems.add(p.path === '/participant' ? p.message : `rating ${i + 1}: ${p.message}`);
      else if (items.some((x) => x.item === r.item))
        problems.add(`rating ${i + 1}: ${r.item} is rated twice`);
      else items.push({ item: r.item, level: r.level, comment: r.comment ?? '', evidence: r.evidence ?? [] });
    });
    if (problems.size > 0) invalid([...problems]);
    await this.db.transaction().execute(async (trx) => {
      await saveRatings(
        trx,
        { session, rater: actor.user.id, scale: change.scale as ScaleId, participant },
        items,
        now,
      );
      await this.logForSession(
        actor,
        session,
        'session-ratings-saved',
        { scale: change.scale, participant, items: items.map((r) => r.item) },
        trx,
      );
    });
    return this.ratingsOf(session);
  }

  /** Removes one of the actor's own ratings. */
  async remove(actor: Actor, session: string, key: RatingKey): Promise<void> {
    await this.mayReach(actor, session, 'session-rating-delete');
    await this.db.transaction().execute(async (trx) => {
      const gone = await deleteRating(trx, {
        session,
        rater: actor.user.id,
        ...key,
      });
      if (!gone)
        throw new RecordsError(404, 'rating-not-found', 'You have no such rating on this session to remove.');
      await this.logForSession(actor, session, 'session-rating-deleted', { ...key }, trx);
    });
  }

  /** The measures of each client lane that bear on IAP items: shown beside a rating, never as one. */
  async suggestions(actor: Actor, session: string): Promise<SessionSuggestions> {
    await this.mayReach(actor, session, 'session-suggestions-read');
    const { analysis, lanes } = await this.options.analyses.of(session);
    const answer = {
      session,
      lanes: lanes
        .filter((l) => isClientLane(l.participant))
        .map((l) => ({
          participant: l.participant,
          name: l.name,
          suggestions: suggestIap(analysis, l.participant),
        })),
    };
    await this.logForSession(actor, session, 'session-suggestions-read', {});
    return answer;
  }

  /** A client's sessions oldest first with their notes, ratings and measures, and the series. */
  async progress(actor: Actor, client: string): Promise<ClientProgress> {
    const access = await clientAccess(this.db, actor.user, client);
    if (access !== 'ok') return this.refuse(actor, 'client-progress-read', client, access, WHAT.client);
    const progress = await clientProgressOf(this.db, this.options.analyses, client);
    await this.log([
      auditEntry(actor, 'client-progress-read', client, { sessions: progress.sessions.map((s) => s.id) }),
    ]);
    return {
      ...progress,
      raters: await this.names(progress.sessions.flatMap((e) => e.ratings.map((r) => r.rater))),
    };
  }

  // ---- reading ----

  private async ratingsOf(session: string): Promise<SessionRatings> {
    const ratings = (await sessionRatings(this.db, [session])).get(session) ?? [];
    const engine = ratings.map(engineRating);
    const agreement = SCALE_IDS.map((scale) => raterAgreement(engine, scale)).filter(
      (a) => a.raters.length >= 2,
    );
    return {
      session,
      ratings,
      raters: await this.names(ratings.map((r) => r.rater)),
      lanes: await this.lanes(session),
      agreement,
    };
  }

  private async names(ids: readonly string[]): Promise<Array<{ id: string; name: string }>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const rows = await this.db
      .selectFrom('account')
      .select(['id', 'name'])
      .where('id', 'in', unique)
      .execute();
    return rows.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /** The client lanes of a session: players in its log other than the therapist and companion, and linked lanes. */
  private async lanes(session: string): Promise<string[]> {
    const played = await this.db
      .selectFrom('session_event')
      .select('participant')
      .distinct()
      .where('session_id', '=', session)
      .where('type', '=', 'play')
      .execute();
    const linked = await this.db
      .selectFrom('session_client')
      .select('participant')
      .where('session_id', '=', session)
      .execute();
    const lanes = [...played, ...linked].flatMap((r) =>
      r.participant !== null && isClientLane(r.participant) ? [r.participant] : [],
    );
    return [...new Set(lanes)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }

  /** The ids of the session's marks that stand: live marks not deleted in review, and marks added in review. */
  private async markIds(session: string): Promise<Set<string>> {
    const live = await this.db
      .selectFrom('session_event')
      .select('seq')
      .where('session_id', '=', session)
      .where('type', '=', 'mark')
      .execute();
    const review = await this.review.marks(session);
    const deleted = new Set(review.deleted);
    return new Set(
      [...live.map((r) => `live-${Number(r.seq)}`), ...review.marks.map((m) => m.id)].filter(
        (id) => !deleted.has(id),
      ),
    );
  }

  // ---- access and audit ----

  private async mayReach(actor: Actor, session: string, action: string): Promise<SessionAccess> {
    const access = await sessionAccess(this.db, actor.user, session);
    if (access === 'missing' || access === 'not-assigned')
      await this.refuse(actor, action, session, access, WHAT.session);
    return access;
  }

  private async refuse(
    actor: Actor,
    action: string,
    target: string,
    reason: Access | SessionAccess,
    what: (typeof WHAT)[keyof typeof WHAT],
  ): Promise<never> {
    await this.log([refusalEntry(actor, action, target, reason)]);
    throw new RecordsError(404, 'not-found', `There is no such ${what}.`);
  }

  /** One entry about the session, and one about each client it is about. */
  private async logForSession(
    actor: Actor,
    session: string,
    action: string,
    detail: Record<string, unknown>,
    within?: Kysely<RecordsDatabase>,
  ): Promise<void> {
    await this.log(await sessionAuditEntries(within ?? this.db, actor, session, action, detail), within);
  }

  private log(entries: readonly AuditEntry[], within?: Kysely<RecordsDatabase>): Promise<void> {
    return this.options.audit.recordMany(entries, within as Kysely<Database> | undefined);
  }
}

/** Refuses ratings with every problem found. */
function invalid(problems: readonly string[]): never {
  throw new RecordsError(400, 'invalid-rating', `The ratings were not saved: ${problems.join('; ')}.`);
}
