import * as assert from 'uvu/assert';
import { bookVisit } from '../../../domain/bookings/booking.ts';
import { cancelBooking } from '../../../domain/bookings/changes.ts';
import { getBooking, listApplicantBookings } from '../../../domain/bookings/records.ts';
import { staffCancelBooking } from '../../../domain/bookings/decisions.ts';
import { setBatchCapacity } from '../../../domain/bookings/timetable.ts';
import { bookableGrid, bookingOptions } from '../../../domain/bookings/availability.ts';
import { reasonRequired } from '../../../domain/bookings/vocabulary.ts';
import {
  bookingSuite,
  taipei,
  NOW,
  q,
  family,
  batch,
  input,
  staff,
  refusal,
  rawBooking,
  activeIn,
  bookNow,
} from './setup.ts';

const test = bookingSuite(
  'visit bookings, booking: capacity under load, the reason, cancelling, double submits and phone bookings',
);

test('50 people confirm the last 3 places at once: exactly 3 are booked, the rest told it is full; the count never passes capacity; a cancellation frees a place', async (ctx) => {
  const date = '2026-12-01';
  const batchId = await batch(ctx, 'onsite', date, '14:00');
  for (let i = 0; i < 2; i++) {
    const f = await family(ctx);
    assert.is((await bookNow(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '14:00' })).kind, 'booked');
  }
  const people = [];
  for (let i = 0; i < 50; i++) people.push(await family(ctx));
  const inputs = await Promise.all(
    people.map((f) => input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '14:00' })),
  );
  const results = await Promise.all(inputs.map((i) => bookVisit(ctx.db.pool, i, NOW)));
  const booked = results.filter((r) => r.kind === 'booked');
  assert.is(booked.length, 3);
  assert.ok(
    results
      .filter((r) => r.kind === 'errors')
      .every((r) => JSON.stringify(r) === JSON.stringify({ kind: 'errors', errors: { slot: 'full' } })),
    'everyone else: full',
  );
  assert.is(await activeIn(ctx, batchId, date), 5);
  assert.is(
    (await q(ctx, 'SELECT booked FROM visit_batch_day WHERE batch_id = $1 AND visit_date = $2', [batchId, date]))
      .rows[0].booked,
    5,
  );

  const loser = people.find((_, i) => results[i]!.kind === 'errors')!;
  const gridFor = async () =>
    (await bookableGrid(ctx.db.pool, { applicantId: loser.who, inmateId: loser.inmateId, kind: 'onsite' }, NOW))!;
  const column = (await gridFor()).dates.findIndex((d) => d.date === date);
  const row = (g: Awaited<ReturnType<typeof gridFor>>) => g.rows.find((r) => r.startsAt === '14:00')!.cells[column];
  assert.is(row(await gridFor()), null, 'a full batch is not offered');

  const winner = people[results.findIndex((r) => r.kind === 'booked')]!;
  assert.is(
    await cancelBooking(ctx.db.pool, winner.who, (booked[0] as { bookingId: number }).bookingId, NOW),
    'cancelled',
  );
  assert.equal(row(await gridFor()), { batchId, remaining: 1, endsAt: '14:30' });
  assert.is((await bookNow(ctx, { bookerId: loser.who, inmateId: loser.inmateId, date, at: '14:00' })).kind, 'booked');
  assert.is(await activeIn(ctx, batchId, date), 5);

  // Skipping the code does not help: 50 inserts at once straight into the table for 5 places.
  const raw = await batch(ctx, 'onsite', date, '09:30');
  const others = [];
  for (let i = 0; i < 50; i++) others.push(await family(ctx));
  const outcomes = await Promise.all(
    others.map((f) =>
      refusal(
        rawBooking(ctx, {
          bookerId: f.who,
          applicationId: f.applicationId,
          inmateId: f.inmateId,
          date,
          batchId: raw,
          bookedAt: NOW,
        }),
      ),
    ),
  );
  assert.is(outcomes.filter((o) => o === 'accepted').length, 5);
  assert.is(outcomes.filter((o) => o === 'visit_batch_full').length, 45);
  assert.is(await activeIn(ctx, raw, date), 5);
  // And a sixth in the afternoon batch.
  const extra = await family(ctx);
  assert.is(
    await refusal(
      rawBooking(ctx, {
        bookerId: extra.who,
        applicationId: extra.applicationId,
        inmateId: extra.inmateId,
        date,
        batchId,
        bookedAt: NOW,
      }),
    ),
    'visit_batch_full',
  );
  // A lower capacity refuses new bookings and keeps the ones made.
  assert.ok(await setBatchCapacity(ctx.db.pool, batchId, 3, staff(ctx), NOW));
  assert.is(await activeIn(ctx, batchId, date), 5);
  assert.equal(await bookNow(ctx, { bookerId: extra.who, inmateId: extra.inmateId, date, at: '14:00' }), {
    kind: 'errors',
    errors: { slot: 'full' },
  });
  assert.ok(await setBatchCapacity(ctx.db.pool, batchId, 5, staff(ctx), NOW));
});

test('the reason (相當理由) is required except for closest relatives, family, lawyers and defenders', async (ctx) => {
  const date = '2026-12-04';
  assert.equal(['mother', 'spouse', 'in_law', 'household_member', 'lawyer', 'defender'].map(reasonRequired), [
    false,
    false,
    false,
    false,
    false,
    false,
  ]);
  assert.equal(['agency_worker', 'trainee_lawyer', 'litigation_agent', 'interpreter'].map(reasonRequired), [
    true,
    true,
    true,
    true,
  ]);

  const worker = await family(ctx, { relationship: 'agency_worker' });
  const options = await bookingOptions(ctx.db.pool, worker.who, 'zh-TW');
  assert.equal(
    options.map((o) => [o.service, o.kinds, o.reasonRequired]),
    [['visit', ['onsite', 'remote', 'mobile'], true]],
  );
  assert.equal(await bookNow(ctx, { bookerId: worker.who, inmateId: worker.inmateId, date, reason: '  \r\n ' }), {
    kind: 'errors',
    errors: { reason: 'reasonRequired' },
  });
  assert.equal(
    await bookNow(ctx, { bookerId: worker.who, inmateId: worker.inmateId, date, reason: '理'.repeat(501) }),
    { kind: 'errors', errors: { reason: 'reasonTooLong' } },
  );
  assert.is(
    (await bookNow(ctx, { bookerId: worker.who, inmateId: worker.inmateId, date, reason: '社工訪視，討論出監後安置' }))
      .kind,
    'booked',
  );
  const mother = await family(ctx);
  assert.is((await bookNow(ctx, { bookerId: mother.who, inmateId: mother.inmateId, date })).kind, 'booked');
  const interpreter = await family(ctx, { service: 'lawyer_visit', relationship: 'interpreter' }, '2411');
  assert.equal(
    await bookNow(ctx, {
      bookerId: interpreter.who,
      inmateId: interpreter.inmateId,
      date,
      service: 'lawyer_visit',
      arrivalTime: '09:00',
    }),
    { kind: 'errors', errors: { reason: 'reasonRequired' } },
  );
  // The database: an agency worker's booking without a reason.
  const w2 = await family(ctx, { relationship: 'agency_worker' });
  assert.is(
    await refusal(
      rawBooking(ctx, {
        bookerId: w2.who,
        applicationId: w2.applicationId,
        inmateId: w2.inmateId,
        date,
        batchId: await batch(ctx, 'onsite', date, '09:00'),
        relationship: 'agency_worker',
        bookedAt: NOW,
      }),
    ),
    'visit_booking_reason_required',
  );
});

test('cancelling: the booker until the day before; staff at any time with a reason; cancelled stays cancelled', async (ctx) => {
  const f = await family(ctx);
  const date = '2026-12-05';
  const made = await bookNow(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '09:30' });
  const id = (made as { bookingId: number }).bookingId;
  assert.is(await cancelBooking(ctx.db.pool, f.who, id, taipei('2026-12-05T00:00:00')), 'too_late', 'on the day');
  assert.is(await cancelBooking(ctx.db.pool, f.who, id, taipei('2026-12-04T23:59:59')), 'cancelled', 'the day before');
  assert.is(await cancelBooking(ctx.db.pool, f.who, id, NOW), 'already_cancelled');
  assert.is(
    await refusal(q(ctx, `UPDATE visit_booking SET status = 'approved', decided_at = now() WHERE id = $1`, [id])),
    'visit_booking_status',
  );
  assert.is(
    await refusal(q(ctx, `UPDATE visit_booking SET visit_date = '2026-12-04' WHERE id = $1`, [id])),
    'visit_booking_fixed',
  );
  assert.is(
    await refusal(q(ctx, `UPDATE visit_booking_visitor SET active = true WHERE booking_id = $1`, [id])),
    'accepted',
  );
  assert.is(
    (await q(ctx, 'SELECT active FROM visit_booking_visitor WHERE booking_id = $1', [id])).rows[0].active,
    false,
    'a visitor mirrors the booking',
  );
  // The booker cannot cancel on the day by hand either.
  const again = await bookNow(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '09:30' });
  const id2 = (again as { bookingId: number }).bookingId;
  assert.is(
    await refusal(
      q(ctx, `UPDATE visit_booking SET status = 'cancelled', cancelled_at = $2 WHERE id = $1`, [
        id2,
        taipei('2026-12-05T08:00:00'),
      ]),
    ),
    'visit_booking_cancel_deadline',
  );

  const v = (await getBooking(ctx.db.pool, null, id2, 'zh-TW'))!.version;
  assert.is(await staffCancelBooking(ctx.db.pool, id2, v, '  ', staff(ctx), NOW), 'reason_required');
  assert.is(await staffCancelBooking(ctx.db.pool, id2, v, '停電', staff(ctx, '2411'), NOW), 'not_found');
  assert.is(await staffCancelBooking(ctx.db.pool, id2, v - 1, '停電', staff(ctx), NOW), 'changed');
  assert.is(
    await staffCancelBooking(ctx.db.pool, id2, v, '機關停電，暫停接見', staff(ctx), taipei('2026-12-05T08:00:00')),
    'cancelled',
  );
  const detail = (await getBooking(ctx.db.pool, '2477', id2, 'zh-TW'))!;
  assert.equal(
    [detail.status, detail.cancelReason, detail.history.map((h) => h.action)],
    ['cancelled', '機關停電，暫停接見', ['booked', 'cancelled']],
  );
  const mine = (await listApplicantBookings(ctx.db.pool, f.who, NOW, 'zh-TW')).filter((b) => b.date === date);
  assert.equal(
    mine.map((b) => [b.status, b.canCancel]),
    [
      ['cancelled', false],
      ['cancelled', false],
    ],
  );
});

test('a double submit books once; a phone booking by staff follows the same rules and is marked', async (ctx) => {
  const f = await family(ctx);
  const date = '2026-12-02';
  const first = await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, kind: 'remote' });
  const [a, b] = await Promise.all([bookVisit(ctx.db.pool, first, NOW), bookVisit(ctx.db.pool, first, NOW)]);
  assert.is(a.kind, 'booked');
  assert.equal(b, a);
  const other = await family(ctx);
  assert.equal(await bookVisit(ctx.db.pool, { ...first, bookerId: other.who, inmateId: other.inmateId }, NOW), {
    kind: 'errors',
    errors: { form: 'formUsed' },
  });

  const caller = await family(ctx);
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      { ...(await input(ctx, { bookerId: caller.who, inmateId: caller.inmateId, date })), phone: staff(ctx, '2411') },
      NOW,
    ),
    { kind: 'errors', errors: { form: 'outsideScope' } },
  );
  const phoned = await bookVisit(
    ctx.db.pool,
    { ...(await input(ctx, { bookerId: caller.who, inmateId: caller.inmateId, date })), phone: staff(ctx) },
    NOW,
  );
  assert.is(phoned.kind, 'booked');
  const detail = (await getBooking(ctx.db.pool, '2477', (phoned as { bookingId: number }).bookingId, 'zh-TW'))!;
  assert.equal([detail.byPhone, detail.status, detail.videoToken], [true, 'pending', null]);
  const audit = await q(
    ctx,
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'visit_booking.phone_booked' AND object_id = $1`,
    [detail.id],
  );
  assert.is(audit.rows[0].n, 1);
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      {
        ...(await input(ctx, { bookerId: caller.who, inmateId: caller.inmateId, date: '2026-12-07' })),
        phone: staff(ctx),
      },
      NOW,
    ),
    { kind: 'errors', errors: { slot: 'outsideWindow' } },
  );
});

test.run();
