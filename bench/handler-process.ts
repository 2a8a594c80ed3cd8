/**
 * The parent's side of an invocation child: compiles the child into a workspace, starts it with a
 * Lambda-like environment, and times each invocation against the response receiver.
 */
import { ChildProcess, fork } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { TEST_ENVIRONMENT } from '../test/fixtures/environment';
import type { CloudFormationResponse } from '../test/support/cloudformation-driver';
import type { ConnectEmulator, EmulatorCall } from '../test/support/connect-emulator';
import { NO_SERVICE_ENDPOINT } from '../test/support/lambda-environment';
import type { ResponseReceiver } from '../test/support/response-receiver';
import type { AliasEvent } from './cloudformation-events';
import type { ChildConfig, HandlerKind, InvocationReport } from './invocation-child';
import { elapsedMs } from './stats';

/** One timed invocation. */
export interface Invocation {
  readonly report: InvocationReport;
  /** The body of the response PUT. */
  readonly response: CloudFormationResponse;
  /** The Connect calls the invocation made, in order. */
  readonly calls: readonly EmulatorCall[];
  /** From the start of loading (process start, less Node's own boot) to the response PUT. */
  readonly loadToResponseMs: number;
  readonly loadMs: number;
  /** From the handler's invocation to the response PUT. */
  readonly invokeToResponseMs: number;
  /** The part of `invokeToResponseMs` the emulator spent answering. */
  readonly emulatorMs: number;
}

/** Where everything the children need lives; removed by `dispose`. */
export class Workspace {
  static async create(bundleDirectory: string): Promise<Workspace> {
    const root = mkdtempSync(join(tmpdir(), 'alias-bench-handler-'));
    // A copy where nothing resolves from the repository's node_modules, as in a Lambda sandbox.
    const bundle = join(root, 'function');
    cpSync(bundleDirectory, bundle, { recursive: true });
    // An empty home: the SDK must not find (or be slowed by) the machine's AWS config files.
    const home = join(root, 'home');
    mkdirSync(home);
    const child = join(root, 'invocation-child.js');
    await build({
      entryPoints: [join(__dirname, 'invocation-child.ts')],
      outfile: child,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      // The SDK import is type-only; the real one is required at run time by path.
      external: ['@aws-sdk/*'],
      logLevel: 'error',
    });
    return new Workspace(root, join(bundle, 'index.js'), home, child);
  }

  private constructor(
    private readonly root: string,
    readonly bundleFile: string,
    readonly home: string,
    readonly childFile: string,
  ) {}

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** What each kind of child loads. */
function modulePathFor(kind: HandlerKind, workspace: Workspace): string {
  switch (kind) {
    case 'bundle':
      return workspace.bundleFile;
    case 'sdk':
      return require.resolve('@aws-sdk/client-connect');
    case 'bare':
      return '';
  }
}

export class HandlerProcess {
  /**
   * Starts a child; with `firstEvent` it is invoked as soon as the module is loaded, so
   * `loadToResponseMs` of that invocation is the cold start.
   */
  static start(
    kind: HandlerKind,
    workspace: Workspace,
    emulator: ConnectEmulator,
    cloudFormationEndpoint: string,
    receiver: ResponseReceiver,
    firstEvent?: AliasEvent,
  ): { process: HandlerProcess; first?: Promise<Invocation> } {
    const config: ChildConfig = { kind, modulePath: modulePathFor(kind, workspace), firstEvent };
    const callsBefore = emulator.calls.length;
    const child = fork(workspace.childFile, [JSON.stringify(config)], {
      // Plain Node: the parent's TypeScript loader must not slow the child's module loading.
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: lambdaEnvironment(emulator.endpoint, cloudFormationEndpoint, workspace.home),
    });
    const handlerProcess = new HandlerProcess(child, emulator, receiver);
    const first = firstEvent && handlerProcess.measure(firstEvent, callsBefore);
    return { process: handlerProcess, first };
  }

  private readonly reports: InvocationReport[] = [];
  private readonly waiting: Array<(report: InvocationReport) => void> = [];
  private stderr = '';
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly emulator: ConnectEmulator,
    private readonly receiver: ResponseReceiver,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on('message', (report: InvocationReport) => {
      const waiter = this.waiting.shift();
      if (waiter) {
        waiter(report);
      } else {
        this.reports.push(report);
      }
    });
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
  }

  invoke(event: AliasEvent): Promise<Invocation> {
    const callsBefore = this.emulator.calls.length;
    this.child.send({ event });
    return this.measure(event, callsBefore);
  }

  async stop(): Promise<void> {
    this.child.disconnect();
    await this.exited;
  }

  private async measure(event: AliasEvent, callsBefore: number): Promise<Invocation> {
    const exit = this.exited.then(() => {
      throw new Error(`The handler process exited during ${event.RequestType}:\n${this.stderr}`);
    });
    const [report, put] = await Promise.race([
      Promise.all([this.nextReport(), this.receiver.firstRequestTo(new URL(event.ResponseURL).pathname)]),
      exit,
    ]);
    if (put.method !== 'PUT' || put.answeredWith !== 200) {
      throw new Error(`${event.RequestType}: the response was a ${put.method} answered ${put.answeredWith}\n${this.stderr}`);
    }
    const response: CloudFormationResponse = JSON.parse(put.body);
    if (response.Status !== 'SUCCESS') {
      throw new Error(`${event.RequestType} answered ${response.Status}: ${response.Reason}\n${this.stderr}`);
    }
    const calls = this.emulator.calls.slice(callsBefore);
    const invokedAt = BigInt(report.invokedAt);
    return {
      report,
      response,
      calls,
      loadToResponseMs: elapsedMs(BigInt(report.startedAt), put.completedAt),
      loadMs: elapsedMs(BigInt(report.startedAt), BigInt(report.loadedAt)),
      invokeToResponseMs: elapsedMs(invokedAt, put.completedAt),
      emulatorMs: calls.reduce((sum, call) => sum + call.durationMs, 0),
    };
  }

  private nextReport(): Promise<InvocationReport> {
    const report = this.reports.shift();
    return report ? Promise.resolve(report) : new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** What Lambda gives a function: region, the role's credentials (fake here), its name. */
function lambdaEnvironment(connectEndpoint: string, cloudFormationEndpoint: string, home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_REGION: TEST_ENVIRONMENT.region,
    AWS_DEFAULT_REGION: TEST_ENVIRONMENT.region,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_LAMBDA_FUNCTION_NAME: 'alias-handler',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_ENDPOINT_URL: NO_SERVICE_ENDPOINT,
    AWS_ENDPOINT_URL_CONNECT: connectEndpoint,
    AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormationEndpoint,
    // The SDK warns once per process on Node.js before 22 (several ms of console output in every
    // cold start of either implementation); the Lambda runtimes the handler targets are 22+.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
