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

/**
 * The one statement of an instance's policy: tagging is limited to the construct's own keys,
 * which Connect's tag-based access control never reads.
 */
function connectStatements(instanceId: string) {
  return [
    {
      Action: CONNECT_ACTIONS,
      Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['ConnectEmailAddressAlias:*'] } },
      Effect: 'Allow',
      Resource: instanceEmailAddresses(instanceId),
    },
  ];
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
  const topic = onlyResource(template, 'AWS::SNS::Topic');
  const subscription = onlyResource(template, 'AWS::SNS::Subscription');
  const mapping = onlyResource(template, 'AWS::Lambda::EventSourceMapping');
  const queues = Object.entries(template.findResources('AWS::SQS::Queue'));
  const [workQueue, deadLetterQueue] = ['WorkQueue', 'DeadLetterQueue'].map((name) => {
    const [logicalId, resource] = queues.find(([id]) => id.includes(name))!;
    return { logicalId, resource };
  });

  test('writes exactly the contract properties, the ServiceToken and the ServiceTimeout', () => {
    expect(alias.Properties).toEqual({
      ServiceToken: { Ref: topic.logicalId },
      ServiceTimeout: '180',
      InstanceId: INSTANCE_ID,
      EmailAddressId: 'primary-0',
      AliasEmailAddressId: 'alias-0',
    });
    const contract = Object.keys(alias.Properties).filter((key) => !key.startsWith('Service'));
    expect(contract.sort()).toEqual([...ALIAS_PROPERTY_NAMES].sort());
  });

  test('CloudFormation waits for the queue and then one invocation, and gives up soon after', () => {
    expect(handler.resource.Properties.Timeout).toBe(120);
    expect(Number(alias.Properties.ServiceTimeout)).toBe(180);
  });

  test('depends on its instance\'s policy, which depends on the way its requests reach a worker: the topic\'s subscription and the queue\'s mapping', () => {
    expect(alias.DependsOn).toEqual([policy.logicalId]);
    expect(policy.resource.DependsOn).toEqual([subscription.logicalId, mapping.logicalId]);
    expect(mapping.resource.Properties.FunctionName).toEqual({ Ref: handler.logicalId });
    expect(handler.resource.Properties.Role).toEqual({ 'Fn::GetAtt': [role.logicalId, 'Arn'] });
    expect(handler.resource.DependsOn).toEqual([role.logicalId]);
  });

  test('CloudFormation publishes the requests to a topic that hands them to the work queue as they are, over TLS only', () => {
    expect(subscription.resource.Properties).toEqual({
      Endpoint: { 'Fn::GetAtt': [workQueue.logicalId, 'Arn'] },
      Protocol: 'sqs',
      RawMessageDelivery: true,
      TopicArn: { Ref: topic.logicalId },
    });
    const [topicPolicy] = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    expect(topicPolicy.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: 'sns:Publish', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
  });

  test('the instance\'s policy: attached to the role, one statement on the instance\'s email addresses', () => {
    expect(policy.resource.Properties).toEqual({
      PolicyName: policy.logicalId,
      Roles: [{ Ref: role.logicalId }],
      PolicyDocument: { Version: '2012-10-17', Statement: connectStatements(INSTANCE_ID) },
    });
  });

  test('the handler: the newest Node.js runtime aws-cdk-lib knows, on arm64, own role and log group, and the work queue', () => {
    expect(handler.resource.Properties).toMatchObject({
      Runtime: newestNodejsRuntimeName(),
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Role: { 'Fn::GetAtt': [role.logicalId, 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: logGroup.logicalId } },
    });
    // What the workers pace their calls by.
    expect(handler.resource.Properties.Environment).toEqual({ Variables: { CONNECT_REQUESTS_PER_SECOND: '2' } });
    expect(handler.resource.Properties.Timeout).toBe(120);
    expect(logGroup.resource).toMatchObject({ Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete' });
  });

  test('the role has no managed policy, and inline only its own log group, reads of its own stack and its queue', () => {
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
      {
        PolicyName: 'Stack',
        PolicyDocument: inlinePolicy({
          Action: ['cloudformation:DescribeStackResource', 'cloudformation:DescribeStacks'],
          Effect: 'Allow',
          Resource: { Ref: 'AWS::StackId' },
        }),
      },
      {
        PolicyName: 'Queue',
        PolicyDocument: inlinePolicy({
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [workQueue.logicalId, 'Arn'] },
        }),
      },
    ]);
  });

  test('CloudFormation\'s requests wait in a queue that at most two invocations work on, one request each', () => {
    expect(mapping.resource.Properties).toEqual({
      EventSourceArn: { 'Fn::GetAtt': [workQueue.logicalId, 'Arn'] },
      FunctionName: { Ref: handler.logicalId },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('the queue gives a request back after the timeout of the invocation that took it, three times at most, and keeps none past the ServiceTimeout', () => {
    expect(workQueue.resource.Properties).toEqual({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 150,
      MessageRetentionPeriod: Number(alias.Properties.ServiceTimeout),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue.logicalId, 'Arn'] }, maxReceiveCount: 3 },
    });
    expect(deadLetterQueue.resource.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  test('both queues refuse requests that do not use TLS, and only the topic may send to the work queue', () => {
    const policyOf = (queue: { logicalId: string }) =>
      Object.values(template.findResources('AWS::SQS::QueuePolicy')).find((candidate) =>
        JSON.stringify(candidate.Properties.Queues) === JSON.stringify([{ Ref: queue.logicalId }]),
      )!.Properties.PolicyDocument.Statement;
    const tlsOnly = expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(policyOf(deadLetterQueue)).toEqual([tlsOnly]);
    expect(policyOf(workQueue)).toEqual([
      tlsOnly,
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topic.logicalId } } },
      }),
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

  test('share one function, its queue mapping, the topic, its policy and subscription, two queues and their policies, role, log group and instance policy: 62 resources', () => {
    template.resourceCountIs(ALIAS_RESOURCE_TYPE, 50);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.resourceCountIs('AWS::IAM::Policy', 1);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SQS::Queue', 2);
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(50 + 12);
  });

  test('every alias depends on the one policy of the one instance', () => {
    const policy = onlyResource(template, 'AWS::IAM::Policy');
    expect(policy.resource.Properties.PolicyDocument.Statement).toEqual(connectStatements(INSTANCE_ID));
    const topic = onlyResource(template, 'AWS::SNS::Topic');
    for (const alias of Object.values(template.findResources(ALIAS_RESOURCE_TYPE))) {
      expect(alias.Properties.ServiceToken).toEqual({ Ref: topic.logicalId });
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
    expect(statements[policyOf(template, INSTANCE_ID)]).toEqual(connectStatements(INSTANCE_ID));
    expect(statements[policyOf(template, OTHER_INSTANCE_ID)]).toEqual(connectStatements(OTHER_INSTANCE_ID));
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
    expect(Object.values(policyStatements(template))).toEqual([connectStatements(INSTANCE_ID)]);
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
