import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './domain/platform/config.ts';
import { createLogger } from './domain/platform/logger.ts';
import { createPool } from './domain/platform/db.ts';
import { EmbeddedDbError, ensureDatabase, startEmbeddedDb, type EmbeddedDb } from './domain/platform/embedded-db.ts';
import { migrate, MigrationError } from './domain/platform/migrate.ts';
import { migrateWorkerSchema } from './domain/platform/worker.ts';
import { systemClock } from './domain/platform/clock.ts';
import { translator } from './domain/i18n/i18n.ts';
import { isLocale } from './domain/shared/locale.ts';
import { createAgencyAdminFromCommand } from './domain/staff/accounts.ts';
import { SET_PASSWORD_LINK_HOURS } from './domain/staff/vocabulary.ts';

/**
 * The portal's administration command, run where the portal runs, with its configuration (the same
 * environment as `npm start`):
 *
 *   npm run admin -- create-agency-admin --email admin@example.gov.tw --name 王大明 [--account wang] [--locale en]
 *
 * creates the first 矯正署管理者 (migrating the database first when needed), queues the mail with its
 * one-time password-set link (the running portal's worker sends it) and prints the link too. An address
 * that already has an account changes nothing. Exit codes: 0 done or nothing to do, 1 refused, 64 usage.
 */
const USAGE = `Usage: npm run admin -- create-agency-admin --email <address> --name <name> [--account <sign-in account>] [--locale zh-TW|en]`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        account: { type: 'string' },
        locale: { type: 'string', default: 'zh-TW' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 64;
  }
  const { positionals, values } = parsed;
  if (positionals[0] !== 'create-agency-admin' || positionals.length !== 1 || !values.email || !values.name) {
    console.error(USAGE);
    return 64;
  }
  if (!isLocale(values.locale)) {
    console.error(`--locale must be zh-TW or en\n${USAGE}`);
    return 64;
  }

  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  let embedded: EmbeddedDb | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedDb(path.resolve(import.meta.dirname, '.data/postgres'), { ownSignals: true });
    databaseUrl = await ensureDatabase(embedded.url, 'portal');
  }
  const pool = createPool(databaseUrl, (err) => logger.error({ message: (err as Error).message }, 'database error'));
  try {
    const applied = await migrate(pool);
    if (applied.length) console.log(`Migrations applied: ${applied.join(', ')}`);
    await migrateWorkerSchema(pool, logger);
    const outcome = await createAgencyAdminFromCommand(
      pool,
      { email: values.email, name: values.name, account: values.account },
      { now: systemClock(), publicUrl: config.publicUrl, locale: values.locale },
    );
    if (outcome.kind === 'exists') {
      console.log(
        `An account with the address ${values.email.trim()} already exists (sign-in account ${outcome.account}, role ${outcome.role}). Nothing was changed.`,
      );
      return 0;
    }
    if (outcome.kind === 'errors') {
      const t = translator('en');
      for (const [field, key] of Object.entries(outcome.errors)) console.error(`--${field}: ${t(key!)}`);
      return 1;
    }
    console.log(
      [
        `Agency administrator created: ${values.name.trim()} <${values.email.trim()}>, sign-in account "${outcome.account}".`,
        `A mail with a one-time link to set the password is queued; the running portal sends it.`,
        `The same link (single use, valid ${SET_PASSWORD_LINK_HOURS} hours):`,
        `  ${outcome.link}`,
      ].join('\n'),
    );
    return 0;
  } finally {
    await pool.end();
    if (embedded) await embedded.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError || err instanceof EmbeddedDbError || err instanceof MigrationError)
      console.error(`\nThe admin command could not run:\n${err.message}\n`);
    else console.error('The admin command failed:', err);
    process.exit(err instanceof ConfigError ? 78 : 1);
  },
);
