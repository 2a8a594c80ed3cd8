import {
  ALIAS_ID,
  INSTANCE_ID,
  PRIMARY_ID,
  createEvent,
  deleteEvent,
  emailAddressArn,
  instanceArn,
} from '../fixtures/cloudformation-events';
import {
  OTHER_PRIMARY_ID,
  UNDOCUMENTED_ERROR_CHOICES,
  operationsOf,
  useHandlerHarness,
} from './handler-harness';

describe('Create', () => {
  const harness = useHandlerHarness();

  test('makes the alias forward to the primary with one call, and answers the IDs as attributes', async () => {
    const run = await harness.run((responseUrl) =>
      createEvent({
        responseUrl,
        properties: { InstanceId: instanceArn(), EmailAddressId: emailAddressArn(PRIMARY_ID), AliasEmailAddressId: ALIAS_ID },
      }),
    );

    expect(run.response).toMatchObject({
      Status: 'SUCCESS',
      StackId: run.event.StackId,
      RequestId: run.event.RequestId,
      LogicalResourceId: run.event.LogicalResourceId,
      Data: { InstanceId: INSTANCE_ID, EmailAddressId: PRIMARY_ID, AliasEmailAddressId: ALIAS_ID },
    });
    expect(run.calls).toEqual([
      expect.objectContaining({
        operation: 'AssociateEmailAddressAlias',
        instanceId: INSTANCE_ID,
        emailAddressId: PRIMARY_ID,
        aliasEmailAddressId: ALIAS_ID,
        clientToken: expect.stringMatching(/^.{1,500}$/),
        status: 200,
      }),
    ]);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
  });

  test('a redelivered event answers the same physical id and sends the same ClientToken', async () => {
    const event = createEvent({ responseUrl: '' });
    const first = await harness.run((responseUrl) => ({ ...event, ResponseURL: responseUrl }));
    const second = await harness.run((responseUrl) => ({ ...event, ResponseURL: responseUrl }));

    expect(second.response.Status).toBe('SUCCESS');
    expect(second.response.PhysicalResourceId).toBe(first.response.PhysicalResourceId);
    expect(second.calls[0].clientToken).toBe(first.calls[0].clientToken);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
  });

  test('distinct Creates get distinct physical ids', async () => {
    const first = await harness.run((responseUrl) => createEvent({ responseUrl }));
    harness.emulator.reset();
    for (const id of [PRIMARY_ID, ALIAS_ID]) {
      harness.emulator.addEmailAddress(INSTANCE_ID, id);
    }
    const second = await harness.run((responseUrl) => createEvent({ responseUrl }));

    expect(second.response.PhysicalResourceId).not.toBe(first.response.PhysicalResourceId);
  });

  test('denied access once (a policy IAM does not enforce yet) is retried to SUCCESS', async () => {
    harness.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'accessDenied', times: 1 });

    const run = await harness.run((responseUrl) => createEvent({ responseUrl }));

    expect(run.response.Status).toBe('SUCCESS');
    expect(operationsOf(run.calls)).toEqual(['AssociateEmailAddressAlias', 'AssociateEmailAddressAlias']);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
  });

  test('denied access past the IAM window fails, naming the operation, the addresses and the service message', async () => {
    harness.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'accessDenied', times: 100_000 });

    const run = await harness.run((responseUrl) => createEvent({ responseUrl }));

    expect(run.response.Status).toBe('FAILED');
    expect(run.response.Reason).toMatch(
      new RegExp(
        `^AssociateEmailAddressAlias\\(instance ${INSTANCE_ID}, primary ${PRIMARY_ID}, alias ${ALIAS_ID}\\) failed after \\d+ attempts: ` +
          'AccessDeniedException: You do not have sufficient access to perform this action\\.$',
      ),
    );
  });

  test.each([
    ['a missing property', { AliasEmailAddressId: undefined }, /AliasEmailAddressId is missing/],
    ['a property that is not a string', { EmailAddressId: 42 }, /EmailAddressId must be a string/],
    ['an invalid ARN', { EmailAddressId: 'arn:aws:connect:nowhere' }, /EmailAddressId is not a valid Amazon Connect ARN/],
    ['ARNs of two instances', { EmailAddressId: emailAddressArn(PRIMARY_ID, 'another-instance') }, /same Amazon Connect instance/],
    ['an address as its own alias', { AliasEmailAddressId: emailAddressArn(PRIMARY_ID) }, /cannot be its own alias/],
    [
      'ARNs of another region than the function',
      { InstanceId: 'arn:aws:connect:eu-west-2:123456789012:instance/i-1', EmailAddressId: 'p', AliasEmailAddressId: 'a' },
      /region eu-west-2.*region us-east-1/,
    ],
  ])('%s fails without calling Connect, and the Reason names the property', async (_, properties, reason) => {
    const run = await harness.run((responseUrl) => createEvent({ responseUrl, properties }));

    expect(run.response.Status).toBe('FAILED');
    expect(run.response.Reason).toMatch(reason);
    expect(run.calls).toEqual([]);
  });

  test('a failed Create answers a marked physical id, and the cleanup Delete then touches nothing', async () => {
    // The alias already forwards to another primary: that association is someone else's.
    harness.emulator.seedAlias(INSTANCE_ID, OTHER_PRIMARY_ID, ALIAS_ID);

    const creation = await harness.run((responseUrl) => createEvent({ responseUrl }));
    expect(creation.response.Status).toBe('FAILED');
    expect(creation.response.Reason).toMatch(/^AssociateEmailAddressAlias\(.*\) failed: ResourceConflictException: /);

    const cleanup = await harness.run((responseUrl) =>
      deleteEvent({
        responseUrl,
        physicalResourceId: creation.response.PhysicalResourceId,
        properties: { EmailAddressId: OTHER_PRIMARY_ID },
      }),
    );
    expect(cleanup.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: creation.response.PhysicalResourceId });
    expect(cleanup.calls).toEqual([]);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, OTHER_PRIMARY_ID)).toEqual([ALIAS_ID]);
  });

  test('a failed Create with invalid properties is cleaned up without calls as well', async () => {
    const creation = await harness.run((responseUrl) => createEvent({ responseUrl, properties: { InstanceId: '' } }));
    const cleanup = await harness.run((responseUrl) =>
      deleteEvent({ responseUrl, physicalResourceId: creation.response.PhysicalResourceId, properties: { InstanceId: '' } }),
    );

    expect(creation.response.Status).toBe('FAILED');
    expect(cleanup.response.Status).toBe('SUCCESS');
    expect(cleanup.calls).toEqual([]);
  });
});

describe.each(UNDOCUMENTED_ERROR_CHOICES)('Create of an association that already exists (Connect answers %s)', (_, emulator) => {
  const harness = useHandlerHarness({ emulator });

  test('adopts it after checking the state, marking itself and the maker as holders', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);

    const run = await harness.run((responseUrl) => createEvent({ responseUrl }));

    expect(run.response.Status).toBe('SUCCESS');
    expect(operationsOf(run.calls)).toEqual(['AssociateEmailAddressAlias', 'DescribeEmailAddress', 'TagResource']);
    expect(run.log).toMatchObject({ association: 'adopted' });
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
    expect(Object.values(harness.emulator.tagsOf(INSTANCE_ID, PRIMARY_ID))).toEqual([`${ALIAS_ID} ${run.event.LogicalResourceId}`, ALIAS_ID]);
  });

  test('still fails when the primary already has another alias', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, OTHER_PRIMARY_ID);

    const run = await harness.run((responseUrl) => createEvent({ responseUrl }));

    expect(run.response.Status).toBe('FAILED');
    expect(run.response.Reason).toMatch(/already has the alias other-primary-address, and an address has at most one alias/);
    expect(operationsOf(run.calls)).toEqual(['AssociateEmailAddressAlias', 'DescribeEmailAddress']);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([OTHER_PRIMARY_ID]);
  });
});
