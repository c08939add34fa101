/**
 * The schemas of the shares API (TypeBox, handed to Fastify as JSON Schema). Bodies allow no
 * extra fields; what a schema cannot say (a span inside the recording) the shares check.
 */
import { type Static, Type } from '@sinclair/typebox';
import { MAX_EXPIRY_DAYS, MAX_SHARE_NOTE } from './rules.ts';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

export const ShareIdParams = Type.Object({ id: Id }, strict);
export type ShareIdParams = Static<typeof ShareIdParams>;

/** A token is checked by the shares, so a malformed one gets the same answer as an unknown one. */
export const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) }, strict);
export type TokenParams = Static<typeof TokenParams>;

export const NewShareBody = Type.Object(
  {
    from: Type.Number(),
    to: Type.Number(),
    note: Type.String({ maxLength: MAX_SHARE_NOTE }),
    expiresInDays: Type.Integer({ minimum: 1, maximum: MAX_EXPIRY_DAYS }),
    client: Type.Optional(Id),
    showName: Type.Optional(Type.Boolean()),
  },
  strict,
);
export type NewShareBody = Static<typeof NewShareBody>;

export const ShareView = Type.Object({
  id: Type.String(),
  sessionId: Type.String(),
  client: Type.Object({ id: Type.String(), displayName: Type.String() }),
  from: Type.Number(),
  to: Type.Number(),
  note: Type.String(),
  showName: Type.Boolean(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union([
    Type.Literal('active'),
    Type.Literal('expired'),
    Type.Literal('revoked'),
    Type.Literal('consent-withdrawn'),
  ]),
});

export const NewShareAnswer = Type.Object({
  share: ShareView,
  token: Type.String(),
  /** The family's link, on this studio's address. */
  link: Type.String(),
});

export const SharesAnswer = Type.Object({ shares: Type.Array(ShareView) });

export const SessionSharesAnswer = Type.Object({
  shares: Type.Array(ShareView),
  /** Whether a clip may be shared now (else the reason, in plain words) and whose families it is for. */
  sharing: Type.Object({
    allowed: Type.Boolean(),
    reason: Type.Union([Type.String(), Type.Null()]),
    clients: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String() })),
  }),
});
export const ShareAnswer = Type.Object({ share: ShareView });

/** What a family's link shows: nothing but these. */
export const SharedAnswer = Type.Object(
  {
    note: Type.String(),
    duration: Type.Number(),
    expiresAt: Type.String(),
    displayName: Type.Optional(Type.String()),
  },
  strict,
);

/** A share as a client's export lists it. */
export const ExportedShareView = Type.Object({
  id: Type.String(),
  session: Type.String(),
  from: Type.Number(),
  to: Type.Number(),
  note: Type.String(),
  showName: Type.Boolean(),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
