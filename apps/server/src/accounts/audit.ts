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

/** The studio's audit trail. */
export class Audit {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly wallClock: () => string = () => new Date().toISOString(),
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit')
      .values({
        id: randomUUID(),
        at: this.wallClock(),
        actor_id: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        address: entry.address ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
      })
      .execute();
  }

  /** The latest entries, newest first. */
  async latest(limit = 100): Promise<AuditRecord[]> {
    const rows = await this.db
      .selectFrom('audit')
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id')
      .limit(Math.max(1, Math.min(limit, 10_000)))
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
