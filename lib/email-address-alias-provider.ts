import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Aspects, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { aliasErrorMessage } from './alias-error-message';
import { type HandlerSettings, type SettingsRequest, resolveSettings } from './handler-settings';
import { acknowledgeNagFinding, nagResourceFinding } from './nag-finding';
import { OWNERSHIP_TAG_PREFIX } from './ownership-tags';
import { HANDLER_ENVIRONMENT, WORKERS } from './quota-pacing';
import { inlinePolicyErrors } from './role-policy-size';
import { type DeclaredAlias, stackAliasErrors } from './stack-alias-rules';

// The provider's construct ID, under the stack: fixed, so every alias finds the one provider.
const PROVIDER_ID = 'ConnectEmailAddressAliasProvider';

// The handler bundle as `npm run build` writes it; the same relative path holds from
// lib/ (TypeScript sources) and from dist/ (the compiled package).
const HANDLER_ASSET_DIR = path.join(__dirname, '..', 'assets', 'handler');

// A message comes back to the queue this long after the invocation that took it began, should
// that invocation end without answering (a crash, the Lambda timeout): after the timeout itself,
// as SQS requires of a queue that feeds a function.
const VISIBILITY_MARGIN = Duration.seconds(30);
// A message that came back this often is past help: it waits in the dead-letter queue, where an
// operator can read why, for the longest SQS keeps anything.
const MAX_RECEIVES = 3;
// What the event source mapping does with the queue, with the function's role.
const QUEUE_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'];

// Connect actions the handler makes: it reads the primary's state and holders before changing it,
// and marks or unmarks itself as a holder when it adopts or releases an association.
const CONNECT_ACTIONS = [
  'connect:AssociateEmailAddressAlias',
  'connect:DisassociateEmailAddressAlias',
  'connect:DescribeEmailAddress',
  'connect:TagResource',
  'connect:UntagResource',
];
// Tagging is limited to the construct's own keys: Connect's tag-based access control reads the
// others. ForAllValues over a key a request does not carry holds, so the one condition leaves
// the other actions (which carry no tag keys) as they are, and one statement per instance keeps
// the role within IAM's size limit for as many instances as before. Should Connect not set
// aws:TagKeys on tagging either, the handler keeps working, only without the narrowing.
const OWN_TAG_KEYS_ONLY = { 'ForAllValues:StringLike': { 'aws:TagKeys': [`${OWNERSHIP_TAG_PREFIX}*`] } };
// CloudFormation reads of its own stack: whether a request is still awaited, whether the stack is
// rolling back, and whether a holder named in a mark still exists.
const STACK_ACTIONS = ['cloudformation:DescribeStackResource', 'cloudformation:DescribeStacks'];

/** One alias as it declares itself to the provider of its stack. */
export interface AliasDeclaration extends DeclaredAlias, SettingsRequest {}

/**
 * The one handler function of a stack and its permissions, shared by every
 * EmailAddressAlias in the stack. Its settings are resolved once all aliases are known, at
 * synthesis, so the order in which aliases are declared does not matter.
 */
export class EmailAddressAliasProvider extends Construct {
  /** The stack's provider, created by the first alias. */
  public static of(scope: Construct): EmailAddressAliasProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID) as EmailAddressAliasProvider | undefined;
    return existing ?? new EmailAddressAliasProvider(stack, PROVIDER_ID);
  }

  /** The requests topic's ARN, for the custom resources' ServiceToken. */
  public readonly serviceToken: string;
  /** The custom resources' ServiceTimeout: seconds CloudFormation waits for an answer, resolved at synthesis. */
  public readonly serviceTimeout: string;

  private readonly declarations: AliasDeclaration[] = [];
  private resolved?: HandlerSettings;
  private resources?: { readonly handler: lambda.Function; readonly role: iam.IRole; readonly topic: sns.ITopic };
  private ownedRole?: iam.Role;
  private readonly instancePolicies = new Map<string, iam.CfnPolicy>();
  /** What carries the aliases' requests to a worker: each alias depends on all of it, through its policy. */
  private delivery: Construct[] = [];

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    if (!fs.existsSync(path.join(HANDLER_ASSET_DIR, 'index.js'))) {
      throw new Error(
        `The EmailAddressAlias handler bundle is missing from ${HANDLER_ASSET_DIR}: run \`npm run build\` in the construct library.`,
      );
    }

    // The function, its log group and role are made once every alias has declared itself:
    // whether they are the construct's own or the user's, and the VPC, depend on what the
    // aliases agree on. An Aspect runs before anything is rendered, and the Aspects of the
    // app (a permissions boundary, say) still reach what it makes.
    Aspects.of(this).add({
      visit: (node) => {
        if (node === this) this.build();
      },
    });
    this.serviceToken = Lazy.string({ produce: () => this.built().topic.topicArn });
    // A string, as CustomResource writes it and CloudFormation delivers it.
    this.serviceTimeout = Lazy.string({ produce: () => String(this.settings.serviceTimeout.toSeconds()) });

    // The errors of the stack's aliases together are thrown, as those of one alias's props are
    // by its constructor, so that `cdk synth` prints both kinds alike. Returned, they would reach
    // the terminal in aws-cdk-lib's validation report, after a line of its minified source.
    this.node.addValidation({
      validate: () => {
        const stack = Stack.of(this);
        this.resolved = resolveSettings(this.declarations, stack.node.path);
        // A role of the user's may hold other policies too: only the construct's own is counted.
        const policyErrors = this.ownedRole ? inlinePolicyErrors(stack, this.ownedRole, [...this.instancePolicies.values()]) : [];
        const errors = [...stackAliasErrors(this.declarations), ...policyErrors.map((message) => aliasErrorMessage(stack.node.path, message))];
        if (errors.length > 0) {
          throw new Error(errors.join('\n'));
        }
        return [];
      },
    });
  }

  /** Makes the function and what it needs, once; see the constructor. */
  private build(): void {
    if (this.resources) {
      return;
    }
    const settings = this.settings;
    const logGroup = settings.logGroup ?? this.ownLogGroup();
    const queue = this.workQueue(settings);
    const permissions = handlerPermissions(logGroup, queue, settings.vpc !== undefined, Stack.of(this).stackId);
    const role = settings.role ?? this.ownRole(permissions);
    if (settings.role) {
      // As lambda.Function does: added to a role of the app or a mutable imported one; an
      // immutable role must already allow them.
      for (const statement of [permissions.logs, permissions.stack, permissions.queue, permissions.network]) {
        if (statement) settings.role.addToPrincipalPolicy(statement);
      }
    }
    const handler = new lambda.Function(this, 'Handler', {
      description: 'Associates Amazon Connect email address aliases (CloudFormation custom resource)',
      code: lambda.Code.fromAsset(HANDLER_ASSET_DIR),
      handler: 'index.handler',
      runtime: settings.runtime,
      architecture: lambda.Architecture.ARM_64,
      // Pure JavaScript doing a few API calls; more memory mostly speeds up the cold start.
      memorySize: 256,
      role,
      logGroup,
      vpc: settings.vpc,
      vpcSubnets: settings.vpcSubnets,
      securityGroups: settings.securityGroups,
      environment: { [HANDLER_ENVIRONMENT.requestsPerSecond]: String(settings.connectRequestsPerSecond) },
    });
    // CloudFormation publishes each request to the topic, which hands it to the queue as it is:
    // no Lambda execution takes or holds a request before a worker is free.
    const topic = new sns.Topic(this, 'Requests', { enforceSSL: true });
    acknowledgeNagFinding(topic.node.defaultChild as sns.CfnTopic, {
      ruleId: 'AwsSolutions-SNS2',
      reason:
        'The topic only passes CloudFormation requests on to the work queue, which keeps them encrypted. A KMS key ' +
        "on the topic would need a key policy that admits CloudFormation's publishing, which AWS does not document.",
    });
    const subscription = topic.addSubscription(new subscriptions.SqsSubscription(queue, { rawMessageDelivery: true }));
    // The workers: one request per invocation, at most WORKERS at once, whatever the stack's size.
    const mapping = new lambda.EventSourceMapping(this, 'WorkQueueMapping', {
      target: handler,
      eventSourceArn: queue.queueArn,
      batchSize: 1,
      maxConcurrency: WORKERS,
      reportBatchItemFailures: true,
    });
    // Every alias depends on its instance's policy; the policy on the subscription and the
    // mapping. So the aliases' requests find a worker: the way to one exists before their Creates
    // and outlasts their Deletes.
    this.delivery = [subscription, mapping];
    this.instancePolicies.forEach((policy) => policy.node.addDependency(...this.delivery));
    const cfnFunction = handler.node.defaultChild as lambda.CfnFunction;
    cfnFunction.runtime = Lazy.string({ produce: () => this.settings.runtime.name });
    cfnFunction.timeout = Lazy.number({ produce: () => this.settings.timeout.toSeconds() });
    this.resources = { handler, role, topic };
  }

  /**
   * Where CloudFormation's requests wait for a worker. A message older than the ServiceTimeout
   * has nobody waiting for it. Encrypted at rest and reachable over TLS only: the requests carry
   * presigned response URLs.
   */
  private workQueue(settings: HandlerSettings): sqs.IQueue {
    const common = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY };
    const deadLetters = new sqs.Queue(this, 'DeadLetterQueue', {
      ...common,
      retentionPeriod: Duration.days(14),
      // Says it is a dead-letter queue (AWS Control Tower's CT.SQS.PR.1 wants a queue to have one
      // or be one). Naming the work queue would be a circular reference; a redrive permission lets
      // other queues send their dead letters here, and grants no one any read.
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    });
    return new sqs.Queue(this, 'WorkQueue', {
      ...common,
      visibilityTimeout: settings.timeout.plus(VISIBILITY_MARGIN),
      retentionPeriod: settings.serviceTimeout,
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: MAX_RECEIVES },
    });
  }

  /** The function and its role; built now if another Aspect resolves them before the provider's own runs. */
  private built(): { readonly handler: lambda.Function; readonly role: iam.IRole; readonly topic: sns.ITopic } {
    this.build();
    return this.resources!;
  }

  /** The log group the function logs to unless the aliases give one, with their logRetention. */
  private ownLogGroup(): logs.ILogGroup {
    const logGroup = new logs.LogGroup(this, 'LogGroup', { removalPolicy: RemovalPolicy.DESTROY });
    const cfnLogGroup = logGroup.node.defaultChild as logs.CfnLogGroup;
    cfnLogGroup.retentionInDays = Lazy.number({
      // RetentionDays.INFINITE is written as no retention at all, as LogGroup does.
      produce: () => (this.settings.logRetention === logs.RetentionDays.INFINITE ? undefined : this.settings.logRetention),
    });
    return logGroup;
  }

  /**
   * The function's role unless the aliases give one: an own role without managed policies
   * (AWSLambdaBasicExecutionRole would allow writing to every log group of the account), its
   * permissions inline. The Connect permissions are separate policies, one per instance (see
   * instancePolicy).
   */
  private ownRole({ logs: logStatement, stack, queue, network }: HandlerPermissions): iam.IRole {
    const inline = (statement: iam.PolicyStatement) => new iam.PolicyDocument({ statements: [statement] });
    this.ownedRole = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        Logs: inline(logStatement),
        Stack: inline(stack),
        Queue: inline(queue),
        ...(network ? { Network: inline(network) } : {}),
      },
    });
    if (network) {
      acknowledgeNagFinding(this.ownedRole.node.defaultChild as iam.CfnRole, {
        ruleId: 'AwsSolutions-IAM5',
        finding: 'Resource::*',
        reason:
          'Lambda creates and deletes the network interfaces of a function in a VPC with its role, and ' +
          'the EC2 actions it needs take no narrower resource (the permissions of AWSLambdaVPCAccessExecutionRole).',
      });
    }
    return this.ownedRole;
  }

  /** Registers an alias: its settings and addresses count once all aliases are known. */
  public declare(declaration: AliasDeclaration): void {
    this.declarations.push(declaration);
  }

  /**
   * The resolved settings. Tokens are resolved before validation runs, so settings that do not
   * resolve give way to the defaults here, and the validation reports why, naming the aliases.
   */
  private get settings(): HandlerSettings {
    if (this.resolved === undefined) {
      const stackPath = Stack.of(this).node.path;
      try {
        this.resolved = resolveSettings(this.declarations, stackPath);
      } catch {
        return resolveSettings([], stackPath);
      }
    }
    return this.resolved;
  }

  /**
   * The policy that lets the handler manage the email addresses of an instance, for the
   * instance's aliases to depend on. A separate resource rather than a statement of the
   * role: CloudFormation updates the role before the aliases' updates and deletes removed
   * aliases only in cleanup, so a permission taken out of the role would be gone when the
   * Delete or the Update (and its rollback) of an alias of that instance still needs it.
   * A policy depended on is created before its aliases and deleted after them. One per
   * distinct instance, so the policies do not grow with the number of aliases.
   *
   * @param instanceId the plain instance ID, a literal or a CloudFormation expression
   */
  public instancePolicy(instanceId: string): iam.CfnPolicy {
    const stack = Stack.of(this);
    const key = JSON.stringify(stack.resolve(instanceId));
    const existing = this.instancePolicies.get(key);
    if (existing) {
      return existing;
    }
    const emailAddresses = stack.formatArn({
      service: 'connect',
      resource: 'instance',
      resourceName: `${instanceId}/email-address/*`,
    });
    // A direct child of the stack, so that its short ID is its logical ID, which every alias
    // of the instance repeats in DependsOn. Named after the instance, not the order of the
    // instances, so the logical ID stays when other instances come or go.
    const id = `ConnectPolicy${createHash('sha256').update(key).digest('hex').slice(0, 8).toUpperCase()}`;
    const policy = new iam.CfnPolicy(stack, id, {
      policyName: id,
      // The role is known once the function is built.
      roles: Lazy.list({ produce: () => [this.built().role.roleName] }),
      policyDocument: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ actions: CONNECT_ACTIONS, resources: [emailAddresses], conditions: OWN_TAG_KEYS_ONLY })],
      }),
    });
    acknowledgeNagFinding(policy, {
      ruleId: 'AwsSolutions-IAM5',
      finding: nagResourceFinding(stack.resolve(emailAddresses)),
      reason:
        'Amazon Connect authorises the alias actions on email-address resources. The wildcard covers the ' +
        "email addresses of one instance in the stack's own account and region, so that one statement serves " +
        'every alias of the instance instead of growing with each one.',
    });
    policy.node.addDependency(...this.delivery);
    this.instancePolicies.set(key, policy);
    return policy;
  }
}

/** What the handler's role must allow besides Amazon Connect. */
interface HandlerPermissions {
  readonly logs: iam.PolicyStatement;
  /** Reads of the function's own stack, and of no other. */
  readonly stack: iam.PolicyStatement;
  /** Taking from the stack's work queue. */
  readonly queue: iam.PolicyStatement;
  /** For a function in a VPC: Lambda manages its network interfaces with the function's role. */
  readonly network?: iam.PolicyStatement;
}

function handlerPermissions(logGroup: logs.ILogGroup, queue: sqs.IQueue, inVpc: boolean, stackId: string): HandlerPermissions {
  return {
    logs: new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      // The log group's Arn attribute ends in ":*", which covers its log streams.
      resources: [logGroup.logGroupArn],
    }),
    stack: new iam.PolicyStatement({ actions: STACK_ACTIONS, resources: [stackId] }),
    queue: new iam.PolicyStatement({ actions: QUEUE_ACTIONS, resources: [queue.queueArn] }),
    network: inVpc
      ? new iam.PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        })
      : undefined,
  };
}
