import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEMPLATE_DB = 'portal_test_template';

function adminUrl(): string {
  const url = process.env.TEST_ADMIN_URL;
  if (!url) throw new Error('TEST_ADMIN_URL is not set: run the tests with `npm test`');
  return url;
}

export type TestDb = { url: string; pool: pg.Pool; drop: () => Promise<void> };

/** A database of its own for one test file, copied from the migrated template (fast). */
export async function freshDatabase(): Promise<TestDb> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE portal_test_template`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 20 });
  // pool.end() resolves once its clients are told to end, not once their connections are closed; the
  // DROP … WITH (FORCE) below may then terminate one still closing, whose error would reach the pool
  // with no listener and stop the whole run. That one error is expected; any other is reported.
  let dropping = false;
  pool.on('error', (err: Error & { code?: string }) => {
    if (dropping && err.code === '57P01') return;
    console.error(`idle client error on test database ${name}:`, err);
  });
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      dropping = true;
      await pool.end();
      const a = new pg.Client({ connectionString: adminUrl() });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
