/**
 * The audit trail: who did what, to which record, from where. Written for every login, setup,
 * account change and every live session started, ended, resumed or read, so a supervisor can
 * answer "who saw this client's session?".
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/index.ts';

/** One audited act. */
export interface AuditEntry {
  readonly actor: string | null;
  readonly action: string;
  readonly target?: string | null;
  readonly address?: string | null;
  readonly detail?: Record<string, unknown>;
}

/** An entry as read back. */
export interface AuditRecord extends AuditEntry {
  readonly id: string;
  readonly at: string;
}

/** Which entries to read back; every filter given must match. */
export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly target?: string;
  /** ISO time, inclusive. */
  readonly from?: string;
  /** ISO time, exclusive. */
  readonly to?: string;
  /** At most this many (1 to 10 000; default 100). */
  readonly limit?: number;
}

/** The studio's audit trail. */
export class Audit {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly wallClock: () => string = () => new Date().toISOString(),
  ) {}

  /**
   * Writes one entry; `within` writes it in a transaction of the caller's, so a change and its
   * entry are kept or lost together.
   */
  async record(entry: AuditEntry, within?: Kysely<Database>): Promise<void> {
    await this.recordMany([entry], within);
  }

  /** Writes several entries at once (one per client a list showed, say). */
  async recordMany(entries: readonly AuditEntry[], within?: Kysely<Database>): Promise<void> {
    if (entries.length === 0) return;
    const at = this.wallClock();
    const rows = entries.map((entry) => ({
      id: randomUUID(),
      at,
      actor_id: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      address: entry.address ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    }));
    for (let i = 0; i < rows.length; i += 200)
      await (within ?? this.db)
        .insertInto('audit')
        .values(rows.slice(i, i + 200))
        .execute();
  }

  /** The latest entries, newest first. */
  async latest(limit = 100): Promise<AuditRecord[]> {
    return this.search({ limit });
  }

  /**
   * Entries matching every filter given, newest first: by actor, action, target (a client's,
   * session's or account's id), and a time span (`from` inclusive, `to` exclusive, ISO text).
   */
  async search(filter: AuditFilter = {}): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('audit').selectAll();
    if (filter.actor !== undefined) query = query.where('actor_id', '=', filter.actor);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.target !== undefined) query = query.where('target', '=', filter.target);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    const rows = await query
      .orderBy('at', 'desc')
      .orderBy('id')
      .limit(Math.max(1, Math.min(filter.limit ?? 100, 10_000)))
      .execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor_id,
      action: r.action,
      target: r.target,
      address: r.address,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}
