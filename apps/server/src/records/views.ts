/**
 * Records as the API shows them, and the queries that read them. Reading here writes no audit
 * entry: the callers in `records.ts` decide who may read and write the entry.
 */
import type { Kysely } from 'kysely';
import type { RecordsDatabase, RecordTables } from './tables.ts';

/** A client's consent, each given (true) or not. */
export interface Consent {
  /** To be recorded in sessions. */
  readonly recording: boolean;
  /** To have anonymised recordings and measures used in research. */
  readonly research: boolean;
  /** To have clips shared with their family by link. */
  readonly family: boolean;
}

/** A client as a list shows them. */
export interface ClientSummary {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly birthDate: string;
  readonly consent: Consent;
}

/** Someone named by id and name (a therapist, a group). */
export interface Named {
  readonly id: string;
  readonly name: string;
}

/** A live session linked to a client, directly or through a group they are in. */
export interface LinkedSession {
  readonly id: string;
  readonly title: string;
  readonly status: 'open' | 'closed';
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly therapistId: string | null;
  /** The lane the client played in (p1, p2, …) when the session was linked to them with it. */
  readonly participant: string | null;
  /** The group through which the session is the client's, when it is linked to a group. */
  readonly groupId: string | null;
}

/** A client's whole record. */
export interface ClientRecord extends ClientSummary {
  readonly notes: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly therapists: Named[];
  readonly groups: Named[];
  readonly sessions: LinkedSession[];
}

/** A group with its members (by display name) and therapists. */
export interface GroupRecord {
  readonly id: string;
  readonly name: string;
  readonly members: Array<{ readonly id: string; readonly displayName: string }>;
  readonly therapists: Named[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A therapist's note on a session. */
export interface SessionNote {
  readonly id: string;
  readonly sessionId: string;
  readonly authorId: string | null;
  readonly text: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What a session's record holds: who it is linked to and its notes. */
export interface SessionRecord {
  readonly session: {
    readonly id: string;
    readonly title: string;
    readonly status: 'open' | 'closed';
    readonly startedAt: string;
    readonly endedAt: string | null;
    readonly therapistId: string | null;
  };
  readonly clients: Array<{
    readonly id: string;
    readonly displayName: string;
    readonly participant: string | null;
  }>;
  readonly group: Named | null;
  readonly notes: SessionNote[];
}

type Db = Kysely<RecordsDatabase>;

export function summary(row: RecordTables['client']): ClientSummary {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    birthDate: row.birth_date,
    consent: {
      recording: Number(row.consent_recording) === 1,
      research: Number(row.consent_research) === 1,
      family: Number(row.consent_family) === 1,
    },
  };
}

/** Clients by id, in name order; ids in chunks so a long list stays within the databases' limits. */
export async function clientRows(db: Db, ids: readonly string[]): Promise<RecordTables['client'][]> {
  const rows: RecordTables['client'][] = [];
  for (let i = 0; i < ids.length; i += 500)
    rows.push(
      ...(await db
        .selectFrom('client')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  return rows.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** The sessions of a client: linked to them directly or to a group they are in; newest first. */
export async function linkedSessions(db: Db, clientId: string): Promise<LinkedSession[]> {
  const direct = await db
    .selectFrom('session_client')
    .innerJoin('live_session', 'live_session.id', 'session_client.session_id')
    .leftJoin('session_group', 'session_group.session_id', 'live_session.id')
    .select([
      'live_session.id',
      'live_session.title',
      'live_session.status',
      'live_session.started_at',
      'live_session.ended_at',
      'live_session.therapist_id',
      'session_client.participant',
      'session_group.group_id',
    ])
    .where('session_client.client_id', '=', clientId)
    .execute();
  const viaGroup = await db
    .selectFrom('group_member')
    .innerJoin('session_group', 'session_group.group_id', 'group_member.group_id')
    .innerJoin('live_session', 'live_session.id', 'session_group.session_id')
    .select([
      'live_session.id',
      'live_session.title',
      'live_session.status',
      'live_session.started_at',
      'live_session.ended_at',
      'live_session.therapist_id',
      'session_group.group_id',
    ])
    .where('group_member.client_id', '=', clientId)
    .execute();
  const byId = new Map<string, LinkedSession>();
  for (const r of direct)
    byId.set(r.id, {
      id: r.id,
      title: r.title,
      status: r.status,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      therapistId: r.therapist_id,
      participant: r.participant,
      groupId: r.group_id,
    });
  for (const r of viaGroup)
    if (!byId.has(r.id))
      byId.set(r.id, {
        id: r.id,
        title: r.title,
        status: r.status,
        startedAt: r.started_at,
        endedAt: r.ended_at,
        therapistId: r.therapist_id,
        participant: null,
        groupId: r.group_id,
      });
  return [...byId.values()].sort(
    (a, b) => b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id),
  );
}

/** A client's whole record, or null. */
export async function clientRecord(db: Db, id: string): Promise<ClientRecord | null> {
  const row = await db.selectFrom('client').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const therapists = await db
    .selectFrom('client_assignment')
    .innerJoin('account', 'account.id', 'client_assignment.therapist_id')
    .select(['account.id', 'account.name'])
    .where('client_assignment.client_id', '=', id)
    .orderBy('account.name')
    .orderBy('account.id')
    .execute();
  const groups = await db
    .selectFrom('group_member')
    .innerJoin('client_group', 'client_group.id', 'group_member.group_id')
    .select(['client_group.id', 'client_group.name'])
    .where('group_member.client_id', '=', id)
    .orderBy('client_group.name')
    .orderBy('client_group.id')
    .execute();
  return {
    ...summary(row),
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    therapists,
    groups,
    sessions: await linkedSessions(db, id),
  };
}

/** A group with its members and therapists, or null. */
export async function groupRecord(db: Db, id: string): Promise<GroupRecord | null> {
  const row = await db.selectFrom('client_group').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const members = await db
    .selectFrom('group_member')
    .innerJoin('client', 'client.id', 'group_member.client_id')
    .select(['client.id', 'client.display_name'])
    .where('group_member.group_id', '=', id)
    .orderBy('client.display_name')
    .orderBy('client.id')
    .execute();
  const therapists = await db
    .selectFrom('group_assignment')
    .innerJoin('account', 'account.id', 'group_assignment.therapist_id')
    .select(['account.id', 'account.name'])
    .where('group_assignment.group_id', '=', id)
    .orderBy('account.name')
    .orderBy('account.id')
    .execute();
  return {
    id: row.id,
    name: row.name,
    members: members.map((m) => ({ id: m.id, displayName: m.display_name })),
    therapists,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function noteView(row: RecordTables['session_note']): SessionNote {
  return {
    id: row.id,
    sessionId: row.session_id,
    authorId: row.author_id,
    text: row.text,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The notes of a session, oldest first. */
export async function sessionNotes(db: Db, sessionId: string): Promise<SessionNote[]> {
  const rows = await db
    .selectFrom('session_note')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(noteView);
}

/** A session's record (links and notes), or null. */
export async function sessionRecord(db: Db, sessionId: string): Promise<SessionRecord | null> {
  const s = await db.selectFrom('live_session').selectAll().where('id', '=', sessionId).executeTakeFirst();
  if (!s) return null;
  const clients = await db
    .selectFrom('session_client')
    .innerJoin('client', 'client.id', 'session_client.client_id')
    .select(['client.id', 'client.display_name', 'session_client.participant'])
    .where('session_client.session_id', '=', sessionId)
    .orderBy('client.display_name')
    .orderBy('client.id')
    .execute();
  const group = await db
    .selectFrom('session_group')
    .innerJoin('client_group', 'client_group.id', 'session_group.group_id')
    .select(['client_group.id', 'client_group.name'])
    .where('session_group.session_id', '=', sessionId)
    .executeTakeFirst();
  return {
    session: {
      id: s.id,
      title: s.title,
      status: s.status,
      startedAt: s.started_at,
      endedAt: s.ended_at,
      therapistId: s.therapist_id,
    },
    clients: clients.map((c) => ({ id: c.id, displayName: c.display_name, participant: c.participant })),
    group: group ?? null,
    notes: await sessionNotes(db, sessionId),
  };
}

/**
 * The clients a session is about: those linked to it and the members of its group. Audit entries
 * about the session are written once for each, so "who read this client's record" finds them.
 */
export async function sessionClientIds(db: Db, sessionId: string): Promise<string[]> {
  const direct = await db
    .selectFrom('session_client')
    .select('client_id')
    .where('session_id', '=', sessionId)
    .execute();
  const members = await db
    .selectFrom('session_group')
    .innerJoin('group_member', 'group_member.group_id', 'session_group.group_id')
    .select('group_member.client_id')
    .where('session_group.session_id', '=', sessionId)
    .execute();
  return [...new Set([...direct, ...members].map((r) => r.client_id))].sort();
}
