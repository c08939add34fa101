/**
 * The assessment routes: a session's ratings (every rater's, with their agreement), the logged-in
 * rater's ratings of a scale written, one of their ratings removed, the measures shown beside a
 * rating, and a client's progress across sessions. Access is that of session and client records
 * (`404 not-found` for what is not the asker's to reach, audited); a request without a logged-in
 * account (a participant's device has only a room code) is `401 not-logged-in`, audited too.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { SessionAnalyses } from '../assessment/analysis.ts';
import { Assessment } from '../assessment/ratings.ts';
import {
  ProgressAnswer,
  RatingParams,
  RatingQuery,
  RatingsAnswer,
  RatingsBody,
  SuggestionsAnswer,
} from '../assessment/schemas.ts';
import { auditedActor } from '../http/actor.ts';
import { ApiError } from '../http/errors.ts';
import { SessionParams } from '../http/schemas.ts';
import { RecordsError } from '../records/checks.ts';
import type { Actor } from '../records/records.ts';
import { IdParams } from '../records/schemas.ts';
import type { Summaries } from '../review/summaries.ts';
import type { Database } from '../storage/index.ts';
import type { ApiContext } from './context.ts';

function refused(error: unknown): never {
  if (error instanceof RecordsError) throw new ApiError(error.status, error.code, error.message);
  throw error;
}

export function ratingRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
  db: Kysely<Database>,
  wallClock: () => string,
  /** The studio's summaries (shared with the review): the analyses are read from their measures. */
  summaries: Summaries,
): void {
  const assessment = new Assessment(db, {
    audit: ctx.audit,
    wallClock,
    analyses: new SessionAnalyses(db, summaries),
  });

  /** The logged-in account asking, or a 401 written to the audit trail. */
  const actor = (request: FastifyRequest, action: string, target: string): Promise<Actor> =>
    auditedActor(request, ctx.authSessions, ctx.audit, action, target);

  app.get<{ Params: SessionParams }>(
    '/api/sessions/:id/ratings',
    { schema: { params: SessionParams, response: { 200: RatingsAnswer } } },
    async (request) => {
      const who = await actor(request, 'session-ratings-read', request.params.id);
      return assessment.read(who, request.params.id).catch(refused);
    },
  );

  app.put<{ Params: SessionParams; Body: RatingsBody }>(
    '/api/sessions/:id/ratings',
    { schema: { params: SessionParams, body: RatingsBody, response: { 200: RatingsAnswer } } },
    async (request) => {
      const who = await actor(request, 'session-ratings-save', request.params.id);
      return assessment.save(who, request.params.id, request.body).catch(refused);
    },
  );

  app.delete<{ Params: RatingParams; Querystring: RatingQuery }>(
    '/api/sessions/:id/ratings/:scale/:item',
    { schema: { params: RatingParams, querystring: RatingQuery } },
    async (request, reply) => {
      const { id, scale, item } = request.params;
      const who = await actor(request, 'session-rating-delete', id);
      await assessment
        .remove(who, id, { scale, item, participant: request.query.participant ?? null })
        .catch(refused);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: SessionParams }>(
    '/api/sessions/:id/suggestions',
    { schema: { params: SessionParams, response: { 200: SuggestionsAnswer } } },
    async (request) => {
      const who = await actor(request, 'session-suggestions-read', request.params.id);
      return assessment.suggestions(who, request.params.id).catch(refused);
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/clients/:id/progress',
    { schema: { params: IdParams, response: { 200: ProgressAnswer } } },
    async (request) => {
      const who = await actor(request, 'client-progress-read', request.params.id);
      return assessment.progress(who, request.params.id).catch(refused);
    },
  );
}
