/**
 * A session's analysis, worked out from its log by the engine: the timeline read from the log,
 * one track per participant and one for the companion (`reviewTracks`), and `analyzePerformance`
 * with the defaults of `attune analyze`: the same numbers the review screen's curves come from.
 * The suggestions beside a rating and a client's progress read it.
 *
 * It takes a while for a long session (about 5 s for an hour of four players), so the last few
 * are kept in memory, each under a stamp of its log (events and last sequence number): a session
 * still being recorded is worked out again once it has grown. A stored summary made once when a
 * session ends would replace this cache.
 */
import {
  analyzePerformance,
  buildTimeline,
  type LogEntry,
  type PerformanceAnalysis,
  reviewTracks,
} from '@attune/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/index.ts';

/** A session's analysis and the lanes it has. */
export interface SessionAnalysis {
  readonly analysis: PerformanceAnalysis;
  /** The players' lanes in the log (participant ids, therapist first), with their shown names. */
  readonly lanes: readonly { readonly participant: string; readonly name: string }[];
}

/** Whether a participant id is a client's lane (not the therapist's or the companion's). */
export const isClientLane = (participant: string): boolean =>
  participant !== 'therapist' && participant !== 'companion';

/** Analyses kept by default. */
export const KEPT_ANALYSES = 64;

/** Works out sessions' analyses from their logs, keeping the latest few. */
export class SessionAnalyses {
  private readonly kept = new Map<string, { stamp: string; value: SessionAnalysis }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly keep = KEPT_ANALYSES,
  ) {}

  /** The analysis of a session's log as it is now. */
  async of(session: string): Promise<SessionAnalysis> {
    const stamp = await this.stamp(session);
    const hit = this.kept.get(session);
    if (hit && hit.stamp === stamp) {
      // Most recently used last, so the oldest is the first to go.
      this.kept.delete(session);
      this.kept.set(session, hit);
      return hit.value;
    }
    const value = analyseLog(await this.entries(session));
    this.kept.delete(session);
    this.kept.set(session, { stamp, value });
    while (this.kept.size > this.keep) {
      const oldest = this.kept.keys().next().value as string;
      this.kept.delete(oldest);
    }
    return value;
  }

  private async stamp(session: string): Promise<string> {
    const row = await this.db
      .selectFrom('session_event')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('seq').as('last')])
      .where('session_id', '=', session)
      .executeTakeFirst();
    return `${Number(row?.n ?? 0)}:${Number(row?.last ?? 0)}`;
  }

  private async entries(session: string): Promise<LogEntry[]> {
    const rows = await this.db
      .selectFrom('session_event')
      .select(['seq', 'participant', 't', 'type', 'payload'])
      .where('session_id', '=', session)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      participant: r.participant,
      t: Number(r.t),
      type: r.type,
      payload: JSON.parse(r.payload) as unknown,
    }));
  }
}

/** The analysis of a session log (pure: the log in, the numbers out). */
export function analyseLog(entries: readonly LogEntry[]): SessionAnalysis {
  const timeline = buildTimeline(entries);
  return {
    analysis: analyzePerformance(reviewTracks(timeline)),
    lanes: timeline.participants.map((p) => ({ participant: p.participant, name: p.name })),
  };
}
