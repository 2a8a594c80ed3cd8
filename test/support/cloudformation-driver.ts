import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { randomBytes, randomUUID } from 'node:crypto';
import type { CloudFormationApiState, ResourceStatus, StackStatus as ApiStackStatus } from './cloudformation-api-state';
import { LambdaFunctionCode, LambdaInvocation, invokeLambda } from './lambda-process';
import { ReceivedRequest } from './response-receiver';
import { amzDate } from '../fixtures/cloudformation-events';
import { TEST_ENVIRONMENT } from '../fixtures/environment';
import { SynthesizedAlias } from './synthesized-alias';

/** One event handed to the function, and what came of it. */
export interface Delivery {
  readonly event: CloudFormationCustomResourceEvent;
  /** The X-Amz-Signature of the event's ResponseURL: whoever holds it can answer in the handler's place. */
  readonly signature: string;
  readonly invocation: LambdaInvocation;
  /** Every request that reached the ResponseURL during the invocation, refused ones included. */
  readonly requests: ReceivedRequest[];
}

/** How CloudFormation ends a stack operation on the alias. */
export type StackStatus =
  | 'CREATE_COMPLETE'
  | 'ROLLBACK_COMPLETE'
  | 'ROLLBACK_FAILED'
  | 'UPDATE_COMPLETE'
  | 'UPDATE_ROLLBACK_COMPLETE'
  | 'UPDATE_ROLLBACK_FAILED'
  | 'DELETE_COMPLETE'
  | 'DELETE_FAILED';

export interface StackOperation {
  readonly status: StackStatus;
  /** In order; a failed step is followed by the rollback's. */
  readonly deliveries: Delivery[];
}

/** Where CloudFormation's presigned ResponseURLs point, and what reached them. */
export interface ResponseEndpoint {
  /** e.g. https://127.0.0.1:PORT */
  readonly origin: string;
  requestsTo(path: string): ReceivedRequest[];
}

export interface DriverOptions {
  readonly code: LambdaFunctionCode;
  readonly responses: ResponseEndpoint;
  readonly environment: Record<string, string>;
  /** The function's timeout for each invocation. */
  readonly timeoutMs: number;
  /** Sees every delivery, e.g. to check the response. */
  readonly onDelivery: (delivery: Delivery) => void;
  /** The stack, for a second resource of the same stack. Default: a stack of its own. */
  readonly stackId?: string;
  /** What CloudFormation's API shows of the stack and its resources; the driver keeps it as CloudFormation would. */
  readonly api: CloudFormationApiState;
}

/** A Create CloudFormation sent and has not heard back from yet. */
export interface PendingCreate {
  readonly alias: SynthesizedAlias;
  /** Settles when the invocation ends. */
  readonly delivery: Promise<Delivery>;
}

interface DeployedResource {
  readonly physicalResourceId: string;
  readonly alias: SynthesizedAlias;
}

/**
 * Plays CloudFormation for one alias custom resource of a stack: it sends the events
 * of create, update and delete, each with a presigned-style ResponseURL, reads the answer that
 * reached that URL, and rolls back a failed step the way CloudFormation does.
 */
export class CloudFormationDriver {
  readonly stackId: string;
  private deployed?: DeployedResource;

  constructor(private readonly options: DriverOptions) {
    this.stackId =
      options.stackId ?? `arn:aws:cloudformation:${TEST_ENVIRONMENT.region}:${TEST_ENVIRONMENT.account}:stack/AliasStack/${randomUUID()}`;
    if (options.api.find(this.stackId) === undefined) options.api.putStack(this.stackId, 'CREATE_IN_PROGRESS');
  }

  /**
   * Another resource, as CloudFormation would drive it: of the same stack (a renamed or moved
   * construct, whose logical ID differs) or of another stack.
   */
  another(options: { readonly sameStack: boolean }): CloudFormationDriver {
    return new CloudFormationDriver({ ...this.options, stackId: options.sameStack ? this.stackId : undefined });
  }

  /** The physical id CloudFormation holds for the alias, once created. */
  get physicalResourceId(): string | undefined {
    return this.deployed?.physicalResourceId;
  }

  /** Creates or updates the stack so that it holds `alias`. */
  async deploy(alias: SynthesizedAlias): Promise<StackOperation> {
    return this.deployed ? this.update(this.deployed, alias) : this.create(alias);
  }

  /** Deletes the stack. */
  async destroy(): Promise<StackOperation> {
    const deployed = this.required();
    this.stackIs('DELETE_IN_PROGRESS');
    const deletion = await this.send({ RequestType: 'Delete', PhysicalResourceId: deployed.physicalResourceId }, deployed.alias);
    if (statusOf(deletion) !== 'SUCCESS') {
      this.resourceIs(deployed.alias, 'DELETE_FAILED');
      this.stackIs('DELETE_FAILED');
      return { status: 'DELETE_FAILED', deliveries: [deletion] };
    }
    this.deployed = undefined;
    this.resourceIs(deployed.alias, 'DELETE_COMPLETE');
    this.options.api.deleteStack(this.stackId);
    return { status: 'DELETE_COMPLETE', deliveries: [deletion] };
  }

  /**
   * Hands the function the same event once more, as Lambda does when it retries an invocation or
   * SQS delivers a message twice. With `whileAwaited`, the second delivery comes while
   * CloudFormation still waits for the request (the resource shown in progress meanwhile).
   */
  async redeliver(delivery: Delivery, { whileAwaited = false } = {}): Promise<Delivery> {
    const { event } = delivery;
    const earlier = this.options.api.find(this.stackId)?.resources.get(event.LogicalResourceId);
    if (whileAwaited) {
      this.options.api.setResource(this.stackId, event.LogicalResourceId, {
        status: WAITING[event.RequestType],
        physicalResourceId: event.RequestType === 'Create' ? undefined : event.PhysicalResourceId,
      });
    }
    const again = await this.invoke(event, delivery.signature);
    if (whileAwaited && earlier) {
      this.options.api.setResource(this.stackId, event.LogicalResourceId, { status: earlier.ResourceStatus, physicalResourceId: earlier.PhysicalResourceId });
    }
    return again;
  }

  /** Sends the Create of `alias` and returns at once, as CloudFormation goes on with other resources meanwhile. */
  startCreate(alias: SynthesizedAlias): PendingCreate {
    return { alias, delivery: this.send({ RequestType: 'Create' }, alias) };
  }

  /**
   * Another resource failed while the Create was still running: CloudFormation marks it
   * CREATE_FAILED ("Resource creation cancelled") without waiting for it, and its rollback sends
   * a Delete with a physical ID CloudFormation made up, while the Create's invocation goes on.
   * Returns that Delete, once answered; the Create's invocation may still be running.
   */
  async cancel(pending: PendingCreate): Promise<StackOperation> {
    this.resourceIs(pending.alias, 'CREATE_FAILED', undefined, 'Resource creation cancelled');
    this.stackIs('ROLLBACK_IN_PROGRESS');
    const madeUpId = `${this.stackId.split('/')[1]}-${pending.alias.logicalResourceId}-${randomBytes(6).toString('hex').toUpperCase()}`;
    const cleanup = await this.send({ RequestType: 'Delete', PhysicalResourceId: madeUpId }, pending.alias);
    const status = statusOf(cleanup) === 'SUCCESS' ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED';
    if (status === 'ROLLBACK_COMPLETE') this.resourceIs(pending.alias, 'DELETE_COMPLETE');
    this.stackIs(status);
    return { status, deliveries: [cleanup] };
  }

  /**
   * The stack no longer lists the resource, as after CloudFormation retained it on removal (or
   * it moved out of the stack): no Delete is sent, and what it held is left as it is.
   */
  retain(): void {
    const deployed = this.required();
    this.options.api.removeResource(this.stackId, deployed.alias.logicalResourceId);
    this.deployed = undefined;
  }

  private async create(alias: SynthesizedAlias): Promise<StackOperation> {
    const creation = await this.send({ RequestType: 'Create' }, alias);
    const answer = responseOf(creation);
    if (answer?.Status === 'SUCCESS') {
      this.deployed = { physicalResourceId: answer.PhysicalResourceId, alias };
      this.resourceIs(alias, 'CREATE_COMPLETE', answer.PhysicalResourceId);
      this.stackIs('CREATE_COMPLETE');
      return { status: 'CREATE_COMPLETE', deliveries: [creation] };
    }
    this.resourceIs(alias, 'CREATE_FAILED', answer?.PhysicalResourceId);
    this.stackIs('ROLLBACK_IN_PROGRESS');
    // The rollback deletes what the failed Create reported, by the id it answered with.
    const cleanup = await this.send({ RequestType: 'Delete', PhysicalResourceId: answer?.PhysicalResourceId ?? '' }, alias);
    const status = statusOf(cleanup) === 'SUCCESS' ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED';
    this.resourceIs(alias, status === 'ROLLBACK_COMPLETE' ? 'DELETE_COMPLETE' : 'DELETE_FAILED');
    this.stackIs(status);
    return { status, deliveries: [creation, cleanup] };
  }

  private async update(deployed: DeployedResource, alias: SynthesizedAlias): Promise<StackOperation> {
    if (JSON.stringify(alias.resourceProperties) === JSON.stringify(deployed.alias.resourceProperties)) {
      throw new Error('CloudFormation sends no Update when the properties are unchanged; the test should change them.');
    }
    const { physicalResourceId } = deployed;
    this.stackIs('UPDATE_IN_PROGRESS');
    const update = await this.send(
      { RequestType: 'Update', PhysicalResourceId: physicalResourceId, OldResourceProperties: deployed.alias.resourceProperties },
      alias,
    );
    if (statusOf(update) === 'SUCCESS') {
      this.deployed = { physicalResourceId, alias };
      this.resourceIs(alias, 'UPDATE_COMPLETE');
      this.stackIs('UPDATE_COMPLETE');
      return { status: 'UPDATE_COMPLETE', deliveries: [update] };
    }
    this.resourceIs(alias, 'UPDATE_FAILED');
    this.stackIs('UPDATE_ROLLBACK_IN_PROGRESS');
    // The rollback is an Update back to the old properties, with old and new swapped.
    const rollback = await this.send(
      { RequestType: 'Update', PhysicalResourceId: physicalResourceId, OldResourceProperties: alias.resourceProperties },
      deployed.alias,
    );
    const status = statusOf(rollback) === 'SUCCESS' ? 'UPDATE_ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_FAILED';
    this.resourceIs(deployed.alias, status === 'UPDATE_ROLLBACK_COMPLETE' ? 'UPDATE_COMPLETE' : 'UPDATE_FAILED');
    this.stackIs(status);
    return { status, deliveries: [update, rollback] };
  }

  /** What CloudFormation's API shows of the resource from now on. */
  private resourceIs(alias: SynthesizedAlias, status: ResourceStatus, physicalResourceId?: string, reason?: string): void {
    this.options.api.setResource(this.stackId, alias.logicalResourceId, { status, physicalResourceId, reason });
  }

  private stackIs(status: ApiStackStatus): void {
    this.options.api.setStackStatus(this.stackId, status);
  }

  /** Sends the request as CloudFormation does, having shown the resource waiting for it. */
  private async send(request: RequestSpecifics, alias: SynthesizedAlias): Promise<Delivery> {
    this.resourceIs(alias, WAITING[request.RequestType], request.RequestType === 'Create' ? undefined : request.PhysicalResourceId);
    const requestId = randomUUID();
    const signature = randomBytes(32).toString('hex');
    const event = {
      ...request,
      ServiceToken: String(alias.resourceProperties.ServiceToken),
      ResponseURL: this.responseUrl(alias.logicalResourceId, requestId, signature),
      StackId: this.stackId,
      RequestId: requestId,
      LogicalResourceId: alias.logicalResourceId,
      ResourceType: alias.resourceType,
      ResourceProperties: alias.resourceProperties,
    } as CloudFormationCustomResourceEvent;
    return this.invoke(event, signature);
  }

  /**
   * Shaped like CloudFormation's: the object key holds the stack ARN, logical id and request id,
   * percent-encoded, and the query carries the SigV4 presigning parameters, signature last.
   */
  private responseUrl(logicalResourceId: string, requestId: string, signature: string): string {
    const key = encodeURIComponent(`${this.stackId}|${logicalResourceId}|${requestId}`);
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      // When the request was sent, to the second, as CloudFormation signs it.
      'X-Amz-Date': amzDate(new Date()),
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Expires': '7200',
      'X-Amz-Credential': `AKIAEXAMPLERESPONSE/${new Date().toISOString().slice(0, 10).replace(/-/g, '')}/${TEST_ENVIRONMENT.region}/s3/aws4_request`,
      'X-Amz-Signature': signature,
    });
    return `${this.options.responses.origin}/cfn-response/${key}?${query}`;
  }

  private async invoke(event: CloudFormationCustomResourceEvent, signature: string): Promise<Delivery> {
    const path = new URL(event.ResponseURL).pathname;
    const before = this.options.responses.requestsTo(path).length;
    // A queued request reaches the function as the queue's event source mapping hands it over.
    const invocation = await invokeLambda(this.options.code, event.ServiceToken.includes(':sns:') ? queueEventOf(event) : event, randomUUID(), {
      timeoutMs: this.options.timeoutMs,
      environment: this.options.environment,
    });
    const requests = this.options.responses.requestsTo(path).slice(before);
    const delivery: Delivery = { event, signature, invocation, requests };
    this.options.onDelivery(delivery);
    return delivery;
  }

  private required(): DeployedResource {
    if (!this.deployed) throw new Error('The stack holds no alias: deploy one first.');
    return this.deployed;
  }
}

/** The status CloudFormation shows while it waits for a request of each type. */
const WAITING: Readonly<Record<RequestSpecifics['RequestType'], ResourceStatus>> = {
  Create: 'CREATE_IN_PROGRESS',
  Update: 'UPDATE_IN_PROGRESS',
  Delete: 'DELETE_IN_PROGRESS',
};

type RequestSpecifics =
  | { RequestType: 'Create' }
  | { RequestType: 'Update'; PhysicalResourceId: string; OldResourceProperties: Record<string, unknown> }
  | { RequestType: 'Delete'; PhysicalResourceId: string };

/** The response CloudFormation reads: the body of the PUT the URL accepted. */
export interface CloudFormationResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Reason?: string;
  readonly Data?: Record<string, unknown>;
}

export function responseOf(delivery: Delivery): CloudFormationResponse | undefined {
  const accepted = delivery.requests.filter((request) => request.answeredWith === 200);
  return accepted.length === 0 ? undefined : JSON.parse(accepted[accepted.length - 1].body);
}

function statusOf(delivery: Delivery): string | undefined {
  return responseOf(delivery)?.Status;
}

/** The SQS event the work queue's event source mapping invokes the function with: one record, the request as the topic delivered it. */
function queueEventOf(event: CloudFormationCustomResourceEvent): object {
  const now = String(Date.now());
  return {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: randomBytes(16).toString('hex'),
        body: JSON.stringify(event),
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: now, SenderId: 'AIDAEXAMPLE', ApproximateFirstReceiveTimestamp: now },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${TEST_ENVIRONMENT.region}:${TEST_ENVIRONMENT.account}:AliasStack-WorkQueue`,
        awsRegion: TEST_ENVIRONMENT.region,
      },
    ],
  };
}
