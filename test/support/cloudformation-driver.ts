import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { randomBytes, randomUUID } from 'node:crypto';
import { LambdaFunctionCode, LambdaInvocation, invokeLambda } from './lambda-process';
import { ReceivedRequest } from './response-receiver';
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
    const deletion = await this.send({ RequestType: 'Delete', PhysicalResourceId: deployed.physicalResourceId }, deployed.alias);
    if (statusOf(deletion) !== 'SUCCESS') {
      return { status: 'DELETE_FAILED', deliveries: [deletion] };
    }
    this.deployed = undefined;
    return { status: 'DELETE_COMPLETE', deliveries: [deletion] };
  }

  /** Hands the function the same event once more, as Lambda does when it retries an invocation. */
  async redeliver(delivery: Delivery): Promise<Delivery> {
    return this.invoke(delivery.event, delivery.signature);
  }

  private async create(alias: SynthesizedAlias): Promise<StackOperation> {
    const creation = await this.send({ RequestType: 'Create' }, alias);
    const answer = responseOf(creation);
    if (answer?.Status === 'SUCCESS') {
      this.deployed = { physicalResourceId: answer.PhysicalResourceId, alias };
      return { status: 'CREATE_COMPLETE', deliveries: [creation] };
    }
    // The rollback deletes what the failed Create reported, by the id it answered with.
    const cleanup = await this.send({ RequestType: 'Delete', PhysicalResourceId: answer?.PhysicalResourceId ?? '' }, alias);
    const status = statusOf(cleanup) === 'SUCCESS' ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED';
    return { status, deliveries: [creation, cleanup] };
  }

  private async update(deployed: DeployedResource, alias: SynthesizedAlias): Promise<StackOperation> {
    if (JSON.stringify(alias.resourceProperties) === JSON.stringify(deployed.alias.resourceProperties)) {
      throw new Error('CloudFormation sends no Update when the properties are unchanged; the test should change them.');
    }
    const { physicalResourceId } = deployed;
    const update = await this.send(
      { RequestType: 'Update', PhysicalResourceId: physicalResourceId, OldResourceProperties: deployed.alias.resourceProperties },
      alias,
    );
    if (statusOf(update) === 'SUCCESS') {
      this.deployed = { physicalResourceId, alias };
      return { status: 'UPDATE_COMPLETE', deliveries: [update] };
    }
    // The rollback is an Update back to the old properties, with old and new swapped.
    const rollback = await this.send(
      { RequestType: 'Update', PhysicalResourceId: physicalResourceId, OldResourceProperties: alias.resourceProperties },
      deployed.alias,
    );
    const status = statusOf(rollback) === 'SUCCESS' ? 'UPDATE_ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_FAILED';
    return { status, deliveries: [update, rollback] };
  }

  private async send(request: RequestSpecifics, alias: SynthesizedAlias): Promise<Delivery> {
    const requestId = randomUUID();
    const signature = randomBytes(32).toString('hex');
    const event = {
      ...request,
      ServiceToken: alias.handler.functionArn,
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
      'X-Amz-Date': '20300101T000000Z',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Expires': '7200',
      'X-Amz-Credential': `AKIAEXAMPLERESPONSE/20300101/${TEST_ENVIRONMENT.region}/s3/aws4_request`,
      'X-Amz-Signature': signature,
    });
    return `${this.options.responses.origin}/cfn-response/${key}?${query}`;
  }

  private async invoke(event: CloudFormationCustomResourceEvent, signature: string): Promise<Delivery> {
    const path = new URL(event.ResponseURL).pathname;
    const before = this.options.responses.requestsTo(path).length;
    const invocation = await invokeLambda(this.options.code, event, randomUUID(), {
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
