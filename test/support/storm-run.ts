/**
 * A deploy storm: a stack of N aliases created at once and then deleted at once, as
 * CloudFormation may, against the Connect emulator under an account quota. Reports what
 * CloudFormation would see and what Amazon Connect was asked.
 */
import type * as cxapi from 'aws-cdk-lib/cx-api';
import { setTimeout as sleep } from 'node:timers/promises';
import { INSTANCE_ID, TEST_ENVIRONMENT } from '../fixtures/environment';
import { ConnectEmulator } from './connect-emulator';
import { ResponseReceiver } from './response-receiver';
import { type ResourceOutcome, StackScheduler, type StackOperationOutcome } from './stack-scheduler';
import type { AddressPair } from './storm-stack';
import type { QuotaCounts, TokenBucketOptions } from './token-bucket';

export interface StormOperationFigures {
  readonly operation: 'create' | 'delete';
  /** Custom resources the operation had to handle. */
  readonly aliases: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly noAnswer: number;
  /** A resource that depends on one that did not succeed is not started. */
  readonly notStarted: number;
  readonly wallMs: number;
  /** Requests to Amazon Connect from the start until every invocation had ended. */
  readonly requests: QuotaCounts;
  /** A few of the failure reasons, distinct (they name the addresses). */
  readonly reasons: string[];
}

export interface StormFigures {
  readonly quota: Required<Pick<TokenBucketOptions, 'rate' | 'burst'>>;
  readonly create: StormOperationFigures;
  /** Associations in the emulator after the create. */
  readonly associatedAfterCreate: number;
  /** Absent when the run stopped after the create. */
  readonly teardown?: StormTeardown;
}

export interface StormTeardown {
  /** Aliases whose Create did not succeed, created again one at a time before the delete. */
  readonly recreatedBeforeDelete: number;
  readonly delete: StormOperationFigures;
  /** Associations left in the emulator after the delete. */
  readonly associatedAfterDelete: number;
}

export interface StormOptions {
  readonly stack: cxapi.CloudFormationStackArtifact;
  /** The pairs the stack declares: their addresses are made in the emulator. */
  readonly pairs: readonly AddressPair[];
  readonly quota: Required<Pick<TokenBucketOptions, 'rate' | 'burst'>>;
  /** Outside the repository. */
  readonly workDirectory: string;
  /** Whether the aliases are deleted after the create. Default true. */
  readonly teardown?: boolean;
}

const REASONS_KEPT = 3;

/**
 * Creates every alias of the stack at once, then (unless `teardown` is false) deletes them all
 * at once. Aliases whose Create did not succeed are created again one at a time in between (not
 * measured), so that the teardown meets all N. The quota's bucket is full at the start of each
 * operation.
 */
export async function runStorm(options: StormOptions): Promise<StormFigures> {
  const { quota } = options;
  const emulator = await ConnectEmulator.start({ quota, region: TEST_ENVIRONMENT.region, account: TEST_ENVIRONMENT.account });
  const receiver = await ResponseReceiver.start();
  try {
    for (const pair of options.pairs) {
      emulator.addEmailAddress(INSTANCE_ID, pair.emailAddressId);
      emulator.addEmailAddress(INSTANCE_ID, pair.aliasEmailAddressId);
    }
    const associated = () =>
      options.pairs.filter((pair) => emulator.aliasesOf(INSTANCE_ID, pair.emailAddressId).length > 0).length;
    const scheduler = new StackScheduler({
      stack: options.stack,
      receiver,
      connectEndpoint: emulator.endpoint,
      workDirectory: options.workDirectory,
    });
    scheduler.prewarm(scheduler.customResources.length);
    const refill = () => sleep(Math.ceil((quota.burst / quota.rate) * 1000));
    const measure = async (run: () => Promise<StackOperationOutcome>) => {
      await refill();
      const before = emulator.quota!.counts;
      const outcome = await run();
      await scheduler.drain();
      return { outcome, requests: countsSince(before, emulator.quota!.counts) };
    };

    const create = await measure(() => scheduler.create());
    const createFigures: StormFigures = {
      quota,
      create: figuresOf('create', create.outcome, create.requests),
      associatedAfterCreate: associated(),
    };
    if (options.teardown === false) {
      return createFigures;
    }
    const physicalIds = new Map(successes(create.outcome.resources));
    const toRecreate = create.outcome.resources.filter((resource) => resource.status !== 'SUCCESS');
    for (const resource of toRecreate) {
      await refill();
      const again = await scheduler.create(new Set([resource.logicalResourceId]));
      await scheduler.drain();
      successes(again.resources).forEach(([id, physicalId]) => physicalIds.set(id, physicalId));
    }
    const deletion = await measure(() => scheduler.delete(physicalIds));
    return {
      ...createFigures,
      teardown: {
        recreatedBeforeDelete: toRecreate.length,
        delete: figuresOf('delete', deletion.outcome, deletion.requests),
        associatedAfterDelete: associated(),
      },
    };
  } finally {
    await Promise.all([emulator.stop(), receiver.stop()]);
  }
}

function successes(resources: readonly ResourceOutcome[]): Array<[string, string]> {
  return resources.flatMap((resource) =>
    resource.status === 'SUCCESS' && resource.physicalResourceId !== undefined
      ? [[resource.logicalResourceId, resource.physicalResourceId] as [string, string]]
      : [],
  );
}

function countsSince(before: QuotaCounts, after: QuotaCounts): QuotaCounts {
  return {
    offered: after.offered - before.offered,
    served: after.served - before.served,
    throttled: after.throttled - before.throttled,
  };
}

function figuresOf(
  operation: 'create' | 'delete',
  outcome: StackOperationOutcome,
  requests: QuotaCounts,
): StormOperationFigures {
  const count = (status: ResourceOutcome['status']) => outcome.resources.filter((r) => r.status === status).length;
  return {
    operation,
    aliases: outcome.resources.length,
    succeeded: count('SUCCESS'),
    failed: count('FAILED'),
    noAnswer: count('no answer'),
    notStarted: count('not started'),
    wallMs: outcome.wallMs,
    requests,
    reasons: [...new Set(outcome.resources.flatMap((r) => (r.reason === undefined ? [] : [r.reason])))].slice(0, REASONS_KEPT),
  };
}
