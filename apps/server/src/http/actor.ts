/**
 * Who asks, for routes that audit every refusal: the logged-in account and the address, or a
 * `401 not-logged-in` written to the audit trail first (`<action>-refused`, reason
 * `not-logged-in`, no actor), so even an anonymous attempt on a record leaves a trace.
 */
import type { FastifyRequest } from 'fastify';
import type { Audit } from '../accounts/audit.ts';
import type { AuthSessions } from '../accounts/auth-sessions.ts';
import type { Actor } from '../records/records.ts';
import { ApiError } from './errors.ts';
import { currentUser } from './security.ts';

/** The logged-in account asking `action` on `target`, or an audited 401. */
export async function auditedActor(
  request: FastifyRequest,
  sessions: AuthSessions,
  audit: Audit,
  action: string,
  target: string | null,
): Promise<Actor> {
  const user = await currentUser(request, sessions);
  if (user) return { user, address: request.ip };
  await audit.record({
    actor: null,
    action: `${action}-refused`,
    target,
    address: request.ip,
    detail: { reason: 'not-logged-in' },
  });
  throw new ApiError(401, 'not-logged-in', 'Log in to do this.');
}
