/**
 * A local stand-in for the presigned S3 URL CloudFormation gives a custom resource to answer
 * on: an HTTP (or HTTPS) server on loopback that records every request, and can refuse the
 * next ones to test the handler's retries.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** One request, as the receiver saw and answered it. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  /** The path alone. */
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** The status the receiver answered with, or 'reset' or 'hang' when it gave no answer. */
  readonly answeredWith: Answer;
  /** Epoch milliseconds, when the request began to arrive. */
  readonly receivedAt: number;
  /**
   * `process.hrtime.bigint()` when the body's last byte had arrived. It reads CLOCK_MONOTONIC,
   * which every process on the machine shares, so it compares with a child process's readings.
   */
  readonly completedAt: bigint;
}

/**
 * An HTTP status; 'reset': the connection is reset without an answer, as a network fault does;
 * 'hang': the connection stays open and silent until the receiver stops.
 */
export type Answer = number | 'reset' | 'hang';

export interface ResponseReceiverOptions {
  /** Serve HTTPS with this certificate, as S3 does; plain HTTP without it. */
  readonly tls?: { readonly certificate: string; readonly privateKey: string };
}

export class ResponseReceiver {
  static async start(options: ResponseReceiverOptions = {}): Promise<ResponseReceiver> {
    const receiver = new ResponseReceiver(options);
    await receiver.listen();
    return receiver;
  }

  /** e.g. `http://127.0.0.1:PORT`. */
  origin = '';
  /** Every request, in order of arrival. */
  readonly requests: ReceivedRequest[] = [];

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly refusals: Answer[] = [];
  private waiters: Array<{ readonly path: string; readonly resolve: (request: ReceivedRequest) => void }> = [];

  private constructor(private readonly options: ResponseReceiverOptions) {
    const onRequest = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    this.server = options.tls
      ? createHttpsServer({ cert: options.tls.certificate, key: options.tls.privateKey }, onRequest)
      : createHttpServer(onRequest);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /**
   * A presigned-style URL on this receiver. Its query carries `X-Amz-Signature=<signature>`,
   * the secret a log must never show.
   */
  urlFor(path: string, signature = 'secret-signature'): string {
    const query = new URLSearchParams({ 'X-Amz-Expires': '7200', 'X-Amz-Signature': signature });
    return `${this.origin}${path}?${query}`;
  }

  /** Requests to one path (without query), in order. */
  requestsTo(path: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** The first request to one path (without query), as soon as it has arrived (possibly already). */
  firstRequestTo(path: string): Promise<ReceivedRequest> {
    const arrived = this.requests.find((request) => request.path === path);
    return arrived ? Promise.resolve(arrived) : new Promise((resolve) => this.waiters.push({ path, resolve }));
  }

  /** The bodies of the requests answered 200, parsed. */
  acceptedBodies(path?: string): unknown[] {
    return (path === undefined ? this.requests : this.requestsTo(path))
      .filter((request) => request.answeredWith === 200)
      .map((request) => JSON.parse(request.body));
  }

  /** How many requests were answered with an error. */
  get refusedCount(): number {
    return this.requests.filter((request) => request.answeredWith !== 200).length;
  }

  /** The next `times` requests are refused so (S3 answers 500 or 503 when it cannot take one). */
  refuseNext(times: number, refusal: Answer = 503): void {
    for (let i = 0; i < times; i++) {
      this.refusals.push(refusal);
    }
  }

  /** Forgets the requests and pending refusals. */
  reset(): void {
    this.requests.length = 0;
    this.refusals.length = 0;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await closed;
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.origin = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // First, so that nothing the receiver does itself counts in the time to the response.
      const completedAt = process.hrtime.bigint();
      const answer = this.refusals.shift() ?? 200;
      const url = req.url ?? '';
      const request: ReceivedRequest = {
        method: req.method ?? '',
        url,
        path: url.split('?')[0],
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answeredWith: answer,
        receivedAt,
        completedAt,
      };
      this.requests.push(request);
      if (answer === 'reset') {
        breakConnection(req.socket);
      } else if (answer !== 'hang') {
        res.writeHead(answer, { 'content-length': 0 });
        res.end();
      }
      this.notifyWaiters(request);
    });
  }

  private notifyWaiters(request: ReceivedRequest): void {
    const matching = this.waiters.filter((waiter) => waiter.path === request.path);
    this.waiters = this.waiters.filter((waiter) => waiter.path !== request.path);
    matching.forEach((waiter) => waiter.resolve(request));
  }
}

/**
 * Ends the connection without an answer: a TCP reset on plain HTTP; a TLS socket cannot send
 * one, so it is destroyed unanswered, which the client sees as "socket hang up" (ECONNRESET).
 */
function breakConnection(socket: Socket): void {
  if (socket instanceof TLSSocket) {
    socket.destroy();
  } else {
    socket.resetAndDestroy();
  }
}
