import http from 'node:http';
import path from 'node:path';
import { ConfigError, loadConfig } from './domain/platform/config.ts';
import { createLogger } from './domain/platform/logger.ts';
import { createPool, openPool } from './domain/platform/db.ts';
import { EmbeddedDbError, ensureDatabase, startEmbeddedDb, type EmbeddedDb } from './domain/platform/embedded-db.ts';
import { migrate, MigrationError } from './domain/platform/migrate.ts';
import { migrateWorkerSchema } from './domain/platform/worker.ts';
import { readyForBookings } from './domain/bookings/booking.ts';
import { startWorker } from './domain/jobs.ts';
import { storeDevMail } from './domain/notifications.ts';
import { httpSmsSender } from './domain/platform/sms.ts';
import { devMailboxTransport, smtpTransport } from './domain/platform/mailer.ts';
import { systemClock } from './domain/platform/clock.ts';
import { loadDemoData } from './domain/demo-data.ts';
import { hasActiveAgencyAdmin } from './domain/staff/accounts.ts';
import { createApp } from './routes/app.ts';

/** The composition root: configuration, database, migrations, worker, app, and a graceful stop. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);

  let embedded: EmbeddedDb | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const dataDir = path.resolve(import.meta.dirname, '.data/postgres');
    logger.info({ dataDir }, 'no DATABASE_URL: starting the embedded PostgreSQL');
    embedded = await startEmbeddedDb(dataDir, { ownSignals: true, onNotice: (msg) => logger.warn(msg) });
    databaseUrl = await ensureDatabase(embedded.url, 'portal');
  }

  const pool = createPool(databaseUrl, (err) => {
    const e = err as Error & { code?: string };
    logger.error({ code: e.code, message: e.message }, 'idle database client error');
  });
  const applied = await migrate(pool);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  await migrateWorkerSchema(pool, logger);
  // The pool's connections, opened and readied for a booking rush before the first request (db.ts).
  await openPool(pool, (client) => readyForBookings(client, systemClock())).catch((err: Error) =>
    logger.warn({ message: err.message }, 'could not ready the database connections in advance; they open on demand'),
  );

  const transport = config.devMailbox
    ? devMailboxTransport((mail) => storeDevMail(pool, mail), logger)
    : smtpTransport(config.smtpUrl!, config.mailFrom);
  const sms = config.smsUrl ? httpSmsSender(config.smsUrl, config.smsToken) : null;
  if (!sms) logger.info('no SMS_URL: text messages are recorded in the notification log, not sent');
  const worker = await startWorker({
    pool,
    logger,
    transport,
    sms,
    clock: systemClock,
    retentionYears: config.retentionYears,
  });

  let demoLogins: { who: string; account: string; password: string }[] = [];
  if (config.loadDemoData) {
    const demo = await loadDemoData(pool, systemClock());
    if (demo.loaded) logger.info('demo data loaded');
    demoLogins = demo.logins;
  }

  const app = createApp({ config, pool, logger });
  const server = http.createServer(app);
  // Headers must arrive quickly; a whole request may take 10 minutes, enough for 30 MB of documents
  // on a slow mobile link (about 80 s at 2 Mbit/s, far more on a weak signal).
  server.headersTimeout = 20_000;
  server.requestTimeout = 600_000;
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  const port = (server.address() as { port: number }).port;
  const url =
    config.databaseUrl || config.publicUrl !== `http://localhost:${config.port}`
      ? config.publicUrl
      : `http://localhost:${port}`;

  const lines = [`\n  Corrections Service Portal is running: ${url}`];
  if (config.devMailbox) lines.push(`  Mail is not sent in development: read it at ${url}/dev/mailbox`);
  if (demoLogins.length) {
    lines.push('  Demo logins (development only):');
    for (const l of demoLogins) lines.push(`    ${l.who.padEnd(34)} ${l.account.padEnd(22)} ${l.password}`);
  }
  // First start (production, or any database without demo data): nobody can sign in to the back office yet.
  if (!(await hasActiveAgencyAdmin(pool))) {
    const hint = 'npm run admin -- create-agency-admin --email <address> --name <name>';
    logger.warn({ command: hint }, 'no agency administrator yet');
    lines.push(
      '  No agency administrator exists yet. Create the first one (a one-time link to set the password is',
      `  mailed and printed) with:\n    ${hint}`,
    );
  }
  console.log(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing open requests');
    const force = setTimeout(() => {
      logger.error('graceful stop took too long; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await worker.stop();
    transport.close();
    await pool.end();
    if (embedded) await embedded.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof EmbeddedDbError || err instanceof MigrationError) {
    console.error(`\nThe portal could not start:\n${err.message}\n`);
  } else {
    console.error('The portal could not start:', err);
  }
  process.exit(1);
});
