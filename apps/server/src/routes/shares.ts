/**
 * Sharing a clip with a client's family. The therapist's routes (logged in, CSRF on changes,
 * access as the session's record: 404 for what may not be reached, every refusal audited):
 *
 *   POST   /api/sessions/:id/shares   make a link to a span of the session
 *   GET    /api/sessions/:id/shares   the session's links
 *   GET    /api/clients/:id/shares    the links for a client's family
 *   DELETE /api/shares/:id            stop a link
 *
 * The family's routes, with no account: `GET /api/shared/:token` (the note, the clip's length,
 * the expiry and at most the client's pseudonym) and `GET /api/shared/:token/clip.wav` (the span
 * rendered through the instruments, nothing else). A link that does not work, for whatever
 * reason, gets one answer; an address that tries too many unknown links is turned away a while.
 */
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { AttemptLimit, type AttemptRule } from '../accounts/attempt-limit.ts';
import { auditedActor } from '../http/actor.ts';
import { ApiError } from '../http/errors.ts';
import { ownOrigin } from '../http/security.ts';
import { RecordsError } from '../records/checks.ts';
import { renderSessionWav } from '../render/session-audio.ts';
import { ClipFiles } from '../share/clips.ts';
import {
  NewShareAnswer,
  NewShareBody,
  SessionSharesAnswer,
  ShareAnswer,
  SharedAnswer,
  ShareIdParams,
  SharesAnswer,
  TokenParams,
} from '../share/schemas.ts';
import { LinkGone, Shares } from '../share/shares.ts';
import type { Database } from '../storage/index.ts';
import type { ApiContext } from './context.ts';

/** Unknown links an address may try: twenty in ten minutes, then a quarter of an hour's wait. */
export const LINK_RULE: AttemptRule = { max: 20, window: 600, lockout: 900 };

/** The sample rate of a family's clip: the piano's range with room to spare, at two thirds of CD's size. */
export const CLIP_SAMPLE_RATE = 32_000;

/** What the share routes need beside the API's context. */
export interface ShareRouteOptions {
  /** The studio's data folder; clips are rendered into `shares/` under it. */
  readonly dataDir: string;
  /** Wall-clock time as ISO text. */
  readonly wallClock: () => string;
  /** Monotonic seconds, for the limit on unknown links. */
  readonly monotonic: () => number;
  readonly linkRule?: AttemptRule;
  /** Where failures the studio survives are reported. */
  readonly onError?: (error: unknown, where: string) => void;
}

const gone = () =>
  new ApiError(
    404,
    'link-gone',
    'This link has expired or was withdrawn. If you would like to hear the clip, ask the therapist for a new link.',
  );

function refused(error: unknown): never {
  if (error instanceof RecordsError) throw new ApiError(error.status, error.code, error.message);
  if (error instanceof LinkGone) throw gone();
  throw error;
}

/** Headers of every answer to a family: nothing kept, nothing told to other sites. */
function privately(reply: FastifyReply): void {
  void reply.headers({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
}

export function shareRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
  db: Kysely<Database>,
  options: ShareRouteOptions,
): void {
  const clips = new ClipFiles(join(options.dataDir, 'shares'), async (session, from, to, path) => {
    const rows = await db
      .selectFrom('session_event')
      .select(['seq', 'participant', 't', 'type', 'payload'])
      .where('session_id', '=', session)
      .orderBy('seq')
      .execute();
    const entries = rows.map((r) => ({ ...r, t: Number(r.t), payload: JSON.parse(r.payload) as unknown }));
    await renderSessionWav(entries, path, { from, to, sampleRate: CLIP_SAMPLE_RATE });
  });
  const shares = new Shares(db, {
    audit: ctx.audit,
    wallClock: options.wallClock,
    clips,
    isLive: (id) => ctx.live.isLive(id),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const limit = new AttemptLimit(options.linkRule ?? LINK_RULE, options.monotonic);

  const actor = (request: FastifyRequest, action: string, target: string) =>
    auditedActor(request, ctx.authSessions, ctx.audit, action, target);

  /** Runs a family's request: turned away while locked out; an unknown link counts against the address. */
  const family = async <T>(
    request: FastifyRequest,
    reply: FastifyReply,
    run: () => Promise<T>,
  ): Promise<T> => {
    privately(reply);
    const wait = limit.wait(request.ip);
    if (wait > 0)
      throw new ApiError(
        429,
        'too-many-tries',
        `Too many links that do not work were tried from here: try again in ${Math.ceil(wait / 60)} minutes.`,
        { 'retry-after': String(Math.ceil(wait)) },
      );
    try {
      return await run();
    } catch (error) {
      if (error instanceof LinkGone && error.reason === 'unknown') limit.fail(request.ip);
      return refused(error);
    }
  };

  app.post<{ Params: ShareIdParams; Body: NewShareBody }>(
    '/api/sessions/:id/shares',
    { schema: { params: ShareIdParams, body: NewShareBody, response: { 201: NewShareAnswer } } },
    async (request, reply) => {
      const who = await actor(request, 'share-create', request.params.id);
      const made = await shares.create(who, request.params.id, request.body).catch(refused);
      return reply.code(201).send({ ...made, link: `${ownOrigin(request)}/shared/${made.token}` });
    },
  );

  app.get<{ Params: ShareIdParams }>(
    '/api/sessions/:id/shares',
    { schema: { params: ShareIdParams, response: { 200: SessionSharesAnswer } } },
    async (request) => {
      const who = await actor(request, 'share-list', request.params.id);
      return shares.listForSession(who, request.params.id).catch(refused);
    },
  );

  app.get<{ Params: ShareIdParams }>(
    '/api/clients/:id/shares',
    { schema: { params: ShareIdParams, response: { 200: SharesAnswer } } },
    async (request) => {
      const who = await actor(request, 'share-list', request.params.id);
      return { shares: await shares.listForClient(who, request.params.id).catch(refused) };
    },
  );

  app.delete<{ Params: ShareIdParams }>(
    '/api/shares/:id',
    { schema: { params: ShareIdParams, response: { 200: ShareAnswer } } },
    async (request) => {
      const who = await actor(request, 'share-revoke', request.params.id);
      return { share: await shares.revoke(who, request.params.id).catch(refused) };
    },
  );

  app.get<{ Params: TokenParams }>(
    '/api/shared/:token',
    { schema: { params: TokenParams, response: { 200: SharedAnswer } } },
    (request, reply) => family(request, reply, () => shares.open(request.params.token, request.ip)),
  );

  app.get<{ Params: TokenParams }>(
    '/api/shared/:token/clip.wav',
    { schema: { params: TokenParams } },
    async (request, reply) => {
      const range = parseRange(request.headers.range);
      const path = await family(request, reply, () =>
        shares.clip(request.params.token, request.ip, range === null || range.start === 0),
      );
      return sendWav(reply, path, range);
    },
  );
}

/** A `Range: bytes=START-[END]` header, or null for the whole file (other forms are ignored). */
function parseRange(header: string | undefined): { start: number; end: number | null } | null {
  const match = header ? /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header.trim()) : null;
  if (!match) return null;
  return { start: Number(match[1]), end: match[2] === '' ? null : Number(match[2]) };
}

/** Sends a WAV file, or the byte range asked for, so a player can seek in it. */
function sendWav(reply: FastifyReply, path: string, range: { start: number; end: number | null } | null) {
  const size = statSync(path).size;
  void reply.header('content-type', 'audio/wav').header('accept-ranges', 'bytes');
  if (range === null) return reply.header('content-length', String(size)).send(createReadStream(path));
  const end = Math.min(range.end ?? size - 1, size - 1);
  if (range.start >= size || end < range.start)
    return reply.code(416).header('content-range', `bytes */${size}`).send();
  return reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${end}/${size}`)
    .header('content-length', String(end - range.start + 1))
    .send(createReadStream(path, { start: range.start, end }));
}
