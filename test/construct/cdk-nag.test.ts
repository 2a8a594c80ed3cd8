import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import * as nag3 from 'cdk-nag';
import { readExampleContext } from '../../bin/example-context';
import { EmailAddressAliasExampleStack } from '../../bin/example-stack';
import { EmailAddressAlias } from '../../lib';
import { describeAliasStacksWithoutFindings } from './nag-scenarios';
import { INSTANCE_ID, OTHER_INSTANCE_ID, aliasProps, newStack } from './stacks';

/** The AwsSolutions findings cdk-nag 3 leaves after acknowledgments, as "rule construct-path". */
function nag3Findings(stack: Stack): string[] {
  Template.fromStack(stack); // synthesizes, so the tree is complete
  const report = new nag3.AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.constructPath}`),
  );
}

describeAliasStacksWithoutFindings(nag3Findings);

test('the example app has no AwsSolutions finding from cdk-nag 3', () => {
  const example = new EmailAddressAliasExampleStack(new App(), 'Example', { alias: readExampleContext({}).aliasProps });
  expect(nag3Findings(example)).toEqual([]);
});

test('only the email-address wildcard of each instance is acknowledged, on the policy that holds it, with the same reason in the form cdk-nag 2 reads', () => {
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
