import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNagFinding, nagResourceFinding } from './nag-finding';

/** Settings of the handler function, which every alias in a stack shares. */
export interface HandlerSettings {
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly runtime: lambda.Runtime;
}

/** The defaults, documented on EmailAddressAliasProps. */
const DEFAULT_HANDLER_SETTINGS: HandlerSettings = {
  timeout: Duration.minutes(2),
  logRetention: logs.RetentionDays.ONE_MONTH,
  runtime: lambda.Runtime.NODEJS_24_X,
};

// The provider's construct ID, under the stack: fixed, so every alias finds the one provider.
const PROVIDER_ID = 'ConnectEmailAddressAliasProvider';

// The handler bundle as `npm run build` writes it; the same relative path holds from
// lib/ (TypeScript sources) and from dist/ (the compiled package).
const HANDLER_ASSET_DIR = path.join(__dirname, '..', 'assets', 'handler');

// CloudFormation stops waiting this long after the Lambda deadline, so a handler that
// never answers fails the deploy within minutes instead of an hour. With the Lambda
// maximum of 15 minutes it stays far below ServiceTimeout's limit of 3600 seconds.
const SERVICE_TIMEOUT_MARGIN = Duration.seconds(30);

const MIN_NODEJS_MAJOR = 22;
const MAX_LAMBDA_TIMEOUT = Duration.minutes(15);

// Connect actions the handler makes: it reads the primary's state before changing it.
const CONNECT_ACTIONS = [
  'connect:AssociateEmailAddressAlias',
  'connect:DisassociateEmailAddressAlias',
  'connect:DescribeEmailAddress',
];

/**
 * The one handler function of a stack and its permissions, shared by every
 * EmailAddressAlias in the stack.
 */
export class EmailAddressAliasProvider extends Construct {
  /**
   * The stack's provider, created by the first alias. Settings given by later aliases
   * must match the ones in force, as there is one function to configure.
   */
  public static of(scope: Construct, settings: Partial<HandlerSettings>): EmailAddressAliasProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID) as EmailAddressAliasProvider | undefined;
    if (!existing) {
      return new EmailAddressAliasProvider(stack, PROVIDER_ID, { ...DEFAULT_HANDLER_SETTINGS, ...defined(settings) });
    }
    existing.checkSameSettings(settings);
    return existing;
  }

  /** The function's ARN, for the custom resources' ServiceToken. */
  public readonly serviceToken: string;
  /** How long CloudFormation waits for the handler's answer. */
  public readonly serviceTimeout: Duration;

  private readonly settings: HandlerSettings;
  private readonly role: iam.Role;
  private readonly instancePolicies = new Map<string, iam.CfnPolicy>();

  private constructor(scope: Construct, id: string, settings: HandlerSettings) {
    super(scope, id);
    checkSettings(settings);
    this.settings = settings;

    if (!fs.existsSync(path.join(HANDLER_ASSET_DIR, 'index.js'))) {
      throw new Error(
        `The EmailAddressAlias handler bundle is missing from ${HANDLER_ASSET_DIR}: run \`npm run build\` in the construct library.`,
      );
    }

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: settings.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role without managed policies: AWSLambdaBasicExecutionRole would allow
    // writing to every log group of the account. The Connect permissions are separate
    // policies, one per instance (see instancePolicy).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        Logs: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              // The log group's Arn attribute ends in ":*", which covers its log streams.
              resources: [logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });
    const handler = new lambda.Function(this, 'Handler', {
      description: 'Associates Amazon Connect email address aliases (CloudFormation custom resource)',
      code: lambda.Code.fromAsset(HANDLER_ASSET_DIR),
      handler: 'index.handler',
      runtime: settings.runtime,
      architecture: lambda.Architecture.ARM_64,
      // Pure JavaScript doing a few API calls; more memory mostly speeds up the cold start.
      memorySize: 256,
      timeout: settings.timeout,
      role: this.role,
      logGroup,
    });

    this.serviceToken = handler.functionArn;
    this.serviceTimeout = settings.timeout.plus(SERVICE_TIMEOUT_MARGIN);
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
      roles: [this.role.roleName],
      policyDocument: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ actions: CONNECT_ACTIONS, resources: [emailAddresses] })],
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
    this.instancePolicies.set(key, policy);
    return policy;
  }

  private checkSameSettings(requested: Partial<HandlerSettings>): void {
    const inForce = describeSettings(this.settings);
    const asked = describeSettings(requested);
    for (const name of Object.keys(inForce) as Array<keyof HandlerSettings>) {
      if (asked[name] !== undefined && asked[name] !== inForce[name]) {
        throw new Error(
          `${name} is ${asked[name]}, but another EmailAddressAlias in stack ${Stack.of(this).stackName} ` +
            `set up the handler with ${inForce[name]}. timeout, logRetention and runtime configure the one ` +
            'handler function shared by all aliases of a stack: give every alias the same value, or omit it.',
        );
      }
    }
  }
}

function checkSettings({ timeout, runtime }: HandlerSettings): void {
  if (timeout.isUnresolved()) {
    throw new Error('timeout must be a literal duration: the custom resources\' ServiceTimeout is computed from it.');
  }
  if (timeout.toMilliseconds() < 1000 || timeout.toMilliseconds() > MAX_LAMBDA_TIMEOUT.toMilliseconds()) {
    throw new Error(`timeout is ${timeout.toHumanString()}: give a Lambda timeout from 1 second to 15 minutes.`);
  }
  const major = /^nodejs(\d+)\./.exec(runtime.name)?.[1];
  if (runtime.family !== lambda.RuntimeFamily.NODEJS || major === undefined || Number(major) < MIN_NODEJS_MAJOR) {
    throw new Error(
      `runtime ${runtime.name} cannot run the handler: give a Node.js runtime from nodejs${MIN_NODEJS_MAJOR}.x on ` +
        `(the default is ${DEFAULT_HANDLER_SETTINGS.runtime.name}).`,
    );
  }
}

/** The settings the user gave, without the undefined ones, so they do not override defaults. */
function defined(settings: Partial<HandlerSettings>): Partial<HandlerSettings> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

/** The settings as they read in messages; two values are the same setting when they read the same. */
function describeSettings(settings: Partial<HandlerSettings>): { [K in keyof HandlerSettings]?: string } {
  const { timeout, logRetention, runtime } = settings;
  return {
    timeout: timeout?.toHumanString(),
    logRetention: logRetention === undefined ? undefined : logs.RetentionDays[logRetention],
    runtime: runtime?.name,
  };
}
