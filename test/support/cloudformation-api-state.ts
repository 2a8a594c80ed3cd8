/**
 * The state behind the CloudFormation API emulator: stacks, keyed by stack ARN, and the status
 * of their resources, as a test sets them to stage what CloudFormation would say about a request
 * the handler is working on. Free of HTTP so that a test can change it between two calls.
 */
import { randomUUID } from 'node:crypto';
import type { ResourceStatus, StackStatus } from '@aws-sdk/client-cloudformation';
import { ALIAS_RESOURCE_TYPE } from '../../lib/resource-properties';
import { TEST_ENVIRONMENT } from '../fixtures/environment';

export type { ResourceStatus, StackStatus } from '@aws-sdk/client-cloudformation';

/** One resource as DescribeStackResource describes it. */
export interface StackResourceRecord {
  readonly ResourceStatus: ResourceStatus;
  readonly PhysicalResourceId?: string;
  readonly ResourceType: string;
  readonly LastUpdatedTimestamp: Date;
  readonly ResourceStatusReason?: string;
}

export interface StackRecord {
  readonly stackId: string;
  readonly stackName: string;
  /** From the ARN: CloudFormation knows only the stacks of its own region. */
  readonly region: string;
  readonly creationTime: Date;
  status: StackStatus;
  /** By logical ID. */
  readonly resources: Map<string, StackResourceRecord>;
}

export interface ResourceChange {
  readonly status: ResourceStatus;
  /** Default: the resource's earlier one (a physical ID stays once the handler has given it). */
  readonly physicalResourceId?: string;
  readonly reason?: string;
  /** Default: the resource's earlier one, else the construct's own type. */
  readonly type?: string;
}

export interface StackArnParts {
  /** Default: the tests' region. */
  readonly region?: string;
  /** Default: the tests' account. */
  readonly account?: string;
  /** Default: a random one, as CloudFormation gives every stack it creates. */
  readonly uuid?: string;
}

const STACK_ARN = /^arn:aws[a-z-]*:cloudformation:([a-z0-9-]+):\d{12}:stack\/([A-Za-z][A-Za-z0-9-]*)\/[^/]+$/;

/** The ARN CloudFormation gives a stack: `arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/UUID`. */
export function stackArn(stackName: string, parts: StackArnParts = {}): string {
  const { region = TEST_ENVIRONMENT.region, account = TEST_ENVIRONMENT.account, uuid = randomUUID() } = parts;
  return `arn:${TEST_ENVIRONMENT.partition}:cloudformation:${region}:${account}:stack/${stackName}/${uuid}`;
}

export class CloudFormationApiState {
  private readonly stacks = new Map<string, StackRecord>();

  /** @param now the clock behind CreationTime and LastUpdatedTimestamp. */
  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Creates the stack, without resources. A stack ARN used twice is a mistake in the test. */
  putStack(stackId: string, status: StackStatus): void {
    const parts = STACK_ARN.exec(stackId);
    if (parts === null) {
      throw new Error(`${stackId} is not a stack ARN (arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/UUID).`);
    }
    if (this.stacks.has(stackId)) {
      throw new Error(`Stack ${stackId} already exists.`);
    }
    const [, region, stackName] = parts;
    this.stacks.set(stackId, { stackId, stackName, region, creationTime: this.now(), status, resources: new Map() });
  }

  setStackStatus(stackId: string, status: StackStatus): void {
    this.stack(stackId).status = status;
  }

  /** Adds the resource or changes it, stamped with the clock's time, as each stack event is. */
  setResource(stackId: string, logicalId: string, change: ResourceChange): void {
    const resources = this.stack(stackId).resources;
    const earlier = resources.get(logicalId);
    const physicalResourceId = change.physicalResourceId ?? earlier?.PhysicalResourceId;
    resources.set(logicalId, {
      ResourceStatus: change.status,
      ResourceType: change.type ?? earlier?.ResourceType ?? ALIAS_RESOURCE_TYPE,
      LastUpdatedTimestamp: this.now(),
      ...(physicalResourceId === undefined ? {} : { PhysicalResourceId: physicalResourceId }),
      ...(change.reason === undefined ? {} : { ResourceStatusReason: change.reason }),
    });
  }

  /** The stack no longer lists the resource, as after it was retained on removal or moved out. */
  removeResource(stackId: string, logicalId: string): void {
    if (!this.stack(stackId).resources.delete(logicalId)) {
      throw new Error(`Stack ${stackId} has no resource ${logicalId}.`);
    }
  }

  /**
   * Ends the stack as a completed deletion does: status DELETE_COMPLETE, and every resource
   * DELETE_COMPLETE except those CloudFormation skipped (retained: DELETE_SKIPPED).
   */
  deleteStack(stackId: string): void {
    const stack = this.stack(stackId);
    stack.status = 'DELETE_COMPLETE';
    for (const [logicalId, resource] of stack.resources) {
      if (resource.ResourceStatus !== 'DELETE_SKIPPED') {
        const { ResourceStatusReason: _reason, ...kept } = resource;
        stack.resources.set(logicalId, { ...kept, ResourceStatus: 'DELETE_COMPLETE', LastUpdatedTimestamp: this.now() });
      }
    }
  }

  /**
   * The stack a request's `StackName` names: its ARN (deleted stacks included), or the name of
   * a stack that is not deleted, as CloudFormation resolves it.
   */
  find(stackName: string): Readonly<StackRecord> | undefined {
    return (
      this.stacks.get(stackName) ??
      [...this.stacks.values()].find((stack) => stack.stackName === stackName && stack.status !== 'DELETE_COMPLETE')
    );
  }

  /** The stacks DescribeStacks lists without a `StackName`: those not deleted. */
  liveStacks(): ReadonlyArray<Readonly<StackRecord>> {
    return [...this.stacks.values()].filter((stack) => stack.status !== 'DELETE_COMPLETE');
  }

  private stack(stackId: string): StackRecord {
    const stack = this.stacks.get(stackId);
    if (stack === undefined) {
      throw new Error(`No stack ${stackId}; putStack it first.`);
    }
    return stack;
  }
}
