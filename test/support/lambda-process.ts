import { fork } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';

// The benchmark's bench/invocation-child.ts also runs the bundle in a fresh process, but to time
// it: it serves many invocations and enforces no deadline, which is what these tests are about.
const RUNNER_FILE = 'lambda-runtime-runner.js';

/** A Lambda function, its code laid out where nothing can resolve from the repository. */
export interface LambdaFunctionCode {
  readonly functionArn: string;
  readonly directory: string;
  /** The function's Handler setting, e.g. "index.handler". */
  readonly handlerSetting: string;
}

/** How one invocation ended, with everything the function wrote to stdout and stderr. */
export interface LambdaInvocation {
  readonly outcome: 'resolved' | 'rejected' | 'crashed' | 'timed out';
  readonly error?: string;
  readonly logs: string;
  /** Epoch milliseconds at which the process was, or would have been, killed. */
  readonly deadline: number;
  readonly durationMs: number;
}

export interface InvokeOptions {
  /** Wall time from the start of the invocation to the deadline, when the process is killed. */
  readonly timeoutMs: number;
  /** The function's environment; only the function name and the runner's own settings are added. */
  readonly environment: Record<string, string>;
}

/** The function as a stack defines it. */
export interface LambdaFunctionDefinition {
  readonly functionArn: string;
  /** The directory of its code asset. */
  readonly assetDirectory: string;
  readonly handlerSetting: string;
}

/** Copies the function's code and the runtime runner into a fresh directory under `parent`. */
export function installLambdaCode(definition: LambdaFunctionDefinition, parent: string): LambdaFunctionCode {
  const directory = mkdtempSync(join(parent, 'lambda-task-'));
  cpSync(definition.assetDirectory, directory, { recursive: true });
  copyFileSync(join(__dirname, RUNNER_FILE), join(directory, RUNNER_FILE));
  return { functionArn: definition.functionArn, directory, handlerSetting: definition.handlerSetting };
}

// Lambda's own limit on a function's init phase; a runner not ready by then has crashed.
const INIT_LIMIT_MS = 10_000;

/**
 * Runs one invocation in a new Node process, as Lambda does in a fresh sandbox: once the code is
 * loaded (the init phase, which the function's timeout does not count), the event is handed
 * over, and the process is killed at the deadline that `getRemainingTimeInMillis()` counts
 * down to. How busy this machine is at fork time then takes nothing from the function's time.
 */
export function invokeLambda(code: LambdaFunctionCode, event: unknown, requestId: string, options: InvokeOptions): Promise<LambdaInvocation> {
  const child = fork(join(code.directory, RUNNER_FILE), [], {
    cwd: code.directory,
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...options.environment,
      AWS_LAMBDA_FUNCTION_NAME: code.functionArn.split(':').pop(),
      LAMBDA_HANDLER_SETTING: code.handlerSetting,
      LAMBDA_TASK_ROOT: code.directory,
      HOME: code.directory,
    },
  });
  let logs = '';
  child.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));

  return new Promise((resolve) => {
    let started = Date.now();
    let deadline = started + INIT_LIMIT_MS;
    let report: { outcome: 'resolved' | 'rejected'; error?: string } | undefined;
    let timedOut = false;
    let killer = setTimeout(() => child.kill('SIGKILL'), INIT_LIMIT_MS);
    child.on('message', (message: { ready?: true } & typeof report) => {
      if (!message?.ready) {
        report = message;
        return;
      }
      clearTimeout(killer);
      started = Date.now();
      deadline = started + options.timeoutMs;
      killer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeoutMs);
      child.send({ event, deadline, requestId, invokedFunctionArn: code.functionArn }, () => undefined);
    });
    child.on('close', () => {
      clearTimeout(killer);
      const outcome = report?.outcome ?? (timedOut ? 'timed out' : 'crashed');
      resolve({ outcome, error: report?.error, logs, deadline, durationMs: Date.now() - started });
    });
  });
}
