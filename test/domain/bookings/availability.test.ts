import * as assert from 'uvu/assert';
import { bookVisit } from '../../../domain/bookings/booking.ts';
import { cancelBooking } from '../../../domain/bookings/changes.ts';
import { listApplicantBookings } from '../../../domain/bookings/records.ts';
import { addBatch, listTimetable, retireBatch } from '../../../domain/bookings/timetable.ts';
import { bookableDates, bookableGrid, eligibleCompanions } from '../../../domain/bookings/availability.ts';
import {
  bookingSuite,
  taipei,
  NOW,
  q,
  person,
  grant,
  family,
  batch,
  input,
  staff,
  refusal,
  rawBooking,
  bookNow,
} from './setup.ts';

const test = bookingSuite('visit bookings, availability: the 2–7 day window, companions, the week grid');

test('the window is 2 to 7 days in Asia/Taipei: at 23:59 and at 00:00, across a month end; the database refuses a booking outside it', async (ctx) => {
  const f = await family(ctx);
  const lastMinute = taipei('2026-11-28T23:59:00');
  const midnight = taipei('2026-11-29T00:00:00');
  assert.equal(bookableDates(lastMinute), [
    '2026-11-30',
    '2026-12-01',
    '2026-12-02',
    '2026-12-03',
    '2026-12-04',
    '2026-12-05',
  ]);
  assert.equal(bookableDates(midnight), [
    '2026-12-01',
    '2026-12-02',
    '2026-12-03',
    '2026-12-04',
    '2026-12-05',
    '2026-12-06',
  ]);

  const at2359 = async (date: string) =>
    bookVisit(ctx.db.pool, await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date }), lastMinute);
  const at0000 = async (date: string) =>
    bookVisit(ctx.db.pool, await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '14:00' }), midnight);
  assert.equal(await at2359('2026-11-29'), { kind: 'errors', errors: { slot: 'outsideWindow' } }, 'tomorrow, 1 day');
  assert.is((await at2359('2026-11-30')).kind, 'booked', 'Monday is 2 days ahead until midnight');
  assert.is((await at2359('2026-12-05')).kind, 'booked', '7 days, in the next month');
  assert.equal(await at2359('2026-12-06'), { kind: 'errors', errors: { slot: 'outsideWindow' } }, '8 days');
  assert.equal(
    await at0000('2026-11-30'),
    { kind: 'errors', errors: { slot: 'outsideWindow' } },
    'one minute later it is only 1 day',
  );
  assert.is((await at0000('2026-12-06')).kind, 'booked', 'and 7 days reach 12/06');

  // The database itself: the same date booked at 00:00 the next day, and a date 8 days ahead (another
  // family, since one family books an inmate once a day).
  const g = await family(ctx);
  const base = { bookerId: g.who, applicationId: g.applicationId, inmateId: g.inmateId };
  /** An on-site booking at 09:30 on `date`, inserted as if made at `bookedAt`: what the database says. */
  const rawOnsite = async (date: string, bookedAt: Date) =>
    refusal(rawBooking(ctx, { ...base, date, batchId: await batch(ctx, 'onsite', date, '09:30'), bookedAt }));
  assert.is(await rawOnsite('2026-11-30', midnight), 'visit_booking_window');
  assert.is(await rawOnsite('2026-12-07', midnight), 'visit_booking_window');
  assert.is(await rawOnsite('2026-11-30', new Date(midnight.getTime() - 1000)), 'accepted', 'at 23:59:59');
});

test('companions: only applicants with an approved service of the same kind for the same inmate, at most two; masked names', async (ctx) => {
  const date = '2026-12-03';
  const f = await family(ctx);
  const son = await person(ctx, '李小龍');
  await grant(ctx, son, f.inmateId, { relationship: 'child' });
  const daughter = await person(ctx, '李小美');
  await grant(ctx, daughter, f.inmateId, { relationship: 'child', kinds: ['onsite'] });
  const brother = await person(ctx, '李大華');
  await grant(ctx, brother, f.inmateId, { relationship: 'sibling' });
  const pending = await person(ctx, '陳待審');
  await grant(ctx, pending, f.inmateId, { status: 'pending' });
  const stranger = await family(ctx);

  const onsite = await eligibleCompanions(ctx.db.pool, f.who, f.inmateId, 'onsite');
  assert.equal(onsite, [
    { applicantId: son, maskedName: '李○○', name: '李小龍', relationship: 'child' },
    { applicantId: daughter, maskedName: '李○○', name: '李小美', relationship: 'child' },
    { applicantId: brother, maskedName: '李○○', name: '李大華', relationship: 'sibling' },
  ]);
  assert.equal(
    (await eligibleCompanions(ctx.db.pool, f.who, f.inmateId, 'mobile')).map((c) => c.applicantId),
    [son, brother],
    'daughter holds on-site only',
  );
  assert.equal(
    await eligibleCompanions(ctx.db.pool, stranger.who, f.inmateId, 'onsite'),
    [],
    'nobody is shown to someone not entitled',
  );

  const book = async (companionIds: number[], kind: 'onsite' | 'mobile' = 'onsite') =>
    bookNow(ctx, { bookerId: f.who, inmateId: f.inmateId, date, kind, companionIds });
  assert.equal(await book([pending]), { kind: 'errors', errors: { companions: 'companionNotEligible' } });
  assert.equal(await book([stranger.who]), { kind: 'errors', errors: { companions: 'companionNotEligible' } });
  assert.equal(
    await book([f.who]),
    { kind: 'errors', errors: { companions: 'companionNotEligible' } },
    'the booker is not their own companion',
  );
  assert.equal(await book([daughter], 'mobile'), { kind: 'errors', errors: { companions: 'companionNotEligible' } });
  assert.equal(await book([son, daughter, brother]), { kind: 'errors', errors: { companions: 'tooManyCompanions' } });
  const made = await book([son, daughter]);
  assert.is(made.kind, 'booked');
  const id = (made as { bookingId: number }).bookingId;
  const visitors = await q(
    ctx,
    'SELECT applicant_id, position FROM visit_booking_visitor WHERE booking_id = $1 ORDER BY position',
    [id],
  );
  assert.equal(
    visitors.rows.map((r) => [Number(r.applicant_id), r.position]),
    [
      [f.who, 1],
      [son, 2],
      [daughter, 3],
    ],
  );

  // The companion sees the booking too, but cannot cancel it.
  const sons = await listApplicantBookings(ctx.db.pool, son, NOW, 'zh-TW');
  assert.equal(
    sons.map((b) => [b.id, b.isBooker, b.canCancel, b.visitors.length]),
    [[id, false, false, 3]],
  );
  assert.is(await cancelBooking(ctx.db.pool, son, id, NOW), 'not_found');

  // The database: no fourth visitor, no one without an approved service, the booker only first.
  assert.is(
    await refusal(
      q(ctx, 'INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, 4)', [
        id,
        brother,
      ]),
    ),
    'visit_booking_visitor_position_check',
  );
  const other = await rawBooking(ctx, {
    bookerId: f.who,
    applicationId: f.applicationId,
    inmateId: f.inmateId,
    date: '2026-12-04',
    batchId: await batch(ctx, 'onsite', '2026-12-04', '14:00'),
    bookedAt: NOW,
  });
  assert.is(
    await refusal(
      q(ctx, 'INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, 2)', [
        other,
        pending,
      ]),
    ),
    'visit_companion_not_eligible',
  );
  assert.is(
    await refusal(
      q(ctx, 'INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, 1)', [
        other,
        brother,
      ]),
    ),
    'visit_booking_booker',
  );
  assert.is(
    await refusal(
      q(ctx, 'INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, 2)', [
        other,
        brother,
      ]),
    ),
    'accepted',
  );
});

test('the grid: 2–7 days × batches with the places left; mobile batches last parameter A; nothing for someone not entitled', async (ctx) => {
  const f = await family(ctx, { kinds: ['mobile', 'remote'] });
  assert.is(await bookableGrid(ctx.db.pool, { applicantId: f.who, inmateId: f.inmateId, kind: 'onsite' }, NOW), null);
  await q(ctx, `UPDATE institution SET mobile_visit_minutes = 25 WHERE code = '2477'`);
  const grid = (await bookableGrid(ctx.db.pool, { applicantId: f.who, inmateId: f.inmateId, kind: 'mobile' }, NOW))!;
  await q(ctx, `UPDATE institution SET mobile_visit_minutes = 20 WHERE code = '2477'`);
  assert.equal(
    grid.dates.map((d) => d.date),
    bookableDates(NOW),
  );
  assert.equal(
    grid.rows.map((r) => [r.ordinal, r.startsAt]),
    [
      [1, '09:00'],
      [2, '14:00'],
    ],
  );
  const cell = grid.rows[0]!.cells[5]!; // Saturday 12/05
  assert.equal({ ...cell, batchId: 0 }, { batchId: 0, remaining: 3, endsAt: '09:25' });
  const timetable = await listTimetable(ctx.db.pool, '2477');
  assert.equal(
    timetable
      .filter((b) => b.kind === 'mobile' && b.weekday === 1)
      .map((b) => [b.ordinal, b.startsAt, b.endsAt, b.minutes]),
    [
      [1, '09:00', '09:20', 20],
      [2, '14:00', '14:20', 20],
    ],
  );
  assert.equal([...new Set(timetable.map((b) => b.kind))], ['onsite', 'remote', 'mobile']);

  // A retired batch is neither listed nor booked.
  const added = await addBatch(
    ctx.db.pool,
    { institutionCode: '2477', kind: 'remote', weekday: 6, startsAt: '16:00', lengthMinutes: 30, capacity: 1 },
    staff(ctx),
    NOW,
  );
  assert.is(added.kind, 'added');
  assert.equal(
    await addBatch(
      ctx.db.pool,
      { institutionCode: '2477', kind: 'remote', weekday: 6, startsAt: '16:00', lengthMinutes: 30, capacity: 1 },
      staff(ctx),
      NOW,
    ),
    { kind: 'duplicate' },
  );
  assert.equal(
    await addBatch(
      ctx.db.pool,
      { institutionCode: '2477', kind: 'mobile', weekday: 6, startsAt: '16:00', lengthMinutes: 30, capacity: 1 },
      staff(ctx),
      NOW,
    ),
    { kind: 'invalid' },
    'mobile takes parameter A',
  );
  const batchId = (added as { batchId: number }).batchId;
  const remote = (await bookableGrid(ctx.db.pool, { applicantId: f.who, inmateId: f.inmateId, kind: 'remote' }, NOW))!;
  assert.equal(
    remote.rows.at(-1)!.cells.map((c) => c?.batchId ?? null),
    [null, null, null, null, null, batchId],
  );
  assert.ok(await retireBatch(ctx.db.pool, batchId, staff(ctx), NOW));
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      { ...(await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-12-05', kind: 'remote' })), batchId },
      NOW,
    ),
    { kind: 'errors', errors: { slot: 'noSuchBatch' } },
  );
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      {
        ...(await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-12-04', kind: 'remote' })),
        batchId: await batch(ctx, 'remote', '2026-12-05', '09:00'),
      },
      NOW,
    ),
    { kind: 'errors', errors: { slot: 'noSuchBatch' } },
    'a Saturday batch on a Friday',
  );
});

test.run();
