/**
 * A token bucket: `capacity` tokens, refilled at `perSecond`; an action that finds too few tokens
 * is refused. Time is an argument.
 */
export class TokenBucket {
  private tokens: number;
  private last: number | null = null;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {
    if (!(capacity > 0 && perSecond > 0 && Number.isFinite(capacity) && Number.isFinite(perSecond))) {
      throw new RangeError(`a bucket needs a positive capacity and rate, got: ${capacity}, ${perSecond}`);
    }
    this.tokens = capacity;
  }

  /** Takes `cost` tokens at time `now` (seconds) if there are enough; false leaves the bucket as it was. */
  take(now: number, cost = 1): boolean {
    if (this.last !== null && now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perSecond);
    }
    if (this.last === null || now > this.last) this.last = now;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}
