/**
 * A session's analysis for the assessment: the `analysis` of the session's summary, which the
 * studio makes once when a session ends (review/summaries.ts: the log read by the engine, one
 * track per participant and one for the companion, `analyzePerformance` with the defaults of
 * `attune analyze`, in a thread of its own so live rooms never wait on it) and keeps gzipped. A
 * session without a current summary (older, or still growing) has one made now, in that thread.
 * The suggestions beside a rating and a client's progress read it, from the measures kept apart
 * from the lanes (a few kilobytes to unzip, not the hour's lanes).
 *
 * The last few analyses are kept in memory too, each under a stamp of its log (events and last
 * sequence number), so reading a client's progress again costs no unzipping.
 */
import { gunzipSync } from 'node:zlib';
import {
  COMPANION_TRACK,
  type CompactMeasures,
  expandMeasures,
  type PerformanceAnalysis,
} from '@attune/engine';
import type { Kysely } from 'kysely';
import type { Summaries } from '../review/summaries.ts';
import type { Database } from '../storage/index.ts';

/** A session's analysis and the players' lanes in it. */
export interface SessionAnalysis {
  readonly analysis: PerformanceAnalysis;
  /** The players' lanes (participant ids, as the analysis names its tracks), with their shown names. */
  readonly lanes: readonly { readonly participant: string; readonly name: string }[];
}

/** Whether a participant id is a client's lane (not the therapist's or the companion's). */
export const isClientLane = (participant: string): boolean =>
  participant !== 'therapist' && participant !== COMPANION_TRACK;

/** Analyses kept by default. */
export const KEPT_ANALYSES = 64;

/** Reads sessions' analyses from their summaries, keeping the latest few. */
export class SessionAnalyses {
  private readonly kept = new Map<string, { stamp: string; value: SessionAnalysis }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly summaries: Pick<Summaries, 'measures'>,
    private readonly keep = KEPT_ANALYSES,
  ) {}

  /** The analysis of a session's log as it is now. */
  async of(session: string): Promise<SessionAnalysis> {
    const { events, last } = await this.stamp(session);
    const stamp = `${events}:${last}`;
    const hit = this.kept.get(session);
    if (hit && hit.stamp === stamp) {
      // Most recently used last, so the oldest is the first to go.
      this.kept.delete(session);
      this.kept.set(session, hit);
      return hit.value;
    }
    const measures = await this.summaries.measures(session, events);
    const value = analysisOf(JSON.parse(gunzipSync(measures).toString('utf8')) as CompactMeasures);
    this.kept.delete(session);
    this.kept.set(session, { stamp, value });
    while (this.kept.size > this.keep) this.kept.delete(this.kept.keys().next().value as string);
    return value;
  }

  private async stamp(session: string): Promise<{ events: number; last: number }> {
    const row = await this.db
      .selectFrom('session_event')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('seq').as('last')])
      .where('session_id', '=', session)
      .executeTakeFirst();
    return { events: Number(row?.n ?? 0), last: Number(row?.last ?? 0) };
  }
}

/** The analysis in a session summary's measures, and its players' lanes. */
export function analysisOf(measures: CompactMeasures): SessionAnalysis {
  const { analysis } = expandMeasures(measures);
  return {
    analysis,
    lanes: analysis.tracks
      .filter((t) => t.name !== COMPANION_TRACK)
      .map((t) => ({ participant: t.name, name: t.name })),
  };
}
