import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { aliasErrorMessage } from './alias-error-message';
import { MIN_NODEJS_MAJOR, newestNodejsRuntime, nodejsMajor } from './handler-runtime';
import { DEFAULT_REQUESTS_PER_SECOND, MAX_CALLS_PER_EVENT, spreadWindowMs } from './quota-pacing';

/** Settings of the handler function, which every alias in a stack shares. */
export interface HandlerSettings {
  readonly timeout: Duration;
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

const DEFAULTS: Omit<HandlerSettings, 'timeout' | 'runtime'> = {
  logRetention: logs.RetentionDays.ONE_MONTH,
  connectRequestsPerSecond: DEFAULT_REQUESTS_PER_SECOND,
};
/** The default timeout at the least, whatever the number of aliases. */
const BASE_TIMEOUT = Duration.minutes(2);
// Room for a retry after the longest wait: the 20 s contention window, the 10 s IAM window
// and the time to answer.
const MIN_TIMEOUT = Duration.seconds(30);
const MAX_LAMBDA_TIMEOUT = Duration.minutes(15);
// Beyond the spread window: the calls after a throttle, and the answer.
const SPREAD_TAIL_SECONDS = 60;

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
 * The timeout that lets `aliasCount` aliases, started at once, all be served at
 * `requestsPerSecond`, whatever each one's event; in whole minutes, so that it, and the
 * ServiceTimeout of every alias with it, changes only now and then as aliases come and go.
 */
export function timeoutFor(aliasCount: number, requestsPerSecond: number): Duration {
  const seconds = spreadWindowMs(aliasCount, MAX_CALLS_PER_EVENT, requestsPerSecond) / 1000 + SPREAD_TAIL_SECONDS;
  return Duration.minutes(Math.max(BASE_TIMEOUT.toMinutes(), Math.ceil(seconds / 60)));
}

/**
 * The settings of the stack's function: for each, the value every alias that set it agrees on,
 * or the default; the timeout, when none is given, sized to the number of aliases. Throws on
 * disagreement (naming both aliases) and on a timeout too short for the aliases; an error that
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
  const needed = timeoutFor(requests.length, agreed.connectRequestsPerSecond);
  const rate = `${requests.length} aliases at ${agreed.connectRequestsPerSecond} Connect requests per second`;
  if (needed.toMilliseconds() > MAX_LAMBDA_TIMEOUT.toMilliseconds()) {
    throw new Error(
      aliasErrorMessage(
        stackPath,
        `${rate} need a timeout of ${needed.toHumanString()}, more than Lambda's 15 minutes: declare fewer aliases per ` +
          'stack, or raise connectRequestsPerSecond after raising the Amazon Connect API quota of the account.',
      ),
    );
  }
  const timeout = agreedValue(requests, 'timeout');
  if (timeout !== undefined && timeout.toMilliseconds() < needed.toMilliseconds()) {
    throw new Error(
      aliasErrorMessage(
        setterOf(requests, 'timeout')!,
        `timeout is ${timeout.toHumanString()}, but ${rate} need ${needed.toHumanString()} when CloudFormation starts them ` +
          'all at once: omit timeout to have it sized, give at least that, or raise connectRequestsPerSecond if the ' +
          "account's Amazon Connect quota is higher.",
      ),
    );
  }
  return { ...agreed, timeout: timeout ?? needed };
}

const SHARED_SETTINGS =
  'timeout, logRetention, runtime, connectRequestsPerSecond, vpc, vpcSubnets, securityGroups, logGroup and role';

/** Settings that only mean something together: named on the alias that set the one without the other. */
function checkPlacement(requests: ReadonlyArray<SettingsRequest>, agreed: Omit<HandlerSettings, 'timeout'>): void {
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
