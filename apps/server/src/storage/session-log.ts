/**
 * The session log: the append-only sequence of events of one live session, each with a global
 * sequence number. It is the single source of truth for the room, the replay and every export.
 * A device numbers what it sends (`clientSeq`); a resend after a reconnect finds its events
 * already logged and gets their sequence numbers back, so duplicates are harmless.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** A live session as stored. */
export interface LiveSession {
  readonly id: string;
  readonly therapistId: string | null;
  readonly title: string;
  readonly status: 'open' | 'closed';
  readonly startedAt: string;
  readonly endedAt: string | null;
  /** How many events the log holds (seqs are gap-free from 1). */
  readonly events: number;
  /** The code of the session's latest room (kept after a restart, so its join link can live again). */
  readonly roomCode: string | null;
}

/** What a reopened room needs of a log: the last clientSeq of each participant and the latest time. */
export interface LogTally {
  readonly participants: ReadonlyArray<{ readonly participant: string; readonly clientSeq: number }>;
  /** The latest session time logged, or null for an empty log. */
  readonly lastT: number | null;
}

/** One event a participant's device (or the room host) asks to log. */
export interface AppendInput {
  readonly participant: string;
  /** The sender's own running number for this event; unique per participant within a session. */
  readonly clientSeq: number;
  /** Seconds on the session clock. */
  readonly t: number;
  readonly type: string;
  readonly payload: unknown;
}

/** What the log answered for one appended event. */
export interface Appended {
  readonly participant: string;
  readonly clientSeq: number;
  readonly seq: number;
  /** True when the event had been logged before (a resend). */
  readonly duplicate: boolean;
}

/** An event read back from the log. */
export interface LoggedEvent extends AppendInput {
  readonly seq: number;
  readonly receivedAt: string;
}

/** A request the store refuses: unknown or closed session, malformed event. Nothing was written. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'closed' | 'invalid' | 'conflict',
  ) {
    super(message);
  }
}

/** Most events one append may carry, so one call cannot hold the writer for long. */
export const MAX_APPEND_BATCH = 5000;

/** Sessions and their logs. */
export class SessionLog {
  constructor(private readonly db: Kysely<Database>) {}

  /** Opens a new session. */
  async create(input: {
    id: string;
    title: string;
    therapistId?: string | null;
    startedAt: string;
  }): Promise<LiveSession> {
    if (!input.id || input.id.length > 64)
      throw new StoreError(`session id must be 1 to 64 characters, got: '${input.id}'`, 'invalid');
    const existing = await this.get(input.id);
    if (existing) throw new StoreError(`session ${input.id} exists already`, 'conflict');
    await this.db
      .insertInto('live_session')
      .values({
        id: input.id,
        title: input.title,
        therapist_id: input.therapistId ?? null,
        status: 'open',
        started_at: input.startedAt,
        ended_at: null,
        next_seq: 1,
        room_code: null,
      })
      .execute();
    return (await this.get(input.id)) as LiveSession;
  }

  /** The session with this id, or null. */
  async get(id: string): Promise<LiveSession | null> {
    const row = await this.db.selectFrom('live_session').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSession(row) : null;
  }

  /** Sessions, newest first, optionally only open or only closed ones, or only one therapist's. */
  async list(filter: { status?: 'open' | 'closed'; therapistId?: string } = {}): Promise<LiveSession[]> {
    let query = this.db.selectFrom('live_session').selectAll();
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.therapistId !== undefined) query = query.where('therapist_id', '=', filter.therapistId);
    const rows = await query.orderBy('started_at', 'desc').orderBy('id').execute();
    return rows.map(toSession);
  }

  /** Closes an open session; closing a closed one changes nothing. */
  async close(id: string, endedAt: string): Promise<LiveSession> {
    const session = await this.get(id);
    if (!session) throw new StoreError(`no session ${id}`, 'not-found');
    if (session.status === 'open') {
      await this.db
        .updateTable('live_session')
        .set({ status: 'closed', ended_at: endedAt })
        .where('id', '=', id)
        .execute();
    }
    return (await this.get(id)) as LiveSession;
  }

  /**
   * Appends events in one transaction, durable when the promise resolves. Events already logged
   * (same participant and clientSeq) are not written again; their original seq is returned.
   */
  async append(sessionId: string, events: readonly AppendInput[], receivedAt: string): Promise<Appended[]> {
    if (events.length > MAX_APPEND_BATCH) {
      throw new StoreError(`at most ${MAX_APPEND_BATCH} events per append, got: ${events.length}`, 'invalid');
    }
    events.forEach(validate);
    const seen = new Set<string>();
    for (const e of events) {
      const key = `${e.participant}\u0000${e.clientSeq}`;
      if (seen.has(key))
        throw new StoreError(`event ${e.participant}#${e.clientSeq} appears twice in one append`, 'invalid');
      seen.add(key);
    }
    if (events.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      const session = await trx
        .selectFrom('live_session')
        .select(['status', 'next_seq'])
        .where('id', '=', sessionId)
        .executeTakeFirst();
      if (!session) throw new StoreError(`no session ${sessionId}`, 'not-found');
      if (session.status !== 'open') throw new StoreError(`session ${sessionId} is closed`, 'closed');

      const already = new Map<string, number>();
      for (const participant of new Set(events.map((e) => e.participant))) {
        const mine = events.filter((e) => e.participant === participant).map((e) => e.clientSeq);
        for (let i = 0; i < mine.length; i += 500) {
          const rows = await trx
            .selectFrom('session_event')
            .select(['client_seq', 'seq'])
            .where('session_id', '=', sessionId)
            .where('participant', '=', participant)
            .where('client_seq', 'in', mine.slice(i, i + 500))
            .execute();
          for (const row of rows) already.set(`${participant}\u0000${row.client_seq}`, row.seq);
        }
      }
      const fresh = events.filter((e) => !already.has(`${e.participant}\u0000${e.clientSeq}`));
      // Taking the numbers by updating the session row also locks it (PostgreSQL), so two
      // servers appending to one session cannot hand out the same seq.
      const reserved = await trx
        .updateTable('live_session')
        .set((eb) => ({ next_seq: eb('next_seq', '+', fresh.length) }))
        .where('id', '=', sessionId)
        .returning('next_seq')
        .executeTakeFirstOrThrow();
      let seq = reserved.next_seq - fresh.length;
      const assigned = new Map<string, number>();
      const rows = fresh.map((e) => {
        const row = {
          session_id: sessionId,
          seq: seq++,
          participant: e.participant,
          client_seq: e.clientSeq,
          t: e.t,
          type: e.type,
          payload: JSON.stringify(e.payload ?? null),
          received_at: receivedAt,
        };
        assigned.set(`${e.participant}\u0000${e.clientSeq}`, row.seq);
        return row;
      });
      for (let i = 0; i < rows.length; i += 200) {
        await trx
          .insertInto('session_event')
          .values(rows.slice(i, i + 200))
          .execute();
      }
      return events.map((e) => {
        const key = `${e.participant}\u0000${e.clientSeq}`;
        const old = already.get(key);
        return old === undefined
          ? {
              participant: e.participant,
              clientSeq: e.clientSeq,
              seq: assigned.get(key) as number,
              duplicate: false,
            }
          : { participant: e.participant, clientSeq: e.clientSeq, seq: old, duplicate: true };
      });
    });
  }

  /** Notes the code of the room now open on a session, so a resumed room can keep it. */
  async setRoomCode(id: string, code: string | null): Promise<void> {
    await this.db.updateTable('live_session').set({ room_code: code }).where('id', '=', id).execute();
  }

  /** The highest clientSeq of each participant and the latest time in a session's log. */
  async tally(sessionId: string): Promise<LogTally> {
    const rows = await this.db
      .selectFrom('session_event')
      .select((eb) => ['participant', eb.fn.max('client_seq').as('client_seq'), eb.fn.max('t').as('t')])
      .where('session_id', '=', sessionId)
      .groupBy('participant')
      .execute();
    let lastT: number | null = null;
    for (const r of rows) lastT = Math.max(lastT ?? 0, Number(r.t));
    return {
      participants: rows.map((r) => ({ participant: r.participant, clientSeq: Number(r.client_seq) })),
      lastT,
    };
  }

  /** Events of a session in seq order, after `afterSeq` (exclusive), at most `limit` of them. */
  async read(sessionId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<LoggedEvent[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 100_000, 1_000_000));
    const rows = await this.db
      .selectFrom('session_event')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('seq', '>', options.afterSeq ?? 0)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      seq: r.seq,
      participant: r.participant,
      clientSeq: r.client_seq,
      t: r.t,
      type: r.type,
      payload: JSON.parse(r.payload) as unknown,
      receivedAt: r.received_at,
    }));
  }
}

function validate(e: AppendInput): void {
  const where = `event ${String(e.participant)}#${String(e.clientSeq)}`;
  if (typeof e.participant !== 'string' || e.participant.length === 0 || e.participant.length > 64) {
    throw new StoreError(`${where}: participant must be 1 to 64 characters`, 'invalid');
  }
  if (!Number.isSafeInteger(e.clientSeq) || e.clientSeq < 0 || e.clientSeq > 2_147_483_647) {
    throw new StoreError(`${where}: clientSeq must be a whole number from 0 to 2147483647`, 'invalid');
  }
  if (!Number.isFinite(e.t) || e.t < 0)
    throw new StoreError(`${where}: t must be a time in seconds ≥ 0, got: ${e.t}`, 'invalid');
  if (typeof e.type !== 'string' || e.type.length === 0 || e.type.length > 32) {
    throw new StoreError(`${where}: type must be 1 to 32 characters`, 'invalid');
  }
}

function toSession(row: Database['live_session']): LiveSession {
  return {
    id: row.id,
    therapistId: row.therapist_id,
    title: row.title,
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    events: Number(row.next_seq) - 1,
    roomCode: row.room_code,
  };
}
