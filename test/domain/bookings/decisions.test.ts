import * as assert from 'uvu/assert';
import { roster } from '../../../domain/bookings/rosters.ts';
import { getBooking } from '../../../domain/bookings/records.ts';
import { decideBooking, decideBookings, listStaffBookings } from '../../../domain/bookings/decisions.ts';
import { addBatch, blockDate, retireBatch, unblockDate } from '../../../domain/bookings/timetable.ts';
import { maskIdentityNumber } from '../../../domain/shared/masking.ts';
import {
  bookingSuite,
  taipei,
  NOW,
  q,
  person,
  grant,
  family,
  batch,
  staff,
  refusal,
  rawBooking,
  activeIn,
  bookNow,
} from './setup.ts';
import { viewer } from '../../support/staff.ts';

const test = bookingSuite('visit bookings, decisions: staff decide (one and all selected), rosters, what review found');

test('staff decide: version check, scope, reasons, all selected at once, audit log; rosters mask ID numbers', async (ctx) => {
  const date = '2026-11-30';
  const f = await family(ctx);
  const companion = await person(ctx, '林小華');
  await grant(ctx, companion, f.inmateId, { relationship: 'spouse' });
  const made = await bookNow(ctx, {
    bookerId: f.who,
    inmateId: f.inmateId,
    date,
    at: '09:30',
    companionIds: [companion],
  });
  const id = (made as { bookingId: number; number: string }).bookingId;
  assert.match((made as { number: string }).number, /^V20261128-[0-9A-Z]{6}$/);
  assert.is(
    await decideBooking(ctx.db.pool, id, 1, { decision: 'reject', reason: ' ' }, staff(ctx), NOW),
    'reason_required',
  );
  assert.is(await decideBooking(ctx.db.pool, id, 1, { decision: 'approve' }, staff(ctx, '2411'), NOW), 'not_found');
  assert.is(await decideBooking(ctx.db.pool, id, 1, { decision: 'approve' }, staff(ctx), NOW), 'decided');
  assert.is(
    await decideBooking(ctx.db.pool, id, 1, { decision: 'reject', reason: '重複' }, staff(ctx, null), NOW),
    'already_decided',
    'a second reviewer with the old version',
  );
  const audit = await q(
    ctx,
    `SELECT action, host(ip) AS ip FROM audit_log WHERE object_type = 'visit_booking' AND object_id = $1`,
    [id],
  );
  assert.equal(audit.rows, [{ action: 'visit_booking.approved', ip: '10.0.0.2' }]);

  const others = [];
  for (let i = 0; i < 2; i++) {
    const g = await family(ctx);
    others.push(
      (await bookNow(ctx, { bookerId: g.who, inmateId: g.inmateId, date, at: '09:30' })) as { bookingId: number },
    );
  }
  const outcomes = await decideBookings(
    ctx.db.pool,
    [{ id, version: 2 }, ...others.map((o) => ({ id: o.bookingId, version: 1 }))],
    { decision: 'reject', reason: '名額調整' },
    staff(ctx, null),
    NOW,
  );
  assert.equal([...outcomes.values()], ['already_decided', 'decided', 'decided']);
  assert.is(
    await decideBooking(ctx.db.pool, id, 2, { decision: 'approve' }, staff(ctx), taipei('2026-12-01T09:00:00')),
    'past',
  );

  const list = await listStaffBookings(
    ctx.db.pool,
    viewer('2477'),
    { institutionCode: null, kind: 'onsite', service: null, status: 'rejected', from: date, to: date, page: 1 },
    'zh-TW',
  );
  assert.equal(list.rows.map((r) => r.id).sort(), others.map((o) => o.bookingId).sort());
  assert.is(
    (
      await listStaffBookings(
        ctx.db.pool,
        viewer('2411'),
        { institutionCode: null, kind: null, service: null, status: null, from: date, to: date, page: 1 },
        'zh-TW',
      )
    ).total,
    0,
  );

  const rows = (await roster(ctx.db.pool, viewer('2477'), { institutionCode: '2477', date, service: 'visit' }))!;
  const visitors = (await getBooking(ctx.db.pool, null, id, 'zh-TW'))!.visitors;
  assert.equal(
    rows.map((r) => [r.id, r.startsAt, r.ordinal]),
    [[id, '09:30', 2]],
    'approved visits only',
  );
  assert.equal(
    rows[0]!.visitors.map((v) => [v.position, v.maskedNationalId, v.relationship]),
    visitors.map((v) => [v.position, `******${v.nationalId.slice(-4)}`, v.relationship]),
  );
  assert.equal(
    visitors.map((v) => v.relationship),
    ['mother', 'spouse'],
  );
  assert.is(
    await roster(ctx.db.pool, viewer('2411'), { institutionCode: '2477', date, service: 'visit' }),
    null,
    'another institution’s roster',
  );
  assert.is(maskIdentityNumber('A123456789'), '******6789');
});

test('found in review: one booking per person, inmate and day, also in the database; no approval on a date closed since; a batch taken off and added back keeps its count', async (ctx) => {
  const f = await family(ctx);
  const first = await bookNow(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-12-02', at: '09:00' });
  assert.is(first.kind, 'booked');
  const second = await bookNow(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-12-02', at: '14:00' });
  assert.equal(second, { kind: 'errors', errors: { slot: 'sameDay' } });
  const raw = await refusal(
    rawBooking(ctx, {
      bookerId: f.who,
      applicationId: f.applicationId,
      inmateId: f.inmateId,
      date: '2026-12-02',
      batchId: await batch(ctx, 'onsite', '2026-12-02', '14:00'),
      bookedAt: NOW,
    }),
  );
  assert.is(raw, 'visit_booking_one_per_day', 'the database refuses it too');
  assert.is(
    (await bookNow(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-12-03', at: '09:00' })).kind,
    'booked',
    'another day is fine',
  );

  const id = (first as { bookingId: number }).bookingId;
  const active = (
    await q(
      ctx,
      `SELECT count(*)::int AS n FROM visit_booking WHERE institution_code = '2477' AND visit_date = '2026-12-02' AND status IN ('pending', 'approved')`,
    )
  ).rows[0].n;
  assert.equal(
    await blockDate(ctx.db.pool, { institutionCode: '2477', date: '2026-12-02', reason: '停電' }, staff(ctx), NOW),
    { kind: 'blocked', activeBookings: active },
  );
  const version = (await q(ctx, 'SELECT version FROM visit_booking WHERE id = $1', [id])).rows[0].version;
  assert.is(await decideBooking(ctx.db.pool, id, version, { decision: 'approve' }, staff(ctx), NOW), 'closed');
  assert.is(
    await decideBooking(ctx.db.pool, id, version, { decision: 'reject', reason: '當日停電' }, staff(ctx), NOW),
    'decided',
    'it can still be rejected',
  );
  await unblockDate(ctx.db.pool, '2477', '2026-12-02', staff(ctx), NOW);

  // Monday 2026-11-30 14:00 (capacity 5): two booked, taken off, added back with 3 places: one more fits, not three.
  const monday = await batch(ctx, 'onsite', '2026-11-30', '14:00');
  for (let i = 0; i < 2; i++) {
    const g = await family(ctx);
    assert.is(
      (await bookNow(ctx, { bookerId: g.who, inmateId: g.inmateId, date: '2026-11-30', at: '14:00' })).kind,
      'booked',
    );
  }
  assert.ok(await retireBatch(ctx.db.pool, monday, staff(ctx), NOW));
  const back = await addBatch(
    ctx.db.pool,
    { institutionCode: '2477', kind: 'onsite', weekday: 1, startsAt: '14:00', lengthMinutes: 30, capacity: 3 },
    staff(ctx),
    NOW,
  );
  assert.equal(back, { kind: 'added', batchId: monday }, 'the same batch comes back');
  const outcomes = [];
  for (let i = 0; i < 3; i++) {
    const g = await family(ctx);
    outcomes.push(
      (await bookNow(ctx, { bookerId: g.who, inmateId: g.inmateId, date: '2026-11-30', at: '14:00' })).kind,
    );
  }
  assert.equal(outcomes, ['booked', 'errors', 'errors']);
  assert.is(await activeIn(ctx, monday, '2026-11-30'), 3);
});

test.run();
