import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { migrate, MigrationError } from '../../domain/platform/migrate.ts';

const test = suite<{ db: TestDb; dir: string }>('migrations');
test.before.each(async (ctx) => {
  ctx.db = await freshDatabase();
  ctx.dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
  // The template already ran the real migrations: use a schema of our own for these files.
  await ctx.db.pool.query('DROP TABLE schema_migration');
});
test.after.each(async (ctx) => {
  await ctx.db.drop();
  await rm(ctx.dir, { recursive: true, force: true });
});

test('applies files once, in order', async ({ db, dir }) => {
  await writeFile(path.join(dir, '002_add_b.sql'), 'ALTER TABLE m_test ADD COLUMN b int;');
  await writeFile(path.join(dir, '001_create.sql'), 'CREATE TABLE m_test (a int);');
  assert.equal(await migrate(db.pool, dir), ['001_create.sql', '002_add_b.sql']);
  assert.equal(await migrate(db.pool, dir), []);
});

test('refuses to start when an applied file was edited', async ({ db, dir }) => {
  await writeFile(path.join(dir, '001_create.sql'), 'CREATE TABLE m_test (a int);');
  await migrate(db.pool, dir);
  await writeFile(path.join(dir, '001_create.sql'), 'CREATE TABLE m_test (a bigint);');
  try {
    await migrate(db.pool, dir);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, MigrationError);
    assert.match((err as Error).message, 'was edited after it was applied');
  }
});

test('a failing file is rolled back whole and nothing after it runs', async ({ db, dir }) => {
  await writeFile(path.join(dir, '001_bad.sql'), 'CREATE TABLE m_half (a int); SELECT 1/0;');
  await writeFile(path.join(dir, '002_next.sql'), 'CREATE TABLE m_next (a int);');
  try {
    await migrate(db.pool, dir);
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, '001_bad.sql failed');
  }
  const { rows } = await db.pool.query(`SELECT to_regclass('m_half') AS half, to_regclass('m_next') AS next`);
  assert.equal(rows[0], { half: null, next: null });
});

test('two instances migrating at once apply each file once (advisory lock)', async ({ db, dir }) => {
  // Without the lock the second CREATE TABLE would fail or the row would be inserted twice.
  await writeFile(path.join(dir, '001_slow.sql'), 'SELECT pg_sleep(0.3); CREATE TABLE m_once (a int);');
  const [a, b] = await Promise.all([migrate(db.pool, dir), migrate(db.pool, dir)]);
  assert.equal([...a, ...b], ['001_slow.sql']);
  const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM schema_migration');
  assert.is(rows[0].n, 1);
});

test.run();
