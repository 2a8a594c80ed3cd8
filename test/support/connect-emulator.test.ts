import {
  AccessDeniedException,
  AssociateEmailAddressAliasCommand,
  ConnectClient,
  ConnectServiceException,
  DeleteEmailAddressCommand,
  DescribeEmailAddressCommand,
  DisassociateEmailAddressAliasCommand,
  IdempotencyException,
  InternalServiceException,
  InvalidParameterException,
  InvalidRequestException,
  ResourceConflictException,
  ResourceNotFoundException,
  TagResourceCommand,
  ThrottlingException,
  UntagResourceCommand,
} from '@aws-sdk/client-connect';
import { BLOCKED_ANSWERS, ConnectEmulator, type ConnectEmulatorOptions } from './connect-emulator';
import { waitFor } from './wait-for';

const INSTANCE = 'instance-1';

/** Fake credentials: the emulator checks the credential scope, not the signature. */
const CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 1,
};

function clientFor(emulator: ConnectEmulator, overrides: Partial<typeof CLIENT_CONFIG> = {}): ConnectClient {
  return new ConnectClient({ ...CLIENT_CONFIG, endpoint: emulator.endpoint, ...overrides });
}

function aliasInput(primary: string, alias: string, clientToken?: string) {
  return { InstanceId: INSTANCE, EmailAddressId: primary, AliasConfiguration: { EmailAddressId: alias }, ClientToken: clientToken };
}

function associate(client: ConnectClient, ...input: Parameters<typeof aliasInput>) {
  return client.send(new AssociateEmailAddressAliasCommand(aliasInput(...input)));
}

function disassociate(client: ConnectClient, ...input: Parameters<typeof aliasInput>) {
  return client.send(new DisassociateEmailAddressAliasCommand(aliasInput(...input)));
}

function describe_(client: ConnectClient, emailAddressId: string, instanceId = INSTANCE) {
  return client.send(new DescribeEmailAddressCommand({ InstanceId: instanceId, EmailAddressId: emailAddressId }));
}

/** The rejection of `promise`, which must reject. */
async function failureOf(promise: Promise<unknown>): Promise<ConnectServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as ConnectServiceException;
  }
  throw new Error('expected the call to fail');
}

describe('ConnectEmulator', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;

  async function restart(options: ConnectEmulatorOptions): Promise<void> {
    await emulator.stop();
    emulator = await ConnectEmulator.start(options);
    client = clientFor(emulator);
    seed();
  }

  function seed(): void {
    for (const id of ['primary', 'alias', 'other', 'third']) {
      emulator.addEmailAddress(INSTANCE, id);
    }
  }

  beforeEach(async () => {
    emulator = await ConnectEmulator.start();
    client = clientFor(emulator);
    seed();
  });

  afterEach(async () => {
    client.destroy();
    await emulator.stop();
  });

  describe('success shapes', () => {
    test('DescribeEmailAddress without alias', async () => {
      const out = await describe_(client, 'primary');
      expect(out).toMatchObject({
        EmailAddressId: 'primary',
        EmailAddressArn: 'arn:aws:connect:us-east-1:123456789012:instance/instance-1/email-address/primary',
        EmailAddress: 'primary@example.com',
        DisplayName: 'primary',
        AliasConfigurations: [],
        Tags: {},
      });
      expect(out.CreateTimestamp).toEqual(expect.any(String));
      expect(out.ModifiedTimestamp).toEqual(out.CreateTimestamp);
      expect(out.$metadata.httpStatusCode).toBe(200);
    });

    test('associate, describe, disassociate', async () => {
      const associated = await associate(client, 'primary', 'alias');
      expect(associated.$metadata.httpStatusCode).toBe(200);
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual(['alias']);
      expect((await describe_(client, 'primary')).AliasConfigurations).toEqual([{ EmailAddressId: 'alias' }]);
      // The alias side does not list its primary.
      expect((await describe_(client, 'alias')).AliasConfigurations).toEqual([]);

      await disassociate(client, 'primary', 'alias');
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual([]);
      // A new association of the same pair may follow at once.
      await associate(client, 'primary', 'alias');
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual(['alias']);
    });

    test('aliasConfigurationsWhenNone "absent" omits the field; the SDK leaves it undefined', async () => {
      await restart({ aliasConfigurationsWhenNone: 'absent', region: 'eu-west-2', account: '111122223333' });
      const out = await failureOf(describe_(client, 'primary'));
      expect(out.name).toBe('InvalidSignatureException');

      const regional = clientFor(emulator, { region: 'eu-west-2' });
      const described = await describe_(regional, 'primary');
      expect(described).not.toHaveProperty('AliasConfigurations');
      expect(described.EmailAddressArn).toBe(
        'arn:aws:connect:eu-west-2:111122223333:instance/instance-1/email-address/primary',
      );
      regional.destroy();
    });

    test('labels arrive percent-encoded and are decoded, body carries alias and token', async () => {
      const odd = 'a/b c+ä?%';
      emulator.addEmailAddress('in st/1', odd);
      emulator.addEmailAddress('in st/1', 'x');
      await client.send(
        new AssociateEmailAddressAliasCommand({
          InstanceId: 'in st/1',
          EmailAddressId: odd,
          AliasConfiguration: { EmailAddressId: 'x' },
          ClientToken: 'token-1',
        }),
      );
      expect(emulator.aliasesOf('in st/1', odd)).toEqual(['x']);
      expect(emulator.calls.at(-1)).toMatchObject({
        operation: 'AssociateEmailAddressAlias',
        instanceId: 'in st/1',
        emailAddressId: odd,
        aliasEmailAddressId: 'x',
        clientToken: 'token-1',
        status: 200,
      });
    });

    test('the SDK fills a ClientToken when none is given', async () => {
      await associate(client, 'primary', 'alias');
      expect(emulator.calls[0].clientToken).toMatch(/^[0-9a-f-]{36}$/);
    });

    test('AWS_ENDPOINT_URL_CONNECT reaches the emulator with default endpoint resolution', async () => {
      const saved = process.env.AWS_ENDPOINT_URL_CONNECT;
      process.env.AWS_ENDPOINT_URL_CONNECT = emulator.endpoint;
      try {
        const envClient = new ConnectClient(CLIENT_CONFIG);
        expect((await describe_(envClient, 'primary')).EmailAddressId).toBe('primary');
        envClient.destroy();
      } finally {
        if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_CONNECT;
        else process.env.AWS_ENDPOINT_URL_CONNECT = saved;
      }
    });

    test('::1 works as host', async () => {
      await restart({ host: '::1' });
      expect(emulator.endpoint).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect((await describe_(client, 'primary')).EmailAddressId).toBe('primary');
    });
  });

  describe('rules', () => {
    test.each([
      ['unknown instance', () => describe_(client, 'primary', 'nope')],
      ['unknown address', () => describe_(client, 'nope')],
      ['unknown primary on associate', () => associate(client, 'nope', 'alias')],
      ['alias not in the instance', () => associate(client, 'primary', 'nope')],
      ['unknown alias on disassociate', () => disassociate(client, 'primary', 'nope')],
      ['delete of an unknown address', () => client.send(new DeleteEmailAddressCommand({ InstanceId: INSTANCE, EmailAddressId: 'nope' }))],
    ])('%s: 404 ResourceNotFoundException', async (_, call) => {
      const error = await failureOf(call());
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.$fault).toBe('client');
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect(error.message).toMatch(/not found/);
    });

    test('alias in another instance is not found', async () => {
      emulator.addEmailAddress('instance-2', 'elsewhere');
      const error = await failureOf(associate(client, 'primary', 'elsewhere'));
      expect(error).toBeInstanceOf(ResourceNotFoundException);
    });

    test('an address cannot be its own alias: 400 InvalidParameterException', async () => {
      const error = await failureOf(associate(client, 'primary', 'primary'));
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.$fault).toBe('client');
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    test.each([
      ['an InstanceId over 100 characters', () => describe_(client, 'primary', 'i'.repeat(101))],
      ['an EmailAddressId over 500 characters', () => describe_(client, 'e'.repeat(501))],
      ['a ClientToken over 500 characters', () => associate(client, 'primary', 'alias', 't'.repeat(501))],
      // The SDK does not check required members itself: the request goes out without it.
      [
        'no AliasConfiguration',
        () =>
          client.send(
            new AssociateEmailAddressAliasCommand({ ...aliasInput('primary', 'alias'), AliasConfiguration: undefined }),
          ),
      ],
    ])('%s: 400 InvalidParameterException', async (_, call) => {
      expect(await failureOf(call())).toBeInstanceOf(InvalidParameterException);
    });

    test.each([
      ['a second alias', 'primary', 'other', /already has an alias \(alias\)/],
      ['an alias of an alias', 'alias', 'other', /is an alias of primary and cannot have an alias/],
      ['an address with an alias as alias', 'other', 'primary', /has an alias \(alias\) and cannot be an alias/],
      ['an alias of two primaries', 'other', 'alias', /already an alias of email address primary/],
    ])('%s: 409 ResourceConflictException', async (_, primary, alias, message) => {
      emulator.seedAlias(INSTANCE, 'primary', 'alias');
      const error = await failureOf(associate(client, primary, alias));
      expect(error).toBeInstanceOf(ResourceConflictException);
      expect(error.$fault).toBe('client');
      expect(error.$metadata.httpStatusCode).toBe(409);
      expect(error.message).toMatch(message);
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual(['alias']);
    });

    test('seedAlias enforces the same rules', () => {
      emulator.seedAlias(INSTANCE, 'primary', 'alias');
      expect(() => emulator.seedAlias(INSTANCE, 'alias', 'other')).toThrow(/cannot have an alias/);
      expect(() => emulator.addEmailAddress(INSTANCE, 'primary')).toThrow(/already exists/);
      expect(emulator.calls).toEqual([]);
    });

    test('DeleteEmailAddress removes the relationships of a primary and of an alias', async () => {
      emulator.seedAlias(INSTANCE, 'primary', 'alias');
      await client.send(new DeleteEmailAddressCommand({ InstanceId: INSTANCE, EmailAddressId: 'alias' }));
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual([]);
      expect(await failureOf(describe_(client, 'alias'))).toBeInstanceOf(ResourceNotFoundException);

      emulator.seedAlias(INSTANCE, 'primary', 'other');
      await client.send(new DeleteEmailAddressCommand({ InstanceId: INSTANCE, EmailAddressId: 'primary' }));
      // 'other' is free again: it can now take an alias.
      await associate(client, 'other', 'third');
      expect(emulator.aliasesOf(INSTANCE, 'other')).toEqual(['third']);
    });

    test('deleteInstance makes everything in it unknown', async () => {
      emulator.deleteInstance(INSTANCE);
      const error = await failureOf(describe_(client, 'primary'));
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.message).toMatch(/Instance instance-1 not found/);
    });
  });

  describe('undocumented errors', () => {
    test('defaults: existing pair → ResourceConflictException, absent pair → ResourceNotFoundException', async () => {
      emulator.seedAlias(INSTANCE, 'primary', 'alias');
      expect(await failureOf(associate(client, 'primary', 'alias'))).toBeInstanceOf(ResourceConflictException);
      expect(await failureOf(disassociate(client, 'primary', 'other'))).toBeInstanceOf(ResourceNotFoundException);
    });

    test('a broken rule: ResourceConflictException by default, or the class chosen', async () => {
      emulator.seedAlias(INSTANCE, 'primary', 'alias');
      expect(await failureOf(associate(client, 'primary', 'other'))).toBeInstanceOf(ResourceConflictException);
      await restart({ ruleBrokenError: 'InvalidRequestException' });
      emulator.seedAlias(INSTANCE, 'primary', 'alias');
      const error = await failureOf(associate(client, 'primary', 'other'));
      expect(error).toBeInstanceOf(InvalidRequestException);
      expect(error.message).toMatch(/already has an alias/);
    });

    test('InvalidRequestException for both, with a Reason the SDK does not know', async () => {
      await restart({ associateExistingError: 'InvalidRequestException', disassociateAbsentError: 'InvalidRequestException' });
      emulator.seedAlias(INSTANCE, 'primary', 'alias');
      for (const call of [associate(client, 'primary', 'alias'), disassociate(client, 'other', 'third')]) {
        const error = await failureOf(call);
        expect(error).toBeInstanceOf(InvalidRequestException);
        expect(error.$metadata.httpStatusCode).toBe(400);
        expect((error as InvalidRequestException).Reason).toEqual({
          $unknown: ['EmailAddressAliasReason', 'INVALID_ALIAS_STATE'],
        });
      }
    });
  });

  describe('tags', () => {
    const arn = (id: string) => `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE}/email-address/${id}`;

    test('TagResource and UntagResource by ARN; DescribeEmailAddress returns the tags', async () => {
      await client.send(new TagResourceCommand({ resourceArn: arn('primary'), tags: { a: '1', b: '2' } }));
      expect((await describe_(client, 'primary')).Tags).toEqual({ a: '1', b: '2' });
      await client.send(new UntagResourceCommand({ resourceArn: arn('primary'), tagKeys: ['a', 'missing'] }));
      expect((await describe_(client, 'primary')).Tags).toEqual({ b: '2' });
      expect(emulator.tagsOf(INSTANCE, 'primary')).toEqual({ b: '2' });
      expect(emulator.calls.map((call) => call.operation)).toEqual(['TagResource', 'DescribeEmailAddress', 'UntagResource', 'DescribeEmailAddress']);
    });

    test('an unknown address is not found; more than 50 tags are refused', async () => {
      expect(await failureOf(client.send(new TagResourceCommand({ resourceArn: arn('nobody'), tags: { a: '1' } })))).toBeInstanceOf(
        ResourceNotFoundException,
      );
      const many = Object.fromEntries(Array.from({ length: 51 }, (_, n) => [`k${n}`, 'v']));
      expect(await failureOf(client.send(new TagResourceCommand({ resourceArn: arn('primary'), tags: many })))).toBeInstanceOf(
        InvalidParameterException,
      );
    });
  });

  describe('ClientToken', () => {
    test('a replay with the same parameters succeeds without changing the state again', async () => {
      await associate(client, 'primary', 'alias', 'token-a');
      emulator.deleteEmailAddress(INSTANCE, 'alias');
      emulator.addEmailAddress(INSTANCE, 'alias');
      await associate(client, 'primary', 'alias', 'token-a');
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual([]);
      expect(emulator.calls.map((call) => call.replayed)).toEqual([false, true]);
    });

    test('associate: the same token with other parameters → 409 IdempotencyException', async () => {
      await associate(client, 'primary', 'alias', 'token-a');
      const error = await failureOf(associate(client, 'other', 'third', 'token-a'));
      expect(error).toBeInstanceOf(IdempotencyException);
      expect(error.$fault).toBe('client');
      expect(error.$metadata.httpStatusCode).toBe(409);
      expect(emulator.aliasesOf(INSTANCE, 'other')).toEqual([]);
    });

    test('a failed request does not consume its token; tokens are per operation', async () => {
      expect(await failureOf(associate(client, 'primary', 'nope', 'token-a'))).toBeInstanceOf(ResourceNotFoundException);
      await associate(client, 'primary', 'alias', 'token-a');
      await disassociate(client, 'primary', 'alias', 'token-a');
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual([]);
    });

    test('disassociate: the same token with other parameters is a new request', async () => {
      emulator.seedAlias(INSTANCE, 'primary', 'alias');
      emulator.seedAlias(INSTANCE, 'other', 'third');
      await disassociate(client, 'primary', 'alias', 'token-d');
      await disassociate(client, 'other', 'third', 'token-d');
      expect(emulator.aliasesOf(INSTANCE, 'other')).toEqual([]);
    });
  });

  describe('faults', () => {
    test.each([
      ['throttle', ThrottlingException, 429, 'client'],
      ['lock', ResourceConflictException, 409, 'client'],
      ['internal', InternalServiceException, 500, 'server'],
      ['accessDenied', AccessDeniedException, 403, 'client'],
    ] as const)('%s → %p', async (kind, errorClass, status, fault) => {
      emulator.injectFault('AssociateEmailAddressAlias', { kind, times: 2 });
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await failureOf(associate(client, 'primary', 'alias'));
        expect(error).toBeInstanceOf(errorClass);
        expect(error.$fault).toBe(fault);
        expect(error.$metadata.httpStatusCode).toBe(status);
      }
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual([]);
      await associate(client, 'primary', 'alias');
      expect(emulator.calls.map((call) => [call.fault, call.status])).toEqual([
        [kind, status],
        [kind, status],
        [undefined, 200],
      ]);
    });

    test('lock carries the distributed-locking message', async () => {
      emulator.injectFault('DisassociateEmailAddressAlias', { kind: 'lock', times: 1 });
      const error = await failureOf(disassociate(client, 'primary', 'alias'));
      expect(error.message).toMatch(/distributed locking/);
    });

    test.each(BLOCKED_ANSWERS)('lock can answer %s "%s", as the SDK sees it', async (errorType, message) => {
      emulator.injectFault('AssociateEmailAddressAlias', { kind: 'lock', times: 1, answer: [errorType, message] });
      const error = await failureOf(associate(client, 'primary', 'alias'));
      expect(error.name).toBe(errorType);
      expect(error.$metadata.httpStatusCode).toBe(errorType === 'InvalidRequestException' ? 400 : 409);
      await associate(client, 'primary', 'alias');
    });

    test('a fault for one alias address leaves calls naming another alone', async () => {
      emulator.injectFault('AssociateEmailAddressAlias', { kind: 'lock', times: 5, aliasEmailAddressId: 'other' });
      await associate(client, 'primary', 'alias');
      expect(await failureOf(associate(client, 'other-primary', 'other'))).toBeInstanceOf(ResourceConflictException);
    });

    test('faults affect only their operation and queue in order', async () => {
      emulator.injectFault('DescribeEmailAddress', { kind: 'throttle', times: 1 });
      emulator.injectFault('DescribeEmailAddress', { kind: 'internal', times: 1 });
      await associate(client, 'primary', 'alias');
      expect(await failureOf(describe_(client, 'primary'))).toBeInstanceOf(ThrottlingException);
      expect(await failureOf(describe_(client, 'primary'))).toBeInstanceOf(InternalServiceException);
      await describe_(client, 'primary');
    });

    test('reset: a network error without an HTTP status', async () => {
      emulator.injectFault('AssociateEmailAddressAlias', { kind: 'reset', times: 1 });
      const error = await failureOf(associate(client, 'primary', 'alias'));
      expect(error).not.toBeInstanceOf(ConnectServiceException);
      expect(error.$metadata?.httpStatusCode).toBeUndefined();
      // Outside jest the SDK throws the socket's error (name 'TimeoutError', code 'ECONNRESET');
      // under jest's module realm it wraps it ('AWS SDK error wrapper for …'): only the
      // message is the same in both.
      expect(error.message).toMatch(/ECONNRESET/);
      expect(emulator.calls[0]).toMatchObject({ fault: 'reset' });
      expect(emulator.calls[0].status).toBeUndefined();
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual([]);
    });

    test('hang: the caller times out and stop() still completes quickly', async () => {
      emulator.injectFault('DescribeEmailAddress', { kind: 'hang', times: 1 });
      const error = await failureOf(
        client.send(new DescribeEmailAddressCommand({ InstanceId: INSTANCE, EmailAddressId: 'primary' }), {
          abortSignal: AbortSignal.timeout(100),
        }),
      );
      expect(error.name).toBe('AbortError');
      expect(emulator.calls[0]).toMatchObject({ fault: 'hang' });
      expect(emulator.calls[0].status).toBeUndefined();

      // A second hung request, still open, must not keep stop() waiting.
      emulator.injectFault('DescribeEmailAddress', { kind: 'hang', times: 1 });
      const pending = describe_(client, 'primary').catch((e: Error) => e);
      await waitFor(() => emulator.calls.length === 2);
      const started = Date.now();
      await emulator.stop();
      // The hung request would hold it for ever.
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(await pending).toBeInstanceOf(Error);
      emulator = await ConnectEmulator.start(); // for afterEach
    });

    test('takesEffect: the change is made, only the answer is lost', async () => {
      emulator.injectFault('AssociateEmailAddressAlias', { kind: 'internal', times: 1, takesEffect: true });
      expect(await failureOf(associate(client, 'primary', 'alias'))).toBeInstanceOf(InternalServiceException);
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual(['alias']);
    });

    test('takesEffect with the SDK retrying: the retry carries the same ClientToken and is replayed', async () => {
      const retrying = clientFor(emulator, { maxAttempts: 2 });
      emulator.injectFault('AssociateEmailAddressAlias', { kind: 'reset', times: 1, takesEffect: true });
      const out = await associate(retrying, 'primary', 'alias');
      retrying.destroy();
      expect(out.$metadata.attempts).toBe(2);
      const [first, second] = emulator.calls;
      expect(first).toMatchObject({ fault: 'reset', replayed: false });
      expect(second).toMatchObject({ status: 200, replayed: true, clientToken: first.clientToken });
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual(['alias']);
    });

    test('times must be a positive integer', () => {
      expect(() => emulator.injectFault('DescribeEmailAddress', { kind: 'throttle', times: 0 })).toThrow(/positive integer/);
    });
  });

  describe('HTTP front end', () => {
    test('requires an Authorization header', async () => {
      const response = await fetch(`${emulator.endpoint}/email-addresses/${INSTANCE}/primary`);
      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      expect(emulator.calls[0]).toMatchObject({ operation: 'DescribeEmailAddress', status: 403 });
    });

    test('an unknown route is 404 UnknownOperationException', async () => {
      const response = await fetch(`${emulator.endpoint}/instance/${INSTANCE}`, { headers: { authorization: 'x' } });
      expect(response.status).toBe(404);
      expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
      expect(emulator.calls[0]).toMatchObject({ operation: 'UnknownOperation', status: 404 });
    });
  });

  describe('call log', () => {
    test('records every request with its answer and the time spent on it', async () => {
      const before = Date.now();
      await associate(client, 'primary', 'alias', 'token-1');
      await failureOf(associate(client, 'primary', 'other', 'token-2'));
      await describe_(client, 'primary');
      expect(emulator.calls).toEqual([
        expect.objectContaining({
          operation: 'AssociateEmailAddressAlias',
          instanceId: INSTANCE,
          emailAddressId: 'primary',
          aliasEmailAddressId: 'alias',
          clientToken: 'token-1',
          status: 200,
          replayed: false,
        }),
        expect.objectContaining({ status: 409, errorType: 'ResourceConflictException', clientToken: 'token-2' }),
        expect.objectContaining({ operation: 'DescribeEmailAddress', status: 200 }),
      ]);
      for (const call of emulator.calls) {
        expect(call.receivedAt).toBeGreaterThanOrEqual(before);
        expect(call.durationMs).toBeGreaterThanOrEqual(0);
        // No delay of the emulator's own: a loaded machine's, at most.
        expect(call.durationMs).toBeLessThan(2_000);
      }
      expect(emulator.mutatingCalls()).toEqual([emulator.calls[0]]);
      expect(emulator.callsOf('DescribeEmailAddress')).toEqual([emulator.calls[2]]);
    });

    test('clearCalls keeps the state; reset drops it', async () => {
      await associate(client, 'primary', 'alias');
      emulator.clearCalls();
      expect(emulator.calls).toEqual([]);
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual(['alias']);
      emulator.reset();
      expect(emulator.aliasesOf(INSTANCE, 'primary')).toEqual([]);
      expect(await failureOf(describe_(client, 'primary'))).toBeInstanceOf(ResourceNotFoundException);
    });
  });
});
