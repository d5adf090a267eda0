/**
 * AWS's throttling model: a bucket of `capacity` tokens (the burst), refilled continuously at
 * `refillPerSecond` up to its capacity; each request takes one token, and a request that finds none is
 * throttled (it takes nothing). Time is passed in, in milliseconds, so the bucket is a pure function of the
 * requests' times.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    nowMs: number,
  ) {
    if (!(capacity >= 1) || !Number.isFinite(capacity))
      throw new RangeError(`capacity must be a number of at least 1, got ${capacity}`);
    if (!(refillPerSecond > 0) || !Number.isFinite(refillPerSecond))
      throw new RangeError(`refillPerSecond must be a positive number, got ${refillPerSecond}`);
    this.tokens = capacity;
    this.last = nowMs;
  }

  /** Takes a token if there is one: true when the request may go through, false when it is throttled. */
  take(nowMs: number): boolean {
    if (nowMs > this.last) {
      this.tokens = Math.min(
        this.capacity,
        this.tokens + ((nowMs - this.last) / 1000) * this.refillPerSecond,
      );
      this.last = nowMs;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Tokens available at `nowMs` (for tests and reports). */
  available(nowMs: number): number {
    const t =
      nowMs > this.last
        ? Math.min(this.capacity, this.tokens + ((nowMs - this.last) / 1000) * this.refillPerSecond)
        : this.tokens;
    return t;
  }
}

/**
 * The fewest seconds `requests` can take through a bucket that starts full: the burst goes at once, the
 * rest at the refill rate. A lower bound on any run that makes those requests, whatever its latency.
 */
export function rateFloorMs(requests: number, capacity: number, refillPerSecond: number): number {
  return (Math.max(0, requests - capacity) / refillPerSecond) * 1000;
}
