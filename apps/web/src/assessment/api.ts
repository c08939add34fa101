/**
 * The assessment's side of the studio's HTTP API: a session's ratings (every rater's, with their
 * agreement), the logged-in rater's ratings of a scale saved, one of them removed, the measures
 * shown beside a rating, and a client's progress. Refusals arrive as {@link ApiError}s with the
 * studio's sentence.
 */
import type { MeasureSeries, RaterAgreement, RatingSeries, ScaleId, Suggestion } from '@attune/engine';
import { request } from '../review/api.ts';

/** A rating as the studio keeps it. */
export interface StoredRating {
  readonly session: string;
  readonly rater: string;
  readonly scale: ScaleId;
  readonly item: string;
  /** The client's lane, or null for the session as a whole. */
  readonly participant: string | null;
  readonly level: number;
  readonly comment: string;
  readonly evidence: string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Named {
  readonly id: string;
  readonly name: string;
}

/** A session's ratings, their raters, its client lanes and the raters' agreement per scale. */
export interface SessionRatings {
  readonly session: string;
  readonly ratings: StoredRating[];
  readonly raters: Named[];
  readonly lanes: string[];
  readonly agreement: RaterAgreement[];
}

/** One item of the ratings saved. */
export interface RatingInput {
  readonly item: string;
  readonly level: number;
  readonly comment: string;
  readonly evidence: readonly string[];
}

/** The measures beside the IAP items, per client lane. */
export interface SessionSuggestions {
  readonly session: string;
  readonly lanes: Array<{
    readonly participant: string;
    readonly name: string;
    readonly suggestions: Suggestion[];
  }>;
}

/** One session of a client's progress. */
export interface ProgressSession {
  readonly id: string;
  readonly title: string;
  readonly date: string;
  readonly participant: string | null;
  readonly notes: Array<{ readonly id: string; readonly text: string; readonly createdAt: string }>;
  readonly ratings: StoredRating[];
  readonly measures: Record<string, number>;
}

/** A client's progress: sessions oldest first, and the series a chart draws. */
export interface ClientProgress {
  readonly client: string;
  readonly sessions: ProgressSession[];
  readonly raters: Named[];
  readonly ratings: RatingSeries[];
  readonly measures: MeasureSeries[];
}

const base = (session: string) => `/api/sessions/${encodeURIComponent(session)}`;

export function readRatings(session: string): Promise<SessionRatings> {
  return request('GET', `${base(session)}/ratings`);
}

/** Saves the logged-in rater's ratings of one scale, for a lane or (null) the session as a whole. */
export function saveRatings(
  session: string,
  scale: ScaleId,
  participant: string | null,
  ratings: readonly RatingInput[],
): Promise<SessionRatings> {
  return request('PUT', `${base(session)}/ratings`, {
    scale,
    participant,
    ratings: ratings.map((r) => ({
      item: r.item,
      level: r.level,
      comment: r.comment,
      evidence: [...r.evidence],
    })),
  });
}

/** Removes one of the logged-in rater's ratings. */
export function removeRating(
  session: string,
  scale: ScaleId,
  item: string,
  participant: string | null,
): Promise<void> {
  const query = participant === null ? '' : `?participant=${encodeURIComponent(participant)}`;
  return request(
    'DELETE',
    `${base(session)}/ratings/${encodeURIComponent(scale)}/${encodeURIComponent(item)}${query}`,
  );
}

export function readSuggestions(session: string): Promise<SessionSuggestions> {
  return request('GET', `${base(session)}/suggestions`);
}

export function readProgress(client: string): Promise<ClientProgress> {
  return request('GET', `/api/clients/${encodeURIComponent(client)}/progress`);
}
