/**
 * The records routes: clients, groups, assignments, a session's links and notes, a client's export
 * and erasure, and the audit trail. Every route needs a logged-in account; a request without one
 * (a participant's device has only a room code) is refused `401 not-logged-in` and, like every
 * other refusal here, written to the audit trail with its address.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { auditedActor } from '../http/actor.ts';
import { ApiError } from '../http/errors.ts';
import { RecordsError } from '../records/checks.ts';
import { type Actor, Records } from '../records/records.ts';
import {
  AssignBody,
  AuditAnswer,
  AuditQuery,
  ClientAnswer,
  ClientChangeBody,
  ClientsAnswer,
  EraseBody,
  ErasureAnswer,
  ExportAnswer,
  GroupAnswer,
  GroupChangeBody,
  GroupsAnswer,
  IdParams,
  LinksBody,
  NewClientBody,
  NewGroupBody,
  NoteAnswer,
  NoteBody,
  SessionRecordAnswer,
} from '../records/schemas.ts';
import type { Database } from '../storage/index.ts';
import type { ApiContext } from './context.ts';

function refused(error: unknown): never {
  if (error instanceof RecordsError) throw new ApiError(error.status, error.code, error.message);
  throw error;
}

/** An ISO time from a query (a day, or a time with its zone), or a refusal naming the filter. */
function time(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(
    value,
  );
  const ms = match ? Date.parse(value) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to 2 March: the day must be one of its month.
  const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (Number.isNaN(ms) || !day || day.getUTCDate() !== Number(match?.[3]))
    throw new ApiError(
      400,
      'invalid',
      `${field} must be a date or time such as 2026-11-25 or 2026-11-25T10:00:00Z, got: ${JSON.stringify(value)}.`,
    );
  return new Date(ms).toISOString();
}

export function recordRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
  db: Kysely<Database>,
  wallClock: () => string,
): void {
  const records = new Records(db, { audit: ctx.audit, wallClock, isLive: (id) => ctx.live.isLive(id) });

  /** The logged-in account asking, or a logged 401. */
  const actor = (request: FastifyRequest, action: string, target: string | null): Promise<Actor> =>
    auditedActor(request, ctx.authSessions, ctx.audit, action, target);

  // ---- clients ----

  app.get('/api/clients', { schema: { response: { 200: ClientsAnswer } } }, async (request) => {
    const who = await actor(request, 'client-list', null);
    return { clients: await records.listClients(who).catch(refused) };
  });

  app.post<{ Body: NewClientBody }>(
    '/api/clients',
    { schema: { body: NewClientBody, response: { 201: ClientAnswer } } },
    async (request, reply) => {
      const who = await actor(request, 'client-create', null);
      const client = await records.createClient(who, request.body).catch(refused);
      return reply.code(201).send({ client });
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/clients/:id',
    { schema: { params: IdParams, response: { 200: ClientAnswer } } },
    async (request) => {
      const who = await actor(request, 'client-read', request.params.id);
      return { client: await records.getClient(who, request.params.id).catch(refused) };
    },
  );

  app.patch<{ Params: IdParams; Body: ClientChangeBody }>(
    '/api/clients/:id',
    { schema: { params: IdParams, body: ClientChangeBody, response: { 200: ClientAnswer } } },
    async (request) => {
      const who = await actor(request, 'client-update', request.params.id);
      return { client: await records.updateClient(who, request.params.id, request.body).catch(refused) };
    },
  );

  app.put<{ Params: IdParams; Body: AssignBody }>(
    '/api/clients/:id/therapists',
    { schema: { params: IdParams, body: AssignBody, response: { 200: ClientAnswer } } },
    async (request) => {
      const who = await actor(request, 'client-assign', request.params.id);
      return {
        client: await records.assignClient(who, request.params.id, request.body.therapistIds).catch(refused),
      };
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/clients/:id/export',
    { schema: { params: IdParams, response: { 200: ExportAnswer } } },
    async (request, reply) => {
      const who = await actor(request, 'client-export', request.params.id);
      const exported = await records.exportClient(who, request.params.id).catch(refused);
      void reply.header(
        'content-disposition',
        `attachment; filename="attune-client-${request.params.id}-${exported.exportedAt.slice(0, 10)}.json"`,
      );
      return exported;
    },
  );

  app.delete<{ Params: IdParams; Body: EraseBody }>(
    '/api/clients/:id',
    { schema: { params: IdParams, body: EraseBody, response: { 200: ErasureAnswer } } },
    async (request) => {
      const who = await actor(request, 'client-erase', request.params.id);
      return {
        erased: await records.eraseClient(who, request.params.id, request.body.confirm).catch(refused),
      };
    },
  );

  // ---- groups ----

  app.get('/api/groups', { schema: { response: { 200: GroupsAnswer } } }, async (request) => {
    const who = await actor(request, 'group-list', null);
    return { groups: await records.listGroups(who).catch(refused) };
  });

  app.post<{ Body: NewGroupBody }>(
    '/api/groups',
    { schema: { body: NewGroupBody, response: { 201: GroupAnswer } } },
    async (request, reply) => {
      const who = await actor(request, 'group-create', null);
      const group = await records.createGroup(who, request.body).catch(refused);
      return reply.code(201).send({ group });
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/groups/:id',
    { schema: { params: IdParams, response: { 200: GroupAnswer } } },
    async (request) => {
      const who = await actor(request, 'group-read', request.params.id);
      return { group: await records.getGroup(who, request.params.id).catch(refused) };
    },
  );

  app.patch<{ Params: IdParams; Body: GroupChangeBody }>(
    '/api/groups/:id',
    { schema: { params: IdParams, body: GroupChangeBody, response: { 200: GroupAnswer } } },
    async (request) => {
      const who = await actor(request, 'group-update', request.params.id);
      return { group: await records.updateGroup(who, request.params.id, request.body).catch(refused) };
    },
  );

  app.delete<{ Params: IdParams }>(
    '/api/groups/:id',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const who = await actor(request, 'group-delete', request.params.id);
      await records.deleteGroup(who, request.params.id).catch(refused);
      return reply.code(204).send();
    },
  );

  app.put<{ Params: IdParams; Body: AssignBody }>(
    '/api/groups/:id/therapists',
    { schema: { params: IdParams, body: AssignBody, response: { 200: GroupAnswer } } },
    async (request) => {
      const who = await actor(request, 'group-assign', request.params.id);
      return {
        group: await records.assignGroup(who, request.params.id, request.body.therapistIds).catch(refused),
      };
    },
  );

  // ---- a session's record ----

  app.get<{ Params: IdParams }>(
    '/api/sessions/:id/record',
    { schema: { params: IdParams, response: { 200: SessionRecordAnswer } } },
    async (request) => {
      const who = await actor(request, 'session-record-read', request.params.id);
      return records.getSessionRecord(who, request.params.id).catch(refused);
    },
  );

  app.put<{ Params: IdParams; Body: LinksBody }>(
    '/api/sessions/:id/links',
    { schema: { params: IdParams, body: LinksBody, response: { 200: SessionRecordAnswer } } },
    async (request) => {
      const who = await actor(request, 'session-link', request.params.id);
      return records.linkSession(who, request.params.id, request.body).catch(refused);
    },
  );

  app.post<{ Params: IdParams; Body: NoteBody }>(
    '/api/sessions/:id/notes',
    { schema: { params: IdParams, body: NoteBody, response: { 201: NoteAnswer } } },
    async (request, reply) => {
      const who = await actor(request, 'session-note-add', request.params.id);
      const note = await records.addNote(who, request.params.id, request.body.text).catch(refused);
      return reply.code(201).send({ note });
    },
  );

  app.patch<{ Params: IdParams; Body: NoteBody }>(
    '/api/notes/:id',
    { schema: { params: IdParams, body: NoteBody, response: { 200: NoteAnswer } } },
    async (request) => {
      const who = await actor(request, 'session-note-update', request.params.id);
      return { note: await records.updateNote(who, request.params.id, request.body.text).catch(refused) };
    },
  );

  app.delete<{ Params: IdParams }>(
    '/api/notes/:id',
    { schema: { params: IdParams } },
    async (request, reply) => {
      const who = await actor(request, 'session-note-delete', request.params.id);
      await records.deleteNote(who, request.params.id).catch(refused);
      return reply.code(204).send();
    },
  );

  // ---- the audit trail ----

  app.get<{ Querystring: AuditQuery }>(
    '/api/audit',
    { schema: { querystring: AuditQuery, response: { 200: AuditAnswer } } },
    async (request) => {
      const who = await actor(request, 'audit-read', null);
      if (who.user.role !== 'admin') {
        await ctx.audit.record({
          actor: who.user.id,
          action: 'audit-read-refused',
          address: who.address,
          detail: { reason: 'admin-only' },
        });
        throw new ApiError(403, 'admin-only', 'Only an admin can do this.');
      }
      const q = request.query;
      if (q.client !== undefined && q.target !== undefined && q.client !== q.target)
        throw new ApiError(400, 'invalid', 'Give client or target, not both: they filter the same field.');
      const target = q.client ?? q.target;
      const from = time('From', q.from);
      const to = time('To', q.to);
      const entries = await ctx.audit.search({
        ...(q.actor !== undefined ? { actor: q.actor } : {}),
        ...(q.action !== undefined ? { action: q.action } : {}),
        ...(target !== undefined ? { target } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        limit: q.limit ?? 100,
      });
      await ctx.audit.record({
        actor: who.user.id,
        action: 'audit-read',
        address: who.address,
        detail: { filter: { ...q }, entries: entries.length },
      });
      return { entries };
    },
  );
}
