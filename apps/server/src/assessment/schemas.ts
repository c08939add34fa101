/**
 * The schemas of the assessment routes (TypeBox): a rater's ratings of one scale as sent, a
 * rating to remove, and the answers: a session's ratings with the raters' agreement, the
 * measures beside a rating, and a client's progress. Which scales, items and levels exist is the
 * engine's to check (with a sentence naming the fault), so the schemas bound only types and sizes.
 */
import { MAX_RATING_MARKS, MAX_RATING_NOTE } from '@attune/engine';
import { type Static, Type } from '@sinclair/typebox';
import { Id, NamedView, NoteView, Nullable, strict } from '../http/schema-parts.ts';

/** A scale, item, lane or mark id as the engine's ratings take them. */
const Key = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:@-]+$' });

/** Most items one request rates: every item of the largest scale (the IAPs' 42). */
export const MAX_RATINGS_PER_REQUEST = 64;

export const RatingsBody = Type.Object(
  {
    scale: Key,
    /** The client's lane (p1, p2…); null or left out rates the session as a whole. */
    participant: Type.Optional(Nullable(Key)),
    ratings: Type.Array(
      Type.Object(
        {
          item: Key,
          /** Checked by the engine against the item's levels, so a wrong one is named with its range. */
          level: Type.Number({ minimum: -1000, maximum: 1000 }),
          comment: Type.Optional(Type.String({ maxLength: MAX_RATING_NOTE })),
          evidence: Type.Optional(Type.Array(Key, { maxItems: MAX_RATING_MARKS })),
        },
        strict,
      ),
      { minItems: 1, maxItems: MAX_RATINGS_PER_REQUEST },
    ),
  },
  strict,
);
export type RatingsBody = Static<typeof RatingsBody>;

export const RatingParams = Type.Object({ id: Id, scale: Key, item: Key }, strict);
export type RatingParams = Static<typeof RatingParams>;
export const RatingQuery = Type.Object({ participant: Type.Optional(Key) }, strict);
export type RatingQuery = Static<typeof RatingQuery>;

/** A stored rating as the API and the export give it. */
export const RatingView = Type.Object({
  session: Type.String(),
  rater: Type.String(),
  scale: Type.String(),
  item: Type.String(),
  participant: Nullable(Type.String()),
  level: Type.Integer(),
  comment: Type.String(),
  evidence: Type.Array(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const Coefficient = Type.Object({
  value: Nullable(Type.Number()),
  units: Type.Integer(),
  reason: Nullable(Type.String()),
});
const Agreement = Type.Object({
  scale: Type.String(),
  raters: Type.Array(Type.String()),
  units: Type.Array(Type.String()),
  /** raters × units: each rater's level, null where they did not rate the unit. */
  table: Type.Array(Type.Array(Nullable(Type.Number()))),
  percent: Coefficient,
  alpha: Coefficient,
  kappa: Coefficient,
  weightedKappa: Coefficient,
});

export const RatingsAnswer = Type.Object({
  session: Type.String(),
  ratings: Type.Array(RatingView),
  raters: Type.Array(NamedView),
  lanes: Type.Array(Type.String()),
  agreement: Type.Array(Agreement),
});

const Suggestion = Type.Object({
  profile: Type.String(),
  element: Type.String(),
  item: Type.String(),
  measure: Type.String(),
  label: Type.String(),
  value: Type.Number(),
  unit: Type.String(),
  partner: Nullable(Type.String()),
  sentence: Type.String(),
  toward: Nullable(Type.String()),
  towardValue: Nullable(Type.Integer()),
  confidence: Type.Number(),
  caveat: Type.String(),
});
export const SuggestionsAnswer = Type.Object({
  session: Type.String(),
  lanes: Type.Array(
    Type.Object({ participant: Type.String(), name: Type.String(), suggestions: Type.Array(Suggestion) }),
  ),
});

export const ProgressAnswer = Type.Object({
  client: Type.String(),
  sessions: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      date: Type.String(),
      participant: Nullable(Type.String()),
      notes: Type.Array(NoteView),
      ratings: Type.Array(RatingView),
      measures: Type.Record(Type.String(), Type.Number()),
    }),
  ),
  raters: Type.Array(NamedView),
  ratings: Type.Array(
    Type.Object({
      scale: Type.String(),
      item: Type.String(),
      label: Type.String(),
      points: Type.Array(
        Type.Object({
          session: Type.String(),
          date: Type.String(),
          value: Type.Number(),
          raters: Type.Array(
            Type.Object({ rater: Type.String(), value: Type.Integer(), label: Nullable(Type.String()) }),
          ),
          note: Type.String(),
        }),
      ),
    }),
  ),
  measures: Type.Array(
    Type.Object({
      measure: Type.String(),
      label: Type.String(),
      unit: Type.String(),
      points: Type.Array(Type.Object({ session: Type.String(), date: Type.String(), value: Type.Number() })),
    }),
  ),
});
