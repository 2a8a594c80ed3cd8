/**
 * What a user writes without this library: one AwsCustomResource per alias, calling the
 * Connect API directly, with a policy scoped to the instance and both addresses.
 */
import { Stack } from 'aws-cdk-lib';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  AwsSdkCall,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { emailAddressArn, INSTANCE_ID, instanceArn } from '../test/fixtures/environment';
import { AliasPair } from './fixtures';

export function addBaselineAliases(stack: Stack, pairs: readonly AliasPair[]): void {
  pairs.forEach((pair, index) => {
    const parameters = {
      InstanceId: INSTANCE_ID,
      EmailAddressId: pair.emailAddressId,
      AliasConfiguration: { EmailAddressId: pair.aliasEmailAddressId },
    };
    const associate: AwsSdkCall = {
      service: 'Connect',
      action: 'associateEmailAddressAlias',
      parameters,
      // A new pair means a new physical id, so CloudFormation's cleanup Delete removes the old pair.
      physicalResourceId: PhysicalResourceId.of(`${pair.emailAddressId}/${pair.aliasEmailAddressId}`),
    };
    new AwsCustomResource(stack, `Alias${index}`, {
      onCreate: associate,
      onUpdate: associate,
      onDelete: {
        service: 'Connect',
        action: 'disassociateEmailAddressAlias',
        parameters,
        ignoreErrorCodesMatching: 'ResourceNotFoundException',
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({
        resources: [instanceArn(), emailAddressArn(pair.emailAddressId), emailAddressArn(pair.aliasEmailAddressId)],
      }),
      // The baseline relies on the SDK in the Lambda runtime instead of installing one at deploy time.
      installLatestAwsSdk: false,
    });
  });
}
