/**
 * How the aliases of a stack share Amazon Connect's API quota (per account and region; 2
 * requests/s, burst 5 by default) with each other and with everyone else in the account.
 * CloudFormation's requests wait in the stack's work queue, which at most WORKERS invocations
 * take from at once; each worker paces its calls, slowing down when Connect throttles, so the
 * stack adapts to what other callers leave. The construct sizes the stack's ServiceTimeout with
 * the same numbers. Keep it free of aws-cdk-lib imports: it is bundled into the handler.
 */

/** The function's environment variables the construct writes and the handler reads. */
export const HANDLER_ENVIRONMENT = {
  /** The most Connect requests per second the stack's workers may send together. */
  requestsPerSecond: 'CONNECT_REQUESTS_PER_SECOND',
} as const;

/** Amazon Connect's default API quota: 2 requests per second per account and region. */
export const DEFAULT_REQUESTS_PER_SECOND = 2;

/**
 * How many invocations work on the queue at once: the least an SQS event source mapping's
 * MaximumConcurrency admits. Two executions whatever the number of aliases, so the account's
 * Lambda concurrency (10 in a new account) is never what a deploy waits for.
 */
export const WORKERS = 2;

/** Connect calls an event makes when nothing is unusual: see the README's behaviour table. */
export const CALLS_PER_EVENT = { Create: 1, Update: 3, Delete: 2 } as const;

/** The most calls an ordinary event makes, which sizes the stack's ServiceTimeout. */
export const MAX_CALLS_PER_EVENT = Math.max(...Object.values(CALLS_PER_EVENT));

/**
 * The share of the quota the stack's ServiceTimeout is sized for: other callers of the account
 * may take the rest, and the workers then slow down to what is left.
 */
export const SIZED_FOR_SHARE = 0.5;

/** CloudFormation's limit on a custom resource's ServiceTimeout. */
export const MAX_SERVICE_TIMEOUT_SECONDS = 3600;

/**
 * Seconds the last of `aliasCount` requests, all sent at once, may wait in the queue before its
 * turn, at the sized share of `requestsPerSecond`.
 */
export function queueDrainSeconds(aliasCount: number, requestsPerSecond: number): number {
  return Math.ceil((aliasCount * MAX_CALLS_PER_EVENT) / (requestsPerSecond * SIZED_FOR_SHARE));
}
