/**
 * Who is asking, and whether the request is their own. A logged-in therapist carries the
 * `attune_session` cookie (HttpOnly, SameSite=Strict, Secure over https). Every state-changing
 * API request must also carry the `x-attune-csrf` header equal to the `attune_csrf` cookie
 * (a double submit: another site can make a browser send the cookie but cannot read it to copy
 * it into the header), and a request whose Origin is another site's is refused outright.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../accounts/accounts.ts';
import type { AuthSessions } from '../accounts/auth-sessions.ts';
import { ApiError, isApiPath } from './errors.ts';

export const SESSION_COOKIE = 'attune_session';
export const CSRF_COOKIE = 'attune_csrf';
export const CSRF_HEADER = 'x-attune-csrf';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** How cookies are set. */
export interface CookiePolicy {
  /** Secure on every cookie, whatever the request came over (ATTUNE_SECURE_COOKIES=1). */
  readonly alwaysSecure: boolean;
}

function secure(request: FastifyRequest, policy: CookiePolicy): boolean {
  return policy.alwaysSecure || request.protocol === 'https';
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The origin this request reached, as a browser would name it. */
export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Refuses a state-changing API request that is not the studio's own page's doing. */
export function checkCsrf(request: FastifyRequest): void {
  if (!UNSAFE.has(request.method) || !isApiPath(request.url)) return;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== ownOrigin(request))
    throw new ApiError(403, 'csrf', 'This request came from another site and was refused.');
  const cookie = request.cookies[CSRF_COOKIE];
  const header = request.headers[CSRF_HEADER];
  if (!cookie || typeof header !== 'string' || !same(cookie, header))
    throw new ApiError(
      403,
      'csrf',
      `The request lacks the ${CSRF_HEADER} header matching the ${CSRF_COOKIE} cookie: reload the page.`,
    );
}

/** Gives the browser its CSRF cookie if it has none. */
export function ensureCsrfCookie(request: FastifyRequest, reply: FastifyReply, policy: CookiePolicy): void {
  if (request.cookies[CSRF_COOKIE]) return;
  void reply.setCookie(CSRF_COOKIE, randomBytes(24).toString('base64url'), {
    path: '/',
    sameSite: 'strict',
    httpOnly: false,
    secure: secure(request, policy),
  });
}

/** Sets the session cookie after setup or login. */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  policy: CookiePolicy,
): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    sameSite: 'strict',
    httpOnly: true,
    secure: secure(request, policy),
  });
}

/** Clears the session cookie at logout. */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, policy: CookiePolicy): void {
  void reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    sameSite: 'strict',
    httpOnly: true,
    secure: secure(request, policy),
  });
}

/** The logged-in user of a request, or null. */
export function currentUser(request: FastifyRequest, sessions: AuthSessions): Promise<User | null> {
  return sessions.user(request.cookies[SESSION_COOKIE]);
}

/** The logged-in user, or a 401 `not-logged-in`. */
export async function requireUser(request: FastifyRequest, sessions: AuthSessions): Promise<User> {
  const user = await currentUser(request, sessions);
  if (!user) throw new ApiError(401, 'not-logged-in', 'Log in to do this.');
  return user;
}

/** The logged-in admin, or 401/403. */
export async function requireAdmin(request: FastifyRequest, sessions: AuthSessions): Promise<User> {
  const user = await requireUser(request, sessions);
  if (user.role !== 'admin') throw new ApiError(403, 'admin-only', 'Only an admin can do this.');
  return user;
}
