/**
 * The room's writer to the session log. Events recorded in one turn of the event loop (the
 * companion's notes of a tick, a burst of resends) go to the log as one request, and each event's
 * promise resolves only once the transaction holding it is durable. A room does not wait for one
 * request to be written before sending the next: the studio's journal gathers the requests of
 * every room that arrive while it writes into its next transaction (the group commit across
 * rooms, `storage/journal.ts`), and keeps each session's requests in order.
 */
import type { Appended, AppendInput, LogWriter } from '../storage/index.ts';

export type { LogWriter } from '../storage/index.ts';

/** Most events in one request (the log takes at most 5000). */
const REQUEST = 1000;

interface Waiting {
  readonly input: AppendInput;
  readonly settle: Array<{ resolve: (a: Appended) => void; reject: (e: unknown) => void }>;
}

/** Appends one session's events to its log, a turn's worth at a time, in order. */
export class Recorder {
  private turn: Waiting[] | null = null;
  private readonly inTurn = new Map<string, Waiting>();
  private readonly writing = new Set<Promise<void>>();

  /**
   * `log` must keep the order of the appends it is given for a session: the journal does, and so
   * does a `SessionLog` on SQLite (one connection, its transactions in turn).
   */
  constructor(
    private readonly log: LogWriter,
    private readonly session: string,
    private readonly receivedAt: () => string,
  ) {}

  /** Logs one event; resolves with its seq once durable, rejects when the store refused it. */
  record(input: AppendInput): Promise<Appended> {
    return new Promise((resolve, reject) => {
      const key = `${input.participant}\u0000${input.clientSeq}`;
      // The same event twice in one turn (a resend racing its original) is sent once.
      const same = this.inTurn.get(key);
      if (same) {
        same.settle.push({ resolve, reject });
        return;
      }
      if (this.turn === null) {
        this.turn = [];
        queueMicrotask(() => this.send());
      }
      const waiting: Waiting = { input, settle: [{ resolve, reject }] };
      this.turn.push(waiting);
      this.inTurn.set(key, waiting);
    });
  }

  /** Resolves when everything recorded so far has been written (or refused). */
  async idle(): Promise<void> {
    while (this.turn !== null || this.writing.size > 0) {
      if (this.turn !== null) await Promise.resolve();
      else await Promise.all(this.writing);
    }
  }

  private send(): void {
    const turn = this.turn ?? [];
    this.turn = null;
    this.inTurn.clear();
    for (let i = 0; i < turn.length; i += REQUEST) {
      const written = this.write(turn.slice(i, i + REQUEST)).finally(() => this.writing.delete(written));
      this.writing.add(written);
    }
  }

  private async write(batch: readonly Waiting[]): Promise<void> {
    try {
      const appended = await this.log.append(
        this.session,
        batch.map((w) => w.input),
        this.receivedAt(),
      );
      batch.forEach((w, i) => {
        const a = appended[i] as Appended;
        // The first copy is the event; any copy that joined it in the turn is a resend.
        w.settle.forEach((s, k) => {
          s.resolve(k === 0 ? a : { ...a, duplicate: true });
        });
      });
    } catch (error) {
      for (const w of batch) for (const s of w.settle) s.reject(error);
    }
  }
}
