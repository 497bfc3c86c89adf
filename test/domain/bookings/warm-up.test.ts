import * as assert from 'uvu/assert';
import type { PoolClient } from 'pg';
import { bookVisit, readyForBookings } from '../../../domain/bookings/booking.ts';
import { createPool, openPool, POOL_SIZE } from '../../../domain/platform/db.ts';
import { bookingSuite, NOW, family, input, q } from './setup.ts';

/**
 * Issue 14: at start the portal opens every connection of its pool and readies it for a rush of
 * bookings: the pre-check run with a booking that matches nobody, then whole bookings made and rolled
 * back, so the first rush meets connections whose plans are settled and trigger functions compiled.
 * Against the real PostgreSQL: every backend holds both statements, nothing at all was kept, and real
 * bookings then use the same prepared statements on those connections.
 */
const test = bookingSuite('visit bookings, connections readied at start');

test('openPool readies every connection for bookings; nothing is kept; bookings follow on the same statements', async (ctx) => {
  const pool = createPool(ctx.db.url, () => undefined);
  try {
    // Every table the warm-up writes in its transactions, and those the booking's triggers write.
    const TABLES = [
      'institution',
      'visit_batch',
      'applicant',
      'inmate',
      'service_application',
      'visit_booking',
      'visit_booking_visitor',
      'visit_booking_event',
      'visit_batch_day',
      'notification',
      'notification_outbox',
    ];
    const counts = async () =>
      (await q(ctx, `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`)).rows[0];
    const before = await counts();
    await openPool(pool, (client) => readyForBookings(client, NOW));
    assert.is(pool.totalCount, POOL_SIZE, 'every connection is open');
    assert.is(pool.idleCount, POOL_SIZE, 'and back in the pool');
    assert.equal(await counts(), before, 'the warm-up kept nothing');

    // Each backend: the pre-check settled on its generic plan (five custom plans first), and the booking
    // itself prepared and run by the warm-up's bookings.
    const clients = await Promise.all(Array.from({ length: POOL_SIZE }, () => pool.connect()));
    // Their backends, idle: no transaction left open, no lock of any kind held (other tests' are not theirs).
    const pids = await Promise.all(
      clients.map(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid),
    );
    const locks = await q(ctx, `SELECT count(*)::int AS n FROM pg_locks WHERE pid = ANY ($1)`, [pids]);
    assert.is(locks.rows[0].n, 0, 'the readied connections hold no lock');
    const plans = await Promise.all(
      clients.map(async (c) => {
        const { rows } = await c.query<{ name: string; generic_plans: string; custom_plans: string }>(
          `SELECT name, generic_plans, custom_plans FROM pg_prepared_statements
            WHERE name IN ('visit_booking_pre_check', 'visit_booking_insert') ORDER BY name`,
        );
        const txn = await c.query<{ state: string }>('SELECT pg_current_xact_id_if_assigned() IS NULL AS state');
        return {
          statements: rows.map((r) => ({
            name: r.name,
            runs: Number(r.generic_plans) + Number(r.custom_plans),
            generic: Number(r.generic_plans) > 0,
          })),
          outsideTransaction: txn.rows[0]!.state,
        };
      }),
    );
    for (const c of clients) c.release();
    assert.equal(
      plans,
      Array.from({ length: POOL_SIZE }, () => ({
        statements: [
          { name: 'visit_booking_insert', runs: 3, generic: false },
          { name: 'visit_booking_pre_check', runs: 9, generic: true },
        ],
        outsideTransaction: true,
      })),
    );

    // The same named statements serve real bookings on these connections.
    const f = await family(ctx);
    const outcome = await bookVisit(
      pool,
      await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-12-01' }),
      NOW,
    );
    assert.is(outcome.kind, 'booked');
  } finally {
    await pool.end();
  }
});

test('a connection that cannot open fails openPool, and every connection that did open is back in the pool', async (ctx) => {
  const pool = createPool(ctx.db.url, () => undefined);
  try {
    // The fourth connection is refused, as PostgreSQL refuses one past max_connections.
    const connect = pool.connect.bind(pool) as () => Promise<PoolClient>;
    let calls = 0;
    pool.connect = (() =>
      ++calls === 4
        ? Promise.reject(new Error('sorry, too many clients already'))
        : connect()) as unknown as typeof pool.connect;
    const warmed: number[] = [];
    await openPool(pool, async () => {
      warmed.push(1);
    }).then(
      () => assert.unreachable('openPool should fail'),
      (err: Error) => assert.match(err.message, 'too many clients'),
    );
    assert.is(calls, POOL_SIZE);
    assert.equal(warmed, [], 'no warm-up once a connection failed');
    assert.is(pool.totalCount, POOL_SIZE - 1, 'the others opened');
    assert.is(pool.idleCount, POOL_SIZE - 1, 'and are all back in the pool, none left checked out');
  } finally {
    // A client left checked out would keep pool.end() waiting for ever: the assertions above report it.
    await Promise.race([pool.end(), new Promise((resolve) => setTimeout(resolve, 2000))]);
  }
});

test('a warm-up that fails waits for the others: no connection goes back mid-transaction, the failed one is closed', async (ctx) => {
  const pool = createPool(ctx.db.url, () => undefined);
  try {
    // The first connection's warm-up fails at once, between its BEGIN and its ROLLBACK; the others are
    // still inside their transactions then, and end them 300 ms later.
    let started = 0;
    const ended: boolean[] = [];
    const failure = openPool(pool, async (client) => {
      const n = started++;
      await client.query('BEGIN');
      await client.query('CREATE TEMP TABLE warm_up_probe (x int) ON COMMIT DROP');
      if (n === 0) throw new Error('the warm-up failed');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await client.query('ROLLBACK');
      ended.push(true);
    });
    // While openPool runs, a request asks for a connection: it must wait for one that is done.
    const asked = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const c = await pool.connect();
      try {
        const { rows } = await c.query<{ inside: boolean }>(
          `SELECT now() <> statement_timestamp() OR pg_current_xact_id_if_assigned() IS NOT NULL AS inside`,
        );
        return { inside: rows[0]!.inside, othersEnded: ended.length };
      } finally {
        c.release();
      }
    })();
    await failure.then(
      () => assert.unreachable('openPool should fail'),
      (err: Error) => assert.is(err.message, 'the warm-up failed'),
    );
    assert.equal(
      await asked,
      { inside: false, othersEnded: POOL_SIZE - 1 },
      'the request got a connection outside any transaction, after every warm-up ended',
    );
    assert.is(started, POOL_SIZE);
    assert.is(pool.totalCount, POOL_SIZE - 1, 'the connection whose warm-up failed was closed');
    assert.is(pool.idleCount, POOL_SIZE - 1, 'the others are back in the pool');
  } finally {
    await Promise.race([pool.end(), new Promise((resolve) => setTimeout(resolve, 2000))]);
  }
});

test.run();
