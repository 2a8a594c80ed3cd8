/** This library's way to declare the same aliases as the baseline. */
import { Stack } from 'aws-cdk-lib';
import { EmailAddressAlias } from '../lib';
import { AliasPair, INSTANCE_ID } from './fixtures';

export function addOurAliases(stack: Stack, pairs: readonly AliasPair[]): void {
  pairs.forEach((pair, index) => new EmailAddressAlias(stack, `Alias${index}`, { instanceId: INSTANCE_ID, ...pair }));
}
