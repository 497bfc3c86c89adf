import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createPool } from '../domain/platform/db.ts';
import { ensureDatabase, startEmbeddedDb } from '../domain/platform/embedded-db.ts';
import { migrate } from '../domain/platform/migrate.ts';
import { migrateWorkerSchema } from '../domain/platform/worker.ts';
import { createLogger } from '../domain/platform/logger.ts';

export type CleanUp = (() => Promise<unknown>)[];

/**
 * A migrated scratch database for one benchmark: on DATABASE_URL's server, or on an embedded
 * PostgreSQL in a temporary folder; dropped (and the server stopped) by the steps it adds to cleanUp.
 * The pool has the portal's own settings (10 connections), so figures are what one instance sees.
 */
export async function scratchDatabase(label: string, cleanUp: CleanUp): Promise<{ pool: pg.Pool; url: string }> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), `portal-bench-${label}-`));
  cleanUp.unshift(() => rm(tmp, { recursive: true, force: true }));
  await chmod(tmp, 0o755); // as root the server runs as the postgres user, who must reach the folder
  if (!process.env.DATABASE_URL) process.stderr.write('starting the embedded PostgreSQL\n');
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedDb(path.join(tmp, 'pg'));
  if (embedded) cleanUp.unshift(() => embedded.stop());
  const adminUrl = process.env.DATABASE_URL ?? embedded!.url;
  const name = `portal_bench_${label}_${process.pid}`;
  const url = await ensureDatabase(adminUrl, name);
  cleanUp.unshift(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => admin.end());
  });
  const pool = createPool(url, () => undefined);
  cleanUp.unshift(() => pool.end());
  await migrate(pool);
  await migrateWorkerSchema(pool, createLogger('silent'));
  return { pool, url };
}
