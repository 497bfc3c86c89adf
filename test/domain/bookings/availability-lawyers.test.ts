import * as assert from 'uvu/assert';
import { getBooking } from '../../../domain/bookings/records.ts';

import { bookableGrid, lawyerArrivalOptions, lawyerBandCounts } from '../../../domain/bookings/availability.ts';
import { bookingSuite, NOW, q, inmate, grant, family, refusal, rawBooking, bookNow } from './setup.ts';

const test = bookingSuite('visit bookings, availability for lawyers: arrival times in the windows, counts per band');

test('lawyers: arrival times inside the institution’s RAS–RAE and RFS–RFE, counts per band, mobile visits in batches', async (ctx) => {
  const date = '2026-12-04';
  const lawyer = await family(ctx, { service: 'lawyer_visit', relationship: 'lawyer' }, '2411');
  const options = (await lawyerArrivalOptions(
    ctx.db.pool,
    { applicantId: lawyer.who, inmateId: lawyer.inmateId },
    NOW,
  ))!;
  assert.equal(options.windows, {
    morning: { start: '08:30', end: '10:00' },
    afternoon: { start: '13:30', end: '15:00' },
  });
  assert.equal(options.times.slice(0, 3), ['08:30', '08:40', '08:50']);
  assert.is(options.times.at(-1), '14:50');
  assert.ok(!options.times.includes('10:00') && !options.times.includes('11:00'));
  assert.is(
    await bookableGrid(
      ctx.db.pool,
      { applicantId: lawyer.who, inmateId: lawyer.inmateId, kind: 'onsite', service: 'lawyer_visit' },
      NOW,
    ),
    null,
    'no batches for a lawyer on site',
  );

  const at = async (arrivalTime: string | null, who = lawyer) =>
    bookNow(ctx, { bookerId: who.who, inmateId: who.inmateId, date, service: 'lawyer_visit', arrivalTime });
  assert.equal(await at(null), { kind: 'errors', errors: { slot: 'arrivalRequired' } });
  assert.equal(
    await at('10:00'),
    { kind: 'errors', errors: { slot: 'outsideLawyerWindow' } },
    'RAE closes the morning',
  );
  assert.equal(await at('08:20'), { kind: 'errors', errors: { slot: 'outsideLawyerWindow' } });
  assert.equal(await at('15:00'), { kind: 'errors', errors: { slot: 'outsideLawyerWindow' } });
  assert.is((await at('08:30')).kind, 'booked');
  assert.equal(
    await at('09:00'),
    { kind: 'errors', errors: { slot: 'inmateBusy' } },
    'a lawyer visit holds the inmate for the hour',
  );
  const client = await inmate(ctx, '2411');
  await grant(ctx, lawyer.who, client, { service: 'lawyer_visit', relationship: 'lawyer' });
  assert.equal(
    await at('09:20', { ...lawyer, inmateId: client }),
    { kind: 'errors', errors: { slot: 'bookerBusy' } },
    'and the lawyer',
  );
  assert.is((await at('09:30', { ...lawyer, inmateId: client })).kind, 'booked');
  assert.is((await at('14:50')).kind, 'booked');
  const second = await family(ctx, { service: 'lawyer_visit', relationship: 'defender' }, '2411');
  assert.is((await at('09:40', second)).kind, 'booked');
  assert.equal(await lawyerBandCounts(ctx.db.pool, '2411', date), [
    { from: '08:30', to: '09:00', count: 1 },
    { from: '09:00', to: '10:00', count: 2 },
    { from: '10:00', to: '11:00', count: 0 },
    { from: '11:00', to: '12:00', count: 0 },
    { from: '13:30', to: '14:00', count: 0 },
    { from: '14:00', to: '15:00', count: 1 },
    { from: '15:00', to: '16:00', count: 0 },
  ]);
  // The parameters are read when booking: a changed window takes effect at once, in the database too.
  await q(ctx, `UPDATE institution SET lawyer_morning_end = '11:00' WHERE code = '2411'`);
  try {
    const third = await family(ctx, { service: 'lawyer_visit', relationship: 'lawyer' }, '2411');
    assert.is((await at('10:30', third)).kind, 'booked');
    assert.is(
      await refusal(
        rawBooking(ctx, {
          bookerId: third.who,
          applicationId: third.applicationId,
          inmateId: third.inmateId,
          date: '2026-12-05',
          batchId: null,
          service: 'lawyer_visit',
          arrival: '11:00',
          relationship: 'lawyer',
          bookedAt: NOW,
        }),
      ),
      'visit_booking_lawyer_window',
    );
  } finally {
    await q(ctx, `UPDATE institution SET lawyer_morning_end = '10:00' WHERE code = '2411'`);
  }
  // A lawyer's mobile visit is in a batch and lasts parameter A.
  const mobile = await bookNow(ctx, {
    bookerId: second.who,
    inmateId: second.inmateId,
    date: '2026-12-05',
    service: 'lawyer_visit',
    kind: 'mobile',
  });
  assert.is(mobile.kind, 'booked', JSON.stringify(mobile));
  const detail = (await getBooking(ctx.db.pool, '2411', (mobile as { bookingId: number }).bookingId, 'zh-TW'))!;
  assert.equal([detail.startsAt, detail.endsAt, detail.relationship], ['09:00', '09:20', 'defender']);
  assert.match(detail.videoToken!, /^[A-Za-z0-9_-]{43}$/);
  assert.is(await getBooking(ctx.db.pool, '2477', detail.id, 'zh-TW'), null, 'not for another institution');
});

test.run();
