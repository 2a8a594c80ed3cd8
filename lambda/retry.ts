/**
 * Retries with exponential backoff and full jitter, bounded by a deadline: every wait leaves
 * the attempt after it at least `minAttemptMs` before the deadline.
 */
import type { Deadline } from './deadline';

export interface RetryPolicy {
  /** The ceiling of the first wait; it doubles with each retry. */
  readonly baseDelayMs: number;
  /** The highest ceiling of any wait. */
  readonly maxDelayMs: number;
  /** Attempts in all, the first included; the deadline may end them sooner. */
  readonly maxAttempts: number;
  /** The time an attempt needs at the least; no wait leaves less, and no attempt starts with less. */
  readonly minAttemptMs: number;
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  readonly deadline: Deadline;
  /** Whether another attempt can succeed where this error failed. */
  readonly isTransient: (error: unknown) => boolean;
  /**
   * The wait before retry number `retry` (0 for the first) after `error`.
   * @default backoffDelayMs of the policy
   */
  readonly delayFor?: (error: unknown, retry: number) => number;
  /** Uniform in [0, 1); injectable for tests. */
  readonly random?: () => number;
  /** Injectable for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The wait before retry number `retry` (0 for the first retry): uniform in
 * [0, min(maxDelayMs, baseDelayMs · 2^retry)). Full jitter spreads the retries of many
 * handlers throttled at once, which is exactly when a large deployment needs it.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * Runs `attempt` until it succeeds, fails with an error that is not transient, runs out of
 * attempts, or less than `minAttemptMs` is left before the deadline. Rethrows the last error.
 */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, deadline, isTransient, random = Math.random, sleep: wait = sleep } = options;
  const delayFor = options.delayFor ?? ((_error: unknown, retry: number) => backoffDelayMs(retry, policy, random));
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransient(error) || attempts >= policy.maxAttempts) {
        throw error;
      }
      // Near the deadline the wait is cut short rather than skipped: one more try with the time
      // left beats giving up with time left, which matters most for a short function timeout.
      const room = deadline.remainingMs() - policy.minAttemptMs;
      if (room <= 0) {
        throw error;
      }
      await wait(Math.min(delayFor(error, attempts - 1), room));
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
