import { md5Hex, SqsQueue } from './sqs-queue';

const queueWith = (settings: { visibilityTimeoutMs?: number; retentionMs?: number; maxReceiveCount?: number } = {}) => {
  const deadLetters = new SqsQueue({ name: 'dlq', arn: 'arn:dlq', url: 'http://q/dlq' });
  const queue = new SqsQueue({
    name: 'work',
    arn: 'arn:work',
    url: 'http://q/work',
    visibilityTimeoutMs: settings.visibilityTimeoutMs ?? 1_000,
    ...(settings.retentionMs === undefined ? {} : { retentionMs: settings.retentionMs }),
    ...(settings.maxReceiveCount === undefined ? {} : { redrive: { deadLetterQueue: deadLetters, maxReceiveCount: settings.maxReceiveCount } }),
  });
  return { queue, deadLetters };
};

test('a received message is hidden for the visibility timeout, then comes back with one more receive', () => {
  const { queue } = queueWith({ visibilityTimeoutMs: 1_000 });
  queue.send('{"RequestId":"r1"}', 0);

  const [first] = queue.receive(10, 0);
  expect(first).toMatchObject({ body: '{"RequestId":"r1"}', md5OfBody: md5Hex('{"RequestId":"r1"}') });
  expect(first.attributes).toMatchObject({ ApproximateReceiveCount: '1', SentTimestamp: '0', ApproximateFirstReceiveTimestamp: '0' });
  expect(queue.receive(10, 999)).toEqual([]);
  expect(queue.nextVisibleAt(500)).toBe(1_000);

  const [again] = queue.receive(10, 1_000);
  expect(again.messageId).toBe(first.messageId);
  expect(again.receiptHandle).not.toBe(first.receiptHandle);
  expect(again.attributes).toMatchObject({ ApproximateReceiveCount: '2', ApproximateFirstReceiveTimestamp: '0' });
});

test('only the latest receipt handle deletes; a deleted message never comes back', () => {
  const { queue } = queueWith();
  queue.send('a', 0);
  const [first] = queue.receive(1, 0);
  const [second] = queue.receive(1, 1_000);

  expect(queue.delete(first.receiptHandle)).toBe(false);
  expect(queue.delete(second.receiptHandle)).toBe(true);
  expect(queue.receive(10, 10_000)).toEqual([]);
  expect(queue.counts).toMatchObject({ sent: 1, deleted: 1, held: 0 });
});

test('receives at most the batch size, oldest first', () => {
  const { queue } = queueWith();
  ['a', 'b', 'c'].forEach((body, index) => queue.send(body, index));

  expect(queue.receive(2, 10).map((message) => message.body)).toEqual(['a', 'b']);
  expect(queue.receive(2, 10).map((message) => message.body)).toEqual(['c']);
});

test('ChangeMessageVisibility moves when the message comes back', () => {
  const { queue } = queueWith({ visibilityTimeoutMs: 1_000 });
  queue.send('a', 0);
  const [message] = queue.receive(1, 0);

  expect(queue.changeVisibility(message.receiptHandle, 0, 100)).toBe(true);
  expect(queue.receive(1, 100)).toHaveLength(1);
  expect(queue.changeVisibility('unknown', 0, 100)).toBe(false);
});

test('a message received maxReceiveCount times moves to the dead-letter queue at its next receive', () => {
  const { queue, deadLetters } = queueWith({ visibilityTimeoutMs: 1_000, maxReceiveCount: 2 });
  queue.send('poison', 0);

  expect(queue.receive(1, 0)).toHaveLength(1);
  expect(queue.receive(1, 1_000)).toHaveLength(1);
  expect(queue.receive(1, 2_000)).toEqual([]);
  expect(queue.counts).toMatchObject({ movedToDeadLetterQueue: 1, held: 0 });
  expect(deadLetters.bodies()).toEqual(['poison']);
});

test('a message older than the retention period is dropped, received or not', () => {
  const { queue } = queueWith({ retentionMs: 60_000 });
  queue.send('old', 0);
  queue.send('new', 30_000);

  expect(queue.receive(10, 60_001).map((message) => message.body)).toEqual(['new']);
  expect(queue.counts).toMatchObject({ expired: 1 });
});

test('tells its listeners of each message sent', () => {
  const { queue } = queueWith();
  const heard: number[] = [];
  const stop = queue.whenSent(() => heard.push(queue.counts.held));
  queue.send('a', 0);
  stop();
  queue.send('b', 0);

  expect(heard).toEqual([1]);
});
