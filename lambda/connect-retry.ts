/**
 * When a failed Amazon Connect call is tried again, and after how long. A throttle is retried
 * as soon as the worker's pacer gives the next slot (see rate-pacer.ts): the pacer has slowed
 * down, and a wait of its own on top would only leave the quota idle. Server faults and lost
 * connections back off; AccessDenied is retried within the window in which IAM may not yet
 * enforce a policy just attached.
 */
import { DEFAULT_REQUESTS_PER_SECOND, HANDLER_ENVIRONMENT, MAX_CALLS_PER_EVENT, WORKERS } from '../lib/quota-pacing';
import { isAccessDenied, isServerOrNetworkFault, isThrottling } from './connect-errors';
import type { PacerSettings } from './rate-pacer';
import { type RetryPolicy, backoffDelayMs } from './retry';

export interface ConnectRetryPolicy {
  /** Server faults and lost connections: only the deadline limits them. */
  readonly backoff: RetryPolicy;
  /** AccessDenied is retried for this long after the first: IAM may not yet enforce a policy just attached. */
  readonly accessDeniedWindowMs: number;
  /** A refusal that the state does not explain is retried for this long, as contention for the addresses' lock. */
  readonly contentionWindowMs: number;
}

/**
 * A worker's pace: its share of the stack's ceiling; down by 30% at a throttle, which leaves the
 * quota room to refill at once; up by 1% of the ceiling per call served, so that after a
 * throttle it takes about 30 calls to return to where it was: other callers meet an empty
 * bucket rarely, and the quota left over is still used. A burst of one event's calls.
 */
export function pacerSettings(environment: NodeJS.ProcessEnv = process.env): PacerSettings {
  const ceiling = (positiveNumber(environment[HANDLER_ENVIRONMENT.requestsPerSecond]) ?? DEFAULT_REQUESTS_PER_SECOND) / WORKERS;
  return { ceiling, floor: ceiling / 20, decrease: 0.7, increase: ceiling / 100, burst: MAX_CALLS_PER_EVENT };
}

/** The retry decisions of one call. */
export class ConnectRetryPlan {
  constructor(
    private readonly policy: ConnectRetryPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** Whether another attempt may succeed; `firstDeniedAt` is when the call was first denied, if it was. */
  isTransient(error: unknown, firstDeniedAt: number | undefined, now: number): boolean {
    if (isAccessDenied(error)) {
      return firstDeniedAt !== undefined && now - firstDeniedAt < this.policy.accessDeniedWindowMs;
    }
    return isThrottling(error) || isServerOrNetworkFault(error);
  }

  /** The wait before the next attempt; an AccessDenied one ends with the window, so the attempt after it is the last. */
  delayFor(error: unknown, retry: number, firstDeniedAt: number | undefined, now: number): number {
    if (isThrottling(error)) {
      return 0;
    }
    const backoff = backoffDelayMs(retry, this.policy.backoff, this.random);
    return isAccessDenied(error) && firstDeniedAt !== undefined
      ? withinWindow(backoff, firstDeniedAt, this.policy.accessDeniedWindowMs, now)
      : backoff;
  }
}

/** A wait cut to end with the window that opened at `openedAt`, so no attempt starts after it. */
export function withinWindow(waitMs: number, openedAt: number, windowMs: number, now: number): number {
  return Math.max(0, Math.min(waitMs, openedAt + windowMs - now));
}

function positiveNumber(value: string | undefined): number | undefined {
  const number = Number(value);
  return value !== undefined && Number.isFinite(number) && number > 0 ? number : undefined;
}
