/**
 * The pieces the records' and the assessment's schemas (TypeBox) share, so a session note or a
 * named person reads the same in a client's record, a session's record and a client's progress.
 */
import { type TSchema, Type } from '@sinclair/typebox';

/** A body, parameter or query object that allows no extra fields. */
export const strict = { additionalProperties: false } as const;

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A record's id as the routes take it. */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

/** A therapist, group or rater by id and name. */
export const NamedView = Type.Object({ id: Type.String(), name: Type.String() });

/** A therapist's note on a session. */
export const NoteView = Type.Object({
  id: Type.String(),
  sessionId: Type.String(),
  authorId: Nullable(Type.String()),
  text: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
