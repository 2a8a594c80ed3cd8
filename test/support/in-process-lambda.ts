/**
 * One Lambda function played in this process, for runs with hundreds of concurrent invocations
 * (a process per invocation would not fit on the machine). Like Lambda:
 * - each concurrent invocation runs in its own execution environment: a fresh instance of the
 *   bundle's module, with its own module state, environment variables and console; an
 *   environment is reused once its invocation has ended, and dropped if it timed out;
 * - an invocation takes an execution from the account's concurrency pool, within the function's
 *   reserved concurrency, or is throttled at once (Invoke's TooManyRequestsException): the
 *   caller's retry policy (Lambda's asynchronous queue, an event source mapping) lives with the
 *   caller;
 * - `context.getRemainingTimeInMillis()` counts down to the function's timeout, at which Lambda
 *   ends the invocation, frees its execution, and reports it timed out.
 * Unlike Lambda, the handler is not stopped at the deadline: callers judge what it did after.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { format } from 'node:util';
import { constants as vmConstants, Script } from 'node:vm';
import type { Context } from 'aws-lambda';
import { ConcurrencyPool } from './lambda-concurrency';

export interface InProcessFunctionOptions {
  readonly functionArn: string;
  /** The directory holding the function's code, outside the repository. */
  readonly codeDirectory: string;
  /** The Handler setting, "file.export". */
  readonly handlerSetting: string;
  readonly timeoutMs: number;
  readonly memorySizeMb: number;
  /** The whole environment the handler sees as `process.env`. */
  readonly environment: Record<string, string>;
  /** ReservedConcurrentExecutions; none means whatever the account's pool has free. */
  readonly reservedConcurrency?: number;
  /** The account's executions, shared with its other functions. Default: a pool of its own, unlimited. */
  readonly concurrency?: ConcurrencyPool;
}

/** When an invocation ran: epoch milliseconds. */
export interface InvocationTiming {
  readonly startedAt: number;
  /** Where Lambda ends the invocation. */
  readonly deadline: number;
}

/** How an invocation ended, as its invoker learns it. */
export type InvocationResult =
  | { readonly kind: 'returned'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: unknown }
  /** The deadline came first; the handler may still be running, but its result is lost. */
  | { readonly kind: 'timeout' };

export interface RunningInvocation {
  readonly timing: InvocationTiming;
  /** Resolves when the handler settles or at the deadline, whichever comes first. */
  readonly result: Promise<InvocationResult>;
  /** Resolves when the handler has settled, however late. */
  readonly settled: Promise<void>;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

interface ExecutionEnvironment {
  readonly handler: Handler;
}

const MODULE_WRAPPER_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', 'process', 'console'];

export class InProcessFunction {
  /** Every line the handler wrote to its console, in every environment. */
  readonly logs: string[] = [];
  private readonly script: Script;
  private readonly moduleFile: string;
  private readonly exportName: string;
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly listeners: Array<(event: unknown, timing: InvocationTiming) => void> = [];
  private readonly pool: ConcurrencyPool;
  private environmentsCreated = 0;

  constructor(private readonly options: InProcessFunctionOptions) {
    const dot = options.handlerSetting.lastIndexOf('.');
    if (dot <= 0) throw new Error(`Handler setting "${options.handlerSetting}" is not of the form "file.export"`);
    this.moduleFile = join(options.codeDirectory, `${options.handlerSetting.slice(0, dot)}.js`);
    this.exportName = options.handlerSetting.slice(dot + 1);
    this.pool = options.concurrency ?? new ConcurrencyPool();
    // Compiled once; each environment runs it for a module instance of its own.
    const source = readFileSync(this.moduleFile, 'utf8');
    this.script = new Script(`(function (${MODULE_WRAPPER_PARAMETERS.join(', ')}) {${source}\n})`, {
      filename: this.moduleFile,
      // The SDK imports node:http and node:async_hooks with import().
      importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
  }

  get functionArn(): string {
    return this.options.functionArn;
  }

  /** Execution environments initialised so far (cold starts). */
  get coldStarts(): number {
    return this.environmentsCreated;
  }

  /** Initialises environments ahead of the invocations, so that their start is not spent loading code. */
  prewarm(count: number): void {
    while (this.idle.length < count) {
      this.idle.push(this.createEnvironment());
    }
  }

  /** Calls `listener` as each invocation starts, with its event (to learn which requests it carries). */
  onInvocation(listener: (event: unknown, timing: InvocationTiming) => void): void {
    this.listeners.push(listener);
  }

  /** A synchronous invocation: runs now if an execution is free, else undefined (throttled). */
  tryInvoke(event: unknown): RunningInvocation | undefined {
    if (!this.pool.tryAcquire(this.options.functionArn, this.options.reservedConcurrency)) {
      return undefined;
    }
    return this.run(this.idle.pop() ?? this.createEnvironment(), event);
  }

  /** Resolves once every invocation started so far has settled, however late. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending]);
    }
  }

  private run(environment: ExecutionEnvironment, event: unknown): RunningInvocation {
    const startedAt = Date.now();
    const timing = { startedAt, deadline: startedAt + this.options.timeoutMs };
    let ended = false;
    let report!: (result: InvocationResult) => void;
    const result = new Promise<InvocationResult>((resolve) => (report = resolve));
    // Lambda frees the execution at the deadline even if the handler is still busy.
    const end = (outcome: InvocationResult): void => {
      if (!ended) {
        ended = true;
        this.pool.release(this.options.functionArn);
        report(outcome);
      }
    };
    const timer = setTimeout(() => end({ kind: 'timeout' }), this.options.timeoutMs);
    this.listeners.forEach((listener) => listener(event, timing));
    const settled = (async () => {
      let outcome: InvocationResult;
      try {
        outcome = { kind: 'returned', value: await environment.handler(event, this.contextFor(timing.deadline)) };
      } catch (error) {
        this.logs.push(`Invoke Error ${format(error)}`);
        outcome = { kind: 'error', error };
      }
      clearTimeout(timer);
      // An environment that ran past its deadline would have been stopped and replaced.
      const inTime = Date.now() <= timing.deadline;
      if (inTime) {
        this.idle.push(environment);
      }
      end(inTime ? outcome : { kind: 'timeout' });
    })();
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return { timing, result, settled };
  }

  private createEnvironment(): ExecutionEnvironment {
    this.environmentsCreated += 1;
    const module = { exports: {} as Record<string, unknown> };
    // Only Node's built-in modules: the bundle must carry everything else, as in Lambda.
    const requireBuiltin = (id: string): unknown => {
      if (!isBuiltin(id)) throw new Error(`Cannot find module '${id}' (only Node built-ins exist next to the bundle)`);
      return require(id);
    };
    const write = (...args: unknown[]): void => void this.logs.push(format(...args));
    // Warnings too go to the function's log rather than this process's stderr.
    const processView = Object.create(process, {
      env: { value: { ...this.options.environment }, enumerable: true },
      emitWarning: { value: write },
    });
    const consoleView = { ...console, log: write, info: write, warn: write, error: write, debug: write, trace: write };
    const wrapper = this.script.runInThisContext() as (...args: unknown[]) => void;
    wrapper(module.exports, requireBuiltin, module, this.moduleFile, this.options.codeDirectory, processView, consoleView);
    const handler = module.exports[this.exportName];
    if (typeof handler !== 'function') {
      throw new Error(`${this.moduleFile} exports no function ${this.exportName}`);
    }
    return { handler: handler as Handler };
  }

  private contextFor(deadline: number): Context {
    const functionName = this.options.functionArn.split(':').pop()!;
    const requestId = randomUUID();
    const unsupported = () => {
      throw new Error('Callback-style completion is not used by an async handler.');
    };
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.options.functionArn,
      memoryLimitInMB: String(this.options.memorySizeMb),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `2030/01/01/[$LATEST]${requestId}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: unsupported,
      fail: unsupported,
      succeed: unsupported,
    };
  }
}
