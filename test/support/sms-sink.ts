import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedSms = { to: string; text: string; authorization: string | null };

/**
 * A real HTTP SMS gateway on loopback, speaking the interface of domain/infra/sms.ts: it keeps every
 * message it accepts, and can be told to answer with an error for a while.
 */
export class SmsSink {
  readonly messages: ReceivedSms[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  private failWith: number | null = null;
  port = 0;

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/send') return void res.writeHead(404).end();
      if (this.failWith) return void res.writeHead(this.failWith).end();
      try {
        const { to, text } = JSON.parse(body) as { to: string; text: string };
        this.messages.push({ to, text, authorization: req.headers.authorization ?? null });
        res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"accepted":true}');
      } catch {
        res.writeHead(400).end();
      }
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/send`;
  }

  /** Answers every message with this HTTP status until `accept()`. */
  refuse(status = 503): void {
    this.failWith = status;
  }

  accept(): void {
    this.failWith = null;
  }

  async waitFor(match: (m: ReceivedSms) => boolean, timeoutMs = 10_000): Promise<ReceivedSms> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `no matching SMS within ${timeoutMs} ms; received: ${this.messages.map((m) => m.to).join(', ') || 'none'}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
