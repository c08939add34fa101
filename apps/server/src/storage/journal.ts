/**
 * The studio's journal: one writer of session logs shared by every room. Appends that arrive
 * while a transaction is being written are gathered and committed together in the next one (a
 * group commit across sessions), so two hundred busy rooms cost one durable write per batch
 * rather than one per room per batch. Each caller's promise resolves only once the transaction
 * holding its events is durable, with the events' places in the log; a request the log refuses
 * (closed or unknown session, malformed event) is refused alone, the others of its transaction
 * are written (see {@link SessionLog.appendAll}). One transaction is in flight at a time, so the
 * events of a session are logged in the order they were appended.
 *
 * The journal does not know where its transactions run: on SQLite a thread of its own writes them
 * (`journal-thread.ts`), so a disk sync never blocks the event loop that relays notes and plans
 * the companion; on PostgreSQL the pool writes them, asynchronously already.
 */
import {
  type Appended,
  type AppendInput,
  type AppendOutcome,
  type AppendRequest,
  MAX_APPEND_BATCH,
  StoreError,
} from './session-log.ts';

/** What a room needs of its log: `SessionLog.append` or, in a studio, the journal's. */
export interface LogWriter {
  append(sessionId: string, events: readonly AppendInput[], receivedAt: string): Promise<Appended[]>;
}

/** Writes the requests of one batch in one transaction: `SessionLog.appendAll`, here or in a thread. */
export type BatchWriter = (requests: readonly AppendRequest[]) => Promise<AppendOutcome[]>;

/** What the journal has written since it opened. */
export interface JournalTally {
  /** Transactions committed (or failed). */
  readonly transactions: number;
  /** Requests answered, and the events they carried. */
  readonly requests: number;
  readonly events: number;
}

interface Waiting {
  readonly request: AppendRequest;
  readonly resolve: (appended: Appended[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Most events in one transaction; a request is never split, so one may carry more. */
export const JOURNAL_BATCH = MAX_APPEND_BATCH;

/** One writer for every session's log, committing what arrives together in one transaction. */
export class Journal implements LogWriter {
  private queue: Waiting[] = [];
  private writing: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private tallied = { transactions: 0, requests: 0, events: 0 };

  constructor(private readonly write: BatchWriter) {}

  /**
   * Appends events to a session's log; resolves with their places once durable, rejects with a
   * {@link StoreError} when the log refused them or the store could not write (nothing of them
   * was written then, or nothing acknowledged: a resend is harmless).
   */
  append(sessionId: string, events: readonly AppendInput[], receivedAt: string): Promise<Appended[]> {
    if (this.closing)
      return Promise.reject(new StoreError('the store is closing: nothing more is written', 'unavailable'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { session: sessionId, events, receivedAt }, resolve, reject });
      if (this.writing === null) this.writing = this.drain();
    });
  }

  /** Resolves once everything appended so far has been written (or refused). */
  async flush(): Promise<void> {
    while (this.writing !== null) await this.writing;
  }

  /** Writes what was appended before the call, then refuses any more. */
  close(): Promise<void> {
    this.closing ??= this.flush();
    return this.closing;
  }

  /** Transactions, requests and events written so far. */
  tally(): JournalTally {
    return { ...this.tallied };
  }

  private async drain(): Promise<void> {
    // The first transaction after a quiet spell waits for the end of this turn of the event loop,
    // so messages that arrived together (many rooms' plays read from one poll) share it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      let events = 0;
      let take = 0;
      while (take < this.queue.length && (take === 0 || events < JOURNAL_BATCH)) {
        const next = (this.queue[take] as Waiting).request.events.length;
        if (take > 0 && events + next > JOURNAL_BATCH) break;
        events += next;
        take++;
      }
      const batch = this.queue.splice(0, take);
      this.tallied.transactions++;
      try {
        const outcomes = await this.write(batch.map((w) => w.request));
        batch.forEach((w, i) => {
          const outcome = outcomes[i];
          if (outcome?.ok) w.resolve(outcome.appended);
          else
            w.reject(
              outcome?.error ?? new StoreError('the store gave no answer for this append', 'unavailable'),
            );
        });
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
      this.tallied.requests += batch.length;
      this.tallied.events += events;
    }
    this.writing = null;
  }
}
