/**
 * The room's writer to the session log. Events that arrive while a write is under way are gathered
 * and written together in the next transaction (a group commit), so a busy room costs one durable
 * write per batch rather than one per note, and each event's promise resolves only once the
 * transaction holding it is durable. Events of one batch keep their arrival order.
 */
import type { Appended, AppendInput } from '../storage/index.ts';

/** What the recorder needs of the store: `SessionLog.append`. */
export interface LogWriter {
  append(sessionId: string, events: readonly AppendInput[], receivedAt: string): Promise<Appended[]>;
}

/** Most events written in one transaction (the store's own limit is 5000). */
const BATCH = 1000;

interface Waiting {
  readonly input: AppendInput;
  readonly settle: Array<{ resolve: (a: Appended) => void; reject: (e: unknown) => void }>;
}

/** Appends events to one session's log in batches, in order. */
export class Recorder {
  private queue: Waiting[] = [];
  private queued = new Map<string, Waiting>();
  private writing: Promise<void> | null = null;

  constructor(
    private readonly log: LogWriter,
    private readonly session: string,
    private readonly receivedAt: () => string,
  ) {}

  /** Logs one event; resolves with its seq once durable, rejects when the store refused the batch. */
  record(input: AppendInput): Promise<Appended> {
    return new Promise((resolve, reject) => {
      const key = `${input.participant}\u0000${input.clientSeq}`;
      // The same event twice in one batch (a resend racing its original) is written once.
      const same = this.queued.get(key);
      if (same) {
        same.settle.push({ resolve, reject });
        return;
      }
      const waiting: Waiting = { input, settle: [{ resolve, reject }] };
      this.queue.push(waiting);
      this.queued.set(key, waiting);
      if (this.writing === null) this.writing = this.drain();
    });
  }

  /** Resolves when everything recorded so far has been written (or refused). */
  async idle(): Promise<void> {
    while (this.writing !== null) await this.writing;
  }

  private async drain(): Promise<void> {
    // Let the messages that arrived in the same turn join the first batch.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH);
      for (const w of batch) this.queued.delete(`${w.input.participant}\u0000${w.input.clientSeq}`);
      try {
        const appended = await this.log.append(
          this.session,
          batch.map((w) => w.input),
          this.receivedAt(),
        );
        batch.forEach((w, i) => {
          const a = appended[i] as Appended;
          // The first copy is the event; any copy that joined it in the batch is a resend.
          w.settle.forEach((s, k) => {
            s.resolve(k === 0 ? a : { ...a, duplicate: true });
          });
        });
      } catch (error) {
        for (const w of batch) for (const s of w.settle) s.reject(error);
      }
    }
    this.writing = null;
  }
}
