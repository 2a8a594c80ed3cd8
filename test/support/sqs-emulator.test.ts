import { ChangeMessageVisibilityCommand, DeleteMessageCommand, QueueDoesNotExist, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { TEST_ENVIRONMENT } from '../fixtures/environment';
import { SqsEmulator } from './sqs-emulator';

let emulator: SqsEmulator;
let client: SQSClient;
beforeAll(async () => {
  emulator = await SqsEmulator.start();
  client = new SQSClient({
    region: TEST_ENVIRONMENT.region,
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

test('SendMessage from the unmodified client reaches the queue, and the client accepts the MD5 it answers', async () => {
  const queue = emulator.createQueue('send-test');
  const sent = await client.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '{"RequestId":"r1"}' }));

  expect(queue.bodies()).toEqual(['{"RequestId":"r1"}']);
  expect(sent.MessageId).toEqual(expect.any(String));
  expect(emulator.calls.at(-1)).toMatchObject({ operation: 'SendMessage', status: 200 });
});

test('DeleteMessage and ChangeMessageVisibility act on the message last received', async () => {
  const queue = emulator.createQueue('receipt-test', { visibilityTimeoutMs: 60_000 });
  queue.send('a', Date.now());
  queue.send('b', Date.now());
  const [a, b] = queue.receive(2, Date.now());
  await client.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: a.receiptHandle }));
  await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queue.url, ReceiptHandle: b.receiptHandle, VisibilityTimeout: 0 }));

  expect(queue.receive(10, Date.now()).map((message) => message.body)).toEqual(['b']);
});

test('a queue that does not exist, or no longer does, is QueueDoesNotExist', async () => {
  const queue = emulator.createQueue('deleted-test');
  emulator.deleteQueue(queue.url);

  await expect(client.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'x' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
});
