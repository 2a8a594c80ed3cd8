import { App, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as connect from 'aws-cdk-lib/aws-connect';
import { EmailAddressAlias } from '../../lib';
import { ALIAS_PROPERTY_NAMES, ALIAS_RESOURCE_TYPE } from '../../lib/resource-properties';
import {
  ALIAS_ID,
  INSTANCE_ID,
  OTHER_INSTANCE_ID,
  PRIMARY_ID,
  aliasProps,
  newStack,
  newestNodejsRuntimeName,
  policyStatements,
  stackWithAliases,
} from './stacks';

const CONNECT_ACTIONS = [
  'connect:AssociateEmailAddressAlias',
  'connect:DisassociateEmailAddressAlias',
  'connect:DescribeEmailAddress',
  'connect:TagResource',
  'connect:UntagResource',
];

/** The email addresses of an instance, in the stack's partition, region and account. */
function instanceEmailAddresses(instanceId: string) {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':connect:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:instance/${instanceId}/email-address/*`,
      ],
    ],
  };
}

/** The one statement of an instance's policy. */
function connectStatement(instanceId: string) {
  return { Action: CONNECT_ACTIONS, Effect: 'Allow', Resource: instanceEmailAddresses(instanceId) };
}

/** The logical ID of the policy whose statement names the instance. */
function policyOf(template: Template, instanceId: string): string {
  const ids = Object.entries(policyStatements(template))
    .filter(([, statements]) => JSON.stringify(statements).includes(`:instance/${instanceId}/`))
    .map(([logicalId]) => logicalId);
  expect(ids).toHaveLength(1);
  return ids[0];
}

function onlyResource(template: Template, type: string): { logicalId: string; resource: any } {
  const resources = Object.entries(template.findResources(type));
  expect(resources).toHaveLength(1);
  const [[logicalId, resource]] = resources;
  return { logicalId, resource };
}

describe('one alias', () => {
  const { template } = stackWithAliases(1);
  const alias = onlyResource(template, ALIAS_RESOURCE_TYPE).resource;
  const handler = onlyResource(template, 'AWS::Lambda::Function');
  const role = onlyResource(template, 'AWS::IAM::Role');
  const logGroup = onlyResource(template, 'AWS::Logs::LogGroup');
  const policy = onlyResource(template, 'AWS::IAM::Policy');

  test('writes exactly the contract properties, the ServiceToken and the ServiceTimeout', () => {
    expect(alias.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [handler.logicalId, 'Arn'] },
      ServiceTimeout: '150',
      InstanceId: INSTANCE_ID,
      EmailAddressId: 'primary-0',
      AliasEmailAddressId: 'alias-0',
    });
    const contract = Object.keys(alias.Properties).filter((key) => !key.startsWith('Service'));
    expect(contract.sort()).toEqual([...ALIAS_PROPERTY_NAMES].sort());
  });

  test('CloudFormation gives up shortly after the Lambda deadline', () => {
    expect(handler.resource.Properties.Timeout).toBe(120);
    expect(Number(alias.Properties.ServiceTimeout)).toBeGreaterThan(handler.resource.Properties.Timeout);
  });

  test('depends on the role through the function and on its instance\'s policy, so it is created after them and deleted before them', () => {
    expect(alias.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [handler.logicalId, 'Arn'] });
    expect(handler.resource.Properties.Role).toEqual({ 'Fn::GetAtt': [role.logicalId, 'Arn'] });
    expect(handler.resource.DependsOn).toEqual([role.logicalId]);
    expect(alias.DependsOn).toEqual([policy.logicalId]);
  });

  test('the instance\'s policy: attached to the role, one statement on the instance\'s email addresses', () => {
    expect(policy.resource.Properties).toEqual({
      PolicyName: policy.logicalId,
      Roles: [{ Ref: role.logicalId }],
      PolicyDocument: { Version: '2012-10-17', Statement: [connectStatement(INSTANCE_ID)] },
    });
  });

  test('the handler: the newest Node.js runtime aws-cdk-lib knows, on arm64, own role and log group', () => {
    expect(handler.resource.Properties).toMatchObject({
      Runtime: newestNodejsRuntimeName(),
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Role: { 'Fn::GetAtt': [role.logicalId, 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: logGroup.logicalId } },
    });
    // What the handler paces its retries by: the stack's aliases share the quota.
    expect(handler.resource.Properties.Environment).toEqual({
      Variables: { CONNECT_ALIAS_COUNT: '1', CONNECT_REQUESTS_PER_SECOND: '2' },
    });
    expect(handler.resource.Properties.Timeout).toBe(120);
    expect(logGroup.resource).toMatchObject({ Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete' });
  });

  test('the role has no managed policy, and inline only its own log group', () => {
    expect(role.resource.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.resource.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    const inlinePolicy = (statement: unknown) => ({ Version: '2012-10-17', Statement: [statement] });
    expect(role.resource.Properties.Policies).toEqual([
      {
        PolicyName: 'Logs',
        PolicyDocument: inlinePolicy({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logGroup.logicalId, 'Arn'] },
        }),
      },
    ]);
  });

  test('exposes the normalised IDs the handler returns', () => {
    const stack = newStack();
    const construct = new EmailAddressAlias(stack, 'Alias', aliasProps(0));
    const logicalId = stack.getLogicalId(construct.resource.node.defaultChild as CfnResource);
    expect(stack.resolve(construct.instanceId)).toEqual({ 'Fn::GetAtt': [logicalId, 'InstanceId'] });
    expect(stack.resolve(construct.emailAddressId)).toEqual({ 'Fn::GetAtt': [logicalId, 'EmailAddressId'] });
    expect(stack.resolve(construct.aliasEmailAddressId)).toEqual({ 'Fn::GetAtt': [logicalId, 'AliasEmailAddressId'] });
  });
});

describe('fifty aliases', () => {
  const { template } = stackWithAliases(50);

  test('share one function, role, log group and instance policy: 54 resources', () => {
    template.resourceCountIs(ALIAS_RESOURCE_TYPE, 50);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.resourceCountIs('AWS::IAM::Policy', 1);
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(50 + 4);
  });

  test('every alias depends on the one policy of the one instance', () => {
    const policy = onlyResource(template, 'AWS::IAM::Policy');
    expect(policy.resource.Properties.PolicyDocument.Statement).toEqual([connectStatement(INSTANCE_ID)]);
    const handler = onlyResource(template, 'AWS::Lambda::Function');
    for (const alias of Object.values(template.findResources(ALIAS_RESOURCE_TYPE))) {
      expect(alias.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [handler.logicalId, 'Arn'] });
      expect(alias.DependsOn).toEqual([policy.logicalId]);
    }
  });
});

describe('aliases of two instances', () => {
  const instanceArn = `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`;
  function twoInstances(withFirst: boolean) {
    const stack = newStack();
    if (withFirst) {
      new EmailAddressAlias(stack, 'A', aliasProps(1));
      new EmailAddressAlias(stack, 'C', { ...aliasProps(3), instanceId: instanceArn });
    }
    new EmailAddressAlias(stack, 'B', aliasProps(2, OTHER_INSTANCE_ID));
    return Template.fromStack(stack);
  }
  const template = twoInstances(true);

  test('get one policy per instance, each with the one resource of its instance', () => {
    const statements = policyStatements(template);
    expect(Object.keys(statements)).toHaveLength(2);
    expect(statements[policyOf(template, INSTANCE_ID)]).toEqual([connectStatement(INSTANCE_ID)]);
    expect(statements[policyOf(template, OTHER_INSTANCE_ID)]).toEqual([connectStatement(OTHER_INSTANCE_ID)]);
  });

  test('each alias depends on exactly its instance\'s policy, whether the instance is given as ID or ARN', () => {
    const dependsOn = Object.fromEntries(
      Object.values(template.findResources(ALIAS_RESOURCE_TYPE)).map((alias) => [alias.Properties.EmailAddressId, alias.DependsOn]),
    );
    expect(dependsOn).toEqual({
      'primary-1': [policyOf(template, INSTANCE_ID)],
      'primary-2': [policyOf(template, OTHER_INSTANCE_ID)],
      'primary-3': [policyOf(template, INSTANCE_ID)],
    });
  });

  test('removing the aliases of one instance removes its policy, which CloudFormation deletes after them, and keeps the other\'s', () => {
    // Deleted in cleanup, after the aliases that depend on it, so their Delete is still allowed;
    // a statement taken out of the role would be gone before.
    const withoutFirst = twoInstances(false);
    const remaining = Object.keys(policyStatements(withoutFirst));
    expect(remaining).not.toContain(policyOf(template, INSTANCE_ID));
    expect(remaining).toEqual([policyOf(template, OTHER_INSTANCE_ID)]);
    expect(policyOf(withoutFirst, OTHER_INSTANCE_ID)).toBe(policyOf(template, OTHER_INSTANCE_ID));
  });
});

test('aliases in two stacks get one handler each', () => {
  const stack = newStack();
  const other = new Stack(stack.node.root as App, 'OtherStack');
  new EmailAddressAlias(stack, 'A', aliasProps(1));
  new EmailAddressAlias(other, 'B', aliasProps(2));
  Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
  Template.fromStack(other).resourceCountIs('AWS::Lambda::Function', 1);
});

describe('removalPolicy', () => {
  function aliasResource(removalPolicy?: RemovalPolicy) {
    const stack = newStack();
    new EmailAddressAlias(stack, 'Alias', { ...aliasProps(0), removalPolicy });
    return onlyResource(Template.fromStack(stack), ALIAS_RESOURCE_TYPE).resource;
  }

  test.each([
    ['none given', undefined],
    ['DESTROY', RemovalPolicy.DESTROY],
  ])('%s writes no policy: CloudFormation deletes the alias, which removes the association', (_, removalPolicy) => {
    const alias = aliasResource(removalPolicy);
    expect(alias.DeletionPolicy).toBeUndefined();
    expect(alias.UpdateReplacePolicy).toBeUndefined();
  });

  test('RETAIN leaves the association in place', () => {
    expect(aliasResource(RemovalPolicy.RETAIN)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('addresses made with CfnEmailAddress in the same stack', () => {
  const stack = newStack();
  const instanceArn = `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`;
  const address = (id: string, local: string) =>
    new connect.CfnEmailAddress(stack, id, { instanceArn, emailAddress: `${local}@example.my.connect.aws` });
  const primary = address('Primary', 'support');
  const alias = address('Alias', 'help');
  new EmailAddressAlias(stack, 'SupportAlias', {
    instanceId: primary.instanceArn,
    emailAddressId: primary.attrEmailAddressArn,
    aliasEmailAddressId: alias.attrEmailAddressArn,
  });
  const template = Template.fromStack(stack);

  test('the alias references both addresses, so it is created after them and deleted before them', () => {
    const primaryId = stack.getLogicalId(primary);
    const aliasId = stack.getLogicalId(alias);
    template.hasResourceProperties(ALIAS_RESOURCE_TYPE, {
      InstanceId: instanceArn,
      EmailAddressId: { 'Fn::GetAtt': [primaryId, 'EmailAddressArn'] },
      AliasEmailAddressId: { 'Fn::GetAtt': [aliasId, 'EmailAddressArn'] },
    });
  });

  test('the instance\'s policy names the instance of the instance ARN', () => {
    expect(Object.values(policyStatements(template))).toEqual([[connectStatement(INSTANCE_ID)]]);
  });
});

test('without instanceId, the instance comes from an address ARN', () => {
  const stack = newStack();
  new EmailAddressAlias(stack, 'Alias', {
    emailAddressId: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}/email-address/${PRIMARY_ID}`,
    aliasEmailAddressId: ALIAS_ID,
  });
  Template.fromStack(stack).hasResourceProperties(ALIAS_RESOURCE_TYPE, { InstanceId: INSTANCE_ID });
});
