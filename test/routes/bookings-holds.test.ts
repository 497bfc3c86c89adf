import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { person } from '../support/journeys.ts';
import * as make from '../support/fixtures.ts';
import { twoInstitutions } from '../support/scenarios.ts';

/** Monday 2026-11-23 10:00 in Taipei: bookable dates are Wednesday 11-25 to Monday 11-30. */
const NOW = new Date('2026-11-23T10:00:00+08:00');
let clockNow = NOW;
const wednesday = '2026-11-25';
const thursday = '2026-11-26';

type Who = { c: Client; id: number };
type Ctx = { app: TestApp; amy: Who; ben: Who; cai: Who; law: Who; two: number; one: number; morning: number };
const test = suite<Ctx>(
  'a place held while booking over HTTP: the grid counts others’ holds, the summary says until when, released on rechoose, cancel, earlier steps and finishing',
);

async function signedIn(app: TestApp, name: string): Promise<Who> {
  const p = person({ name });
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
  return { c, id };
}

test.before(async (ctx) => {
  ctx.app = await startTestApp({ clock: () => new Date(clockNow) });
  const db = ctx.app.db.pool;
  await twoInstitutions(db);
  const inmate = await make.inmate(db, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  for (let weekday = 1; weekday <= 5; weekday++) {
    for (const [startsAt, capacity] of [
      ['09:00', 5],
      ['14:00', 2],
      ['15:00', 1],
    ] as const) {
      const id = await make.visitBatch(db, {
        institutionCode: '2477',
        kind: 'onsite',
        weekday,
        startsAt,
        lengthMinutes: 30,
        capacity,
      });
      if (weekday === 3 && startsAt === '14:00') ctx.two = id;
      if (weekday === 3 && startsAt === '15:00') ctx.one = id;
      if (weekday === 3 && startsAt === '09:00') ctx.morning = id;
    }
  }
  ctx.amy = await signedIn(ctx.app, '陳美玲');
  ctx.ben = await signedIn(ctx.app, '林志明');
  ctx.cai = await signedIn(ctx.app, '蔡小芬');
  ctx.law = await signedIn(ctx.app, '吳律師');
  for (const who of [ctx.amy, ctx.ben, ctx.cai])
    await make.approvedService(db, {
      applicant: who.id,
      inmate,
      service: 'visit',
      visitKinds: ['onsite'],
      relationship: 'mother',
    });
  await make.approvedService(db, {
    applicant: ctx.law.id,
    inmate,
    service: 'lawyer_visit',
    visitKinds: [],
    relationship: 'lawyer',
  });
});
test.after(async (ctx) => {
  await ctx.app.close();
});

/** The wizard up to the grid, as without JavaScript. */
async function toGrid(c: Client) {
  await c.get('/bookings/new');
  await c.get('/bookings/new/kind');
  assert.is((await c.post('/bookings/new/kind', { kind: 'onsite' })).location, '/bookings/new/inmate');
  const option = /name="option" value="([^"]+)" checked/.exec((await c.get('/bookings/new/inmate')).text)![1]!;
  assert.is((await c.post('/bookings/new/inmate', { option })).location, '/bookings/new/companions');
  await c.get('/bookings/new/companions');
  assert.is((await c.post('/bookings/new/companions', {})).location, '/bookings/new/slot');
  return c.get('/bookings/new/slot');
}

const holds = async (app: TestApp) =>
  (
    await app.db.pool.query(
      `SELECT applicant_id::int AS who, batch_id::int AS batch, to_char(visit_date, 'YYYY-MM-DD') AS date FROM visit_hold ORDER BY held_at, applicant_id`,
    )
  ).rows as { who: number; batch: number; date: string }[];

const label = (html: string, value: string) =>
  textOf(
    new RegExp(`value="${value.replace('|', '\\|')}"[^>]*>\\s*<label[^>]*>([\\s\\S]*?)</label>`).exec(html)?.[1] ?? '',
  );

test('the grid counts others’ live holds, never one’s own; the summary says until when the place is held', async ({
  app,
  amy,
  ben,
  two,
}) => {
  const grid = await toGrid(amy.c);
  assert.match(textOf(grid.text), '選定時段後，名額會為您保留 10 分鐘');
  assert.match(label(grid.text, `${wednesday}|${two}`), '剩 2 位');
  assert.is(
    (await amy.c.post('/bookings/new/slot', { slot: `${wednesday}|${two}` })).location,
    '/bookings/new/confirm',
  );
  assert.equal(await holds(app), [{ who: amy.id, batch: two, date: wednesday }]);
  const confirm = textOf((await amy.c.get('/bookings/new/confirm')).text);
  assert.match(confirm, '已為您保留此時段的名額至 10:10（台灣時間），請在此之前按「確認」。');
  // Her own hold does not make her choice look full; for Ben one place is left.
  const back = await amy.c.get('/bookings/new/slot');
  assert.match(label(back.text, `${wednesday}|${two}`), '剩 2 位');
  assert.match(back.text, `value="${wednesday}|${two}" checked`);
  assert.match(label((await toGrid(ben.c)).text, `${wednesday}|${two}`), '剩 1 位');
  // Amy gives it up: 取消本次預約 releases the place at once.
  const cancelled = await amy.c.post('/bookings/new/cancel', {});
  assert.is(cancelled.location, '/bookings');
  assert.match(textOf((await amy.c.follow(cancelled)).text), '已取消本次預約，為您保留的名額已釋出。');
  assert.equal(await holds(app), []);
  assert.match(label((await ben.c.get('/bookings/new/slot')).text, `${wednesday}|${two}`), '剩 2 位');
  assert.is((await amy.c.get('/bookings/new/confirm')).location, '/bookings/new/kind', 'the wizard is gone');
});

test('one hold per wizard: choosing another batch, changing an earlier step or starting again releases it; lawyers’ arrival times hold nothing', async ({
  app,
  amy,
  ben,
  law,
  one,
  morning,
}) => {
  await toGrid(amy.c);
  await amy.c.post('/bookings/new/slot', { slot: `${wednesday}|${one}` });
  await amy.c.get('/bookings/new/slot');
  await amy.c.post('/bookings/new/slot', { slot: `${wednesday}|${morning}` });
  assert.equal(await holds(app), [{ who: amy.id, batch: morning, date: wednesday }], 'the first place is given back');
  await amy.c.get('/bookings/new/slot');
  await amy.c.post('/bookings/new/slot', { slot: `${wednesday}|${one}` });
  assert.equal(await holds(app), [{ who: amy.id, batch: one, date: wednesday }]);
  // Other visitors chosen again reset the time: the hold goes with it.
  await amy.c.get('/bookings/new/companions');
  assert.is(
    (await amy.c.post('/bookings/new/companions', { companion: String(ben.id) })).location,
    '/bookings/new/slot',
  );
  assert.equal(await holds(app), [], 'a reset time holds nothing');
  await amy.c.post('/bookings/new/slot', { slot: `${wednesday}|${one}` });
  assert.is((await holds(app)).length, 1);
  // 預約接見 again while the place is held asks first (a link from anywhere cannot give it away): the
  // booking in progress can be finished, or given up for a new one, which releases the place.
  const ask = await amy.c.get('/bookings/new');
  assert.is(ask.status, 200);
  const asked = textOf(ask.text);
  assert.match(asked, '您有一筆尚未完成的預約');
  assert.match(asked, /名額為您保留至 \d\d:\d\d（台灣時間）/);
  assert.match(ask.text, 'href="/bookings/new/confirm"');
  // Which booking: the visit, its time and the inmate, as the confirmation shows them.
  const confirmation = textOf((await amy.c.get('/bookings/new/confirm')).text);
  for (const said of [
    '接見種類 現場接見',
    '預約接見日期 2026/11/25（三） 15:00–15:30',
    '收容人 王○○（桃園女子監獄）',
  ]) {
    assert.match(asked, said);
    assert.match(confirmation, said.split(' ')[1]!);
  }
  assert.is((await holds(app)).length, 1, 'asking keeps the place held');
  assert.is((await amy.c.get('/bookings/new/confirm')).status, 200, 'and the booking in progress goes on');
  await amy.c.get('/bookings/new');
  assert.is((await amy.c.post('/bookings/new', {}, { csrf: false })).status, 403, 'starting again needs the form');
  assert.is((await holds(app)).length, 1);
  assert.is((await amy.c.post('/bookings/new', {})).location, '/bookings/new/kind');
  assert.equal(await holds(app), [], 'starting again released the place');
  assert.is((await amy.c.get('/bookings/new/slot')).location, '/bookings/new/kind', 'and the wizard is new');

  // A lawyer on site chooses a date and arrival time: no hold.
  await toGrid(law.c);
  assert.is(
    (await law.c.post('/bookings/new/slot', { date: wednesday, arrival: '09:30' })).location,
    '/bookings/new/confirm',
  );
  const confirm = textOf((await law.c.get('/bookings/new/confirm')).text);
  assert.not.match(confirm, '保留');
  assert.equal(await holds(app), []);
  // 預約接見 again with answers but no place held asks too: the answers are not thrown away unasked.
  const lawAsked = await law.c.get('/bookings/new');
  assert.is(lawAsked.status, 200);
  assert.match(textOf(lawAsked.text), '您已開始填寫這筆預約，尚未送出');
  assert.match(textOf(lawAsked.text), '預約接見日期 2026/11/25（三） 預計 09:30 到達');
  assert.not.match(textOf(lawAsked.text), '保留');
  assert.match(lawAsked.text, 'href="/bookings/new/confirm"');
  // Only the first step answered: it goes on at the second.
  await amy.c.get('/bookings/new/kind');
  await amy.c.post('/bookings/new/kind', { kind: 'onsite' });
  const amyAsked = await amy.c.get('/bookings/new');
  assert.is(amyAsked.status, 200);
  assert.match(amyAsked.text, 'href="/bookings/new/inmate"');
  assert.match(textOf(amyAsked.text), '接見種類 現場接見');
  assert.match(amyAsked.text, /<button[^>]*>重新預約<\/button>/);
  assert.not.match(textOf(amyAsked.text), '釋出');
  assert.is((await amy.c.post('/bookings/new', {})).location, '/bookings/new/kind');
  assert.is((await amy.c.get('/bookings/new')).location, '/bookings/new/kind', 'a new wizard is not asked about');
});

test('two people race for the last place: one holds it and books inside the hold (the booking replaces the hold); the other is told it was just taken, keeps the rest and books another; an expired hold frees the place', async ({
  app,
  amy,
  ben,
  cai,
  one,
  morning,
}) => {
  await Promise.all([toGrid(amy.c), toGrid(ben.c)]);
  const [a, b] = await Promise.all([
    amy.c.post('/bookings/new/slot', { slot: `${wednesday}|${one}` }),
    ben.c.post('/bookings/new/slot', { slot: `${wednesday}|${one}` }),
  ]);
  assert.equal([a.status, b.status].sort(), [303, 422], 'one hold');
  const [winner, loser, lost] = a.status === 303 ? [amy, ben, b] : [ben, amy, a];
  assert.match(textOf(lost.text), '您選的時段最後的名額剛被其他人選走，請另選一個時段；其他已填寫的資料都會保留。');
  assert.not.match(lost.text, `value="${wednesday}|${one}"`, 'the place is no longer offered');
  assert.equal(await holds(app), [{ who: winner.id, batch: one, date: wednesday }]);
  await winner.c.get('/bookings/new/confirm');
  assert.match((await winner.c.post('/bookings/new/confirm', {})).location!, /^\/bookings\/\d+\?booked=1$/);
  assert.equal(await holds(app), [], 'the booking replaced the hold');
  // The other chooses another time: nothing else had to be answered again.
  assert.is(
    (await loser.c.post('/bookings/new/slot', { slot: `${wednesday}|${morning}` })).location,
    '/bookings/new/confirm',
  );
  await loser.c.get('/bookings/new/confirm');
  assert.match((await loser.c.post('/bookings/new/confirm', {})).location!, /^\/bookings\/\d+\?booked=1$/);
  const { rows } = await app.db.pool.query(
    `SELECT batch_id::int AS batch, count(*)::int AS n FROM visit_booking WHERE visit_date = $1 GROUP BY batch_id ORDER BY batch_id`,
    [wednesday],
  );
  assert.equal(rows, [
    { batch: morning, n: 1 },
    { batch: one, n: 1 },
  ]);

  // Thursday's last place: Cai holds it; ten minutes later it is free for Amy, and Cai's late confirmation finds it full.
  const thursdayOne = Number(
    (
      await app.db.pool.query(
        `SELECT id FROM visit_batch WHERE weekday = 4 AND starts_at = '15:00' AND institution_code = '2477'`,
      )
    ).rows[0].id,
  );
  const cell = `${thursday}|${thursdayOne}`;
  await toGrid(cai.c);
  assert.is((await cai.c.post('/bookings/new/slot', { slot: cell })).location, '/bookings/new/confirm');
  try {
    clockNow = new Date(NOW.getTime() + 9 * 60_000);
    assert.not.match((await toGrid(amy.c)).text, `value="${cell}"`, 'held for Cai');
    clockNow = new Date(NOW.getTime() + 10 * 60_000);
    assert.match(label((await amy.c.get('/bookings/new/slot')).text, cell), '剩 1 位', 'the hold ended');
    assert.is((await amy.c.post('/bookings/new/slot', { slot: cell })).location, '/bookings/new/confirm');
    assert.match(textOf((await cai.c.get('/bookings/new/confirm')).text), '名額保留時間已於 10:10 結束');
    assert.is((await cai.c.post('/bookings/new/confirm', {})).location, '/bookings/new/slot');
    assert.match(textOf((await cai.c.get('/bookings/new/slot')).text), '這個時段已經額滿');
    await amy.c.get('/bookings/new/confirm');
    assert.match((await amy.c.post('/bookings/new/confirm', {})).location!, /^\/bookings\/\d+\?booked=1$/);
  } finally {
    clockNow = NOW;
  }
});

test.run();
