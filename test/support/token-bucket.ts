/**
 * An API quota as AWS enforces it: a token bucket that refills at `rate` tokens per second up to
 * `burst`, starts full, and lets a request through only if it can take a whole token.
 *
 * Kept as the time at which the bucket will be full again (the generic cell rate algorithm),
 * which is the same bucket without summing fractions of tokens: a token is due exactly when
 * its time comes.
 */

export interface TokenBucketOptions {
  /** Tokens added per second: the steady request rate. Default 2, Amazon Connect's default quota. */
  readonly rate?: number;
  /** The most tokens the bucket holds: requests that may arrive at once. Default 5, as Connect's. */
  readonly burst?: number;
  /** Milliseconds; injectable so that tests need not wait. Default `performance.now`. */
  readonly clock?: () => number;
}

/** What the bucket has seen since it was made. */
export interface QuotaCounts {
  /** Requests that asked for a token. */
  readonly offered: number;
  /** Requests that got one. */
  readonly served: number;
  /** Requests refused: offered less served. */
  readonly throttled: number;
}

export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  private readonly clock: () => number;
  /** Milliseconds per token. */
  private readonly interval: number;
  /** When the bucket is full again if nothing more is taken; before that, it lacks (fullAt − now) / interval tokens. */
  private fullAt: number;
  private offered = 0;
  private served = 0;

  constructor(options: TokenBucketOptions = {}) {
    this.rate = options.rate ?? 2;
    this.burst = options.burst ?? 5;
    if (!(this.rate > 0) || !Number.isFinite(this.rate)) {
      throw new Error(`rate must be a positive number of requests per second, got ${this.rate}.`);
    }
    if (!Number.isInteger(this.burst) || this.burst < 1) {
      throw new Error(`burst must be a positive integer, got ${this.burst}.`);
    }
    this.clock = options.clock ?? (() => performance.now());
    this.interval = 1000 / this.rate;
    this.fullAt = this.clock();
  }

  /** Takes a token if there is one; false means the request is throttled. */
  tryTake(): boolean {
    const now = this.clock();
    this.offered += 1;
    const fullAt = Math.max(this.fullAt, now) + this.interval;
    if (fullAt - now > this.burst * this.interval) {
      return false;
    }
    this.fullAt = fullAt;
    this.served += 1;
    return true;
  }

  get counts(): QuotaCounts {
    return { offered: this.offered, served: this.served, throttled: this.offered - this.served };
  }
}
