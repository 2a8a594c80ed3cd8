import { ALIAS_ID, INSTANCE_ID, PRIMARY_ID, createEvent, lambdaContext, updateEvent } from '../fixtures/cloudformation-events';
import type { FaultKind } from '../support/connect-emulator';
import { HandlerHarness, OTHER_ALIAS_ID, operationsOf, useHandlerHarness } from './handler-harness';

// Lock conflicts are classified by the state instead: see handler-contention.test.ts.
const TRANSIENT_FAULTS: ReadonlyArray<FaultKind> = ['throttle', 'internal', 'reset'];
// Short enough to keep the suite fast; the answer must still come before it.
const SHORT_DEADLINE_MS = 3_000;

describe('Transient Connect failures', () => {
  const harness = useHandlerHarness();

  test.each(TRANSIENT_FAULTS)('%s that clears is retried to SUCCESS, every attempt counted', async (kind) => {
    harness.emulator.injectFault('AssociateEmailAddressAlias', { kind, times: 2 });

    const run = await harness.run((responseUrl) => createEvent({ responseUrl }));

    expect(run.response.Status).toBe('SUCCESS');
    expect(operationsOf(run.calls)).toEqual(Array(3).fill('AssociateEmailAddressAlias'));
    expect(new Set(run.calls.map((call) => call.clientToken)).size).toBe(1);
    expect(run.log).toMatchObject({ attempts: 3 });
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
  });

  test('a call that took effect but whose answer was lost is retried to SUCCESS', async () => {
    harness.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'reset', times: 1, takesEffect: true });

    const run = await harness.run((responseUrl) => createEvent({ responseUrl }));

    expect(run.response.Status).toBe('SUCCESS');
    expect(harness.emulator.aliasesOf(INSTANCE_ID, PRIMARY_ID)).toEqual([ALIAS_ID]);
  });

  test.each(TRANSIENT_FAULTS)('%s that does not clear fails before the deadline, naming the error', async (kind) => {
    harness.emulator.injectFault('AssociateEmailAddressAlias', { kind, times: 100_000 });

    const run = await harness.run((responseUrl) => createEvent({ responseUrl }), SHORT_DEADLINE_MS);

    expect(run.response.Status).toBe('FAILED');
    expect(run.response.Reason).toMatch(/^AssociateEmailAddressAlias\(.*\) failed after \d+ attempts \(no time left to retry before the deadline\): \w+/);
    expect(run.responseRequests[0].receivedAt).toBeLessThan(run.deadline);
    expect(run.log.attempts).toBeGreaterThan(2);
  });

  test('an endpoint that never answers gets a FAILED answer before the deadline', async () => {
    harness.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'hang', times: 1 });

    const run = await harness.run((responseUrl) => createEvent({ responseUrl }), SHORT_DEADLINE_MS);

    expect(run.response.Status).toBe('FAILED');
    expect(run.response.Reason).toMatch(/^Timed out/);
    expect(run.responseRequests[0].receivedAt).toBeLessThan(run.deadline);
    expect(run.log).toMatchObject({ outcome: 'FAILED', attempts: 1 });
  });

  test('an Update that times out after removing the old association says it was not restored', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);
    harness.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'hang', times: 1 });

    const run = await harness.run(
      (responseUrl) =>
        updateEvent({ responseUrl, physicalResourceId: 'connect-email-address-alias-0123456789abcdef', properties: { AliasEmailAddressId: OTHER_ALIAS_ID } }),
      SHORT_DEADLINE_MS,
    );

    expect(run.response.Reason).toMatch(/^Timed out.*The previous association \(.*alias alias-address\) was removed and not restored\.$/);
    expect(run.log).toMatchObject({ previousAssociationRestored: false });
  });
});

describe('The response', () => {
  const harness = useHandlerHarness();

  test('arrives although the first PUTs are refused', async () => {
    harness.receiver.refuseNext(2);

    const run = await harness.run((responseUrl) => createEvent({ responseUrl }));

    expect(run.responseRequests.map((request) => request.answeredWith)).toEqual([503, 503, 200]);
    expect(new Set(run.responseRequests.map((request) => request.body)).size).toBe(1);
  });

  test('is a PUT of JSON with the empty Content-Type the URL is signed for, and a Content-Length', async () => {
    const run = await harness.run((responseUrl) => createEvent({ responseUrl }));
    const [request] = run.responseRequests;

    expect(request.method).toBe('PUT');
    expect(request.url).toBe(new URL(run.event.ResponseURL).pathname + new URL(run.event.ResponseURL).search);
    expect(request.headers['content-type']).toBe('');
    expect(request.headers['content-length']).toBe(String(Buffer.byteLength(request.body)));
    expect(request.headers['transfer-encoding']).toBeUndefined();
  });

  test('stays within 4096 bytes when the Reason is huge, cut at a character boundary', async () => {
    // The Reason quotes the invalid value: 20 000 bytes of three-byte characters and quotes.
    const huge = `arn:${'€"'.repeat(5_000)}`;

    const run = await harness.run((responseUrl) => createEvent({ responseUrl, properties: { EmailAddressId: huge } }));
    const [request] = run.responseRequests;

    expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(4096);
    expect(run.response.Status).toBe('FAILED');
    expect(run.response.Reason).toMatch(/^EmailAddressId is not a valid Amazon Connect ARN \("arn:(€")+€? \[truncated\]$/);
    expect(run.response.PhysicalResourceId).toMatch(/CREATE_FAILED/);
  });
});

describe('The log line', () => {
  const harness = useHandlerHarness();

  test('tells what happened, and where the answer went without its query', async () => {
    const run = await harness.run((responseUrl) => createEvent({ responseUrl }));
    const url = new URL(run.event.ResponseURL);

    expect(run.log).toEqual({
      requestType: 'Create',
      logicalResourceId: run.event.LogicalResourceId,
      physicalResourceId: run.response.PhysicalResourceId,
      outcome: 'SUCCESS',
      attempts: 1,
      association: 'made',
      durationMs: expect.any(Number),
      // The Create asked, after its change, whether CloudFormation still waits for it.
      stackReads: 1,
      responseUrl: `${url.protocol}//${url.host}${url.pathname}?***`,
    });
  });

  test('of a failure carries the Reason', async () => {
    harness.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'internal', times: 100_000 });

    const run = await harness.run((responseUrl) => createEvent({ responseUrl }), 3_000);

    expect(run.log).toMatchObject({ outcome: 'FAILED', attempts: expect.any(Number), reason: run.response.Reason });
    expect(run.log.attempts).toBeGreaterThan(1);
  });

  test('reports a response that could not be delivered', async () => {
    // Not harness.run, which insists on an accepted answer.
    harness.receiver.refuseNext(100, 403);
    const event = createEvent({ responseUrl: harness.receiver.urlFor('/refusing') });
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      await expect(harness.handler(event, lambdaContext(SHORT_DEADLINE_MS))).resolves.toBeUndefined();
    } finally {
      spy.mockRestore();
    }

    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ responseError: 'ResponseRejectedError: The response URL answered HTTP 403.' });
    expect(harness.receiver.requestsTo('/refusing')).toHaveLength(5);
  });
});

describe('A malformed invocation', () => {
  const harness = useHandlerHarness();

  /** Runs the handler as Lambda would, returning its log lines; it must resolve. */
  async function invoke(event: unknown, context: unknown): Promise<Record<string, unknown>[]> {
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      await expect(harness.handler(event as never, context as never)).resolves.toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    return lines.map((line) => JSON.parse(line));
  }

  test('without a ResponseURL still settles, with one log line saying the answer could not be sent', async () => {
    const event = { ...createEvent({ responseUrl: '' }), ResponseURL: undefined };
    HandlerHarness.awaiting(event as never, harness.cloudFormation);

    const log = await invoke(event, lambdaContext(SHORT_DEADLINE_MS));

    expect(log).toEqual([expect.objectContaining({ outcome: 'SUCCESS', responseUrl: '***', responseError: expect.stringMatching(/Invalid URL/) })]);
  });

  test('without a usable event or context still settles, with one log line', async () => {
    const log = await invoke(null, {});

    expect(log).toEqual([expect.objectContaining({ outcome: 'FAILED', reason: expect.stringMatching(/^Handler error: /) })]);
  });
});
