/**
 * The account routes: the studio's state, first setup, login and logout, and an admin's list and
 * creation of therapist accounts.
 */
import { PROTOCOL_VERSION } from '@attune/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AccountError } from '../accounts/accounts.ts';
import { ApiError } from '../http/errors.ts';
import {
  EmptyBody,
  LoginBody,
  NewTherapistBody,
  SetupBody,
  StateAnswer,
  TherapistsAnswer,
  UserAnswer,
} from '../http/schemas.ts';
import {
  clearSessionCookie,
  currentUser,
  ensureCsrfCookie,
  requireAdmin,
  requireUser,
  SESSION_COOKIE,
  setSessionCookie,
} from '../http/security.ts';
import type { ApiContext } from './context.ts';

/** Turns an account refusal into the API's. */
function refused(error: unknown): never {
  if (error instanceof AccountError) {
    const status = error.code === 'already-set-up' || error.code === 'email-taken' ? 409 : 400;
    throw new ApiError(status, error.code, error.message);
  }
  throw error;
}

export function accountRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/state', { schema: { response: { 200: StateAnswer } } }, async (request, reply) => {
    ensureCsrfCookie(request, reply, ctx.cookies);
    const [setupNeeded, user] = await Promise.all([
      ctx.accounts.setupNeeded(),
      currentUser(request, ctx.authSessions),
    ]);
    return { setupNeeded, user, protocol: PROTOCOL_VERSION };
  });

  app.post<{ Body: SetupBody }>(
    '/api/setup',
    { schema: { body: SetupBody, response: { 201: UserAnswer } } },
    async (request, reply) => {
      const user = await ctx.accounts.setup(request.body).catch(refused);
      await ctx.audit.record({ actor: user.id, action: 'setup', target: user.id, address: request.ip });
      setSessionCookie(request, reply, await ctx.authSessions.open(user.id, request.ip), ctx.cookies);
      return reply.code(201).send({ user });
    },
  );

  app.post<{ Body: LoginBody }>(
    '/api/login',
    { schema: { body: LoginBody, response: { 200: UserAnswer } } },
    async (request, reply) => {
      const address = request.ip;
      const wait = ctx.loginLimit.wait(address);
      if (wait > 0) throw tooMany(wait);
      const user = await ctx.accounts.authenticate(request.body.email, request.body.password);
      if (!user) {
        await ctx.audit.record({
          actor: null,
          action: 'login-failed',
          address,
          detail: { email: request.body.email.slice(0, 254) },
        });
        const locked = ctx.loginLimit.fail(address);
        if (locked > 0) throw tooMany(locked);
        throw new ApiError(401, 'bad-credentials', 'That email and password do not match an account.');
      }
      ctx.loginLimit.clear(address);
      await ctx.audit.record({ actor: user.id, action: 'login', target: user.id, address });
      setSessionCookie(request, reply, await ctx.authSessions.open(user.id, address), ctx.cookies);
      return { user };
    },
  );

  app.post('/api/logout', { schema: { body: EmptyBody } }, async (request, reply) => {
    const user = await currentUser(request, ctx.authSessions);
    await ctx.authSessions.close(request.cookies[SESSION_COOKIE]);
    if (user)
      await ctx.audit.record({ actor: user.id, action: 'logout', target: user.id, address: request.ip });
    clearSessionCookie(request, reply, ctx.cookies);
    return reply.code(204).send();
  });

  app.get('/api/me', { schema: { response: { 200: UserAnswer } } }, async (request) => ({
    user: await requireUser(request, ctx.authSessions),
  }));

  app.get('/api/therapists', { schema: { response: { 200: TherapistsAnswer } } }, async (request) => {
    await requireAdmin(request, ctx.authSessions);
    return { therapists: await ctx.accounts.list() };
  });

  app.post<{ Body: NewTherapistBody }>(
    '/api/therapists',
    { schema: { body: NewTherapistBody, response: { 201: UserAnswer } } },
    async (request: FastifyRequest<{ Body: NewTherapistBody }>, reply) => {
      const admin = await requireAdmin(request, ctx.authSessions);
      const user = await ctx.accounts
        .create({ ...request.body, role: request.body.role ?? 'therapist' })
        .catch(refused);
      await ctx.audit.record({
        actor: admin.id,
        action: 'account-created',
        target: user.id,
        address: request.ip,
        detail: { role: user.role },
      });
      return reply.code(201).send({ user });
    },
  );
}

function tooMany(seconds: number): ApiError {
  const wait = Math.ceil(seconds);
  return new ApiError(
    429,
    'too-many-attempts',
    `Too many failed logins from this address: try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}.`,
    { 'retry-after': String(wait) },
  );
}
