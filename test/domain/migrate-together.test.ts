import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool } from '../../domain/platform/db.ts';
import { createLogger } from '../../domain/platform/logger.ts';
import { migrate } from '../../domain/platform/migrate.ts';
import { migrateWorkerSchema } from '../../domain/platform/worker.ts';

// Issue 14: instances started at the same moment on an empty database each run what server.ts runs at
// start (our migrations, then graphile-worker's). Both start, and each migration is applied once.
async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_ADMIN_URL!;
  const name = `t_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await run(`CREATE DATABASE ${name} TEMPLATE template0`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

test('three instances starting together on an empty database: all start, the migrations run once', async () => {
  for (let round = 0; round < 3; round++) {
    const db = await emptyDatabase();
    const pools = [1, 2, 3].map(() => createPool(db.url, () => undefined));
    try {
      const applied = await Promise.all(
        pools.map(async (pool) => {
          const ours = await migrate(pool);
          await migrateWorkerSchema(pool, createLogger('silent'));
          return ours;
        }),
      );
      const all = applied.flat();
      assert.ok(all.length > 10, `round ${round}: every migration applied`);
      assert.is(new Set(all).size, all.length, `round ${round}: none twice`);
      assert.is(applied.filter((a) => a.length > 0).length, 1, `round ${round}: by one instance`);
      const { rows } = await pools[0]!.query(`SELECT count(*)::int AS n FROM graphile_worker.migrations`);
      assert.ok(rows[0].n > 0, `round ${round}: the job queue's schema is there`);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await db.drop();
    }
  }
});

test.run();
