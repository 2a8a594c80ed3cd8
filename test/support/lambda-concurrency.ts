/**
 * Lambda's concurrency as an account sees it: one pool of executions (the account's quota:
 * 10 in a new account, 1,000 by default, or no limit for a run that leaves it out) shared by
 * every invocation of every function, and a function's ReservedConcurrentExecutions as its own
 * cap within it. An invocation that finds no free execution is throttled at once, as Lambda's
 * Invoke answers TooManyRequestsException; whoever invoked decides whether and when to retry.
 */

export class ConcurrencyPool {
  private inUse = 0;
  private highWater = 0;
  private readonly perFunction = new Map<string, { inUse: number; highWater: number }>();
  private readonly onRelease = new Set<() => void>();

  /** @param limit the account's concurrent executions; undefined for no limit. */
  constructor(readonly limit?: number) {
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
      throw new Error(`An account's Lambda concurrency is a positive integer, got ${limit}.`);
    }
  }

  /** Takes an execution for the function if the account and its reservation allow; false if throttled. */
  tryAcquire(functionArn: string, reserved?: number): boolean {
    const fn = this.functionCounts(functionArn);
    if ((this.limit !== undefined && this.inUse >= this.limit) || (reserved !== undefined && fn.inUse >= reserved)) {
      return false;
    }
    this.inUse += 1;
    fn.inUse += 1;
    this.highWater = Math.max(this.highWater, this.inUse);
    fn.highWater = Math.max(fn.highWater, fn.inUse);
    return true;
  }

  release(functionArn: string): void {
    const fn = this.functionCounts(functionArn);
    if (fn.inUse === 0) throw new Error(`${functionArn} holds no execution to release.`);
    fn.inUse -= 1;
    this.inUse -= 1;
    // Those waiting for an execution (an event source mapping's poller) may try again.
    this.onRelease.forEach((listener) => listener());
  }

  /** Calls `listener` whenever an execution is freed; returns the call that stops it. */
  whenReleased(listener: () => void): () => void {
    this.onRelease.add(listener);
    return () => this.onRelease.delete(listener);
  }

  /** Executions held now: the whole account's, or one function's. */
  running(functionArn?: string): number {
    return functionArn === undefined ? this.inUse : this.functionCounts(functionArn).inUse;
  }

  /** The most executions held at once since the last reset: the account's, or one function's. */
  mostAtOnce(functionArn?: string): number {
    return functionArn === undefined ? this.highWater : this.functionCounts(functionArn).highWater;
  }

  /** Starts the high-water marks again from what is held now, for a new measurement. */
  resetMostAtOnce(): void {
    this.highWater = this.inUse;
    this.perFunction.forEach((fn) => (fn.highWater = fn.inUse));
  }

  private functionCounts(functionArn: string): { inUse: number; highWater: number } {
    let counts = this.perFunction.get(functionArn);
    if (counts === undefined) {
      counts = { inUse: 0, highWater: 0 };
      this.perFunction.set(functionArn, counts);
    }
    return counts;
  }
}
