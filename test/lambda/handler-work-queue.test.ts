/**
 * The two ways the function is invoked: by CloudFormation, when it hands the request to the
 * work queue and returns, and by the queue's event source mapping, when it does the work. The
 * real SQS client talks to a local stand-in.
 */
import type { Context, SQSEvent } from 'aws-lambda';
import { createEvent, lambdaContext } from '../fixtures/cloudformation-events';
import { SqsEmulator } from '../support/sqs-emulator';
import type { SqsQueue } from '../support/sqs-queue';
import { HandlerHarness, useHandlerHarness } from './handler-harness';

describe('The work queue', () => {
  const harness = useHandlerHarness();
  let sqs: SqsEmulator;
  let queue: SqsQueue;
  const saved = { ...process.env };

  beforeAll(async () => {
    sqs = await SqsEmulator.start();
    queue = sqs.createQueue('work');
    process.env.AWS_ENDPOINT_URL_SQS = sqs.endpoint;
  });
  beforeEach(() => {
    process.env.CONNECT_ALIAS_QUEUE_URL = queue.url;
  });
  afterAll(async () => {
    for (const name of ['AWS_ENDPOINT_URL_SQS', 'CONNECT_ALIAS_QUEUE_URL']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await sqs.stop();
  });

  /** Invokes the handler as Lambda would, returning what it returned and its log lines. */
  async function invoke(event: unknown, context: Context = lambdaContext(10_000)) {
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      const returned = await harness.handler(event as never, context);
      return { returned, log: lines.map((line) => JSON.parse(line)) };
    } finally {
      spy.mockRestore();
    }
  }

  function queueEvent(...bodies: string[]): SQSEvent {
    return {
      Records: bodies.map((body, index) => ({
        messageId: `message-${index}`,
        receiptHandle: `handle-${index}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'AROAEXAMPLE',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: queue.arn,
        awsRegion: 'us-east-1',
      })),
    };
  }

  test("CloudFormation's invocation hands the request to the queue and returns without a call to Connect or an answer", async () => {
    const event = createEvent({ responseUrl: harness.receiver.urlFor('/queued') });

    const { returned, log } = await invoke(event);

    expect(returned).toBeUndefined();
    expect(queue.bodies().map((body) => JSON.parse(body))).toContainEqual(event);
    expect(log).toEqual([{ requestType: 'Create', logicalResourceId: event.LogicalResourceId, outcome: 'QUEUED' }]);
    expect(harness.emulator.calls).toEqual([]);
    expect(harness.receiver.requestsTo('/queued')).toEqual([]);
  });

  test('the queue\'s invocation does the work, answers CloudFormation and hands nothing back', async () => {
    const event = createEvent({ responseUrl: harness.receiver.urlFor('/worked') });
    HandlerHarness.awaiting(event, harness.cloudFormation);

    const { returned } = await invoke(queueEvent(JSON.stringify(event)));

    expect(returned).toEqual({ batchItemFailures: [] });
    expect(harness.receiver.acceptedBodies('/worked')).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
    expect(harness.emulator.aliasesOf(event.ResourceProperties.InstanceId, event.ResourceProperties.EmailAddressId)).toEqual([
      event.ResourceProperties.AliasEmailAddressId,
    ]);
  });

  test('a message that carries no request is dropped with a log line, not handed back to come again', async () => {
    const { returned, log } = await invoke(queueEvent('not a request', JSON.stringify({ hello: 'world' })));

    expect(returned).toEqual({ batchItemFailures: [] });
    expect(log).toEqual([
      expect.objectContaining({ messageId: 'message-0', outcome: 'DROPPED' }),
      expect.objectContaining({ messageId: 'message-1', outcome: 'DROPPED' }),
    ]);
  });

  test('when the queue cannot take the request, the invocation does the work itself', async () => {
    process.env.CONNECT_ALIAS_QUEUE_URL = `${queue.url}-deleted`;
    const event = createEvent({ responseUrl: harness.receiver.urlFor('/direct') });
    HandlerHarness.awaiting(event, harness.cloudFormation);

    const { log } = await invoke(event);

    expect(log[0]).toMatchObject({ outcome: 'NOT QUEUED', reason: expect.stringMatching(/QueueDoesNotExist|NonExistentQueue/) });
    expect(harness.receiver.acceptedBodies('/direct')).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
  });
});
