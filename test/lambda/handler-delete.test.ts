import { ALIAS_ID, INSTANCE_ID, PRIMARY_ID, createEvent, deleteEvent } from '../fixtures/cloudformation-events';
import { OTHER_ALIAS_ID, UNDOCUMENTED_ERROR_CHOICES, operationsOf, useHandlerHarness } from './handler-harness';

const PHYSICAL_ID = 'connect-email-address-alias-0123456789abcdef';

describe('Delete', () => {
  const harness = useHandlerHarness();

  test('reads the holders, ends the forwarding as the last one, and echoes the physical id', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);

    const run = await harness.run((responseUrl) => deleteEvent({ responseUrl, physicalResourceId: PHYSICAL_ID }));

    expect(run.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(run.log).toMatchObject({ association: 'remove' });
    expect(run.calls).toEqual([
      expect.objectContaining({ operation: 'DescribeEmailAddress', instanceId: INSTANCE_ID, emailAddressId: PRIMARY_ID, status: 200 }),
      expect.objectContaining({
        operation: 'DisassociateEmailAddressAlias',
        instanceId: INSTANCE_ID,
        emailAddressId: PRIMARY_ID,
        aliasEmailAddressId: ALIAS_ID,
        status: 200,
      }),
    ]);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([]);
  });

  test.each([
    ['the primary address', (h: typeof harness) => h.emulator.deleteEmailAddress(INSTANCE_ID, PRIMARY_ID)],
    ['the alias address', (h: typeof harness) => h.emulator.deleteEmailAddress(INSTANCE_ID, ALIAS_ID)],
    ['the whole instance', (h: typeof harness) => h.emulator.deleteInstance(INSTANCE_ID)],
  ])('succeeds when %s is already deleted', async (_, remove) => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);
    remove(harness);

    const run = await harness.run((responseUrl) => deleteEvent({ responseUrl, physicalResourceId: PHYSICAL_ID }));

    expect(run.response.Status).toBe('SUCCESS');
    expect(operationsOf(run.calls)).toEqual(['DescribeEmailAddress']);
  });

  test('fails when Connect keeps denying access, and the association stays', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);
    harness.emulator.injectFault('DisassociateEmailAddressAlias', { kind: 'accessDenied', times: 100_000 });

    const run = await harness.run((responseUrl) => deleteEvent({ responseUrl, physicalResourceId: PHYSICAL_ID }));

    expect(run.response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: PHYSICAL_ID });
    expect(run.response.Reason).toMatch(/^DisassociateEmailAddressAlias\(instance .*\) failed after \d+ attempts: AccessDeniedException: /);
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
  });

  test('after Create, removes the association that Create made', async () => {
    const creation = await harness.run((responseUrl) => createEvent({ responseUrl }));
    const deletion = await harness.run((responseUrl) =>
      deleteEvent({ responseUrl, physicalResourceId: creation.response.PhysicalResourceId }),
    );

    expect(deletion.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: creation.response.PhysicalResourceId });
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([]);
  });
});

describe.each(UNDOCUMENTED_ERROR_CHOICES)('Delete of an association that is already gone (Connect answers %s)', (_, emulator) => {
  const harness = useHandlerHarness({ emulator });

  test('succeeds', async () => {
    const run = await harness.run((responseUrl) => deleteEvent({ responseUrl, physicalResourceId: PHYSICAL_ID }));

    expect(run.response.Status).toBe('SUCCESS');
    expect(harness.emulator.mutatingCalls()).toEqual([]);
  });

  test('leaves an alias that forwards to the primary from another resource alone', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, OTHER_ALIAS_ID);

    const run = await harness.run((responseUrl) => deleteEvent({ responseUrl, physicalResourceId: PHYSICAL_ID }));

    expect(run.response.Status).toBe('SUCCESS');
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([OTHER_ALIAS_ID]);
  });
});
