/** This library's way to declare the same aliases as the baseline. */
import { Stack } from 'aws-cdk-lib';
import { EmailAddressAlias } from '../lib';
import { INSTANCE_ID } from '../test/fixtures/environment';
import { AliasPair } from './fixtures';

export function addOurAliases(stack: Stack, pairs: readonly AliasPair[]): void {
  pairs.forEach((pair, index) => new EmailAddressAlias(stack, `Alias${index}`, { instanceId: INSTANCE_ID, ...pair }));
}
