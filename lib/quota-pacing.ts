/**
 * How the aliases of a stack share Amazon Connect's API quota (per account and region; 2
 * requests/s, burst 5 by default) when CloudFormation starts them all at once. The construct
 * sizes the function's timeout with it, and the handler spreads its retries with it, so both
 * sides read the same numbers. Keep it free of aws-cdk-lib imports: it is bundled into the handler.
 */

/** The function's environment variables the construct writes and the handler reads. */
export const QUOTA_ENVIRONMENT = {
  /** How many aliases of the stack share the function, and so may call Connect at once. */
  aliasCount: 'CONNECT_ALIAS_COUNT',
  /** The share of Connect's request rate that the aliases may use together. */
  requestsPerSecond: 'CONNECT_REQUESTS_PER_SECOND',
} as const;

/** Amazon Connect's default API quota: 2 requests per second per account and region. */
export const DEFAULT_REQUESTS_PER_SECOND = 2;

/**
 * The aliases aim at 90% of their rate: a token bucket fed at its own rate throttles often,
 * and every throttled request is one that another caller in the account did not get.
 */
export const QUOTA_UTILISATION = 0.9;

/** Connect calls an event makes when nothing is unusual: see the README's behaviour table. */
export const CALLS_PER_EVENT = { Create: 1, Update: 3, Delete: 2 } as const;

/** The most calls an ordinary event makes, which sizes the function's timeout. */
export const MAX_CALLS_PER_EVENT = Math.max(...Object.values(CALLS_PER_EVENT));

/**
 * The time over which `aliasCount` events of `callsPerEvent` calls each must spread their
 * calls to stay at the target share of `requestsPerSecond`.
 */
export function spreadWindowMs(aliasCount: number, callsPerEvent: number, requestsPerSecond: number): number {
  return ((aliasCount * callsPerEvent) / (requestsPerSecond * QUOTA_UTILISATION)) * 1000;
}
