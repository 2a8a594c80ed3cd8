import { INSTANCE_ID } from '../fixtures/environment';
import { responseOf } from '../support/cloudformation-driver';
import { BLOCKED_ANSWERS } from '../support/connect-emulator';
import { PAST_CONTENTION_WINDOW, SequenceWorld, sequence } from '../support/integration-sequence';

// Connect's distributed lock may block a call on the same addresses; which error such a call
// gets is not documented. The handler judges every refusal by the state, so each plausible
// answer is retried, and one that does not clear fails within a bounded time, restoring or
// keeping what was in place.

function declare(world: SequenceWorld, aliasEmailAddressId = 'sales') {
  return world.alias({ instanceId: INSTANCE_ID, emailAddressId: 'support', aliasEmailAddressId });
}

for (const answer of BLOCKED_ANSWERS) {
  const name = `${answer[0]} "${answer[1]}"`;

  // Two blocked tries on each call clear within a second or two; the function outlasts the 20 s
  // contention window all the same, so that a busy machine cannot make the Update give up.
  sequence(`blocked calls answered ${name} that clear: create, update and delete succeed`, PAST_CONTENTION_WINDOW, async (world) => {
    world.addEmailAddresses('support', 'sales', 'help');
    for (const operation of ['AssociateEmailAddressAlias', 'DisassociateEmailAddressAlias'] as const) {
      world.emulator.injectFault(operation, { kind: 'lock', answer, times: 2 });
    }

    expect((await world.cloudFormation.deploy(declare(world))).status).toBe('CREATE_COMPLETE');
    for (const operation of ['AssociateEmailAddressAlias', 'DisassociateEmailAddressAlias'] as const) {
      world.emulator.injectFault(operation, { kind: 'lock', answer, times: 2 });
    }
    expect((await world.cloudFormation.deploy(declare(world, 'help'))).status).toBe('UPDATE_COMPLETE');
    expect(world.associations()).toEqual(['support <- help']);
    world.emulator.injectFault('DisassociateEmailAddressAlias', { kind: 'lock', answer, times: 2 });
    expect((await world.cloudFormation.destroy()).status).toBe('DELETE_COMPLETE');
    expect(world.associations()).toEqual([]);
  });

  sequence(`an update blocked with ${name} that does not clear fails, and the old association is restored`, PAST_CONTENTION_WINDOW, async (world) => {
    world.addEmailAddresses('support', 'sales', 'help');
    expect((await world.cloudFormation.deploy(declare(world))).status).toBe('CREATE_COMPLETE');
    world.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'lock', answer, times: 1_000_000, aliasEmailAddressId: 'help' });

    const update = await world.cloudFormation.deploy(declare(world, 'help'));

    expect(update.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(responseOf(update.deliveries[0])?.Reason).toMatch(
      /Refused \d+ times over \d+\.\d s, and the state does not explain it: .* The previous association \(.*alias sales\) was restored\.$/,
    );
    expect(world.associations()).toEqual(['support <- sales']);
  });

  sequence(`a delete blocked with ${name} that does not clear fails, and the association stays`, PAST_CONTENTION_WINDOW, async (world) => {
    world.addEmailAddresses('support', 'sales');
    expect((await world.cloudFormation.deploy(declare(world))).status).toBe('CREATE_COMPLETE');
    world.emulator.injectFault('DisassociateEmailAddressAlias', { kind: 'lock', answer, times: 1_000_000 });

    const deletion = await world.cloudFormation.destroy();

    expect(deletion.status).toBe('DELETE_FAILED');
    expect(responseOf(deletion.deliveries[0])?.Reason).toMatch(/^DisassociateEmailAddressAlias\(.*\) failed: .* the state does not explain it/);
    expect(world.associations()).toEqual(['support <- sales']);
  });
}
