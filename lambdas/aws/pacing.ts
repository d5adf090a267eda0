/**
 * Client-side pacing for the APIs whose request rate AWS documents per account and Region as a token bucket.
 * Without it, 8 reads in flight at 50 ms a call ask ELB for 160 Describe calls a second against a refill of
 * 10: the SDK retries each throttle, but its retry quota (500 tokens, 5 a throttled retry) runs out after a
 * hundred, and every later throttle becomes an error entry. The benchmark's wire measured exactly that for tls
 * and audit-logging at 1,500 load balancers and for public-access at 10,000 RDS instances (docs/PERFORMANCE.md).
 * Each attempt (retries included) takes a token from the client's own bucket, refilled at the documented rate,
 * so a run asks no faster than AWS refills; other callers in the account still share AWS's bucket, and their
 * throttles are retried as before.
 */
export interface DocumentedRate {
  /** Tokens a second, sustained. */
  readonly perSecond: number;
  /** Bucket size: requests that may go at once after a quiet period. */
  readonly burst: number;
  readonly source: string;
}

/** By the SDK's serviceId (`client.config.serviceId`). */
export const DOCUMENTED_RATES: Readonly<Record<string, DocumentedRate>> = {
  'Elastic Load Balancing v2': {
    perSecond: 10,
    burst: 40,
    source:
      'ELB User Guide, "Request throttling for the ELB API": Describe* (non-mutating) actions share a bucket of 40 refilled 10 a second, per account and Region',
  },
  'Elastic Load Balancing': {
    perSecond: 10,
    burst: 40,
    source: 'as Elastic Load Balancing v2: API version 1 (Classic Load Balancers) has its own bucket',
  },
  RDS: {
    perSecond: 12,
    burst: 300,
    source:
      'RDS User Guide, "Request throttling for the Amazon RDS API": 300 in a burst, 12 a second sustained, per account and Region',
  },
};

/** A token bucket that makes callers wait for a token instead of refusing them. */
export class Pacer {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly rate: DocumentedRate,
    // Monotonic: a wall clock stepped back would leave the bucket owing tokens for a long sleep.
    private readonly clock: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.tokens = rate.burst;
    this.last = clock();
  }

  /** Resolves when the caller may send; callers are served in the order they asked. */
  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      this.refill();
      if (this.tokens < 1) {
        await this.sleep(Math.ceil(((1 - this.tokens) / this.rate.perSecond) * 1000));
        this.refill();
      }
      this.tokens = Math.max(0, this.tokens - 1);
    });
    this.queue = turn;
    return turn;
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.last) / 1000) * this.rate.perSecond);
    this.last = now;
  }
}
