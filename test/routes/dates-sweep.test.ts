import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, textOf } from '../support/http.ts';
import { staffSignIn } from '../support/journeys.ts';
import { submitPost } from '../../domain/contact-book/posts.ts';
import { decidePost } from '../../domain/contact-book/review.ts';
import { markDelivered } from '../../domain/contact-book/delivery.ts';
import { bookVisit } from '../../domain/bookings/booking.ts';
import { addDays, isoWeekday, taipeiToday } from '../../domain/shared/dates.ts';

// Issue 11.18: one style of date for people. Every main page of each area, as a family and as staff,
// in both languages, on demo-like data: the text a person reads holds no ISO date (2026-12-07); only
// machine fields (input values, data attributes, <time datetime>) and CSV may. The mails too.
type Ctx = {
  app: TestApp;
  family: Client;
  staff: Client;
  agency: Client;
  familyPages: string[];
  staffPages: string[];
};
const test = suite<Ctx>('dates for people: YYYY/MM/DD on every main page and in every mail, never ISO');
const ISO = /\d{4}-\d{2}-\d{2}/;
const PASSWORD = 'family password 1';
const STAFF_PASSWORD = 'staff password 1';

/** What a person reads: the text outside tags (attribute values such as input values are not text). */
function visibleText(html: string): string {
  return textOf(html.replace(/<style[\s\S]*?<\/style>/g, ''));
}

test.before(async (ctx) => {
  try {
    await setUp(ctx);
  } catch (e) {
    console.error(e);
    throw e;
  }
});
async function setUp(ctx: Ctx) {
  ctx.app = await startTestApp();
  const { pool } = ctx.app.db;
  const now = new Date();
  const today = taipeiToday(now);
  await fixture.institution(pool, { code: '2477' });
  await fixture.institution(pool, { code: '2411' });
  await fixture.staff(pool, {
    account: 'admin2477',
    name: '桃園管理者',
    institutionCode: '2477',
    role: 'institution_admin',
    password: STAFF_PASSWORD,
  });
  await fixture.staff(pool, {
    account: 'agency',
    name: '矯正署管理者',
    institutionCode: null,
    role: 'agency_admin',
    password: STAFF_PASSWORD,
  });
  const inmate = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '2048', name: '林美華' });
  const family = await fixture.applicant(pool, {
    name: '李大同',
    nationalId: 'A123456789',
    email: 'family@example.com',
    birthday: '1980-03-14',
    mobile: '0912345678',
    password: PASSWORD,
  });
  const other = await fixture.applicant(pool, {
    name: '陳小美',
    nationalId: 'A259083012',
    email: 'other@example.com',
    locale: 'en',
  });
  const book = await fixture.approvedService(pool, {
    applicant: family,
    inmate,
    service: 'contact_book',
    relationship: 'spouse',
    number: '20261101-DATE01',
  });
  await fixture.approvedService(pool, {
    applicant: family,
    inmate,
    service: 'visit',
    visitKinds: ['onsite', 'remote', 'mobile'],
    relationship: 'spouse',
    number: '20261101-DATE02',
  });
  await fixture.approvedService(pool, {
    applicant: other,
    inmate,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'child',
    number: '20261101-DATE03',
    status: 'pending',
  });
  for (let weekday = 1; weekday <= 7; weekday++)
    for (const kind of ['onsite', 'remote', 'mobile'] as const)
      await fixture.visitBatch(pool, {
        institutionCode: '2477',
        kind,
        weekday,
        startsAt: '09:00',
        lengthMinutes: kind === 'mobile' ? null : 30,
        capacity: 5,
      });
  await pool.query(
    `INSERT INTO announcement (title_zh, title_en, body_zh, body_en, publish_from) VALUES ('系統維護', 'Maintenance', '週日維護。', 'On Sunday.', $1)`,
    [today],
  );
  await pool.query(
    `INSERT INTO visit_blocked_date (institution_code, blocked_on, reason, created_at) VALUES ('2477', $1, '消防演練', now())`,
    [addDays(today, 20)],
  );
  // A delivered post (sent, approved, handed over) and a pending one from another family.
  const sent = await submitPost(
    pool,
    {
      applicantId: family,
      applicationId: book,
      title: '近況',
      body: '家裡都好。',
      photo: null,
      submissionKey: randomUUID(),
    },
    now,
  );
  const postId = (sent as { postId: number }).postId;
  const admin = (await pool.query(`SELECT id FROM staff WHERE account = 'admin2477'`)).rows[0].id;
  const who = { staffId: Number(admin), institutionCode: '2477', ip: '10.0.0.1', role: 'institution_admin' as const };
  assert.is(await decidePost(pool, postId, 1, { decision: 'approve' }, who, now), 'decided');
  assert.is(await markDelivered(pool, [postId], who, now), 1);
  // A suspension in force, for the suspensions list.
  await pool.query(
    `INSERT INTO contact_book_suspension (applicant_id, institution_code, starts_at, ends_at) VALUES ($1, '2477', $2, $2::timestamptz + interval '1 month')`,
    [other, now],
  );
  // A visit three days ahead.
  const date = addDays(today, 3);
  const batch = (
    await pool.query(
      `SELECT id FROM visit_batch WHERE institution_code = '2477' AND visit_kind = 'onsite' AND weekday = $1`,
      [isoWeekday(date)],
    )
  ).rows[0].id;
  const booked = await bookVisit(
    pool,
    {
      submissionKey: randomUUID(),
      bookerId: family,
      inmateId: inmate,
      service: 'visit',
      kind: 'onsite',
      date,
      batchId: Number(batch),
      arrivalTime: null,
      companionIds: [],
      reason: '',
    },
    now,
  );
  assert.is(booked.kind, 'booked', JSON.stringify(booked));
  const bookingId = (booked as { bookingId: number }).bookingId;
  const pendingApplication = (await pool.query(`SELECT id FROM service_application WHERE number = '20261101-DATE03'`))
    .rows[0].id;

  ctx.family = new Client(ctx.app.url);
  await ctx.family.get('/signin');
  assert.is((await ctx.family.post('/signin', { email: 'family@example.com', password: PASSWORD })).status, 303);
  ctx.staff = new Client(ctx.app.url);
  assert.is((await staffSignIn(ctx.staff, 'admin2477', STAFF_PASSWORD)).status, 303);
  ctx.agency = new Client(ctx.app.url);
  assert.is((await staffSignIn(ctx.agency, 'agency', STAFF_PASSWORD)).status, 303);

  // 電話預約: staff identify the caller first; then the choice of inmate and kind, and the grid of dates.
  let choice = '';
  for (const c of [ctx.staff, ctx.agency]) {
    await c.get('/backoffice/bookings/phone');
    assert.is((await c.post('/backoffice/bookings/phone', { name: '李大同', nationalId: 'A123456789' })).status, 303);
    choice = /name="choice" value="([^"]+)"/.exec((await c.get(`/backoffice/bookings/phone/${family}`)).text)![1]!;
  }

  ctx.familyPages = [
    '/',
    '/announcements',
    '/visit-times',
    '/process',
    '/account',
    '/account/profile',
    '/applications',
    '/applications/20261101-DATE01',
    '/applications/20261101-DATE02',
    '/contact-book',
    '/contact-book/new',
    `/contact-book/${postId}`,
    '/bookings',
    `/bookings/${bookingId}`,
    `/bookings/${bookingId}/cancel`,
  ];
  ctx.staffPages = [
    '/backoffice',
    '/backoffice/applications?status=',
    `/backoffice/applications/${pendingApplication}`,
    '/backoffice/notifications',
    '/backoffice/contact-book?status=',
    `/backoffice/contact-book/${postId}`,
    `/backoffice/contact-book/delivery?institution=2477&date=${today}`,
    '/backoffice/contact-book/suspensions',
    `/backoffice/bookings?from=${today}&to=${addDays(today, 7)}`,
    `/backoffice/bookings/${bookingId}`,
    `/backoffice/bookings/roster?institution=2477&date=${date}`,
    '/backoffice/bookings/phone',
    `/backoffice/bookings/phone/${family}`,
    `/backoffice/bookings/phone/${family}?choice=${encodeURIComponent(choice)}`,
    '/backoffice/timetable?institution=2477',
  ];
}
test.after(async (ctx) => {
  await ctx.app.close();
});

async function sweep(client: Client, pages: string[], language: string): Promise<void> {
  const found: string[] = [];
  for (const page of pages) {
    const res = await client.get(page);
    assert.is(res.status, 200, `${language} ${page}`);
    const text = visibleText(res.text);
    const hits = text.match(new RegExp(ISO.source, 'g'));
    if (hits)
      found.push(
        `${page}: ${hits.join(', ')} … ${text.slice(Math.max(0, text.search(ISO) - 40), text.search(ISO) + 20)}`,
      );
  }
  assert.equal(found, [], `${language}: ISO dates shown to people`);
}

test('a family reads YYYY/MM/DD on every page, in Chinese and in English', async ({ family, familyPages }) => {
  await sweep(family, familyPages, 'zh-TW');
  await family.get('/language/en?return=/');
  await sweep(family, familyPages, 'en');
  await family.get('/language/zh-TW?return=/');
});

test('the public progress lookup and the birthday on the account page', async ({ family }) => {
  await family.get('/progress');
  const found = await family.post('/progress', {
    number: '20261101-DATE01',
    birthYear: '1980',
    birthMonth: '3',
    birthDay: '14',
  });
  assert.is(found.status, 200);
  assert.not.match(visibleText(found.text), ISO);
  assert.match(visibleText((await family.get('/account/profile')).text), '1980/03/14');
});

test('staff read YYYY/MM/DD on every page, in Chinese and in English, as reviewers and as the agency', async ({
  staff,
  agency,
  staffPages,
}) => {
  await sweep(staff, staffPages, 'zh-TW');
  await sweep(agency, staffPages, 'zh-TW (agency)');
  await staff.get('/language/en?return=/backoffice');
  await sweep(staff, staffPages, 'en');
});

test('the filter hints show YYYY/MM/DD while the date inputs keep their ISO values', async ({ staff, app }) => {
  const today = taipeiToday(new Date());
  await staff.get('/language/zh-TW?return=/backoffice');
  const page = await staff.get(`/backoffice/contact-book?status=&from=${today}`);
  assert.match(page.text, `name="from" type="date" value="${today}"`);
  assert.match(visibleText(page.text), /例如 \d{4}\/\d{2}\/\d{2}/);
  // A date typed as people write it (a browser without a date picker) is the same date.
  const typed = await staff.get(`/backoffice/contact-book?status=&from=${today.replace(/-/g, '/')}`);
  assert.is(typed.status, 200);
  assert.match(typed.text, `name="from" type="date" value="${today}"`);
  void app;
});

test('messages that carry a date: the contact book interval, a closed date set and lifted, the booking wizard', async ({
  family,
  staff,
}) => {
  const form = await family.get('/contact-book/new');
  const recipient = /<option value="(\d+)" selected>/.exec(form.text)![1]!;
  const tooSoon = await family.postMultipart('/contact-book/new', {
    action: 'submit',
    recipient,
    title: '再一則',
    body: '想你',
  });
  assert.is(tooSoon.status, 422);
  assert.match(visibleText(tooSoon.text), /下次可發佈的日期是 \d{4}\/\d{2}\/\d{2}/);
  assert.not.match(visibleText(tooSoon.text), ISO);

  await staff.get('/language/zh-TW?return=/backoffice');
  const day = addDays(taipeiToday(new Date()), 30);
  await staff.get('/backoffice/timetable?institution=2477');
  const closed = await staff.follow(
    await staff.post('/backoffice/timetable/closed', { institution: '2477', date: day, reason: '停電' }),
  );
  assert.match(visibleText(closed.text), `${day.replace(/-/g, '/')} 已設為不開放`);
  assert.not.match(visibleText(closed.text), ISO);
  const opened = await staff.follow(
    await staff.post(`/backoffice/timetable/closed/${day}/open`, { institution: '2477' }),
  );
  assert.match(visibleText(opened.text), `${day.replace(/-/g, '/')} 已恢復開放`);

  // The booking wizard, step by step, to the confirmation page.
  const steps: string[] = [];
  const step = async (path: string, fields: Record<string, string>) => {
    const page = await family.get(path);
    steps.push(page.text);
    const next = await family.post(path, fields);
    assert.is(next.status, 303, path);
  };
  await family.follow(await family.get('/bookings/new'));
  await step('/bookings/new/kind', { kind: 'remote' });
  const inmatePage = (await family.get('/bookings/new/inmate')).text;
  await step('/bookings/new/inmate', { option: /name="option" value="([^"]+)"/.exec(inmatePage)![1]! });
  await step('/bookings/new/companions', {});
  const slotPage = (await family.get('/bookings/new/slot')).text;
  await step('/bookings/new/slot', { slot: /name="slot" value="([^"]+)"/.exec(slotPage)![1]! });
  steps.push((await family.get('/bookings/new/confirm')).text);
  assert.match(visibleText(steps.at(-1)!), /\d{4}\/\d{2}\/\d{2}/, 'the confirmation states the date');
  for (const html of steps) assert.not.match(visibleText(html), ISO);
});

test('every mail sent meanwhile writes dates as people read them', async ({ app }) => {
  await app.smtp.waitFor((m) => /預約|visit/i.test(m.subject));
  assert.ok(app.smtp.mails.length >= 2);
  for (const m of app.smtp.mails) {
    assert.not.match(m.text, ISO, `${m.subject}`);
    assert.not.match(textOf(m.html), ISO, `${m.subject}`);
  }
});

test.run();
