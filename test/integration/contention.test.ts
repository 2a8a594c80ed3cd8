import { INSTANCE_ID } from '../fixtures/environment';
import { responseOf } from '../support/cloudformation-driver';
import { PAST_CONTENTION_WINDOW, SequenceWorld, sequence } from '../support/integration-sequence';

// A refusal the state explains fails at once; one it does not is retried for a bounded time,
// so a genuine rule violation still fails well within a deploy. IAM may not enforce a policy
// yet right after it is attached, and the response URL may hang.

function declare(world: SequenceWorld, aliasEmailAddressId = 'sales') {
  return world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId });
}

sequence('a genuine rule violation that the state cannot show still fails, within 30 s', PAST_CONTENTION_WINDOW, async (world) => {
  // sales already forwards to help; Connect's answer says so in no documented way, and
  // DescribeEmailAddress of support or sales does not show it either.
  world.addEmailAddresses('support', 'sales', 'help');
  world.emulator.seedAlias(INSTANCE_ID, 'help', 'sales');

  const creation = await world.cloudFormation.deploy(declare(world));

  expect(creation.status).toBe('ROLLBACK_COMPLETE');
  expect(responseOf(creation.deliveries[0])?.Reason).toMatch(/sales may already be the alias of another address/);
  expect(creation.deliveries[0].invocation.durationMs).toBeLessThan(30_000);
  expect(world.associations()).toEqual(['help <- sales']);
});

sequence('a rule the state shows (the primary has another alias) fails at once, without retrying', PAST_CONTENTION_WINDOW, async (world) => {
  world.addEmailAddresses('support', 'sales', 'help');
  world.emulator.seedAlias(INSTANCE_ID, 'support', 'help');

  const creation = await world.cloudFormation.deploy(declare(world));

  expect(creation.status).toBe('ROLLBACK_COMPLETE');
  expect(responseOf(creation.deliveries[0])?.Reason).toMatch(/support already has the alias help, and an address has at most one alias/);
  expect(world.emulator.callsOf('AssociateEmailAddressAlias')).toHaveLength(1);
});

sequence('access denied once, as right after the policy is attached, is retried to success', {}, async (world) => {
  world.addEmailAddresses('support', 'sales');
  world.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'accessDenied', times: 1 });

  expect((await world.cloudFormation.deploy(declare(world))).status).toBe('CREATE_COMPLETE');
  expect(world.associations()).toEqual(['support <- sales']);
});

sequence('access denied for good fails the create within 15 s', PAST_CONTENTION_WINDOW, async (world) => {
  world.addEmailAddresses('support', 'sales');
  world.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'accessDenied', times: 1_000_000 });

  const creation = await world.cloudFormation.deploy(declare(world));

  expect(creation.status).toBe('ROLLBACK_COMPLETE');
  expect(responseOf(creation.deliveries[0])?.Reason).toMatch(/^AssociateEmailAddressAlias\(.*\) failed after \d+ attempts: AccessDeniedException/);
  expect(creation.deliveries[0].invocation.durationMs).toBeLessThan(15_000);
});

sequence('a response PUT that hangs is abandoned in time for another try, which is accepted', PAST_CONTENTION_WINDOW, async (world) => {
  world.addEmailAddresses('support', 'sales');
  world.receiver.refuseNext(1, 'hang');

  const creation = await world.cloudFormation.deploy(declare(world));

  expect(creation.status).toBe('CREATE_COMPLETE');
  expect(creation.deliveries[0].requests.map((request) => request.answeredWith)).toEqual(['hang', 200]);
});
