import { INSTANCE_ID, emailAddressArn, instanceArn } from '../fixtures/environment';
import { responseOf } from '../support/cloudformation-driver';
import { sequenceUnderEachBehaviour } from '../support/integration-sequence';

// The life of one alias as a stack deploys it, changes it and deletes it, against the built
// handler and a local Amazon Connect.
sequenceUnderEachBehaviour('create, change the alias, change the primary, delete', {}, async (world) => {
  world.addEmailAddresses('support', 'sales', 'billing', 'help');
  const declare = (emailAddressId: string, aliasEmailAddressId: string) =>
    world.alias({ instanceId: INSTANCE_ID, emailAddressId, aliasEmailAddressId });

  const created = await world.cloudFormation.deploy(declare('support', 'sales'));
  expect(created.status).toBe('CREATE_COMPLETE');
  expect(world.associations()).toEqual(['support <- sales']);

  expect((await world.cloudFormation.deploy(declare('support', 'billing'))).status).toBe('UPDATE_COMPLETE');
  expect(world.associations()).toEqual(['support <- billing']);

  expect((await world.cloudFormation.deploy(declare('help', 'billing'))).status).toBe('UPDATE_COMPLETE');
  expect(world.associations()).toEqual(['help <- billing']);

  expect((await world.cloudFormation.destroy()).status).toBe('DELETE_COMPLETE');
  expect(world.associations()).toEqual([]);
});

sequenceUnderEachBehaviour('an update that only switches between IDs and ARNs changes nothing in Connect', {}, async (world) => {
  world.addEmailAddresses('support', 'sales');
  const byId = world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId: 'sales' });
  const byArn = world.alias({ instanceId: instanceArn(), emailAddressId: emailAddressArn('support'), aliasEmailAddressId: emailAddressArn('sales') });
  const byAddressArnAlone = world.alias({ emailAddressId: emailAddressArn('support'), aliasEmailAddressId: emailAddressArn('sales') });

  expect((await world.cloudFormation.deploy(byId)).status).toBe('CREATE_COMPLETE');
  const afterCreate = world.mutatingRequests();
  for (const form of [byArn, byAddressArnAlone, byId]) {
    expect((await world.cloudFormation.deploy(form)).status).toBe('UPDATE_COMPLETE');
  }
  expect(world.mutatingRequests()).toBe(afterCreate);
  expect(world.associations()).toEqual(['support <- sales']);
});

sequenceUnderEachBehaviour('attributes read with Fn::GetAtt are plain IDs, whichever form was declared', {}, async (world) => {
  world.addEmailAddresses('support', 'sales');
  const byArn = world.alias({ emailAddressId: emailAddressArn('support'), aliasEmailAddressId: emailAddressArn('sales') });

  const [creation] = (await world.cloudFormation.deploy(byArn)).deliveries;
  expect(responseOf(creation)?.Data).toEqual({ InstanceId: INSTANCE_ID, EmailAddressId: 'support', AliasEmailAddressId: 'sales' });
});

// SQS may deliver a message twice, and Lambda retry an invocation, so the same event can reach
// the handler twice. While CloudFormation still waits, the second delivery must answer the way
// the first did; once it has its answer, the second changes nothing. Either way Connect is left
// as the first left it.
for (const whileAwaited of [true, false]) {
  sequenceUnderEachBehaviour(`create, update and delete each delivered twice, ${whileAwaited ? 'while' : 'after'} CloudFormation waits`, {}, async (world) => {
    world.addEmailAddresses('support', 'sales', 'billing');
    const declare = (aliasEmailAddressId: string) => world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId });

    const steps = [
      { run: () => world.cloudFormation.deploy(declare('sales')), state: ['support <- sales'] },
      { run: () => world.cloudFormation.deploy(declare('billing')), state: ['support <- billing'] },
      { run: () => world.cloudFormation.destroy(), state: [] },
    ];
    for (const { run, state } of steps) {
      const [first] = (await run()).deliveries;
      const second = await world.cloudFormation.redeliver(first, { whileAwaited });
      if (whileAwaited) expect(responseOf(second)).toEqual(responseOf(first));
      expect(world.associations()).toEqual(state);
      expect(world.emulator.tagsOf(INSTANCE_ID, 'support')).toEqual({});
    }
  });
}
