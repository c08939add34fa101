/**
 * The session log: the append-only sequence of events of one live session, each with a global
 * sequence number. It is the single source of truth for the room, the replay and every export.
 * A device numbers what it sends (`clientSeq`); a resend after a reconnect finds its events
 * already logged and gets their sequence numbers back, so duplicates are harmless.
 */
import type { Kysely, Transaction } from 'kysely';
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

/** One session's events in a multi-session append ({@link SessionLog.appendAll}). */
export interface AppendRequest {
  readonly session: string;
  readonly events: readonly AppendInput[];
  /** Wall-clock time as ISO text, stamped on these events as the time they reached the studio. */
  readonly receivedAt: string;
}

/** What became of one request: its events' places in the log, or why nothing of it was written. */
export type AppendOutcome =
  | { readonly ok: true; readonly appended: Appended[] }
  | { readonly ok: false; readonly error: StoreError };

/** An event read back from the log. */
export interface LoggedEvent extends AppendInput {
  readonly seq: number;
  readonly receivedAt: string;
}

/**
 * A request the store refuses: unknown or closed session, malformed event, or a writer that cannot
 * take it now (`unavailable`: stopped, restarting or closed; send it again later). Nothing of the
 * request was written.
 */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'closed' | 'invalid' | 'conflict' | 'unavailable',
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
    const [outcome] = await this.appendAll([{ session: sessionId, events, receivedAt }]);
    if (!outcome?.ok) throw outcome?.error ?? new StoreError('no answer for the append', 'invalid');
    return outcome.appended;
  }

  /**
   * Appends the events of many requests (of one session or many) in ONE transaction, durable when
   * the promise resolves: the group commit of the studio's journal. Each request is answered on
   * its own, in the order given: a request the log refuses (malformed, unknown or closed session)
   * writes nothing and leaves the others as they are. The refusals are found before anything is
   * written (events checked first, sessions looked up with their rows locked), so no refusal can
   * abort the transaction; only a failure of the database itself rejects the whole call, and
   * then nothing of it was written.
   *
   * Within a session, events are numbered in the order of the requests and of their events. An
   * event already logged, or given by an earlier request of the same call (a resend racing its
   * original), is a duplicate and gets the first one's seq.
   */
  async appendAll(requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    const outcomes: Array<AppendOutcome | undefined> = requests.map((r) => {
      const refused = refusal(r);
      if (refused) return { ok: false, error: refused };
      return r.events.length === 0 ? { ok: true, appended: [] } : undefined;
    });
    // The requests to write, by session, in order.
    const bySession = new Map<string, number[]>();
    outcomes.forEach((o, i) => {
      if (o !== undefined) return;
      const session = (requests[i] as AppendRequest).session;
      const list = bySession.get(session) ?? [];
      list.push(i);
      bySession.set(session, list);
    });
    if (bySession.size > 0) {
      await this.db.transaction().execute(async (trx) => {
        const found = await lockSessions(trx, [...bySession.keys()]);
        const rows: Array<Database['session_event']> = [];
        const advanced = new Map<string, number>();
        for (const [session, indexes] of bySession) {
          const row = found.get(session);
          if (row?.status !== 'open') {
            const error = row
              ? new StoreError(`session ${session} is closed`, 'closed')
              : new StoreError(`no session ${session}`, 'not-found');
            for (const i of indexes) outcomes[i] = { ok: false, error };
            continue;
          }
          const mine = indexes.map((i) => requests[i] as AppendRequest);
          const seqs = await logged(
            trx,
            session,
            mine.flatMap((r) => r.events),
          );
          let next = Number(row.next_seq);
          mine.forEach((request, k) => {
            const appended = request.events.map((e): Appended => {
              const key = keyOf(e);
              const old = seqs.get(key);
              if (old !== undefined)
                return { participant: e.participant, clientSeq: e.clientSeq, seq: old, duplicate: true };
              const seq = next++;
              seqs.set(key, seq);
              rows.push({
                session_id: session,
                seq,
                participant: e.participant,
                client_seq: e.clientSeq,
                t: e.t,
                type: e.type,
                payload: JSON.stringify(e.payload ?? null),
                received_at: request.receivedAt,
              });
              return { participant: e.participant, clientSeq: e.clientSeq, seq, duplicate: false };
            });
            outcomes[indexes[k] as number] = { ok: true, appended };
          });
          if (next !== row.next_seq) advanced.set(session, next);
        }
        await advance(trx, advanced);
        for (let i = 0; i < rows.length; i += INSERT_ROWS)
          await trx
            .insertInto('session_event')
            .values(rows.slice(i, i + INSERT_ROWS))
            .execute();
      });
    }
    return outcomes as AppendOutcome[];
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

/** Rows inserted per statement (8 values each, well under either database's limit). */
const INSERT_ROWS = 200;
/** Values per `in (...)` list. */
const IN_LIST = 500;

const keyOf = (e: { participant: string; clientSeq: number }): string =>
  `${e.participant}\u0000${e.clientSeq}`;

/** Why the log refuses a request before looking at the database, or null. */
function refusal(request: AppendRequest): StoreError | null {
  const { events } = request;
  if (events.length > MAX_APPEND_BATCH)
    return new StoreError(`at most ${MAX_APPEND_BATCH} events per append, got: ${events.length}`, 'invalid');
  const seen = new Set<string>();
  for (const e of events) {
    try {
      validate(e);
    } catch (error) {
      if (error instanceof StoreError) return error;
      throw error;
    }
    const key = keyOf(e);
    if (seen.has(key))
      return new StoreError(`event ${e.participant}#${e.clientSeq} appears twice in one append`, 'invalid');
    seen.add(key);
  }
  return null;
}

/**
 * The sessions' status and next seq, their rows locked for the rest of the transaction: the
 * statement is an update, so PostgreSQL holds the rows (two servers appending to one session
 * wait for each other rather than hand out the same seq or race to insert one event twice) and
 * SQLite takes its write lock at once (no read-to-write upgrade to fail later).
 */
async function lockSessions(
  trx: Transaction<Database>,
  ids: readonly string[],
): Promise<Map<string, { status: 'open' | 'closed'; next_seq: number }>> {
  const found = new Map<string, { status: 'open' | 'closed'; next_seq: number }>();
  for (let i = 0; i < ids.length; i += IN_LIST) {
    const rows = await trx
      .updateTable('live_session')
      .set((eb) => ({ next_seq: eb.ref('next_seq') }))
      .where('id', 'in', ids.slice(i, i + IN_LIST))
      .returning(['id', 'status', 'next_seq'])
      .execute();
    for (const row of rows) found.set(row.id, { status: row.status, next_seq: Number(row.next_seq) });
  }
  return found;
}

/** Sets the sessions' next seq, many in one statement. */
async function advance(trx: Transaction<Database>, next: ReadonlyMap<string, number>): Promise<void> {
  const all = [...next];
  for (let i = 0; i < all.length; i += IN_LIST / 2) {
    const part = all.slice(i, i + IN_LIST / 2);
    await trx
      .updateTable('live_session')
      .set((eb) => {
        const [first, ...rest] = part as [[string, number], ...Array<[string, number]>];
        let when = eb.case().when('id', '=', first[0]).then(first[1]);
        for (const [id, seq] of rest) when = when.when('id', '=', id).then(seq);
        return { next_seq: when.else(eb.ref('next_seq')).end() };
      })
      .where(
        'id',
        'in',
        part.map(([id]) => id),
      )
      .execute();
  }
}

/**
 * The seqs of those of `events` a session's log holds already, by participant and clientSeq: one
 * query per session (every participant and clientSeq asked together, the pairs not asked for
 * dropped here), since a statement costs far more than the index probes it makes.
 */
async function logged(
  trx: Transaction<Database>,
  session: string,
  events: readonly AppendInput[],
): Promise<Map<string, number>> {
  const wanted = new Set(events.map(keyOf));
  const participants = [...new Set(events.map((e) => e.participant))];
  const clientSeqs = [...new Set(events.map((e) => e.clientSeq))];
  const seqs = new Map<string, number>();
  for (let p = 0; p < participants.length; p += IN_LIST) {
    for (let c = 0; c < clientSeqs.length; c += IN_LIST) {
      const rows = await trx
        .selectFrom('session_event')
        .select(['participant', 'client_seq', 'seq'])
        .where('session_id', '=', session)
        .where('participant', 'in', participants.slice(p, p + IN_LIST))
        .where('client_seq', 'in', clientSeqs.slice(c, c + IN_LIST))
        .execute();
      for (const row of rows) {
        const key = keyOf({ participant: row.participant, clientSeq: row.client_seq });
        if (wanted.has(key)) seqs.set(key, row.seq);
      }
    }
  }
  return seqs;
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
