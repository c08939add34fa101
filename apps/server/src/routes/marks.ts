/**
 * The review's routes: a recorded session opened for review (its marks as edited in review and
 * the therapist's tags), its log in compact pages, index marks added, edited and deleted, and the
 * therapist's tag list. Who reviews a session is who reaches its record (records/access.ts): the
 * therapist who ran it, an admin, or a therapist assigned to a client or group linked to it, who
 * may rate it and so must hear and mark what they rate; marks are part of reviewing, so adding,
 * editing and deleting them follows the same rule (each mark keeps who last changed it). To anyone
 * else the session does not exist (404), and every refusal is audited. The log is never rewritten: what
 * review does to marks is kept beside it (review/tables.ts).
 */
import { gunzipSync } from 'node:zlib';
import { checkMark, type Mark } from '@attune/engine';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { User } from '../accounts/accounts.ts';
import { ApiError } from '../http/errors.ts';
import { SessionParams } from '../http/schemas.ts';
import { currentUser, requireUser } from '../http/security.ts';
import { sessionAccess } from '../records/access.ts';
import { recordsDb } from '../records/tables.ts';
import { newMarkId, ReviewStore } from '../review/review-store.ts';
import {
  LogAnswer,
  LogQuery,
  MarkAnswer,
  MarkBody,
  MarkParams,
  ReviewAnswer,
  TagsAnswer,
  TagsBody,
} from '../review/schemas.ts';
import type { Summaries } from '../review/summaries.ts';
import type { Database } from '../storage/index.ts';
import { type LiveSession, SessionLog } from '../storage/session-log.ts';
import type { ApiContext } from './context.ts';

/** Seconds a mark may lie past the last event of the log (the playhead runs on after the last note). */
const PAST_THE_END = 60;

const noMark = () => new ApiError(404, 'mark-not-found', 'There is no such mark on this session.');

export function markRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
  db: Kysely<Database>,
  wallIso: () => string,
  /** The studio's summaries (shared with the assessment and the MIDI export). */
  summaries: Summaries,
): void {
  const store = new ReviewStore(db, wallIso);
  const records = recordsDb(db);
  const sessions = new SessionLog(db);
  const audit = (user: User, action: string, request: FastifyRequest, detail: Record<string, unknown>) =>
    ctx.audit.record({
      actor: user.id,
      action,
      target: (request.params as { id: string }).id,
      address: request.ip,
      detail,
    });

  /**
   * The session, if the logged-in user may review it: as its record, the therapist who ran it, an
   * admin, or a therapist assigned to a client or group linked to it (records/access.ts); 404 for
   * anyone else, 401 without a login. A refusal is audited as `<action>-refused` with its reason.
   */
  const reviewable = async (request: FastifyRequest<{ Params: { id: string } }>, action: string) => {
    const user = await currentUser(request, ctx.authSessions);
    const access = user ? await sessionAccess(records, user, request.params.id) : 'not-logged-in';
    const stored = access === 'own' || access === 'linked' ? await sessions.get(request.params.id) : null;
    if (user && stored) return { user, stored };
    await ctx.audit.record({
      actor: user?.id ?? null,
      action: `${action}-refused`,
      target: request.params.id,
      address: request.ip,
      detail: { reason: access === 'own' || access === 'linked' ? 'missing' : access },
    });
    if (!user) throw new ApiError(401, 'not-logged-in', 'Log in to do this.');
    throw new ApiError(404, 'not-found', 'There is no such session.');
  };

  /** A mark's content checked by the engine's rules, with the session's length as the limit. */
  const content = async (s: LiveSession, id: string, body: MarkBody) => {
    const wall = ((s.endedAt ? Date.parse(s.endedAt) : Date.now()) - Date.parse(s.startedAt)) / 1000;
    const length = Math.max(await store.lastTime(s.id), Number.isFinite(wall) ? wall : 0) + PAST_THE_END;
    const checked = checkMark(
      { id, t: body.t, end: body.end ?? null, note: body.note ?? '', tags: body.tags ?? [] },
      length,
    );
    if (!checked.ok) {
      const what = checked.problems.map((p) => p.message).join('; ');
      throw new ApiError(400, 'invalid-mark', `The mark was not saved: ${what}.`);
    }
    const { t, end, note, tags } = checked.mark;
    return { t, end, note, tags };
  };

  app.get<{ Params: SessionParams }>(
    '/api/sessions/:id/review',
    { schema: { params: SessionParams, response: { 200: ReviewAnswer } } },
    async (request) => {
      const { user, stored: s } = await reviewable(request, 'session-review');
      const [marks, tags] = await Promise.all([store.marks(s.id), store.tags(user.id)]);
      await audit(user, 'session-reviewed', request, {});
      return {
        session: {
          id: s.id,
          title: s.title,
          status: s.status,
          startedAt: s.startedAt,
          endedAt: s.endedAt,
          events: s.events,
        },
        marks: marks.marks,
        deleted: marks.deleted,
        tags,
      };
    },
  );

  app.get<{ Params: SessionParams; Querystring: LogQuery }>(
    '/api/sessions/:id/review/log',
    { schema: { params: SessionParams, querystring: LogQuery, response: { 200: LogAnswer } } },
    async (request, reply) => {
      const { stored } = await reviewable(request, 'session-review-log');
      const { after = 0, limit = 20_000 } = request.query;
      // Sent as text, so the payloads the log holds as JSON go out as they are (see logPage).
      const page = await store.logPage(stored.id, after, limit);
      return reply.type('application/json; charset=utf-8').send(page);
    },
  );

  // The summary the review opens with: made when a session ends, kept, sent as it is kept.
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url !== '/api/sessions/:id/end' || reply.statusCode !== 200) return;
    const id = (request.params as { id: string }).id;
    // Made in the background; a failure here is made good when the review is first opened.
    summaries.make(id).catch(() => {});
  });

  app.get<{ Params: SessionParams }>(
    '/api/sessions/:id/review/summary',
    { schema: { params: SessionParams } },
    async (request, reply) => {
      const { user, stored } = await reviewable(request, 'session-summary-read');
      const summary = await summaries.get(stored.id, stored.events);
      await audit(user, 'session-summary-read', request, { events: summary.events });
      void reply.type('application/json; charset=utf-8');
      if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? '')))
        return reply.header('content-encoding', 'gzip').send(summary.body);
      return reply.send(gunzipSync(summary.body));
    },
  );

  app.post<{ Params: SessionParams; Body: MarkBody }>(
    '/api/sessions/:id/marks',
    { schema: { params: SessionParams, body: MarkBody, response: { 201: MarkAnswer } } },
    async (request, reply) => {
      const { user, stored } = await reviewable(request, 'mark-add');
      const id = newMarkId();
      const mark: Mark = await store.save(stored.id, id, await content(stored, id, request.body), user.id);
      await audit(user, 'mark-added', request, { mark: id });
      return reply.code(201).send({ mark });
    },
  );

  app.put<{ Params: MarkParams; Body: MarkBody }>(
    '/api/sessions/:id/marks/:markId',
    { schema: { params: MarkParams, body: MarkBody, response: { 200: MarkAnswer } } },
    async (request) => {
      const { user, stored } = await reviewable(request, 'mark-edit');
      const id = request.params.markId;
      if (!(await store.exists(stored.id, id))) throw noMark();
      const mark = await store.save(stored.id, id, await content(stored, id, request.body), user.id);
      await audit(user, 'mark-edited', request, { mark: id });
      return { mark };
    },
  );

  app.delete<{ Params: MarkParams }>(
    '/api/sessions/:id/marks/:markId',
    { schema: { params: MarkParams } },
    async (request, reply) => {
      const { user, stored } = await reviewable(request, 'mark-delete');
      const id = request.params.markId;
      if (!(await store.exists(stored.id, id))) throw noMark();
      await store.delete(stored.id, id, user.id);
      await audit(user, 'mark-deleted', request, { mark: id });
      return reply.code(204).send();
    },
  );

  app.get('/api/tags', { schema: { response: { 200: TagsAnswer } } }, async (request) => {
    const user = await requireUser(request, ctx.authSessions);
    return { tags: await store.tags(user.id) };
  });

  app.put<{ Body: TagsBody }>(
    '/api/tags',
    { schema: { body: TagsBody, response: { 200: TagsAnswer } } },
    async (request) => {
      const user = await requireUser(request, ctx.authSessions);
      const tags: string[] = [];
      for (const tag of request.body.tags) {
        const text = tag.trim();
        if (text === '') throw new ApiError(400, 'invalid-tags', 'A tag cannot be only spaces.');
        if (tags.includes(text)) throw new ApiError(400, 'invalid-tags', `The tag "${text}" is given twice.`);
        tags.push(text);
      }
      return { tags: await store.setTags(user.id, tags) };
    },
  );
}
