import * as assert from 'uvu/assert';
import type { PoolClient } from 'pg';
import { bookVisit } from '../../../domain/bookings/booking.ts';
import { warmUpPreCheck } from '../../../domain/bookings/booking-checks.ts';
import { createPool, openPool, POOL_SIZE } from '../../../domain/platform/db.ts';
import { bookingSuite, NOW, family, input, q } from './setup.ts';

/**
 * Issue 14: at start the portal opens every connection of its pool and runs the booking pre-check on
 * each with a booking that matches nobody, so the first rush meets connections whose pre-check plan is
 * settled. Against the real PostgreSQL: every backend holds the statement with its generic plan chosen,
 * nothing was written, and real bookings then use the same prepared statement on those connections.
 */
const test = bookingSuite('visit bookings, connections readied at start');

test('openPool opens every connection and settles the pre-check on each; nothing is written; bookings follow', async (ctx) => {
  const pool = createPool(ctx.db.url, () => undefined);
  try {
    const written = async () =>
      (
        await q(
          ctx,
          `SELECT (SELECT count(*) FROM visit_booking) + (SELECT count(*) FROM notification) + (SELECT count(*) FROM visit_booking_event) AS n`,
        )
      ).rows[0].n;
    const before = await written();
    await openPool(pool, (client) => warmUpPreCheck(client, NOW));
    assert.is(pool.totalCount, POOL_SIZE, 'every connection is open');
    assert.is(pool.idleCount, POOL_SIZE, 'and back in the pool');
    assert.is(await written(), before, 'the warm-up wrote nothing');

    // Each backend: the pre-check prepared, planned five times with the values given, then generic.
    const clients = await Promise.all(Array.from({ length: POOL_SIZE }, () => pool.connect()));
    const plans = await Promise.all(
      clients.map(async (c) => {
        const { rows } = await c.query<{ generic_plans: string; custom_plans: string }>(
          `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'visit_booking_pre_check'`,
        );
        return rows.map((r) => ({ generic: Number(r.generic_plans), custom: Number(r.custom_plans) }));
      }),
    );
    for (const c of clients) c.release();
    assert.equal(
      plans,
      Array.from({ length: POOL_SIZE }, () => [{ generic: 1, custom: 5 }]),
    );

    // The same named statement serves real bookings on these connections.
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

test.run();
