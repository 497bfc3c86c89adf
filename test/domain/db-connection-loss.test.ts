import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type pg from 'pg';
import { createPool, withTransaction } from '../../domain/platform/db.ts';
import { freshDatabase } from '../support/db.ts';
import { until } from '../support/wait.ts';

// Issue 14: PostgreSQL stopped under load. A transaction's client waiting on Node between two statements
// loses its server: the process must live on, the transaction fail, and the pool carry on with new clients.
test('a checked-out client whose server connection ends does not end the process; the pool recovers', async () => {
  const db = await freshDatabase();
  const idleErrors: Error[] = [];
  const pool = createPool(db.url, (err) => idleErrors.push(err));
  try {
    let client: pg.PoolClient | undefined;
    const transaction = withTransaction(pool, async (tx) => {
      client = tx;
      await tx.query('SELECT 1');
      const pid = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      // As a server shutting down does: the backend ends while this client is between statements.
      await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await until('the client to notice', async () => !(tx as unknown as { _queryable: boolean })._queryable);
      await tx.query('SELECT 2');
    });
    const err = await transaction.then(
      () => null,
      (e: Error) => e,
    );
    assert.ok(err, 'the transaction failed');
    assert.ok(client, 'it ran');
    assert.is((await pool.query<{ n: number }>('SELECT 41 + 1 AS n')).rows[0]!.n, 42, 'the pool still serves');
    assert.is(pool.totalCount, 1, 'with a new client: the broken one was dropped');
    assert.equal(idleErrors, []);
  } finally {
    await pool.end();
    await db.drop();
  }
});

test.run();
