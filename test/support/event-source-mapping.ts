/**
 * A Lambda event source mapping from an SQS queue, as Lambda runs one:
 * - its pollers receive up to BatchSize visible messages and invoke the function synchronously
 *   with a standard SQS event, while fewer than ScalingConfig.MaximumConcurrency of its
 *   invocations run (without it, the account's concurrency is the only cap);
 * - a throttled invocation (no free execution) keeps its batch: Lambda tries the invocation again
 *   as executions free up, for as long as the messages stay invisible ("set the visibility
 *   timeout to at least six times the function's timeout ... the extra time allows Lambda to
 *   retry if your function is throttled", AWS's guide); a batch still throttled when the
 *   visibility timeout ends comes back to the queue with one more receive;
 * - after the invocation: with ReportBatchItemFailures, the records it names in
 *   batchItemFailures stay and the others are deleted (a name that is not a record of the
 *   batch fails the whole batch, as Lambda does); without it, all are deleted; an error or a
 *   timeout leaves them all, to come back after the visibility timeout.
 * Unlike Lambda, pollers find a new message at once (SQS long polling, without its latency).
 */
import { TEST_ENVIRONMENT } from '../fixtures/environment';
import type { InProcessFunction, InvocationResult } from './in-process-lambda';
import type { ConcurrencyPool } from './lambda-concurrency';
import type { ReceivedMessage, SqsQueue } from './sqs-queue';

export interface EventSourceMappingSettings {
  readonly queue: SqsQueue;
  readonly fn: InProcessFunction;
  /** The account's pool the function draws from: a freed execution wakes throttled pollers. */
  readonly pool: ConcurrencyPool;
  /** Default 10, Lambda's for SQS. */
  readonly batchSize?: number;
  readonly maximumConcurrency?: number;
  readonly reportBatchItemFailures?: boolean;
}

export interface MappingCounts {
  readonly invocations: number;
  /** Invocations refused for want of an execution. */
  readonly throttled: number;
  /** Records left for a retry: reported failed, or in a batch that errored, timed out or was throttled. */
  readonly recordsRetried: number;
  readonly recordsDeleted: number;
  /** The most of its invocations running at once. */
  readonly mostAtOnce: number;
}

const DEFAULT_BATCH_SIZE = 10;

export class EventSourceMapping {
  private running = 0;
  private stopped = false;
  private waitingForExecution = false;
  /** A batch whose invocation was throttled, tried again while its messages stay invisible. */
  private throttledBatch?: { readonly messages: ReceivedMessage[]; readonly invisibleUntil: number };
  private timer?: NodeJS.Timeout;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly pending = new Set<Promise<void>>();
  private counts_ = { invocations: 0, throttled: 0, recordsRetried: 0, recordsDeleted: 0, mostAtOnce: 0 };

  constructor(private readonly settings: EventSourceMappingSettings) {
    this.unsubscribe.push(settings.queue.whenSent(() => this.poll()));
    this.unsubscribe.push(
      settings.pool.whenReleased(() => {
        if (this.waitingForExecution) {
          this.waitingForExecution = false;
          // After the releasing invocation's own bookkeeping.
          setImmediate(() => this.poll());
        }
      }),
    );
  }

  get counts(): MappingCounts {
    return { ...this.counts_ };
  }

  /** Stops polling; invocations already started run to their end. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unsubscribe.forEach((stop) => stop());
  }

  /** Resolves once the queue holds nothing and no invocation runs. */
  async drain(): Promise<void> {
    while (this.pending.size > 0 || this.settings.queue.counts.held > 0) {
      if (this.pending.size > 0) {
        await Promise.all([...this.pending]);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /** Receives and invokes while the mapping's concurrency and the messages allow. */
  poll(): void {
    const { queue, fn } = this.settings;
    const cap = this.settings.maximumConcurrency ?? Number.POSITIVE_INFINITY;
    while (!this.stopped && !this.waitingForExecution && this.running < cap) {
      const messages = this.batchToInvoke();
      if (messages.length === 0) {
        this.wakeAtNextVisible();
        return;
      }
      const running = fn.tryInvoke(this.eventOf(messages));
      if (running === undefined) {
        this.counts_.throttled += 1;
        this.throttledBatch ??= { messages, invisibleUntil: Date.now() + queue.visibilityTimeoutMs };
        this.waitingForExecution = true;
        return;
      }
      this.throttledBatch = undefined;
      this.counts_.invocations += 1;
      this.running += 1;
      this.counts_.mostAtOnce = Math.max(this.counts_.mostAtOnce, this.running);
      const done = running.result.then((result) => {
        this.settle(messages, result);
        this.running -= 1;
        this.poll();
      });
      this.pending.add(done);
      void done.then(() => this.pending.delete(done));
    }
  }

  /** The throttled batch while its messages are still invisible, else what the queue gives. */
  private batchToInvoke(): ReceivedMessage[] {
    const held = this.throttledBatch;
    if (held && Date.now() < held.invisibleUntil) {
      return held.messages;
    }
    if (held) {
      // Back in the queue, to be received again with one more receive.
      this.counts_.recordsRetried += held.messages.length;
      this.throttledBatch = undefined;
    }
    return this.settings.queue.receive(this.settings.batchSize ?? DEFAULT_BATCH_SIZE, Date.now());
  }

  private settle(messages: ReceivedMessage[], result: InvocationResult): void {
    const retried = new Set(result.kind === 'returned' ? this.failedIds(messages, result.value) : messages.map((m) => m.messageId));
    for (const message of messages) {
      if (retried.has(message.messageId)) {
        this.counts_.recordsRetried += 1;
      } else if (this.settings.queue.delete(message.receiptHandle)) {
        this.counts_.recordsDeleted += 1;
      }
    }
  }

  /** The records to leave in the queue after a returned invocation. */
  private failedIds(messages: ReceivedMessage[], value: unknown): string[] {
    if (!this.settings.reportBatchItemFailures) return [];
    const failures = (value as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
    if (failures === undefined || failures === null) return [];
    const ids = new Set(messages.map((message) => message.messageId));
    const named = Array.isArray(failures) ? failures.map((failure) => failure?.itemIdentifier) : [undefined];
    return named.every((id) => typeof id === 'string' && ids.has(id)) ? (named as string[]) : [...ids];
  }

  private wakeAtNextVisible(): void {
    clearTimeout(this.timer);
    const now = Date.now();
    const next = this.settings.queue.nextVisibleAt(now);
    if (next !== undefined) {
      this.timer = setTimeout(() => this.poll(), Math.max(1, next - now));
    }
  }

  private eventOf(messages: ReceivedMessage[]): { Records: object[] } {
    return {
      Records: messages.map((message) => ({
        ...message,
        messageAttributes: {},
        eventSource: 'aws:sqs',
        eventSourceARN: this.settings.queue.arn,
        awsRegion: TEST_ENVIRONMENT.region,
      })),
    };
  }
}
