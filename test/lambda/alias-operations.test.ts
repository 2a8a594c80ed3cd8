import { AliasOperations, type ConnectSession } from '../../lambda/alias-operations';
import { connectClient } from '../../lambda/connect-client';
import { ConnectRetryPlan } from '../../lambda/connect-retry';
import { Deadline } from '../../lambda/deadline';
import { RatePacer } from '../../lambda/rate-pacer';
import { ALIAS_ID, INSTANCE_ID, PRIMARY_ID } from '../fixtures/cloudformation-events';
import { FAST_RETRIES, useHandlerHarness } from './handler-harness';

const PAIR = { instanceId: INSTANCE_ID, primaryId: PRIMARY_ID, aliasId: ALIAS_ID };

describe('AliasOperations', () => {
  // For the emulator and the environment that points the client at it.
  const harness = useHandlerHarness();

  function session(signal: AbortSignal): ConnectSession {
    return {
      client: connectClient(),
      requestId: 'request-1',
      holder: { stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/AliasStack/1', logicalResourceId: 'TestHolder' },
      deadline: new Deadline(Date.now() + 60_000),
      signal,
      retryPolicy: FAST_RETRIES.connectRetry!,
      retryPlan: new ConnectRetryPlan(FAST_RETRIES.connectRetry!, () => 0),
      pacer: new RatePacer(FAST_RETRIES.pacer!),
      counter: { attempts: 0 },
    };
  }

  test('a call in flight is abandoned when the signal aborts, long before the request timeout', async () => {
    harness.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'hang', times: 1 });
    const started = Date.now();

    await expect(new AliasOperations(session(AbortSignal.timeout(200))).associate(PAIR)).rejects.toThrow(
      /^AssociateEmailAddressAlias\(.*\) failed: AbortError/,
    );
    // Far sooner than the client's 10 s request timeout, which would otherwise end it.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('nothing is sent once the signal has aborted', async () => {
    const aborted = new AbortController();
    aborted.abort();
    const operations = new AliasOperations(session(aborted.signal));

    await expect(operations.associate(PAIR)).rejects.toThrow(/AbortError/);
    await expect(operations.release(PAIR)).rejects.toThrow(/AbortError/);
    expect(harness.emulator.calls).toEqual([]);
  });

  test('counts every request, retries and state checks included', async () => {
    harness.emulator.seedAlias(INSTANCE_ID, PRIMARY_ID, ALIAS_ID);
    harness.emulator.injectFault('AssociateEmailAddressAlias', { kind: 'throttle', times: 1 });
    const counted = session(new AbortController().signal);

    await new AliasOperations(counted).associate(PAIR);

    // Throttled, refused as existing, DescribeEmailAddress, then TagResource for the adoption.
    expect(counted.counter.attempts).toBe(4);
    expect(harness.emulator.calls).toHaveLength(4);
  });
});
