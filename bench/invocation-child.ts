/**
 * Runs in a fresh Node process, standing in for a Lambda sandbox: loads one handler
 * implementation (timed), invokes it for each event the parent sends, and reports when each
 * invocation started. The parent owns the clock that stops: its receiver notes when the
 * response PUT arrives. `process.hrtime` reads CLOCK_MONOTONIC, shared by all processes.
 *
 * Compiled to plain JavaScript before use, so no TypeScript loader distorts module loading.
 *
 * The integration tests' runner (test/support/lambda-runtime-runner.js) does another job: one
 * invocation of the bundle, killed at its deadline, logs captured. This child stays up for
 * warm invocations, loads the baseline implementations too, and must load nothing before its
 * clock starts; hence its own Lambda context, where the tests' fixture would bring node:crypto.
 */
import { readFileSync, statSync } from 'node:fs';
// Loaded before the clock starts, as in Lambda, whose runtime client talks HTTP to the runtime
// API before it loads the handler. Nothing else is: https and the rest count for whoever needs them.
import { request as httpRequest } from 'node:http';
import type { Context } from 'aws-lambda';
import type { AliasEvent } from './cloudformation-events';
import { TEST_ENVIRONMENT } from '../test/fixtures/environment';

/** Which implementation the process loads. */
export type HandlerKind =
  /** This library's pre-bundled handler (`modulePath` is the bundle). */
  | 'bundle'
  /** A handler using @aws-sdk/client-connect from node_modules (`modulePath` is the package's entry). */
  | 'sdk'
  /** Nothing to load; only the response PUT: what any Node.js handler pays. */
  | 'bare';

export interface ChildConfig {
  readonly kind: HandlerKind;
  readonly modulePath: string;
  /** Invoked right after loading, as Lambda does on a cold start. Later events arrive as messages. */
  readonly firstEvent?: AliasEvent;
}

export interface InvocationReport {
  readonly requestId: string;
  /** hrtime readings as decimal strings (IPC carries JSON, which has no bigint). */
  readonly startedAt: string;
  readonly loadedAt: string;
  readonly invokedAt: string;
  /** Peak resident set size of the process so far, in kilobytes. */
  readonly maxRssKb: number;
  /** Files Node loaded from disk so far, and their total size. */
  readonly modulesLoaded: number;
  readonly moduleBytes: number;
}

type Invoke = (event: AliasEvent) => Promise<unknown>;

const config: ChildConfig = JSON.parse(process.argv[2]);
const startedAt = process.hrtime.bigint();
const invoke = load(config);
const loadedAt = process.hrtime.bigint();

process.on('message', (message: { event: AliasEvent }) => void run(message.event));
process.on('disconnect', () => process.exit(0));
if (config.firstEvent) {
  void run(config.firstEvent);
}

async function run(event: AliasEvent): Promise<void> {
  const invokedAt = process.hrtime.bigint();
  await invoke(event);
  const modules = Object.keys(require.cache);
  const report: InvocationReport = {
    requestId: event.RequestId,
    startedAt: String(startedAt),
    loadedAt: String(loadedAt),
    invokedAt: String(invokedAt),
    maxRssKb: peakRssKb(),
    modulesLoaded: modules.length,
    moduleBytes: modules.reduce((sum, file) => sum + statSync(file).size, 0),
  };
  process.send!(report);
}

/**
 * Peak RSS of this process image. getrusage's maxRSS would not do: Linux carries it across
 * fork and exec, so every child would report at least the parent's size.
 */
function peakRssKb(): number {
  const peak = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return peak ? Number(peak[1]) : process.resourceUsage().maxRSS;
}

function load({ kind, modulePath }: ChildConfig): Invoke {
  switch (kind) {
    case 'bundle': {
      const { handler } = require(modulePath);
      return (event) => handler(event, lambdaContext());
    }
    case 'sdk':
      return sdkHandler(require(modulePath));
    case 'bare':
      return (event) => respond(event);
  }
}

/**
 * The least a handler relying on the runtime's SDK does for a Create, as AwsCustomResource
 * does it: a client with default configuration per invocation, one call, the response PUT.
 */
function sdkHandler(sdk: typeof import('@aws-sdk/client-connect')): Invoke {
  return async (event) => {
    const properties = event.ResourceProperties;
    const client = new sdk.ConnectClient({});
    await client.send(
      new sdk.AssociateEmailAddressAliasCommand({
        InstanceId: properties.InstanceId,
        EmailAddressId: properties.EmailAddressId,
        AliasConfiguration: { EmailAddressId: properties.AliasEmailAddressId },
      }),
    );
    await respond(event);
  };
}

/** The response PUT as aws-cdk-lib's handlers send it; settles when the status line arrives. */
function respond(event: AliasEvent): Promise<void> {
  const body = JSON.stringify({
    Status: 'SUCCESS',
    PhysicalResourceId: `${event.ResourceProperties.EmailAddressId}/${event.ResourceProperties.AliasEmailAddressId}`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: {},
  });
  return new Promise((resolve, reject) => {
    const put = httpRequest(
      // Always the receiver's loopback HTTP URL.
      new URL(event.ResponseURL),
      { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        resolve();
      },
    );
    put.on('error', reject);
    put.end(body);
  });
}

function lambdaContext(): Context {
  const deadline = Date.now() + 300_000;
  const functionName = 'alias-handler';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${TEST_ENVIRONMENT.region}:${TEST_ENVIRONMENT.account}:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: String(process.hrtime.bigint()),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
