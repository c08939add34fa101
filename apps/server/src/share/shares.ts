/**
 * Clips shared with a client's family. A therapist who reaches a session's record picks a span
 * of it and a note; the studio makes a link that lasts 1 to 90 days and plays only that span,
 * rendered through the instruments, with the note. Sharing needs the family consent of every
 * client heard in the session (all lanes sound in the clip), and that consent is checked again
 * each time the link is opened: withdrawn, the link stops for good.
 *
 * Access is the session record's (records/access.ts): a session the therapist may not reach is
 * `404 not-found`, as if it did not exist, and the attempt is audited. Every act writes one audit
 * entry for the session and one for each client it is about; entries hold ids, never the note.
 * The family's side (`open`, `clip`) has no account: it is audited with no actor, and whatever is
 * wrong with a link (unknown, expired, revoked, consent withdrawn) gets one and the same answer.
 */
import { randomUUID } from 'node:crypto';
import { buildTimeline, type LogEntry } from '@attune/engine';
import type { Kysely } from 'kysely';
import type { Audit, AuditEntry } from '../accounts/audit.ts';
import { clientAccess, sessionAccess } from '../records/access.ts';
import { auditEntry, refusalEntry, sessionAuditEntries } from '../records/audit-entries.ts';
import { RecordsError } from '../records/checks.ts';
import type { Actor } from '../records/records.ts';
import { type RecordsDatabase, recordsDb } from '../records/tables.ts';
import { linkedSessions, sessionClientIds } from '../records/views.ts';
import type { Database } from '../storage/index.ts';
import { type ClipFiles, removeClips } from './clips.ts';
import { checkNote, checkSpan, expiryOf } from './rules.ts';
import { type SharesDatabase, type ShareTables, sharesDb } from './tables.ts';
import { hashToken, newToken, TOKEN_PATTERN } from './tokens.ts';

type Row = ShareTables['share'];

/** A share as the therapist sees it (the link's token is shown once, when it is made). */
export interface ShareView {
  readonly id: string;
  readonly sessionId: string;
  readonly client: { readonly id: string; readonly displayName: string };
  readonly from: number;
  readonly to: number;
  readonly note: string;
  readonly showName: boolean;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  /** `active`, `expired`, `revoked` (by a therapist) or `consent-withdrawn`. */
  readonly state: 'active' | 'expired' | 'revoked' | 'consent-withdrawn';
}

/** What a family's link shows: the note, the clip's length, and at most the client's pseudonym. */
export interface SharedClip {
  readonly note: string;
  readonly duration: number;
  readonly expiresAt: string;
  readonly displayName?: string;
}

/** Whether a session's clips may be shared now, why not, and whose families they would be for. */
export interface Sharing {
  readonly allowed: boolean;
  readonly reason: string | null;
  readonly clients: ReadonlyArray<{ readonly id: string; readonly displayName: string }>;
}

/** A new share as the therapist asks for it. */
export interface NewShare {
  readonly from: number;
  readonly to: number;
  readonly note: string;
  readonly expiresInDays: number;
  /** The client whose family it is for; needed only when the session is about several. */
  readonly client?: string;
  /** Whether the family page shows the client's display name (default: no name at all). */
  readonly showName?: boolean;
}

/** Why a link does not open (all answered alike). */
export type LinkRefusal = 'unknown' | 'expired' | 'revoked' | 'consent-withdrawn';

/** A link that did not open. */
export class LinkGone extends Error {
  constructor(readonly reason: LinkRefusal) {
    super('This link has expired or was withdrawn.');
  }
}

/** What the shares need beside the database. */
export interface SharesOptions {
  readonly audit: Audit;
  /** Wall-clock time as ISO text. */
  readonly wallClock: () => string;
  readonly clips: ClipFiles;
  /** Whether a room runs for a session now. */
  readonly isLive: (session: string) => boolean;
  /** Where a clip that could not be rendered ahead is reported (it is tried again on first play). */
  readonly onError?: (error: unknown, where: string) => void;
}

/** The studio's shared clips. */
export class Shares {
  private readonly db: Kysely<SharesDatabase>;
  private readonly records: Kysely<RecordsDatabase>;

  constructor(
    db: Kysely<Database>,
    private readonly options: SharesOptions,
  ) {
    this.db = sharesDb(db);
    this.records = recordsDb(db);
  }

  /** Makes a share of a span of a session; answers it with the link's token (shown this once). */
  async create(
    actor: Actor,
    sessionId: string,
    input: NewShare,
  ): Promise<{ share: ShareView; token: string }> {
    await this.mayReachSession(actor, sessionId, 'share-create');
    const sharing = await this.sharing(sessionId);
    if (sharing.refusal?.code === 'no-family-consent')
      await this.log([refusalEntry(actor, 'share-create', sessionId, 'no-consent')]);
    if (sharing.refusal) throw sharing.refusal;
    const clients = sharing.clients.map((c) => c.id);
    const client = input.client ?? (clients.length === 1 ? clients[0] : undefined);
    if (client === undefined)
      throw new RecordsError(400, 'client-needed', 'Say which client’s family the clip is for (client).');
    if (!clients.includes(client))
      throw new RecordsError(400, 'client-not-in-session', 'That client is not linked to this session.');
    const span = checkSpan(input.from, input.to, await this.recordingEnd(sessionId));
    const note = checkNote(input.note);
    const now = this.options.wallClock();
    const { token, hash } = newToken();
    const row: Row = {
      id: randomUUID(),
      token_hash: hash,
      session_id: sessionId,
      client_id: client,
      span_from: span.from,
      span_to: span.to,
      note,
      show_name: input.showName ? 1 : 0,
      created_by: actor.user.id,
      created_at: now,
      expires_at: expiryOf(now, input.expiresInDays),
      revoked_at: null,
      revoked_reason: null,
      clip_path: null,
    };
    const entries = await this.sessionEntries(actor, sessionId, 'share-created', {
      share: row.id,
      from: span.from,
      to: span.to,
      expiresAt: row.expires_at,
    });
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('share').values(row).execute();
      await this.log(entries, trx);
    });
    // Rendered now, in the studio's one render queue, so the family's first play starts at once.
    this.rendered(row).catch((error: unknown) =>
      this.options.onError?.(error, `rendering shared clip ${row.id}`),
    );
    return { share: (await this.views([row]))[0] as ShareView, token };
  }

  /**
   * Whether a clip of a session may be shared now, and with whose families: its clients (by
   * display name), or the refusal a new share would get (still running, linked to no client, or
   * a client heard in it has not consented).
   */
  async sharing(sessionId: string): Promise<{
    clients: Array<{ id: string; displayName: string }>;
    refusal: RecordsError | null;
  }> {
    const ids = await sessionClientIds(this.records, sessionId);
    const rows =
      ids.length === 0
        ? []
        : await this.db.selectFrom('client').select(['id', 'display_name']).where('id', 'in', ids).execute();
    const clients = rows.map((r) => ({ id: r.id, displayName: r.display_name }));
    if (this.options.isLive(sessionId))
      return {
        clients,
        refusal: new RecordsError(
          409,
          'session-live',
          'This session is still running: end it before sharing a clip.',
        ),
      };
    if (ids.length === 0)
      return {
        clients,
        refusal: new RecordsError(
          409,
          'no-client',
          'Link this session to its client first: sharing with family needs the client’s consent.',
        ),
      };
    const refusing = await this.withoutConsent(ids);
    if (refusing.length === 0) return { clients, refusal: null };
    return {
      clients,
      refusal: new RecordsError(
        403,
        'no-family-consent',
        ids.length === 1
          ? `${refusing[0]}’s record does not allow sharing with family. Change the consent on their record first, if the family has agreed.`
          : `Everyone heard in this session must allow sharing with family, and ${refusing.join(', ')} ${refusing.length === 1 ? 'does' : 'do'} not: change the consent on their record first, if the family has agreed.`,
      ),
    };
  }

  /** The shares of a session, newest first. */
  async listForSession(actor: Actor, sessionId: string): Promise<{ shares: ShareView[]; sharing: Sharing }> {
    await this.mayReachSession(actor, sessionId, 'share-list');
    await this.stopWithoutConsent(sessionId);
    await this.sweepExpired();
    const rows = await this.db
      .selectFrom('share')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    await this.log(await this.sessionEntries(actor, sessionId, 'share-listed', { shares: rows.length }));
    const { clients, refusal } = await this.sharing(sessionId);
    return {
      shares: await this.views(rows),
      sharing: { allowed: refusal === null, reason: refusal?.message ?? null, clients },
    };
  }

  /** The shares for a client's family, newest first (the client's own record must be reachable). */
  async listForClient(actor: Actor, clientId: string): Promise<ShareView[]> {
    const access = await clientAccess(this.records, actor.user, clientId);
    if (access !== 'ok') await this.refuse(actor, 'share-list', clientId, access, 'client');
    const sessions = await this.db
      .selectFrom('share')
      .select('session_id')
      .distinct()
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .execute();
    for (const { session_id } of sessions) await this.stopWithoutConsent(session_id);
    const rows = await this.db
      .selectFrom('share')
      .selectAll()
      .where('client_id', '=', clientId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    await this.log([auditEntry(actor, 'share-listed', clientId, { shares: rows.length })]);
    return this.views(rows);
  }

  /** Stops a link for good and deletes its clip (anyone who reaches the session may). */
  async revoke(actor: Actor, shareId: string): Promise<ShareView> {
    const row = await this.db.selectFrom('share').selectAll().where('id', '=', shareId).executeTakeFirst();
    if (!row) return this.refuse(actor, 'share-revoke', shareId, 'missing', 'share');
    const access = await sessionAccess(this.records, actor.user, row.session_id);
    if (access === 'missing' || access === 'not-assigned')
      return this.refuse(actor, 'share-revoke', shareId, access, 'share');
    const revoked =
      row.revoked_at === null ? { revoked_at: this.options.wallClock(), revoked_reason: 'revoked' } : {};
    const entries = await this.sessionEntries(actor, row.session_id, 'share-revoked', { share: shareId });
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('share')
        .set({ ...revoked, clip_path: null })
        .where('id', '=', shareId)
        .execute();
      await this.log(entries, trx);
    });
    removeClips([row.clip_path, this.options.clips.pathOf(shareId)]);
    return (await this.views([{ ...row, ...revoked, clip_path: null }]))[0] as ShareView;
  }

  /** What the family's page shows for a link, or {@link LinkGone}. */
  async open(token: string, address: string | null): Promise<SharedClip> {
    const row = await this.live(token, address, 'share-open');
    await this.logPublic(row, 'share-opened', address);
    const shown: SharedClip = {
      note: row.note,
      duration: row.span_to - row.span_from,
      expiresAt: row.expires_at,
    };
    if (!row.show_name) return shown;
    const client = await this.db
      .selectFrom('client')
      .select('display_name')
      .where('id', '=', row.client_id)
      .executeTakeFirst();
    return client ? { ...shown, displayName: client.display_name } : shown;
  }

  /**
   * The rendered clip of a link (rendered on first play), or {@link LinkGone}; `audited` false
   * for a browser's follow-up range requests, so one play is one entry.
   */
  async clip(token: string, address: string | null, audited: boolean): Promise<string> {
    const row = await this.live(token, address, 'share-play');
    const path = await this.rendered(row);
    if (path === null) throw new LinkGone('revoked');
    if (audited) await this.logPublic(row, 'share-played', address);
    return path;
  }

  /**
   * The path of a share's clip, rendered if it was not yet; null (and no file left behind) when
   * the share was stopped or erased while it rendered.
   */
  private async rendered(row: Row): Promise<string | null> {
    const path = await this.options.clips.ensure({
      id: row.id,
      session: row.session_id,
      from: row.span_from,
      to: row.span_to,
    });
    const still = await this.db
      .selectFrom('share')
      .select(['revoked_at', 'clip_path'])
      .where('id', '=', row.id)
      .executeTakeFirst();
    if (!still || still.revoked_at !== null) {
      removeClips([path]);
      return null;
    }
    if (still.clip_path !== path)
      await this.db.updateTable('share').set({ clip_path: path }).where('id', '=', row.id).execute();
    return path;
  }

  /**
   * The share of a token if its link works now; otherwise the refusal is audited, a link whose
   * consent was withdrawn is revoked for good, and {@link LinkGone} is thrown.
   */
  private async live(token: string, address: string | null, action: string): Promise<Row> {
    await this.sweepExpired();
    const row = TOKEN_PATTERN.test(token)
      ? await this.db
          .selectFrom('share')
          .selectAll()
          .where('token_hash', '=', hashToken(token))
          .executeTakeFirst()
      : undefined;
    const now = this.options.wallClock();
    let reason: LinkRefusal | null = null;
    if (!row) reason = 'unknown';
    else if (row.revoked_at !== null)
      reason = row.revoked_reason === 'consent-withdrawn' ? 'consent-withdrawn' : 'revoked';
    else if (row.expires_at <= now) reason = 'expired';
    else if ((await this.stopWithoutConsent(row.session_id)).includes(row.id)) reason = 'consent-withdrawn';
    if (reason === null && row) return row;
    if (row) removeClips([row.clip_path, this.options.clips.pathOf(row.id)]);
    if (row && reason === 'expired' && row.clip_path !== null)
      await this.db.updateTable('share').set({ clip_path: null }).where('id', '=', row.id).execute();
    await this.options.audit.record({
      actor: null,
      action: `${action}-refused`,
      target: row?.session_id ?? null,
      address,
      detail: row ? { reason, share: row.id } : { reason },
    });
    throw new LinkGone(reason ?? 'unknown');
  }

  /**
   * Stops for good the links of a session its clients' consent no longer allows: every one when a
   * client heard in it has withdrawn their family consent (or none is linked any more), and those
   * for a client no longer linked to it. Given again, consent brings none of them back. Returns
   * the ids of the links stopped.
   */
  private async stopWithoutConsent(sessionId: string): Promise<string[]> {
    const clients = await sessionClientIds(this.records, sessionId);
    const all = clients.length === 0 || (await this.withoutConsent(clients)).length > 0;
    let query = this.db
      .selectFrom('share')
      .select(['id', 'clip_path'])
      .where('session_id', '=', sessionId)
      .where('revoked_at', 'is', null);
    if (!all) query = query.where('client_id', 'not in', clients);
    const rows = await query.execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    await this.db
      .updateTable('share')
      .set({ revoked_at: this.options.wallClock(), revoked_reason: 'consent-withdrawn', clip_path: null })
      .where('id', 'in', ids)
      .execute();
    removeClips(rows.flatMap((r) => [r.clip_path, this.options.clips.pathOf(r.id)]));
    await this.options.audit.recordMany(
      ids.map((id) => ({
        actor: null,
        action: 'share-stopped',
        target: sessionId,
        detail: { share: id, reason: 'consent-withdrawn' },
      })),
    );
    return ids;
  }

  /** Deletes the clips of links that have expired, or were stopped with a client's consent, since last played. */
  private async sweepExpired(): Promise<void> {
    const rows = await this.db
      .selectFrom('share')
      .select(['id', 'clip_path'])
      .where('clip_path', 'is not', null)
      .where((eb) =>
        eb.or([eb('expires_at', '<=', this.options.wallClock()), eb('revoked_at', 'is not', null)]),
      )
      .execute();
    if (rows.length === 0) return;
    await this.db
      .updateTable('share')
      .set({ clip_path: null })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    removeClips(rows.map((r) => r.clip_path));
  }

  /** Display names of the clients among `ids` whose record does not allow sharing with family. */
  private async withoutConsent(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('client')
      .select(['id', 'display_name', 'consent_family'])
      .where('id', 'in', ids)
      .execute();
    const consenting = new Set(rows.filter((r) => Number(r.consent_family) === 1).map((r) => r.id));
    const names = new Map(rows.map((r) => [r.id, r.display_name]));
    return ids
      .filter((id) => !consenting.has(id))
      .map((id) => names.get(id) ?? 'a client no longer on record');
  }

  /** The end of what was played in a session, in session seconds (null when nothing was). */
  private async recordingEnd(sessionId: string): Promise<number | null> {
    const rows = await this.db
      .selectFrom('session_event')
      .select(['seq', 'participant', 't', 'type', 'payload'])
      .where('session_id', '=', sessionId)
      .orderBy('seq')
      .execute();
    const entries: LogEntry[] = rows.map((r) => ({
      seq: r.seq,
      participant: r.participant,
      t: Number(r.t),
      type: r.type,
      payload: JSON.parse(r.payload) as unknown,
    }));
    return buildTimeline(entries).end;
  }

  private async views(rows: readonly Row[]): Promise<ShareView[]> {
    const ids = [...new Set(rows.map((r) => r.client_id))];
    const clients =
      ids.length === 0
        ? []
        : await this.db.selectFrom('client').select(['id', 'display_name']).where('id', 'in', ids).execute();
    const names = new Map(clients.map((c) => [c.id, c.display_name]));
    const now = this.options.wallClock();
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      client: { id: r.client_id, displayName: names.get(r.client_id) ?? '' },
      from: Number(r.span_from),
      to: Number(r.span_to),
      note: r.note,
      showName: Number(r.show_name) === 1,
      createdBy: r.created_by,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
      state:
        r.revoked_at !== null
          ? r.revoked_reason === 'consent-withdrawn'
            ? 'consent-withdrawn'
            : 'revoked'
          : r.expires_at <= now
            ? 'expired'
            : 'active',
    }));
  }

  private async mayReachSession(actor: Actor, id: string, action: string): Promise<void> {
    const access = await sessionAccess(this.records, actor.user, id);
    if (access === 'missing' || access === 'not-assigned')
      await this.refuse(actor, action, id, access, 'session');
  }

  /** Logs a refused attempt and throws the answer of a record that does not exist. */
  private async refuse(
    actor: Actor,
    action: string,
    target: string,
    reason: string,
    what: string,
  ): Promise<never> {
    await this.log([refusalEntry(actor, action, target, reason)]);
    throw new RecordsError(404, 'not-found', `There is no such ${what}.`);
  }

  /** One entry about the session, and one about each client it is about. */
  private sessionEntries(
    actor: Actor,
    sessionId: string,
    action: string,
    detail: Record<string, unknown>,
  ): Promise<AuditEntry[]> {
    return sessionAuditEntries(this.records, actor, sessionId, action, detail);
  }

  /** A family's act, by no account: about the session and the client the share is for. */
  private logPublic(row: Row, action: string, address: string | null): Promise<void> {
    const detail = { share: row.id };
    return this.options.audit.recordMany([
      { actor: null, action, target: row.session_id, address, detail },
      { actor: null, action, target: row.client_id, address, detail: { ...detail, session: row.session_id } },
    ]);
  }

  private log(entries: readonly AuditEntry[], within?: Kysely<SharesDatabase>): Promise<void> {
    return this.options.audit.recordMany(entries, within as Kysely<Database> | undefined);
  }
}

/**
 * Ends the shares an erasure of client `clientId` takes with it (theirs, and every share of a
 * session they are linked to: each clip holds every lane), in the erasure's transaction; returns
 * their clip files, to remove once it has committed.
 */
export async function dropSharesOf(
  db: Kysely<RecordsDatabase>,
  clientId: string,
  sessionIds: readonly string[],
): Promise<string[]> {
  const shares = db.withTables<ShareTables>();
  const rows = await shares
    .selectFrom('share')
    .select(['id', 'clip_path'])
    .where((eb) =>
      sessionIds.length === 0
        ? eb('client_id', '=', clientId)
        : eb.or([eb('client_id', '=', clientId), eb('session_id', 'in', sessionIds)]),
    )
    .execute();
  if (rows.length > 0)
    await shares
      .deleteFrom('share')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  return rows.flatMap((r) => (r.clip_path ? [r.clip_path] : []));
}

/** A share as a client's export lists it (the link's token was never kept). */
export interface ExportedShare {
  readonly id: string;
  readonly session: string;
  readonly from: number;
  readonly to: number;
  readonly note: string;
  readonly showName: boolean;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
}

/** The shares made for a client's family, oldest first, for their export. */
export async function exportedShares(
  db: Kysely<RecordsDatabase>,
  clientId: string,
): Promise<ExportedShare[]> {
  const rows = await db
    .withTables<ShareTables>()
    .selectFrom('share')
    .selectAll()
    .where('client_id', '=', clientId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    session: r.session_id,
    from: Number(r.span_from),
    to: Number(r.span_to),
    note: r.note,
    showName: Number(r.show_name) === 1,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  }));
}

/**
 * Stops for good, in the caller's transaction, every link of the sessions a client is heard in
 * (directly or through a group): what withdrawing their family consent does at once, so consent
 * given again later brings none back. Their clips are deleted at the next request for a link or
 * a list. Returns how many links stopped.
 */
export async function stopSharesOfClient(
  db: Kysely<RecordsDatabase>,
  clientId: string,
  at: string,
): Promise<number> {
  const sessions = (await linkedSessions(db, clientId)).map((s) => s.id);
  if (sessions.length === 0) return 0;
  const stopped = await db
    .withTables<ShareTables>()
    .updateTable('share')
    .set({ revoked_at: at, revoked_reason: 'consent-withdrawn' })
    .where('session_id', 'in', sessions)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(stopped.numUpdatedRows);
}
