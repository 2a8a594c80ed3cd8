/**
 * The stack's work queue. CloudFormation invokes the function once per request, all at once
 * when a stack deploys; the function hands each request to the queue and returns within
 * milliseconds, and the queue's event source mapping gives them back to at most WORKERS
 * invocations at a time. Requests wait in the queue, not in executions: a new account's
 * concurrency of 10 is enough, and the account's other functions keep theirs.
 */
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { CloudFormationCustomResourceEvent, SQSEvent } from 'aws-lambda';
import { isServerOrNetworkFault, isThrottling } from './connect-errors';
import type { Deadline } from './deadline';
import { type RetryPolicy, withRetries } from './retry';
import { sdkClientOptions } from './sdk-client-options';

// SQS answers in milliseconds; a send that fails for 5 s is better handled in this invocation.
const SEND_RETRY: RetryPolicy = { baseDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 5, minAttemptMs: 500 };

let client: SQSClient | undefined;

/** Hands CloudFormation's request to the queue; throws when it could not, and the caller handles it itself. */
export async function enqueue(queueUrl: string, event: CloudFormationCustomResourceEvent, deadline: Deadline): Promise<void> {
  client ??= new SQSClient(sdkClientOptions());
  const queue = client;
  await withRetries(() => queue.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) })), {
    policy: SEND_RETRY,
    deadline,
    isTransient: (error) => isThrottling(error) || isServerOrNetworkFault(error),
  });
}

export function isQueueEvent(event: unknown): event is SQSEvent {
  return Array.isArray((event as Partial<SQSEvent> | undefined)?.Records);
}

/** The request a queued message carries, or undefined when it carries none (nothing to answer). */
export function requestOf(body: string): CloudFormationCustomResourceEvent | undefined {
  try {
    const event = JSON.parse(body) as Partial<CloudFormationCustomResourceEvent>;
    return typeof event.RequestType === 'string' && typeof event.ResponseURL === 'string'
      ? (event as CloudFormationCustomResourceEvent)
      : undefined;
  } catch {
    return undefined;
  }
}
