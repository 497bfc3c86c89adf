import * as assert from 'uvu/assert';
import { blockDate, listTimetable, unblockDate } from '../../../domain/bookings/timetable.ts';
import { bookableGrid } from '../../../domain/bookings/availability.ts';
import { loadDemoTimetable } from '../../../domain/demo-data.ts';
import * as make from '../../support/fixtures.ts';
import { bookingSuite, NOW, q, family, batch, staff, refusal, rawBooking, bookNow } from './setup.ts';

const test = bookingSuite('visit bookings, timetable: blocked dates, the demo timetable');

test('blocked dates: not offered, refused by the code and by the database, bookable again when unblocked', async (ctx) => {
  const f = await family(ctx);
  const date = '2026-12-03';
  assert.equal(
    await blockDate(ctx.db.pool, { institutionCode: '2477', date, reason: '國定假日' }, staff(ctx, '2411'), NOW),
    { kind: 'outside_scope' },
  );
  assert.equal(await blockDate(ctx.db.pool, { institutionCode: '2477', date, reason: '國定假日' }, staff(ctx), NOW), {
    kind: 'blocked',
    activeBookings: 0,
  });
  assert.equal(await blockDate(ctx.db.pool, { institutionCode: '2477', date, reason: '' }, staff(ctx), NOW), {
    kind: 'duplicate',
  });
  const grid = (await bookableGrid(ctx.db.pool, { applicantId: f.who, inmateId: f.inmateId, kind: 'onsite' }, NOW))!;
  const column = grid.dates.findIndex((d) => d.date === date);
  assert.equal(grid.dates[column], { date, weekday: 4, blocked: true, booked: false });
  assert.ok(
    grid.rows.every((r) => r.cells[column] === null),
    'nothing offered on the blocked date',
  );
  assert.equal(await bookNow(ctx, { bookerId: f.who, inmateId: f.inmateId, date }), {
    kind: 'errors',
    errors: { slot: 'blockedDate' },
  });
  assert.is(
    await refusal(
      rawBooking(ctx, {
        bookerId: f.who,
        applicationId: f.applicationId,
        inmateId: f.inmateId,
        date,
        batchId: await batch(ctx, 'onsite', date, '09:00'),
        bookedAt: NOW,
      }),
    ),
    'visit_blocked_date',
  );
  const audit = await q(ctx, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'visit_date.blocked'`);
  assert.is(audit.rows[0].n, 1);
  assert.ok(await unblockDate(ctx.db.pool, '2477', date, staff(ctx), NOW));
  assert.is((await bookNow(ctx, { bookerId: f.who, inmateId: f.inmateId, date })).kind, 'booked');
});

test('demo timetable: the eight batches of seed 003, Monday to Friday, per kind, once', async (ctx) => {
  await make.institution(ctx.db.pool, { code: '2486', nameZh: '臺中女子監獄', nameEn: "Taichung Women's Prison" });
  await loadDemoTimetable(ctx.db.pool);
  await loadDemoTimetable(ctx.db.pool);
  const timetable = await listTimetable(ctx.db.pool, '2486');
  assert.is(timetable.length, 8 * 5 * 3);
  assert.equal(
    [...new Set(timetable.filter((b) => b.kind === 'onsite').map((b) => `${b.ordinal} ${b.startsAt}`))],
    ['1 09:00', '2 09:30', '3 10:00', '4 10:30', '5 11:00', '6 14:00', '7 14:30', '8 15:00'],
  );
  assert.equal([...new Set(timetable.map((b) => b.weekday))].sort(), [1, 2, 3, 4, 5]);
  assert.ok(timetable.filter((b) => b.kind === 'mobile').every((b) => b.minutes === 20));
  assert.is((await listTimetable(ctx.db.pool, '2477')).length, 6 * 7, 'an institution with a timetable is left alone');
});

test.run();
