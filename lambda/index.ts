/**
 * The custom resource's Lambda handler: the boundary with CloudFormation. CloudFormation
 * publishes each request to the stack's topic, which hands it to the work queue; the queue's
 * event source mapping invokes the handler with it. (A request CloudFormation sends the function
 * directly, as to stacks deployed before the queue, is handled the same way.) Whatever happens to
 * a request, it is answered exactly once and before the Lambda deadline, with one log line, and
 * the handler never throws: an event left unanswered keeps the stack waiting until its ServiceTimeout.
 */
import type {
  CloudFormationCustomResourceEvent,
  CloudFormationCustomResourceResponse,
  Context,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import type { AliasResourceAttributes } from '../lib/resource-properties';
import { AliasOperations } from './alias-operations';
import { describePair, lambdaEnvironment } from './alias-pair';
import { pastServiceTimeout, requestSentAt, serviceTimeoutMs } from './awaited';
import { putResponse, serializeResponse } from './cfn-response';
import { connectClient } from './connect-client';
import { describeError, errorMessage } from './connect-errors';
import { ConnectRetryPlan, type ConnectRetryPolicy, pacerSettings } from './connect-retry';
import { type Deadline, invocationDeadlines } from './deadline';
import { type InvocationRecord, runLifecycle } from './lifecycle';
import type { GuardRecord } from './request-guard';
import { logDropped, logInvocation, redactUrl } from './log';
import { createdPhysicalId } from './physical-id';
import { type PacerSettings, RatePacer } from './rate-pacer';
import { RequestGuard } from './request-guard';
import type { RetryPolicy } from './retry';
import { stackReader } from './stack-reader';
import { isQueueEvent, requestOf } from './work-queue';

export type CustomResourceHandler = (
  event: CloudFormationCustomResourceEvent | SQSEvent,
  context: Context,
) => Promise<void | SQSBatchResponse>;

/** Tests shorten the waits; the defaults are the production values. */
export interface HandlerOptions {
  /** @default CONNECT_RETRY */
  readonly connectRetry?: ConnectRetryPolicy;
  /** @default RESPONSE_RETRY */
  readonly responseRetry?: RetryPolicy;
  /** @default pacerSettings() of the function's environment */
  readonly pacer?: PacerSettings;
}

/**
 * Amazon Connect: server faults clear within seconds, so waits start small and grow to 10 s;
 * only the deadline limits the attempts. Throttles wait for the pacer's next slot. IAM applies
 * a new policy within seconds, so a denial persisting for 10 s is real, and fails well within
 * 15 s. A lock on the addresses is held for the length of one operation, so a refusal the
 * state cannot explain for 20 s is not contention, and fails within 30 s.
 */
export const CONNECT_RETRY: ConnectRetryPolicy = {
  backoff: { baseDelayMs: 200, maxDelayMs: 10_000, maxAttempts: Number.POSITIVE_INFINITY, minAttemptMs: 500 },
  accessDeniedWindowMs: 10_000,
  contentionWindowMs: 20_000,
};

/**
 * The response PUT: 5 tries, waits from 1 s doubling, as aws-cdk's provider framework. A wait
 * leaves the try after it half a second: a PUT from a busy host over a fresh TLS connection can
 * take most of that, and the last try is the one that must arrive.
 */
export const RESPONSE_RETRY: RetryPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  maxAttempts: 5,
  minAttemptMs: 500,
};

type Outcome =
  | { readonly status: 'SUCCESS'; readonly data?: AliasResourceAttributes }
  | { readonly status: 'FAILED'; readonly reason: string };

export function createHandler(options: HandlerOptions = {}): CustomResourceHandler {
  const connectRetry = options.connectRetry ?? CONNECT_RETRY;
  const responseRetry = options.responseRetry ?? RESPONSE_RETRY;
  // One per execution environment: what it learns of the quota carries over to the next request.
  const pacer = new RatePacer(options.pacer ?? pacerSettings());
  const answer = async (event: CloudFormationCustomResourceEvent, context: Context): Promise<void> => {
    try {
      await handle(event, context, connectRetry, responseRetry, pacer);
    } catch (error) {
      // Only a malformed event or context gets here; there is nothing left to answer with.
      logInvocation({
        requestType: String(event?.RequestType),
        logicalResourceId: String(event?.LogicalResourceId),
        physicalResourceId: '',
        outcome: 'FAILED',
        attempts: 0,
        durationMs: 0,
        reason: `Handler error: ${describeError(error)}`,
        responseUrl: redactUrl(event?.ResponseURL),
      });
    }
  };
  return async (event, context) => {
    if (!isQueueEvent(event)) {
      await answer(event, context);
      return undefined;
    }
    // A message is never handed back: each request is answered, and one that carries none has nobody to answer.
    for (const record of event.Records) {
      const request = requestOf(record.body);
      if (request) await answer(request, context);
      else logDropped(record.messageId);
    }
    return { batchItemFailures: [] };
  };
}

export const handler: CustomResourceHandler = createHandler();

async function handle(
  event: CloudFormationCustomResourceEvent,
  context: Context,
  connectRetry: ConnectRetryPolicy,
  responseRetry: RetryPolicy,
  pacer: RatePacer,
): Promise<void> {
  const started = Date.now();
  const deadlines = invocationDeadlines(context.getRemainingTimeInMillis());
  const record: InvocationRecord & GuardRecord = { attempts: 0, stackReads: 0 };
  const outcome = await decide(event, context, deadlines.work, record, connectRetry, pacer);
  const response = responseFor(event, outcome);
  let responseError: string | undefined;
  try {
    await putResponse(event.ResponseURL, serializeResponse(response), deadlines.answer, responseRetry);
  } catch (error) {
    responseError = describeError(error);
  }
  logInvocation({
    requestType: event.RequestType,
    logicalResourceId: event.LogicalResourceId,
    physicalResourceId: response.PhysicalResourceId,
    outcome: response.Status,
    attempts: record.attempts,
    durationMs: Date.now() - started,
    reason: response.Reason,
    association: record.association,
    previousAssociationRestored:
      outcome.status === 'FAILED' && record.removedPrevious ? (record.restored ?? false) : undefined,
    stackReads: record.stackReads,
    stackCheckUnavailable: record.stackCheckUnavailable,
    responseUrl: redactUrl(event.ResponseURL),
    responseError,
  });
}

/**
 * Runs the request against a timer: at the work deadline the answer is FAILED, and calls still
 * in flight are aborted. Whichever comes first decides; the other is ignored.
 */
async function decide(
  event: CloudFormationCustomResourceEvent,
  context: Context,
  deadline: Deadline,
  record: InvocationRecord & GuardRecord,
  retryPolicy: ConnectRetryPolicy,
  pacer: RatePacer,
): Promise<Outcome> {
  const abort = new AbortController();
  const pending = {
    requestType: event.RequestType,
    physicalResourceId: event.RequestType === 'Create' ? undefined : event.PhysicalResourceId,
    createdResourceId: event.RequestType === 'Create' ? createdPhysicalId(event, true) : undefined,
    sentAt: requestSentAt(event.ResponseURL),
    serviceTimeoutMs: serviceTimeoutMs(event.ResourceProperties),
    stackId: event.StackId,
    logicalResourceId: event.LogicalResourceId,
  };
  const guard = new RequestGuard(pending, stackReader(deadline, abort.signal, record), record);
  // Lambda retried the event, or it waited in Lambda's queue, past the time CloudFormation waits.
  if (pastServiceTimeout(pending, Date.now())) {
    return { status: 'FAILED', reason: guard.notAwaitedReason('nothing was changed') };
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      resolve({ status: 'FAILED', reason: timeoutReason(record) });
      abort.abort();
    }, deadline.remainingMs());
  });
  const work = (async (): Promise<Outcome> => {
    const operations = new AliasOperations({
      client: connectClient(),
      requestId: event.RequestId,
      holder: { stackId: event.StackId, logicalResourceId: event.LogicalResourceId },
      guard,
      deadline,
      signal: abort.signal,
      retryPolicy,
      retryPlan: new ConnectRetryPlan(retryPolicy),
      pacer,
      counter: record,
    });
    const data = await runLifecycle(event, operations, record, {
      guard,
      deadline,
      handlerEnvironment: lambdaEnvironment(context.invokedFunctionArn),
    });
    return { status: 'SUCCESS', data };
  })().catch((error: unknown): Outcome => ({ status: 'FAILED', reason: errorMessage(error) }));
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function timeoutReason(record: InvocationRecord): string {
  const previous =
    record.removedPrevious && !record.restored
      ? ` The previous association (${describePair(record.removedPrevious)}) was removed and not restored.`
      : '';
  return (
    `Timed out: the Amazon Connect calls (${record.attempts} sent) did not finish in the time the ` +
    `function had before it must answer.${previous}`
  );
}

function responseFor(event: CloudFormationCustomResourceEvent, outcome: Outcome): CloudFormationCustomResourceResponse {
  const common = {
    // Set once on Create and echoed ever after; see physical-id.ts.
    PhysicalResourceId:
      event.RequestType === 'Create' ? createdPhysicalId(event, outcome.status === 'SUCCESS') : event.PhysicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  return outcome.status === 'SUCCESS'
    ? { Status: 'SUCCESS', ...common, ...(outcome.data && { Data: outcome.data }) }
    : { Status: 'FAILED', Reason: outcome.reason, ...common };
}
