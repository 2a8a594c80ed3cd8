import { App, Fn, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { readExampleContext } from '../../bin/example-context';
import { EmailAddressAliasExampleStack } from '../../bin/example-stack';
import { EmailAddressAlias } from '../../lib';
import { INSTANCE_ID, OTHER_INSTANCE_ID, aliasProps, newStack, stackWithAliases } from './stacks';

/** The AwsSolutions findings left after acknowledgments, as "rule construct-path". */
function awsSolutionsFindings(stack: Stack): string[] {
  Template.fromStack(stack); // synthesizes, so the tree is complete
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.constructPath}`),
  );
}

function acknowledgedRules(construct: IConstruct): string[] {
  return construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data));
}

test('the example app has no AwsSolutions finding', () => {
  const example = new EmailAddressAliasExampleStack(new App(), 'Example', { alias: readExampleContext({}).aliasProps });
  expect(awsSolutionsFindings(example)).toEqual([]);
});

test('fifty aliases have no AwsSolutions finding', () => {
  expect(awsSolutionsFindings(stackWithAliases(50).stack)).toEqual([]);
});

test('aliases of two instances, one given as a token, in a stack of one region, have no AwsSolutions finding', () => {
  const stack = newStack({ env: { account: '123456789012', region: 'us-east-1' } });
  new EmailAddressAlias(stack, 'Literal', aliasProps(1));
  new EmailAddressAlias(stack, 'Token', aliasProps(2, Fn.importValue('InstanceArn')));
  new EmailAddressAlias(stack, 'Other', aliasProps(3, OTHER_INSTANCE_ID));
  expect(awsSolutionsFindings(stack)).toEqual([]);
});

test('only the email-address wildcard of each instance is acknowledged, on the policy that holds it', () => {
  const stack = newStack();
  new EmailAddressAlias(stack, 'A', aliasProps(1));
  new EmailAddressAlias(stack, 'B', aliasProps(2, OTHER_INSTANCE_ID));
  const policyPath = (instanceId: string) =>
    stack.node
      .findAll()
      .find((construct) => construct instanceof CfnPolicy && JSON.stringify(stack.resolve(construct.policyDocument)).includes(instanceId))!
      .node.path;
  const acknowledged = stack.node.findAll().flatMap((construct) =>
    acknowledgedRules(construct).map((rule) => `${construct.node.path} ${rule}`),
  );
  const wildcard = (instanceId: string) =>
    `${policyPath(instanceId)} Annotation::AwsSolutions-IAM5` +
    `[Resource::arn:<AWS::Partition>:connect:<AWS::Region>:<AWS::AccountId>:instance/${instanceId}/email-address/*]`;
  expect(acknowledged).toEqual([wildcard(INSTANCE_ID), wildcard(OTHER_INSTANCE_ID)]);
});
