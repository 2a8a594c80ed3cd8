/**
 * The HTTP plumbing of the local AWS service emulators: a server that listens on loopback only
 * (nothing outside this machine can reach a test's fake service) and stops at once, so that
 * jest can exit even while the SDK holds keep-alive connections or an answer is withheld.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type LoopbackHost = '127.0.0.1' | '::1';

export interface LoopbackListenOptions {
  /** Default 127.0.0.1. */
  readonly host?: LoopbackHost;
  /** Default: a free one. */
  readonly port?: number;
}

export class LoopbackHttpServer {
  static async start(
    handler: (req: IncomingMessage, res: ServerResponse) => void,
    options: LoopbackListenOptions = {},
  ): Promise<LoopbackHttpServer> {
    const server = new LoopbackHttpServer(handler);
    await server.listen(options.host ?? '127.0.0.1', options.port ?? 0);
    return server;
  }

  /** `http://127.0.0.1:PORT` (or `http://[::1]:PORT`), for a client's `endpoint`. */
  get endpoint(): string {
    return this.url;
  }

  private url = '';
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    this.server = createServer(handler);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Closes the server; open connections, idle keep-alive and unanswered ones, are destroyed. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await closed;
  }

  private async listen(host: LoopbackHost, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const { address, port: chosen } = this.server.address() as AddressInfo;
    this.url = `http://${address.includes(':') ? `[${address}]` : address}:${chosen}`;
  }
}

/** The whole request body as text: the emulated APIs answer only once it has arrived. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
