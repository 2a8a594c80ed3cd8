import { ThrottlingException } from '@aws-sdk/client-connect';
import { ConnectRetryPlan, pacerSettings } from '../../lambda/connect-retry';
import { CONNECT_RETRY } from '../../lambda';

const throttled = new ThrottlingException({ message: 'Rate exceeded.', $metadata: { httpStatusCode: 429 } });
const almostOne = () => 0.999_999;
const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });

describe('ConnectRetryPlan', () => {
  test("a throttle is retried with no wait of its own: the worker's pacer, slowed down by it, gives the next slot", () => {
    const plan = new ConnectRetryPlan(CONNECT_RETRY, almostOne);
    expect(plan.isTransient(throttled, undefined, 0)).toBe(true);
    expect(plan.delayFor(throttled, 5, undefined, 0)).toBe(0);
  });

  test('access denied is retried only within its window, counted from the first denial', () => {
    const plan = new ConnectRetryPlan(CONNECT_RETRY);
    expect(plan.isTransient(denied, 1_000, 1_000 + 9_999)).toBe(true);
    expect(plan.isTransient(denied, 1_000, 1_000 + 10_000)).toBe(false);
  });

  test('a wait after access denied ends with the window, so a real denial fails soon after it', () => {
    const plan = new ConnectRetryPlan(CONNECT_RETRY, almostOne);
    // The seventh retry's backoff could be up to 10 s; 1.5 s of the window are left.
    expect(plan.delayFor(denied, 6, 0, 8_500)).toBe(1_500);
    expect(plan.delayFor(denied, 0, 0, 100)).toBe(199);
  });
});

describe('pacerSettings', () => {
  test("each of the two workers gets half the stack's ceiling, and a burst of one event's calls", () => {
    expect(pacerSettings({ CONNECT_REQUESTS_PER_SECOND: '1.5' })).toMatchObject({ ceiling: 0.75, burst: 3 });
  });

  test("without a usable setting, Connect's default quota", () => {
    expect(pacerSettings({ CONNECT_REQUESTS_PER_SECOND: '0' }).ceiling).toBe(1);
    expect(pacerSettings({}).ceiling).toBe(1);
  });
});
