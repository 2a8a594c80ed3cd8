import { Deadline } from '../../lambda/deadline';
import { type RetryPolicy, backoffDelayMs, withRetries } from '../../lambda/retry';

const POLICY: RetryPolicy = { baseDelayMs: 100, maxDelayMs: 1_000, maxAttempts: Number.POSITIVE_INFINITY, minAttemptMs: 50 };

/** A clock that only moves when the code under test sleeps. */
function fakeTime(start = 1_000_000) {
  let now = start;
  const waits: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
  };
}

const transient = new Error('transient');
const permanent = new Error('permanent');
const isTransient = (error: unknown) => error === transient;

/** An attempt that fails with `errors` in turn, then succeeds; counts its calls. */
function failing(...errors: Error[]) {
  const attempt = jest.fn(async () => {
    const error = errors[attempt.mock.calls.length - 1];
    if (error) {
      throw error;
    }
    return 'done';
  });
  return attempt;
}

describe('backoffDelayMs', () => {
  test('grows exponentially from the base up to the cap, with full jitter below the ceiling', () => {
    const ceilings = [0, 1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, POLICY, () => 0.999_999));
    expect(ceilings).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(3, POLICY, () => 0)).toBe(0);
    expect(backoffDelayMs(3, POLICY, () => 0.5)).toBe(400);
  });
});

describe('withRetries', () => {
  test('retries transient errors until an attempt succeeds', async () => {
    const time = fakeTime();
    const attempt = failing(transient, transient);

    const result = await withRetries(attempt, {
      policy: POLICY,
      deadline: new Deadline(time.clock() + 60_000, time.clock),
      isTransient,
      random: () => 0.5,
      sleep: time.sleep,
    });

    expect(result).toBe('done');
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(time.waits).toEqual([50, 100]);
  });

  test('fails at once on a permanent error', async () => {
    const time = fakeTime();
    const attempt = failing(permanent);

    await expect(
      withRetries(attempt, { policy: POLICY, deadline: new Deadline(time.clock() + 60_000, time.clock), isTransient, sleep: time.sleep }),
    ).rejects.toBe(permanent);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(time.waits).toEqual([]);
  });

  test('stops at maxAttempts with the last error', async () => {
    const time = fakeTime();
    const attempt = failing(transient, transient, transient);

    await expect(
      withRetries(attempt, {
        policy: { ...POLICY, maxAttempts: 2 },
        deadline: new Deadline(time.clock() + 60_000, time.clock),
        isTransient,
        sleep: time.sleep,
      }),
    ).rejects.toBe(transient);
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  test('cuts the last wait short so the next attempt still has minAttemptMs, then stops', async () => {
    const time = fakeTime();
    const deadline = new Deadline(time.clock() + 2_000, time.clock);
    const attempt = jest.fn(async () => {
      throw transient;
    });

    await expect(
      withRetries(attempt, { policy: POLICY, deadline, isTransient, random: () => 0.999_999, sleep: time.sleep }),
    ).rejects.toBe(transient);

    // Waits of 99, 199, 399, 799 take 1 496 ms; the next (999) would end past 2 000 - 50, so it
    // is cut to 454 ms, which leaves the last attempt exactly minAttemptMs.
    expect(time.waits).toEqual([99, 199, 399, 799, 454]);
    expect(attempt).toHaveBeenCalledTimes(6);
    expect(deadline.remainingMs()).toBe(POLICY.minAttemptMs);
  });

  test('makes a single attempt when less than minAttemptMs is left', async () => {
    const time = fakeTime();
    const attempt = failing(transient);

    await expect(
      withRetries(attempt, { policy: POLICY, deadline: new Deadline(time.clock() + 10, time.clock), isTransient, sleep: time.sleep }),
    ).rejects.toBe(transient);
    expect(attempt).toHaveBeenCalledTimes(1);
  });
});
