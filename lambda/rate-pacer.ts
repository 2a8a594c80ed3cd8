/**
 * The pace of one worker's Connect calls. Connect's quota is per account and shared with every
 * other caller there (agents' tools, CRM integrations, other stacks), whose traffic the handler
 * cannot see: it learns what is left from throttles alone. So the pace grows a little with each
 * call served and drops by a share with each throttle (additive increase, multiplicative
 * decrease, as TCP shares a link), never above the worker's share of connectRequestsPerSecond.
 * One pacer per execution environment: it carries what it learned from one request to the next.
 */

export interface PacerSettings {
  /** Requests per second at the most: the worker's share of the stack's ceiling. */
  readonly ceiling: number;
  /** Requests per second at the least, however often Connect throttles. */
  readonly floor: number;
  /** What a throttle multiplies the pace by. */
  readonly decrease: number;
  /** Requests per second a served call adds. */
  readonly increase: number;
  /** Calls that may go at once after a quiet spell: a lone change is not slowed down. */
  readonly burst: number;
}

/** Starts at the ceiling: a stack alone in its account is served at once. */
export class RatePacer {
  private rate: number;
  private nextSlotAt = 0;

  constructor(
    private readonly settings: PacerSettings,
    private readonly clock: () => number = Date.now,
  ) {
    this.rate = settings.ceiling;
  }

  /** Requests per second now. */
  get requestsPerSecond(): number {
    return this.rate;
  }

  /** Takes the next slot: the milliseconds to wait before sending. */
  reserve(): number {
    const now = this.clock();
    const interval = 1000 / this.rate;
    // Slots missed while idle, up to a burst of them, may be taken at once.
    const at = Math.max(now - (this.settings.burst - 1) * interval, this.nextSlotAt);
    this.nextSlotAt = at + interval;
    return Math.max(0, at - now);
  }

  served(): void {
    this.rate = Math.min(this.settings.ceiling, this.rate + this.settings.increase);
  }

  /** The bucket was empty: slow down, and leave it one interval at the new pace to refill, with no burst. */
  throttled(): void {
    this.rate = Math.max(this.settings.floor, this.rate * this.settings.decrease);
    this.nextSlotAt = Math.max(this.nextSlotAt, this.clock() + 1000 / this.rate);
  }
}

/** No pace at all: for the one call that puts back what an Update removed, which must not wait behind others. */
export const UNPACED: Pick<RatePacer, 'reserve' | 'served' | 'throttled'> = {
  reserve: () => 0,
  served: () => undefined,
  throttled: () => undefined,
};
