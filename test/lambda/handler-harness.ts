/**
 * Runs the handler for real against local servers: the Connect emulator (the unmodified SDK
 * reaches it over HTTP through AWS_ENDPOINT_URL_CONNECT) and a response receiver standing in
 * for CloudFormation's presigned URL. Every run is checked for what must hold whatever the
 * scenario: one accepted answer, one log line, and no trace of the URL's signature in it.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import type { CustomResourceHandler, HandlerOptions } from '../../lambda';
import { CONNECT_RETRY, RESPONSE_RETRY } from '../../lambda';
import { ALIAS_ID, INSTANCE_ID, PRIMARY_ID, lambdaContext } from '../fixtures/cloudformation-events';
import { TEST_ENVIRONMENT } from '../fixtures/environment';
import { CloudFormationApiEmulator } from '../support/cloudformation-api-emulator';
import { ConnectEmulator, type ConnectEmulatorOptions, type EmulatorCall } from '../support/connect-emulator';
import { NO_SERVICE_ENDPOINT } from '../support/lambda-environment';
import { type ReceivedRequest, ResponseReceiver } from '../support/response-receiver';

/** Addresses every test starts with, none of them associated. */
export const OTHER_PRIMARY_ID = 'other-primary-address';
export const OTHER_ALIAS_ID = 'other-alias-address';

/** Production policies with waits and windows of milliseconds, so the suite runs in seconds. */
export const FAST_RETRIES: HandlerOptions = {
  connectRetry: {
    backoff: { ...CONNECT_RETRY.backoff, baseDelayMs: 5, maxDelayMs: 40, minAttemptMs: 200 },
    accessDeniedWindowMs: 300,
    contentionWindowMs: 400,
  },
  responseRetry: { ...RESPONSE_RETRY, baseDelayMs: 5, maxDelayMs: 40, minAttemptMs: 50 },
  // A quota of 2,000 requests/s: the pace never holds a test up.
  pacer: { ceiling: 1_000, floor: 50, decrease: 0.7, increase: 10, burst: 3 },
};

/** What CloudFormation reads from the accepted PUT. */
export interface ResponseBody {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export interface HandlerRun {
  readonly event: CloudFormationCustomResourceEvent;
  readonly response: ResponseBody;
  /** Every request that reached the event's ResponseURL, refused ones included. */
  readonly responseRequests: ReceivedRequest[];
  /** The Connect requests of this run, in order. */
  readonly calls: EmulatorCall[];
  /** The run's one log line, parsed. */
  readonly log: Record<string, unknown>;
  /** When the invocation's deadline was (epoch milliseconds). */
  readonly deadline: number;
}

export interface RunOptions {
  /**
   * Stages what CloudFormation's API says about the resource during the run.
   * @default the resource waiting for the event's request
   */
  readonly stage?: (event: CloudFormationCustomResourceEvent, cloudFormation: CloudFormationApiEmulator) => void;
}

export interface HarnessOptions {
  readonly emulator?: ConnectEmulatorOptions;
  readonly handler?: HandlerOptions;
}

export class HandlerHarness {
  emulator!: ConnectEmulator;
  cloudFormation!: CloudFormationApiEmulator;
  receiver!: ResponseReceiver;
  handler!: CustomResourceHandler;

  /** Makes CloudFormation's API show the resource as it does while it waits for `event`. */
  static awaiting(event: CloudFormationCustomResourceEvent, cloudFormation: CloudFormationApiEmulator): void {
    cloudFormation.awaiting(event);
  }

  /**
   * Builds the event with a fresh presigned-style ResponseURL, invokes the handler with
   * `remainingMs` until its deadline, and returns what came of it.
   */
  async run(
    build: (responseUrl: string) => CloudFormationCustomResourceEvent,
    remainingMs = 10_000,
    { stage = HandlerHarness.awaiting }: RunOptions = {},
  ): Promise<HandlerRun> {
    const signature = randomBytes(16).toString('hex');
    const path = `/cfn-response/${randomBytes(8).toString('hex')}`;
    const event = build(this.receiver.urlFor(path, signature));
    stage(event, this.cloudFormation);
    const callsBefore = this.emulator.calls.length;
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    const deadline = Date.now() + remainingMs;
    try {
      await expect(this.handler(event, lambdaContext(remainingMs))).resolves.toBeUndefined();
    } finally {
      spy.mockRestore();
    }

    const responseRequests = this.receiver.requestsTo(path);
    // One answer: a PUT try acknowledged late is sent again, the same body, as S3 overwrites it.
    const accepted = responseRequests.filter((request) => request.answeredWith === 200);
    expect(accepted.length).toBeGreaterThan(0);
    expect(new Set(accepted.map((request) => request.body)).size).toBe(1);
    expect(lines).toHaveLength(1);
    for (const secret of [signature, 'X-Amz-Signature', 'X-Amz-Expires']) {
      expect(lines[0]).not.toContain(secret);
    }
    return {
      event,
      response: JSON.parse(accepted[0].body),
      responseRequests,
      calls: this.emulator.calls.slice(callsBefore),
      log: JSON.parse(lines[0]),
      deadline,
    };
  }
}

/**
 * A harness for the tests of the enclosing describe block: its own emulator, receiver and a
 * freshly loaded handler module (so its once-per-container Connect client points at this
 * emulator). Every test starts from four unassociated addresses in INSTANCE_ID.
 */
export function useHandlerHarness(options: HarnessOptions = {}): HandlerHarness {
  const harness = new HandlerHarness();
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    harness.emulator = await ConnectEmulator.start(options.emulator);
    harness.cloudFormation = await CloudFormationApiEmulator.start();
    harness.receiver = await ResponseReceiver.start();
    // What Lambda sets, pointed at the emulator; nothing of this machine's AWS set-up.
    const environment: Record<string, string> = {
      AWS_REGION: TEST_ENVIRONMENT.region,
      AWS_ACCESS_KEY_ID: 'AKIAHANDLERTEST00001',
      AWS_SECRET_ACCESS_KEY: 'handler-test-secret-access-key',
      AWS_ENDPOINT_URL: NO_SERVICE_ENDPOINT,
      AWS_ENDPOINT_URL_CONNECT: harness.emulator.endpoint,
      AWS_ENDPOINT_URL_CLOUDFORMATION: harness.cloudFormation.endpoint,
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    };
    for (const [name, value] of Object.entries(environment)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    jest.isolateModules(() => {
      const lambda: typeof import('../../lambda') = require('../../lambda');
      harness.handler = lambda.createHandler({ ...FAST_RETRIES, ...options.handler });
    });
  });

  beforeEach(() => {
    harness.emulator.reset();
    harness.receiver.reset();
    for (const id of [PRIMARY_ID, ALIAS_ID, OTHER_PRIMARY_ID, OTHER_ALIAS_ID]) {
      harness.emulator.addEmailAddress(INSTANCE_ID, id);
    }
  });

  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
    await Promise.all([harness.emulator?.stop(), harness.cloudFormation?.stop(), harness.receiver?.stop()]);
  });

  return harness;
}

/** The emulator's two answers for each undocumented case, for `describe.each`. */
export const UNDOCUMENTED_ERROR_CHOICES: ReadonlyArray<[string, ConnectEmulatorOptions]> = [
  [
    'ResourceConflictException / ResourceNotFoundException',
    {
      associateExistingError: 'ResourceConflictException',
      disassociateAbsentError: 'ResourceNotFoundException',
      ruleBrokenError: 'ResourceConflictException',
    },
  ],
  [
    'InvalidRequestException',
    {
      associateExistingError: 'InvalidRequestException',
      disassociateAbsentError: 'InvalidRequestException',
      ruleBrokenError: 'InvalidRequestException',
      aliasConfigurationsWhenNone: 'absent',
    },
  ],
];

/** The operations of some calls, for comparing call sequences. */
export function operationsOf(calls: ReadonlyArray<EmulatorCall>): string[] {
  return calls.map((call) => call.operation);
}
