/**
 * The device's outbox: every event it sends gets the next clientSeq and stays here until the
 * server acknowledges it as durable. After a reconnect the device sends everything still here
 * again, in order; the server recognises what it had already logged by participant and
 * clientSeq, so nothing is lost and nothing is logged twice.
 */

/** A message that carries the device's own sequence number. */
export interface Numbered {
  readonly clientSeq: number;
}

/** Events sent and not yet acknowledged, in clientSeq order. */
export class Outbox<M extends Numbered> {
  private next: number;
  private readonly unacked = new Map<number, M>();

  constructor(firstClientSeq = 0) {
    if (!(Number.isSafeInteger(firstClientSeq) && firstClientSeq >= 0)) {
      throw new RangeError(`firstClientSeq must be a whole number ≥ 0, got: ${firstClientSeq}`);
    }
    this.next = firstClientSeq;
  }

  /** Numbers a new message and keeps it until it is acknowledged. */
  add(build: (clientSeq: number) => M): M {
    const message = build(this.next);
    if (message.clientSeq !== this.next) {
      throw new RangeError(`the message must carry clientSeq ${this.next}, got: ${message.clientSeq}`);
    }
    this.next++;
    this.unacked.set(message.clientSeq, message);
    return message;
  }

  /**
   * Takes back messages kept from before (a reload read them from the device's storage): they
   * wait again in clientSeq order, and numbering goes on after the highest of them.
   */
  restore(messages: readonly M[]): void {
    for (const message of messages) {
      if (!(Number.isSafeInteger(message.clientSeq) && message.clientSeq >= 0)) {
        throw new RangeError(`a kept message needs a clientSeq ≥ 0, got: ${message.clientSeq}`);
      }
    }
    const all = [...this.unacked.values(), ...messages].sort((a, b) => a.clientSeq - b.clientSeq);
    this.unacked.clear();
    for (const message of all) {
      this.unacked.set(message.clientSeq, message);
      this.next = Math.max(this.next, message.clientSeq + 1);
    }
  }

  /** Forgets an acknowledged message; false when nothing was waiting under that clientSeq. */
  ack(clientSeq: number): boolean {
    return this.unacked.delete(clientSeq);
  }

  /** Everything still unacknowledged, oldest first: what to send again after a reconnect. */
  pending(): M[] {
    return [...this.unacked.values()];
  }

  /** How many messages wait for an acknowledgement. */
  get size(): number {
    return this.unacked.size;
  }

  /** The clientSeq the next message gets. */
  get nextClientSeq(): number {
    return this.next;
  }

  /** Takes the server's `nextClientSeq` at (re)join: numbering never goes back to numbers already logged. */
  resume(nextClientSeq: number): void {
    this.next = Math.max(this.next, nextClientSeq);
  }
}
