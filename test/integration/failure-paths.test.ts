import { INSTANCE_ID } from '../fixtures/environment';
import { responseOf } from '../support/cloudformation-driver';
import { SequenceWorld, sequenceUnderEachBehaviour } from '../support/integration-sequence';
import { SynthesizedAlias } from '../support/synthesized-alias';
import { waitFor } from '../support/wait-for';

// CloudFormation's failure paths, across invocations that overlap: a Create cancelled while it
// still runs (its Delete carries an id CloudFormation made up), Lambda handing over an event
// after the rollback, a failed Update rolled back, a holder the stack no longer has. Once every
// invocation has ended, Connect must hold exactly what the stack declares: a pair is associated
// if and only if a live declaration holds it or it was made by hand and no stack removed it,
// and no mark is left that no live declaration accounts for.

function declare(world: SequenceWorld, aliasEmailAddressId = 'sales', name?: string): SynthesizedAlias {
  const alias = world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId });
  return name === undefined ? alias : { ...alias, logicalResourceId: `${name}0A1B2C3D` };
}

/** Connect throttles the Create's first two associates, so that it waits while CloudFormation moves on. */
function throttleTwice(world: SequenceWorld): () => boolean {
  world.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'throttle', times: 2 });
  return () => world.emulator.callsOf('AssociateEmailAddressAlias').some((call) => call.fault === 'throttle');
}

sequenceUnderEachBehaviour('a Delete that arrives while the Create waits out a throttle: the Create, once awake, changes nothing', {}, async (world) => {
  world.addEmailAddresses('support', 'sales');
  const throttled = throttleTwice(world);
  const pending = world.cloudFormation.startCreate(declare(world));
  await waitFor(throttled);

  const rollback = await world.cloudFormation.cancel(pending);
  expect(rollback.status).toBe('ROLLBACK_COMPLETE');
  const creation = await pending.delivery;

  expect(responseOf(creation)?.Reason).toMatch(/CloudFormation no longer waits for this Create/);
  expect(world.associations()).toEqual([]);
  expect(world.emulator.tagsOf(INSTANCE_ID, 'support')).toEqual({});
});

sequenceUnderEachBehaviour('a hand-made pair under a cancelled Create stays, as it was', {}, async (world) => {
  world.addEmailAddresses('support', 'sales');
  world.emulator.seedAlias(INSTANCE_ID, 'support', 'sales');
  const throttled = throttleTwice(world);
  const pending = world.cloudFormation.startCreate(declare(world));
  await waitFor(throttled);

  expect((await world.cloudFormation.cancel(pending)).status).toBe('ROLLBACK_COMPLETE');
  await pending.delivery;

  expect(world.associations()).toEqual(['support <- sales']);
  expect(world.emulator.tagsOf(INSTANCE_ID, 'support')).toEqual({});
});

sequenceUnderEachBehaviour("Lambda's late retry of a Create after the rollback changes nothing", {}, async (world) => {
  world.addEmailAddresses('support');
  // The alias address does not exist yet: the Create fails and is rolled back.
  const creation = await world.cloudFormation.deploy(declare(world));
  expect(creation.status).toBe('ROLLBACK_COMPLETE');
  world.addEmailAddresses('sales');

  // Lambda hands the function the same event again, as after a crash or a timeout.
  await world.cloudFormation.redeliver(creation.deliveries[0]);

  expect(world.associations()).toEqual([]);
});

sequenceUnderEachBehaviour("a failed pair-changing Update's rollback leaves the resource the sole, unmarked maker", {}, async (world) => {
  world.addEmailAddresses('support', 'sales');
  expect((await world.cloudFormation.deploy(declare(world))).status).toBe('CREATE_COMPLETE');

  // billing does not exist: the Update fails, its rollback asks for support <- sales again.
  expect((await world.cloudFormation.deploy(declare(world, 'billing'))).status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(world.associations()).toEqual(['support <- sales']);
  expect(world.emulator.tagsOf(INSTANCE_ID, 'support')).toEqual({});

  expect((await world.cloudFormation.destroy()).status).toBe('DELETE_COMPLETE');
  expect(world.associations()).toEqual([]);
  expect(world.emulator.tagsOf(INSTANCE_ID, 'support')).toEqual({});
});

sequenceUnderEachBehaviour('a rolled-back Update of a pair another stack shares: deleting both still removes it', {}, async (world) => {
  world.addEmailAddresses('support', 'sales');
  const maker = world.cloudFormation;
  const sharer = maker.another({ sameStack: false });
  expect((await maker.deploy(declare(world))).status).toBe('CREATE_COMPLETE');
  expect((await sharer.deploy(declare(world))).status).toBe('CREATE_COMPLETE');

  expect((await maker.deploy(declare(world, 'billing'))).status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect((await maker.destroy()).status).toBe('DELETE_COMPLETE');
  expect(world.associations()).toEqual(['support <- sales']);
  expect((await sharer.destroy()).status).toBe('DELETE_COMPLETE');

  expect(world.associations()).toEqual([]);
  expect(world.emulator.tagsOf(INSTANCE_ID, 'support')).toEqual({});
});

sequenceUnderEachBehaviour('the mark of a holder its stack no longer has keeps the association no longer than the last live one', {}, async (world) => {
  world.addEmailAddresses('support', 'sales');
  const old = world.cloudFormation;
  const moved = old.another({ sameStack: true });
  expect((await old.deploy(declare(world))).status).toBe('CREATE_COMPLETE');
  expect((await moved.deploy(declare(world, 'sales', 'MovedAlias'))).status).toBe('CREATE_COMPLETE');
  // The stack no longer lists the moved resource, and no Delete came for it (retained, or a
  // cleanup that failed and was skipped): its mark stays behind on the primary.
  moved.retain();

  expect((await old.destroy()).status).toBe('DELETE_COMPLETE');

  expect(world.associations()).toEqual([]);
  expect(world.emulator.tagsOf(INSTANCE_ID, 'support')).toEqual({});
});
