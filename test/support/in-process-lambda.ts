/**
 * One Lambda function played in this process, for runs with hundreds of concurrent invocations
 * (a process per invocation would not fit on the machine). Like Lambda:
 * - each concurrent invocation runs in its own execution environment: a fresh instance of the
 *   bundle's module, with its own module state, environment variables and console; an
 *   environment is reused once its invocation has ended, and dropped if it timed out;
 * - asynchronous invocations beyond the reserved concurrency wait in a queue, first in first out;
 * - `context.getRemainingTimeInMillis()` counts down to the function's timeout, at which Lambda
 *   ends the invocation and frees its concurrency.
 * Unlike Lambda, the handler is not stopped at the deadline: callers judge what it did after.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { format } from 'node:util';
import { constants as vmConstants, Script } from 'node:vm';
import type { Context } from 'aws-lambda';

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
  /** ReservedConcurrentExecutions; none means as many as there are invocations. */
  readonly reservedConcurrency?: number;
}

/** When an invocation ran: epoch milliseconds. */
export interface InvocationTiming {
  readonly startedAt: number;
  /** Where Lambda ends the invocation. */
  readonly deadline: number;
}

export interface QueuedInvocation {
  /** Resolves when the invocation leaves the queue and its handler is called. */
  readonly started: Promise<InvocationTiming>;
  /** Resolves when the handler has settled, however late. */
  readonly settled: Promise<void>;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

interface ExecutionEnvironment {
  readonly handler: Handler;
}

interface Waiting {
  readonly event: unknown;
  readonly start: (timing: InvocationTiming) => void;
  readonly settle: () => void;
}

const MODULE_WRAPPER_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', 'process', 'console'];

export class InProcessFunction {
  /** Every line the handler wrote to its console, in every environment. */
  readonly logs: string[] = [];
  private readonly script: Script;
  private readonly moduleFile: string;
  private readonly exportName: string;
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly queue: Waiting[] = [];
  private readonly pending = new Set<Promise<void>>();
  private running = 0;
  private environmentsCreated = 0;

  constructor(private readonly options: InProcessFunctionOptions) {
    const dot = options.handlerSetting.lastIndexOf('.');
    if (dot <= 0) throw new Error(`Handler setting "${options.handlerSetting}" is not of the form "file.export"`);
    this.moduleFile = join(options.codeDirectory, `${options.handlerSetting.slice(0, dot)}.js`);
    this.exportName = options.handlerSetting.slice(dot + 1);
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

  /** An asynchronous invocation: queued, and run as soon as the concurrency allows. */
  invoke(event: unknown): QueuedInvocation {
    let start!: (timing: InvocationTiming) => void;
    let settle!: () => void;
    const started = new Promise<InvocationTiming>((resolve) => (start = resolve));
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    this.queue.push({ event, start, settle });
    this.dispatch();
    return { started, settled };
  }

  /** Resolves once every invocation made so far, queued ones included, has settled. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending]);
    }
  }

  private dispatch(): void {
    const limit = this.options.reservedConcurrency ?? Number.POSITIVE_INFINITY;
    while (this.queue.length > 0 && this.running < limit) {
      const waiting = this.queue.shift()!;
      this.running += 1;
      void this.run(this.idle.pop() ?? this.createEnvironment(), waiting);
    }
  }

  private async run(environment: ExecutionEnvironment, waiting: Waiting): Promise<void> {
    const startedAt = Date.now();
    const deadline = startedAt + this.options.timeoutMs;
    let ended = false;
    // Lambda frees the concurrency at the deadline even if the handler is still busy.
    const end = (): void => {
      if (!ended) {
        ended = true;
        this.running -= 1;
        this.dispatch();
      }
    };
    const timer = setTimeout(end, this.options.timeoutMs);
    waiting.start({ startedAt, deadline });
    try {
      await environment.handler(waiting.event, this.contextFor(deadline));
    } catch (error) {
      this.logs.push(`Invoke Error ${format(error)}`);
    } finally {
      clearTimeout(timer);
      // An environment that ran past its deadline would have been stopped and replaced.
      if (Date.now() <= deadline) {
        this.idle.push(environment);
      }
      end();
      waiting.settle();
    }
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
