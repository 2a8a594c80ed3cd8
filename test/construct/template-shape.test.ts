import { App, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as connect from 'aws-cdk-lib/aws-connect';
import { EmailAddressAlias } from '../../lib';
import { ALIAS_PROPERTY_NAMES, ALIAS_RESOURCE_TYPE } from '../../lib/resource-properties';
import { ALIAS_ID, INSTANCE_ID, OTHER_INSTANCE_ID, PRIMARY_ID, aliasProps, newStack, stackWithAliases } from './stacks';

const CONNECT_ACTIONS = [
  'connect:AssociateEmailAddressAlias',
  'connect:DisassociateEmailAddressAlias',
  'connect:DescribeEmailAddress',
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
  const policy = onlyResource(template, 'AWS::IAM::Policy');
  const logGroup = onlyResource(template, 'AWS::Logs::LogGroup');

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

  test('is created after the Connect policy and deleted before it', () => {
    expect(alias.DependsOn).toEqual([policy.logicalId]);
    expect(alias.DeletionPolicy).toBe('Delete');
  });

  test('the handler: Node.js 24 on arm64, own role and log group', () => {
    expect(handler.resource.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Role: { 'Fn::GetAtt': [role.logicalId, 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: logGroup.logicalId } },
    });
    expect(handler.resource.Properties.Environment).toBeUndefined();
    expect(logGroup.resource).toMatchObject({ Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete' });
  });

  test('the role has no managed policy and may only write to its own log group', () => {
    expect(role.resource.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.resource.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    expect(role.resource.Properties.Policies).toEqual([
      {
        PolicyName: 'Logs',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [logGroup.logicalId, 'Arn'] },
            },
          ],
        },
      },
    ]);
  });

  test('the Connect policy allows the three alias actions on the email addresses of the instance', () => {
    expect(policy.resource.Properties.Roles).toEqual([{ Ref: role.logicalId }]);
    expect(policy.resource.Properties.PolicyDocument.Statement).toEqual([
      { Action: CONNECT_ACTIONS, Effect: 'Allow', Resource: instanceEmailAddresses(INSTANCE_ID) },
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

  test('share one function, role, policy and log group', () => {
    template.resourceCountIs(ALIAS_RESOURCE_TYPE, 50);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::IAM::Policy', 1);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
  });

  test('the policy keeps one statement with one resource for the one instance', () => {
    const policy = onlyResource(template, 'AWS::IAM::Policy');
    expect(policy.resource.Properties.PolicyDocument.Statement).toEqual([
      { Action: CONNECT_ACTIONS, Effect: 'Allow', Resource: instanceEmailAddresses(INSTANCE_ID) },
    ]);
    for (const alias of Object.values(template.findResources(ALIAS_RESOURCE_TYPE))) {
      expect(alias.DependsOn).toEqual([policy.logicalId]);
    }
  });
});

test('aliases of two instances add one resource each to the one statement', () => {
  const stack = newStack();
  new EmailAddressAlias(stack, 'A', aliasProps(1));
  new EmailAddressAlias(stack, 'B', aliasProps(2, OTHER_INSTANCE_ID));
  new EmailAddressAlias(stack, 'C', { ...aliasProps(3), instanceId: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}` });
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: [
        {
          Action: CONNECT_ACTIONS,
          Effect: 'Allow',
          Resource: [instanceEmailAddresses(INSTANCE_ID), instanceEmailAddresses(OTHER_INSTANCE_ID)],
        },
      ],
    },
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

test('RemovalPolicy.RETAIN leaves the association in place', () => {
  const stack = newStack();
  new EmailAddressAlias(stack, 'Alias', { ...aliasProps(0), removalPolicy: RemovalPolicy.RETAIN });
  Template.fromStack(stack).hasResource(ALIAS_RESOURCE_TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
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

  test('the policy names the instance of the instance ARN', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Resource: instanceEmailAddresses(INSTANCE_ID) })] },
    });
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
