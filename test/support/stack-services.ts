/**
 * The resources of a synthesized stack that stand between CloudFormation and its function, as
 * the account provisions them: SQS queues (VisibilityTimeout, MessageRetentionPeriod,
 * RedrivePolicy), event source mappings from them, and the function's EventInvokeConfig. The
 * scheduler creates and deletes them in the template's dependency order.
 */
import { TEST_ENVIRONMENT } from '../fixtures/environment';
import type { AsyncInvokeConfig } from './lambda-async-queue';
import type { InProcessFunction } from './in-process-lambda';
import { EventSourceMapping } from './event-source-mapping';
import type { SimulatedAccount } from './simulated-account';
import type { SqsQueue } from './sqs-queue';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
}

/** What Ref and Fn::GetAtt give for a provisioned resource. */
export interface Provisioned {
  readonly ref: string;
  readonly attributes: Record<string, string>;
}

export class StackServices {
  private readonly queues = new Map<string, SqsQueue>();
  private readonly mappings = new Map<string, EventSourceMapping>();
  /** The subscriptions created and not yet deleted. */
  private readonly subscriptions = new Set<string>();

  constructor(
    stackName: string,
    private readonly resources: Record<string, TemplateResource>,
    private readonly account: SimulatedAccount,
  ) {
    // Queues first, dead-letter queues before the queues that name them: the function's
    // environment names a queue, and is resolved before the stack operation starts.
    const queueIds = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::SQS::Queue');
    const make = (id: string): SqsQueue => {
      const existing = this.queues.get(id);
      if (existing) return existing;
      const properties = resources[id].Properties ?? {};
      const redrive = properties.RedrivePolicy;
      const deadLetterId = redrive?.deadLetterTargetArn?.['Fn::GetAtt']?.[0];
      const queue = account.sqs.createQueue(`${stackName}-${id}`, {
        ...(properties.VisibilityTimeout === undefined ? {} : { visibilityTimeoutMs: Number(properties.VisibilityTimeout) * 1000 }),
        ...(properties.MessageRetentionPeriod === undefined ? {} : { retentionMs: Number(properties.MessageRetentionPeriod) * 1000 }),
        ...(deadLetterId === undefined
          ? {}
          : { redrive: { deadLetterQueue: make(deadLetterId), maxReceiveCount: Number(redrive.maxReceiveCount) } }),
      });
      this.queues.set(id, queue);
      return queue;
    };
    queueIds.forEach(make);
  }

  /** Ref and Fn::GetAtt of a queue or topic; undefined for other resources. */
  provisioned(id: string): Provisioned | undefined {
    const queue = this.queues.get(id);
    if (queue) return { ref: queue.url, attributes: { Arn: queue.arn, QueueName: queue.name, QueueUrl: queue.url } };
    return this.resources[id]?.Type === 'AWS::SNS::Topic' ? { ref: this.topicArn(id), attributes: { TopicArn: this.topicArn(id) } } : undefined;
  }

  /** Whether the resource is an SNS topic of the stack (a custom resource's ServiceToken may name one). */
  isTopic(id: string): boolean {
    return this.resources[id]?.Type === 'AWS::SNS::Topic';
  }

  topicArn(id: string): string {
    return `arn:${TEST_ENVIRONMENT.partition}:sns:${TEST_ENVIRONMENT.region}:${TEST_ENVIRONMENT.account}:${id}`;
  }

  /**
   * Publishes to the topic as CloudFormation does with a custom resource's request: SNS delivers
   * it to each subscribed queue of the stack, as it is with raw delivery, else in SNS's envelope.
   * A subscription deleted already delivers nothing.
   */
  publish(topicId: string, message: string): void {
    for (const [id, resource] of Object.entries(this.resources)) {
      const properties = resource.Properties ?? {};
      if (resource.Type !== 'AWS::SNS::Subscription' || properties.Protocol !== 'sqs' || !namesResource(properties.TopicArn, topicId)) continue;
      if (!this.subscriptions.has(id)) continue;
      const queue = this.queues.get(properties.Endpoint?.['Fn::GetAtt']?.[0]);
      const raw = properties.RawMessageDelivery === true || properties.RawMessageDelivery === 'true';
      queue?.send(raw ? message : JSON.stringify({ Type: 'Notification', TopicArn: this.topicArn(topicId), Message: message }), Date.now());
    }
  }

  /** The functions that the mappings of the topic's queues invoke: those that serve its requests. */
  functionsServing(topicId: string): string[] {
    const queueIds = Object.values(this.resources)
      .filter((resource) => resource.Type === 'AWS::SNS::Subscription' && namesResource(resource.Properties?.TopicArn, topicId))
      .map((resource) => resource.Properties?.Endpoint?.['Fn::GetAtt']?.[0]);
    return Object.values(this.resources)
      .filter((resource) => resource.Type === 'AWS::Lambda::EventSourceMapping' && queueIds.includes(resource.Properties?.EventSourceArn?.['Fn::GetAtt']?.[0]))
      .map((resource) => resource.Properties?.FunctionName?.Ref ?? resource.Properties?.FunctionName?.['Fn::GetAtt']?.[0]);
  }

  /** The function's EventInvokeConfig, with Lambda's delays scaled as the account's. */
  asyncConfigOf(functionId: string): AsyncInvokeConfig {
    const config = Object.values(this.resources).find(
      (resource) => resource.Type === 'AWS::Lambda::EventInvokeConfig' && namesResource(resource.Properties?.FunctionName, functionId),
    )?.Properties;
    return {
      timeScale: this.account.timeScale,
      ...(config?.MaximumRetryAttempts === undefined ? {} : { maximumRetryAttempts: Number(config.MaximumRetryAttempts) }),
      ...(config?.MaximumEventAgeInSeconds === undefined ? {} : { maximumEventAgeMs: Number(config.MaximumEventAgeInSeconds) * 1000 }),
    };
  }

  /** Creates the resource if it is one of these (an event source mapping starts polling, a subscription delivering). */
  create(id: string, functionFor: (functionId: string) => InProcessFunction): void {
    const resource = this.resources[id];
    if (resource.Type === 'AWS::SNS::Subscription') this.subscriptions.add(id);
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping' || this.mappings.has(id)) return;
    const properties = resource.Properties ?? {};
    const queueId = properties.EventSourceArn?.['Fn::GetAtt']?.[0];
    const functionId = properties.FunctionName?.Ref ?? properties.FunctionName?.['Fn::GetAtt']?.[0];
    const queue = this.queues.get(queueId);
    if (queue === undefined || this.resources[functionId]?.Type !== 'AWS::Lambda::Function') {
      throw new Error(`${id}: only a mapping from a queue of the stack to a function of the stack is modelled.`);
    }
    const mapping = new EventSourceMapping({
      queue,
      fn: functionFor(functionId),
      pool: this.account.lambda,
      ...(properties.BatchSize === undefined ? {} : { batchSize: Number(properties.BatchSize) }),
      ...(properties.ScalingConfig?.MaximumConcurrency === undefined
        ? {}
        : { maximumConcurrency: Number(properties.ScalingConfig.MaximumConcurrency) }),
      reportBatchItemFailures: (properties.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
    });
    this.mappings.set(id, mapping);
    mapping.poll();
  }

  /** Deletes the resource if it is one of these: a mapping stops polling, a queue goes with its messages. */
  delete(id: string): void {
    this.subscriptions.delete(id);
    this.mappings.get(id)?.stop();
    this.mappings.delete(id);
    const queue = this.queues.get(id);
    if (queue) this.account.sqs.deleteQueue(queue.url);
  }

  /** Resolves once each mapping's queue is empty and its invocations have ended. */
  async drain(): Promise<void> {
    await Promise.all([...this.mappings.values()].map((mapping) => mapping.drain()));
  }

  /** The mappings' figures, for a report. */
  mappingCounts() {
    return [...this.mappings.values()].map((mapping) => mapping.counts);
  }

  /** Messages left in a queue that is some queue's dead-letter target. */
  deadLetters(): number {
    const targets = Object.values(this.resources).flatMap((resource) => {
      const target = resource.Type === 'AWS::SQS::Queue' ? resource.Properties?.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0] : undefined;
      return target === undefined ? [] : [target];
    });
    return targets.reduce((sum, id) => sum + (this.queues.get(id)?.counts.held ?? 0), 0);
  }

  stop(): void {
    this.mappings.forEach((mapping) => mapping.stop());
  }
}

function namesResource(value: any, id: string): boolean {
  return value?.Ref === id || value?.['Fn::GetAtt']?.[0] === id;
}
