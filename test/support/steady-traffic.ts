/**
 * The account's other callers of an API (agents' tools, CRM integrations): requests at a steady
 * rate on the same quota as the stack's, each counted as served or throttled. They take tokens
 * from the bucket directly rather than over HTTP: the quota is what they share with the stack,
 * and the emulator's answers are not what is measured.
 */
import type { QuotaCounts, TokenBucket } from './token-bucket';

export interface SteadyTrafficOptions {
  /** Requests per second; 0 for none. */
  readonly rate: number;
  /** At most this many requests, so that a run that hangs cannot grow its figures without end. */
  readonly maxRequests: number;
}

export class SteadyTraffic {
  private offered = 0;
  private served = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly bucket: TokenBucket,
    private readonly options: SteadyTrafficOptions,
  ) {
    if (!(options.rate >= 0) || !Number.isFinite(options.rate)) throw new Error(`rate must be 0 or more, got ${options.rate}.`);
  }

  /** Starts the requests: the first after one interval, so that a rate's first second is not a burst. */
  start(): void {
    if (this.options.rate === 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => this.request(), 1000 / this.options.rate);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  get counts(): QuotaCounts {
    return { offered: this.offered, served: this.served, throttled: this.offered - this.served };
  }

  /** One request: served if it gets a token. Exposed for a caller that paces the traffic itself. */
  request(): void {
    if (this.offered >= this.options.maxRequests) {
      this.stop();
      return;
    }
    this.offered += 1;
    if (this.bucket.tryTake()) this.served += 1;
  }
}
