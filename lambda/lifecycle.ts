/**
 * Which Amazon Connect calls each CloudFormation request needs, and making them: Create one
 * (associate), Delete two (read the holders, then disassociate if this was the last), Update
 * none (same association) or three (both of those). Adopting, keeping and contention cost more.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { type ArnEnvironment, ConnectReferenceError } from '../lib/connect-reference';
import type { AliasResourceAttributes } from '../lib/resource-properties';
import type { AliasOperations, Association, ReleaseOutcome } from './alias-operations';
import { type AliasPair, attributesOf, describePair, normaliseProperties, samePair } from './alias-pair';
import { errorMessage } from './connect-errors';
import type { Deadline } from './deadline';
import { isFailedCreateId, isIssuedId } from './physical-id';
import { NotAwaitedError, type RequestGuard } from './request-guard';

// Before an Update removes the previous association, it keeps back time to put it back should
// the next one fail: a quarter of what is left, from 2 s (a short test function) to 15 s (a
// restore throttled a few times at Connect's default quota).
const RESTORE_SHARE = 0.25;
const MIN_RESTORE_MS = 2_000;
const MAX_RESTORE_MS = 15_000;

/** What an invocation did, for its answer and its log line. */
export interface InvocationRecord {
  /** Requests sent to Amazon Connect, retries and state checks included. */
  attempts: number;
  /** Update: the previous association, once this invocation has removed it. */
  removedPrevious?: AliasPair;
  /** Update: whether the removed previous association was put back after the new one failed. */
  restored?: boolean;
  /** What became of the association: made or adopted (Create, Update), removed, kept or absent (Delete), or taken back. */
  association?: Association | ReleaseOutcome['action'] | 'taken back';
}

/** What the lifecycle works with besides the Connect operations. */
export interface LifecycleContext {
  readonly guard: RequestGuard;
  /** The work deadline, from which an Update keeps back time to restore. */
  readonly deadline: Deadline;
  readonly handlerEnvironment?: ArnEnvironment;
}

/**
 * Runs the request. Returns the resource's attributes (none for Delete); throws an error whose
 * message is the Reason to answer with.
 */
export async function runLifecycle(
  event: CloudFormationCustomResourceEvent,
  operations: AliasOperations,
  record: InvocationRecord,
  context: LifecycleContext,
): Promise<AliasResourceAttributes | undefined> {
  const { guard, handlerEnvironment } = context;
  switch (event.RequestType) {
    case 'Create': {
      const pair = normaliseProperties(event.ResourceProperties, handlerEnvironment);
      record.association = await operations.associate(pair);
      // Cancelled while it worked, the Create's answer is ignored and its Delete may have come
      // and gone: what it made would be nobody's, so it takes it back itself.
      if ((await guard.verdict()) === 'not awaited') {
        await takeBack(pair, operations.unguarded());
        record.association = 'taken back';
        throw new NotAwaitedError(guard.notAwaitedReason('what this Create made was taken back'));
      }
      return attributesOf(pair);
    }
    case 'Update': {
      const next = normaliseProperties(event.ResourceProperties, handlerEnvironment);
      const previous = previousPair(event.OldResourceProperties, handlerEnvironment);
      // Rollbacks send Update with old and new swapped; the same steps serve them.
      if (previous === undefined || !samePair(previous, next)) {
        await replace(previous, next, operations, record, context);
      }
      return attributesOf(next);
    }
    case 'Delete':
      // A failed Create made nothing, and what was there before belongs to someone else.
      if (!isFailedCreateId(event.PhysicalResourceId)) {
        const release = await operations.release(normaliseProperties(event.ResourceProperties, handlerEnvironment), {
          // An id CloudFormation made up for a cancelled Create: that Create takes back what it made.
          removeNothing: !isIssuedId(event.PhysicalResourceId),
        });
        record.association = release.action;
        await operations.forget(release);
      }
      return undefined;
    default:
      throw new Error(`Unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}.`);
  }
}

/**
 * Releases the previous association and adds the next. Release comes first: an address has at
 * most one alias and an alias one primary, so most changes could not be added beside the old.
 * The previous marks come off only once the next is in place, so a restore finds them intact.
 */
async function replace(
  previous: AliasPair | undefined,
  next: AliasPair,
  operations: AliasOperations,
  record: InvocationRecord,
  { guard, deadline }: LifecycleContext,
): Promise<void> {
  const restoreTime = deadline.keepingBack(RESTORE_SHARE, MIN_RESTORE_MS, MAX_RESTORE_MS);
  const release = previous && (await operations.withDeadline(restoreTime).release(previous));
  if (previous && release?.action === 'remove') {
    record.removedPrevious = previous;
  }
  try {
    record.association = await operations.withDeadline(restoreTime).associate(next, 'associate', {
      // The previous pair was not in place and the next one is: in a rollback, that is what this
      // resource held before the Update that failed, recorded as it was. Adopting it again would
      // count the resource twice.
      heldAlready: release === undefined || release.action === 'absent' ? () => guard.rollingBack() : undefined,
    });
  } catch (failure) {
    throw previous ? await restorePrevious(failure, previous, release, operations.forRestore(), record) : failure;
  }
  if (release) {
    await operations.forget(release);
  }
}

/** Undoes a Create: the association goes if this resource alone held it, and its marks go. */
async function takeBack(pair: AliasPair, operations: AliasOperations): Promise<void> {
  await operations.forget(await operations.release(pair));
}

/**
 * Puts the previous association back after the next one failed, if this invocation removed it. Returns the error to answer with: the failure, and what became of the previous association.
 */
async function restorePrevious(
  failure: unknown,
  previous: AliasPair,
  release: ReleaseOutcome | undefined,
  operations: AliasOperations,
  record: InvocationRecord,
): Promise<Error> {
  const failed = `${errorMessage(failure)} The previous association (${describePair(previous)})`;
  if (release?.action === 'keep') {
    return new Error(`${failed} is still in place: other declarations hold it.`);
  }
  if (release?.action !== 'remove') {
    return new Error(`${failed} was not in place, so there was nothing to restore.`);
  }
  try {
    await operations.associate(previous, 'restore');
    record.restored = true;
    return new Error(`${failed} was restored.`);
  } catch (restoreFailure) {
    record.restored = false;
    return new Error(`${failed} was removed and could NOT be restored: ${errorMessage(restoreFailure)}`);
  }
}

/**
 * The previous properties, normalised; undefined when they fail the checks. Such properties
 * never reached Connect (the Update that brought them failed on them), so there is nothing of
 * theirs to remove, and the rollback that now brings the valid ones back must not fail on them.
 */
function previousPair(properties: unknown, handlerEnvironment?: ArnEnvironment): AliasPair | undefined {
  try {
    return normaliseProperties(properties, handlerEnvironment);
  } catch (error) {
    if (error instanceof ConnectReferenceError) {
      return undefined;
    }
    throw error;
  }
}
