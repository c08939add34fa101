/**
 * Client records kept as health data: clients, groups, who is assigned to which, the link of a
 * live session to its clients and group, and the therapists' notes on a session.
 *
 * Every read or change of a client's record, and every refused attempt, writes an audit entry
 * (who, what, which client, when, from which address). Entries hold ids and the names of fields
 * changed, never a client's name, date of birth or notes, so the trail keeps no personal data
 * that an erasure would have to reach. A change and its entry are written in one transaction.
 *
 * Access rules are in `access.ts`; what a refusal looks like is one rule: a record the viewer may
 * not reach is `404 not-found` as if it did not exist, an act only an admin may do is
 * `403 admin-only`.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { User } from '../accounts/accounts.ts';
import type { Audit, AuditEntry } from '../accounts/audit.ts';
import { stopSharesOfClient } from '../share/shares.ts';
import type { Database } from '../storage/index.ts';
import {
  type Access,
  clientAccess,
  groupAccess,
  type SessionAccess,
  sessionAccess,
  visibleClientIds,
  visibleGroupIds,
} from './access.ts';
import { auditEntry, refusalEntry, sessionAuditEntries } from './audit-entries.ts';
import {
  checkBirthDate,
  checkName,
  checkParticipant,
  checkText,
  MAX_CLIENT_NOTES,
  MAX_DISPLAY_NAME,
  MAX_NAME,
  MAX_SESSION_NOTE,
  RecordsError,
} from './checks.ts';
import { type Erasure, eraseClient } from './erasure.ts';
import { type ClientExport, exportClient } from './export.ts';
import { type RecordsDatabase, recordsDb } from './tables.ts';
import {
  type ClientRecord,
  type ClientSummary,
  type Consent,
  clientRecord,
  clientRows,
  type GroupRecord,
  groupRecord,
  type Named,
  noteView,
  type SessionNote,
  type SessionRecord,
  sessionClientIds,
  sessionRecord,
  summary,
} from './views.ts';

/** Who asks, and from which address. */
export interface Actor {
  readonly user: User;
  readonly address: string | null;
}

/** A new client. */
export interface NewClient {
  readonly name: string;
  readonly birthDate: string;
  readonly displayName: string;
  readonly consent: Consent;
  readonly notes?: string;
  /** Who is assigned (an admin's choice; a therapist who makes a client is assigned to them). */
  readonly therapistIds?: readonly string[];
}

/** A change to a client; fields left out stay as they are. */
export interface ClientChange {
  readonly name?: string;
  readonly birthDate?: string;
  readonly displayName?: string;
  readonly consent?: Partial<Consent>;
  readonly notes?: string;
}

/** A new group. */
export interface NewGroup {
  readonly name: string;
  readonly clientIds: readonly string[];
  readonly therapistIds?: readonly string[];
}

/** A change to a group. */
export interface GroupChange {
  readonly name?: string;
  readonly clientIds?: readonly string[];
}

/** Which clients (with their lanes) and which group a session is about. */
export interface SessionLinks {
  readonly clients: ReadonlyArray<{ readonly id: string; readonly participant: string | null }>;
  readonly group: string | null;
}

/** What the records need beside the database. */
export interface RecordsOptions {
  readonly audit: Audit;
  /** Wall-clock time as ISO text. */
  readonly wallClock: () => string;
  /** Whether a room runs for a session now (an erasure waits until it has ended). */
  readonly isLive: (sessionId: string) => boolean;
}

const WHAT = { client: 'client', group: 'group', session: 'session', note: 'note' } as const;

/** The studio's client records. */
export class Records {
  private readonly db: Kysely<RecordsDatabase>;

  constructor(
    db: Kysely<Database>,
    private readonly options: RecordsOptions,
  ) {
    this.db = recordsDb(db);
  }

  // ---- clients ----

  /** The clients `actor` may reach, by name; one audit entry per client shown. */
  async listClients(actor: Actor): Promise<ClientSummary[]> {
    const rows = await clientRows(this.db, await visibleClientIds(this.db, actor.user));
    await this.log(rows.map((r) => auditEntry(actor, 'client-listed', r.id)));
    return rows.map(summary);
  }

  /** Makes a client; a therapist who makes one is assigned to them. */
  async createClient(actor: Actor, input: NewClient): Promise<ClientRecord> {
    if (input.therapistIds !== undefined && actor.user.role !== 'admin')
      await this.refuseAdminOnly(actor, 'client-create', null);
    const now = this.options.wallClock();
    const row = {
      id: randomUUID(),
      name: checkName('Name', input.name, MAX_NAME),
      birth_date: checkBirthDate(input.birthDate, now),
      display_name: checkName('Display name', input.displayName, MAX_DISPLAY_NAME),
      consent_recording: input.consent.recording ? 1 : 0,
      consent_research: input.consent.research ? 1 : 0,
      consent_family: input.consent.family ? 1 : 0,
      notes: checkText('Notes', input.notes ?? '', MAX_CLIENT_NOTES),
      created_at: now,
      updated_at: now,
    };
    const therapists =
      actor.user.role === 'admin' ? await this.checkTherapists(input.therapistIds ?? []) : [actor.user.id];
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('client').values(row).execute();
      if (therapists.length > 0)
        await trx
          .insertInto('client_assignment')
          .values(therapists.map((t) => ({ client_id: row.id, therapist_id: t })))
          .execute();
      await this.log([auditEntry(actor, 'client-created', row.id, { therapists })], trx);
    });
    return (await clientRecord(this.db, row.id)) as ClientRecord;
  }

  /** A client's whole record. */
  async getClient(actor: Actor, id: string): Promise<ClientRecord> {
    await this.mayReachClient(actor, id, 'client-read');
    const record = await clientRecord(this.db, id);
    if (!record) throw notFound('client');
    await this.log([auditEntry(actor, 'client-read', id)]);
    return record;
  }

  /** Changes a client's record; the audit entry names the fields changed, not their values. */
  async updateClient(actor: Actor, id: string, change: ClientChange): Promise<ClientRecord> {
    await this.mayReachClient(actor, id, 'client-update');
    const set: Partial<RecordsDatabase['client']> = {};
    const fields: string[] = [];
    if (change.name !== undefined) {
      set.name = checkName('Name', change.name, MAX_NAME);
      fields.push('name');
    }
    if (change.birthDate !== undefined) {
      set.birth_date = checkBirthDate(change.birthDate, this.options.wallClock());
      fields.push('birthDate');
    }
    if (change.displayName !== undefined) {
      set.display_name = checkName('Display name', change.displayName, MAX_DISPLAY_NAME);
      fields.push('displayName');
    }
    if (change.notes !== undefined) {
      set.notes = checkText('Notes', change.notes, MAX_CLIENT_NOTES);
      fields.push('notes');
    }
    const consent = change.consent ?? {};
    for (const key of ['recording', 'research', 'family'] as const) {
      const value = consent[key];
      if (value === undefined) continue;
      set[`consent_${key}`] = value ? 1 : 0;
      fields.push(`consent.${key}`);
    }
    if (fields.length === 0)
      throw new RecordsError(400, 'invalid', 'The body changes nothing: give a field to change.');
    set.updated_at = this.options.wallClock();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('client').set(set).where('id', '=', id).execute();
      if (consent.family === false) await stopSharesOfClient(trx, id, set.updated_at as string);
      await this.log([auditEntry(actor, 'client-updated', id, { fields })], trx);
    });
    return (await clientRecord(this.db, id)) as ClientRecord;
  }

  /** Sets who is assigned to a client (an admin's doing). */
  async assignClient(actor: Actor, id: string, therapistIds: readonly string[]): Promise<ClientRecord> {
    if (actor.user.role !== 'admin') await this.refuseAdminOnly(actor, 'client-assign', id);
    await this.mayReachClient(actor, id, 'client-assign');
    const therapists = await this.checkTherapists(therapistIds);
    await this.db.transaction().execute(async (trx) => {
      const before = (
        await trx.selectFrom('client_assignment').select('therapist_id').where('client_id', '=', id).execute()
      ).map((r) => r.therapist_id);
      await trx.deleteFrom('client_assignment').where('client_id', '=', id).execute();
      if (therapists.length > 0)
        await trx
          .insertInto('client_assignment')
          .values(therapists.map((t) => ({ client_id: id, therapist_id: t })))
          .execute();
      await this.log(
        [
          auditEntry(actor, 'client-assigned', id, {
            added: therapists.filter((t) => !before.includes(t)),
            removed: before.filter((t) => !therapists.includes(t)),
          }),
        ],
        trx,
      );
    });
    return (await clientRecord(this.db, id)) as ClientRecord;
  }

  /** Everything about a client, with their recordings as MIDI files. */
  async exportClient(actor: Actor, id: string): Promise<ClientExport> {
    await this.mayReachClient(actor, id, 'client-export');
    const exported = await exportClient(this.db, id, this.options.wallClock());
    if (!exported) throw notFound('client');
    await this.log([
      auditEntry(actor, 'client-exported', id, {
        sessions: exported.sessions.map((s) => s.session.id),
        recordings: exported.recordings.length,
      }),
    ]);
    return exported;
  }

  /**
   * Erases a client on request: `confirm` must be the client's name as recorded. What is removed
   * and what is kept is described in `erasure.ts`; the audit entry says what was done, by whom,
   * and counts, without the erased personal data.
   */
  async eraseClient(actor: Actor, id: string, confirm: string): Promise<Erasure> {
    await this.mayReachClient(actor, id, 'client-erase');
    const row = await this.db.selectFrom('client').select('name').where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('client');
    if (confirm.trim() !== row.name)
      throw new RecordsError(
        400,
        'confirmation-mismatch',
        "To erase this client, send confirm with the client's full name exactly as recorded.",
      );
    return eraseClient(this.db, id, {
      isLive: this.options.isLive,
      audit: (erasure, trx) =>
        this.log([auditEntry(actor, 'client-erased', id, { ...erasure })], trx as Kysely<RecordsDatabase>),
    });
  }

  // ---- groups ----

  /** The groups `actor` may reach. */
  async listGroups(actor: Actor): Promise<Array<Named & { readonly members: number }>> {
    const ids = await visibleGroupIds(this.db, actor.user);
    const groups: Array<Named & { members: number }> = [];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('client_group')
        .leftJoin('group_member', 'group_member.group_id', 'client_group.id')
        .select((eb) => [
          'client_group.id',
          'client_group.name',
          eb.fn.count('group_member.client_id').as('members'),
        ])
        .where('client_group.id', 'in', ids.slice(i, i + 500))
        .groupBy(['client_group.id', 'client_group.name'])
        .execute();
      groups.push(...rows.map((r) => ({ id: r.id, name: r.name, members: Number(r.members) })));
    }
    return groups.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /** Makes a group of clients `actor` may reach; a therapist who makes one is assigned to it. */
  async createGroup(actor: Actor, input: NewGroup): Promise<GroupRecord> {
    if (input.therapistIds !== undefined && actor.user.role !== 'admin')
      await this.refuseAdminOnly(actor, 'group-create', null);
    const name = checkName('Name', input.name, MAX_NAME);
    const members = await this.checkMembers(actor, input.clientIds, 'group-create');
    const therapists =
      actor.user.role === 'admin' ? await this.checkTherapists(input.therapistIds ?? []) : [actor.user.id];
    const now = this.options.wallClock();
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('client_group').values({ id, name, created_at: now, updated_at: now }).execute();
      if (members.length > 0)
        await trx
          .insertInto('group_member')
          .values(members.map((c) => ({ group_id: id, client_id: c })))
          .execute();
      if (therapists.length > 0)
        await trx
          .insertInto('group_assignment')
          .values(therapists.map((t) => ({ group_id: id, therapist_id: t })))
          .execute();
      await this.log(
        [
          auditEntry(actor, 'group-created', id, { therapists, clients: members }),
          ...members.map((c) => auditEntry(actor, 'client-grouped', c, { group: id })),
        ],
        trx,
      );
    });
    return (await groupRecord(this.db, id)) as GroupRecord;
  }

  /** A group with its members' display names; an audit entry for the group and each member shown. */
  async getGroup(actor: Actor, id: string): Promise<GroupRecord> {
    await this.mayReachGroup(actor, id, 'group-read');
    const group = await groupRecord(this.db, id);
    if (!group) throw notFound('group');
    await this.log([
      auditEntry(actor, 'group-read', id),
      ...group.members.map((m) => auditEntry(actor, 'client-listed', m.id, { group: id })),
    ]);
    return group;
  }

  /** Renames a group or sets its members; a client added must be one `actor` may reach. */
  async updateGroup(actor: Actor, id: string, change: GroupChange): Promise<GroupRecord> {
    await this.mayReachGroup(actor, id, 'group-update');
    if (change.name === undefined && change.clientIds === undefined)
      throw new RecordsError(400, 'invalid', 'The body changes nothing: give a name or clientIds.');
    const name = change.name === undefined ? undefined : checkName('Name', change.name, MAX_NAME);
    const before = (
      await this.db.selectFrom('group_member').select('client_id').where('group_id', '=', id).execute()
    ).map((r) => r.client_id);
    let members = before;
    if (change.clientIds !== undefined) {
      const added = [...new Set(change.clientIds)].filter((c) => !before.includes(c));
      await this.checkMembers(actor, added, 'group-update');
      members = [...new Set(change.clientIds)];
    }
    const added = members.filter((c) => !before.includes(c));
    const removed = before.filter((c) => !members.includes(c));
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('client_group')
        .set({ ...(name !== undefined ? { name } : {}), updated_at: this.options.wallClock() })
        .where('id', '=', id)
        .execute();
      if (removed.length > 0)
        await trx
          .deleteFrom('group_member')
          .where('group_id', '=', id)
          .where('client_id', 'in', removed)
          .execute();
      if (added.length > 0)
        await trx
          .insertInto('group_member')
          .values(added.map((c) => ({ group_id: id, client_id: c })))
          .execute();
      await this.log(
        [
          auditEntry(actor, 'group-updated', id, { renamed: name !== undefined, added, removed }),
          ...added.map((c) => auditEntry(actor, 'client-grouped', c, { group: id })),
          ...removed.map((c) => auditEntry(actor, 'client-ungrouped', c, { group: id })),
        ],
        trx,
      );
    });
    return (await groupRecord(this.db, id)) as GroupRecord;
  }

  /** Removes a group (its clients stay; its sessions lose their link to it). */
  async deleteGroup(actor: Actor, id: string): Promise<void> {
    await this.mayReachGroup(actor, id, 'group-delete');
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('client_group').where('id', '=', id).execute();
      await this.log([auditEntry(actor, 'group-deleted', id)], trx);
    });
  }

  /** Sets who is assigned to a group (an admin's doing). */
  async assignGroup(actor: Actor, id: string, therapistIds: readonly string[]): Promise<GroupRecord> {
    if (actor.user.role !== 'admin') await this.refuseAdminOnly(actor, 'group-assign', id);
    await this.mayReachGroup(actor, id, 'group-assign');
    const therapists = await this.checkTherapists(therapistIds);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('group_assignment').where('group_id', '=', id).execute();
      if (therapists.length > 0)
        await trx
          .insertInto('group_assignment')
          .values(therapists.map((t) => ({ group_id: id, therapist_id: t })))
          .execute();
      await this.log([auditEntry(actor, 'group-assigned', id, { therapists })], trx);
    });
    return (await groupRecord(this.db, id)) as GroupRecord;
  }

  // ---- sessions ----

  /** A session's links and notes. */
  async getSessionRecord(actor: Actor, sessionId: string): Promise<SessionRecord> {
    await this.mayReachSession(actor, sessionId, 'session-record-read');
    const record = await sessionRecord(this.db, sessionId);
    if (!record) throw notFound('session');
    await this.logForSession(actor, sessionId, 'session-record-read', {});
    return record;
  }

  /** Sets the clients (with their lanes) and group a session is about (the session's therapist or an admin). */
  async linkSession(actor: Actor, sessionId: string, links: SessionLinks): Promise<SessionRecord> {
    const access = await this.mayReachSession(actor, sessionId, 'session-link');
    if (access !== 'own') await this.refuse(actor, 'session-link', sessionId, 'not-owner', WHAT.session);
    const ids = links.clients.map((c) => c.id);
    if (new Set(ids).size !== ids.length)
      throw new RecordsError(400, 'invalid', 'A client may be linked to a session once.');
    const lanes = links.clients.flatMap((c) =>
      c.participant === null ? [] : [checkParticipant(c.participant)],
    );
    if (new Set(lanes).size !== lanes.length)
      throw new RecordsError(400, 'invalid', 'Two clients cannot share one lane of a session.');
    for (const id of ids) await this.mayReachClient(actor, id, 'session-link');
    if (links.group !== null) await this.mayReachGroup(actor, links.group, 'session-link');
    const before = await sessionClientIds(this.db, sessionId);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('session_client').where('session_id', '=', sessionId).execute();
      await trx.deleteFrom('session_group').where('session_id', '=', sessionId).execute();
      if (links.clients.length > 0)
        await trx
          .insertInto('session_client')
          .values(
            links.clients.map((c) => ({
              session_id: sessionId,
              client_id: c.id,
              participant: c.participant,
            })),
          )
          .execute();
      if (links.group !== null)
        await trx
          .insertInto('session_group')
          .values({ session_id: sessionId, group_id: links.group })
          .execute();
      const after = await sessionClientIds(trx, sessionId);
      await this.log(
        [
          auditEntry(actor, 'session-linked', sessionId, { clients: ids, group: links.group }),
          ...after
            .filter((c) => !before.includes(c))
            .map((c) => auditEntry(actor, 'client-session-linked', c, { session: sessionId })),
          ...before
            .filter((c) => !after.includes(c))
            .map((c) => auditEntry(actor, 'client-session-unlinked', c, { session: sessionId })),
        ],
        trx,
      );
    });
    return (await sessionRecord(this.db, sessionId)) as SessionRecord;
  }

  /** Adds a note to a session. */
  async addNote(actor: Actor, sessionId: string, text: string): Promise<SessionNote> {
    await this.mayReachSession(actor, sessionId, 'session-note-add');
    const now = this.options.wallClock();
    const row = {
      id: randomUUID(),
      session_id: sessionId,
      author_id: actor.user.id,
      text: checkText('Text', text, MAX_SESSION_NOTE, false),
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('session_note').values(row).execute();
      await this.logForSession(actor, sessionId, 'session-note-added', { note: row.id }, trx);
    });
    return noteView(row);
  }

  /** Changes a note (its author or an admin). */
  async updateNote(actor: Actor, noteId: string, text: string): Promise<SessionNote> {
    const note = await this.mayChangeNote(actor, noteId, 'session-note-update');
    const checked = checkText('Text', text, MAX_SESSION_NOTE, false);
    const updatedAt = this.options.wallClock();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('session_note')
        .set({ text: checked, updated_at: updatedAt })
        .where('id', '=', noteId)
        .execute();
      await this.logForSession(actor, note.session_id, 'session-note-updated', { note: noteId }, trx);
    });
    return noteView({ ...note, text: checked, updated_at: updatedAt });
  }

  /** Deletes a note (its author or an admin). */
  async deleteNote(actor: Actor, noteId: string): Promise<void> {
    const note = await this.mayChangeNote(actor, noteId, 'session-note-delete');
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('session_note').where('id', '=', noteId).execute();
      await this.logForSession(actor, note.session_id, 'session-note-deleted', { note: noteId }, trx);
    });
  }

  // ---- access and audit ----

  private async mayReachClient(actor: Actor, id: string, action: string): Promise<void> {
    const access = await clientAccess(this.db, actor.user, id);
    if (access !== 'ok') await this.refuse(actor, action, id, access, WHAT.client);
  }

  private async mayReachGroup(actor: Actor, id: string, action: string): Promise<void> {
    const access = await groupAccess(this.db, actor.user, id);
    if (access !== 'ok') await this.refuse(actor, action, id, access, WHAT.group);
  }

  private async mayReachSession(actor: Actor, id: string, action: string): Promise<SessionAccess> {
    const access = await sessionAccess(this.db, actor.user, id);
    if (access === 'missing' || access === 'not-assigned')
      await this.refuse(actor, action, id, access, WHAT.session);
    return access;
  }

  private async mayChangeNote(
    actor: Actor,
    noteId: string,
    action: string,
  ): Promise<RecordsDatabase['session_note']> {
    const note = await this.db
      .selectFrom('session_note')
      .selectAll()
      .where('id', '=', noteId)
      .executeTakeFirst();
    if (!note) return this.refuse(actor, action, noteId, 'missing', WHAT.note);
    const access = await sessionAccess(this.db, actor.user, note.session_id);
    if (access === 'missing' || access === 'not-assigned')
      return this.refuse(actor, action, noteId, access, WHAT.note);
    if (actor.user.role !== 'admin' && note.author_id !== actor.user.id)
      return this.refuse(actor, action, noteId, 'not-author', WHAT.note);
    return note;
  }

  /** Checks that every id is an account that may be assigned; the ids, each once. */
  private async checkTherapists(ids: readonly string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = await this.db
      .selectFrom('account')
      .select('id')
      .where('id', 'in', unique)
      .where('disabled_at', 'is', null)
      .execute();
    const known = new Set(found.map((r) => r.id));
    const unknown = unique.find((id) => !known.has(id));
    if (unknown !== undefined)
      throw new RecordsError(
        400,
        'unknown-therapist',
        `There is no account ${JSON.stringify(unknown.slice(0, 64))} to assign.`,
      );
    return unique;
  }

  /** Checks that `actor` may put each of these clients in a group; the ids, each once. */
  private async checkMembers(actor: Actor, ids: readonly string[], action: string): Promise<string[]> {
    const unique = [...new Set(ids)];
    for (const id of unique) await this.mayReachClient(actor, id, action);
    return unique;
  }

  /** Logs a refused attempt and throws the API's answer: not found, or admin only. */
  private async refuse(
    actor: Actor,
    action: string,
    target: string,
    reason: Access | SessionAccess | 'not-owner' | 'not-author',
    what: (typeof WHAT)[keyof typeof WHAT],
  ): Promise<never> {
    await this.log([refusalEntry(actor, action, target, reason)]);
    if (reason === 'not-owner')
      throw new RecordsError(
        403,
        'owner-only',
        'Only the therapist who ran this session or an admin can change its links.',
      );
    if (reason === 'not-author')
      throw new RecordsError(403, 'author-only', 'Only the note’s author or an admin can change it.');
    throw notFound(what);
  }

  private async refuseAdminOnly(actor: Actor, action: string, target: string | null): Promise<never> {
    await this.log([refusalEntry(actor, action, target, 'admin-only')]);
    throw new RecordsError(403, 'admin-only', 'Only an admin can do this.');
  }

  /** Writes one entry about the session, and one about each client it is about. */
  private async logForSession(
    actor: Actor,
    sessionId: string,
    action: string,
    detail: Record<string, unknown>,
    within?: Kysely<RecordsDatabase>,
  ): Promise<void> {
    await this.log(await sessionAuditEntries(within ?? this.db, actor, sessionId, action, detail), within);
  }

  private log(entries: readonly AuditEntry[], within?: Kysely<RecordsDatabase>): Promise<void> {
    return this.options.audit.recordMany(entries, within as Kysely<Database> | undefined);
  }
}

function notFound(what: string): RecordsError {
  return new RecordsError(404, 'not-found', `There is no such ${what}.`);
}
