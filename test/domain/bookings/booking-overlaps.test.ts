import * as assert from 'uvu/assert';
import { bookableGrid } from '../../../domain/bookings/availability.ts';
import { bookingSuite, NOW, q, person, inmate, grant, family, batch, refusal, rawBooking, bookNow } from './setup.ts';

const test = bookingSuite(
  'visit bookings, overlaps: nobody in two visits at once, one family visit per person, inmate and day',
);

test('a person is never in two visits at once, as booker or companion, across kinds; an inmate has one visit per batch', async (ctx) => {
  const date = '2026-12-02';
  const a = await family(ctx);
  const otherInmate = await inmate(ctx);
  await grant(ctx, a.who, otherInmate);
  assert.is((await bookNow(ctx, { bookerId: a.who, inmateId: a.inmateId, date })).kind, 'booked');
  assert.equal(
    await bookNow(ctx, { bookerId: a.who, inmateId: otherInmate, date }),
    { kind: 'errors', errors: { slot: 'bookerBusy' } },
    'same batch, another inmate',
  );
  assert.equal(
    await bookNow(ctx, { bookerId: a.who, inmateId: otherInmate, date, kind: 'mobile' }),
    { kind: 'errors', errors: { slot: 'bookerBusy' } },
    'a mobile visit at 09:00–09:20 overlaps 09:00–09:30',
  );
  assert.is(
    (await bookNow(ctx, { bookerId: a.who, inmateId: otherInmate, date, at: '09:30' })).kind,
    'booked',
    'right after is fine',
  );

  // The same inmate: another family member for the same batch is refused, and not offered it.
  const sister = await person(ctx);
  await grant(ctx, sister, a.inmateId, { relationship: 'sibling' });
  assert.equal(await bookNow(ctx, { bookerId: sister, inmateId: a.inmateId, date }), {
    kind: 'errors',
    errors: { slot: 'inmateBusy' },
  });
  const grid = (await bookableGrid(ctx.db.pool, { applicantId: sister, inmateId: a.inmateId, kind: 'onsite' }, NOW))!;
  const column = grid.dates.findIndex((d) => d.date === date);
  assert.is(grid.rows.find((r) => r.startsAt === '09:00')!.cells[column], null);
  assert.ok(grid.rows.find((r) => r.startsAt === '14:00')!.cells[column]);

  // A companion already in a visit at that time, and a booker who is someone else's companion.
  const b = await family(ctx);
  const friend = await person(ctx);
  await grant(ctx, friend, b.inmateId);
  assert.is(
    (await bookNow(ctx, { bookerId: b.who, inmateId: b.inmateId, date, at: '14:00', companionIds: [friend] })).kind,
    'booked',
  );
  const c = await family(ctx);
  await grant(ctx, friend, c.inmateId);
  assert.equal(
    await bookNow(ctx, { bookerId: c.who, inmateId: c.inmateId, date, at: '14:00', companionIds: [friend] }),
    { kind: 'errors', errors: { companions: 'companionBusy' } },
  );
  assert.equal(await bookNow(ctx, { bookerId: friend, inmateId: c.inmateId, date, at: '14:00' }), {
    kind: 'errors',
    errors: { slot: 'bookerBusy' },
  });
  const friendsGrid = (await bookableGrid(
    ctx.db.pool,
    { applicantId: c.who, inmateId: c.inmateId, kind: 'onsite', companionIds: [friend] },
    NOW,
  ))!;
  assert.is(
    friendsGrid.rows.find((r) => r.startsAt === '14:00')!.cells[column],
    null,
    'the grid leaves out times a chosen companion is busy',
  );

  // The database: a visitor row overlapping one of the person's active visits.
  const d = await family(ctx);
  await grant(ctx, a.who, d.inmateId);
  const id = await rawBooking(ctx, {
    bookerId: d.who,
    applicationId: d.applicationId,
    inmateId: d.inmateId,
    date,
    batchId: await batch(ctx, 'onsite', date, '09:00'),
    bookedAt: NOW,
  });
  assert.is(
    await refusal(
      q(ctx, 'INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, 2)', [id, a.who]),
    ),
    'visit_booking_person_busy',
  );
  assert.is(
    await refusal(
      rawBooking(ctx, {
        bookerId: sister,
        applicationId: await grant(ctx, sister, d.inmateId),
        inmateId: d.inmateId,
        date,
        batchId: await batch(ctx, 'remote', date, '09:00'),
        kind: 'remote',
        bookedAt: NOW,
      }),
    ),
    'visit_booking_inmate_busy',
    'the inmate is in an on-site visit at that time',
  );
});

test('one family visit per person, inmate and day counts every visitor: a companion cannot book or be named again that day', async (ctx) => {
  const date = '2026-12-03';
  const f = await family(ctx);
  const sister = await person(ctx, '李小芳');
  await grant(ctx, sister, f.inmateId, { relationship: 'sibling' });
  const uncle = await person(ctx, '李大伯');
  await grant(ctx, uncle, f.inmateId, { relationship: 'collateral_relative' });
  const first = await bookNow(ctx, {
    bookerId: f.who,
    inmateId: f.inmateId,
    date,
    at: '09:00',
    companionIds: [sister],
  });
  assert.is(first.kind, 'booked');
  assert.equal(
    await bookNow(ctx, { bookerId: sister, inmateId: f.inmateId, date, at: '14:00' }),
    { kind: 'errors', errors: { slot: 'sameDay' } },
    'the companion books the same day',
  );
  assert.equal(
    await bookNow(ctx, { bookerId: uncle, inmateId: f.inmateId, date, at: '14:00', companionIds: [sister] }),
    { kind: 'errors', errors: { companions: 'companionSameDay' } },
    'or is named by someone else that day',
  );
  const grid = (await bookableGrid(ctx.db.pool, { applicantId: sister, inmateId: f.inmateId, kind: 'onsite' }, NOW))!;
  const column = grid.dates.findIndex((d) => d.date === date);
  assert.ok(
    grid.rows.every((r) => r.cells[column] === null),
    'that day is not offered to the companion',
  );
  const other = await bookNow(ctx, { bookerId: uncle, inmateId: f.inmateId, date, at: '14:00' });
  assert.is(other.kind, 'booked', 'the uncle alone is fine');
  assert.is(
    await refusal(
      q(ctx, 'INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, 2)', [
        (other as { bookingId: number }).bookingId,
        sister,
      ]),
    ),
    'visit_person_one_per_day',
    'the database refuses it too',
  );
});

test.run();
