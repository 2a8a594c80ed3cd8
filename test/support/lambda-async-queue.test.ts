import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsyncInvoker, errorRetryDelayMs, throttleRetryDelayMs } from './lambda-async-queue';
import { ConcurrencyPool } from './lambda-concurrency';
import { testFunction } from './lambda-test-function';

let root: string;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'lambda-async-test-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test("Lambda's back-off for throttled events starts at 1 s, doubles, and stops growing at 5 minutes", () => {
  expect([1, 2, 3, 4, 9, 10, 30].map(throttleRetryDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 256_000, 300_000, 300_000]);
  expect([1, 2].map(errorRetryDelayMs)).toEqual([60_000, 120_000]);
});

test('a throttled event is retried until an execution is free, then runs once', async () => {
  const pool = new ConcurrencyPool(1);
  pool.tryAcquire('someone-else');
  const invoker = new AsyncInvoker(testFunction(root, pool), { timeScale: 100 });
  const event = invoker.invoke({ Body: 'ok' });
  // Freed after the event has been throttled at least once (its first retry is 10 ms later).
  await new Promise((resolve) => setTimeout(resolve, 50));
  pool.release('someone-else');

  expect(await event.ended).toBe('succeeded');
  expect(event.throttles).toBeGreaterThanOrEqual(1);
  expect(event.attempts).toHaveLength(1);
});

test('an event throttled past its maximum age is dropped without running', async () => {
  const pool = new ConcurrencyPool(1);
  pool.tryAcquire('someone-else');
  const invoker = new AsyncInvoker(testFunction(root, pool), { timeScale: 100, maximumEventAgeMs: 100 });
  const event = invoker.invoke({ Body: 'ok' });

  expect(await event.ended).toBe('dropped');
  expect(event.attempts).toHaveLength(0);
  // 10, 20, 40 ms apart: the fourth try would be past 100 ms.
  expect(event.throttles).toBeGreaterThanOrEqual(3);
  expect(event.throttles).toBeLessThanOrEqual(4);
});

test('an invocation that errors is retried MaximumRetryAttempts times', async () => {
  const pool = new ConcurrencyPool();
  const fn = testFunction(root, pool);
  const none = new AsyncInvoker(fn, { timeScale: 1_000, maximumRetryAttempts: 0 }).invoke({ Body: 'throw' });
  const two = new AsyncInvoker(fn, { timeScale: 1_000 }).invoke({ Body: 'throw' });

  expect(await none.ended).toBe('failed');
  expect(none.attempts).toHaveLength(1);
  expect(await two.ended).toBe('failed');
  expect(two.attempts).toHaveLength(3);
  expect(two.attempts[1].startedAt).toBeGreaterThanOrEqual(two.attempts[0].startedAt);
});

test('an invocation that times out counts as failed and frees its execution', async () => {
  const pool = new ConcurrencyPool(1);
  const invoker = new AsyncInvoker(testFunction(root, pool, 'short', 1), { maximumRetryAttempts: 0 });
  const event = invoker.invoke({ Body: 'ok' });

  expect(await event.ended).toBe('failed');
  expect(pool.running()).toBe(0);
});
