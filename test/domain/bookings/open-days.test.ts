import * as assert from 'uvu/assert';
import { bookVisit } from '../../../domain/bookings/booking.ts';
import { lawyerArrivalOptions, slotChoices } from '../../../domain/bookings/availability.ts';
import { blockDate } from '../../../domain/bookings/timetable.ts';
import * as make from '../../support/fixtures.ts';
import { bookingSuite, taipei, input, refusal, rawBooking, type Ctx } from './setup.ts';

// An institution open Monday to Friday only (on-site batches), with a lawyer of one of its inmates.
// Friday 2026-11-27 10:00 in Taipei: the bookable dates are Sunday 11-29 to Friday 12-04.
const FRIDAY = taipei('2026-11-27T10:00:00');
const SUNDAY = '2026-11-29';
const MONDAY = '2026-11-30';

const test = bookingSuite('visit bookings, open days: lawyers keep to the days the institution opens (issue 11.10)');

async function lawyerAt2499(ctx: Ctx) {
  await make.institution(ctx.db.pool, { code: '2499' });
  for (let weekday = 1; weekday <= 5; weekday++)
    await make.visitBatch(ctx.db.pool, {
      institutionCode: '2499',
      kind: 'onsite',
      weekday,
      startsAt: '09:00',
      lengthMinutes: 30,
      capacity: 5,
    });
  const inmateId = await make.inmate(ctx.db.pool, { institutionCode: '2499', callNumber: '5001', name: '王大明' });
  const who = await make.applicant(ctx.db.pool, { name: '吳律師', nationalId: 'A152601814', email: 'law@example.com' });
  const applicationId = await make.approvedService(ctx.db.pool, {
    applicant: who,
    inmate: inmateId,
    service: 'lawyer_visit',
    relationship: 'lawyer',
  });
  return { who, inmateId, applicationId };
}

test('a Sunday is not offered to a lawyer, is refused by the code with its own reason, and by the database', async (ctx) => {
  const lawyer = await lawyerAt2499(ctx);
  const options = (await lawyerArrivalOptions(
    ctx.db.pool,
    { applicantId: lawyer.who, inmateId: lawyer.inmateId },
    FRIDAY,
  ))!;
  assert.equal(
    options.dates.map((d) => d.date),
    ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'],
    'Monday to Friday only',
  );
  assert.equal(options.closedDays, [SUNDAY]);
  const slots = await slotChoices(
    ctx.db.pool,
    { applicantId: lawyer.who, inmateId: lawyer.inmateId, kind: 'onsite', service: 'lawyer_visit' },
    FRIDAY,
  );
  assert.ok(slots.lawyer && !slots.counts.some((x) => x.date === SUNDAY), 'no counts for Sunday either');

  const book = async (date: string) =>
    bookVisit(
      ctx.db.pool,
      await input(ctx, {
        bookerId: lawyer.who,
        inmateId: lawyer.inmateId,
        date,
        service: 'lawyer_visit',
        arrivalTime: '09:30',
      }),
      FRIDAY,
    );
  assert.equal(await book(SUNDAY), { kind: 'errors', errors: { slot: 'closedDay' } });

  const raw = (date: string, bookedAt = FRIDAY) =>
    rawBooking(ctx, {
      bookerId: lawyer.who,
      applicationId: lawyer.applicationId,
      inmateId: lawyer.inmateId,
      date,
      batchId: null,
      service: 'lawyer_visit',
      arrival: '09:30',
      relationship: 'lawyer',
      bookedAt,
    });
  assert.is(await refusal(raw(SUNDAY)), 'visit_booking_open_day', 'the database refuses a Sunday');
  // Saturday 12-05 is as closed, seen from Saturday 11-28.
  assert.is(await refusal(raw('2026-12-05', taipei('2026-11-28T10:00:00'))), 'visit_booking_open_day');

  // A closed date on an open weekday keeps its own reason, in the code and in the database.
  const admin = await make.staff(ctx.db.pool, {
    account: 's2499',
    name: '承辦人丙',
    role: 'institution_admin',
    institutionCode: '2499',
  });
  const who = { staffId: admin, role: 'institution_admin' as const, institutionCode: '2499', ip: '10.0.0.2' };
  assert.is(
    (await blockDate(ctx.db.pool, { institutionCode: '2499', date: '2026-12-01', reason: '颱風' }, who, FRIDAY)).kind,
    'blocked',
  );
  assert.equal(await book('2026-12-01'), { kind: 'errors', errors: { slot: 'blockedDate' } });
  assert.is(await refusal(raw('2026-12-01')), 'visit_blocked_date');

  // Monday is open: booked through the code; a batch added on Sunday opens Sunday to lawyers too.
  assert.is((await book(MONDAY)).kind, 'booked');
  await make.visitBatch(ctx.db.pool, {
    institutionCode: '2499',
    kind: 'onsite',
    weekday: 7,
    startsAt: '09:00',
    lengthMinutes: 30,
    capacity: 5,
  });
  const second = await make.inmate(ctx.db.pool, { institutionCode: '2499', callNumber: '5002', name: '陳小華' });
  const app2 = await make.approvedService(ctx.db.pool, {
    applicant: lawyer.who,
    inmate: second,
    service: 'lawyer_visit',
    relationship: 'lawyer',
  });
  assert.is(
    await refusal(
      rawBooking(ctx, {
        ...{ bookerId: lawyer.who, applicationId: app2, inmateId: second },
        date: SUNDAY,
        batchId: null,
        service: 'lawyer_visit',
        arrival: '09:30',
        relationship: 'lawyer',
        bookedAt: FRIDAY,
      }),
    ),
    'accepted',
  );
});

test.run();
