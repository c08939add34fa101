/**
 * A client's progress as the studio works it out: their sessions oldest first, each with its
 * notes, the ratings of the client's lane (or of the session as a whole) and the client's measures
 * from the session's analysis, and the engine's series across them (`clientProgress`). Access and
 * audit are the caller's (`ratings.ts`).
 */
import {
  clientProgress,
  MEASURES,
  type MeasureSeries,
  type Progress,
  type ProgressSession,
} from '@attune/engine';
import type { Kysely } from 'kysely';
import type { RecordsDatabase } from '../records/tables.ts';
import { linkedSessions, type SessionNote, sessionClientIds, sessionNotes } from '../records/views.ts';
import { isClientLane, type SessionAnalyses } from './analysis.ts';
import { engineRating, type StoredRating, sessionRatings } from './store.ts';

/** One session of a client's progress. */
export interface ProgressEntry {
  readonly id: string;
  readonly title: string;
  readonly date: string;
  /** The client's lane in it, where known. */
  readonly participant: string | null;
  readonly notes: SessionNote[];
  readonly ratings: StoredRating[];
  /** The client's measures in this session, by measure id (`tempo.median`, `synchrony.coincidence@therapist`). */
  readonly measures: Record<string, number>;
}

/** A client's progress: each session oldest first, and the series a chart draws. */
export interface ClientProgress {
  readonly client: string;
  readonly sessions: ProgressEntry[];
  readonly raters: Array<{ readonly id: string; readonly name: string }>;
  readonly ratings: Progress['ratings'];
  readonly measures: MeasureSeries[];
}

/** The partners a client's measures between players are taken with, and how they are named. */
const PARTNERS = [
  { id: 'therapist', label: 'with the therapist' },
  { id: 'companion', label: 'with the companion' },
] as const;

/** A client's progress, before the raters are named. */
export type ProgressOf = Omit<ClientProgress, 'raters'>;

/** A client's sessions oldest first with their notes, ratings and measures, and the series. */
export async function clientProgressOf(
  db: Kysely<RecordsDatabase>,
  analyses: SessionAnalyses,
  client: string,
): Promise<ProgressOf> {
  const linked = [...(await linkedSessions(db, client))].reverse();
  const ratings = await sessionRatings(
    db,
    linked.map((s) => s.id),
  );
  const inputs: ProgressSession[] = [];
  const entries: ProgressEntry[] = [];
  for (const s of linked) {
    const { analysis, lanes } = await analyses.of(s.id);
    const clientLanes = lanes.filter((l) => isClientLane(l.participant));
    const others = (await sessionClientIds(db, s.id)).filter((c) => c !== client);
    // A session linked without a lane is read as the client's when they were its only client.
    const lane =
      s.participant ??
      (others.length === 0 && clientLanes.length === 1 ? (clientLanes[0]?.participant ?? null) : null);
    const mine = (ratings.get(s.id) ?? []).filter((r) => r.participant === null || r.participant === lane);
    const notes = await sessionNotes(db, s.id);
    inputs.push({
      session: s.id,
      date: s.startedAt,
      note: notes.map((n) => n.text).join('\n\n'),
      participant: lane,
      ratings: mine.map(engineRating),
      analysis: lane === null ? null : analysis,
    });
    entries.push({
      id: s.id,
      title: s.title,
      date: s.startedAt,
      participant: lane,
      notes,
      ratings: mine,
      measures: {},
    });
  }
  const measures = progressMeasures(inputs);
  for (const series of measures)
    for (const p of series.points) {
      const entry = entries.find((e) => e.id === p.session);
      if (entry) entry.measures[series.measure] = p.value;
    }
  const series = clientProgress(inputs);
  return { client, sessions: entries, ratings: series.ratings, measures };
}

/**
 * The client's measures across sessions: their own (tempo, loudness, activity…), and those
 * between them and each partner (the therapist, the companion), each series named with whom.
 */
export function progressMeasures(sessions: readonly ProgressSession[]): MeasureSeries[] {
  const between = new Set(MEASURES.filter((m) => m.between).map((m) => m.id));
  const own = clientProgress(sessions.map((s) => ({ ...s, ratings: [], partner: null }))).measures.filter(
    (m) => !between.has(m.measure),
  );
  const paired = PARTNERS.flatMap((partner) =>
    clientProgress(sessions.map((s) => ({ ...s, ratings: [], partner: partner.id })))
      .measures.filter((m) => between.has(m.measure))
      .map((m) => ({ ...m, measure: `${m.measure}@${partner.id}`, label: `${m.label}, ${partner.label}` })),
  );
  return [...own, ...paired];
}
