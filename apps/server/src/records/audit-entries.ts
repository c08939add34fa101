/**
 * The audit entries the records, ratings, shares and exports write, made one way: by whom and from
 * which address; a refused attempt named `<action>-refused` with its reason; and an act on a
 * session written once about the session and once about each client it is about (the session in
 * that entry's detail), so "who saw this client's session?" finds it.
 */
import type { Kysely } from 'kysely';
import type { AuditEntry } from '../accounts/audit.ts';
import type { Actor } from './records.ts';
import type { RecordsDatabase } from './tables.ts';
import { sessionClientIds } from './views.ts';

/** An entry by `actor` about `target`. */
export function auditEntry(
  actor: Actor,
  action: string,
  target: string | null,
  detail: Record<string, unknown> = {},
): AuditEntry {
  return { actor: actor.user.id, action, target, address: actor.address, detail };
}

/** The entry of a refused attempt at `action`, with why it was refused. */
export function refusalEntry(
  actor: Actor,
  action: string,
  target: string | null,
  reason: string,
): AuditEntry {
  return auditEntry(actor, `${action}-refused`, target, { reason });
}

/** One entry about the session, and one about each client it is about. */
export async function sessionAuditEntries(
  db: Kysely<RecordsDatabase>,
  actor: Actor,
  sessionId: string,
  action: string,
  detail: Record<string, unknown>,
): Promise<AuditEntry[]> {
  const clients = await sessionClientIds(db, sessionId);
  return [
    auditEntry(actor, action, sessionId, detail),
    ...clients.map((c) => auditEntry(actor, action, c, { ...detail, session: sessionId })),
  ];
}
