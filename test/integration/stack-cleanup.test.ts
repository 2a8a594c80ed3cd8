import { INSTANCE_ID } from '../fixtures/environment';
import { responseOf } from '../support/cloudformation-driver';
import { PAST_CONTENTION_WINDOW, SequenceWorld, sequence, sequenceUnderEachBehaviour } from '../support/integration-sequence';

// What CloudFormation does to undo or remove the alias. A failed step is rolled back: an Update
// by an Update with the properties swapped, a Create by a Delete; either must leave Connect as
// it was before the step. Teardown often comes after what the alias joined is gone, and must
// not fail on that.

/** Deploys the stack holding "support <- sales". */
async function createSupportAlias(world: SequenceWorld): Promise<void> {
  world.addEmailAddresses('support', 'sales');
  const creation = await world.cloudFormation.deploy(world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId: 'sales' }));
  expect(creation.status).toBe('CREATE_COMPLETE');
}

// billing forwards to help: Connect refuses, and the state of support and billing does not say
// why, so the refusal is retried for the 20 s contention window; the function outlasts it.
sequenceUnderEachBehaviour('a failed update is rolled back and the original association is back', PAST_CONTENTION_WINDOW, async (world) => {
  world.addEmailAddresses('support', 'sales', 'billing', 'help');
  world.emulator.seedAlias(INSTANCE_ID, 'help', 'billing');
  const declare = (aliasEmailAddressId: string) => world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId });
  expect((await world.cloudFormation.deploy(declare('sales'))).status).toBe('CREATE_COMPLETE');

  // billing already forwards to help, so it cannot become an alias of support.
  const update = await world.cloudFormation.deploy(declare('billing'));

  expect(update.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(responseOf(update.deliveries[0])).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('billing') });
  expect(world.associations()).toEqual(['support <- sales', 'help <- billing']);
});

sequenceUnderEachBehaviour('an update to an address that does not exist is rolled back', {}, async (world) => {
  world.addEmailAddresses('support', 'sales');
  expect((await world.cloudFormation.deploy(world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId: 'sales' }))).status).toBe(
    'CREATE_COMPLETE',
  );

  const update = await world.cloudFormation.deploy(world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'missing', aliasEmailAddressId: 'sales' }));

  expect(update.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(responseOf(update.deliveries[0])).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('missing') });
  expect(world.associations()).toEqual(['support <- sales']);
});

sequenceUnderEachBehaviour("a failed create's rollback leaves another primary's association intact", PAST_CONTENTION_WINDOW, async (world) => {
  world.addEmailAddresses('support', 'billing', 'help');
  world.emulator.seedAlias(INSTANCE_ID, 'help', 'billing');

  const creation = await world.cloudFormation.deploy(world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId: 'billing' }));

  expect(creation.status).toBe('ROLLBACK_COMPLETE');
  expect(responseOf(creation.deliveries[0])).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('billing') });
  expect(world.associations()).toEqual(['help <- billing']);
});

sequenceUnderEachBehaviour("a failed create's rollback leaves the same association, made by someone else, intact", PAST_CONTENTION_WINDOW, async (world) => {
  world.addEmailAddresses('support', 'sales');
  world.emulator.seedAlias(INSTANCE_ID, 'support', 'sales');
  // Associate is refused (the pair exists) and the state check that would tell "already done"
  // is denied, past the 10 s IAM window: the create fails, and the Delete of its rollback names
  // this very pair.
  world.emulator.injectFault('DescribeEmailAddress', { kind: 'accessDenied', times: 100 });

  const creation = await world.cloudFormation.deploy(world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId: 'sales' }));

  expect(creation.status).toBe('ROLLBACK_COMPLETE');
  expect(responseOf(creation.deliveries[0])?.Status).toBe('FAILED');
  expect(world.associations()).toEqual(['support <- sales']);
});

sequenceUnderEachBehaviour('teardown after both addresses were deleted', {}, async (world) => {
  await createSupportAlias(world);
  world.emulator.deleteEmailAddress(INSTANCE_ID, 'sales');
  world.emulator.deleteEmailAddress(INSTANCE_ID, 'support');

  expect((await world.cloudFormation.destroy()).status).toBe('DELETE_COMPLETE');
});

sequenceUnderEachBehaviour('teardown after the alias address alone was deleted', {}, async (world) => {
  await createSupportAlias(world);
  world.emulator.deleteEmailAddress(INSTANCE_ID, 'sales');

  expect((await world.cloudFormation.destroy()).status).toBe('DELETE_COMPLETE');
});

sequenceUnderEachBehaviour('teardown after the whole instance was deleted', {}, async (world) => {
  await createSupportAlias(world);
  world.emulator.deleteInstance(INSTANCE_ID);

  expect((await world.cloudFormation.destroy()).status).toBe('DELETE_COMPLETE');
});

sequenceUnderEachBehaviour('teardown after the alias was moved to another primary by hand leaves the new association', {}, async (world) => {
  await createSupportAlias(world);
  // The emulator ends an association only with an address; re-adding the alias address stands in for a manual disassociation.
  world.emulator.deleteEmailAddress(INSTANCE_ID, 'sales');
  world.emulator.addEmailAddress(INSTANCE_ID, 'sales');
  world.addEmailAddresses('help');
  world.emulator.seedAlias(INSTANCE_ID, 'help', 'sales');

  expect((await world.cloudFormation.destroy()).status).toBe('DELETE_COMPLETE');
  expect(world.associations()).toEqual(['help <- sales']);
});

sequence("a failed update between the longest IDs the API allows is answered within CloudFormation's size limit", PAST_CONTENTION_WINDOW, async (world) => {
  // 500 characters is the API's limit for an email address ID (Connect's IDs are ASCII, which the
  // construct checks): the Reason, which names the addresses several times, is far longer than a
  // response may be.
  const longId = (letter: string) => `${letter}-${'e'.repeat(498)}`;
  const [primary, alias, taken, other] = ['p', 'a', 't', 'o'].map(longId);
  world.addEmailAddresses(primary, alias, taken, other);
  world.emulator.seedAlias(INSTANCE_ID, other, taken);
  const declare = (aliasEmailAddressId: string) => world.alias({ instanceId: INSTANCE_ID, emailAddressId: primary, aliasEmailAddressId });
  expect((await world.cloudFormation.deploy(declare(alias))).status).toBe('CREATE_COMPLETE');

  const update = await world.cloudFormation.deploy(declare(taken));

  expect(update.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(responseOf(update.deliveries[0])?.Reason).toMatch(/truncated/);
  expect(world.associations()).toEqual([`${primary} <- ${alias}`, `${other} <- ${taken}`]);
});

for (const [answer, takesEffect] of [['before', false], ['after', true]] as const) {
  sequenceUnderEachBehaviour(
    `an update that runs out of time ${answer} its new association took effect: the rollback puts the old one back`,
    { functionTimeoutMs: 5_000 },
    async (world) => {
      world.addEmailAddresses('support', 'sales', 'billing');
      const declare = (aliasEmailAddressId: string) => world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId });
      expect((await world.cloudFormation.deploy(declare('sales'))).status).toBe('CREATE_COMPLETE');
      // The update's association of the new alias never gets an answer; the rollback's goes through.
      world.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'hang', times: 1, takesEffect });

      const update = await world.cloudFormation.deploy(declare('billing'));

      expect(update.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(responseOf(update.deliveries[0])).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/time/i) });
      expect(world.associations()).toEqual(['support <- sales']);
    },
  );
}
