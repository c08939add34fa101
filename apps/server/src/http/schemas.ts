/**
 * The schemas of the API's bodies, parameters and queries (TypeBox, handed to Fastify as JSON
 * Schema). Objects allow no extra fields and every string has a length bound, as on the wire.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
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

// ---- answers: what each route sends, and nothing more (a field not listed is never sent) ----

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const UserView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  role: Role,
});

export const StateAnswer = Type.Object({
  setupNeeded: Type.Boolean(),
  user: Nullable(UserView),
  protocol: Type.Integer(),
});
export const UserAnswer = Type.Object({ user: UserView });
export const TherapistsAnswer = Type.Object({ therapists: Type.Array(UserView) });

export const SessionView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  live: Type.Boolean(),
  code: Nullable(Type.String()),
  joinUrl: Nullable(Type.String()),
  startedAt: Type.String(),
  endedAt: Nullable(Type.String()),
  events: Type.Integer(),
  therapist: Type.String(),
  therapistId: Nullable(Type.String()),
});
export type SessionView = Static<typeof SessionView>;

export const SessionAnswer = Type.Object({ session: SessionView, key: Type.Optional(Type.String()) });
export const SessionsAnswer = Type.Object({ sessions: Type.Array(SessionView) });
export const EventsAnswer = Type.Object({
  events: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      participant: Type.String(),
      t: Type.Number(),
      type: Type.String(),
      payload: Type.Unknown(),
    }),
  ),
});
