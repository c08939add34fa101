/**
 * Limits failed attempts per address: more than `max` failures within `window` seconds and the
 * address is turned away for `lockout` seconds, whatever it sends. Time is an argument, so tests
 * move it by hand. Kept in memory: a restart forgets it, which costs an attacker a restart of the
 * studio they cannot cause.
 */

/** How failures are limited. */
export interface AttemptRule {
  readonly max: number;
  /** Seconds over which failures are counted. */
  readonly window: number;
  /** Seconds an address is turned away after `max` failures. */
  readonly lockout: number;
}

/** Five failed logins a minute, then five minutes' wait. */
export const LOGIN_RULE: AttemptRule = { max: 5, window: 60, lockout: 300 };

/** Addresses tracked before lapsed entries are swept, so the table cannot grow without end. */
const SWEEP_AT = 10_000;

/** Failed attempts per address. */
export class AttemptLimit {
  private readonly entries = new Map<string, { failures: number[]; lockedUntil: number }>();

  constructor(
    private readonly rule: AttemptRule,
    /** Seconds, monotonic. */
    private readonly now: () => number,
  ) {}

  /** Seconds until `address` may try again, or 0 when it may try now. */
  wait(address: string): number {
    const entry = this.entries.get(address);
    if (!entry) return 0;
    return Math.max(0, entry.lockedUntil - this.now());
  }

  /** Counts a failure; returns the seconds of lockout it started, or 0. */
  fail(address: string): number {
    const now = this.now();
    const entry = this.entries.get(address) ?? { failures: [], lockedUntil: 0 };
    entry.failures = entry.failures.filter((t) => now - t < this.rule.window);
    entry.failures.push(now);
    let locked = 0;
    if (entry.failures.length >= this.rule.max) {
      entry.lockedUntil = now + this.rule.lockout;
      entry.failures = [];
      locked = this.rule.lockout;
    }
    this.entries.set(address, entry);
    if (this.entries.size > SWEEP_AT) this.sweep(now);
    return locked;
  }

  /** Forgets an address's failures (after a success). */
  clear(address: string): void {
    this.entries.delete(address);
  }

  private sweep(now: number): void {
    for (const [address, e] of this.entries) {
      if (e.lockedUntil <= now && e.failures.every((t) => now - t >= this.rule.window))
        this.entries.delete(address);
    }
  }
}
