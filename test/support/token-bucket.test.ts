import {
  AssociateEmailAddressAliasCommand,
  ConnectClient,
  DescribeEmailAddressCommand,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from './connect-emulator';
import { TokenBucket } from './token-bucket';

/** A bucket on a clock the test moves by hand. */
function bucketAt(options: { rate?: number; burst?: number } = {}) {
  let now = 1_000;
  const bucket = new TokenBucket({ ...options, clock: () => now });
  return { bucket, advance: (ms: number) => (now += ms) };
}

function takeMany(bucket: TokenBucket, times: number): boolean[] {
  return Array.from({ length: times }, () => bucket.tryTake());
}

describe('TokenBucket', () => {
  test('by default serves a burst of 5, then 2 requests per second', () => {
    const { bucket, advance } = bucketAt();
    expect(takeMany(bucket, 6)).toEqual([true, true, true, true, true, false]);
    advance(499);
    expect(bucket.tryTake()).toBe(false);
    advance(1);
    expect(bucket.tryTake()).toBe(true);
    advance(1_000);
    expect(takeMany(bucket, 3)).toEqual([true, true, false]);
  });

  test('refills to the burst and no further, however long it stays idle', () => {
    const { bucket, advance } = bucketAt({ rate: 10, burst: 3 });
    takeMany(bucket, 3);
    advance(60_000);
    expect(takeMany(bucket, 4)).toEqual([true, true, true, false]);
  });

  test('throttled requests take no token: retrying faster does not get through sooner', () => {
    const { bucket, advance } = bucketAt({ rate: 1, burst: 1 });
    bucket.tryTake();
    for (let i = 0; i < 9; i++) {
      advance(100);
      expect(bucket.tryTake()).toBe(false);
    }
    advance(100);
    expect(bucket.tryTake()).toBe(true);
  });

  test('serves rate × time over a long run, whatever the offered load', () => {
    const { bucket, advance } = bucketAt({ rate: 2, burst: 5 });
    for (let ms = 0; ms < 100_000; ms += 10) {
      takeMany(bucket, 3);
      advance(10);
    }
    // 5 from the burst, then 2 per second for 100 s, within one token of rounding.
    expect(bucket.counts.served).toBeGreaterThanOrEqual(204);
    expect(bucket.counts.served).toBeLessThanOrEqual(205);
    expect(bucket.counts).toEqual({ offered: 30_000, served: bucket.counts.served, throttled: 30_000 - bucket.counts.served });
  });

  test.each([
    ['rate 0', { rate: 0 }, /rate must be a positive number/],
    ['an infinite rate', { rate: Number.POSITIVE_INFINITY }, /rate must be a positive number/],
    ['burst 0', { burst: 0 }, /burst must be a positive integer/],
    ['a fractional burst', { burst: 2.5 }, /burst must be a positive integer/],
  ])('refuses %s', (_name, options, message) => {
    expect(() => new TokenBucket(options)).toThrow(message);
  });
});

describe('ConnectEmulator with a quota', () => {
  let emulator: ConnectEmulator;
  let client: ConnectClient;

  beforeEach(async () => {
    emulator = await ConnectEmulator.start({ quota: { rate: 1, burst: 3 } });
    emulator.addEmailAddress('instance-1', 'primary');
    emulator.addEmailAddress('instance-1', 'alias');
    client = newClient();
  });

  /** A caller of its own, with fake credentials: the emulator checks their scope, not the signature. */
  function newClient(): ConnectClient {
    return new ConnectClient({
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
  }

  afterEach(async () => {
    client.destroy();
    await emulator.stop();
  });

  test('shares one bucket among every operation and caller, and throttles the rest with 429 "Rate exceeded"', async () => {
    const otherCaller = newClient();
    const outcomes = await Promise.allSettled([
      client.send(new DescribeEmailAddressCommand({ InstanceId: 'instance-1', EmailAddressId: 'primary' })),
      otherCaller.send(new DescribeEmailAddressCommand({ InstanceId: 'instance-1', EmailAddressId: 'alias' })),
      client.send(
        new AssociateEmailAddressAliasCommand({
          InstanceId: 'instance-1',
          EmailAddressId: 'primary',
          AliasConfiguration: { EmailAddressId: 'alias' },
        }),
      ),
      otherCaller.send(new DescribeEmailAddressCommand({ InstanceId: 'instance-1', EmailAddressId: 'primary' })),
      client.send(new DescribeEmailAddressCommand({ InstanceId: 'instance-1', EmailAddressId: 'alias' })),
    ]);
    otherCaller.destroy();

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
    const throttled = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(throttled).toHaveLength(2);
    for (const error of throttled) {
      expect(error).toBeInstanceOf(ThrottlingException);
      expect(error.message).toMatch(/^Rate exceeded/);
      expect(error.$metadata.httpStatusCode).toBe(429);
    }
    expect(emulator.quota?.counts).toEqual({ offered: 5, served: 3, throttled: 2 });
    expect(emulator.calls.filter((call) => call.status === 429)).toHaveLength(2);
  });

  test('a throttled call changes nothing', async () => {
    const describePrimary = () =>
      client.send(new DescribeEmailAddressCommand({ InstanceId: 'instance-1', EmailAddressId: 'primary' }));
    await Promise.all([describePrimary(), describePrimary(), describePrimary()]);
    const associate = client.send(
      new AssociateEmailAddressAliasCommand({
        InstanceId: 'instance-1',
        EmailAddressId: 'primary',
        AliasConfiguration: { EmailAddressId: 'alias' },
      }),
    );
    await expect(associate).rejects.toBeInstanceOf(ThrottlingException);
    expect(emulator.aliasesOf('instance-1', 'primary')).toEqual([]);
  });

  test('an emulator without the option has no quota', async () => {
    const unlimited = await ConnectEmulator.start();
    try {
      expect(unlimited.quota).toBeUndefined();
    } finally {
      await unlimited.stop();
    }
  });
});
