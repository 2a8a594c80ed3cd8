/**
 * A local Amazon Connect for tests: an HTTP server on loopback that answers the REST-JSON
 * requests of DescribeEmailAddress, AssociateEmailAddressAlias, DisassociateEmailAddressAlias
 * and DeleteEmailAddress the way the service does, so the unmodified `@aws-sdk/client-connect`
 * (given `endpoint`, or env `AWS_ENDPOINT_URL_CONNECT`) throws the same exception classes.
 *
 * Signatures are not verified, but an `Authorization` header scoped to service `connect` and
 * the emulator's region must be present. Every request is logged, and faults can be injected.
 *
 * Standalone: `npx tsx test/support/connect-emulator.ts [--port N] INSTANCE/EMAIL_ADDRESS_ID...`
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  ConnectServiceError,
  ERROR_STATUS,
  EmulatorState,
  type ErrorType,
  type UndocumentedErrorChoices,
} from './connect-emulator-state';
import { TokenBucket, type TokenBucketOptions } from './token-bucket';

export type { ConnectErrorType, ErrorType, UndocumentedErrorChoices } from './connect-emulator-state';

export type ConnectOperation =
  | 'DescribeEmailAddress'
  | 'AssociateEmailAddressAlias'
  | 'DisassociateEmailAddressAlias'
  | 'DeleteEmailAddress'
  | 'TagResource'
  | 'UntagResource';

/**
 * - throttle: 429 ThrottlingException; lock: a call blocked by the distributed lock (409
 *   ResourceConflictException with the documented sentence, or another of BLOCKED_ANSWERS);
 *   internal: 500 InternalServiceException; accessDenied: 403 AccessDeniedException;
 * - reset: the connection is reset with no answer; hang: no answer until `stop()`.
 */
export type FaultKind = 'throttle' | 'lock' | 'internal' | 'reset' | 'hang' | 'accessDenied';

export interface Fault {
  readonly kind: FaultKind;
  /** How many of the next calls of the operation get it. */
  readonly times: number;
  /**
   * The call is carried out first and only its answer is replaced: the service did the work
   * but the caller does not learn it (a retry then meets the new state). Default false.
   */
  readonly takesEffect?: boolean;
  /** For 'lock': how the blocked call is answered. Default BLOCKED_ANSWERS[0]. */
  readonly answer?: BlockedAnswer;
  /** Only calls naming this alias address get the fault. Default: every call of the operation. */
  readonly aliasEmailAddressId?: string;
}

/** An error class and message for a blocked call. */
export type BlockedAnswer = readonly [ErrorType, string];

interface PendingFault extends Fault {
  remaining: number;
}

export interface ConnectEmulatorOptions extends Partial<UndocumentedErrorChoices> {
  /** Region of the ARNs and of the credential scope requests must carry. Default us-east-1. */
  readonly region?: string;
  /** Account of the ARNs. Default 123456789012. */
  readonly account?: string;
  /** Default 127.0.0.1. */
  readonly host?: '127.0.0.1' | '::1';
  /** Default: a free one. */
  readonly port?: number;
  /**
   * What DescribeEmailAddress says of an address without alias: `[]` or no field at all.
   * Not documented; the model allows both. Default 'empty'.
   */
  readonly aliasConfigurationsWhenNone?: 'empty' | 'absent';
  /**
   * The account's API quota: one token bucket for every operation and every caller; a request
   * over it gets 429 ThrottlingException. Default: no quota.
   */
  readonly quota?: TokenBucketOptions;
}

/** One request, as the emulator saw and answered it. */
export interface EmulatorCall {
  /** 'UnknownOperation' for a path or method that is none of the four. */
  readonly operation: ConnectOperation | 'UnknownOperation';
  /** Path labels, decoded. */
  readonly instanceId?: string;
  readonly emailAddressId?: string;
  /** `AliasConfiguration.EmailAddressId` of the body. */
  readonly aliasEmailAddressId?: string;
  /** TagResource: the tags; UntagResource: the keys (as values of an object keyed alike). */
  readonly tags?: Readonly<Record<string, string>>;
  readonly clientToken?: string;
  /** Undefined when no answer was given (faults 'reset' and 'hang'). */
  readonly status?: number;
  readonly errorType?: ErrorType;
  readonly fault?: FaultKind;
  /** A success repeated for a known ClientToken, without touching the state. */
  readonly replayed: boolean;
  /** When the request arrived (epoch milliseconds). */
  readonly receivedAt: number;
  /** The emulator's own time for the request, from its arrival to the answer's hand-off. */
  readonly durationMs: number;
}

interface ParsedRequest {
  readonly operation: ConnectOperation;
  readonly instanceId: string;
  readonly emailAddressId: string;
  readonly aliasEmailAddressId?: string;
  readonly clientToken?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

interface Answer {
  readonly body?: object;
  readonly replayed?: boolean;
}

type LoggedRequest = Omit<EmulatorCall, 'status' | 'errorType' | 'receivedAt' | 'durationMs'>;

interface Reply {
  readonly status: number;
  readonly body?: object;
  readonly errorType?: ErrorType;
}

const LOCK_MESSAGE =
  'This API uses distributed locking, so concurrent operations on the same email addresses may be temporarily blocked. Try again.';

/**
 * What a call blocked by the lock may plausibly get. Connect documents that such calls "may be
 * temporarily blocked" and nothing of the answer, so the handler is tested against each.
 */
export const BLOCKED_ANSWERS: ReadonlyArray<BlockedAnswer> = [
  ['ResourceConflictException', LOCK_MESSAGE],
  ['ResourceConflictException', 'Operation cannot be performed at this time as there is a conflict with another operation.'],
  ['ConflictException', 'The resource is being modified by another request.'],
  ['InvalidRequestException', 'The email address cannot be updated right now.'],
  ['ResourceConflictException', ''],
];

const FAULT_ERRORS: Readonly<Record<Exclude<FaultKind, 'reset' | 'hang'>, [ErrorType, string]>> = {
  throttle: ['ThrottlingException', 'Rate exceeded.'],
  lock: ['ResourceConflictException', LOCK_MESSAGE],
  internal: ['InternalServiceException', 'Internal service error.'],
  accessDenied: ['AccessDeniedException', 'You do not have sufficient access to perform this action.'],
};

// Service limits on the labels and the token (Amazon Connect API reference).
const MAX_LENGTH = { InstanceId: 100, EmailAddressId: 500, ClientToken: 500 } as const;

const CREDENTIAL_SCOPE = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request,/;

export class ConnectEmulator {
  static async start(options: ConnectEmulatorOptions = {}): Promise<ConnectEmulator> {
    const emulator = new ConnectEmulator(options);
    await emulator.listen(options.host ?? '127.0.0.1', options.port ?? 0);
    return emulator;
  }

  /** `http://127.0.0.1:PORT` (or `http://[::1]:PORT`), for the client's `endpoint`. */
  get endpoint(): string {
    return this.url;
  }

  /** The quota's bucket and its counts, if the emulator has one. */
  readonly quota?: TokenBucket;

  private url = '';
  private readonly region: string;
  private readonly account: string;
  private readonly aliasConfigurationsWhenNone: 'empty' | 'absent';
  private readonly state: EmulatorState;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly log: EmulatorCall[] = [];
  private readonly faults = new Map<ConnectOperation, PendingFault[]>();
  /** Successful ClientTokens: operation + token → the parameters they were first used with. */
  private readonly tokens = new Map<string, string>();

  private constructor(options: ConnectEmulatorOptions) {
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '123456789012';
    this.aliasConfigurationsWhenNone = options.aliasConfigurationsWhenNone ?? 'empty';
    this.quota = options.quota && new TokenBucket(options.quota);
    this.state = new EmulatorState({
      associateExistingError: options.associateExistingError ?? 'ResourceConflictException',
      disassociateAbsentError: options.disassociateAbsentError ?? 'ResourceNotFoundException',
      ruleBrokenError: options.ruleBrokenError ?? 'ResourceConflictException',
    });
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Creates the address, and its instance if new; throws if it exists. */
  addEmailAddress(instanceId: string, emailAddressId: string, emailAddress?: string): void {
    this.state.addEmailAddress(instanceId, emailAddressId, emailAddress);
  }

  /** Associates directly, without a request or a log entry; throws on a broken rule. */
  seedAlias(instanceId: string, primaryId: string, aliasId: string): void {
    this.state.associate(instanceId, primaryId, aliasId);
  }

  /** The aliases forwarding to `primaryId` (at most one); empty if none or unknown. */
  aliasesOf(instanceId: string, primaryId: string): string[] {
    return this.state.aliasesOf(instanceId, primaryId);
  }

  /** The address's tags, as DescribeEmailAddress returns them. */
  tagsOf(instanceId: string, emailAddressId: string): Record<string, string> {
    return { ...this.state.describe(instanceId, emailAddressId).tags };
  }

  /** Tags directly, without a request or a log entry. */
  seedTags(instanceId: string, emailAddressId: string, tags: Record<string, string>): void {
    this.state.tag(instanceId, emailAddressId, tags);
  }

  /** Deletes as DeleteEmailAddress does (alias relationships go too), without a log entry. */
  deleteEmailAddress(instanceId: string, emailAddressId: string): void {
    this.state.deleteEmailAddress(instanceId, emailAddressId);
  }

  deleteInstance(instanceId: string): void {
    this.state.deleteInstance(instanceId);
  }

  get calls(): ReadonlyArray<EmulatorCall> {
    return this.log;
  }

  /** Calls of one operation, in order. */
  callsOf(operation: ConnectOperation): EmulatorCall[] {
    return this.log.filter((call) => call.operation === operation);
  }

  /** Associate and disassociate calls that succeeded (replays included). */
  mutatingCalls(): EmulatorCall[] {
    return this.log.filter(
      (call) =>
        call.status === 200 &&
        (call.operation === 'AssociateEmailAddressAlias' || call.operation === 'DisassociateEmailAddressAlias'),
    );
  }

  /** The next `times` calls of `operation` get the fault (after faults injected before). */
  injectFault(operation: ConnectOperation, fault: Fault): void {
    if (!Number.isInteger(fault.times) || fault.times < 1) {
      throw new Error(`Fault times must be a positive integer, got ${fault.times}.`);
    }
    const queue = this.faults.get(operation) ?? [];
    queue.push({ ...fault, remaining: fault.times });
    this.faults.set(operation, queue);
  }

  /** Drops the log; keeps state, tokens and faults. */
  clearCalls(): void {
    this.log.length = 0;
  }

  /** Drops state, tokens, faults and log. */
  reset(): void {
    this.state.clear();
    this.tokens.clear();
    this.faults.clear();
    this.clearCalls();
  }

  /** Closes the server; open connections, hung ones included, are destroyed. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await closed;
  }

  private async listen(host: string, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const { address, port: chosen } = this.server.address() as AddressInfo;
    this.url = `http://${address.includes(':') ? `[${address}]` : address}:${chosen}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { call, reply } = this.process(req, Buffer.concat(chunks).toString('utf8'));
      if (reply === 'reset') {
        req.socket.resetAndDestroy();
      } else if (reply !== 'hang') {
        send(res, reply);
      }
      const answered = typeof reply === 'object' ? { status: reply.status, errorType: reply.errorType } : {};
      this.log.push({ ...call, ...answered, receivedAt, durationMs: performance.now() - started });
    });
  }

  /** Decides the answer; a 'reset' or 'hang' fault means none. */
  private process(req: IncomingMessage, body: string): { call: LoggedRequest; reply: Reply | 'reset' | 'hang' } {
    let call: LoggedRequest = { operation: 'UnknownOperation', replayed: false };
    try {
      const request = parseRequest(req, body);
      call = { ...request, replayed: false };
      this.checkAuthorization(req.headers.authorization);
      if (this.quota?.tryTake() === false) {
        return { call, reply: errorReply(...FAULT_ERRORS.throttle) };
      }
      const fault = this.takeFault(request);
      if (fault === undefined) {
        const answer = this.execute(request);
        return { call: { ...call, replayed: answer.replayed ?? false }, reply: { status: 200, body: answer.body } };
      }
      if (fault.takesEffect) {
        this.executeRegardless(request);
      }
      call = { ...call, fault: fault.kind };
      return {
        call,
        reply:
          fault.kind === 'reset' || fault.kind === 'hang'
            ? fault.kind
            : errorReply(...(fault.kind === 'lock' && fault.answer ? fault.answer : FAULT_ERRORS[fault.kind])),
      };
    } catch (caught) {
      // A bug of the emulator still gets an answer, and one that names it.
      return caught instanceof ConnectServiceError
        ? { call, reply: errorReply(caught.errorType, caught.message) }
        : { call, reply: errorReply('InternalServiceException', `Emulator failure: ${String(caught)}`) };
    }
  }

  /** For a fault that replaces the answer of a call that took effect (or failed) anyway. */
  private executeRegardless(request: ParsedRequest): void {
    try {
      this.execute(request);
    } catch (caught) {
      if (!(caught instanceof ConnectServiceError)) {
        throw caught;
      }
    }
  }

  private checkAuthorization(authorization: string | undefined): void {
    if (authorization === undefined) {
      throw new ConnectServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const scope = CREDENTIAL_SCOPE.exec(authorization);
    if (scope === null || scope[1] !== this.region || scope[2] !== 'connect') {
      throw new ConnectServiceError(
        'InvalidSignatureException',
        `Credential should be scoped to region ${this.region} and service connect.`,
      );
    }
  }

  private takeFault(request: ParsedRequest): PendingFault | undefined {
    const queue = this.faults.get(request.operation);
    const next = queue?.[0];
    if (next === undefined || (next.aliasEmailAddressId !== undefined && next.aliasEmailAddressId !== request.aliasEmailAddressId)) {
      return undefined;
    }
    next.remaining -= 1;
    if (next.remaining === 0) {
      queue!.shift();
    }
    return next;
  }

  private execute(request: ParsedRequest): Answer {
    const { instanceId, emailAddressId } = request;
    switch (request.operation) {
      case 'DescribeEmailAddress':
        return { body: this.describe(instanceId, emailAddressId) };
      case 'DeleteEmailAddress':
        this.state.deleteEmailAddress(instanceId, emailAddressId);
        return {};
      case 'AssociateEmailAddressAlias':
      case 'DisassociateEmailAddressAlias':
        return this.changeAlias(request);
      case 'TagResource':
        this.state.tag(instanceId, emailAddressId, request.tags ?? {});
        return {};
      case 'UntagResource':
        this.state.untag(instanceId, emailAddressId, Object.keys(request.tags ?? {}));
        return {};
    }
  }

  private describe(instanceId: string, emailAddressId: string): object {
    const record = this.state.describe(instanceId, emailAddressId);
    const aliases = this.state.aliasesOf(instanceId, emailAddressId);
    return {
      EmailAddressId: record.emailAddressId,
      EmailAddressArn: `arn:aws:connect:${this.region}:${this.account}:instance/${instanceId}/email-address/${emailAddressId}`,
      EmailAddress: record.emailAddress,
      DisplayName: record.displayName,
      CreateTimestamp: record.createdAt,
      ModifiedTimestamp: record.createdAt,
      ...(aliases.length > 0 || this.aliasConfigurationsWhenNone === 'empty'
        ? { AliasConfigurations: aliases.map((id) => ({ EmailAddressId: id })) }
        : {}),
      Tags: { ...record.tags },
    };
  }

  /**
   * A known ClientToken with the same parameters replays the first success. With other
   * parameters, associate answers IdempotencyException; disassociate (whose model has no such
   * error) handles the request as a new one.
   */
  private changeAlias(request: ParsedRequest): Answer {
    const { operation, instanceId, emailAddressId, aliasEmailAddressId, clientToken } = request;
    if (aliasEmailAddressId === undefined) {
      throw new ConnectServiceError('InvalidParameterException', 'AliasConfiguration.EmailAddressId is required.');
    }
    const tokenKey = `${operation}\n${clientToken}`;
    const parameters = JSON.stringify([instanceId, emailAddressId, aliasEmailAddressId]);
    const firstUse = clientToken === undefined ? undefined : this.tokens.get(tokenKey);
    if (firstUse === parameters) {
      return { replayed: true };
    }
    if (firstUse !== undefined && operation === 'AssociateEmailAddressAlias') {
      throw new ConnectServiceError(
        'IdempotencyException',
        `ClientToken ${clientToken} was already used with other parameters.`,
      );
    }
    if (operation === 'AssociateEmailAddressAlias') {
      this.state.associate(instanceId, emailAddressId, aliasEmailAddressId);
    } else {
      this.state.disassociate(instanceId, emailAddressId, aliasEmailAddressId);
    }
    if (clientToken !== undefined && firstUse === undefined) {
      this.tokens.set(tokenKey, parameters);
    }
    return {};
  }
}

/** Routes by method and path; the SDK percent-encodes each label (encodeURIComponent). */
function parseRequest(req: IncomingMessage, body: string): ParsedRequest {
  const [path, query = ''] = (req.url ?? '').split('?');
  if (path.startsWith('/tags/')) {
    return parseTagRequest(req.method, path, query, body);
  }
  const segments = path.split('/');
  const [empty, collection, rawInstanceId, rawEmailAddressId, action] = segments;
  const operation =
    empty === '' && collection === 'email-addresses' && segments.length <= 5
      ? operationOf(req.method, action)
      : undefined;
  if (operation === undefined) {
    throw new ConnectServiceError('UnknownOperationException', `No operation at ${req.method} ${path}.`);
  }
  const instanceId = decodeLabel(rawInstanceId, 'InstanceId');
  const emailAddressId = decodeLabel(rawEmailAddressId, 'EmailAddressId');
  if (req.method !== 'POST') {
    return { operation, instanceId, emailAddressId };
  }
  const input = parseBody(body);
  const clientToken = input.ClientToken;
  const aliasEmailAddressId = input.AliasConfiguration?.EmailAddressId;
  if (typeof clientToken === 'string' && clientToken.length > MAX_LENGTH.ClientToken) {
    throw new ConnectServiceError('InvalidParameterException', `ClientToken is longer than ${MAX_LENGTH.ClientToken} characters.`);
  }
  return {
    operation,
    instanceId,
    emailAddressId,
    ...(typeof aliasEmailAddressId === 'string' ? { aliasEmailAddressId } : {}),
    ...(typeof clientToken === 'string' ? { clientToken } : {}),
  };
}

/**
 * TagResource (POST, body `tags`) and UntagResource (DELETE, query `tagKeys`) of an email address,
 * named by its ARN: `arn:…:instance/{InstanceId}/email-address/{EmailAddressId}`.
 */
function parseTagRequest(method: string | undefined, path: string, query: string, body: string): ParsedRequest {
  const arn = decodeURIComponent(path.slice('/tags/'.length));
  const target = /^arn:[^:]+:connect:[^:]+:\d{12}:instance\/([^/]+)\/email-address\/([^/]+)$/.exec(arn);
  if (target === null) {
    throw new ConnectServiceError('InvalidParameterException', `${arn} is not an email address ARN.`);
  }
  const [, instanceId, emailAddressId] = target;
  if (method === 'POST') {
    const tags = (parseBody(body) as { tags?: unknown }).tags;
    if (typeof tags !== 'object' || tags === null) {
      throw new ConnectServiceError('InvalidParameterException', 'tags is required.');
    }
    return { operation: 'TagResource', instanceId, emailAddressId, tags: tags as Record<string, string> };
  }
  if (method === 'DELETE') {
    const keys = new URLSearchParams(query).getAll('tagKeys');
    return { operation: 'UntagResource', instanceId, emailAddressId, tags: Object.fromEntries(keys.map((key) => [key, ''])) };
  }
  throw new ConnectServiceError('UnknownOperationException', `No operation at ${method} ${path}.`);
}

function operationOf(method: string | undefined, action: string | undefined): ConnectOperation | undefined {
  switch (`${method} ${action ?? ''}`) {
    case 'GET ':
      return 'DescribeEmailAddress';
    case 'DELETE ':
      return 'DeleteEmailAddress';
    case 'POST associate-alias':
      return 'AssociateEmailAddressAlias';
    case 'POST disassociate-alias':
      return 'DisassociateEmailAddressAlias';
    default:
      return undefined;
  }
}

function decodeLabel(raw: string | undefined, name: keyof typeof MAX_LENGTH): string {
  let value: string;
  try {
    value = decodeURIComponent(raw ?? '');
  } catch {
    throw new ConnectServiceError('InvalidParameterException', `${name} is not validly percent-encoded.`);
  }
  if (value.length < 1 || value.length > MAX_LENGTH[name]) {
    throw new ConnectServiceError('InvalidParameterException', `${name} must be 1 to ${MAX_LENGTH[name]} characters long.`);
  }
  return value;
}

interface AliasRequestBody {
  readonly AliasConfiguration?: { readonly EmailAddressId?: unknown };
  readonly ClientToken?: unknown;
}

function parseBody(body: string): AliasRequestBody {
  try {
    const parsed: unknown = JSON.parse(body === '' ? '{}' : body);
    if (typeof parsed === 'object' && parsed !== null) {
      return parsed as AliasRequestBody;
    }
  } catch {
    // Answered below, like any other body that is not a JSON object.
  }
  throw new ConnectServiceError('SerializationException', 'The request body is not a JSON object.');
}

function send(res: ServerResponse, reply: Reply): void {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(reply.errorType === undefined ? {} : { 'x-amzn-errortype': reply.errorType }),
  });
  res.end(text);
}

/**
 * The SDK takes the class from `x-amzn-errortype` and `message` from the body's `Message`.
 * The model's `Reason` union only knows attached-file reasons, so the one sent here reaches
 * the caller as `Reason.$unknown`: nothing should depend on it.
 */
function errorReply(errorType: ErrorType, message: string): Reply {
  const reason =
    errorType === 'InvalidRequestException' ? { Reason: { EmailAddressAliasReason: 'INVALID_ALIAS_STATE' } } : {};
  return { status: ERROR_STATUS[errorType], body: { Message: message, ...reason }, errorType };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const portFlag = args.indexOf('--port');
  const port = portFlag === -1 ? 0 : Number(args.splice(portFlag, 2)[1]);
  void ConnectEmulator.start({ port }).then((emulator) => {
    for (const arg of args) {
      const [instanceId, emailAddressId] = arg.split('/');
      if (!instanceId || !emailAddressId) {
        throw new Error(`Expected INSTANCE/EMAIL_ADDRESS_ID, got "${arg}".`);
      }
      emulator.addEmailAddress(instanceId, emailAddressId);
    }
    console.log(`AWS_ENDPOINT_URL_CONNECT=${emulator.endpoint}`);
    const stop = (): void => void emulator.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
