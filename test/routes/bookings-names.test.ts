import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { VALID_IDS } from '../support/journeys.ts';
import * as make from '../support/fixtures.ts';
import { bookVisit } from '../../domain/bookings/booking.ts';
import { onsiteBatch, REVIEWER_2477, signedInApplicant, signedInStaff } from '../support/scenarios.ts';

/**
 * Who sees which name (issue 11.12): the visitors of a booking see their own and each other's names in
 * full on it and in its mails, staff booking by phone see the inmate's name; the inmate stays masked
 * for families, and the list of people one may bring along stays masked.
 */
const NOW = new Date('2026-11-23T10:00:00+08:00');
const PASSWORD = 'correct horse battery';

type Ctx = { app: TestApp; booker: Client; companion: Client; staff: Client; bookingId: number; ids: number[] };
const test = suite<Ctx>('who sees which name on a booking: visitors in full, the inmate masked, staff in full');

test.before(async (ctx) => {
  ctx.app = await startTestApp({ clock: () => NOW, sms: false });
  const db = ctx.app.db.pool;
  await make.institution(db, { code: '2477' });
  const batch = await onsiteBatch(db, { weekday: 3, startsAt: '09:00', capacity: 5 });
  const inmate = await make.inmate(db, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  // Two of the same family name: masked, both read 李○○.
  const people = [
    ['李大同', 'father', 'booker@example.com'],
    ['李小美', 'sibling', 'companion@example.com'],
  ] as const;
  ctx.ids = [];
  for (const [i, [name, relationship, email]] of people.entries()) {
    const id = await make.applicant(db, { name, nationalId: VALID_IDS[i]!, email, password: PASSWORD });
    await make.approvedService(db, { applicant: id, inmate, service: 'visit', relationship, visitKinds: ['onsite'] });
    ctx.ids.push(id);
  }
  await make.staff(db, { ...REVIEWER_2477, password: PASSWORD });
  const booked = await bookVisit(
    db,
    {
      submissionKey: randomUUID(),
      bookerId: ctx.ids[0]!,
      inmateId: inmate,
      service: 'visit',
      kind: 'onsite',
      date: '2026-11-25',
      batchId: batch,
      arrivalTime: null,
      companionIds: [ctx.ids[1]!],
      reason: '',
    },
    NOW,
  );
  assert.is(booked.kind, 'booked');
  ctx.bookingId = (booked as { bookingId: number }).bookingId;
  ctx.booker = await signedInApplicant(ctx.app.url, 'booker@example.com', PASSWORD);
  ctx.companion = await signedInApplicant(ctx.app.url, 'companion@example.com', PASSWORD);
  ctx.staff = await signedInStaff(ctx.app.url, 'reviewer2477', PASSWORD);
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('the booker and the companion see both names in full on the booking and their list; the inmate stays masked', async (ctx) => {
  for (const c of [ctx.booker, ctx.companion]) {
    for (const path of [`/bookings/${ctx.bookingId}`, '/bookings']) {
      const text = textOf((await c.get(path)).text);
      assert.match(text, '李大同、李小美', path);
      assert.not.match(text, '李○○', path);
      assert.match(text, '王○○', `${path}: the inmate masked`);
      assert.not.match(text, '王小明', path);
    }
  }
  // The people one may bring along are listed masked: the list is not a booking yet.
  await ctx.booker.get('/bookings/new');
  await ctx.booker.get('/bookings/new/kind');
  await ctx.booker.post('/bookings/new/kind', { kind: 'onsite' });
  const inmatePage = await ctx.booker.get('/bookings/new/inmate');
  const option = /name="option" value="([^"]+)" checked/.exec(inmatePage.text)![1]!;
  await ctx.booker.post('/bookings/new/inmate', { option });
  const companions = textOf((await ctx.booker.get('/bookings/new/companions')).text);
  assert.match(companions, '李○○');
  assert.not.match(companions, '李小美');
});

test('in English, 待審核 reads "Pending review" on the family’s and the staff’s booking pages (issue 11.24)', async (ctx) => {
  for (const [c, paths] of [
    [ctx.booker, ['/bookings', `/bookings/${ctx.bookingId}`]],
    [ctx.staff, ['/backoffice/bookings', `/backoffice/bookings/${ctx.bookingId}`]],
  ] as const) {
    await c.get('/language/en');
    for (const path of paths) {
      const html = (await c.get(path)).text;
      assert.match(html, '<span class="tag tag--pending">Pending review</span>', path);
      assert.not.match(textOf(html), 'Waiting for review', path);
      assert.not.match(html, />Pending</, path);
    }
    await c.get('/language/zh-TW');
  }
});

test('the mails name the visitors in full: 申請人 is the booker himself; the inmate is masked', async (ctx) => {
  const page = await ctx.staff.get(`/backoffice/bookings/${ctx.bookingId}`);
  const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
  const res = await ctx.staff.post(`/backoffice/bookings/${ctx.bookingId}/decision`, { decision: 'approve', version });
  assert.is(res.status, 303);
  const { rows } = await ctx.app.db.pool.query(
    `SELECT recipient, body_text FROM notification WHERE channel = 'email' ORDER BY id`,
  );
  for (const email of ['booker@example.com', 'companion@example.com']) {
    const mails = rows.filter((r) => r.recipient === email);
    assert.is(mails.length, 2, `${email}: booked and approved`);
    for (const m of mails) {
      assert.match(m.body_text, '申請人：李大同');
      assert.match(m.body_text, '其他接見人：李小美');
      assert.match(m.body_text, '收容人：王○○');
      assert.not.match(m.body_text, '李○○');
    }
  }
  const toCompanion = rows.find((r) => r.recipient === 'companion@example.com')!;
  assert.match(toCompanion.body_text, '李大同 於【便民服務入口網】預約接見');
});

test('staff booking by phone see the inmate’s name in full', async (ctx) => {
  await ctx.staff.get('/backoffice/bookings/phone');
  const found = await ctx.staff.post('/backoffice/bookings/phone', { name: '李大同', nationalId: VALID_IDS[0]! });
  assert.is(found.status, 303);
  const sheet = textOf((await ctx.staff.get(found.location!)).text);
  assert.match(sheet, '王小明');
  assert.not.match(sheet, '王○○');
});

test.run();
