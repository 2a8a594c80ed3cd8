/**
 * A deploy storm: one stack of N aliases, or several at once, created at once and then deleted
 * at once, as CloudFormation may, against the Connect emulator under an account quota, in an
 * account with a given Lambda concurrency and other callers of Connect. Reports what
 * CloudFormation would see, what Amazon Connect was asked, what the other callers got and how
 * many Lambda executions the stacks held at once.
 */
import type * as cxapi from 'aws-cdk-lib/cx-api';
import { setTimeout as sleep } from 'node:timers/promises';
import { INSTANCE_ID, TEST_ENVIRONMENT } from '../fixtures/environment';
import { ConnectEmulator } from './connect-emulator';
import { ResponseReceiver } from './response-receiver';
import { SimulatedAccount } from './simulated-account';
import { type ResourceOutcome, StackScheduler, type StackOperationOutcome } from './stack-scheduler';
import { SteadyTraffic } from './steady-traffic';
import type { AddressPair } from './storm-stack';
import type { QuotaCounts, TokenBucketOptions } from './token-bucket';

export interface StormOperationFigures {
  readonly operation: 'create' | 'delete';
  /** Custom resources the operation had to handle, in all stacks. */
  readonly aliases: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly noAnswer: number;
  /** A resource that depends on one that did not succeed is not started. */
  readonly notStarted: number;
  /** From the start to the last outcome of any stack. */
  readonly wallMs: number;
  /** The stacks' requests to Amazon Connect from the start until every invocation had ended. */
  readonly requests: QuotaCounts;
  /** The other callers' requests over the same time. */
  readonly otherCallers: QuotaCounts;
  /** The most Lambda executions the stacks' functions held at once. */
  readonly mostExecutionsAtOnce: number;
  /** Requests left in dead-letter queues after the operation. */
  readonly deadLetters: number;
  /** A few of the failure reasons, distinct (they name the addresses). */
  readonly reasons: string[];
}

export interface StormFigures {
  readonly quota: Required<Pick<TokenBucketOptions, 'rate' | 'burst'>>;
  /** The account's Lambda concurrency; absent for no limit. */
  readonly lambdaConcurrency?: number;
  /** The other callers' rate on this quota. */
  readonly otherRequestsPerSecond: number;
  readonly stacks: number;
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

/** One stack of the run and the pairs it declares (their addresses are made in the emulator). */
export interface StormStack {
  readonly stack: cxapi.CloudFormationStackArtifact;
  readonly pairs: readonly AddressPair[];
}

export interface StormOptions {
  /** Played at once, in one account. */
  readonly stacks: readonly StormStack[];
  readonly quota: Required<Pick<TokenBucketOptions, 'rate' | 'burst'>>;
  /** Outside the repository. */
  readonly workDirectory: string;
  /** Whether the aliases are deleted after the create. Default true. */
  readonly teardown?: boolean;
  /** The account's Lambda concurrency. Default: no limit. */
  readonly lambdaConcurrency?: number;
  /** Other callers' steady requests per second on the same quota. Default 0. */
  readonly otherRequestsPerSecond?: number;
  /**
   * How many times faster than Connect's own the quota is (a quick run's 20 requests/s against
   * 2 is 10): Lambda's own delays (its retry back-off) are shortened alike. Default 1.
   */
  readonly timeScale?: number;
}

const REASONS_KEPT = 3;
/** The other callers stop after this many requests, whatever the run does. */
const MAX_OTHER_REQUESTS = 200_000;

/**
 * Creates every alias of every stack at once, then (unless `teardown` is false) deletes them all
 * at once. Aliases whose Create did not succeed are created again one at a time in between (not
 * measured), so that the teardown meets all of them. The quota's bucket is full at the start of
 * each operation; the other callers' traffic runs from the start of each operation until every
 * invocation has ended.
 */
export async function runStorm(options: StormOptions): Promise<StormFigures> {
  const { quota } = options;
  const otherRate = options.otherRequestsPerSecond ?? 0;
  const emulator = await ConnectEmulator.start({ quota, region: TEST_ENVIRONMENT.region, account: TEST_ENVIRONMENT.account });
  const receiver = await ResponseReceiver.start();
  const account = await SimulatedAccount.start({ lambdaConcurrency: options.lambdaConcurrency, timeScale: options.timeScale });
  const schedulers: StackScheduler[] = [];
  try {
    const pairs = options.stacks.flatMap((stack) => stack.pairs);
    for (const pair of pairs) {
      emulator.addEmailAddress(INSTANCE_ID, pair.emailAddressId);
      emulator.addEmailAddress(INSTANCE_ID, pair.aliasEmailAddressId);
    }
    const associated = () => pairs.filter((pair) => emulator.aliasesOf(INSTANCE_ID, pair.emailAddressId).length > 0).length;
    for (const { stack } of options.stacks) {
      const scheduler = new StackScheduler({ stack, receiver, connectEndpoint: emulator.endpoint, workDirectory: options.workDirectory, account });
      // Lambda keeps no more warm environments than the account may run at once.
      scheduler.prewarm(Math.min(scheduler.customResources.length, options.lambdaConcurrency ?? Number.POSITIVE_INFINITY));
      schedulers.push(scheduler);
    }
    const refill = () => sleep(Math.ceil((quota.burst / quota.rate) * 1000));
    const drainAll = () => Promise.all(schedulers.map((scheduler) => scheduler.drain()));
    const measure = async (operation: 'create' | 'delete', run: (scheduler: StackScheduler, index: number) => Promise<StackOperationOutcome>) => {
      await refill();
      const others = new SteadyTraffic(emulator.quota!, { rate: otherRate, maxRequests: MAX_OTHER_REQUESTS });
      const before = emulator.quota!.counts;
      account.lambda.resetMostAtOnce();
      others.start();
      const outcomes = await Promise.all(schedulers.map(run));
      await drainAll();
      others.stop();
      const all = countsSince(before, emulator.quota!.counts);
      const figures = figuresOf(operation, outcomes, {
        requests: countsSince(others.counts, all),
        otherCallers: others.counts,
        mostExecutionsAtOnce: account.lambda.mostAtOnce(),
        deadLetters: schedulers.reduce((sum, scheduler) => sum + scheduler.deadLetters, 0),
      });
      return { outcomes, figures };
    };

    const create = await measure('create', (scheduler) => scheduler.create());
    const createFigures: StormFigures = {
      quota,
      ...(options.lambdaConcurrency === undefined ? {} : { lambdaConcurrency: options.lambdaConcurrency }),
      otherRequestsPerSecond: otherRate,
      stacks: schedulers.length,
      create: create.figures,
      associatedAfterCreate: associated(),
    };
    if (options.teardown === false) {
      return createFigures;
    }
    const physicalIds = create.outcomes.map((outcome) => new Map(successes(outcome.resources)));
    let recreated = 0;
    for (const [index, scheduler] of schedulers.entries()) {
      for (const resource of create.outcomes[index].resources.filter((candidate) => candidate.status !== 'SUCCESS')) {
        recreated += 1;
        await refill();
        const again = await scheduler.create(new Set([resource.logicalResourceId]));
        await scheduler.drain();
        successes(again.resources).forEach(([id, physicalId]) => physicalIds[index].set(id, physicalId));
      }
    }
    const deletion = await measure('delete', (scheduler, index) => scheduler.delete(physicalIds[index]));
    return {
      ...createFigures,
      teardown: { recreatedBeforeDelete: recreated, delete: deletion.figures, associatedAfterDelete: associated() },
    };
  } finally {
    schedulers.forEach((scheduler) => scheduler.stop());
    await Promise.all([emulator.stop(), receiver.stop(), account.stop()]);
  }
}

function successes(resources: readonly ResourceOutcome[]): Array<[string, string]> {
  return resources.flatMap((resource) =>
    resource.status === 'SUCCESS' && resource.physicalResourceId !== undefined
      ? [[resource.logicalResourceId, resource.physicalResourceId] as [string, string]]
      : [],
  );
}

/** What `after` holds beyond `before`. */
function countsSince(before: QuotaCounts, after: QuotaCounts): QuotaCounts {
  return {
    offered: after.offered - before.offered,
    served: after.served - before.served,
    throttled: after.throttled - before.throttled,
  };
}

function figuresOf(
  operation: 'create' | 'delete',
  outcomes: readonly StackOperationOutcome[],
  measured: Pick<StormOperationFigures, 'requests' | 'otherCallers' | 'mostExecutionsAtOnce' | 'deadLetters'>,
): StormOperationFigures {
  const resources = outcomes.flatMap((outcome) => outcome.resources);
  const count = (status: ResourceOutcome['status']) => resources.filter((r) => r.status === status).length;
  return {
    operation,
    aliases: resources.length,
    succeeded: count('SUCCESS'),
    failed: count('FAILED'),
    noAnswer: count('no answer'),
    notStarted: count('not started'),
    wallMs: Math.max(0, ...outcomes.map((outcome) => outcome.wallMs)),
    ...measured,
    reasons: [...new Set(resources.flatMap((r) => (r.reason === undefined ? [] : [r.reason])))].slice(0, REASONS_KEPT),
  };
}
