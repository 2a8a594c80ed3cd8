/**
 * A local Amazon SQS for the deploy storm: an HTTP server on loopback that answers the JSON
 * protocol `@aws-sdk/client-sqs` speaks (POST, `X-Amz-Target: AmazonSQS.<Operation>`,
 * content-type application/x-amz-json-1.0) for SendMessage, DeleteMessage and
 * ChangeMessageVisibility on the queues it holds, so that an unmodified client given
 * `AWS_ENDPOINT_URL_SQS` reaches them. SendMessage answers the body's MD5, which the client
 * checks. Errors carry SQS's query-compatible code header as the service does.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TEST_ENVIRONMENT } from '../fixtures/environment';
import { LoopbackHttpServer, readBody } from './loopback-http-server';
import { SqsQueue, type SqsQueueSettings } from './sqs-queue';

export type SqsOperation = 'SendMessage' | 'DeleteMessage' | 'ChangeMessageVisibility';

/** One request the emulator answered. */
export interface SqsCall {
  readonly operation: string;
  readonly queueUrl?: string;
  readonly status: number;
  readonly errorCode?: string;
}

interface Failure {
  readonly status: number;
  readonly type: string;
  readonly queryCode: string;
  readonly message: string;
}

const NON_EXISTENT_QUEUE = (url: unknown): Failure => ({
  status: 400,
  type: 'com.amazonaws.sqs#QueueDoesNotExist',
  queryCode: 'AWS.SimpleQueueService.NonExistentQueue;Sender',
  message: `The specified queue ${String(url)} does not exist.`,
});
const INVALID_HANDLE: Failure = {
  status: 400,
  type: 'com.amazonaws.sqs#ReceiptHandleIsInvalid',
  queryCode: 'ReceiptHandleIsInvalid;Sender',
  message: 'The input receipt handle is invalid.',
};

export class SqsEmulator {
  static async start(): Promise<SqsEmulator> {
    const emulator = new SqsEmulator();
    emulator.server = await LoopbackHttpServer.start((req, res) => void emulator.handle(req, res).catch(() => res.destroy()));
    return emulator;
  }

  private server!: LoopbackHttpServer;
  private readonly queues = new Map<string, SqsQueue>();
  private readonly log: SqsCall[] = [];

  /** `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL_SQS`. */
  get endpoint(): string {
    return this.server.endpoint;
  }

  get calls(): ReadonlyArray<SqsCall> {
    return this.log;
  }

  /** Makes a queue named `name`; its URL is on this emulator, its ARN in the tests' account and region. */
  createQueue(name: string, settings: Omit<SqsQueueSettings, 'name' | 'arn' | 'url'> = {}): SqsQueue {
    const { partition, region, account } = TEST_ENVIRONMENT;
    const queue = new SqsQueue({
      ...settings,
      name,
      arn: `arn:${partition}:sqs:${region}:${account}:${name}`,
      url: `${this.endpoint}/${account}/${name}`,
    });
    this.queues.set(queue.url, queue);
    return queue;
  }

  /** Removes the queue, with its messages: later calls naming it get QueueDoesNotExist. */
  deleteQueue(url: string): void {
    this.queues.delete(url);
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : 'UnknownOperation';
    const input = body === '' ? {} : JSON.parse(body);
    const queue = this.queues.get(input.QueueUrl);
    let answer: { status: number; body: object; failure?: Failure };
    if (req.method !== 'POST' || !String(req.headers['authorization'] ?? '').includes('/sqs/aws4_request')) {
      answer = failed({ status: 403, type: 'com.amazonaws.sqs#MissingAuthenticationToken', queryCode: 'MissingAuthenticationToken;Sender', message: 'Missing or foreign credential scope.' });
    } else if (queue === undefined) {
      answer = failed(NON_EXISTENT_QUEUE(input.QueueUrl));
    } else {
      answer = this.operate(operation, queue, input);
    }
    this.log.push({ operation, queueUrl: input.QueueUrl, status: answer.status, ...(answer.failure ? { errorCode: answer.failure.type.split('#')[1] } : {}) });
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
      ...(answer.failure ? { 'x-amzn-query-error': answer.failure.queryCode } : {}),
    });
    res.end(text);
  }

  private operate(operation: string, queue: SqsQueue, input: Record<string, any>): { status: number; body: object; failure?: Failure } {
    const now = Date.now();
    switch (operation) {
      case 'SendMessage': {
        const { messageId, md5OfBody } = queue.send(String(input.MessageBody), now);
        return { status: 200, body: { MessageId: messageId, MD5OfMessageBody: md5OfBody } };
      }
      case 'DeleteMessage':
        // SQS answers success for a handle that no longer names a message in flight.
        queue.delete(String(input.ReceiptHandle));
        return { status: 200, body: {} };
      case 'ChangeMessageVisibility':
        return queue.changeVisibility(String(input.ReceiptHandle), Number(input.VisibilityTimeout) * 1000, now)
          ? { status: 200, body: {} }
          : failed(INVALID_HANDLE);
      default:
        return failed({ status: 400, type: 'com.amazonaws.sqs#InvalidAction', queryCode: 'InvalidAction;Sender', message: `${operation} is not supported here.` });
    }
  }
}

function failed(failure: Failure): { status: number; body: object; failure: Failure } {
  return { status: failure.status, body: { __type: failure.type, message: failure.message }, failure };
}
