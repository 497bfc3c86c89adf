import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export type ReceivedMail = { to: string; subject: string; text: string; html: string };

/** A real SMTP server on loopback that keeps what it receives. */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  private server: SMTPServer;
  private waiters: Array<() => void> = [];
  port = 0;

  /** When set, every message is refused at MAIL FROM with this temporary (4xx) reply. */
  private refusal: { code: number; message: string } | null = null;

  constructor() {
    this.server = this.createServer();
  }

  private createServer(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onMailFrom: (_address, _session, callback) => {
        if (!this.refusal) return callback();
        const err = Object.assign(new Error(this.refusal.message), { responseCode: this.refusal.code });
        callback(err);
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((m: ParsedMail) => {
            const to = Array.isArray(m.to) ? m.to.map((a) => a.text).join(', ') : (m.to?.text ?? '');
            this.mails.push({
              to,
              subject: m.subject ?? '',
              text: m.text ?? '',
              html: typeof m.html === 'string' ? m.html : '',
            });
            this.waiters.splice(0).forEach((w) => w());
            callback();
          })
          .catch(callback);
      },
    });
  }

  /**
   * Listens on loopback: a free port the first time, then (after `stop()`) the same port again, so a
   * transport configured with `url` reaches it once more.
   */
  async start(): Promise<this> {
    if (!this.server.server.listening && this.port !== 0) this.server = this.createServer();
    await new Promise<void>((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Waits until a mail matching `match` arrives (or has arrived) and returns it. */
  async waitFor(match: (m: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.mails.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no matching mail within ${timeoutMs} ms; received: ${this.mails.map((m) => `${m.to}: ${m.subject}`).join(' | ') || 'none'}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Answers every message with a temporary failure (e.g. 451) until `accept()`; nothing is kept. */
  refuse(code = 451, message = '4.3.0 Mail server temporarily unavailable (test)'): void {
    this.refusal = { code, message };
  }

  accept(): void {
    this.refusal = null;
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.toLowerCase().includes(address.toLowerCase()));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The first link in a mail's text that starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const link = mail.text.match(/https?:\/\/\S+/g)?.find((l) => l.startsWith(prefix));
  if (!link) throw new Error(`no link starting with ${prefix} in mail "${mail.subject}":\n${mail.text}`);
  return link;
}
