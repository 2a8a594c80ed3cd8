/**
 * Stands in for the presigned S3 URL CloudFormation hands the handler: records each
 * response PUT and the moment its body has fully arrived.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedResponse {
  /** `process.hrtime.bigint()` when the last byte arrived; the clock is shared with child processes. */
  readonly receivedAt: bigint;
  readonly body: {
    readonly Status: 'SUCCESS' | 'FAILED';
    readonly Reason?: string;
    readonly PhysicalResourceId: string;
    readonly RequestId: string;
  };
}

export class ResponseReceiver {
  static async start(): Promise<ResponseReceiver> {
    const receiver = new ResponseReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  private readonly server: Server;
  private readonly received = new Map<string, ReceivedResponse>();
  private readonly waiting = new Map<string, (response: ReceivedResponse) => void>();

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const receivedAt = process.hrtime.bigint();
        response.writeHead(request.method === 'PUT' ? 200 : 405).end();
        if (request.method === 'PUT') {
          this.settle({ receivedAt, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        }
      });
    });
  }

  /** The ResponseURL for one request; the query mimics a presigned URL's shape. */
  urlFor(requestId: string): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/cloudformation-response/${requestId}?X-Amz-Signature=bench`;
  }

  /** Resolves when the response for `requestId` has arrived (possibly already). */
  responseTo(requestId: string): Promise<ReceivedResponse> {
    const response = this.received.get(requestId);
    if (response) {
      this.received.delete(requestId);
      return Promise.resolve(response);
    }
    return new Promise((resolve) => this.waiting.set(requestId, resolve));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private settle(response: ReceivedResponse): void {
    const waiter = this.waiting.get(response.body.RequestId);
    if (waiter) {
      this.waiting.delete(response.body.RequestId);
      waiter(response);
    } else {
      this.received.set(response.body.RequestId, response);
    }
  }
}
