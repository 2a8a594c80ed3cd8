/**
 * Keeps an invocation from changing Connect for a request CloudFormation no longer waits for.
 * Before a change that follows a wait (the request's own time in Lambda's queue included), it
 * asks CloudFormation about the stack resource; a Create asks once more after its change, so that
 * one cancelled meanwhile takes back what it made.
 */
import { type PendingRequest, createAnswered, holderGone, isRollingBack, stillAwaited } from './awaited';
import { type StackReader, isUnknown } from './stack-reader';

/** CloudFormation has stopped waiting for the request; the message is ready to be a Reason. */
export class NotAwaitedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotAwaitedError';
  }
}

/**
 * How long a confirmation that CloudFormation waits holds: a change sooner than this after the
 * request was sent, or after the last check, needs no check of its own. The window in which a
 * cancellation goes unseen is this plus one Connect call (a Create's check after its change
 * narrows it to the answer's own PUT).
 */
export const CONFIRMATION_HOLDS_MS = 1_000;

export interface GuardRecord {
  stackReads: number;
  /** Set when a check could not be made; the work went on as if CloudFormation waited. */
  stackCheckUnavailable?: string;
}

export class RequestGuard {
  private confirmedAt: number;

  constructor(
    private readonly request: PendingRequest & { readonly stackId: string; readonly logicalResourceId: string },
    private readonly reader: StackReader,
    private readonly record: GuardRecord,
    private readonly clock: () => number = Date.now,
  ) {
    // CloudFormation waited when it sent the request; without a date, when the invocation began.
    this.confirmedAt = request.sentAt ?? clock();
  }

  /** Throws NotAwaitedError if CloudFormation has stopped waiting; asks only when the last confirmation is old. */
  async beforeChange(): Promise<void> {
    if (this.clock() - this.confirmedAt <= CONFIRMATION_HOLDS_MS) {
      return;
    }
    if ((await this.verdict()) !== 'awaited') {
      throw new NotAwaitedError(this.notAwaitedReason('nothing was changed'));
    }
  }

  /**
   * Asks now, whatever the last confirmation: whether CloudFormation still waits, already has
   * this request's answer (a Create delivered twice), or neither, in which case what the request
   * made belongs to nobody. A check that cannot be made counts as waiting.
   */
  async verdict(): Promise<'awaited' | 'answered' | 'not awaited'> {
    const observed = await this.reader.resource(this.request.stackId, this.request.logicalResourceId);
    if (isUnknown(observed)) {
      this.record.stackCheckUnavailable = observed.unknown;
      return 'awaited';
    }
    const now = this.clock();
    if (stillAwaited(this.request, observed, now)) {
      this.confirmedAt = now;
      return 'awaited';
    }
    return createAnswered(this.request, observed) ? 'answered' : 'not awaited';
  }

  notAwaitedReason(consequence: string): string {
    return `CloudFormation no longer waits for this ${this.request.requestType} (cancelled, timed out or superseded), so ${consequence}.`;
  }

  /** Whether the stack is rolling back an update; unknown counts as no, as before any check existed. */
  async rollingBack(): Promise<boolean> {
    const status = await this.reader.stackStatus(this.request.stackId);
    return !isUnknown(status) && isRollingBack(status);
  }

  /**
   * Which of these logical IDs of the request's stack CloudFormation no longer lists (or lists as
   * deleted). One it cannot be asked about counts as there: a mark kept costs nothing, one dropped
   * wrongly could cost an association.
   */
  async goneLogicalIds(logicalResourceIds: readonly string[]): Promise<string[]> {
    const gone: string[] = [];
    for (const logicalResourceId of logicalResourceIds) {
      const observed = await this.reader.resource(this.request.stackId, logicalResourceId);
      if (isUnknown(observed)) this.record.stackCheckUnavailable = observed.unknown;
      else if (holderGone(observed)) gone.push(logicalResourceId);
    }
    return gone;
  }
}
