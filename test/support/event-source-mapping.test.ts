import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSourceMapping } from './event-source-mapping';
import { ConcurrencyPool } from './lambda-concurrency';
import { testFunction } from './lambda-test-function';
import { SqsQueue } from './sqs-queue';

let root: string;
let mapping: EventSourceMapping | undefined;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'event-source-mapping-test-'))));
afterEach(() => mapping?.stop());
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The visibility timeout is well above an invocation's time, or a slow one would be received twice.
function setUp(pool: ConcurrencyPool, maxReceiveCount = 3, visibilityTimeoutMs = 300) {
  const deadLetters = new SqsQueue({ name: 'dlq', arn: 'arn:aws:sqs:us-east-1:123456789012:dlq', url: 'http://q/dlq' });
  const queue = new SqsQueue({
    name: 'work',
    arn: 'arn:aws:sqs:us-east-1:123456789012:work',
    url: 'http://q/work',
    visibilityTimeoutMs,
    redrive: { deadLetterQueue: deadLetters, maxReceiveCount },
  });
  const fn = testFunction(root, pool);
  mapping = new EventSourceMapping({ queue, fn, pool, batchSize: 1, maximumConcurrency: 2, reportBatchItemFailures: true });
  return { queue, deadLetters, fn, mapping };
}

test('works off every message with at most MaximumConcurrency invocations at once', async () => {
  const pool = new ConcurrencyPool();
  const { queue, mapping } = setUp(pool, 3, 10_000);
  for (let index = 0; index < 6; index += 1) queue.send(`ok-${index}`, Date.now());
  await mapping.drain();

  expect(mapping.counts).toMatchObject({ invocations: 6, recordsDeleted: 6, recordsRetried: 0, mostAtOnce: 2 });
  expect(pool.mostAtOnce()).toBe(2);
  expect(queue.counts).toMatchObject({ deleted: 6, held: 0 });
});

test('a record reported in batchItemFailures comes back until maxReceiveCount, then goes to the dead-letter queue', async () => {
  const { queue, deadLetters, mapping } = setUp(new ConcurrencyPool(), 3);
  queue.send('retry-me', Date.now());
  queue.send('ok', Date.now());
  await mapping.drain();

  expect(mapping.counts).toMatchObject({ invocations: 4, recordsRetried: 3, recordsDeleted: 1 });
  expect(deadLetters.bodies()).toEqual(['retry-me']);
});

test('an invocation that throws leaves its records for another receive', async () => {
  const { queue, deadLetters, mapping } = setUp(new ConcurrencyPool(), 2);
  queue.send('throw', Date.now());
  await mapping.drain();

  expect(mapping.counts).toMatchObject({ invocations: 2, recordsRetried: 2, recordsDeleted: 0 });
  expect(deadLetters.bodies()).toEqual(['throw']);
});

test("throttled by the account's concurrency, the batch is invoked again once an execution is free, within its visibility timeout", async () => {
  const pool = new ConcurrencyPool(1);
  pool.tryAcquire('someone-else');
  const { queue, mapping } = setUp(pool, 5);
  queue.send('ok', Date.now());
  setTimeout(() => pool.release('someone-else'), 10);
  await mapping.drain();

  expect(mapping.counts.throttled).toBeGreaterThanOrEqual(1);
  // The same receive: nothing came back to the queue.
  expect(mapping.counts).toMatchObject({ invocations: 1, recordsDeleted: 1, recordsRetried: 0 });
  expect(queue.counts).toMatchObject({ movedToDeadLetterQueue: 0 });
});

test('a batch still throttled when its visibility timeout ends comes back to the queue with one more receive', async () => {
  const pool = new ConcurrencyPool(1);
  pool.tryAcquire('someone-else');
  const { queue, mapping } = setUp(pool, 5);
  queue.send('ok', Date.now());
  // Freed only after the messages' visibility timeout (setUp's) has run out.
  setTimeout(() => pool.release('someone-else'), queue.visibilityTimeoutMs + 50);
  await mapping.drain();

  expect(mapping.counts).toMatchObject({ invocations: 1, recordsDeleted: 1, recordsRetried: 1 });
});
