/**
 * The handler as the work queue's event source mapping invokes it: each record a request that
 * CloudFormation published to the stack's topic, to be worked on and answered.
 */
import type { Context, SQSEvent } from 'aws-lambda';
import { createEvent, lambdaContext } from '../fixtures/cloudformation-events';
import { HandlerHarness, useHandlerHarness } from './handler-harness';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:AliasStack-WorkQueue';

describe('The work queue', () => {
  const harness = useHandlerHarness();

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
          SenderId: 'AIDAEXAMPLE',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: QUEUE_ARN,
        awsRegion: 'us-east-1',
      })),
    };
  }

  test.each([
    ['as the topic delivers it (raw)', (request: string) => request],
    ['in an SNS envelope, should raw delivery be off', (request: string) => JSON.stringify({ Type: 'Notification', Message: request })],
  ])('a request %s is worked on and answered, and nothing is handed back', async (_, wrap) => {
    const event = createEvent({ responseUrl: harness.receiver.urlFor('/worked') });
    HandlerHarness.awaiting(event, harness.cloudFormation);

    const { returned } = await invoke(queueEvent(wrap(JSON.stringify(event))));

    expect(returned).toEqual({ batchItemFailures: [] });
    expect(harness.receiver.acceptedBodies('/worked')).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
    const { InstanceId, EmailAddressId, AliasEmailAddressId } = event.ResourceProperties;
    expect(harness.emulator.aliasesOf(InstanceId, EmailAddressId)).toEqual([AliasEmailAddressId]);
  });

  test('a message that carries no request is dropped with a log line, not handed back to come again', async () => {
    const { returned, log } = await invoke(queueEvent('not a request', JSON.stringify({ hello: 'world' })));

    expect(returned).toEqual({ batchItemFailures: [] });
    expect(log).toEqual([
      expect.objectContaining({ messageId: 'message-0', outcome: 'DROPPED' }),
      expect.objectContaining({ messageId: 'message-1', outcome: 'DROPPED' }),
    ]);
  });

  test('a request CloudFormation sends the function itself, as to a stack deployed before the queue, is worked on alike', async () => {
    const run = await harness.run((responseUrl) => createEvent({ responseUrl }));

    expect(run.response.Status).toBe('SUCCESS');
  });
});
