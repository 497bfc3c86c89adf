import { suite } from 'uvu';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Runner } from 'graphile-worker';
import { createLogger } from '../../domain/platform/logger.ts';
import { createApp } from '../../routes/app.ts';
import { loadConfig, type Config } from '../../domain/platform/config.ts';
import { smtpTransport } from '../../domain/platform/mailer.ts';
import { startWorker } from '../../domain/jobs.ts';
import { type Clock, systemClock } from '../../domain/platform/clock.ts';
import type { RateLimits } from '../../routes/middleware/rate-limits.ts';
import { freshDatabase, type TestDb } from './db.ts';
import { SmtpSink } from './smtp-sink.ts';
import { SmsSink } from './sms-sink.ts';
import { httpSmsSender } from '../../domain/platform/sms.ts';

export type TestApp = {
  url: string;
  db: TestDb;
  smtp: SmtpSink;
  /** the SMS gateway; null when the app runs without one (opts.sms false) */
  sms: SmsSink | null;
  config: Config;
  /** Every log line the app wrote, as JSON text. */
  logs: string[];
  close: () => Promise<void>;
};

/**
 * The real portal on an ephemeral port: its own database, a real SMTP sink on loopback and the real
 * delivery worker. Nothing is mocked.
 */
export async function startTestApp(
  opts: { clock?: Clock; limits?: Partial<RateLimits>; env?: Record<string, string>; sms?: boolean } = {},
): Promise<TestApp> {
  const db = await freshDatabase();
  const smtp = await new SmtpSink().start();
  const sms = opts.sms === false ? null : await new SmsSink().start();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: url,
    DATABASE_URL: db.url,
    SMTP_URL: smtp.url,
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: 'debug',
    ...(sms ? { SMS_URL: sms.url, SMS_TOKEN: 'test-sms-token' } : {}),
    ...opts.env,
  });
  const logs: string[] = [];
  // The production logger and its redaction, written to memory so tests can read what it logged.
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    }),
  );
  const clock = opts.clock ?? systemClock;
  const transport = smtpTransport(smtp.url, config.mailFrom);
  const smsSender = config.smsUrl ? httpSmsSender(config.smsUrl, config.smsToken) : null;
  const worker: Runner = await startWorker({
    pool: db.pool,
    logger,
    transport,
    sms: smsSender,
    clock,
    pollInterval: 200,
  });
  const app = createApp({ config, pool: db.pool, logger, clock, limits: opts.limits });
  server.on('request', app);
  return {
    url,
    db,
    smtp,
    sms,
    config,
    logs,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker.stop();
      transport.close();
      await smtp.stop();
      await sms?.stop();
      await db.drop();
    },
  };
}

/** A suite of tests that share one app, started before the first and closed after the last. */
export function appSuite(name: string, opts: Parameters<typeof startTestApp>[0] = {}) {
  const test = suite<{ app: TestApp }>(name);
  test.before(async (ctx) => {
    ctx.app = await startTestApp(opts);
  });
  test.after(async (ctx) => {
    await ctx.app.close();
  });
  return test;
}
