/**
 * What the stack's work queue hands the function. CloudFormation publishes each request to the
 * stack's topic, all at once when a stack deploys; the topic hands them to the queue, whose event
 * source mapping gives them to at most WORKERS invocations at a time. Requests wait in the queue,
 * not in executions: a new account's concurrency of 10 is enough, and the account's other
 * functions keep theirs.
 */
import type { CloudFormationCustomResourceEvent, SQSEvent } from 'aws-lambda';

export function isQueueEvent(event: unknown): event is SQSEvent {
  return Array.isArray((event as Partial<SQSEvent> | undefined)?.Records);
}

/**
 * The request a queued message carries, or undefined when it carries none (nothing to answer).
 * The topic delivers raw messages; an SNS envelope, should raw delivery be turned off, is read too.
 */
export function requestOf(body: string): CloudFormationCustomResourceEvent | undefined {
  const parsed = parse(body);
  const request = parsed?.Type === 'Notification' && typeof parsed.Message === 'string' ? parse(parsed.Message) : parsed;
  return typeof request?.RequestType === 'string' && typeof request.ResponseURL === 'string'
    ? (request as unknown as CloudFormationCustomResourceEvent)
    : undefined;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
