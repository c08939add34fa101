/**
 * The schemas of the review's routes (TypeBox): marks at a moment or over a span with a note and
 * tags, the therapist's tag list, and the pages of the log. Limits are the engine's (`MARK_LIMITS`),
 * the same as a mark made live.
 */
import { MARK_LIMITS } from '@attune/engine';
import { type Static, type TSchema, Type } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const SessionId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const MarkId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:@-]+$' });
const Time = Type.Number({ minimum: 0, maximum: MARK_LIMITS.sessionTime });
const Tag = Type.String({ minLength: 1, maxLength: MARK_LIMITS.tag });

export const MarkParams = Type.Object({ id: SessionId, markId: MarkId }, strict);
export type MarkParams = Static<typeof MarkParams>;

/** A mark as the therapist sets it: a moment `t`, or a span from `t` to `end`. */
export const MarkBody = Type.Object(
  {
    t: Time,
    end: Type.Optional(Nullable(Time)),
    note: Type.Optional(Type.String({ maxLength: MARK_LIMITS.note })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: MARK_LIMITS.tags })),
  },
  strict,
);
export type MarkBody = Static<typeof MarkBody>;

export const MarkView = Type.Object({
  id: Type.String(),
  t: Type.Number(),
  end: Nullable(Type.Number()),
  note: Type.String(),
  tags: Type.Array(Type.String()),
  source: Type.Union([Type.Literal('live'), Type.Literal('review')]),
  author: Nullable(Type.String()),
});
export const MarkAnswer = Type.Object({ mark: MarkView });

/** Most tags a therapist keeps in their list. */
export const MAX_TAG_LIST = 64;
export const TagsBody = Type.Object({ tags: Type.Array(Tag, { maxItems: MAX_TAG_LIST }) }, strict);
export type TagsBody = Static<typeof TagsBody>;
export const TagsAnswer = Type.Object({ tags: Type.Array(Type.String()) });

export const ReviewAnswer = Type.Object({
  session: Type.Object({
    id: Type.String(),
    title: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
    startedAt: Type.String(),
    endedAt: Nullable(Type.String()),
    events: Type.Integer(),
  }),
  /** Marks added or edited in review (a live mark's id: its edit). */
  marks: Type.Array(MarkView),
  /** Ids of marks deleted in review. */
  deleted: Type.Array(Type.String()),
  /** The therapist's tags. */
  tags: Type.Array(Type.String()),
});

/** Largest page of the log for the review. */
export const MAX_LOG_PAGE = 50_000;
export const LogQuery = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LOG_PAGE })),
  },
  strict,
);
export type LogQuery = Static<typeof LogQuery>;

/**
 * A page of the log: rows `[seq, participant, t, type, payload]` and the seq to ask after for the
 * next page (null on the last). Documented here; the route writes it as text (see `logPage`).
 */
export const LogAnswer = Type.Object({
  events: Type.Array(
    Type.Tuple([Type.Integer(), Type.String(), Type.Number(), Type.String(), Type.Unknown()]),
  ),
  next: Nullable(Type.Integer()),
});
