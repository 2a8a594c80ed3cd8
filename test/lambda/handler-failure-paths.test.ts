/**
 * What the handler does for a request CloudFormation no longer waits for, as its API shows it:
 * a Create cancelled before or while it works, a Delete carrying an id CloudFormation made up,
 * an event Lambda hands over after the ServiceTimeout, and an Update that removes the previous
 * association while the quota is taken.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { holderTag, markValue } from '../../lambda/ownership';
import {
  ALIAS_ID,
  INSTANCE_ID,
  LOGICAL_RESOURCE_ID,
  PRIMARY_ID,
  STACK_ID,
  amzDate,
  createEvent,
  deleteEvent,
  updateEvent,
} from '../fixtures/cloudformation-events';
import type { CloudFormationApiEmulator } from '../support/cloudformation-api-emulator';
import type { ResourceStatus } from '../support/cloudformation-api-state';
import { HandlerHarness, OTHER_ALIAS_ID, operationsOf, useHandlerHarness } from './handler-harness';

const PHYSICAL_ID = 'connect-email-address-alias-0123456789abcdef';
// The form of the id CloudFormation gives a custom resource whose Create it cancelled.
const MADE_UP_ID = 'AliasStack-SupportAlias6F1C2B3A-1A2B3C4D5E6F';
const SELF = holderTag({ stackId: STACK_ID, logicalResourceId: LOGICAL_RESOURCE_ID });

/** The ResponseURL as CloudFormation signs it `agoMs` before now: X-Amz-Date is when it sent the request. */
function sentAgo(responseUrl: string, agoMs: number): string {
  return `${responseUrl}&X-Amz-Date=${amzDate(new Date(Date.now() - agoMs))}`;
}

/** Stages the resource with `status`, whatever the request (a stack moved on without it). */
function resourceIs(status: ResourceStatus, physicalResourceId?: string) {
  return (event: CloudFormationCustomResourceEvent, cloudFormation: CloudFormationApiEmulator) => {
    HandlerHarness.awaiting(event, cloudFormation);
    cloudFormation.state.setResource(event.StackId, event.LogicalResourceId, { status, physicalResourceId });
  };
}

describe('A Create that CloudFormation cancelled', () => {
  const harness = useHandlerHarness();

  test('while it waited changes nothing, and says why', async () => {
    const run = await harness.run((responseUrl) => createEvent({ responseUrl: sentAgo(responseUrl, 5_000) }), 10_000, {
      stage: resourceIs('CREATE_FAILED'),
    });

    expect(run.response.Status).toBe('FAILED');
    expect(run.response.Reason).toMatch(/^CloudFormation no longer waits for this Create .*nothing was changed/);
    expect(operationsOf(run.calls)).toEqual([]);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([]);
  });

  test('while it worked takes back the association it made', async () => {
    const run = await harness.run((responseUrl) => createEvent({ responseUrl }), 10_000, { stage: resourceIs('CREATE_FAILED') });

    expect(run.response.Status).toBe('FAILED');
    expect(run.log).toMatchObject({ association: 'taken back' });
    expect(operationsOf(run.calls)).toEqual(['AssociateEmailAddressAlias', 'DescribeEmailAddress', 'DisassociateEmailAddressAlias']);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([]);
  });

  test('while it adopted a hand-made association leaves it as it was: in place and unmarked', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);

    const run = await harness.run((responseUrl) => createEvent({ responseUrl }), 10_000, { stage: resourceIs('DELETE_COMPLETE') });

    expect(run.response.Status).toBe('FAILED');
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
    expect(harness.emulator.tagsOf(INSTANCE_ID, PRIMARY_ID)).toEqual({});
  });

  test('is told apart from a Create delivered again after CloudFormation has its answer: what the first made stays', async () => {
    const first = await harness.run((responseUrl) => createEvent({ responseUrl, requestId: 'request-twice' }));
    const again = await harness.run((responseUrl) => createEvent({ responseUrl, requestId: 'request-twice' }), 10_000, {
      stage: resourceIs('CREATE_COMPLETE', first.response.PhysicalResourceId),
    });

    expect(again.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: first.response.PhysicalResourceId });
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
  });

  test('is told apart from a later Create of the same logical ID', async () => {
    const run = await harness.run((responseUrl) => createEvent({ responseUrl: sentAgo(responseUrl, 60_000) }), 10_000, {
      stage: (event, cloudFormation) => HandlerHarness.awaiting(event, cloudFormation),
    });

    // The resource's CREATE_IN_PROGRESS was set now, a minute after this request was sent.
    expect(run.response.Status).toBe('FAILED');
    expect(operationsOf(run.calls)).toEqual([]);
  });
});

describe('A Delete with an id this handler never gave', () => {
  const harness = useHandlerHarness();

  test('leaves a hand-made association in place', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);

    const run = await harness.run((responseUrl) => deleteEvent({ responseUrl, physicalResourceId: MADE_UP_ID }));

    expect(run.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: MADE_UP_ID });
    expect(operationsOf(run.calls)).toEqual(['DescribeEmailAddress']);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
  });

  test('takes off the marks its cancelled Create wrote, and only those', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);
    const other = holderTag({ stackId: STACK_ID.replace('AliasStack', 'OtherStack'), logicalResourceId: 'Help' });
    harness.emulator.seedTags(INSTANCE_ID, PRIMARY_ID, { [SELF]: markValue(ALIAS_ID, LOGICAL_RESOURCE_ID), [other]: ALIAS_ID });

    await harness.run((responseUrl) => deleteEvent({ responseUrl, physicalResourceId: MADE_UP_ID }));

    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
    expect(harness.emulator.tagsOf(INSTANCE_ID, PRIMARY_ID)).toEqual({ [other]: ALIAS_ID });
  });
});

describe('An event Lambda hands over after the ServiceTimeout', () => {
  const harness = useHandlerHarness();

  test.each([
    ['Create', (responseUrl: string) => createEvent({ responseUrl })],
    ['Delete', (responseUrl: string) => deleteEvent({ responseUrl, physicalResourceId: PHYSICAL_ID })],
  ])('%s: changes nothing, without asking anyone', async (_, build) => {
    harness.emulator.seedAlias(INSTANCE_ID, OTHER_ALIAS_ID, ALIAS_ID);
    const reads = harness.cloudFormation.calls.length;

    const run = await harness.run((responseUrl) => {
      const event = build(sentAgo(responseUrl, 200_000));
      return { ...event, ResourceProperties: { ...event.ResourceProperties, ServiceTimeout: '150' } } as CloudFormationCustomResourceEvent;
    });

    expect(run.response.Status).toBe('FAILED');
    expect(run.calls).toEqual([]);
    expect(harness.cloudFormation.calls.length).toBe(reads);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, OTHER_ALIAS_ID)).toEqual([ALIAS_ID]);
  });
});

describe('A Delete that finds marks of resources its stack no longer has', () => {
  const harness = useHandlerHarness();

  test('drops them and removes the association as the last live holder', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);
    const retained = holderTag({ stackId: STACK_ID, logicalResourceId: 'RetainedAlias' });
    harness.emulator.seedTags(INSTANCE_ID, PRIMARY_ID, {
      [SELF]: markValue(ALIAS_ID, LOGICAL_RESOURCE_ID),
      [retained]: markValue(ALIAS_ID, 'RetainedAlias'),
    });

    const run = await harness.run((responseUrl) => deleteEvent({ responseUrl, physicalResourceId: PHYSICAL_ID }));

    expect(run.log).toMatchObject({ association: 'remove' });
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([]);
    expect(harness.emulator.tagsOf(INSTANCE_ID, PRIMARY_ID)).toEqual({});
  });

  test('keeps the association for a holder that still exists', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);
    const live = holderTag({ stackId: STACK_ID, logicalResourceId: 'LiveAlias' });
    harness.emulator.seedTags(INSTANCE_ID, PRIMARY_ID, { [SELF]: markValue(ALIAS_ID, LOGICAL_RESOURCE_ID), [live]: markValue(ALIAS_ID, 'LiveAlias') });

    const run = await harness.run((responseUrl) => deleteEvent({ responseUrl, physicalResourceId: PHYSICAL_ID }), 10_000, {
      stage: (event, cloudFormation) => {
        HandlerHarness.awaiting(event, cloudFormation);
        cloudFormation.state.setResource(event.StackId, 'LiveAlias', { status: 'UPDATE_COMPLETE', physicalResourceId: 'connect-email-address-alias-live' });
      },
    });

    expect(run.log).toMatchObject({ association: 'keep' });
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
    expect(Object.keys(harness.emulator.tagsOf(INSTANCE_ID, PRIMARY_ID))).toEqual([live]);
  });

  test('keeps the marks when CloudFormation cannot be asked', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);
    const unknown = holderTag({ stackId: STACK_ID, logicalResourceId: 'UnknownAlias' });
    harness.emulator.seedTags(INSTANCE_ID, PRIMARY_ID, { [unknown]: markValue(ALIAS_ID, 'UnknownAlias') });
    harness.cloudFormation.injectFault('DescribeStackResource', { kind: 'accessDenied', times: 100 });

    const run = await harness.run((responseUrl) => deleteEvent({ responseUrl, physicalResourceId: PHYSICAL_ID }));

    expect(run.log).toMatchObject({ association: 'keep', stackCheckUnavailable: 'AccessDenied' });
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
  });
});

describe('An Update whose next association Connect keeps throttling', () => {
  // The production retries and pace: a throttle slows the worker down, not the restore.
  const harness = useHandlerHarness({ handler: { connectRetry: undefined, pacer: undefined } });

  test('puts the previous one back within its time, instead of leaving the alias forwarding nowhere', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);
    harness.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'throttle', times: 100_000, aliasEmailAddressId: OTHER_ALIAS_ID });

    const run = await harness.run(
      (responseUrl) =>
        updateEvent({ responseUrl, physicalResourceId: PHYSICAL_ID, properties: { AliasEmailAddressId: OTHER_ALIAS_ID } }),
      6_000,
    );

    expect(run.response.Status).toBe('FAILED');
    expect(run.response.Reason).toMatch(/The previous association \(.*\) was restored\.$/);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
  });
});
