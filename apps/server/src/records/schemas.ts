/**
 * The schemas of the records API's bodies, parameters, queries and answers (TypeBox, handed to
 * Fastify as JSON Schema). Bodies allow no extra fields; every string and list has a bound. What
 * a schema cannot say (a date that is a real day, a name that is not blank) the records check.
 */
import { type Static, Type } from '@sinclair/typebox';
import { RatingView } from '../assessment/schemas.ts';
import { Id, NamedView, NoteView, Nullable, strict } from '../http/schema-parts.ts';
import { ExportedShareView } from '../share/schemas.ts';
import { MAX_CLIENT_NOTES, MAX_DISPLAY_NAME, MAX_NAME, MAX_SESSION_NOTE } from './checks.ts';

const Name = Type.String({ minLength: 1, maxLength: MAX_NAME });
const DisplayName = Type.String({ minLength: 1, maxLength: MAX_DISPLAY_NAME });
/** Checked as a calendar day by the records, so the refusal can say what is wrong with it. */
const BirthDate = Type.String({ maxLength: 32 });
const Ids = (max: number) => Type.Array(Id, { maxItems: max });

export const IdParams = Type.Object({ id: Id }, strict);
export type IdParams = Static<typeof IdParams>;

export const ConsentView = Type.Object({
  recording: Type.Boolean(),
  research: Type.Boolean(),
  family: Type.Boolean(),
});

export const NewClientBody = Type.Object(
  {
    name: Name,
    birthDate: BirthDate,
    displayName: DisplayName,
    consent: Type.Object(
      { recording: Type.Boolean(), research: Type.Boolean(), family: Type.Boolean() },
      strict,
    ),
    notes: Type.Optional(Type.String({ maxLength: MAX_CLIENT_NOTES })),
    therapistIds: Type.Optional(Ids(50)),
  },
  strict,
);
export type NewClientBody = Static<typeof NewClientBody>;

export const ClientChangeBody = Type.Object(
  {
    name: Type.Optional(Name),
    birthDate: Type.Optional(BirthDate),
    displayName: Type.Optional(DisplayName),
    consent: Type.Optional(
      Type.Object(
        {
          recording: Type.Optional(Type.Boolean()),
          research: Type.Optional(Type.Boolean()),
          family: Type.Optional(Type.Boolean()),
        },
        strict,
      ),
    ),
    notes: Type.Optional(Type.String({ maxLength: MAX_CLIENT_NOTES })),
  },
  strict,
);
export type ClientChangeBody = Static<typeof ClientChangeBody>;

export const AssignBody = Type.Object({ therapistIds: Ids(50) }, strict);
export type AssignBody = Static<typeof AssignBody>;

export const EraseBody = Type.Object({ confirm: Type.String({ maxLength: MAX_NAME + 20 }) }, strict);
export type EraseBody = Static<typeof EraseBody>;

export const NewGroupBody = Type.Object(
  { name: Name, clientIds: Ids(200), therapistIds: Type.Optional(Ids(50)) },
  strict,
);
export type NewGroupBody = Static<typeof NewGroupBody>;

export const GroupChangeBody = Type.Object(
  { name: Type.Optional(Name), clientIds: Type.Optional(Ids(200)) },
  strict,
);
export type GroupChangeBody = Static<typeof GroupChangeBody>;

export const LinksBody = Type.Object(
  {
    clients: Type.Array(
      Type.Object({ id: Id, participant: Nullable(Type.String({ maxLength: 16 })) }, strict),
      { maxItems: 64 },
    ),
    group: Nullable(Id),
  },
  strict,
);
export type LinksBody = Static<typeof LinksBody>;

export const NoteBody = Type.Object({ text: Type.String({ maxLength: MAX_SESSION_NOTE }) }, strict);
export type NoteBody = Static<typeof NoteBody>;

/** Filters of the audit trail; `client` is another name for `target`. Times are checked by the route. */
export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Id),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    target: Type.Optional(Id),
    client: Type.Optional(Id),
    from: Type.Optional(Type.String({ maxLength: 40 })),
    to: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  strict,
);
export type AuditQuery = Static<typeof AuditQuery>;

// ---- answers ----

export const ClientSummaryView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  displayName: Type.String(),
  birthDate: Type.String(),
  consent: ConsentView,
});

const LinkedSessionView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  startedAt: Type.String(),
  endedAt: Nullable(Type.String()),
  therapistId: Nullable(Type.String()),
  participant: Nullable(Type.String()),
  groupId: Nullable(Type.String()),
});

export const ClientView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  displayName: Type.String(),
  birthDate: Type.String(),
  consent: ConsentView,
  notes: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  therapists: Type.Array(NamedView),
  groups: Type.Array(NamedView),
  sessions: Type.Array(LinkedSessionView),
});

export const ClientsAnswer = Type.Object({ clients: Type.Array(ClientSummaryView) });
export const ClientAnswer = Type.Object({ client: ClientView });

export const GroupView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  members: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String() })),
  therapists: Type.Array(NamedView),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export const GroupsAnswer = Type.Object({
  groups: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), members: Type.Integer() })),
});
export const GroupAnswer = Type.Object({ group: GroupView });

export { NoteView };
export const NoteAnswer = Type.Object({ note: NoteView });

const SessionSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  startedAt: Type.String(),
  endedAt: Nullable(Type.String()),
  therapistId: Nullable(Type.String()),
});

export const SessionRecordAnswer = Type.Object({
  session: SessionSummary,
  clients: Type.Array(
    Type.Object({ id: Type.String(), displayName: Type.String(), participant: Nullable(Type.String()) }),
  ),
  group: Nullable(NamedView),
  notes: Type.Array(NoteView),
});

export const ErasureAnswer = Type.Object({
  erased: Type.Object({
    sessionsDeleted: Type.Integer(),
    sessionsKept: Type.Array(Type.String()),
    lanesPseudonymised: Type.Integer(),
    groupsLeft: Type.Integer(),
  }),
});

export const ExportAnswer = Type.Object({
  format: Type.String(),
  version: Type.Integer(),
  exportedAt: Type.String(),
  client: Type.Object({
    id: Type.String(),
    name: Type.String(),
    birthDate: Type.String(),
    displayName: Type.String(),
    consent: ConsentView,
    notes: Type.String(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  }),
  therapists: Type.Array(NamedView),
  groups: Type.Array(NamedView),
  sessions: Type.Array(
    Type.Object({
      session: SessionSummary,
      participant: Nullable(Type.String()),
      groupId: Nullable(Type.String()),
      shared: Type.Boolean(),
      notes: Type.Array(NoteView),
      ratings: Type.Array(RatingView),
      events: Type.Array(
        Type.Object({
          seq: Type.Integer(),
          participant: Type.String(),
          t: Type.Number(),
          type: Type.String(),
          payload: Type.Unknown(),
        }),
      ),
      lanesLeftOut: Type.Integer(),
    }),
  ),
  recordings: Type.Array(
    Type.Object({
      session: Type.String(),
      file: Type.String(),
      mediaType: Type.String(),
      tracks: Type.Array(Type.String()),
      base64: Type.String(),
    }),
  ),
  /** Clips shared with the client's family (share/shares.ts). */
  shares: Type.Array(ExportedShareView),
});

export const AuditAnswer = Type.Object({
  entries: Type.Array(
    Type.Object({
      id: Type.String(),
      at: Type.String(),
      actor: Nullable(Type.String()),
      action: Type.String(),
      target: Nullable(Type.String()),
      address: Nullable(Type.String()),
      detail: Type.Unknown(),
    }),
  ),
});
