import { INSTANCE_ID } from '../fixtures/environment';
import { SequenceWorld, sequenceUnderEachBehaviour } from '../support/integration-sequence';
import { SynthesizedAlias } from '../support/synthesized-alias';

// CloudFormation's orders across resources: a renamed or moved construct is a new resource,
// created before the old one is deleted in cleanup; a rolled-back rename deletes the new one
// while the old one still declares the pair; two stacks may declare one pair. The association
// must stay while any declaration holds it, and go with the last.

/** "support <- sales", declared by a construct of `name`: another name is another logical ID. */
function supportAlias(world: SequenceWorld, name = 'SupportAlias'): SynthesizedAlias {
  const alias = world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId: 'sales' });
  return name === 'SupportAlias' ? alias : { ...alias, logicalResourceId: `${name}0A1B2C3D` };
}

sequenceUnderEachBehaviour('a rename (create new, then delete old in cleanup) keeps the association; the last delete removes it', {}, async (world) => {
  world.addEmailAddresses('support', 'sales');
  const old = world.cloudFormation;
  const renamed = old.another({ sameStack: true });
  expect((await old.deploy(supportAlias(world))).status).toBe('CREATE_COMPLETE');

  expect((await renamed.deploy(supportAlias(world, 'MovedAlias'))).status).toBe('CREATE_COMPLETE');
  expect((await old.destroy()).status).toBe('DELETE_COMPLETE');
  expect(world.associations()).toEqual(['support <- sales']);

  expect((await renamed.destroy()).status).toBe('DELETE_COMPLETE');
  expect(world.associations()).toEqual([]);
  expect(world.emulator.tagsOf(INSTANCE_ID, 'support')).toEqual({});
});

sequenceUnderEachBehaviour('a rolled-back rename (create new, then delete new) keeps the association for the old one', {}, async (world) => {
  world.addEmailAddresses('support', 'sales');
  const old = world.cloudFormation;
  const renamed = old.another({ sameStack: true });
  expect((await old.deploy(supportAlias(world))).status).toBe('CREATE_COMPLETE');

  expect((await renamed.deploy(supportAlias(world, 'MovedAlias'))).status).toBe('CREATE_COMPLETE');
  // Another resource of the update failed: the rollback's cleanup deletes the new resource.
  expect((await renamed.destroy()).status).toBe('DELETE_COMPLETE');
  expect(world.associations()).toEqual(['support <- sales']);

  expect((await old.destroy()).status).toBe('DELETE_COMPLETE');
  expect(world.associations()).toEqual([]);
  expect(world.emulator.tagsOf(INSTANCE_ID, 'support')).toEqual({});
});

for (const order of ['first', 'second'] as const) {
  sequenceUnderEachBehaviour(`two stacks declaring one pair: deleting the ${order} keeps it, deleting both removes it`, {}, async (world) => {
    world.addEmailAddresses('support', 'sales');
    const stacks = [world.cloudFormation, world.cloudFormation.another({ sameStack: false })];
    for (const stack of stacks) {
      expect((await stack.deploy(supportAlias(world))).status).toBe('CREATE_COMPLETE');
    }
    const [goesFirst, goesLast] = order === 'first' ? stacks : [...stacks].reverse();

    expect((await goesFirst.destroy()).status).toBe('DELETE_COMPLETE');
    expect(world.associations()).toEqual(['support <- sales']);
    expect((await goesLast.destroy()).status).toBe('DELETE_COMPLETE');
    expect(world.associations()).toEqual([]);
  });
}

sequenceUnderEachBehaviour('an association made by hand is adopted, and stays when its declaration goes', {}, async (world) => {
  world.addEmailAddresses('support', 'sales');
  world.emulator.seedAlias(INSTANCE_ID, 'support', 'sales');

  expect((await world.cloudFormation.deploy(supportAlias(world))).status).toBe('CREATE_COMPLETE');
  expect((await world.cloudFormation.destroy()).status).toBe('DELETE_COMPLETE');

  // Left as it was found: in place, and unmarked.
  expect(world.associations()).toEqual(['support <- sales']);
  expect(world.emulator.tagsOf(INSTANCE_ID, 'support')).toEqual({});
});

sequenceUnderEachBehaviour('a plain create, update and delete cost 1, 3 and 2 Connect calls', {}, async (world) => {
  world.addEmailAddresses('support', 'sales', 'help');
  const calls = () => world.emulator.calls.length;

  await world.cloudFormation.deploy(supportAlias(world));
  const afterCreate = calls();
  await world.cloudFormation.deploy(world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId: 'help' }));
  const afterUpdate = calls();
  await world.cloudFormation.destroy();

  expect([afterCreate, afterUpdate - afterCreate, calls() - afterUpdate]).toEqual([1, 3, 2]);
  expect(world.associations()).toEqual([]);
});
