import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EmailAddressAlias, EmailAddressAliasProps } from '../../lib';

export const INSTANCE_ID = '11111111-2222-4333-8444-555555555555';
export const OTHER_INSTANCE_ID = '99999999-2222-4333-8444-555555555555';
export const PRIMARY_ID = 'primary-66666666-7777-4888-9999-aaaaaaaaaaaa';
export const ALIAS_ID = 'alias-bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';

/** An email-address ARN in us-east-1 / 123456789012. */
export function emailAddressArn(emailAddressId: string, instanceId = INSTANCE_ID): string {
  return `arn:aws:connect:us-east-1:123456789012:instance/${instanceId}/email-address/${emailAddressId}`;
}

/** A fresh stack in its own app. */
export function newStack(props?: StackProps): Stack {
  return new Stack(new App(), 'TestStack', props);
}

/** Props for the n-th alias of an instance: distinct primary and alias IDs. */
export function aliasProps(n: number, instanceId = INSTANCE_ID): EmailAddressAliasProps {
  return { instanceId, emailAddressId: `primary-${n}`, aliasEmailAddressId: `alias-${n}` };
}

/** A stack with `count` aliases of one instance, and its template. */
export function stackWithAliases(count: number): { stack: Stack; template: Template } {
  const stack = newStack();
  for (let n = 0; n < count; n++) {
    new EmailAddressAlias(stack, `Alias${n}`, aliasProps(n));
  }
  return { stack, template: Template.fromStack(stack) };
}

/** The statements of each AWS::IAM::Policy of the stack, by logical ID. */
export function policyStatements(template: Template): Record<string, any[]> {
  return Object.fromEntries(
    Object.entries(template.findResources('AWS::IAM::Policy')).map(([logicalId, policy]) => [
      logicalId,
      policy.Properties.PolicyDocument.Statement,
    ]),
  );
}

/**
 * The newest Node.js runtime the aws-cdk-lib under test knows, found as cdk-nag's AwsSolutions-L1
 * finds it (every runtime of the family, by version), which flags a function on any other.
 */
export function newestNodejsRuntimeName(): string {
  const names = lambda.Runtime.ALL.filter((runtime) => runtime.family === lambda.RuntimeFamily.NODEJS).map((runtime) => runtime.name);
  return names.sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).pop()!;
}
