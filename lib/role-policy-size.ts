import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** IAM's limit on all inline policies of one role together, white space not counted. */
const ROLE_INLINE_POLICY_LIMIT = 10_240;

// What a token can at most resolve to, so the count errs on the safe side: the longest
// partition and region names, an account ID, and generous room for a resource's name or ARN.
const PSEUDO_PARAMETER_LENGTHS: Record<string, number> = {
  'AWS::Partition': 'aws-iso-b'.length + 1,
  'AWS::Region': 'ap-southeast-7'.length + 1,
  'AWS::AccountId': 12,
  'AWS::URLSuffix': 'amazonaws.com.cn'.length,
};
const OTHER_TOKEN_LENGTH = 100;
const ATTRIBUTE_LENGTH = 200;

/**
 * The characters IAM would count for the role's own inline policies and `policies` attached
 * to it, or an error when together they exceed the limit, which CloudFormation would only
 * report at deploy time, after the resources before it are created.
 */
export function inlinePolicyErrors(stack: Stack, role: iam.Role, policies: ReadonlyArray<iam.CfnPolicy>): string[] {
  const roleResource = role.node.defaultChild as iam.CfnRole;
  const documents = [
    ...((stack.resolve(roleResource.policies) as Array<{ policyDocument: unknown }> | undefined) ?? []).map((p) => p.policyDocument),
    ...policies.map((policy) => stack.resolve(policy.policyDocument)),
  ];
  const characters = documents.reduce((sum: number, document) => sum + JSON.stringify(worstCase(document)).length, 0);
  if (characters <= ROLE_INLINE_POLICY_LIMIT) {
    return [];
  }
  return [
    `The handler role's inline policies would take up to ${characters} characters, over IAM's limit of ` +
      `${ROLE_INLINE_POLICY_LIMIT} for one role: the stack's aliases name ${policies.length} Amazon Connect instances, ` +
      'each with a policy of its own. Declare the aliases of fewer instances per stack (split them across stacks).',
  ];
}

/** The document with every CloudFormation expression replaced by the longest text it may become. */
function worstCase(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(worstCase);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const record = value as Record<string, unknown>;
  if ('Ref' in record) {
    return 'x'.repeat(PSEUDO_PARAMETER_LENGTHS[String(record.Ref)] ?? OTHER_TOKEN_LENGTH);
  }
  if ('Fn::Join' in record) {
    const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(worstCase(part))).join(separator);
  }
  if ('Fn::GetAtt' in record) {
    return 'x'.repeat(ATTRIBUTE_LENGTH);
  }
  if (Object.keys(record).some((key) => key.startsWith('Fn::'))) {
    return 'x'.repeat(OTHER_TOKEN_LENGTH);
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, worstCase(inner)]));
}
