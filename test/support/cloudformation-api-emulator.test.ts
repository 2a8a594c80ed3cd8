import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudFormationApiEmulator,
  type CloudFormationApiEmulatorOptions,
  type CloudFormationFaultKind,
} from './cloudformation-api-emulator';
import { stackArn } from './cloudformation-api-state';
import { failureOf } from './failure-of';
import { localLambdaEnvironment } from './lambda-environment';
import { withEnvironment } from './scoped-environment';

const STACK = stackArn('AliasStack', { uuid: '5f0a1c2e-0000-4000-8000-000000000001' });
const ALIAS = 'SupportAlias1A2B3C4D';

/** Fake credentials: the emulator checks the credential scope, not the signature. */
const CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 1,
};

/** A clock a test moves by hand, so every timestamp is known in advance. */
function manualClock(start: string): { now: () => Date; set: (iso: string) => void } {
  let current = new Date(start);
  return { now: () => new Date(current), set: (iso) => (current = new Date(iso)) };
}

/** The SDK's error for a call that must fail. */
function serviceFailureOf(call: Promise<unknown>): Promise<CloudFormationServiceException> {
  return failureOf<CloudFormationServiceException>(call);
}

describe('CloudFormationApiEmulator', () => {
  const clock = manualClock('2025-03-01T10:00:00.123Z');
  let emulator: CloudFormationApiEmulator;
  let client: CloudFormationClient;

  async function restart(options: CloudFormationApiEmulatorOptions): Promise<void> {
    client.destroy();
    await emulator.stop();
    await start(options);
  }

  async function start(options: CloudFormationApiEmulatorOptions = {}): Promise<void> {
    emulator = await CloudFormationApiEmulator.start({ now: clock.now, ...options });
    client = new CloudFormationClient({ ...CLIENT_CONFIG, endpoint: emulator.endpoint });
    emulator.state.putStack(STACK, 'UPDATE_IN_PROGRESS');
  }

  function describeResource(logicalId = ALIAS, stackName = STACK) {
    return client.send(new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: logicalId }));
  }

  function describeStack(stackName = STACK) {
    return client.send(new DescribeStacksCommand({ StackName: stackName }));
  }

  beforeEach(async () => {
    clock.set('2025-03-01T10:00:00.123Z');
    await start();
  });

  afterEach(async () => {
    client.destroy();
    await emulator.stop();
  });

  describe('answers', () => {
    test('DescribeStackResource: the detail, its timestamp a Date to the millisecond', async () => {
      clock.set('2025-03-01T10:05:30.456Z');
      emulator.state.setResource(STACK, ALIAS, {
        status: 'UPDATE_IN_PROGRESS',
        physicalResourceId: 'alias-physical-id',
        reason: 'Requested update',
      });

      const out = await describeResource();
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(out.StackResourceDetail).toMatchObject({
        StackName: 'AliasStack',
        StackId: STACK,
        LogicalResourceId: ALIAS,
        PhysicalResourceId: 'alias-physical-id',
        ResourceType: 'Custom::ConnectEmailAddressAlias',
        ResourceStatus: 'UPDATE_IN_PROGRESS',
        ResourceStatusReason: 'Requested update',
      });
      expect(out.StackResourceDetail?.LastUpdatedTimestamp).toEqual(new Date('2025-03-01T10:05:30.456Z'));
    });

    test('a resource without physical ID or reason comes without them', async () => {
      emulator.state.setResource(STACK, ALIAS, { status: 'CREATE_IN_PROGRESS' });
      const detail = (await describeResource()).StackResourceDetail;
      expect(detail?.ResourceStatus).toBe('CREATE_IN_PROGRESS');
      expect(detail).not.toHaveProperty('PhysicalResourceId');
      expect(detail).not.toHaveProperty('ResourceStatusReason');
    });

    test('a later change keeps the physical ID and type, drops the reason and restamps the time', async () => {
      emulator.state.setResource(STACK, ALIAS, { status: 'CREATE_FAILED', physicalResourceId: 'p-1', type: 'Custom::Other', reason: 'no' });
      clock.set('2025-03-01T11:00:00.000Z');
      emulator.state.setResource(STACK, ALIAS, { status: 'DELETE_IN_PROGRESS' });

      const detail = (await describeResource()).StackResourceDetail;
      expect(detail).toMatchObject({ ResourceStatus: 'DELETE_IN_PROGRESS', PhysicalResourceId: 'p-1', ResourceType: 'Custom::Other' });
      expect(detail).not.toHaveProperty('ResourceStatusReason');
      expect(detail?.LastUpdatedTimestamp).toEqual(new Date('2025-03-01T11:00:00.000Z'));
    });

    test('DescribeStacks by ARN and by name: status and creation time', async () => {
      emulator.state.setStackStatus(STACK, 'UPDATE_ROLLBACK_IN_PROGRESS');
      for (const name of [STACK, 'AliasStack']) {
        const stacks = (await describeStack(name)).Stacks;
        expect(stacks).toEqual([
          expect.objectContaining({
            StackName: 'AliasStack',
            StackId: STACK,
            StackStatus: 'UPDATE_ROLLBACK_IN_PROGRESS',
            CreationTime: new Date('2025-03-01T10:00:00.123Z'),
          }),
        ]);
      }
    });

    test('DescribeStacks without a name lists the stacks not deleted', async () => {
      const other = stackArn('OtherStack');
      const gone = stackArn('GoneStack');
      emulator.state.putStack(other, 'CREATE_COMPLETE');
      emulator.state.putStack(gone, 'CREATE_COMPLETE');
      emulator.state.deleteStack(gone);
      const ids = (await client.send(new DescribeStacksCommand({}))).Stacks?.map((stack) => stack.StackId);
      expect(ids).toEqual([STACK, other]);
    });

    test('names and reasons with XML characters arrive intact', async () => {
      emulator.state.setResource(STACK, 'Odd', { status: 'UPDATE_FAILED', reason: `a < b & "c" > 'd'` });
      expect((await describeResource('Odd')).StackResourceDetail?.ResourceStatusReason).toBe(`a < b & "c" > 'd'`);
    });

    test('AWS_ENDPOINT_URL_CLOUDFORMATION of the local Lambda environment reaches the emulator', async () => {
      const { AWS_ENDPOINT_URL_CLOUDFORMATION } = localLambdaEnvironment('http://127.0.0.1:9', emulator.endpoint);
      const stacks = await withEnvironment({ AWS_ENDPOINT_URL_CLOUDFORMATION }, async () => {
        const envClient = new CloudFormationClient(CLIENT_CONFIG);
        try {
          return (await envClient.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks;
        } finally {
          envClient.destroy();
        }
      });
      expect(stacks?.[0].StackId).toBe(STACK);
    });

    test('::1 works as host', async () => {
      await restart({ host: '::1' });
      expect(emulator.endpoint).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect((await describeStack()).Stacks?.[0].StackId).toBe(STACK);
    });

    test('the local Lambda environment names no CloudFormation endpoint unless given one', () => {
      expect(localLambdaEnvironment('http://127.0.0.1:9')).not.toHaveProperty('AWS_ENDPOINT_URL_CLOUDFORMATION');
    });
  });

  describe('ValidationError, HTTP 400', () => {
    async function expectValidationError(call: Promise<unknown>, message: string): Promise<void> {
      const error = await serviceFailureOf(call);
      expect(error).toBeInstanceOf(CloudFormationServiceException);
      expect(error.name).toBe('ValidationError');
      expect(error.$fault).toBe('client');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(message);
    }

    test('unknown stack, for both operations', async () => {
      const unknown = stackArn('Nope', { uuid: '00000000-0000-4000-8000-000000000000' });
      await expectValidationError(describeResource(ALIAS, unknown), `Stack with id ${unknown} does not exist`);
      await expectValidationError(describeStack(unknown), `Stack with id ${unknown} does not exist`);
    });

    test('unknown resource, and one the stack no longer lists', async () => {
      await expectValidationError(describeResource(), `Resource ${ALIAS} does not exist for stack ${STACK}`);
      emulator.state.setResource(STACK, ALIAS, { status: 'UPDATE_COMPLETE' });
      emulator.state.removeResource(STACK, ALIAS);
      await expectValidationError(describeResource(), `Resource ${ALIAS} does not exist for stack ${STACK}`);
    });

    test('a stack of another region is unknown here', async () => {
      const elsewhere = stackArn('AliasStack', { region: 'eu-west-1' });
      emulator.state.putStack(elsewhere, 'CREATE_COMPLETE');
      await expectValidationError(describeStack(elsewhere), `Stack with id ${elsewhere} does not exist`);
    });

    test('a missing parameter, in the service wording', async () => {
      await expectValidationError(
        client.send(new DescribeStackResourceCommand({ StackName: STACK } as never)),
        "1 validation error detected: Value null at 'logicalResourceId' failed to satisfy constraint: Member must not be null",
      );
    });
  });

  describe('a deleted stack named by its ARN', () => {
    beforeEach(() => {
      emulator.state.setResource(STACK, ALIAS, { status: 'DELETE_IN_PROGRESS', physicalResourceId: 'p-1', reason: 'deleting' });
      emulator.state.setResource(STACK, 'Retained', { status: 'DELETE_SKIPPED' });
      clock.set('2025-03-01T12:00:00.000Z');
      emulator.state.deleteStack(STACK);
    });

    test("'listed-as-deleted' (the default): DELETE_COMPLETE, resources too but the retained ones", async () => {
      expect((await describeStack()).Stacks?.[0].StackStatus).toBe('DELETE_COMPLETE');
      const detail = (await describeResource()).StackResourceDetail;
      expect(detail).toMatchObject({ ResourceStatus: 'DELETE_COMPLETE', PhysicalResourceId: 'p-1' });
      expect(detail).not.toHaveProperty('ResourceStatusReason');
      expect(detail?.LastUpdatedTimestamp).toEqual(new Date('2025-03-01T12:00:00.000Z'));
      expect((await describeResource('Retained')).StackResourceDetail?.ResourceStatus).toBe('DELETE_SKIPPED');
    });

    test('by name it is unknown, as CloudFormation resolves names to stacks not deleted', async () => {
      const error = await serviceFailureOf(describeStack('AliasStack'));
      expect(error.name).toBe('ValidationError');
      expect(error.message).toBe('Stack with id AliasStack does not exist');
    });

    test("'does-not-exist': ValidationError for both operations", async () => {
      await restart({ deletedStack: 'does-not-exist' });
      emulator.state.deleteStack(STACK);
      for (const call of [describeStack(), describeResource()]) {
        const error = await serviceFailureOf(call);
        expect(error.name).toBe('ValidationError');
        expect(error.$metadata.httpStatusCode).toBe(400);
        expect(error.message).toBe(`Stack with id ${STACK} does not exist`);
      }
    });
  });

  describe('faults', () => {
    beforeEach(() => {
      emulator.state.setResource(STACK, ALIAS, { status: 'UPDATE_IN_PROGRESS' });
    });

    test.each<[CloudFormationFaultKind, string, number, 'client' | 'server', RegExp]>([
      ['throttle', 'Throttling', 400, 'client', /^Rate exceeded$/],
      ['accessDenied', 'AccessDenied', 403, 'client', /is not authorized to perform: cloudformation:DescribeStackResource on resource: arn:/],
      ['serverError', 'InternalFailure', 500, 'server', /unknown error/],
    ])('%s: %s, HTTP %d', async (kind, name, status, fault, message) => {
      emulator.injectFault('DescribeStackResource', { kind, times: 1 });
      const error = await serviceFailureOf(describeResource());
      expect(error.name).toBe(name);
      expect(error.$fault).toBe(fault);
      expect(error.$metadata.httpStatusCode).toBe(status);
      expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(error.message).toMatch(message);
    });

    test('a fault answers its count of calls of its operation only, in the order injected', async () => {
      emulator.injectFault('DescribeStackResource', { kind: 'throttle', times: 2 });
      emulator.injectFault('DescribeStackResource', { kind: 'serverError', times: 1 });

      expect((await describeStack()).Stacks).toHaveLength(1);
      const names = [];
      for (let call = 0; call < 3; call++) {
        names.push((await serviceFailureOf(describeResource())).name);
      }
      expect(names).toEqual(['Throttling', 'Throttling', 'InternalFailure']);
      expect((await describeResource()).StackResourceDetail?.ResourceStatus).toBe('UPDATE_IN_PROGRESS');
    });

    test('a count that is not a positive integer is refused', () => {
      expect(() => emulator.injectFault('DescribeStacks', { kind: 'throttle', times: 0 })).toThrow(/positive integer/);
    });
  });

  describe('calls and requests', () => {
    test('each call is recorded with its parameters, status, error code and fault', async () => {
      emulator.injectFault('DescribeStacks', { kind: 'throttle', times: 1 });
      await serviceFailureOf(describeStack());
      await describeStack();
      await serviceFailureOf(describeResource());

      expect(emulator.calls).toEqual([
        { operation: 'DescribeStacks', params: { StackName: STACK }, status: 400, errorCode: 'Throttling', fault: 'throttle' },
        { operation: 'DescribeStacks', params: { StackName: STACK }, status: 200 },
        {
          operation: 'DescribeStackResource',
          params: { StackName: STACK, LogicalResourceId: ALIAS },
          status: 400,
          errorCode: 'ValidationError',
        },
      ]);
    });

    test('a client signing for another region is refused, and uses no fault', async () => {
      emulator.injectFault('DescribeStacks', { kind: 'serverError', times: 1 });
      const regional = new CloudFormationClient({ ...CLIENT_CONFIG, region: 'eu-west-1', endpoint: emulator.endpoint });
      const error = await serviceFailureOf(regional.send(new DescribeStacksCommand({ StackName: STACK })));
      regional.destroy();
      expect(error.name).toBe('SignatureDoesNotMatch');
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect((await serviceFailureOf(describeStack())).name).toBe('InternalFailure');
    });

    /** A request the SDK would not send: raw form body, optional signature scope. */
    function post(body: string, authorization?: string): Promise<Response> {
      return fetch(emulator.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
        body,
      });
    }

    test('an action other than the two is InvalidAction', async () => {
      const answer = await post(
        'Action=DeleteStack&Version=2010-05-15&StackName=AliasStack',
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250301/us-east-1/cloudformation/aws4_request, SignedHeaders=host, Signature=0',
      );
      expect(answer.status).toBe(400);
      expect(await answer.text()).toContain('<Code>InvalidAction</Code>');
      expect(emulator.calls).toEqual([
        { operation: 'UnknownOperation', params: { StackName: 'AliasStack' }, status: 400, errorCode: 'InvalidAction' },
      ]);
    });

    test('an unsigned request is MissingAuthenticationToken', async () => {
      const answer = await post(`Action=DescribeStacks&Version=2010-05-15&StackName=${encodeURIComponent(STACK)}`);
      expect(answer.status).toBe(403);
      expect(await answer.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    });
  });

  describe('state', () => {
    test('refuses what no stack could be: a malformed ARN, a second stack of one ARN, an unknown stack', () => {
      expect(() => emulator.state.putStack('AliasStack', 'CREATE_COMPLETE')).toThrow(/not a stack ARN/);
      expect(() => emulator.state.putStack(STACK, 'CREATE_COMPLETE')).toThrow(/already exists/);
      const unknown = stackArn('Nope');
      expect(() => emulator.state.setResource(unknown, ALIAS, { status: 'CREATE_COMPLETE' })).toThrow(/putStack it first/);
      expect(() => emulator.state.removeResource(STACK, ALIAS)).toThrow(/has no resource/);
    });
  });
});
