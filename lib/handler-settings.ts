import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { aliasErrorMessage } from './alias-error-message';
import { MIN_NODEJS_MAJOR, newestNodejsRuntime, nodejsMajor } from './handler-runtime';
import { DEFAULT_REQUESTS_PER_SECOND, MAX_SERVICE_TIMEOUT_SECONDS, SIZED_FOR_SHARE, queueDrainSeconds } from './quota-pacing';

/** Settings of the handler function, which every alias in a stack shares. */
export interface HandlerSettings {
  readonly timeout: Duration;
  /** How long CloudFormation waits for each alias: the last of the stack's requests to leave the queue, and its work. */
  readonly serviceTimeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly runtime: lambda.Runtime;
  readonly connectRequestsPerSecond: number;
  // Where the function runs and whose log group and role it uses, when not its own.
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
  readonly logGroup?: logs.ILogGroup;
  readonly role?: iam.IRole;
}

/** What one alias asked for; what it left out, it leaves to the others or the default. */
export interface SettingsRequest {
  /** The alias's construct path, for messages. */
  readonly path: string;
  readonly settings: Partial<HandlerSettings>;
}

const DEFAULTS: Omit<HandlerSettings, 'serviceTimeout' | 'runtime'> = {
  // One request's work: its calls paced, the 20 s contention and 10 s IAM windows, the answer.
  timeout: Duration.minutes(2),
  logRetention: logs.RetentionDays.ONE_MONTH,
  connectRequestsPerSecond: DEFAULT_REQUESTS_PER_SECOND,
};
// Room for a retry after the longest wait: the 20 s contention window, the 10 s IAM window
// and the time to answer.
const MIN_TIMEOUT = Duration.seconds(30);
const MAX_LAMBDA_TIMEOUT = Duration.minutes(15);

/** Checks what one alias asks for on its own; throws naming the prop and the fix. */
export function checkRequestedSettings({ timeout, runtime, connectRequestsPerSecond }: Partial<HandlerSettings>): void {
  if (timeout !== undefined) {
    if (timeout.isUnresolved()) {
      throw new Error("timeout must be a literal duration: the custom resources' ServiceTimeout is computed from it.");
    }
    if (timeout.toMilliseconds() < MIN_TIMEOUT.toMilliseconds() || timeout.toMilliseconds() > MAX_LAMBDA_TIMEOUT.toMilliseconds()) {
      throw new Error(
        `timeout is ${timeout.toHumanString()}: give a Lambda timeout from ${MIN_TIMEOUT.toHumanString()} to 15 minutes ` +
          '(less leaves no room to retry throttling, lock conflicts or IAM delays), or omit it to have it sized.',
      );
    }
  }
  if (runtime !== undefined && (nodejsMajor(runtime) ?? 0) < MIN_NODEJS_MAJOR) {
    throw new Error(
      `runtime ${runtime.name} cannot run the handler: give a Node.js runtime from nodejs${MIN_NODEJS_MAJOR}.x on, or omit ` +
        `runtime to get the newest your aws-cdk-lib defines (${newestNodejsRuntime().name}).`,
    );
  }
  if (connectRequestsPerSecond !== undefined) {
    if (Token.isUnresolved(connectRequestsPerSecond) || !(connectRequestsPerSecond > 0) || !Number.isFinite(connectRequestsPerSecond)) {
      throw new Error(
        `connectRequestsPerSecond is ${connectRequestsPerSecond}: give a literal number of requests per second above 0 ` +
          `(Amazon Connect's default quota is ${DEFAULT_REQUESTS_PER_SECOND}).`,
      );
    }
  }
}

/**
 * How long CloudFormation waits for each alias: the last of `aliasCount` requests sent at once
 * leaves the queue once the others were served at the sized share of `requestsPerSecond`, then
 * works for up to `timeout`. In whole minutes, so that it changes only now and then as aliases
 * come and go (a changed ServiceTimeout is an Update of every alias, which changes nothing).
 */
export function serviceTimeoutFor(aliasCount: number, requestsPerSecond: number, timeout: Duration): Duration {
  return Duration.minutes(Math.ceil((queueDrainSeconds(aliasCount, requestsPerSecond) + timeout.toSeconds()) / 60));
}

/**
 * The settings of the stack's function: for each, the value every alias that set it agrees on,
 * or the default; the ServiceTimeout sized to the number of aliases. Throws on disagreement
 * (naming both aliases) and on more aliases than CloudFormation's hour can serve; an error that
 * no one alias causes is about the stack at `stackPath`.
 */
export function resolveSettings(requests: ReadonlyArray<SettingsRequest>, stackPath: string): HandlerSettings {
  const agreed = {
    logRetention: agreedValue(requests, 'logRetention') ?? DEFAULTS.logRetention,
    runtime: agreedValue(requests, 'runtime') ?? newestNodejsRuntime(),
    connectRequestsPerSecond: agreedValue(requests, 'connectRequestsPerSecond') ?? DEFAULTS.connectRequestsPerSecond,
    vpc: agreedValue(requests, 'vpc'),
    vpcSubnets: agreedValue(requests, 'vpcSubnets'),
    securityGroups: agreedValue(requests, 'securityGroups'),
    logGroup: agreedValue(requests, 'logGroup'),
    role: agreedValue(requests, 'role'),
  };
  checkPlacement(requests, agreed);
  const timeout = agreedValue(requests, 'timeout') ?? DEFAULTS.timeout;
  const serviceTimeout = serviceTimeoutFor(requests.length, agreed.connectRequestsPerSecond, timeout);
  if (serviceTimeout.toSeconds() > MAX_SERVICE_TIMEOUT_SECONDS) {
    throw new Error(
      aliasErrorMessage(
        stackPath,
        `${requests.length} aliases at ${agreed.connectRequestsPerSecond} Connect requests per second need CloudFormation to ` +
          `wait up to ${serviceTimeout.toHumanString()} for the last of them (sized for ${SIZED_FOR_SHARE * 100}% of the rate, ` +
          'the rest left to other callers), more than its limit of 1 hour for a custom resource: declare fewer aliases per ' +
          'stack, or raise connectRequestsPerSecond after raising the Amazon Connect API quota of the account.',
      ),
    );
  }
  return { ...agreed, timeout, serviceTimeout };
}

const SHARED_SETTINGS =
  'timeout, logRetention, runtime, connectRequestsPerSecond, vpc, vpcSubnets, securityGroups, logGroup and role';

/** Settings that only mean something together: named on the alias that set the one without the other. */
function checkPlacement(requests: ReadonlyArray<SettingsRequest>, agreed: Omit<HandlerSettings, 'timeout' | 'serviceTimeout'>): void {
  const setter = (name: keyof HandlerSettings) => setterOf(requests, name);
  for (const name of ['vpcSubnets', 'securityGroups'] as const) {
    if (agreed[name] !== undefined && agreed.vpc === undefined) {
      throw new Error(
        aliasErrorMessage(setter(name)!, `${name} is set at ${setter(name)}, but no alias of the stack sets vpc: give the VPC too, or leave ${name} out.`),
      );
    }
  }
  const logRetentionSetter = setter('logRetention');
  if (agreed.logGroup !== undefined && logRetentionSetter !== undefined) {
    throw new Error(
      aliasErrorMessage(
        logRetentionSetter,
        `logRetention is set at ${logRetentionSetter}, and logGroup at ${setter('logGroup')}: logRetention applies to the ` +
          "log group the construct creates, and with logGroup it creates none; set the retention on your log group instead.",
      ),
    );
  }
}

/** The path of the first alias that sets `name`, if any does. */
function setterOf(requests: ReadonlyArray<SettingsRequest>, name: keyof HandlerSettings): string | undefined {
  return requests.find((request) => request.settings[name] !== undefined)?.path;
}

function agreedValue<K extends keyof HandlerSettings>(requests: ReadonlyArray<SettingsRequest>, name: K): HandlerSettings[K] | undefined {
  const setters = requests.filter((request) => request.settings[name] !== undefined);
  const [first] = setters;
  const other = setters.find((request) => describeSetting(name, request.settings[name]) !== describeSetting(name, first.settings[name]));
  if (other !== undefined) {
    throw new Error(
      aliasErrorMessage(
        other.path,
        `${name} is ${describeSetting(name, other.settings[name])} at ${other.path}, but ${describeSetting(name, first.settings[name])} ` +
          `at ${first.path}. ${SHARED_SETTINGS} configure the one handler function ` +
          'shared by all aliases of a stack: give every alias the same value, or omit it.',
      ),
    );
  }
  return first?.settings[name];
}

/** A setting as it reads in messages; two values are the same setting when they read the same. */
function describeSetting(name: keyof HandlerSettings, value: unknown): string {
  switch (name) {
    case 'timeout':
      return (value as Duration).toHumanString();
    case 'logRetention':
      return logs.RetentionDays[value as logs.RetentionDays];
    case 'runtime':
      return (value as lambda.Runtime).name;
    case 'vpc':
    case 'vpcSubnets':
    case 'securityGroups':
    case 'logGroup':
    case 'role':
      // Constructs by their path: the same VPC, log group or role is the same construct.
      return JSON.stringify(value, (_key, part) => (Construct.isConstruct(part) ? part.node.path : part));
    default:
      return String(value);
  }
}
