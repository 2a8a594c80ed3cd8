/**
 * Plays CloudFormation for a whole synthesized stack, with the concurrency CloudFormation may
 * use: every resource starts as soon as each resource it depends on (DependsOn, Ref, Fn::GetAtt,
 * Fn::Sub) is complete, with no cap; deletion runs in reverse, each resource once every resource
 * depending on it is gone. Resources other than Lambda-backed custom resources complete at once
 * (CloudFormation's own time per resource is left out). A custom resource's event carries a
 * ResponseURL on a local receiver and goes, as an asynchronous invocation through Lambda's
 * queue (AsyncInvoker: throttling back-off, event age, retries from the EventInvokeConfig), to
 * the built handler bundle, run in process by InProcessFunction with the function's Timeout,
 * Environment, MemorySize and ReservedConcurrentExecutions from the template, within the
 * account's Lambda concurrency. Queues and event source mappings of the template are
 * provisioned on the account's SQS (StackServices). An answer counts if it arrives within the
 * resource's ServiceTimeout and while an invocation carrying the request (the custom-resource
 * event itself, or an SQS record whose body is that event) had not reached its timeout (after
 * it, Lambda would have ended the invocation); otherwise the resource has no answer.
 * CloudFormation's API (the account's stand-in) describes the stack and each resource as the
 * operation moves them along; a failed create leaves the stack CREATE_FAILED, as a stack created
 * with rollback disabled (rollback and its cancellations are left out).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type * as cxapi from 'aws-cdk-lib/cx-api';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { TEST_ENVIRONMENT } from '../fixtures/environment';
import type { CloudFormationResponse } from './cloudformation-driver';
import type { ResourceStatus as ApiResourceStatus } from './cloudformation-api-state';
import { type InvocationTiming, InProcessFunction } from './in-process-lambda';
import { AsyncInvoker } from './lambda-async-queue';
import { localLambdaEnvironment } from './lambda-environment';
import { installLambdaCode } from './lambda-process';
import type { ResponseReceiver } from './response-receiver';
import type { SimulatedAccount } from './simulated-account';
import { StackServices, type TemplateResource } from './stack-services';
import { asDelivered, assetDirectoryOf } from './synthesized-alias';

export interface StackSchedulerOptions {
  /** The synthesized stack: its template and the cloud assembly holding its assets. */
  readonly stack: cxapi.CloudFormationStackArtifact;
  /** Where each custom resource answers (plain HTTP: all invocations share this process). */
  readonly receiver: ResponseReceiver;
  /** `AWS_ENDPOINT_URL_CONNECT` of every function. */
  readonly connectEndpoint: string;
  /** A directory outside the repository, for the functions' code. */
  readonly workDirectory: string;
  /** Lambda concurrency, SQS and CloudFormation's API, shared with other stacks of the run. */
  readonly account: SimulatedAccount;
}

export type ResourceStatus = 'SUCCESS' | 'FAILED' | 'no answer' | 'not started';

export interface ResourceOutcome {
  readonly logicalResourceId: string;
  readonly status: ResourceStatus;
  /** SUCCESS and FAILED: the answer's. */
  readonly physicalResourceId?: string;
  readonly reason?: string;
  /** Milliseconds from the start of the stack operation to the outcome. */
  readonly endedAtMs: number;
}

export interface StackOperationOutcome {
  /** One per custom resource the operation had to handle. */
  readonly resources: ResourceOutcome[];
  /** From the start to the last custom resource's outcome, as CloudFormation would see it. */
  readonly wallMs: number;
}

const DEFAULT_LAMBDA_TIMEOUT_S = 3;
const DEFAULT_LAMBDA_MEMORY_MB = 128;
// CloudFormation's wait for a custom resource without ServiceTimeout.
const DEFAULT_SERVICE_TIMEOUT_S = 3600;

export class StackScheduler {
  readonly stackName: string;
  readonly stackId: string;
  private readonly resources: Record<string, TemplateResource>;
  private readonly dependencies = new Map<string, string[]>();
  private readonly functions = new Map<string, { fn: InProcessFunction; invoker: AsyncInvoker }>();
  private readonly services: StackServices;
  /** When each invocation carrying a request ran, by RequestId: an answer counts only inside one. */
  private readonly windows = new Map<string, InvocationTiming[]>();
  private stackCreated = false;
  /** What each custom resource answered last with SUCCESS, for the Ref and Fn::GetAtt of others. */
  private readonly answers = new Map<string, { readonly physicalResourceId: string; readonly data: Record<string, unknown> }>();

  constructor(private readonly options: StackSchedulerOptions) {
    this.stackName = options.stack.stackName;
    this.stackId = `arn:aws:cloudformation:${TEST_ENVIRONMENT.region}:${TEST_ENVIRONMENT.account}:stack/${this.stackName}/${randomUUID()}`;
    this.resources = options.stack.template.Resources;
    for (const [id, resource] of Object.entries(this.resources)) {
      this.dependencies.set(id, dependenciesOf(resource, this.resources));
    }
    this.services = new StackServices(this.stackName, this.resources, options.account);
  }

  /** The logical ids of the custom resources that a Lambda function of the stack serves, directly or through a topic. */
  get customResources(): string[] {
    return Object.keys(this.resources).filter((id) => this.functionIdsOf(id).length > 0);
  }

  /**
   * Initialises as many execution environments of each function as the function may run at
   * once for `invocations`, so that loading code is not counted as the deploy's time.
   */
  prewarm(invocations: number): void {
    for (const functionId of new Set(this.customResources.flatMap((id) => this.functionIdsOf(id)))) {
      const reserved = this.resources[functionId].Properties?.ReservedConcurrentExecutions;
      this.functionFor(functionId).fn.prewarm(Math.min(invocations, reserved ?? invocations));
    }
  }

  /** Creates every resource of the stack, or sends Create only to the custom resources in `only`. */
  async create(only?: ReadonlySet<string>): Promise<StackOperationOutcome> {
    const first = !this.stackCreated;
    if (first) {
      this.api.putStack(this.stackId, 'CREATE_IN_PROGRESS');
      this.stackCreated = true;
    } else {
      this.api.setStackStatus(this.stackId, 'UPDATE_IN_PROGRESS');
    }
    const outcome = await this.operate(
      (id) => this.dependencies.get(id)!,
      (id) => {
        if (only !== undefined && !only.has(id)) return undefined;
        if (!this.customResources.includes(id)) {
          this.services.create(id, (functionId) => this.functionFor(functionId).fn);
          this.setStatus(id, 'CREATE_COMPLETE');
          return undefined;
        }
        this.setStatus(id, 'CREATE_IN_PROGRESS');
        return this.sendEvent(id, { RequestType: 'Create' });
      },
      (outcome) =>
        this.setStatus(outcome.logicalResourceId, outcome.status === 'SUCCESS' ? 'CREATE_COMPLETE' : 'CREATE_FAILED', outcome),
    );
    const ok = outcome.resources.every((resource) => resource.status === 'SUCCESS');
    this.api.setStackStatus(this.stackId, first ? (ok ? 'CREATE_COMPLETE' : 'CREATE_FAILED') : ok ? 'UPDATE_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE');
    return outcome;
  }

  /**
   * Deletes every resource of the stack; `physicalIds` holds the custom resources that exist
   * (a resource that never answered a Create is skipped, as one CloudFormation never created).
   */
  async delete(physicalIds: ReadonlyMap<string, string>): Promise<StackOperationOutcome> {
    const dependents = new Map<string, string[]>(Object.keys(this.resources).map((id) => [id, []]));
    for (const [id, dependencies] of this.dependencies) {
      dependencies.forEach((dependency) => dependents.get(dependency)!.push(id));
    }
    if (!this.stackCreated) {
      // A stack created before this scheduler played it: CloudFormation knows its resources.
      this.api.putStack(this.stackId, 'CREATE_COMPLETE');
      this.stackCreated = true;
      physicalIds.forEach((physicalResourceId, id) =>
        this.api.setResource(this.stackId, id, { status: 'CREATE_COMPLETE', physicalResourceId, type: this.resources[id].Type }),
      );
    }
    this.api.setStackStatus(this.stackId, 'DELETE_IN_PROGRESS');
    const outcome = await this.operate(
      (id) => dependents.get(id)!,
      (id) => {
        if (!this.customResources.includes(id)) {
          this.services.delete(id);
          return undefined;
        }
        const physicalId = physicalIds.get(id);
        if (physicalId === undefined || this.resources[id].DeletionPolicy === 'Retain') return undefined;
        this.setStatus(id, 'DELETE_IN_PROGRESS');
        return this.sendEvent(id, { RequestType: 'Delete', PhysicalResourceId: physicalId });
      },
      (outcome) => this.setStatus(outcome.logicalResourceId, outcome.status === 'SUCCESS' ? 'DELETE_COMPLETE' : 'DELETE_FAILED', outcome),
    );
    if (outcome.resources.every((resource) => resource.status !== 'FAILED' && resource.status !== 'no answer')) {
      this.api.deleteStack(this.stackId);
    } else {
      this.api.setStackStatus(this.stackId, 'DELETE_FAILED');
    }
    return outcome;
  }

  /** Resolves once every invocation so far has settled, late ones included, and the stack's queues are worked off. */
  async drain(): Promise<void> {
    await this.services.drain();
    for (const { fn, invoker } of this.functions.values()) {
      await invoker.drain();
      await fn.drain();
    }
  }

  /** Stops the stack's pollers, so that the run can end. */
  stop(): void {
    this.services.stop();
  }

  /** Records in dead-letter queues: requests the queue gave up on. */
  get deadLetters(): number {
    return this.services.deadLetters();
  }

  private get api() {
    return this.options.account.cloudFormation.state;
  }

  private setStatus(id: string, status: ApiResourceStatus, outcome?: Omit<ResourceOutcome, 'endedAtMs'>): void {
    const reason = outcome?.status === 'no answer' ? 'CloudFormation did not receive a response from your Custom Resource' : outcome?.reason;
    this.api.setResource(this.stackId, id, {
      status,
      type: this.resources[id].Type,
      ...(outcome?.physicalResourceId === undefined ? {} : { physicalResourceId: outcome.physicalResourceId }),
      ...(reason === undefined ? {} : { reason }),
    });
  }

  /**
   * Runs each resource once its prerequisites are complete; a resource whose prerequisite did
   * not succeed is not started. `start` returns undefined for a resource that completes at once.
   */
  private async operate(
    prerequisitesOf: (id: string) => string[],
    start: (id: string) => Promise<Omit<ResourceOutcome, 'endedAtMs'>> | undefined,
    ended: (outcome: Omit<ResourceOutcome, 'endedAtMs'>) => void,
  ): Promise<StackOperationOutcome> {
    const startedAt = Date.now();
    const outcomes = new Map<string, Promise<ResourceOutcome | undefined>>();
    const customResources = new Set(this.customResources);
    const succeeded = async (id: string) => ((await outcomeOf(id))?.status ?? 'SUCCESS') === 'SUCCESS';
    const outcomeOf = (id: string): Promise<ResourceOutcome | undefined> => {
      if (!outcomes.has(id)) {
        outcomes.set(
          id,
          (async () => {
            const ready = (await Promise.all(prerequisitesOf(id).map(succeeded))).every(Boolean);
            if (!customResources.has(id)) {
              if (ready) start(id);
              return undefined;
            }
            const outcome = ready ? await start(id) : { logicalResourceId: id, status: 'not started' as const };
            if (outcome && outcome.status !== 'not started') ended(outcome);
            return outcome && { ...outcome, endedAtMs: Date.now() - startedAt };
          })(),
        );
      }
      return outcomes.get(id)!;
    };
    const resources = (await Promise.all(Object.keys(this.resources).map(outcomeOf))).filter(
      (outcome): outcome is ResourceOutcome => outcome !== undefined,
    );
    const wallMs = Math.max(0, ...resources.filter((r) => r.status !== 'not started').map((r) => r.endedAtMs));
    return { resources, wallMs };
  }

  private async sendEvent(
    logicalResourceId: string,
    request: { RequestType: 'Create' } | { RequestType: 'Delete'; PhysicalResourceId: string },
  ): Promise<Omit<ResourceOutcome, 'endedAtMs'>> {
    const resource = this.resources[logicalResourceId];
    const topicId = this.topicIdOf(logicalResourceId);
    const direct = topicId === undefined ? this.functionFor(this.functionIdsOf(logicalResourceId)[0]) : undefined;
    const serviceToken = topicId === undefined ? direct!.fn.functionArn : this.services.topicArn(topicId);
    const requestId = randomUUID();
    const path = `/cloudformation-response/${logicalResourceId}/${requestId}`;
    const { ServiceToken: _token, ...properties } = resource.Properties ?? {};
    const event = {
      ...request,
      ServiceToken: serviceToken,
      ResponseURL: this.options.receiver.urlFor(path, requestId),
      StackId: this.stackId,
      RequestId: requestId,
      LogicalResourceId: logicalResourceId,
      ResourceType: resource.Type,
      ResourceProperties: asDelivered(this.resolveReferences({ ServiceToken: serviceToken, ...properties })),
    } as CloudFormationCustomResourceEvent;
    const serviceTimeoutMs = Number(properties.ServiceTimeout ?? DEFAULT_SERVICE_TIMEOUT_S) * 1000;

    this.windows.set(requestId, []);
    // A topic's requests reach the function through its subscribed queues' mappings; a function's
    // through Lambda's asynchronous invocation.
    if (topicId === undefined) direct!.invoker.invoke(event);
    else this.services.publish(topicId, JSON.stringify(event));
    let timer: NodeJS.Timeout | undefined;
    const answer = await Promise.race([
      this.options.receiver.firstRequestTo(path),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), serviceTimeoutMs))),
    ]);
    clearTimeout(timer);
    const windows = this.windows.get(requestId) ?? [];
    this.windows.delete(requestId);
    if (answer === undefined || !windows.some((w) => w.startedAt <= answer.receivedAt && answer.receivedAt <= w.deadline)) {
      return { logicalResourceId, status: 'no answer' };
    }
    const response: CloudFormationResponse = JSON.parse(answer.body);
    if (response.Status === 'SUCCESS') {
      this.answers.set(logicalResourceId, { physicalResourceId: response.PhysicalResourceId, data: response.Data ?? {} });
    }
    return {
      logicalResourceId,
      status: response.Status,
      physicalResourceId: response.PhysicalResourceId,
      ...(response.Reason === undefined ? {} : { reason: response.Reason }),
    };
  }

  /**
   * Ref and Fn::GetAtt as CloudFormation resolves them: to what a custom resource answered, and
   * for other resources (which this scheduler does not create) to a stand-in naming them.
   */
  private resolveReferences(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((inner) => this.resolveReferences(inner));
    if (value === null || typeof value !== 'object') return value;
    const { Ref: ref, 'Fn::GetAtt': getAtt } = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    if (typeof ref === 'string' && ref in this.resources) {
      return this.answers.get(ref)?.physicalResourceId ?? this.services.provisioned(ref)?.ref ?? ref;
    }
    if (Array.isArray(getAtt)) {
      return this.answers.get(getAtt[0])?.data[getAtt[1]] ?? this.services.provisioned(getAtt[0])?.attributes[getAtt[1]] ?? getAtt.join('.');
    }
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, this.resolveReferences(inner)]));
  }

  /**
   * The logical ids of the stack's Lambda functions that serve the resource: the one its
   * ServiceToken names, or those behind the topic it names. None for other resources.
   */
  private functionIdsOf(logicalResourceId: string): string[] {
    const resource = this.resources[logicalResourceId];
    if (!(resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource')) return [];
    const topicId = this.topicIdOf(logicalResourceId);
    if (topicId !== undefined) return this.services.functionsServing(topicId);
    const target = resource.Properties?.ServiceToken?.['Fn::GetAtt']?.[0];
    return this.resources[target]?.Type === 'AWS::Lambda::Function' ? [target] : [];
  }

  /** The stack's SNS topic that the resource's ServiceToken names, if any. */
  private topicIdOf(logicalResourceId: string): string | undefined {
    const target = this.resources[logicalResourceId].Properties?.ServiceToken?.Ref;
    return typeof target === 'string' && this.services.isTopic(target) ? target : undefined;
  }

  private functionFor(functionId: string): { fn: InProcessFunction; invoker: AsyncInvoker } {
    let entry = this.functions.get(functionId);
    if (entry === undefined) {
      const { account } = this.options;
      const properties = this.resources[functionId].Properties!;
      const functionArn = `arn:${TEST_ENVIRONMENT.partition}:lambda:${TEST_ENVIRONMENT.region}:${TEST_ENVIRONMENT.account}:function:${this.stackName}-${functionId}`;
      const memorySizeMb = properties.MemorySize ?? DEFAULT_LAMBDA_MEMORY_MB;
      const code = installLambdaCode(
        {
          functionArn,
          assetDirectory: assetDirectoryOf(this.options.stack, properties.Code),
          handlerSetting: properties.Handler,
        },
        mkdtempSync(join(this.options.workDirectory, `${functionId}-`)),
      );
      const fn = new InProcessFunction({
        functionArn,
        codeDirectory: code.directory,
        handlerSetting: code.handlerSetting,
        timeoutMs: (properties.Timeout ?? DEFAULT_LAMBDA_TIMEOUT_S) * 1000,
        memorySizeMb,
        environment: {
          ...localLambdaEnvironment(this.options.connectEndpoint, account.cloudFormation.endpoint),
          AWS_ENDPOINT_URL_SQS: account.sqs.endpoint,
          ...asDelivered(this.resolveReferences(properties.Environment?.Variables ?? {})),
          AWS_LAMBDA_FUNCTION_NAME: functionArn.split(':').pop()!,
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySizeMb),
        },
        reservedConcurrency: properties.ReservedConcurrentExecutions,
        concurrency: account.lambda,
      });
      fn.onInvocation((event, timing) => {
        for (const requestId of requestIdsIn(event)) {
          this.windows.get(requestId)?.push(timing);
        }
      });
      entry = { fn, invoker: new AsyncInvoker(fn, this.services.asyncConfigOf(functionId)) };
      this.functions.set(functionId, entry);
    }
    return entry;
  }
}

/** The requests an invocation carries: a custom-resource event's, or those of an SQS event's records. */
function requestIdsIn(event: unknown): string[] {
  const records = (event as { Records?: Array<{ body?: string }> }).Records;
  if (!Array.isArray(records)) return [String((event as { RequestId?: unknown }).RequestId)];
  return records.flatMap((record) => {
    try {
      return [String(JSON.parse(record.body ?? '').RequestId)];
    } catch {
      return [];
    }
  });
}

/** DependsOn, and every resource that a Ref, Fn::GetAtt or Fn::Sub in the properties names. */
function dependenciesOf(resource: TemplateResource, resources: Record<string, TemplateResource>): string[] {
  const named = new Set<string>([resource.DependsOn ?? []].flat());
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string') named.add(inner);
        if (key === 'Fn::GetAtt') named.add(Array.isArray(inner) ? inner[0] : String(inner).split('.')[0]);
        if (key === 'Fn::Sub') {
          const text = Array.isArray(inner) ? inner[0] : inner;
          for (const [, name] of String(text).matchAll(/\$\{([^!}.]+)[^}]*\}/g)) named.add(name);
        }
        visit(inner);
      }
    }
  };
  visit(resource.Properties);
  return [...named].filter((name) => name in resources);
}
