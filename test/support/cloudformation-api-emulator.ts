/**
 * A local CloudFormation API for tests: an HTTP server on loopback that answers the awsQuery
 * requests of DescribeStackResource and DescribeStacks (form-encoded POST, XML answers) the way
 * the service does, so the unmodified `@aws-sdk/client-cloudformation` (given `endpoint`, or env
 * `AWS_ENDPOINT_URL_CLOUDFORMATION`) parses the same outputs and throws the same errors. It
 * lets the handler be tested on what CloudFormation says of a stack and of the request's
 * resource while a test moves them along.
 *
 * Signatures are not verified, but an `Authorization` header scoped to service `cloudformation`
 * and the emulator's region must be present. Every request is logged, and faults can be injected.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { TEST_ENVIRONMENT } from '../fixtures/environment';
import { CloudFormationApiState, type ResourceStatus, type StackRecord } from './cloudformation-api-state';
import { FaultQueue } from './fault-queue';
import { LoopbackHttpServer, readBody, type LoopbackListenOptions } from './loopback-http-server';
import { credentialScopeOf } from './sigv4-credential-scope';

export type CloudFormationOperation = 'DescribeStackResource' | 'DescribeStacks';

/**
 * - throttle: 400 Throttling "Rate exceeded", as CloudFormation answers over its API quota;
 * - accessDenied: 403 AccessDenied, as for a role without the `cloudformation:` action;
 * - serverError: 500 InternalFailure.
 */
export type CloudFormationFaultKind = 'throttle' | 'accessDenied' | 'serverError';

export interface CloudFormationFault {
  readonly kind: CloudFormationFaultKind;
  /** How many of the next calls of the operation get it. */
  readonly times: number;
}

export interface CloudFormationApiEmulatorOptions extends LoopbackListenOptions {
  /** The region requests must be signed for; stacks of other regions are unknown. Default: the tests' region. */
  readonly region?: string;
  /** The clock of the state's timestamps. Default: the system clock. */
  readonly now?: () => Date;
  /**
   * What a deleted stack, named by its ARN, gets. CloudFormation documents that both calls still
   * describe it (and its resources) for up to 90 days after deletion: 'listed-as-deleted'.
   * After that, or if a region behaves otherwise, both calls answer ValidationError "Stack with
   * id … does not exist": 'does-not-exist'. Default 'listed-as-deleted'.
   */
  readonly deletedStack?: 'does-not-exist' | 'listed-as-deleted';
}

/** The error codes the emulator answers with; the SDK throws an error of the same `name`. */
export type CloudFormationErrorCode =
  | 'ValidationError'
  | 'Throttling'
  | 'AccessDenied'
  | 'InternalFailure'
  | 'InvalidAction'
  | 'MissingAuthenticationToken'
  | 'SignatureDoesNotMatch';

/** One request, as the emulator saw and answered it. */
export interface CloudFormationCall {
  /** 'UnknownOperation' for an Action that is neither of the two. */
  readonly operation: CloudFormationOperation | 'UnknownOperation';
  /** The form parameters other than Action and Version. */
  readonly params: Readonly<Record<string, string>>;
  readonly status: number;
  readonly errorCode?: CloudFormationErrorCode;
  readonly fault?: CloudFormationFaultKind;
}

/** HTTP status and `Error/Type` of each code (CloudFormation's and AWS's common errors). */
const ERRORS: Readonly<Record<CloudFormationErrorCode, { status: number; type: 'Sender' | 'Receiver' }>> = {
  ValidationError: { status: 400, type: 'Sender' },
  Throttling: { status: 400, type: 'Sender' },
  AccessDenied: { status: 403, type: 'Sender' },
  InternalFailure: { status: 500, type: 'Receiver' },
  InvalidAction: { status: 400, type: 'Sender' },
  MissingAuthenticationToken: { status: 403, type: 'Sender' },
  SignatureDoesNotMatch: { status: 403, type: 'Sender' },
};

const API_VERSION = '2010-05-15';
const XML_NAMESPACE = `http://cloudformation.amazonaws.com/doc/${API_VERSION}/`;

/** A request the service refuses; the server turns it into an `ErrorResponse`. */
class CloudFormationApiError extends Error {
  constructor(
    readonly code: CloudFormationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface Reply {
  readonly status: number;
  readonly xml: string;
  readonly errorCode?: CloudFormationErrorCode;
}

/** The status CloudFormation shows for a resource while it waits for a request of each type. */
const AWAITING: Readonly<Record<CloudFormationCustomResourceEvent['RequestType'], ResourceStatus>> = {
  Create: 'CREATE_IN_PROGRESS',
  Update: 'UPDATE_IN_PROGRESS',
  Delete: 'DELETE_IN_PROGRESS',
};

export class CloudFormationApiEmulator {
  static async start(options: CloudFormationApiEmulatorOptions = {}): Promise<CloudFormationApiEmulator> {
    const emulator = new CloudFormationApiEmulator(options);
    // A request the client aborts before its body has arrived gets no answer.
    const handler = (req: IncomingMessage, res: ServerResponse): void => void emulator.handle(req, res).catch(() => res.destroy());
    emulator.server = await LoopbackHttpServer.start(handler, options);
    return emulator;
  }

  /** The stacks and resources the answers describe; a test changes them between calls. */
  readonly state: CloudFormationApiState;

  private server!: LoopbackHttpServer;
  private readonly region: string;
  private readonly deletedStack: 'does-not-exist' | 'listed-as-deleted';
  private readonly log: CloudFormationCall[] = [];
  private readonly faults = new FaultQueue<CloudFormationOperation, CloudFormationFault>();

  private constructor(options: CloudFormationApiEmulatorOptions) {
    this.region = options.region ?? TEST_ENVIRONMENT.region;
    this.deletedStack = options.deletedStack ?? 'listed-as-deleted';
    this.state = new CloudFormationApiState(options.now);
  }

  /** `http://127.0.0.1:PORT`, for the client's `endpoint` or `AWS_ENDPOINT_URL_CLOUDFORMATION`. */
  get endpoint(): string {
    return this.server.endpoint;
  }

  get calls(): ReadonlyArray<CloudFormationCall> {
    return this.log;
  }

  /** The next `times` calls of `operation` get the fault (after faults injected before). */
  /** Shows the event's resource as CloudFormation does while it waits for the event's request. */
  awaiting(event: CloudFormationCustomResourceEvent): void {
    if (this.state.find(event.StackId) === undefined) this.state.putStack(event.StackId, 'UPDATE_IN_PROGRESS');
    this.state.setResource(event.StackId, event.LogicalResourceId, {
      status: AWAITING[event.RequestType],
      physicalResourceId: event.RequestType === 'Create' ? undefined : event.PhysicalResourceId,
    });
  }

  injectFault(operation: CloudFormationOperation, fault: CloudFormationFault): void {
    this.faults.inject(operation, fault);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { Action: action = '', Version: _version, ...params } = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const operation = action === 'DescribeStackResource' || action === 'DescribeStacks' ? action : undefined;
    const requestId = randomUUID();
    const { reply, fault } = this.process(req.headers.authorization, action, operation, params, requestId);
    res.writeHead(reply.status, {
      'content-type': 'text/xml',
      'content-length': Buffer.byteLength(reply.xml),
      'x-amzn-requestid': requestId,
    });
    res.end(reply.xml);
    this.log.push({
      operation: operation ?? 'UnknownOperation',
      params,
      status: reply.status,
      ...(reply.errorCode === undefined ? {} : { errorCode: reply.errorCode }),
      ...(fault === undefined ? {} : { fault }),
    });
  }

  /** Decides the answer, and names the injected fault that gave it, if one did. */
  private process(
    authorization: string | undefined,
    action: string,
    operation: CloudFormationOperation | undefined,
    params: Record<string, string>,
    requestId: string,
  ): { reply: Reply; fault?: CloudFormationFaultKind } {
    try {
      this.checkAuthorization(authorization);
      if (operation === undefined) {
        throw new CloudFormationApiError('InvalidAction', `Could not find operation ${action} for version ${API_VERSION}`);
      }
      const fault = this.faults.take(operation)?.kind;
      if (fault !== undefined) {
        return { reply: errorReply(faultError(fault, operation, params.StackName), requestId), fault };
      }
      return { reply: { status: 200, xml: response(operation, this.execute(operation, params), requestId) } };
    } catch (caught) {
      // A bug of the emulator still gets an answer, and one that names it.
      const error =
        caught instanceof CloudFormationApiError
          ? caught
          : new CloudFormationApiError('InternalFailure', `Emulator failure: ${String(caught)}`);
      return { reply: errorReply(error, requestId) };
    }
  }

  private checkAuthorization(authorization: string | undefined): void {
    if (authorization === undefined) {
      throw new CloudFormationApiError('MissingAuthenticationToken', 'Request is missing Authentication Token');
    }
    const scope = credentialScopeOf(authorization);
    if (scope?.region !== this.region || scope.service !== 'cloudformation') {
      throw new CloudFormationApiError(
        'SignatureDoesNotMatch',
        `Credential should be scoped to region ${this.region} and service cloudformation.`,
      );
    }
  }

  private execute(operation: CloudFormationOperation, params: Record<string, string>): string {
    if (operation === 'DescribeStacks') {
      const stacks = params.StackName === undefined ? this.state.liveStacks() : [this.findStack(params.StackName)];
      return element('Stacks', stacks.map((stack) => element('member', stackFields(stack))).join(''));
    }
    requireParams(params, ['StackName', 'LogicalResourceId']);
    const stack = this.findStack(params.StackName);
    const resource = stack.resources.get(params.LogicalResourceId);
    if (resource === undefined) {
      throw new CloudFormationApiError(
        'ValidationError',
        `Resource ${params.LogicalResourceId} does not exist for stack ${params.StackName}`,
      );
    }
    return element(
      'StackResourceDetail',
      fields({
        StackName: stack.stackName,
        StackId: stack.stackId,
        LogicalResourceId: params.LogicalResourceId,
        PhysicalResourceId: resource.PhysicalResourceId,
        ResourceType: resource.ResourceType,
        LastUpdatedTimestamp: resource.LastUpdatedTimestamp,
        ResourceStatus: resource.ResourceStatus,
        ResourceStatusReason: resource.ResourceStatusReason,
      }),
    );
  }

  private findStack(stackName: string): Readonly<StackRecord> {
    const stack = this.state.find(stackName);
    const known =
      stack !== undefined &&
      stack.region === this.region &&
      (stack.status !== 'DELETE_COMPLETE' || this.deletedStack === 'listed-as-deleted');
    if (!known) {
      throw new CloudFormationApiError('ValidationError', `Stack with id ${stackName} does not exist`);
    }
    return stack;
  }
}

function stackFields(stack: Readonly<StackRecord>): string {
  return fields({
    StackName: stack.stackName,
    StackId: stack.stackId,
    CreationTime: stack.creationTime,
    StackStatus: stack.status,
  });
}

/** The service's own wording for parameters a request lacks. */
function requireParams(params: Record<string, string>, names: readonly string[]): void {
  const missing = names.filter((name) => params[name] === undefined);
  if (missing.length > 0) {
    const plural = missing.length === 1 ? '' : 's';
    const each = missing.map(
      (name) => `Value null at '${name[0].toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
    throw new CloudFormationApiError('ValidationError', `${missing.length} validation error${plural} detected: ${each.join('; ')}`);
  }
}

/** The answer CloudFormation gives in each case the fault stands for. */
function faultError(kind: CloudFormationFaultKind, operation: CloudFormationOperation, stackName = '*'): CloudFormationApiError {
  switch (kind) {
    case 'throttle':
      return new CloudFormationApiError('Throttling', 'Rate exceeded');
    case 'accessDenied':
      return new CloudFormationApiError(
        'AccessDenied',
        `User: arn:aws:sts::${TEST_ENVIRONMENT.account}:assumed-role/handler-role/handler is not authorized to perform: ` +
          `cloudformation:${operation} on resource: ${stackName} because no identity-based policy allows the ` +
          `cloudformation:${operation} action`,
      );
    case 'serverError':
      return new CloudFormationApiError(
        'InternalFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
      );
  }
}

/** `<OpResponse><OpResult>…</OpResult><ResponseMetadata>…</ResponseMetadata></OpResponse>` */
function response(operation: CloudFormationOperation, result: string, requestId: string): string {
  return document(
    `${operation}Response`,
    element(`${operation}Result`, result) + element('ResponseMetadata', element('RequestId', requestId)),
  );
}

function errorReply(error: CloudFormationApiError, requestId: string): Reply {
  const detail = fields({ Type: ERRORS[error.code].type, Code: error.code, Message: error.message });
  return {
    status: ERRORS[error.code].status,
    xml: document('ErrorResponse', element('Error', detail) + element('RequestId', requestId)),
    errorCode: error.code,
  };
}

function document(root: string, content: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${XML_NAMESPACE}">${content}</${root}>`;
}

/** One element a field, in order; an undefined field is left out, as the service omits it. */
function fields(values: Record<string, string | Date | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | Date] => entry[1] !== undefined)
    .map(([name, value]) => element(name, escapeXml(value instanceof Date ? value.toISOString() : value)))
    .join('');
}

/** `content` is XML already: escaped text or elements. */
function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
