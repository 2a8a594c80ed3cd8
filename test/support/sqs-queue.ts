/**
 * An Amazon SQS standard queue, free of HTTP and of timers (time is passed in), so that the
 * queue emulator and the event source mapping share it and tests can step it:
 * - a received message is invisible for the queue's VisibilityTimeout (or what
 *   ChangeMessageVisibility sets), then visible again unless deleted with its latest receipt
 *   handle; each receipt counts one more ApproximateReceiveCount;
 * - with a RedrivePolicy, a message received maxReceiveCount times moves to the dead-letter
 *   queue at its next receive instead of being delivered;
 * - a message older than MessageRetentionPeriod is dropped.
 * Unlike SQS, delivery is oldest first and never duplicated (standard queues promise neither).
 */
import { createHash, randomUUID } from 'node:crypto';

export interface SqsQueueSettings {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  /** Default 30 s, SQS's. */
  readonly visibilityTimeoutMs?: number;
  /** Default 4 days, SQS's. */
  readonly retentionMs?: number;
  readonly redrive?: { readonly deadLetterQueue: SqsQueue; readonly maxReceiveCount: number };
}

/** A message as ReceiveMessage (and so an SQS event record) gives it. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: {
    readonly ApproximateReceiveCount: string;
    readonly SentTimestamp: string;
    readonly ApproximateFirstReceiveTimestamp: string;
    readonly SenderId: string;
  };
}

export interface QueueCounts {
  readonly sent: number;
  readonly deleted: number;
  readonly movedToDeadLetterQueue: number;
  readonly expired: number;
  /** Messages in the queue now, visible or not. */
  readonly held: number;
}

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentAt: number;
  readonly senderId: string;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
}

const DEFAULT_VISIBILITY_TIMEOUT_MS = 30_000;
const DEFAULT_RETENTION_MS = 4 * 24 * 3600 * 1000;
const SENDER_ID = 'AROAEXAMPLEROLEID:function';

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export class SqsQueue {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly visibilityTimeoutMs: number;
  private readonly retentionMs: number;
  private readonly messages: StoredMessage[] = [];
  private readonly sendListeners = new Set<() => void>();
  private counts_ = { sent: 0, deleted: 0, movedToDeadLetterQueue: 0, expired: 0 };

  constructor(private readonly settings: SqsQueueSettings) {
    this.name = settings.name;
    this.arn = settings.arn;
    this.url = settings.url;
    this.visibilityTimeoutMs = settings.visibilityTimeoutMs ?? DEFAULT_VISIBILITY_TIMEOUT_MS;
    this.retentionMs = settings.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  send(body: string, now: number, senderId = SENDER_ID): { messageId: string; md5OfBody: string } {
    const message: StoredMessage = { messageId: randomUUID(), body, md5OfBody: md5Hex(body), sentAt: now, senderId, receiveCount: 0, visibleAt: now };
    this.messages.push(message);
    this.counts_.sent += 1;
    this.sendListeners.forEach((listener) => listener());
    return { messageId: message.messageId, md5OfBody: message.md5OfBody };
  }

  /** Up to `max` visible messages, each made invisible for the visibility timeout. */
  receive(max: number, now: number): ReceivedMessage[] {
    this.expire(now);
    const received: ReceivedMessage[] = [];
    for (const message of [...this.messages]) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      const redrive = this.settings.redrive;
      if (redrive !== undefined && message.receiveCount >= redrive.maxReceiveCount) {
        this.remove(message);
        this.counts_.movedToDeadLetterQueue += 1;
        redrive.deadLetterQueue.adopt(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + this.visibilityTimeoutMs;
      message.receiptHandle = randomUUID();
      received.push({
        messageId: message.messageId,
        receiptHandle: message.receiptHandle,
        body: message.body,
        md5OfBody: message.md5OfBody,
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
          SenderId: message.senderId,
        },
      });
    }
    return received;
  }

  /** Deletes the message last received with this handle; false if the handle is stale or unknown. */
  delete(receiptHandle: string): boolean {
    const message = this.messages.find((candidate) => candidate.receiptHandle === receiptHandle);
    if (message === undefined) return false;
    this.remove(message);
    this.counts_.deleted += 1;
    return true;
  }

  /** Makes the message visible `timeoutMs` from now; false if the handle is stale or unknown. */
  changeVisibility(receiptHandle: string, timeoutMs: number, now: number): boolean {
    const message = this.messages.find((candidate) => candidate.receiptHandle === receiptHandle);
    if (message === undefined) return false;
    message.visibleAt = now + timeoutMs;
    return true;
  }

  /** When the next message becomes visible: `now` if one is; undefined if the queue is empty. */
  nextVisibleAt(now: number): number | undefined {
    this.expire(now);
    if (this.messages.length === 0) return undefined;
    return Math.max(now, Math.min(...this.messages.map((message) => message.visibleAt)));
  }

  /** Calls `listener` after each message sent; returns the call that stops it. */
  whenSent(listener: () => void): () => void {
    this.sendListeners.add(listener);
    return () => this.sendListeners.delete(listener);
  }

  get counts(): QueueCounts {
    return { ...this.counts_, held: this.messages.length };
  }

  /** Bodies of the messages held, oldest first (a dead-letter queue's, for a report). */
  bodies(): string[] {
    return this.messages.map((message) => message.body);
  }

  /** A message redriven here keeps its id, body and age (a standard queue's redrive does). */
  private adopt(message: StoredMessage): void {
    const { receiptHandle: _handle, ...kept } = message;
    this.messages.push({ ...kept, visibleAt: message.visibleAt });
    this.counts_.sent += 1;
    this.sendListeners.forEach((listener) => listener());
  }

  private expire(now: number): void {
    for (const message of this.messages.filter((candidate) => now - candidate.sentAt > this.retentionMs)) {
      this.remove(message);
      this.counts_.expired += 1;
    }
  }

  private remove(message: StoredMessage): void {
    this.messages.splice(this.messages.indexOf(message), 1);
  }
}
