/**
 * The test command: one PostgreSQL for the whole run (DATABASE_URL's server, or an embedded one in a
 * temporary folder), a migrated template database that each test file copies, then every uvu test
 * file, then one closing line "N passed, N failed".
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedDb, type EmbeddedDb } from '../domain/platform/embedded-db.ts';
import { migrate } from '../domain/platform/migrate.ts';
import { migrateWorkerSchema } from '../domain/platform/worker.ts';
import { createLogger } from '../domain/platform/logger.ts';
import { TEMPLATE_DB } from './support/db.ts';

const root = path.resolve(import.meta.dirname, '..');
const [dirArg, patternArg] = process.argv.slice(2);

async function prepareTemplate(adminUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB} ENCODING 'UTF8' TEMPLATE template0`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${TEMPLATE_DB}`;
  const pool = new pg.Pool({ connectionString: url.toString() });
  await migrate(pool);
  await migrateWorkerSchema(pool, createLogger('silent'));
  await pool.end();
}

async function main(): Promise<number> {
  let embedded: EmbeddedDb | undefined;
  let tmp: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'portal-test-'));
    await chmod(tmp, 0o755); // the server runs as the postgres user when we are root
    embedded = await startEmbeddedDb(path.join(tmp, 'pg'));
    adminUrl = embedded.url;
  }
  try {
    await prepareTemplate(adminUrl);
    const args = [
      '--import',
      'tsx',
      path.join(root, 'node_modules/uvu/bin.js'),
      dirArg ?? 'test',
      patternArg ?? '\\.test\\.ts$',
      '--no-color',
    ];
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, TEST_ADMIN_URL: adminUrl, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
    });
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
    const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? NaN);
    const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? NaN);
    if (Number.isNaN(total) || Number.isNaN(passed)) {
      console.log('\nThe test runner stopped before reporting its totals.');
      console.log('0 passed, 1 failed');
      return 1;
    }
    const failed = total - passed;
    console.log(`\n${passed} passed, ${failed} failed`);
    return code === 0 && failed === 0 ? 0 : 1;
  } finally {
    if (embedded) await embedded.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
