import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { bookVisit } from '../../../domain/bookings/booking.ts';
import { bookableGrid } from '../../../domain/bookings/availability.ts';
import {
  HOLD_MINUTES,
  heldUntilTime,
  holdPlace,
  purgeExpiredHolds,
  releaseHold,
} from '../../../domain/bookings/holds.ts';
import {
  bookingSuite,
  NOW,
  q,
  family,
  batch,
  input,
  refusal,
  rawBooking,
  activeIn,
  bookNow,
  type Ctx,
} from './setup.ts';

const test = bookingSuite('visit bookings, a place held while booking: holds under concurrency, expiry and release');

const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
type Family = Awaited<ReturnType<typeof family>>;

const hold = (ctx: Ctx, f: Family, key: string, batchId: number, date: string, now = NOW) =>
  holdPlace(ctx.db.pool, { key, applicantId: f.who, batchId, date }, now);

/** The grid cell of a batch on a date as `f` sees it (with their wizard's key), null when not offered. */
async function cellFor(ctx: Ctx, f: Family, date: string, at: string, key?: string, now = NOW) {
  const g = (await bookableGrid(
    ctx.db.pool,
    { applicantId: f.who, inmateId: f.inmateId, kind: 'onsite', holdKey: key },
    now,
  ))!;
  const column = g.dates.findIndex((d) => d.date === date);
  return { cell: g.rows.find((r) => r.startsAt === at)!.cells[column], full: g.full };
}

/** Fills a batch up to `left` places by booking through the code. */
async function bookAllBut(ctx: Ctx, date: string, at: string, capacity: number, left: number) {
  for (let i = 0; i < capacity - left; i++) {
    const f = await family(ctx);
    assert.is((await bookNow(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at })).kind, 'booked');
  }
}

const holdsOf = async (ctx: Ctx, batchId: number, date: string) =>
  (await q(ctx, 'SELECT count(*)::int AS n FROM visit_hold WHERE batch_id = $1 AND visit_date = $2', [batchId, date]))
    .rows[0].n as number;

test('50 people choose the last 3 places at once: exactly 3 holds; the others see them taken; each holder books inside the hold and the booking replaces the hold', async (ctx) => {
  const date = '2026-12-01';
  const batchId = await batch(ctx, 'onsite', date, '14:00');
  await bookAllBut(ctx, date, '14:00', 5, 3);
  const people: Family[] = [];
  for (let i = 0; i < 50; i++) people.push(await family(ctx));
  const keys = people.map(() => randomUUID());
  const results = await Promise.all(people.map((f, i) => hold(ctx, f, keys[i]!, batchId, date)));
  const held = people.filter((_, i) => results[i]!.kind === 'held');
  assert.is(held.length, 3);
  assert.is(results.filter((r) => r.kind === 'taken').length, 47);
  assert.is(await holdsOf(ctx, batchId, date), 3);
  assert.ok(
    results.every((r) => r.kind === 'taken' || r.until.getTime() === minutes(HOLD_MINUTES).getTime()),
    'held for 10 minutes',
  );
  assert.is(heldUntilTime(minutes(HOLD_MINUTES)), '10:10');

  // The grid: the held places count as taken for everyone else; a holder's own hold does not.
  const loser = people[results.findIndex((r) => r.kind === 'taken')]!;
  const loserKey = keys[results.findIndex((r) => r.kind === 'taken')]!;
  const seen = await cellFor(ctx, loser, date, '14:00', loserKey);
  assert.is(seen.cell, null, 'nothing left for the others');
  assert.ok(seen.full.includes(`${date}|${batchId}`), 'the cell is known to be taken');
  const firstHolder = results.findIndex((r) => r.kind === 'held');
  assert.equal((await cellFor(ctx, people[firstHolder]!, date, '14:00', keys[firstHolder])).cell, {
    batchId,
    remaining: 1,
    endsAt: '14:30',
  });

  // Someone without a hold cannot book over the holds, through the code or straight into the table.
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      await input(ctx, { bookerId: loser.who, inmateId: loser.inmateId, date, at: '14:00', submissionKey: loserKey }),
      minutes(5),
    ),
    {
      kind: 'errors',
      errors: { slot: 'full' },
    },
  );
  assert.is(
    await refusal(
      rawBooking(ctx, {
        bookerId: loser.who,
        applicationId: loser.applicationId,
        inmateId: loser.inmateId,
        date,
        batchId,
        bookedAt: minutes(5),
      }),
    ),
    'visit_batch_full',
  );

  // Each holder books inside the hold, all at once: none loses the place.
  const booked = await Promise.all(
    people.map(async (f, i) =>
      results[i]!.kind === 'held'
        ? bookVisit(
            ctx.db.pool,
            await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '14:00', submissionKey: keys[i]! }),
            minutes(9),
          )
        : null,
    ),
  );
  assert.is(booked.filter((b) => b?.kind === 'booked').length, 3);
  assert.is(await activeIn(ctx, batchId, date), 5);
  assert.is(await holdsOf(ctx, batchId, date), 0, 'the bookings replaced the holds');
});

test('an expired hold frees the place: it stops counting at its end, and its holder then takes the usual full-batch path', async (ctx) => {
  const date = '2026-12-02';
  const batchId = await batch(ctx, 'onsite', date, '14:00');
  await bookAllBut(ctx, date, '14:00', 5, 1);
  const a = await family(ctx);
  const b = await family(ctx);
  const aKey = randomUUID();
  const bKey = randomUUID();
  assert.is((await hold(ctx, a, aKey, batchId, date)).kind, 'held');
  assert.equal(await hold(ctx, b, bKey, batchId, date, minutes(HOLD_MINUTES - 1)), { kind: 'taken' });
  assert.is((await cellFor(ctx, b, date, '14:00', bKey, minutes(HOLD_MINUTES - 1))).cell, null);
  // At its end the hold no longer counts.
  assert.equal((await cellFor(ctx, b, date, '14:00', bKey, minutes(HOLD_MINUTES))).cell, {
    batchId,
    remaining: 1,
    endsAt: '14:30',
  });
  assert.is((await hold(ctx, b, bKey, batchId, date, minutes(HOLD_MINUTES + 1))).kind, 'held');
  // A confirms after the hold: the place is B's now.
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      await input(ctx, { bookerId: a.who, inmateId: a.inmateId, date, at: '14:00', submissionKey: aKey }),
      minutes(HOLD_MINUTES + 2),
    ),
    { kind: 'errors', errors: { slot: 'full' } },
  );
  assert.is(
    (
      await bookVisit(
        ctx.db.pool,
        await input(ctx, { bookerId: b.who, inmateId: b.inmateId, date, at: '14:00', submissionKey: bKey }),
        minutes(HOLD_MINUTES + 3),
      )
    ).kind,
    'booked',
  );
  assert.is(await activeIn(ctx, batchId, date), 5);

  // A confirmation after an expired hold still books when there is room.
  const c = await family(ctx);
  const cKey = randomUUID();
  const morning = await batch(ctx, 'onsite', date, '09:00');
  assert.is((await hold(ctx, c, cKey, morning, date)).kind, 'held');
  assert.is(
    (
      await bookVisit(
        ctx.db.pool,
        await input(ctx, { bookerId: c.who, inmateId: c.inmateId, date, submissionKey: cKey }),
        minutes(30),
      )
    ).kind,
    'booked',
  );
  assert.is(await holdsOf(ctx, morning, date), 0);
});

test('a hold is released when its holder chooses another batch (one hold per wizard) or cancels; expired rows are purged', async (ctx) => {
  const date = '2026-12-03';
  const afternoon = await batch(ctx, 'onsite', date, '14:00');
  const morning = await batch(ctx, 'onsite', date, '09:30');
  await bookAllBut(ctx, date, '14:00', 5, 1);
  const a = await family(ctx);
  const b = await family(ctx);
  const aKey = randomUUID();
  const bKey = randomUUID();
  assert.is((await hold(ctx, a, aKey, afternoon, date)).kind, 'held');
  assert.is((await hold(ctx, b, bKey, afternoon, date, minutes(1))).kind, 'taken');
  // A chooses another batch: the afternoon place is free again, and A holds one place only.
  assert.is((await hold(ctx, a, aKey, morning, date, minutes(2))).kind, 'held');
  assert.equal(
    (await q(ctx, 'SELECT batch_id FROM visit_hold WHERE submission_key = $1', [aKey])).rows.map((r) =>
      Number(r.batch_id),
    ),
    [morning],
  );
  assert.is((await hold(ctx, b, bKey, afternoon, date, minutes(3))).kind, 'held');
  // B cancels: the place is free for A again.
  await releaseHold(ctx.db.pool, bKey);
  assert.is((await hold(ctx, a, aKey, afternoon, date, minutes(4))).kind, 'held');
  assert.is(await holdsOf(ctx, morning, date), 0);
  // Choosing the same batch again keeps the one hold, now from that moment.
  assert.equal(await hold(ctx, a, aKey, afternoon, date, minutes(6)), {
    kind: 'held',
    until: minutes(6 + HOLD_MINUTES),
  });
  assert.is(await holdsOf(ctx, afternoon, date), 1);

  // The purge removes expired rows only.
  const c = await family(ctx);
  assert.is((await hold(ctx, c, randomUUID(), morning, date, minutes(-20))).kind, 'held');
  assert.is(await purgeExpiredHolds(ctx.db.pool, minutes(7)), 1);
  assert.is(await holdsOf(ctx, afternoon, date), 1);
  assert.is(await holdsOf(ctx, morning, date), 0);
});

test('a hold needs a batch offered on that date, and the database refuses a hold beyond capacity whatever the code', async (ctx) => {
  const date = '2026-12-04';
  const f = await family(ctx);
  const other = await batch(ctx, 'onsite', '2026-12-05', '09:00');
  assert.equal(await hold(ctx, f, randomUUID(), other, date), { kind: 'taken' });
  const remote = await batch(ctx, 'remote', date, '09:00'); // 2 places
  const rows = [];
  for (let i = 0; i < 6; i++) {
    const p = await family(ctx);
    rows.push(
      refusal(
        q(
          ctx,
          'INSERT INTO visit_hold (submission_key, applicant_id, batch_id, visit_date, held_at, held_until) VALUES ($1, $2, $3, $4, $5, $6)',
          [randomUUID(), p.who, remote, date, NOW, minutes(HOLD_MINUTES)],
        ),
      ),
    );
  }
  const outcomes = await Promise.all(rows);
  assert.is(outcomes.filter((o) => o === 'accepted').length, 2);
  assert.is(outcomes.filter((o) => o === 'visit_hold_full').length, 4);
});

test.run();
