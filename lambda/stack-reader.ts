/**
 * Reading the handler's own stack through CloudFormation's API, whose quota is not Connect's:
 * the resource a request is for, and the stack's status. The calls are reads; a failure that
 * retrying within a few seconds does not cure makes the answer `unknown`, and each caller keeps
 * to what it did before it could ask.
 */
import {
  CloudFormationClient,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import type { ResourceObservation } from './awaited';
import { errorName, isServerOrNetworkFault, isThrottling } from './connect-errors';
import type { Deadline } from './deadline';
import { type RetryPolicy, withRetries } from './retry';
import { sdkClientOptions } from './sdk-client-options';

/** CloudFormation could not be asked (denied, or failing past the retries); the error's name. */
export interface Unknown {
  readonly unknown: string;
}

export interface StackReader {
  resource(stackId: string, logicalResourceId: string): Promise<ResourceObservation | Unknown>;
  stackStatus(stackId: string): Promise<string | Unknown>;
}

// A read that fails for 3 s is not worth the time a deploy has left: the caller carries on without it.
const READ_RETRY: RetryPolicy = { baseDelayMs: 200, maxDelayMs: 1_000, maxAttempts: 4, minAttemptMs: 500 };
// CloudFormation answers a stack or resource it does not know with this error, whatever the wording.
const NOT_FOUND_ERROR = 'ValidationError';

let client: CloudFormationClient | undefined;

export function isUnknown(value: unknown): value is Unknown {
  return typeof value === 'object' && value !== null && 'unknown' in value;
}

/** The reader of one invocation: no read starts past `deadline`, and `signal` aborts one in flight. */
export function stackReader(deadline: Deadline, signal: AbortSignal, counter: { stackReads: number }): StackReader {
  client ??= new CloudFormationClient(sdkClientOptions());
  const cloudFormation = client;
  async function read<T>(send: () => Promise<T>, absent: T): Promise<T | Unknown> {
    try {
      return await withRetries(
        () => {
          counter.stackReads++;
          return send();
        },
        { policy: READ_RETRY, deadline, isTransient: (error) => isThrottling(error) || isServerOrNetworkFault(error) },
      );
    } catch (error) {
      return errorName(error) === NOT_FOUND_ERROR ? absent : { unknown: errorName(error) };
    }
  }
  return {
    resource: (stackId, logicalResourceId) =>
      read<ResourceObservation>(async () => {
        const { StackResourceDetail: detail } = await cloudFormation.send(
          new DescribeStackResourceCommand({ StackName: stackId, LogicalResourceId: logicalResourceId }),
          { abortSignal: signal },
        );
        return detail?.ResourceStatus === undefined
          ? 'absent'
          : {
              status: detail.ResourceStatus,
              physicalResourceId: detail.PhysicalResourceId || undefined,
              lastUpdatedAt: detail.LastUpdatedTimestamp?.getTime(),
            };
      }, 'absent'),
    stackStatus: (stackId) =>
      read<string>(async () => {
        const { Stacks: stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackId }), { abortSignal: signal });
        return stacks?.[0]?.StackStatus ?? 'DELETE_COMPLETE';
      }, 'DELETE_COMPLETE'),
  };
}
