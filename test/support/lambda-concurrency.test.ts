import { ConcurrencyPool } from './lambda-concurrency';

test("the account's limit is shared by every function", () => {
  const pool = new ConcurrencyPool(3);

  expect([pool.tryAcquire('a'), pool.tryAcquire('b'), pool.tryAcquire('a'), pool.tryAcquire('b')]).toEqual([true, true, true, false]);
  pool.release('a');
  expect(pool.tryAcquire('b')).toBe(true);
  expect(pool.running()).toBe(3);
  expect(pool.running('b')).toBe(2);
});

test("a function's reserved concurrency caps it within the account", () => {
  const pool = new ConcurrencyPool();

  expect([pool.tryAcquire('a', 2), pool.tryAcquire('a', 2), pool.tryAcquire('a', 2), pool.tryAcquire('b', 2)]).toEqual([true, true, false, true]);
});

test('keeps the most executions held at once, account-wide and per function, until reset', () => {
  const pool = new ConcurrencyPool();
  pool.tryAcquire('a');
  pool.tryAcquire('a');
  pool.tryAcquire('b');
  pool.release('a');
  pool.release('a');

  expect(pool.mostAtOnce()).toBe(3);
  expect(pool.mostAtOnce('a')).toBe(2);
  pool.resetMostAtOnce();
  expect(pool.mostAtOnce()).toBe(1);
  expect(pool.mostAtOnce('a')).toBe(0);
});

test('tells listeners when an execution is freed', () => {
  const pool = new ConcurrencyPool(1);
  let freed = 0;
  pool.whenReleased(() => (freed += 1));
  pool.tryAcquire('a');
  pool.release('a');

  expect(freed).toBe(1);
  expect(() => pool.release('a')).toThrow(/holds no execution/);
});

test('refuses a limit that is not a positive integer', () => {
  expect(() => new ConcurrencyPool(0)).toThrow(/positive integer/);
});
