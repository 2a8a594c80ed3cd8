/**
 * Which Amazon Connect calls each CloudFormation request needs, and making them: Create one,
 * Update none (same association) or two (remove the old, add the new), Delete one or none.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { type ArnEnvironment, ConnectReferenceError } from '../lib/connect-reference';
import type { AliasResourceAttributes } from '../lib/resource-properties';
import type { AliasOperations, Disassociation } from './alias-operations';
import { type AliasPair, attributesOf, describePair, normaliseProperties, samePair } from './alias-pair';
import { errorMessage } from './connect-errors';
import { isFailedCreateId } from './physical-id';

/** What an invocation did, for its answer and its log line. */
export interface InvocationRecord {
  /** Requests sent to Amazon Connect, retries and state checks included. */
  attempts: number;
  /** Update: the previous association, once this invocation has removed it. */
  removedPrevious?: AliasPair;
  /** Update: whether the removed previous association was put back after the new one failed. */
  restored?: boolean;
}

/**
 * Runs the request. Returns the resource's attributes (none for Delete); throws an error whose
 * message is the Reason to answer with.
 */
export async function runLifecycle(
  event: CloudFormationCustomResourceEvent,
  operations: AliasOperations,
  record: InvocationRecord,
  handlerEnvironment?: ArnEnvironment,
): Promise<AliasResourceAttributes | undefined> {
  switch (event.RequestType) {
    case 'Create': {
      const pair = normaliseProperties(event.ResourceProperties, handlerEnvironment);
      await operations.associate(pair);
      return attributesOf(pair);
    }
    case 'Update': {
      const next = normaliseProperties(event.ResourceProperties, handlerEnvironment);
      const previous = previousPair(event.OldResourceProperties, handlerEnvironment);
      // Rollbacks send Update with old and new swapped; the same steps serve them.
      if (previous === undefined || !samePair(previous, next)) {
        await replace(previous, next, operations, record);
      }
      return attributesOf(next);
    }
    case 'Delete':
      // A failed Create made nothing, and what was there before belongs to someone else.
      if (!isFailedCreateId(event.PhysicalResourceId)) {
        await operations.disassociate(normaliseProperties(event.ResourceProperties, handlerEnvironment));
      }
      return undefined;
    default:
      throw new Error(`Unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}.`);
  }
}

/**
 * Removes the previous association and adds the next. Removal comes first: an address has at
 * most one alias and an alias one primary, so most changes could not be added beside the old.
 */
async function replace(
  previous: AliasPair | undefined,
  next: AliasPair,
  operations: AliasOperations,
  record: InvocationRecord,
): Promise<void> {
  const removal = previous && (await operations.disassociate(previous));
  if (previous && removal === 'removed') {
    record.removedPrevious = previous;
  }
  try {
    await operations.associate(next);
  } catch (failure) {
    throw previous ? await restorePrevious(failure, previous, removal, operations, record) : failure;
  }
}

/**
 * Puts the previous association back after the next one failed, if this invocation removed
 * it. Returns the error to answer with: the failure, and what became of the previous association.
 */
async function restorePrevious(
  failure: unknown,
  previous: AliasPair,
  removal: Disassociation | undefined,
  operations: AliasOperations,
  record: InvocationRecord,
): Promise<Error> {
  const failed = `${errorMessage(failure)} The previous association (${describePair(previous)})`;
  if (removal !== 'removed') {
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
