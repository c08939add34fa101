/**
 * The schemas of the API's bodies, parameters and queries (TypeBox, handed to Fastify as JSON
 * Schema). Objects allow no extra fields and every string has a length bound, as on the wire.
 */
import { type Static, Type } from '@sinclair/typebox';
import { MAX_PASSWORD_LENGTH } from '../accounts/passwords.ts';
import { MAX_TITLE } from '../live/live-sessions.ts';

const strict = { additionalProperties: false } as const;

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Email = Type.String({ minLength: 3, maxLength: 254 });
/** Length is checked by the accounts, so a short password gets `weak-password`, not `invalid`. */
const Password = Type.String({ maxLength: MAX_PASSWORD_LENGTH });
const Role = Type.Union([Type.Literal('admin'), Type.Literal('therapist')]);

export const SetupBody = Type.Object({ name: Name, email: Email, password: Password }, strict);
export type SetupBody = Static<typeof SetupBody>;

export const LoginBody = Type.Object({ email: Type.String({ maxLength: 254 }), password: Password }, strict);
export type LoginBody = Static<typeof LoginBody>;

export const NewTherapistBody = Type.Object(
  { name: Name, email: Email, password: Password, role: Type.Optional(Role) },
  strict,
);
export type NewTherapistBody = Static<typeof NewTherapistBody>;

export const EmptyBody = Type.Object({}, strict);

export const NewSessionBody = Type.Object(
  { title: Type.Optional(Type.String({ maxLength: MAX_TITLE })) },
  strict,
);
export type NewSessionBody = Static<typeof NewSessionBody>;

export const SessionParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) },
  strict,
);
export type SessionParams = Static<typeof SessionParams>;

export const EventsQuery = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  strict,
);
export type EventsQuery = Static<typeof EventsQuery>;
