import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { VALID_IDS } from '../support/journeys.ts';
import * as make from '../support/fixtures.ts';
import { REVIEWER_2477, signedInApplicant, signedInStaff } from '../support/scenarios.ts';

/**
 * Friday 2026-11-27 10:00 in Taipei at an institution open Monday to Friday: a lawyer is not offered
 * Sunday 11-29 (issue 11.10), and the next-day roster opens on Monday like the review reminder (11.25).
 */
const FRIDAY = new Date('2026-11-27T10:00:00+08:00');
const PASSWORD = 'correct horse battery';

type Ctx = { app: TestApp; lawyer: Client; staff: Client; inmateId: number };
const test = suite<Ctx>(
  'bookings over HTTP on a Friday: lawyers keep to open days, rosters open on the next day with visits',
);

test.before(async (ctx) => {
  ctx.app = await startTestApp({ clock: () => FRIDAY });
  const db = ctx.app.db.pool;
  await make.institution(db, { code: '2477' });
  for (let weekday = 1; weekday <= 5; weekday++)
    for (const [kind, startsAt, lengthMinutes] of [
      ['onsite', '09:00', 30],
      ['mobile', '10:00', null],
    ] as const)
      await make.visitBatch(db, { institutionCode: '2477', kind, weekday, startsAt, lengthMinutes, capacity: 5 });
  ctx.inmateId = await make.inmate(db, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  const lawyer = await make.applicant(db, {
    name: '吳律師',
    nationalId: VALID_IDS[0]!,
    email: 'lawyer@example.com',
    password: PASSWORD,
  });
  await make.approvedService(db, {
    applicant: lawyer,
    inmate: ctx.inmateId,
    service: 'lawyer_visit',
    relationship: 'lawyer',
  });
  await make.staff(db, { ...REVIEWER_2477, password: PASSWORD });
  ctx.lawyer = await signedInApplicant(ctx.app.url, 'lawyer@example.com', PASSWORD);
  ctx.staff = await signedInStaff(ctx.app.url, 'reviewer2477', PASSWORD);
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('a lawyer is not offered Sunday; a post for it is refused with the reason; the phone form refuses it too', async (ctx) => {
  const c = ctx.lawyer;
  await c.get('/bookings/new');
  await c.get('/bookings/new/kind');
  assert.is((await c.post('/bookings/new/kind', { kind: 'onsite' })).location, '/bookings/new/inmate');
  const inmatePage = await c.get('/bookings/new/inmate');
  const option = /name="option" value="([^"]+)" checked/.exec(inmatePage.text)![1]!;
  assert.is((await c.post('/bookings/new/inmate', { option })).location, '/bookings/new/companions');
  await c.get('/bookings/new/companions');
  assert.is((await c.post('/bookings/new/companions', {})).location, '/bookings/new/slot');
  const slot = await c.get('/bookings/new/slot');
  assert.is(slot.status, 200);
  assert.not.match(slot.text, 'value="2026-11-29"', 'Sunday is not offered');
  assert.not.match(textOf(slot.text), '2026/11/29', 'nor counted');
  assert.match(slot.text, 'value="2026-11-30"', 'Monday is');
  const sunday = await c.post('/bookings/new/slot', { date: '2026-11-29', arrival: '09:30' });
  assert.is(sunday.status, 422);
  assert.match(textOf(sunday.text), '機關這一天沒有開放接見');
  assert.is(
    (await c.post('/bookings/new/slot', { date: '2026-11-30', arrival: '09:30' })).location,
    '/bookings/new/confirm',
  );

  // Staff booking for a caller: the same rule, said beside the date.
  const s = ctx.staff;
  const id = (await ctx.app.db.pool.query(`SELECT id FROM applicant WHERE email = 'lawyer@example.com'`)).rows[0]
    .id as string;
  const found = await s.get('/backoffice/bookings/phone');
  assert.is(found.status, 200);
  const book = await s.post('/backoffice/bookings/phone', { name: '吳律師', nationalId: VALID_IDS[0]! });
  const choice = `${ctx.inmateId}:lawyer_visit:onsite`;
  const sheet = await s.get(`${book.location!}?choice=${encodeURIComponent(choice)}`);
  assert.is(sheet.status, 200, `the phone form for applicant ${id}`);
  assert.not.match(sheet.text, 'value="2026-11-29"', 'Sunday is not offered to staff either');
  const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(sheet.text)?.[1] ?? '';
  const action = /action="(\/backoffice\/bookings\/phone\/[^"]+)"/.exec(sheet.text)?.[1];
  assert.ok(action, 'the phone booking form');
  const refused = await s.post(action!, {
    choice,
    date: '2026-11-29',
    arrival: '09:30',
    reason: '',
    submissionKey,
  });
  assert.is(refused.status, 422);
  assert.match(textOf(refused.text), '機關這一天沒有開放接見');
  const rows = await ctx.app.db.pool.query(`SELECT count(*)::int AS n FROM visit_booking`);
  assert.is(rows.rows[0].n, 0, 'nothing booked');
});

test('on a Friday the next-day roster opens on Monday, the day the review reminder points at; a closed Monday moves both', async (ctx) => {
  const s = ctx.staff;
  const roster = async () =>
    /name="date" type="date" value="([^"]+)"/.exec((await s.get('/backoffice/bookings/roster')).text)![1];
  const reminder = async () => {
    const page = await s.get('/backoffice/bookings');
    return /href="\/backoffice\/bookings\?[^"]*from=(\d{4}-\d{2}-\d{2})&amp;to=\1/.exec(page.text)![1];
  };
  assert.is(await roster(), '2026-11-30', 'Monday, not Saturday');
  assert.is(await reminder(), '2026-11-30');
  await ctx.app.db.pool.query(
    `INSERT INTO visit_blocked_date (institution_code, blocked_on, reason, created_at) VALUES ('2477', '2026-11-30', '颱風', now())`,
  );
  assert.is(await roster(), '2026-12-01', 'a closed Monday: Tuesday');
  assert.is(await reminder(), '2026-12-01');
  const text = textOf((await s.get('/backoffice/bookings/roster')).text);
  assert.match(text, '2026/12/01');
});

test.run();
