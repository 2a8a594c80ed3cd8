import { Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { EmailAddressAlias } from '../../lib';
import { OTHER_INSTANCE_ID, aliasProps, newStack } from './stacks';

/** A stack of `count` aliases, not yet synthesized: cdk-nag 2's Aspect must see the first synthesis. */
function aliases(count: number): Stack {
  const stack = newStack();
  for (let n = 0; n < count; n++) new EmailAddressAlias(stack, `Alias${n}`, aliasProps(n));
  return stack;
}

/**
 * The stacks every supported cdk-nag major must find nothing in, and the proof that the check
 * would find the wildcard. `findings` runs one major's AwsSolutions pack on a stack that has
 * not been synthesized yet, and returns what it reports as "rule construct-path".
 */
export function describeAliasStacksWithoutFindings(findings: (stack: Stack) => string[]): void {
  test('fifty aliases have no AwsSolutions finding', () => {
    expect(findings(aliases(50))).toEqual([]);
  });

  test('aliases of two instances, one given as a token, in a stack of one region, have no AwsSolutions finding', () => {
    const stack = newStack({ env: { account: '123456789012', region: 'us-east-1' } });
    new EmailAddressAlias(stack, 'Literal', aliasProps(1));
    new EmailAddressAlias(stack, 'Token', aliasProps(2, Fn.importValue('InstanceArn')));
    new EmailAddressAlias(stack, 'Other', aliasProps(3, OTHER_INSTANCE_ID));
    expect(findings(stack)).toEqual([]);
  });

  test("in a VPC, the function and its own role have no AwsSolutions finding", () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 });
    new EmailAddressAlias(stack, 'InVpc', { ...aliasProps(1), vpc });
    // The VPC is the user's: only what the construct makes is checked.
    expect(findings(stack).filter((finding) => / TestStack\/(ConnectEmailAddressAliasProvider|ConnectPolicy|InVpc)/.test(finding))).toEqual([]);
  });

  test('the check itself reports the wildcard once the acknowledgements are taken away', () => {
    const stack = aliases(1);
    const policy = stack.node.findAll().find((construct): construct is CfnPolicy => construct instanceof CfnPolicy)!;
    (policy.node as unknown as { _metadata: unknown[] })._metadata = [];
    policy.cfnOptions.metadata = {};
    expect(findings(stack)).toEqual([expect.stringMatching(/^AwsSolutions-IAM5\[Resource::.*email-address\/\*\] /)]);
  });
}
