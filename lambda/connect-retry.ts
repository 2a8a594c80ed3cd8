/**
 * When a failed Amazon Connect call is tried again, and after how long. Throttling is the one
 * failure that a whole stack meets at once: CloudFormation starts every alias together and
 * Connect's quota is per account, so the first throttle of an invocation waits a random time
 * over the window in which all the stack's aliases can be served at the target share of the
 * quota; retries after that back off as usual.
 */
import {
  CALLS_PER_EVENT,
  DEFAULT_REQUESTS_PER_SECOND,
  QUOTA_ENVIRONMENT,
  spreadWindowMs,
} from '../lib/quota-pacing';
import { isAccessDenied, isServerOrNetworkFault, isThrottling } from './connect-errors';
import { type RetryPolicy, backoffDelayMs } from './retry';

export interface ConnectRetryPolicy {
  /** Server faults, lost connections, and throttling after the first: only the deadline limits them. */
  readonly backoff: RetryPolicy;
  /** AccessDenied is retried for this long after the first: IAM may not yet enforce a policy just attached. */
  readonly accessDeniedWindowMs: number;
  /** A refusal that the state does not explain is retried for this long, as contention for the addresses' lock. */
  readonly contentionWindowMs: number;
  /**
   * After the first throttle, waits start at the time the quota share takes to refill this
   * many requests (and double from there): a retry sooner would meet the bucket still empty,
   * and every throttled request is one another caller in the account did not get.
   */
  readonly throttleBackoffRequests: number;
}

/** How many aliases share the quota, and how much of it they may use together. */
export interface QuotaShare {
  readonly aliasCount: number;
  readonly requestsPerSecond: number;
}

/** The share the construct wrote into the function's environment; one alias at the default rate without it. */
export function quotaShareFromEnvironment(environment: NodeJS.ProcessEnv = process.env): QuotaShare {
  return {
    aliasCount: positiveNumber(environment[QUOTA_ENVIRONMENT.aliasCount]) ?? 1,
    requestsPerSecond: positiveNumber(environment[QUOTA_ENVIRONMENT.requestsPerSecond]) ?? DEFAULT_REQUESTS_PER_SECOND,
  };
}

export type RequestType = keyof typeof CALLS_PER_EVENT;

/** The retry decisions of one invocation; one per invocation, since the first throttle is special. */
export class ConnectRetryPlan {
  private spreadTaken = false;

  constructor(
    private readonly policy: ConnectRetryPolicy,
    private readonly quota: QuotaShare,
    private readonly requestType: RequestType,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Once the invocation has changed something (an Update removed the previous association), a
   * throttle waits only for the quota to refill: a spread over the stack's window would leave
   * the alias forwarding nowhere for minutes.
   */
  endSpread(): void {
    this.spreadTaken = true;
  }

  /** Whether another attempt may succeed; `firstDeniedAt` is when the call was first denied, if it was. */
  isTransient(error: unknown, firstDeniedAt: number | undefined, now: number): boolean {
    if (isAccessDenied(error)) {
      return firstDeniedAt !== undefined && now - firstDeniedAt < this.policy.accessDeniedWindowMs;
    }
    return isThrottling(error) || isServerOrNetworkFault(error);
  }

  /** The wait before the next attempt; an AccessDenied one ends with the window, so the attempt after it is the last. */
  delayFor(error: unknown, retry: number, firstDeniedAt: number | undefined, now: number): number {
    if (isThrottling(error) && !this.spreadTaken) {
      this.spreadTaken = true;
      const window = spreadWindowMs(this.quota.aliasCount, CALLS_PER_EVENT[this.requestType], this.quota.requestsPerSecond);
      return Math.floor(this.random() * window);
    }
    if (isThrottling(error)) {
      const refillMs = (this.policy.throttleBackoffRequests / this.quota.requestsPerSecond) * 1000;
      const base = Math.max(this.policy.backoff.baseDelayMs, refillMs);
      return backoffDelayMs(retry, { ...this.policy.backoff, baseDelayMs: base }, this.random);
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
