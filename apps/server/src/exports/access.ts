/**
 * Who may export a session, and the audit of it: exactly the session record's rule
 * (records/access.ts): an admin, the therapist who ran the session, or a therapist assigned to a
 * client or group it is linked to. Anyone else gets `404 not-found`, as if the session did not
 * exist; a request without a login (a participant's device has only a room code) gets
 * `401 not-logged-in`. Every export and every refusal is audited: one entry about the session and
 * one about each client it is linked to, so "who took this client's data" finds it.
 */
import type { LogEntry } from '@attune/engine';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Audit, AuditEntry } from '../accounts/audit.ts';
import type { AuthSessions } from '../accounts/auth-sessions.ts';
import { auditedActor } from '../http/actor.ts';
import { ApiError } from '../http/errors.ts';
import { sessionAccess } from '../records/access.ts';
import { refusalEntry, sessionAuditEntries } from '../records/audit-entries.ts';
import type { Actor } from '../records/records.ts';
import type { RecordsDatabase } from '../records/tables.ts';
import type { Database } from '../storage/index.ts';

/** Who asks, from where. */
export type Exporter = Actor;

/** A session as an export needs it. */
export interface ExportedSessionInfo {
  readonly id: string;
  readonly title: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
}

/**
 * The session's log entries in log order. A payload that is not JSON reads as null, which the
 * review's reader then names as malformed, so one bad entry does not cost the whole export.
 */
export async function sessionEntries(db: Kysely<RecordsDatabase>, sessionId: string): Promise<LogEntry[]> {
  const rows = await db
    .selectFrom('session_event')
    .select(['seq', 'participant', 't', 'type', 'payload'])
    .where('session_id', '=', sessionId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    seq: r.seq,
    participant: r.participant,
    t: Number(r.t),
    type: r.type,
    payload: parsed(r.payload),
  }));
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Checks who may export sessions and writes the audit entries. */
export class ExportAccess {
  constructor(
    private readonly db: Kysely<RecordsDatabase>,
    private readonly audit: Audit,
    private readonly authSessions: AuthSessions,
  ) {}

  /** The logged-in account asking, or a 401 (audited with the address). */
  exporter(request: FastifyRequest, action: string, target: string | null): Promise<Exporter> {
    return auditedActor(request, this.authSessions, this.audit, action, target);
  }

  /** The session, if `who` may reach its record; otherwise an audited 404. */
  async session(who: Exporter, sessionId: string, action: string): Promise<ExportedSessionInfo> {
    const access = await sessionAccess(this.db, who.user, sessionId);
    if (access === 'missing' || access === 'not-assigned') {
      await this.audit.record(refusalEntry(who, action, sessionId, access));
      throw new ApiError(404, 'not-found', 'There is no such session.');
    }
    const row = await this.db
      .selectFrom('live_session')
      .select(['id', 'title', 'started_at', 'ended_at'])
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    return { id: row.id, title: row.title, startedAt: row.started_at, endedAt: row.ended_at };
  }

  /** Writes one entry about the session and one about each client it is linked to. */
  async exported(
    who: Exporter,
    sessionId: string,
    action: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.recordMany(await sessionAuditEntries(this.db, who, sessionId, action, detail));
  }

  /** An admin, or an audited 403. */
  async admin(who: Exporter, action: string): Promise<void> {
    if (who.user.role === 'admin') return;
    await this.audit.record(refusalEntry(who, action, null, 'admin-only'));
    throw new ApiError(403, 'admin-only', 'Only an admin can do this.');
  }

  /** Writes entries as they are. */
  record(entries: readonly AuditEntry[]): Promise<void> {
    return this.audit.recordMany(entries);
  }
}

/** The records' view of the studio's database. */
export type ExportsDb = Kysely<Database>;
