/**
 * A session's exports: its recording as MIDI (one track per participant and companion voice) and
 * as WAV (rendered through the instruments, as a job whose progress the browser follows), and
 * its measures as JSON or CSV; and, for an admin, the anonymised research export across the
 * clients who consented to research. Who may export a session is who may read its record
 * (exports/access.ts); everything else is `404 not-found`, and every export and refusal is audited.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expandLog, type SessionSummary } from '@attune/engine';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { ExportAccess, type Exporter, sessionEntries } from '../exports/access.ts';
import { type MeasuresTable, measuresCsv, sessionMeasures } from '../exports/measures.ts';
import { researchExport } from '../exports/research.ts';
import { WavJobs } from '../exports/wav-jobs.ts';
import { ApiError } from '../http/errors.ts';
import { SessionParams } from '../http/schemas.ts';
import { refusalEntry } from '../records/audit-entries.ts';
import { logMidi } from '../records/session-midi.ts';
import { type RecordsDatabase, recordsDb } from '../records/tables.ts';
import { renderSessionWav } from '../render/session-audio.ts';
import type { Summaries } from '../review/summaries.ts';
import type { Database } from '../storage/index.ts';
import type { ApiContext } from './context.ts';

/** Sample rates a WAV export may use. */
export const WAV_RATES = [22050, 44100, 48000] as const;

const WavBody = Type.Object(
  {
    from: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
    to: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
    sampleRate: Type.Optional(Type.Union(WAV_RATES.map((r) => Type.Literal(r)))),
  },
  { additionalProperties: false },
);
interface WavBody {
  from?: number;
  to?: number;
  sampleRate?: (typeof WAV_RATES)[number];
}
const JobParams = Type.Object(
  { job: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }) },
  { additionalProperties: false },
);
const MeasuresQuery = Type.Object(
  { table: Type.Optional(Type.Union([Type.Literal('participants'), Type.Literal('pairs')])) },
  { additionalProperties: false },
);

/** Options of {@link exportRoutes}. */
export interface ExportRoutesOptions {
  /** The studio's data folder: WAV files are made under `exports/` in it. */
  readonly dataDir: string;
  readonly wallIso: () => string;
  readonly onError: (error: unknown, where: string) => void;
  /** The studio's session summaries: the MIDI file is written from a summary's lanes. */
  readonly summaries: Pick<Summaries, 'latest'>;
}

/** Seconds a stereo 16-bit WAV file holds at `sampleRate` (its sizes are 32-bit), less a minute to ring out. */
export function longestWav(sampleRate: number): number {
  return Math.floor((0xffffffff - 44) / 4 / sampleRate) - 60;
}

/** A file name part from a session's start: 2026-11-25. */
const day = (iso: string) => iso.slice(0, 10);

/** Lane names from the session's record: a linked client's display name by their lane. */
async function laneNames(db: Kysely<RecordsDatabase>, sessionId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('session_client')
    .innerJoin('client', 'client.id', 'session_client.client_id')
    .select(['session_client.participant', 'client.display_name'])
    .where('session_client.session_id', '=', sessionId)
    .execute();
  return new Map(rows.flatMap((r) => (r.participant === null ? [] : [[r.participant, r.display_name]])));
}

/** Registers the export routes; returns the WAV jobs (closed with the studio). */
export function exportRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
  database: Kysely<Database>,
  options: ExportRoutesOptions,
): WavJobs {
  const db = recordsDb(database);
  const access = new ExportAccess(db, ctx.audit, ctx.authSessions);
  const jobs = new WavJobs({
    dir: join(options.dataDir, 'exports'),
    onError: (error) => options.onError(error, 'a WAV export'),
  });
  app.addHook('onClose', async () => jobs.close());

  app.get<{ Params: SessionParams }>(
    '/api/sessions/:id/export.mid',
    { schema: { params: SessionParams } },
    async (request, reply) => {
      const id = request.params.id;
      const who = await access.exporter(request, 'session-export-midi', id);
      const session = await access.session(who, id, 'session-export-midi');
      // From the summary's lanes (made now if missing or stale, as the review does): the log read
      // once when the session ended, not its rows parsed again for every download.
      const stored = await options.summaries.latest(id);
      const summary = JSON.parse(gunzipSync(stored.body).toString('utf8')) as SessionSummary;
      const midi = logMidi(expandLog(summary.log), { names: await laneNames(db, id) });
      await access.exported(who, id, 'session-exported-midi', { tracks: midi?.tracks.length ?? 0 });
      if (!midi) throw new ApiError(404, 'nothing-played', 'Nothing was played in this session.');
      return reply
        .header('content-type', 'audio/midi')
        .header('content-disposition', `attachment; filename="${day(session.startedAt)}-session-${id}.mid"`)
        .send(Buffer.from(midi.bytes));
    },
  );

  for (const format of ['json', 'csv'] as const) {
    app.get<{ Params: SessionParams; Querystring: { table?: MeasuresTable } }>(
      `/api/sessions/:id/measures.${format}`,
      { schema: { params: SessionParams, querystring: MeasuresQuery } },
      async (request, reply) => {
        const { id } = request.params;
        const who = await access.exporter(request, 'session-export-measures', id);
        const session = await access.session(who, id, 'session-export-measures');
        const measures = sessionMeasures(
          await sessionEntries(db, id),
          { id: session.id, title: session.title, startedAt: session.startedAt },
          await laneNames(db, id),
        );
        const table = request.query.table ?? 'participants';
        await access.exported(who, id, 'session-exported-measures', {
          format,
          ...(format === 'csv' ? { table } : {}),
        });
        const name = `${day(session.startedAt)}-session-${id}-measures`;
        if (format === 'json') {
          return reply
            .header('content-disposition', `attachment; filename="${name}.json"`)
            .type('application/json')
            .send(JSON.stringify(measures));
        }
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${name}${table === 'pairs' ? '-pairs' : ''}.csv"`,
          )
          .send(measuresCsv(measures, table));
      },
    );
  }

  app.post<{ Params: SessionParams; Body: WavBody }>(
    '/api/sessions/:id/exports/wav',
    { schema: { params: SessionParams, body: WavBody } },
    async (request, reply) => {
      const { id } = request.params;
      const { from, to, sampleRate = 48000 } = request.body;
      if (from !== undefined && to !== undefined && to <= from)
        throw new ApiError(400, 'invalid', `The end (${to} s) must come after the start (${from} s).`);
      const who = await access.exporter(request, 'session-export-wav', id);
      await access.session(who, id, 'session-export-wav');
      const last = await db
        .selectFrom('session_event')
        .select((eb) => eb.fn.max('t').as('t'))
        .where('session_id', '=', id)
        .executeTakeFirst();
      const length = (to ?? Number(last?.t ?? 0)) - (from ?? 0);
      const longest = longestWav(sampleRate);
      if (length > longest)
        throw new ApiError(
          400,
          'too-long',
          `A WAV file at ${sampleRate} Hz holds at most ${Math.floor(longest / 3600)} h ${Math.floor((longest % 3600) / 60)} min; this is longer. Export a part of the session, or use a lower sample rate.`,
        );
      const job = jobs.start(who.user.id, id, async (path, onProgress) => {
        const entries = await sessionEntries(db, id);
        const summary = await renderSessionWav(entries, path, {
          sampleRate,
          onProgress,
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
        });
        return { seconds: summary.seconds };
      });
      await access.exported(who, id, 'session-exported-wav', {
        job: job.id,
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      });
      return reply.code(202).send({ job });
    },
  );

  /** Another's job, or one that is gone: an audited 404 (a recording of a session is a client's record). */
  const noJob = async (who: Exporter, action: string, job: string) => {
    await access.record([refusalEntry(who, action, job, 'missing')]);
    return new ApiError(404, 'not-found', 'There is no such export.');
  };

  app.get<{ Params: { job: string } }>(
    '/api/exports/:job',
    { schema: { params: JobParams } },
    async (request) => {
      const who = await access.exporter(request, 'export-progress', request.params.job);
      const job = jobs.get(request.params.job, who.user.id);
      if (!job) throw await noJob(who, 'export-progress', request.params.job);
      return { job };
    },
  );

  app.delete<{ Params: { job: string } }>(
    '/api/exports/:job',
    { schema: { params: JobParams } },
    async (request, reply) => {
      const who = await access.exporter(request, 'export-cancel', request.params.job);
      if (!jobs.cancel(request.params.job, who.user.id))
        throw await noJob(who, 'export-cancel', request.params.job);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { job: string } }>(
    '/api/exports/:job/file',
    { schema: { params: JobParams } },
    async (request, reply) => {
      const who = await access.exporter(request, 'export-download', request.params.job);
      const file = jobs.file(request.params.job, who.user.id);
      if (!file) throw await noJob(who, 'export-download', request.params.job);
      jobs.downloaded(request.params.job);
      return reply
        .header('content-type', 'audio/wav')
        .header('content-disposition', `attachment; filename="session-${file.session}.wav"`)
        .send(createReadStream(file.path));
    },
  );

  app.get('/api/research/export', async (request, reply) => {
    const who = await access.exporter(request, 'research-export', null);
    await access.admin(who, 'research-export');
    const exported = await researchExport(db, options.wallIso());
    await access.record(
      exported.clients.map((c) => ({
        actor: who.user.id,
        action: 'research-exported',
        target: c.realId,
        address: who.address,
        detail: { sessions: c.sessions },
      })),
    );
    return reply
      .header(
        'content-disposition',
        `attachment; filename="attune-research-${day(exported.document.exportedAt)}.json"`,
      )
      .type('application/json')
      .send(JSON.stringify(exported.document));
  });

  return jobs;
}
