/**
 * The live-session routes: start, list, look at, end and resume a session, and read its log.
 * A therapist sees only their own sessions; an admin sees every one. A session is a client's
 * record once linked, so an attempt on one that is refused (404 for another's, 401 without a
 * login) is written to the audit trail as `<action>-refused`, as on the records routes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { User } from '../accounts/accounts.ts';
import { auditedActor } from '../http/actor.ts';
import { ApiError } from '../http/errors.ts';
import { joinOrigin, lanAddress } from '../http/join-origin.ts';
import {
  EmptyBody,
  EventsAnswer,
  EventsQuery,
  NewSessionBody,
  SessionAnswer,
  SessionParams,
  SessionsAnswer,
  type SessionView,
} from '../http/schemas.ts';
import { requireUser } from '../http/security.ts';
import { SessionError, type SessionState } from '../live/live-sessions.ts';
import type { ApiContext } from './context.ts';

function refused(error: unknown): never {
  if (error instanceof SessionError) throw new ApiError(error.status, error.code, error.message);
  throw error;
}

export function sessionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const names = async (): Promise<Map<string, string>> =>
    new Map((await ctx.accounts.list()).map((u) => [u.id, u.name]));
  const view = (request: FastifyRequest, state: SessionState, who: Map<string, string>): SessionView => {
    const s = state.stored;
    return {
      id: s.id,
      title: s.title,
      status: s.status,
      live: state.code !== null,
      code: state.code,
      joinUrl:
        state.code === null
          ? null
          : `${joinOrigin(request.protocol, request.host, lanAddress())}/join/${state.code}`,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      events: s.events,
      therapist: (s.therapistId && who.get(s.therapistId)) || '',
      therapistId: s.therapistId,
    };
  };
  const audit = (user: User, action: string, target: string, request: FastifyRequest) =>
    ctx.audit.record({ actor: user.id, action, target, address: request.ip });
  /** `act` on session `id` by who asks; a 401 or a refusal of the act is audited as `<action>-refused`. */
  const attempt = async <T>(
    request: FastifyRequest<{ Params: SessionParams }>,
    action: string,
    act: (user: User) => Promise<T>,
  ): Promise<{ user: User; result: T }> => {
    const { user } = await auditedActor(request, ctx.authSessions, ctx.audit, action, request.params.id);
    try {
      return { user, result: await act(user) };
    } catch (error) {
      if (error instanceof SessionError)
        await ctx.audit.record({
          actor: user.id,
          action: `${action}-refused`,
          target: request.params.id,
          address: request.ip,
          detail: { reason: error.code },
        });
      return refused(error);
    }
  };

  app.post<{ Body: NewSessionBody }>(
    '/api/sessions',
    { schema: { body: NewSessionBody, response: { 201: SessionAnswer } } },
    async (request, reply) => {
      const user = await requireUser(request, ctx.authSessions);
      const state = await ctx.live.start(user, request.body.title);
      await audit(user, 'session-started', state.stored.id, request);
      return reply.code(201).send({ session: view(request, state, await names()), key: state.key });
    },
  );

  app.get('/api/sessions', { schema: { response: { 200: SessionsAnswer } } }, async (request) => {
    const user = await requireUser(request, ctx.authSessions);
    const [states, who] = await Promise.all([ctx.live.list(user), names()]);
    return { sessions: states.map((s) => view(request, s, who)) };
  });

  app.get<{ Params: SessionParams }>(
    '/api/sessions/:id',
    { schema: { params: SessionParams, response: { 200: SessionAnswer } } },
    async (request) => {
      const { result: state } = await attempt(request, 'session-get', (user) =>
        ctx.live.get(user, request.params.id),
      );
      const session = view(request, state, await names());
      return state.key === null ? { session } : { session, key: state.key };
    },
  );

  app.post<{ Params: SessionParams }>(
    '/api/sessions/:id/end',
    { schema: { params: SessionParams, body: EmptyBody, response: { 200: SessionAnswer } } },
    async (request) => {
      const { user, result: state } = await attempt(request, 'session-end', (asker) =>
        ctx.live.end(asker, request.params.id),
      );
      await audit(user, 'session-ended', state.stored.id, request);
      return { session: view(request, state, await names()) };
    },
  );

  app.post<{ Params: SessionParams }>(
    '/api/sessions/:id/resume',
    { schema: { params: SessionParams, body: EmptyBody, response: { 200: SessionAnswer } } },
    async (request) => {
      const { user, result: state } = await attempt(request, 'session-resume', (asker) =>
        ctx.live.resume(asker, request.params.id),
      );
      await audit(user, 'session-resumed', state.stored.id, request);
      return { session: view(request, state, await names()), key: state.key };
    },
  );

  app.get<{ Params: SessionParams; Querystring: EventsQuery }>(
    '/api/sessions/:id/events',
    { schema: { params: SessionParams, querystring: EventsQuery, response: { 200: EventsAnswer } } },
    async (request) => {
      const { after = 0, limit = 1000 } = request.query;
      const { user, result: events } = await attempt(request, 'session-read', (asker) =>
        ctx.live.events(asker, request.params.id, after, limit),
      );
      await audit(user, 'session-read', request.params.id, request);
      return {
        events: events.map((e) => ({
          seq: e.seq,
          participant: e.participant,
          t: e.t,
          type: e.type,
          payload: e.payload,
        })),
      };
    },
  );
}
