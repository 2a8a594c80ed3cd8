import { ThrottlingException } from '@aws-sdk/client-connect';
import { ConnectRetryPlan, quotaShareFromEnvironment } from '../../lambda/connect-retry';
import { CONNECT_RETRY } from '../../lambda';

const throttled = new ThrottlingException({ message: 'Rate exceeded.', $metadata: { httpStatusCode: 429 } });
const almostOne = () => 0.999_999;

describe('ConnectRetryPlan', () => {
  test("the first throttle waits up to the window in which the stack's aliases fit 90% of the rate", () => {
    // 300 aliases creating, one call each, at 2 requests/s: 300 / 1.8 = 166.7 s.
    const plan = new ConnectRetryPlan(CONNECT_RETRY, { aliasCount: 300, requestsPerSecond: 2 }, 'Create', almostOne);
    expect(plan.delayFor(throttled, 0, undefined, 0)).toBe(166_666);
    // Later throttles back off from the time the rate refills two requests: 1 s at 2 requests/s.
    expect(plan.delayFor(throttled, 0, undefined, 0)).toBe(999);
    expect(plan.delayFor(throttled, 1, undefined, 0)).toBe(1_999);
  });

  test('the window grows with the calls the event makes', () => {
    const window = (requestType: 'Create' | 'Update' | 'Delete') =>
      new ConnectRetryPlan(CONNECT_RETRY, { aliasCount: 9, requestsPerSecond: 2 }, requestType, almostOne).delayFor(throttled, 0, undefined, 0);
    expect([window('Create'), window('Delete'), window('Update')]).toEqual([4_999, 9_999, 14_999]);
  });

  test('access denied is retried only within its window, counted from the first denial', () => {
    const plan = new ConnectRetryPlan(CONNECT_RETRY, { aliasCount: 1, requestsPerSecond: 2 }, 'Create');
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    expect(plan.isTransient(denied, 1_000, 1_000 + 9_999)).toBe(true);
    expect(plan.isTransient(denied, 1_000, 1_000 + 10_000)).toBe(false);
  });

  test('a wait after access denied ends with the window, so a real denial fails soon after it', () => {
    const plan = new ConnectRetryPlan(CONNECT_RETRY, { aliasCount: 1, requestsPerSecond: 2 }, 'Create', almostOne);
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    // The seventh retry's backoff could be up to 10 s; 1.5 s of the window are left.
    expect(plan.delayFor(denied, 6, 0, 8_500)).toBe(1_500);
    expect(plan.delayFor(denied, 0, 0, 100)).toBe(199);
  });
});

describe('quotaShareFromEnvironment', () => {
  test('reads what the construct wrote; one alias at the default rate without it', () => {
    expect(quotaShareFromEnvironment({ CONNECT_ALIAS_COUNT: '300', CONNECT_REQUESTS_PER_SECOND: '1.5' })).toEqual({
      aliasCount: 300,
      requestsPerSecond: 1.5,
    });
    expect(quotaShareFromEnvironment({ CONNECT_ALIAS_COUNT: 'x', CONNECT_REQUESTS_PER_SECOND: '0' })).toEqual({
      aliasCount: 1,
      requestsPerSecond: 2,
    });
  });
});
