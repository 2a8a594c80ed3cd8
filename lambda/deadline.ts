/**
 * The time budget of one invocation. CloudFormation waits up to an hour for an answer that
 * never comes, so the work must stop early enough to leave time for the answer itself.
 */

/** Milliseconds since the epoch; injectable so that tests need not wait. */
export type Clock = () => number;

/** A point in time that work must not run past. */
export class Deadline {
  constructor(
    /** Epoch milliseconds. */
    readonly at: number,
    private readonly clock: Clock = Date.now,
  ) {}

  remainingMs(): number {
    return Math.max(0, this.at - this.clock());
  }

  /**
   * A deadline that keeps time back for what must follow: a share of the time left now,
   * within [minMs, maxMs] (all of it, if less is left).
   */
  keepingBack(share: number, minMs: number, maxMs: number): Deadline {
    const kept = Math.min(this.remainingMs(), Math.max(minMs, Math.min(maxMs, this.remainingMs() * share)));
    return new Deadline(this.at - kept, this.clock);
  }
}

/** The two deadlines of one invocation. */
export interface InvocationDeadlines {
  /** Amazon Connect calls and their retries stop here; a FAILED answer is sent if they have not finished. */
  readonly work: Deadline;
  /** The response PUT and its retries stop here, just before Lambda ends the invocation. */
  readonly answer: Deadline;
}

// The reserve for answering is 10% of the time the invocation has, clamped to [1.5 s, 5 s]:
// one PUT to S3 from inside AWS takes tens of milliseconds, so 5 s allow a few retries even for
// a 15-minute function (the shortest allowed, 30 s, keeps 3 s). The floor matters only to
// functions of a few seconds, as in tests: a PUT over a fresh TLS connection from a process on a
// busy host can take most of a second, and the answer must still go out.
const MIN_ANSWER_RESERVE_MS = 1_500;
const MAX_ANSWER_RESERVE_MS = 5_000;
const ANSWER_RESERVE_SHARE = 0.1;
// Kept free at the very end, so the log line is written after the last PUT try.
const LOG_MARGIN_MS = 100;

/** The deadlines of an invocation that has `remainingMs` left (`context.getRemainingTimeInMillis()`). */
export function invocationDeadlines(remainingMs: number, clock: Clock = Date.now): InvocationDeadlines {
  const end = clock() + remainingMs;
  const reserve = Math.min(MAX_ANSWER_RESERVE_MS, Math.max(MIN_ANSWER_RESERVE_MS, remainingMs * ANSWER_RESERVE_SHARE));
  return {
    work: new Deadline(end - reserve, clock),
    answer: new Deadline(end - LOG_MARGIN_MS, clock),
  };
}
