/**
 * Whether CloudFormation still waits for a request, decided from what was observed: when the
 * request was sent (the ResponseURL's X-Amz-Date), its ServiceTimeout, and the stack resource as
 * CloudFormation's API shows it. A request CloudFormation no longer waits for (cancelled, timed
 * out, rolled back, or retried by Lambda after all that) must change nothing in Connect: its
 * answer would be ignored, and what it made would belong to no declaration.
 */

/** The stack resource as DescribeStackResource shows it, or 'absent' when the stack does not list it. */
export type ResourceObservation =
  | {
      readonly status: string;
      readonly physicalResourceId?: string;
      /** Epoch milliseconds. */
      readonly lastUpdatedAt?: number;
    }
  | 'absent';

/** The request, as far as the decision needs it. */
export interface PendingRequest {
  readonly requestType: 'Create' | 'Update' | 'Delete';
  /** Update and Delete: the id CloudFormation holds for the resource. */
  readonly physicalResourceId?: string;
  /** Epoch milliseconds (whole seconds); undefined when the URL carries no date. */
  readonly sentAt?: number;
  /** The ServiceTimeout the request was sent with, in milliseconds. */
  readonly serviceTimeoutMs?: number;
  /** Create: the id it answers with when it succeeds. */
  readonly createdResourceId?: string;
}

/** The statuses of a resource whose request of that type CloudFormation waits for. */
const WAITING_STATUSES: Readonly<Record<PendingRequest['requestType'], readonly string[]>> = {
  Create: ['CREATE_IN_PROGRESS'],
  Update: ['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS'],
  Delete: ['DELETE_IN_PROGRESS'],
};

/**
 * A status set this long after the request was sent belongs to a later operation on the same
 * logical ID. A later operation needs the earlier one rolled back and a new deploy started,
 * which takes far longer; the slack covers clocks and the URL's whole-second date.
 */
export const LATER_OPERATION_SLACK_MS = 10_000;

/** When CloudFormation sent the request: the X-Amz-Date of the presigned ResponseURL. */
export function requestSentAt(responseUrl: string): number | undefined {
  let date: string | null;
  try {
    date = new URL(responseUrl).searchParams.get('X-Amz-Date');
  } catch {
    return undefined;
  }
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date ?? '');
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The ServiceTimeout property as CloudFormation delivers it (seconds, as a string), in milliseconds. */
export function serviceTimeoutMs(properties: Readonly<Record<string, unknown>> | undefined): number | undefined {
  const seconds = Number(properties?.ServiceTimeout);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** Whether CloudFormation has stopped waiting for the request by `now`, by the clock alone. */
export function pastServiceTimeout(request: PendingRequest, now: number): boolean {
  return request.sentAt !== undefined && request.serviceTimeoutMs !== undefined && now > request.sentAt + request.serviceTimeoutMs;
}

/** Whether CloudFormation still waits for the request, given the stack resource as observed at `now`. */
export function stillAwaited(request: PendingRequest, observed: ResourceObservation, now: number): boolean {
  if (pastServiceTimeout(request, now) || observed === 'absent') {
    return false;
  }
  if (!WAITING_STATUSES[request.requestType].includes(observed.status)) {
    return false;
  }
  if (request.sentAt !== undefined && observed.lastUpdatedAt !== undefined && observed.lastUpdatedAt > request.sentAt + LATER_OPERATION_SLACK_MS) {
    return false;
  }
  // A Create's id is not known to CloudFormation yet; for the others, another id is another resource.
  return request.requestType === 'Create' || observed.physicalResourceId === undefined || observed.physicalResourceId === request.physicalResourceId;
}

/**
 * Whether CloudFormation already has this Create's successful answer, from an earlier delivery
 * of the same request: the resource it made is live, and what it made must stay.
 */
export function createAnswered(request: PendingRequest, observed: ResourceObservation): boolean {
  return (
    request.requestType === 'Create' &&
    observed !== 'absent' &&
    observed.physicalResourceId !== undefined &&
    observed.physicalResourceId === request.createdResourceId &&
    !observed.status.startsWith('DELETE') &&
    observed.status !== 'CREATE_FAILED'
  );
}

/** Whether a stack resource that a holder's mark names is gone for good: its mark counts for nothing. */
export function holderGone(observed: ResourceObservation): boolean {
  return observed === 'absent' || observed.status === 'DELETE_COMPLETE' || observed.status === 'DELETE_SKIPPED';
}

/** Whether the stack is rolling an update back: the Update it sends asks for what the resource held before. */
export function isRollingBack(stackStatus: string | undefined): boolean {
  return stackStatus === 'UPDATE_ROLLBACK_IN_PROGRESS';
}
