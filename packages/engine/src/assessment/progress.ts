/**
 * Progress: one client across sessions, as series a chart draws: each rated item's values with
 * their dates (the raters' mean and each rater's own), and each measure of the catalogue with
 * its dates. Sessions are ordered by date; a session without a rating or a measure leaves a gap,
 * not a zero.
 */
import type { PerformanceAnalysis } from '../analysis/index.ts';
import { MEASURES, type MeasureDefinition, pairFromClient } from './measures.ts';
import { levelLabel, type Rating } from './rating.ts';
import { ratingScaleOf, SCALE_IDS, type ScaleId, scaleItemOf } from './scales.ts';

/** What progress needs of one session of the client. */
export interface ProgressSession {
  readonly session: string;
  /** When it took place, ISO 8601 ('2025-03-02' or a date and time). */
  readonly date: string;
  /** The therapist's note on the session, shown beside its points. */
  readonly note?: string;
  /**
   * The client's participant id in this session (ids are handed out per room). Ratings of this
   * participant count, and ratings without a participant (a session with one client).
   */
  readonly participant: string | null;
  readonly ratings: readonly Rating[];
  /** The session's analysis, or null where it has none. */
  readonly analysis?: PerformanceAnalysis | null;
  /** The client's track in the analysis; by default the participant id. */
  readonly track?: string;
  /** The partner for measures between players (therapist or companion), if any. */
  readonly partner?: string | null;
}

/** One session's point of a rating series. */
export interface RatingPoint {
  readonly session: string;
  readonly date: string;
  /** The mean of the raters' latest values. */
  readonly value: number;
  /** Each rater's latest value, by rater. */
  readonly raters: readonly {
    readonly rater: string;
    readonly value: number;
    readonly label: string | null;
  }[];
  readonly note: string;
}

/** A rated item across sessions. */
export interface RatingSeries {
  readonly scale: ScaleId;
  readonly item: string;
  readonly label: string;
  readonly points: readonly RatingPoint[];
}

/** One session's point of a measure series. */
export interface MeasurePoint {
  readonly session: string;
  readonly date: string;
  readonly value: number;
}

/** A measure across sessions. */
export interface MeasureSeries {
  readonly measure: string;
  readonly label: string;
  readonly unit: string;
  readonly points: readonly MeasurePoint[];
}

/** A client's progress. */
export interface Progress {
  /** The sessions in date order. */
  readonly sessions: readonly { readonly session: string; readonly date: string; readonly note: string }[];
  /** Every rated item, in the order of the scales and their items. */
  readonly ratings: readonly RatingSeries[];
  /** Every measure with at least one value. */
  readonly measures: readonly MeasureSeries[];
}

function timeOf(s: ProgressSession): number {
  const t = typeof s.date === 'string' ? Date.parse(s.date) : Number.NaN;
  if (!Number.isFinite(t))
    throw new RangeError(`session ${s.session} needs an ISO 8601 date, got: ${String(s.date)}`);
  return t;
}

/**
 * A client's ratings and measures across sessions.
 * @example clientProgress(sessions).ratings.find((r) => r.item === 'vocal')?.points.map((p) => p.value) // [2, 3, 3.5]
 */
export function clientProgress(sessions: readonly ProgressSession[]): Progress {
  const seen = new Set<string>();
  for (const s of sessions) {
    if (seen.has(s.session)) throw new RangeError(`session ${s.session} appears twice`);
    seen.add(s.session);
  }
  const ordered = sessions
    .map((s) => ({ s, t: timeOf(s) }))
    .sort((x, y) => x.t - y.t || (x.s.session < y.s.session ? -1 : 1))
    .map((x) => x.s);

  const ratingPoints = new Map<string, RatingPoint[]>();
  for (const s of ordered) {
    const latest = new Map<string, Map<string, Rating>>();
    for (const r of s.ratings) {
      if (r.participant !== null && r.participant !== s.participant) continue;
      const key = `${r.scale}\u0000${r.item}`;
      const byRater = latest.get(key) ?? new Map<string, Rating>();
      latest.set(key, byRater);
      const before = byRater.get(r.rater);
      if (!before || Date.parse(r.ratedAt) >= Date.parse(before.ratedAt)) byRater.set(r.rater, r);
    }
    for (const [key, byRater] of latest) {
      const raters = [...byRater.values()]
        .sort((a, b) => (a.rater < b.rater ? -1 : 1))
        .map((r) => ({ rater: r.rater, value: r.value, label: levelLabel(r) }));
      const value = raters.reduce((sum, r) => sum + r.value, 0) / raters.length;
      const list = ratingPoints.get(key) ?? [];
      ratingPoints.set(key, list);
      list.push({ session: s.session, date: s.date, value, raters, note: s.note ?? '' });
    }
  }
  const ratings: RatingSeries[] = [];
  for (const [key, points] of ratingPoints) {
    const [scaleId, itemId] = key.split('\u0000') as [ScaleId, string];
    const scale = ratingScaleOf(scaleId);
    const item = scale ? scaleItemOf(scale, itemId) : null;
    ratings.push({ scale: scaleId, item: itemId, label: item?.label ?? itemId, points });
  }
  const order = (r: RatingSeries): number => {
    const scale = ratingScaleOf(r.scale);
    const i = scale ? scale.items.findIndex((x) => x.id === r.item) : 0;
    return SCALE_IDS.indexOf(r.scale) * 1000 + i;
  };
  ratings.sort((a, b) => order(a) - order(b));

  const measures: MeasureSeries[] = [];
  for (const m of MEASURES) {
    const points = ordered.flatMap((s) => {
      const value = measureValue(m, s);
      return value === null ? [] : [{ session: s.session, date: s.date, value }];
    });
    if (points.length > 0) measures.push({ measure: m.id, label: m.label, unit: m.unit, points });
  }
  return {
    sessions: ordered.map((s) => ({ session: s.session, date: s.date, note: s.note ?? '' })),
    ratings,
    measures,
  };
}

function measureValue(m: MeasureDefinition, s: ProgressSession): number | null {
  const analysis = s.analysis;
  if (!analysis) return null;
  const name = s.track ?? s.participant;
  const track = name === null ? undefined : analysis.tracks.find((t) => t.name === name);
  if (!track) return null;
  const pair = m.between && s.partner ? pairFromClient(analysis, track.name, s.partner) : null;
  if (m.between && pair === null) return null;
  const value = m.of(track, pair);
  return value === null || !Number.isFinite(value) ? null : value;
}
