import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { person, staffSignIn, type Person } from '../support/journeys.ts';
import * as make from '../support/fixtures.ts';
import { twoInstitutions } from '../support/scenarios.ts';

/** Monday 2026-11-23 10:00 in Taipei: bookable dates are Wednesday 11-25 to Monday 11-30. */
const NOW = new Date('2026-11-23T10:00:00+08:00');
/** The app's clock: NOW, moved on by a test that needs a hold to end and put back after. */
let clockNow = NOW;

type Who = { c: Client; p: Person; id: number };
type Ctx = {
  app: TestApp;
  alice: Who;
  bob: Who;
  erin: Who;
  carol: Who;
  dave: Who;
  inmate: number;
  lastPlaceBatch: number;
};
const test = suite<Ctx>(
  'the booking wizard over HTTP: steps without JavaScript, companions, the last place, lawyers, cancelling, who may see what',
);

async function signedIn(app: TestApp, over: Partial<Person> = {}): Promise<Who> {
  const p = person(over);
  const id = await make.applicant(app.db.pool, {
    name: p.name,
    nationalId: p.nationalId,
    email: p.email,
    mobile: p.mobile.replace(/-/g, ''),
    password: p.password,
  });
  const c = new Client(app.url);
  await c.get('/signin');
  assert.is((await c.post('/signin', { email: p.email, password: p.password })).status, 303, 'signed in');
  return { c, p, id };
}

test.before(async (ctx) => {
  ctx.app = await startTestApp({ clock: () => new Date(clockNow) });
  const db = ctx.app.db.pool;
  await twoInstitutions(db);
  ctx.inmate = await make.inmate(db, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  for (let weekday = 1; weekday <= 5; weekday++) {
    for (const [kind, startsAt, lengthMinutes, capacity] of [
      ['onsite', '09:00', 30, 5],
      ['onsite', '09:30', 30, 5],
      ['onsite', '14:00', 30, 1],
      ['mobile', '10:00', null, 3],
    ] as const) {
      const id = await make.visitBatch(db, {
        institutionCode: '2477',
        kind,
        weekday,
        startsAt,
        lengthMinutes,
        capacity,
      });
      if (kind === 'onsite' && weekday === 3 && startsAt === '14:00') ctx.lastPlaceBatch = id;
    }
  }
  [ctx.alice, ctx.bob, ctx.erin, ctx.carol, ctx.dave] = [
    await signedIn(ctx.app, { name: '陳美玲' }),
    await signedIn(ctx.app, { name: '林志明' }),
    await signedIn(ctx.app, { name: '黃小芬' }),
    await signedIn(ctx.app, { name: '張無關' }),
    await signedIn(ctx.app, { name: '吳律師' }),
  ];
  // Erin visits another inmate: two visits to one inmate at one time are refused for that reason instead.
  const other = await make.inmate(db, { institutionCode: '2477', callNumber: '2048', name: '李大華' });
  const grant = (
    who: Who,
    service: 'visit' | 'lawyer_visit',
    visitKinds: Array<'onsite' | 'mobile'>,
    relationship: 'mother' | 'sibling' | 'agency_worker' | 'lawyer',
    inmate = ctx.inmate,
  ) => make.approvedService(db, { applicant: who.id, inmate, service, visitKinds, relationship });
  await grant(ctx.alice, 'visit', ['onsite', 'mobile'], 'mother');
  await grant(ctx.bob, 'visit', ['onsite'], 'sibling');
  await grant(ctx.erin, 'visit', ['onsite'], 'agency_worker', other);
  await grant(ctx.dave, 'lawyer_visit', [], 'lawyer');
});
test.after(async (ctx) => {
  await ctx.app.close();
});

const wednesday = '2026-11-25';

/** Walks the wizard's first steps as a browser without JavaScript would: each answer a form post. */
async function through(c: Client, kind: string, companions: number[] = []) {
  assert.is((await c.get('/bookings/new')).location, '/bookings/new/kind');
  await c.get('/bookings/new/kind');
  assert.is((await c.post('/bookings/new/kind', { kind })).location, '/bookings/new/inmate');
  const inmatePage = await c.get('/bookings/new/inmate');
  const option = /name="option" value="([^"]+)" checked/.exec(inmatePage.text)?.[1];
  assert.ok(option, 'the only inmate is chosen already');
  assert.is((await c.post('/bookings/new/inmate', { option: option! })).location, '/bookings/new/companions');
  await c.get('/bookings/new/companions');
  const body = new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(c.lastPage)![1]! });
  for (const id of companions) body.append('companion', String(id));
  return c.request('POST', '/bookings/new/companions', body.toString());
}

test('someone with no approved visit service is told what to apply for; steps cannot be skipped', async ({
  carol,
  alice,
}) => {
  assert.not.match(
    (await carol.c.get('/')).text,
    'href="/bookings/new"',
    'the menu shows only what the person can use',
  );
  assert.match((await alice.c.get('/')).text, 'href="/bookings/new"');
  await carol.c.get('/bookings/new');
  const kind = await carol.c.get('/bookings/new/kind');
  assert.match(textOf(kind.text), '您還沒有審核通過的接見服務');
  assert.match(kind.text, 'href="/applications/new/visit"');
  assert.is((await carol.c.get('/bookings/new/confirm')).location, '/bookings/new/kind');
  assert.is((await carol.c.post('/bookings/new/kind', { kind: 'onsite' })).status, 422);
});

test('a family on-site visit with one companion: every step a page, the grid a table of radios, confirm shows all, a number, both mailed', async ({
  app,
  alice,
  bob,
}) => {
  const kindPage = await alice.c.get('/bookings/new/kind');
  assert.match(textOf(kindPage.text), '現場接見');
  assert.match(textOf(kindPage.text), '行動接見');
  assert.not.match(textOf(kindPage.text), '遠距接見', 'only the kinds she is approved for');
  const toSlot = await through(alice.c, 'onsite', [bob.id]);
  assert.is(toSlot.location, '/bookings/new/slot');
  const slot = await alice.c.get('/bookings/new/slot');
  assert.is(slot.status, 200);
  assert.match(slot.text, '<caption id="grid-caption">');
  assert.match(slot.text, '<th scope="row">第1梯 09:00</th>');
  assert.match(
    textOf(slot.text),
    '2026/11/25（三） 第1梯 09:00–09:30 剩 5 位',
    'each radio is labelled with its date, batch and places left',
  );
  assert.not.match(slot.text, 'value="2026-11-24|', 'tomorrow is not offered');
  assert.not.match(slot.text, 'value="2026-12-01|', 'nor 8 days ahead');
  assert.not.match(slot.text, 'value="2026-11-28|', 'nor a day without batches');
  const noChoice = await alice.c.post('/bookings/new/slot', {});
  assert.is(noChoice.status, 422);
  assert.match(textOf(noChoice.text), '請選擇一個梯次');
  const batch = /value="2026-11-25\|(\d+)"/.exec(slot.text)![1]!;
  assert.is(
    (await alice.c.post('/bookings/new/slot', { slot: `${wednesday}|${batch}` })).location,
    '/bookings/new/confirm',
    'a mother gives no reason',
  );
  const confirm = await alice.c.get('/bookings/new/confirm');
  const text = textOf(confirm.text);
  for (const s of [
    '現場接見',
    '2026/11/25（三） 09:00–09:30',
    '王○○（桃園女子監獄）',
    '陳美玲（母）',
    '林志明',
    '家屬或最近親屬（不必填寫）',
  ])
    assert.match(text, s);
  // The form carries its wizard's key, as a browser sends it.
  const key = /name="key" value="([0-9a-f-]{36})"/.exec(confirm.text)![1]!;
  const booked = await alice.c.post('/bookings/new/confirm', { key });
  assert.is(booked.status, 303);
  assert.match(booked.location!, /^\/bookings\/\d+\?booked=1$/);
  const page = await alice.c.follow(booked);
  assert.match(textOf(page.text), '預約接見申請完成');
  const number = /預約編號：(V\d{8}-[0-9A-Z]{6})/.exec(textOf(page.text))![1]!;
  const toAlice = await app.smtp.waitFor((m) => m.to.includes(alice.p.email) && m.text.includes(number));
  assert.match(toAlice.text, '目前狀態為待審核');
  const toBob = await app.smtp.waitFor((m) => m.to.includes(bob.p.email) && m.text.includes(number));
  // The visitors see each other's names in full (issue 11.12); the inmate's stays masked.
  assert.match(toBob.text, '陳美玲 於【便民服務入口網】預約接見，並將您列為其他接見人');
  assert.match(toBob.text, '收容人：王○○');
  // The other visitor is told they can withdraw, not only that the booker can cancel.
  assert.match(
    toBob.text,
    '您若不能前往，可以登入便民服務入口網，於「線上預約接見查詢」在接見日前一天以前退出這個預約',
  );
  assert.not.match(toAlice.text, '退出這個預約');
  // A second press of 確認 (the back button, a double click) books nothing more and shows the booking it
  // made, not an empty first step.
  const again = await alice.c.post('/bookings/new/confirm', { key });
  assert.is(again.location, booked.location);
  assert.match(textOf((await alice.c.follow(again)).text), number);
  assert.is((await app.db.pool.query('SELECT count(*)::int AS n FROM visit_booking')).rows[0].n, 1);
  // Another family's key leads nowhere: a form of Bob's own with Alice's key is an empty first step.
  await bob.c.get('/bookings');
  assert.is((await bob.c.post('/bookings/new/confirm', { key })).location, '/bookings/new/kind');
  assert.is((await alice.c.get('/bookings/new/confirm')).location, '/bookings/new/kind', 'the wizard starts afresh');
});

test('another applicant sees nothing of it; the companion sees it but cannot cancel; the booker cancels and everyone is told', async ({
  app,
  alice,
  bob,
  carol,
}) => {
  const id = Number((await app.db.pool.query('SELECT id FROM visit_booking ORDER BY id LIMIT 1')).rows[0].id);
  for (const path of [`/bookings/${id}`, `/bookings/${id}/cancel`])
    assert.is((await carol.c.get(path)).status, 404, `${path} as a stranger`);
  await carol.c.get('/bookings');
  assert.is((await carol.c.post(`/bookings/${id}/cancel`, {})).status, 404);
  assert.not.match(textOf((await carol.c.get('/bookings')).text), '王○○');

  const bobs = await bob.c.get('/bookings');
  assert.match(textOf(bobs.text), '您是其他接見人');
  assert.not.match(bobs.text, `/bookings/${id}/cancel`);
  assert.is((await bob.c.get(`/bookings/${id}`)).status, 200);
  assert.is((await bob.c.post(`/bookings/${id}/cancel`, {})).status, 403);

  const ask = await alice.c.get(`/bookings/${id}/cancel`);
  assert.match(textOf(ask.text), '取消這個預約嗎？');
  const done = await alice.c.post(`/bookings/${id}/cancel`, {});
  assert.is(done.status, 303);
  assert.match(textOf((await alice.c.follow(done)).text), '已取消預約');
  // A second press (a double click, a stale page) says the same, not that something is wrong.
  const twice = await alice.c.post(`/bookings/${id}/cancel`, {});
  assert.match(textOf((await alice.c.follow(twice)).text), '已取消預約');
  await app.smtp.waitFor((m) => m.to.includes(bob.p.email) && m.text.includes('已由預約人取消'));
  await app.smtp.waitFor((m) => m.to.includes(alice.p.email) && m.text.includes('已由預約人取消'));
  assert.is(
    (await app.db.pool.query('SELECT status FROM visit_booking WHERE id = $1', [id])).rows[0].status,
    'cancelled',
  );
});

test('two people choose the last place: the first holds it, the other is told it was just taken; once the hold ended, two confirming at once: the one holding it is booked, the other sent back to the grid with 這個時段已經額滿 and the rest kept', async ({
  app,
  alice,
  erin,
  lastPlaceBatch,
}) => {
  // Erin is an agency worker: she gives a reason, which must survive being sent back.
  await through(erin.c, 'onsite');
  assert.is(
    (await erin.c.post('/bookings/new/slot', { slot: `${wednesday}|${lastPlaceBatch}` })).location,
    '/bookings/new/reason',
  );
  await erin.c.get('/bookings/new/reason');
  assert.is((await erin.c.post('/bookings/new/reason', { reason: '' })).status, 422);
  assert.is(
    (await erin.c.post('/bookings/new/reason', { reason: '社工訪視，討論出監後安置。' })).location,
    '/bookings/new/confirm',
  );
  assert.match(textOf((await erin.c.get('/bookings/new/confirm')).text), '已為您保留此時段的名額至 10:10（台灣時間）');
  // Alice chose the same place a moment later: it is held for Erin.
  await through(alice.c, 'onsite');
  const taken = await alice.c.post('/bookings/new/slot', { slot: `${wednesday}|${lastPlaceBatch}` });
  assert.is(taken.status, 422);
  assert.match(textOf(taken.text), '您選的時段最後的名額剛被其他人選走');
  assert.not.match(taken.text, `value="${wednesday}|${lastPlaceBatch}"`, 'the held place is not offered');
  try {
    // Erin's hold ends unused; Alice chooses the place again and it is hers for 10 minutes.
    clockNow = new Date(NOW.getTime() + 11 * 60_000);
    assert.is(
      (await alice.c.post('/bookings/new/slot', { slot: `${wednesday}|${lastPlaceBatch}` })).location,
      '/bookings/new/confirm',
    );
    assert.match(textOf((await alice.c.get('/bookings/new/confirm')).text), '已為您保留此時段的名額至 10:21');
    assert.match(textOf((await erin.c.get('/bookings/new/confirm')).text), '名額保留時間已於 10:10 結束');
    const [a, b] = await Promise.all([
      alice.c.post('/bookings/new/confirm', {}),
      erin.c.post('/bookings/new/confirm', {}),
    ]);
    assert.match(a.location!, /^\/bookings\/\d+\?booked=1$/, 'a confirmation inside the hold keeps the place');
    assert.is(b.location, '/bookings/new/slot', 'the other is sent back to the grid');
    const grid = await erin.c.get('/bookings/new/slot');
    assert.is(grid.status, 422);
    assert.match(textOf(grid.text), '這個時段已經額滿');
    assert.not.match(grid.text, `value="${wednesday}|${lastPlaceBatch}"`, 'the full batch is no longer offered');
    const other = /value="(2026-11-2\d\|\d+)"/.exec(grid.text)![1]!;
    await erin.c.post('/bookings/new/slot', { slot: other });
    const confirm = await erin.c.get('/bookings/new/confirm');
    assert.is(confirm.status, 200, 'everything else is still answered');
    assert.match(textOf(confirm.text), '社工訪視，討論出監後安置。');
    const { rows } = await app.db.pool.query(
      `SELECT count(*)::int AS n FROM visit_booking WHERE batch_id = $1 AND visit_date = $2 AND status IN ('pending', 'approved')`,
      [lastPlaceBatch, wednesday],
    );
    assert.is(rows[0].n, 1, 'never more than the capacity');
  } finally {
    clockNow = NOW;
  }
});

test('a lawyer books an on-site visit by arrival time, seeing how many are booked per hour; outside the window is refused', async ({
  app,
  dave,
}) => {
  await through(dave.c, 'onsite');
  const slot = await dave.c.get('/bookings/new/slot');
  assert.is(slot.status, 200);
  const text = textOf(slot.text);
  assert.match(text, '各時段預約律師現場接見人數一覽表');
  assert.match(text, '上午 09:00–11:00、下午 14:00–16:00');
  assert.match(slot.text, '<option value="10:50">');
  assert.not.match(slot.text, '<option value="11:00">', 'the window ends before 11:00');
  assert.match(text, '實際開始時間仍須視前一位律師接見結束後方可進行安排');
  const outside = await dave.c.post('/bookings/new/slot', { date: wednesday, arrival: '12:00' });
  assert.is(outside.status, 422);
  assert.match(textOf(outside.text), '請選擇預計到達時間');
  assert.is(
    (await dave.c.post('/bookings/new/slot', { date: wednesday, arrival: '09:30' })).location,
    '/bookings/new/confirm',
    'a lawyer gives no reason',
  );
  const confirm = await dave.c.get('/bookings/new/confirm');
  assert.match(textOf(confirm.text), '2026/11/25（三） 預計 09:30 到達');
  const booked = await dave.c.post('/bookings/new/confirm', {});
  assert.match(booked.location!, /^\/bookings\/\d+\?booked=1$/);
  await through(dave.c, 'onsite');
  const again = textOf((await dave.c.get('/bookings/new/slot')).text);
  assert.match(again, /2026\/11\/25（三） 0 人 1 人 0 人/, 'the 09:00–10:00 band now shows one booking');
  const row = (
    await app.db.pool.query(
      `SELECT service, visit_kind, to_char(arrival_time, 'HH24:MI') AS t FROM visit_booking WHERE booker_id = $1`,
      [dave.id],
    )
  ).rows[0];
  assert.equal(row, { service: 'lawyer_visit', visit_kind: 'onsite', t: '09:30' });
});

test('found in review: one booking per person, inmate and day; another visitor can withdraw and the booker is told', async ({
  app,
  alice,
  bob,
}) => {
  // Alice books Thursday with Bob, then tries a second time slot the same day.
  await through(alice.c, 'onsite', [bob.id]);
  const grid = await alice.c.get('/bookings/new/slot');
  const thursday = /value="(2026-11-26\|\d+)"/.exec(grid.text)![1]!;
  await alice.c.post('/bookings/new/slot', { slot: thursday });
  await alice.c.get('/bookings/new/confirm');
  const booked = await alice.c.post('/bookings/new/confirm', {});
  const id = Number(/\/bookings\/(\d+)/.exec(booked.location!)![1]);
  await through(alice.c, 'onsite');
  const again = await alice.c.get('/bookings/new/slot');
  assert.not.match(again.text, 'value="2026-11-26|', 'the day already booked is not offered again');
  // And the grid says why (found on review: the empty column read as 'full').
  assert.match(textOf(again.text), '11/26（四） 您當天已有預約');
  assert.match(textOf(again.text), '家屬每天只能接見同一位收容人一次');
  assert.not.match(textOf(again.text), '11/27（五） 您當天已有預約', 'not a day without a visit');
  const other = /value="2026-11-26\|(\d+)"/.exec(grid.text.replace(thursday, ''))![1]!;
  const forced = await alice.c.post('/bookings/new/slot', { slot: `2026-11-26|${other}` });
  assert.is(forced.status, 422, 'nor accepted when sent anyway');

  const list = await bob.c.get('/bookings');
  assert.match(list.text, `/bookings/${id}/leave`);
  const ask = await bob.c.get(`/bookings/${id}/leave`);
  assert.match(textOf(ask.text), '退出這個預約嗎？');
  assert.is((await alice.c.post(`/bookings/${id}/leave`, {})).status, 404, 'the booker cancels instead');
  const left = await bob.c.post(`/bookings/${id}/leave`, {});
  assert.is(left.status, 303);
  assert.match(textOf((await bob.c.follow(left)).text), '您已退出這個預約');
  const told = await app.smtp.waitFor((m) => m.to.includes(alice.p.email) && m.text.includes('已退出您預約的接見'));
  assert.match(told.text, '其他接見人：無', 'the mail lists who still comes');
  assert.is(
    (await bob.c.post(`/bookings/${id}/leave`, {})).status,
    303,
    'a second press is told it is done, not a 404',
  );
  // Staff open the booking with its history.
  await make.staff(app.db.pool, {
    account: 'reviewer2477',
    name: '承辦人',
    institutionCode: '2477',
    role: 'reviewer',
    password: 'staff password 1',
  });
  const staff = new Client(app.url);
  assert.is((await staffSignIn(staff, 'reviewer2477', 'staff password 1')).status, 303);
  const page = await staff.get(`/backoffice/bookings/${id}`);
  assert.is(page.status, 200);
  assert.match(textOf(page.text), '其他接見人 林志明 退出');
  const visitors = (
    await app.db.pool.query('SELECT applicant_id FROM visit_booking_visitor WHERE booking_id = $1', [id])
  ).rows.map((r) => Number(r.applicant_id));
  assert.equal(visitors, [alice.id]);
  assert.is(
    (await app.db.pool.query('SELECT status FROM visit_booking WHERE id = $1', [id])).rows[0].status,
    'pending',
    'the booking stands',
  );
});

test("found in review: a mobile visit needs the booker's mobile number (its video link is a text message): the choice says so with where to add it, and a number removed meanwhile is asked for at confirmation, the rest kept", async ({
  app,
  alice,
}) => {
  const db = app.db.pool;
  const { mobile } = (await db.query('SELECT mobile FROM applicant WHERE id = $1', [alice.id])).rows[0];
  await alice.c.get('/bookings');
  await alice.c.post('/bookings/new', {}); // the booking the test before left in progress
  await through(alice.c, 'mobile');
  const grid = await alice.c.get('/bookings/new/slot');
  const friday = /value="(2026-11-27\|\d+)"/.exec(grid.text)![1]!;
  assert.is((await alice.c.post('/bookings/new/slot', { slot: friday })).location, '/bookings/new/confirm');
  await alice.c.get('/bookings/new/confirm');
  try {
    // The number is removed from the profile while the booking is on its last step.
    await db.query('UPDATE applicant SET mobile = NULL WHERE id = $1', [alice.id]);
    const refused = await alice.c.post('/bookings/new/confirm', {});
    assert.is(refused.location, '/bookings/new/kind');
    const kindPage = await alice.c.follow(refused);
    assert.is(kindPage.status, 422);
    assert.match(textOf(kindPage.text), '行動接見核准後會以簡訊寄送視訊連結，需要您的手機號碼');
    assert.match(textOf(kindPage.text), '需要手機號碼才能預約行動接見，您的帳號尚未填寫');
    assert.match(kindPage.text, 'href="/account/profile"');
    assert.match(kindPage.text, /value="mobile"[^>]*aria-describedby="kind-mobile-missing"/);
    assert.is(
      (await db.query('SELECT count(*)::int AS n FROM visit_booking WHERE visit_date = $1', ['2026-11-27'])).rows[0].n,
      0,
    );
    // Choosing it again is refused the same way; the other kind is not.
    const again = await alice.c.post('/bookings/new/kind', { kind: 'mobile' });
    assert.is(again.status, 422);
    assert.match(textOf(again.text), '請先到「修改個人資料」填寫手機號碼');
    // With the number back, the answers kept carry on to a booking.
    await db.query('UPDATE applicant SET mobile = $2 WHERE id = $1', [alice.id, mobile]);
    assert.not.match(textOf((await alice.c.get('/bookings/new/kind')).text), '您的帳號尚未填寫');
    assert.is((await alice.c.post('/bookings/new/kind', { kind: 'mobile' })).location, '/bookings/new/inmate');
    assert.is((await alice.c.get('/bookings/new')).status, 200, 'the booking in progress is asked about');
    const confirm = await alice.c.get('/bookings/new/confirm');
    assert.is(confirm.status, 200, 'the date and time chosen are kept');
    assert.match((await alice.c.post('/bookings/new/confirm', {})).location!, /^\/bookings\/\d+\?booked=1$/);
  } finally {
    await db.query('UPDATE applicant SET mobile = $2 WHERE id = $1', [alice.id, mobile]);
  }
});

test.run();
