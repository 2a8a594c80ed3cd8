import {
  ALIAS_ID,
  INSTANCE_ID,
  PRIMARY_ID,
  createEvent,
  emailAddressArn,
  instanceArn,
  updateEvent,
} from '../fixtures/cloudformation-events';
import {
  OTHER_ALIAS_ID,
  OTHER_PRIMARY_ID,
  UNDOCUMENTED_ERROR_CHOICES,
  operationsOf,
  useHandlerHarness,
} from './handler-harness';

const PHYSICAL_ID = 'connect-email-address-alias-0123456789abcdef';
// Read the holders of the old association, remove it, add the new one.
const REPLACE = ['DescribeEmailAddress', 'DisassociateEmailAddressAlias', 'AssociateEmailAddressAlias'];

describe('Update', () => {
  const harness = useHandlerHarness();

  beforeEach(() => harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID));

  test('the same association written as ARNs instead of IDs makes no call', async () => {
    const run = await harness.run((responseUrl) =>
      updateEvent({
        responseUrl,
        physicalResourceId: PHYSICAL_ID,
        properties: { InstanceId: instanceArn(), EmailAddressId: emailAddressArn(PRIMARY_ID), AliasEmailAddressId: emailAddressArn(ALIAS_ID) },
      }),
    );

    expect(run.response).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: PHYSICAL_ID,
      Data: { InstanceId: INSTANCE_ID, EmailAddressId: PRIMARY_ID, AliasEmailAddressId: ALIAS_ID },
    });
    expect(run.calls).toEqual([]);
  });

  test.each([
    ['a new alias', { AliasEmailAddressId: OTHER_ALIAS_ID }, OTHER_ALIAS_ID, PRIMARY_ID],
    ['a new primary', { EmailAddressId: OTHER_PRIMARY_ID }, ALIAS_ID, OTHER_PRIMARY_ID],
  ])('%s: removes the old association, then adds the new one, keeping the physical id', async (_, properties, alias, primary) => {
    const run = await harness.run((responseUrl) => updateEvent({ responseUrl, physicalResourceId: PHYSICAL_ID, properties }));

    expect(run.response).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: PHYSICAL_ID,
      Data: { InstanceId: INSTANCE_ID, EmailAddressId: primary, AliasEmailAddressId: alias },
    });
    expect(run.calls).toEqual([
      expect.objectContaining({ operation: REPLACE[0], emailAddressId: PRIMARY_ID, status: 200 }),
      expect.objectContaining({ operation: REPLACE[1], emailAddressId: PRIMARY_ID, aliasEmailAddressId: ALIAS_ID, status: 200 }),
      expect.objectContaining({ operation: REPLACE[2], emailAddressId: primary, aliasEmailAddressId: alias, status: 200 }),
    ]);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, primary)).toEqual([alias]);
  });

  test('the rollback (old and new swapped) brings the previous association back', async () => {
    const forward = await harness.run((responseUrl) =>
      updateEvent({ responseUrl, physicalResourceId: PHYSICAL_ID, properties: { AliasEmailAddressId: OTHER_ALIAS_ID } }),
    );
    const rollback = await harness.run((responseUrl) =>
      updateEvent({ responseUrl, physicalResourceId: PHYSICAL_ID, oldProperties: { AliasEmailAddressId: OTHER_ALIAS_ID } }),
    );

    expect([forward.response.Status, rollback.response.Status]).toEqual(['SUCCESS', 'SUCCESS']);
    expect(operationsOf(rollback.calls)).toEqual(REPLACE);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
    expect(rollback.response.PhysicalResourceId).toBe(PHYSICAL_ID);
  });

  test('when the new association is refused, the old one is restored and the Reason says so', async () => {
    // The new alias already forwards elsewhere: Connect refuses it.
    harness.emulator.seedAlias(INSTANCE_ID, OTHER_PRIMARY_ID, OTHER_ALIAS_ID);

    const run = await harness.run((responseUrl) =>
      updateEvent({ responseUrl, physicalResourceId: PHYSICAL_ID, properties: { AliasEmailAddressId: OTHER_ALIAS_ID } }),
    );

    expect(run.response.Status).toBe('FAILED');
    expect(run.response.PhysicalResourceId).toBe(PHYSICAL_ID);
    expect(run.response.Reason).toMatch(
      new RegExp(
        `^AssociateEmailAddressAlias\\(instance ${INSTANCE_ID}, primary ${PRIMARY_ID}, alias ${OTHER_ALIAS_ID}\\) failed: ResourceConflictException: .*` +
          `The previous association \\(instance ${INSTANCE_ID}, primary ${PRIMARY_ID}, alias ${ALIAS_ID}\\) was restored\\.$`,
      ),
    );
    expect(run.log).toMatchObject({ outcome: 'FAILED', previousAssociationRestored: true });
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, OTHER_PRIMARY_ID)).toEqual([OTHER_ALIAS_ID]);
  });

  test('each step sends its own ClientToken, the same again when the event is redelivered', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, OTHER_PRIMARY_ID, OTHER_ALIAS_ID);
    const event = updateEvent({ responseUrl: '', physicalResourceId: PHYSICAL_ID, properties: { AliasEmailAddressId: OTHER_ALIAS_ID } });
    // One token per step: a step's retries repeat it.
    const tokensOf = (calls: typeof first.calls) => [
      ...new Set(calls.filter((call) => call.operation !== 'DescribeEmailAddress').map((call) => call.clientToken)),
    ];

    const first = await harness.run((responseUrl) => ({ ...event, ResponseURL: responseUrl }));
    const again = await harness.run((responseUrl) => ({ ...event, ResponseURL: responseUrl }));

    // Remove, add (refused), put back: three steps, three tokens.
    const tokens = tokensOf(first.calls);
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(3);
    expect(tokensOf(again.calls)).toEqual(tokens);
  });

  test('when putting the old association back fails too, the Reason and the log say it was not restored', async () => {
    // Denied for longer than IAM takes to apply a policy: a real denial, for the restore too.
    harness.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'accessDenied', times: 100_000 });

    const run = await harness.run((responseUrl) =>
      updateEvent({ responseUrl, physicalResourceId: PHYSICAL_ID, properties: { AliasEmailAddressId: OTHER_ALIAS_ID } }),
    );

    expect(run.response.Status).toBe('FAILED');
    expect(run.response.Reason).toMatch(
      /AccessDeniedException.*was removed and could NOT be restored: AssociateEmailAddressAlias\(.*alias alias-address\) failed after \d+ attempts: AccessDeniedException/,
    );
    expect(run.log).toMatchObject({ previousAssociationRestored: false });
    expect(operationsOf(run.calls).slice(0, 3)).toEqual(REPLACE);
    expect(run.calls.filter((call) => call.operation === 'AssociateEmailAddressAlias').map((call) => call.aliasEmailAddressId)).toEqual(
      expect.arrayContaining([OTHER_ALIAS_ID, ALIAS_ID]),
    );
  });

  test('invalid new properties fail without calls, and the rollback to the valid ones succeeds', async () => {
    const invalid = { EmailAddressId: 'arn:aws:connect:broken' };
    const update = await harness.run((responseUrl) =>
      updateEvent({ responseUrl, physicalResourceId: PHYSICAL_ID, properties: invalid }),
    );
    const rollback = await harness.run((responseUrl) =>
      updateEvent({ responseUrl, physicalResourceId: PHYSICAL_ID, oldProperties: invalid }),
    );

    expect(update.response.Status).toBe('FAILED');
    expect(update.response.Reason).toMatch(/EmailAddressId is not a valid Amazon Connect ARN/);
    expect(update.calls).toEqual([]);
    expect(rollback.response.Status).toBe('SUCCESS');
    // The invalid properties never reached Connect: nothing of theirs to remove.
    expect(operationsOf(rollback.calls)).not.toContain('DisassociateEmailAddressAlias');
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
  });
});

describe.each(UNDOCUMENTED_ERROR_CHOICES)('Update whose old association is already gone (Connect answers %s)', (_, emulator) => {
  const harness = useHandlerHarness({ emulator });

  test('adds the new association all the same', async () => {
    const run = await harness.run((responseUrl) =>
      updateEvent({ responseUrl, physicalResourceId: PHYSICAL_ID, properties: { AliasEmailAddressId: OTHER_ALIAS_ID } }),
    );

    expect(run.response.Status).toBe('SUCCESS');
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([OTHER_ALIAS_ID]);
    expect(harness.emulator.mutatingCalls()).toHaveLength(1);
  });

  test('a failed add says there was nothing to restore, and restores nothing', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, OTHER_PRIMARY_ID, OTHER_ALIAS_ID);

    const run = await harness.run((responseUrl) =>
      updateEvent({ responseUrl, physicalResourceId: PHYSICAL_ID, properties: { AliasEmailAddressId: OTHER_ALIAS_ID } }),
    );

    expect(run.response.Status).toBe('FAILED');
    expect(run.response.Reason).toMatch(/was not in place, so there was nothing to restore\.$/);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([]);
    expect(run.log).not.toHaveProperty('previousAssociationRestored');
  });
});

describe('Update after Create', () => {
  const harness = useHandlerHarness();

  test('keeps the physical id chosen on Create', async () => {
    const creation = await harness.run((responseUrl) => createEvent({ responseUrl }));
    const physicalResourceId = creation.response.PhysicalResourceId;
    const update = await harness.run((responseUrl) =>
      updateEvent({ responseUrl, physicalResourceId, properties: { EmailAddressId: OTHER_PRIMARY_ID } }),
    );

    expect(creation.response.Status).toBe('SUCCESS');
    expect(update.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalResourceId });
    expect(harness.emulator.aliasesOf(INSTANCE_ID, OTHER_PRIMARY_ID)).toEqual([ALIAS_ID]);
  });
});
