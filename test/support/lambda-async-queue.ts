/**
 * Lambda's asynchronous invocation, as CloudFormation uses it for a custom resource: the event
 * is accepted at once into Lambda's own queue, and Lambda invokes the function from there.
 * - An attempt that finds no free execution (throttled) is retried after a back-off that starts
 *   at 1 s and doubles, at most 5 minutes apart, until the event is older than
 *   MaximumEventAgeInSeconds (Lambda's default: 6 hours); then the event is dropped.
 * - An invocation that errors or times out is retried MaximumRetryAttempts times (default 2),
 *   about 1 and then 2 minutes later, within the same event age.
 * Lambda's own delays are divided by `timeScale`, so that a run at a scaled quota scales them
 * alike; the function's settings (timeout, event age from the template) are taken as given.
 */
import type { InProcessFunction, InvocationResult, InvocationTiming } from './in-process-lambda';

export interface AsyncInvokeConfig {
  /** MaximumRetryAttempts of the function's EventInvokeConfig. Default 2, Lambda's. */
  readonly maximumRetryAttempts?: number;
  /** MaximumEventAgeInSeconds, in milliseconds. Default Lambda's 6 hours, scaled. */
  readonly maximumEventAgeMs?: number;
  /** Lambda's delays are this many times shorter. Default 1. */
  readonly timeScale?: number;
}

export type AsyncEventEnd =
  /** The last attempt returned. */
  | 'succeeded'
  /** Every attempt allowed errored or timed out. */
  | 'failed'
  /** Too old to try again: throttled (or failed) until MaximumEventAgeInSeconds. */
  | 'dropped';

export interface AsyncEvent {
  /** Each attempt's start, as it happens. */
  readonly attempts: InvocationTiming[];
  /** Attempts refused for want of an execution. */
  readonly throttles: number;
  /** How the event left Lambda's queue. */
  readonly ended: Promise<AsyncEventEnd>;
}

const SECOND_MS = 1000;
const FIRST_THROTTLE_RETRY_MS = SECOND_MS;
const LONGEST_THROTTLE_RETRY_MS = 5 * 60 * SECOND_MS;
/** About 1 minute before the first retry of a failed invocation, 2 before the second. */
const ERROR_RETRY_MS = [60 * SECOND_MS, 120 * SECOND_MS];
const DEFAULT_MAXIMUM_EVENT_AGE_MS = 6 * 3600 * SECOND_MS;
const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;

/** Lambda's wait before the attempt after `throttles` throttled ones (1 s, 2 s, 4 s, ..., 5 min), unscaled. */
export function throttleRetryDelayMs(throttles: number): number {
  return Math.min(LONGEST_THROTTLE_RETRY_MS, FIRST_THROTTLE_RETRY_MS * 2 ** Math.max(0, throttles - 1));
}

/** Lambda's wait before retry number `retry` (1, 2, ...) of an invocation that errored or timed out, unscaled. */
export function errorRetryDelayMs(retry: number): number {
  return ERROR_RETRY_MS[Math.min(retry, ERROR_RETRY_MS.length) - 1];
}

export class AsyncInvoker {
  private readonly retries: number;
  private readonly scale: number;
  private readonly maximumAgeMs: number;
  private readonly pending = new Set<Promise<AsyncEventEnd>>();

  constructor(private readonly fn: InProcessFunction, config: AsyncInvokeConfig = {}) {
    this.scale = config.timeScale ?? 1;
    this.retries = config.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
    this.maximumAgeMs = config.maximumEventAgeMs ?? DEFAULT_MAXIMUM_EVENT_AGE_MS / this.scale;
  }

  /** Accepts the event (Invoke with InvocationType Event answers 202 at once) and works it off. */
  invoke(event: unknown): AsyncEvent {
    const attempts: InvocationTiming[] = [];
    const record = { attempts, throttles: 0 };
    const ended = this.workOff(event, record);
    this.pending.add(ended);
    void ended.then(() => this.pending.delete(ended));
    return Object.assign(record, { ended });
  }

  /** Resolves once every event accepted so far has left the queue. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending]);
    }
  }

  private async workOff(event: unknown, record: { attempts: InvocationTiming[]; throttles: number }): Promise<AsyncEventEnd> {
    const acceptedAt = Date.now();
    let retriesLeft = this.retries;
    for (;;) {
      const running = this.fn.tryInvoke(event);
      let delayMs: number;
      if (running === undefined) {
        record.throttles += 1;
        delayMs = throttleRetryDelayMs(record.throttles) / this.scale;
      } else {
        record.attempts.push(running.timing);
        const result: InvocationResult = await running.result;
        if (result.kind === 'returned') return 'succeeded';
        if (retriesLeft === 0) return 'failed';
        retriesLeft -= 1;
        delayMs = errorRetryDelayMs(this.retries - retriesLeft) / this.scale;
      }
      if (Date.now() + delayMs - acceptedAt > this.maximumAgeMs) return 'dropped';
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
