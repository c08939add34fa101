/**
 * Who may reach which record. Least privilege, in three rules:
 *
 * - An admin reaches every client, group and session record.
 * - A therapist reaches a client's record only when assigned to that client, and a group only
 *   when assigned to that group. Being assigned to a group shows its members' display names (the
 *   pseudonyms used in live rooms), not their records: a client's name, date of birth, notes and
 *   export need the client's own assignment.
 * - A therapist reaches a session's record (its links and notes) when they ran the session or are
 *   assigned to a client or group it is linked to; only the therapist who ran it (or an admin)
 *   changes which clients and group it is linked to.
 *
 * Each check answers why not, so the audit can say so; the API answers every "why not" with the
 * same `404 not-found`, so a therapist cannot learn that another therapist's client exists.
 */
import type { Kysely } from 'kysely';
import type { User } from '../accounts/accounts.ts';
import type { RecordsDatabase } from './tables.ts';

/** The answer of an access check: allowed, or why not. */
export type Access = 'ok' | 'missing' | 'not-assigned';

/** Whether `viewer` may reach the record of client `id`. */
export async function clientAccess(db: Kysely<RecordsDatabase>, viewer: User, id: string): Promise<Access> {
  const row = await db.selectFrom('client').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) return 'missing';
  if (viewer.role === 'admin') return 'ok';
  const assigned = await db
    .selectFrom('client_assignment')
    .select('client_id')
    .where('client_id', '=', id)
    .where('therapist_id', '=', viewer.id)
    .executeTakeFirst();
  return assigned ? 'ok' : 'not-assigned';
}

/** Whether `viewer` may reach group `id`. */
export async function groupAccess(db: Kysely<RecordsDatabase>, viewer: User, id: string): Promise<Access> {
  const row = await db.selectFrom('client_group').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) return 'missing';
  if (viewer.role === 'admin') return 'ok';
  const assigned = await db
    .selectFrom('group_assignment')
    .select('group_id')
    .where('group_id', '=', id)
    .where('therapist_id', '=', viewer.id)
    .executeTakeFirst();
  return assigned ? 'ok' : 'not-assigned';
}

/** What `viewer` may do with a session's record: everything (`own`), read and add notes, or nothing. */
export type SessionAccess = 'own' | 'linked' | 'missing' | 'not-assigned';

/** Whether `viewer` may reach the record of session `id`. */
export async function sessionAccess(
  db: Kysely<RecordsDatabase>,
  viewer: User,
  id: string,
): Promise<SessionAccess> {
  const session = await db
    .selectFrom('live_session')
    .select('therapist_id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!session) return 'missing';
  if (viewer.role === 'admin' || session.therapist_id === viewer.id) return 'own';
  const byClient = await db
    .selectFrom('session_client')
    .innerJoin('client_assignment', 'client_assignment.client_id', 'session_client.client_id')
    .select('session_client.client_id')
    .where('session_client.session_id', '=', id)
    .where('client_assignment.therapist_id', '=', viewer.id)
    .executeTakeFirst();
  if (byClient) return 'linked';
  const byGroup = await db
    .selectFrom('session_group')
    .innerJoin('group_assignment', 'group_assignment.group_id', 'session_group.group_id')
    .select('session_group.group_id')
    .where('session_group.session_id', '=', id)
    .where('group_assignment.therapist_id', '=', viewer.id)
    .executeTakeFirst();
  return byGroup ? 'linked' : 'not-assigned';
}

/** Ids of the clients `viewer` may reach (every client for an admin). */
export async function visibleClientIds(db: Kysely<RecordsDatabase>, viewer: User): Promise<string[]> {
  if (viewer.role === 'admin') return (await db.selectFrom('client').select('id').execute()).map((r) => r.id);
  const rows = await db
    .selectFrom('client_assignment')
    .select('client_id')
    .where('therapist_id', '=', viewer.id)
    .execute();
  return rows.map((r) => r.client_id);
}

/** Ids of the groups `viewer` may reach (every group for an admin). */
export async function visibleGroupIds(db: Kysely<RecordsDatabase>, viewer: User): Promise<string[]> {
  if (viewer.role === 'admin')
    return (await db.selectFrom('client_group').select('id').execute()).map((r) => r.id);
  const rows = await db
    .selectFrom('group_assignment')
    .select('group_id')
    .where('therapist_id', '=', viewer.id)
    .execute();
  return rows.map((r) => r.group_id);
}
