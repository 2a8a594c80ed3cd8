import { Aspects, CfnResource, Fn, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import * as nag3 from 'cdk-nag';
import * as nag2 from 'cdk-nag-v2';
import { app } from '../../bin/app';
import { EmailAddressAlias } from '../../lib';
import { INSTANCE_ID, OTHER_INSTANCE_ID, aliasProps, newStack } from './stacks';

/** The AwsSolutions findings cdk-nag 3 leaves after acknowledgments, as "rule construct-path". */
function nag3Findings(stack: Stack): string[] {
  Template.fromStack(stack); // synthesizes, so the tree is complete
  const report = new nag3.AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.constructPath}`),
  );
}

/** The same from cdk-nag 2, which runs as an Aspect and reports through annotations. */
function nag2Findings(stack: Stack): string[] {
  Aspects.of(stack).add(new nag2.AwsSolutionsChecks());
  const annotations = Annotations.fromStack(stack);
  const finding = Match.stringLikeRegexp('^AwsSolutions-');
  return [...annotations.findError('*', finding), ...annotations.findWarning('*', finding)].map((message) => {
    const rule = /^AwsSolutions-\w+(\[[^\]]*\])?/.exec(String(message.entry.data))![0];
    return `${rule} ${message.id.replace(/^\//, '')}`;
  });
}

/** A stack of `count` aliases, not yet synthesized: cdk-nag 2's Aspect must see the first synthesis. */
function aliases(count: number): Stack {
  const stack = newStack();
  for (let n = 0; n < count; n++) new EmailAddressAlias(stack, `Alias${n}`, aliasProps(n));
  return stack;
}

const MAJORS = [
  ['cdk-nag 2', nag2Findings],
  ['cdk-nag 3', nag3Findings],
] as const;

describe.each(MAJORS)('%s', (_major, findings) => {
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

  test('the check itself reports the wildcard once the acknowledgements are taken away', () => {
    const stack = aliases(1);
    const policy = stack.node.findAll().find((construct): construct is CfnPolicy => construct instanceof CfnPolicy)!;
    (policy.node as unknown as { _metadata: unknown[] })._metadata = [];
    policy.cfnOptions.metadata = {};
    expect(findings(stack)).toEqual([expect.stringMatching(/^AwsSolutions-IAM5\[Resource::.*email-address\/\*\] /)]);
  });
});

test('the example app has no AwsSolutions finding from cdk-nag 3', () => {
  expect(nag3Findings(app.node.findChild('EmailAddressAliasExampleStack') as Stack)).toEqual([]);
});

test('only the email-address wildcard of each instance is acknowledged, on the policy that holds it, with one reason for both majors', () => {
  const stack = newStack();
  new EmailAddressAlias(stack, 'A', aliasProps(1));
  new EmailAddressAlias(stack, 'B', aliasProps(2, OTHER_INSTANCE_ID));
  const acknowledgements = stack.node.findAll().flatMap((construct) => {
    const nag3Form = construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ id: id.replace(/^Annotation::/, ''), reason }));
    const nag2Form = ((construct as CfnResource).getMetadata?.('cdk_nag')?.rules_to_suppress ?? []).map(
      (rule: { id: string; applies_to: string[]; reason: string }) => ({ id: `${rule.id}[${rule.applies_to.join()}]`, reason: rule.reason }),
    );
    return nag3Form.length + nag2Form.length === 0 ? [] : [{ path: construct.node.path, nag3Form, nag2Form }];
  });

  const policyPath = (instanceId: string) =>
    stack.node
      .findAll()
      .find((construct) => construct instanceof CfnPolicy && JSON.stringify(stack.resolve(construct.policyDocument)).includes(instanceId))!
      .node.path;
  const wildcard = (instanceId: string) => ({
    id:
      'AwsSolutions-IAM5' +
      `[Resource::arn:<AWS::Partition>:connect:<AWS::Region>:<AWS::AccountId>:instance/${instanceId}/email-address/*]`,
    reason: expect.stringMatching(/^Amazon Connect authorises the alias actions on email-address resources\./),
  });
  expect(acknowledgements).toEqual(
    [INSTANCE_ID, OTHER_INSTANCE_ID].map((instanceId) => ({
      path: policyPath(instanceId),
      nag3Form: [wildcard(instanceId)],
      nag2Form: [wildcard(instanceId)],
    })),
  );
  for (const { nag3Form, nag2Form } of acknowledgements) expect(nag2Form[0].reason).toBe(nag3Form[0].reason);
});
