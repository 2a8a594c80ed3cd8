/** The account a deploy storm runs in, and its name in the bench's output. */

/** The account a storm runs in. */
export interface StormAccount {
  /** Lambda's concurrent executions; undefined for no limit. */
  readonly lambdaConcurrency?: number;
  /** Other callers of Connect, requests per second at Connect's own quota. */
  readonly otherRequestsPerSecond: number;
  readonly stacks: number;
  readonly timeScale: number;
}

/** As the results table names the account. */
export function describeAccount(account: StormAccount): string {
  const concurrency = account.lambdaConcurrency === undefined ? 'unlimited' : String(account.lambdaConcurrency);
  return `Lambda concurrency ${concurrency}, others ${account.otherRequestsPerSecond} req/s${account.timeScale === 1 ? '' : `, time ×${account.timeScale}`}`;
}

