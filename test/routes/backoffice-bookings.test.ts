import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, csrfFrom, textOf, type Res } from '../support/http.ts';
import { staffSignIn, VALID_IDS } from '../support/journeys.ts';
import * as make from '../support/fixtures.ts';
import { bookVisit, type BookingInput } from '../../domain/bookings/booking.ts';
import { csvCell, toCsv } from '../../domain/bookings/roster-csv.ts';
import { nextWorkingDay } from '../../domain/bookings/rosters.ts';
import { staffAccounts, twoInstitutions } from '../support/scenarios.ts';

/** A moment in Asia/Taipei (UTC+8, no daylight saving). */
const taipei = (isoLocal: string) => new Date(`${isoLocal}+08:00`);
/** Monday 2026-11-23 10:00 in Taipei: bookable dates are Wed 2026-11-25 to Mon 2026-11-30. */
const NOW = taipei('2026-11-23T10:00:00');

type Person = { id: number; name: string; nationalId: string; email: string };
type Ctx = {
  app: TestApp;
  staff: Client;
  second: Client;
  other: Client;
  agency: Client;
  staffSid: string;
  otherSid: string;
  inmates: Record<string, number>;
  people: Record<'alice' | 'carol' | 'dave' | 'erin' | 'frank', Person>;
  /** b1 alice+carol on-site, b2 alice mobile, b3 erin at 2411, b4 dave lawyer on-site, b5 carol+alice on-site */
  b: Record<'b1' | 'b2' | 'b3' | 'b4' | 'b5', number>;
};
const test = suite<Ctx>(
  'visit bookings in the back office: review, bulk decisions, one booking, cancel, rosters and CSV, phone bookings, who may see what',
);

const CAROL = '=HYPERLINK("http://x.example","a")';

test.before(async (ctx) => {
  ctx.app = await startTestApp({ clock: () => NOW });
  const db = ctx.app.db.pool;
  await twoInstitutions(db);
  ctx.inmates = {};
  for (const [institutionCode, callNumber, name] of [
    ['2477', '1024', '王小明'],
    ['2477', '1026', '陳大文'],
    ['2411', '2048', '林美華'],
  ] as const) {
    ctx.inmates[callNumber] = await make.inmate(db, { institutionCode, callNumber, name });
  }
  await staffAccounts(db, [
    ['reviewer2477', '桃園承辦人', '2477', 'reviewer'],
    ['second2477', '桃園第二承辦人', '2477', 'reviewer'],
    ['reviewer2411', '基隆承辦人', '2411', 'reviewer'],
    ['agency', '矯正署管理者', null, 'agency_admin'],
  ]);
  for (const institutionCode of ['2477', '2411']) {
    for (let weekday = 1; weekday <= 7; weekday++) {
      for (const [kind, startsAt, lengthMinutes, capacity] of [
        ['onsite', '09:00', 30, 5],
        ['onsite', '14:00', 30, 5],
        ['mobile', '09:00', null, 3],
        ['remote', '10:00', 30, 2],
      ] as const) {
        await make.visitBatch(db, { institutionCode, kind, weekday, startsAt, lengthMinutes, capacity });
      }
    }
  }
  const person = async (key: string, name: string, nationalId: string): Promise<Person> => {
    const email = `${key}-${Date.now()}@example.com`;
    const id = await make.applicant(db, { name, nationalId, email, mobile: '0912345678' });
    return { id, name, nationalId, email };
  };
  ctx.people = {
    alice: await person('alice', '李大同', VALID_IDS[0]!),
    carol: await person('carol', CAROL, VALID_IDS[1]!),
    dave: await person('dave', '張律師', VALID_IDS[2]!),
    erin: await person('erin', '林家人', VALID_IDS[3]!),
    frank: await person('frank', '陳爸爸', VALID_IDS[4]!),
  };
  const grant = async (
    who: Person,
    call: string,
    service: 'visit' | 'lawyer_visit',
    relationship: 'mother' | 'sibling' | 'lawyer' | 'spouse' | 'father',
  ) => {
    await make.approvedService(db, {
      applicant: who.id,
      inmate: ctx.inmates[call]!,
      service,
      visitKinds: service === 'visit' ? ['onsite', 'remote', 'mobile'] : [],
      relationship,
    });
  };
  await grant(ctx.people.alice, '1024', 'visit', 'mother');
  await grant(ctx.people.carol, '1024', 'visit', 'sibling');
  await grant(ctx.people.dave, '1024', 'lawyer_visit', 'lawyer');
  await grant(ctx.people.erin, '2048', 'visit', 'spouse');
  await grant(ctx.people.frank, '1026', 'visit', 'father');
  await grant(ctx.people.frank, '2048', 'visit', 'father');

  const batch = async (code: string, kind: string, date: string, at: string) =>
    Number(
      (
        await db.query(
          `SELECT id FROM visit_batch WHERE institution_code = $1 AND visit_kind = $2 AND weekday = extract(isodow FROM $3::date) AND starts_at = $4`,
          [code, kind, date, at],
        )
      ).rows[0].id,
    );
  const book = async (
    over: Partial<BookingInput> & { bookerId: number; inmateId: number; date: string },
    code = '2477',
    at = '09:00',
  ): Promise<number> => {
    const kind = over.kind ?? 'onsite';
    const lawyerOnsite = over.service === 'lawyer_visit' && kind === 'onsite';
    const outcome = await bookVisit(
      ctx.app.db.pool,
      {
        submissionKey: randomUUID(),
        service: 'visit',
        kind,
        batchId: lawyerOnsite ? null : await batch(code, kind, over.date, at),
        arrivalTime: null,
        companionIds: [],
        reason: '',
        ...over,
      },
      NOW,
    );
    assert.is(outcome.kind, 'booked', JSON.stringify(outcome));
    return (outcome as { bookingId: number }).bookingId;
  };
  const p = ctx.people;
  ctx.b = {
    b1: await book({
      bookerId: p.alice.id,
      inmateId: ctx.inmates['1024']!,
      date: '2026-11-25',
      companionIds: [p.carol.id],
    }),
    b2: await book({ bookerId: p.alice.id, inmateId: ctx.inmates['1024']!, date: '2026-11-26', kind: 'mobile' }),
    b3: await book({ bookerId: p.erin.id, inmateId: ctx.inmates['2048']!, date: '2026-11-25' }, '2411'),
    b4: await book({
      bookerId: p.dave.id,
      inmateId: ctx.inmates['1024']!,
      date: '2026-11-25',
      service: 'lawyer_visit',
      arrivalTime: '10:00',
    }),
    b5: await book(
      { bookerId: p.carol.id, inmateId: ctx.inmates['1024']!, date: '2026-11-27', companionIds: [p.alice.id] },
      '2477',
      '14:00',
    ),
  };

  const signIn = async (c: Client, account: string) => {
    const ok = await staffSignIn(c, account, 'staff password 1');
    assert.is(ok.status, 303);
    return ok.headers
      .getSetCookie()
      .find((h) => h.startsWith('portal.staff.sid='))!
      .split(';')[0]!;
  };
  ctx.staffSid = await signIn((ctx.staff = new Client(ctx.app.url)), 'reviewer2477');
  await signIn((ctx.second = new Client(ctx.app.url)), 'second2477');
  ctx.otherSid = await signIn((ctx.other = new Client(ctx.app.url)), 'reviewer2411');
  await signIn((ctx.agency = new Client(ctx.app.url)), 'agency');
});
test.after(async (ctx) => {
  await ctx.app.close();
});

/** Posts a form with repeated fields (checkboxes), with the CSRF token of the page last shown. */
function postPairs(c: Client, path: string, pairs: [string, string][]): Promise<Res> {
  const body = new URLSearchParams([['_csrf', csrfFrom(c.lastPage)], ...pairs]);
  return c.request('POST', path, body.toString());
}

/** The raw bytes of a response (Response.text() would drop a byte order mark). */
async function rawGet(
  app: TestApp,
  sid: string,
  path: string,
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(app.url + path, { headers: { cookie: sid }, redirect: 'manual' });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const status = async (ctx: Ctx, id: number) =>
  (await ctx.app.db.pool.query('SELECT status, version FROM visit_booking WHERE id = $1', [id])).rows[0];

test('CSV cells are quoted, quotes doubled, formulas defused; the file starts with a BOM and uses CRLF', () => {
  assert.is(csvCell('王小明'), '"王小明"');
  assert.is(csvCell('a "b", c'), '"a ""b"", c"');
  for (const f of ['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) assert.is(csvCell(f), `"'${f.replace(/"/g, '""')}"`);
  assert.is(
    toCsv([
      ['a', 'b'],
      ['1', '2'],
    ]),
    '\uFEFF"a","b"\r\n"1","2"\r\n',
  );
  assert.is(nextWorkingDay('2026-11-27'), '2026-11-30', 'Friday → Monday');
  assert.is(nextWorkingDay('2026-11-23'), '2026-11-24');
});

test('staff of another institution: every booking URL is 404, none of its rows in the list, its roster refused', async (ctx) => {
  const { other, app, b } = ctx;
  for (const path of [`/backoffice/bookings/${b.b1}`, `/backoffice/bookings/${b.b4}`])
    assert.is((await other.get(path)).status, 404, path);
  await other.get('/backoffice/bookings');
  assert.is(
    (await other.post(`/backoffice/bookings/${b.b1}/decision`, { decision: 'approve', version: '1' })).status,
    404,
  );
  assert.is(
    (await other.post(`/backoffice/bookings/${b.b1}/decision`, { decision: 'reject', reason: '', version: '1' }))
      .status,
    404,
    'even with a form error',
  );
  assert.is(
    (await other.post(`/backoffice/bookings/${b.b1}/cancel`, { cancelReason: '停電', version: '1' })).status,
    404,
  );
  await other.get('/backoffice/bookings');
  assert.is(
    (
      await postPairs(other, '/backoffice/bookings/decisions', [
        ['decision', 'approve'],
        ['booking', `${b.b1}:1`],
        ['filters', ''],
      ])
    ).status,
    404,
  );
  assert.is((await status(ctx, b.b1)).status, 'pending', 'nothing was decided');

  for (const path of ['/backoffice/bookings', '/backoffice/bookings?status=&from=']) {
    const list = textOf((await other.get(path)).text);
    assert.not.match(list, '王小明', path);
    assert.match(list, '林美華', `${path}: their own booking`);
  }
  const asked = textOf((await other.get('/backoffice/bookings?institution=2477&status=&from=')).text);
  assert.not.match(asked, '王小明', 'asking for another institution by its code shows nothing of it');
  assert.match(asked, '沒有符合條件的預約');
  assert.is((await other.get('/backoffice/bookings/roster?institution=2477&date=2026-11-25')).status, 404);
  assert.is(
    (await rawGet(app, ctx.otherSid, '/backoffice/bookings/roster?institution=2477&date=2026-11-25&format=csv')).status,
    404,
  );
  assert.is((await other.get('/backoffice/bookings/abc')).status, 404);

  const agency = textOf((await ctx.agency.get('/backoffice/bookings')).text);
  assert.match(agency, '王小明');
  assert.match(agency, '林美華', 'the agency sees every institution');
});

test('the review list: pending from today by default, the 16:00 reminder, a checkbox per pending booking', async ({
  staff,
  b,
}) => {
  const page = await staff.get('/backoffice/bookings');
  assert.is(page.status, 200);
  const text = textOf(page.text);
  assert.match(text, '每一工作日 16 時前，請完成次一工作日（2026/11/24（二））預約接見的審核');
  assert.match(page.text, 'href="/backoffice/bookings?from=2026-11-24&amp;to=2026-11-24&amp;status=pending"');
  assert.match(page.text, 'value="2026-11-23"', 'from today');
  for (const s of [
    '2026/11/25（三）',
    '09:00–09:30',
    '現場接見・家屬接見',
    '1024 王小明',
    '李大同',
    '母',
    '2 人',
    '預計 10:00 到達',
    '律師接見',
    '行動接見',
  ])
    assert.match(text, s);
  assert.not.match(text, '林美華');
  assert.match(page.text, `name="booking" value="${b.b1}:1"`);
  assert.match(page.text, '<span class="tag tag--pending">待審核</span>');
  assert.match(page.text, `href="/backoffice/bookings/roster"`);
  assert.match(page.text, `href="/backoffice/bookings/phone"`);
  assert.match(page.text, /<th scope="col">/);
  const later = textOf((await staff.get('/backoffice/bookings?from=2026-11-26&status=pending')).text);
  assert.not.match(later, '2026/11/25', 'the date filter applies');
  const lawyers = textOf((await staff.get('/backoffice/bookings?service=lawyer_visit')).text);
  assert.match(lawyers, '張律師');
  assert.not.match(lawyers, '李大同');
});

test('rejecting selected bookings without a reason is 422 with the selection kept', async ({ staff, b }) => {
  await staff.get('/backoffice/bookings');
  const res = await postPairs(staff, '/backoffice/bookings/decisions', [
    ['decision', 'reject'],
    ['booking', `${b.b1}:1`],
    ['booking', `${b.b2}:1`],
    ['reason', ''],
    ['filters', 'status=pending&from=2026-11-23'],
  ]);
  assert.is(res.status, 422);
  assert.match(res.text, /<title>錯誤：/);
  assert.match(textOf(res.text), '審核未通過時，請填寫原因');
  assert.match(res.text, 'href="#reason"');
  assert.match(res.text, `value="${b.b1}:1" checked`);
  assert.match(res.text, `value="${b.b2}:1" checked`);
  assert.not.match(res.text, `value="${b.b4}:1" checked`);
  const none = await postPairs(staff, '/backoffice/bookings/decisions', [
    ['decision', 'approve'],
    ['filters', ''],
  ]);
  assert.is(none.status, 422);
  assert.match(textOf(none.text), '請至少勾選一件待審核的預約');
});

test('bulk approve: each visitor mailed, the mobile visit’s video link by SMS but never in the log; one already decided is counted', async (ctx) => {
  const { app, staff, second, b, people } = ctx;
  // Another reviewer decides the lawyer's booking first.
  await second.get(`/backoffice/bookings/${b.b4}`);
  assert.is(
    (await second.post(`/backoffice/bookings/${b.b4}/decision`, { decision: 'approve', version: '1' })).status,
    303,
  );

  await staff.get('/backoffice/bookings');
  const res = await postPairs(staff, '/backoffice/bookings/decisions', [
    ['decision', 'approve'],
    ['booking', `${b.b1}:1`],
    ['booking', `${b.b2}:1`],
    ['booking', `${b.b4}:1`],
    ['reason', ''],
    ['filters', 'status=pending&from=2026-11-23&kind='],
  ]);
  assert.is(res.status, 303);
  assert.is(res.location, '/backoffice/bookings?from=2026-11-23&status=pending');
  const after = await staff.follow(res);
  assert.match(textOf(after.text), '已審核通過 2 件預約，系統將通知每位接見人。另有 1 件已由其他承辦人先審核');
  for (const id of [b.b1, b.b2, b.b4]) assert.is((await status(ctx, id)).status, 'approved');

  for (const who of [people.alice, people.carol]) {
    const mail = await app.smtp.waitFor(
      (m) =>
        m.to.includes(who.email) &&
        m.subject === '便民服務入口網預約接見審核結果通知' &&
        m.text.includes('審核通過') &&
        m.text.includes('現場接見'),
    );
    assert.match(mail.text, '桃園女子監獄');
  }
  const token = (await app.db.pool.query('SELECT video_token FROM visit_booking WHERE id = $1', [b.b2])).rows[0]
    .video_token as string;
  assert.ok(token && token.length === 43);
  const sms = await app.sms!.waitFor((m) => m.text.includes(token));
  assert.match(sms.text, `${app.config.videoServiceUrl}/${token}`);
  assert.is(sms.to, '+886912345678');
  // An on-site approval is texted too (seed 002: 以簡訊及電子郵件通知), without any link.
  const onsiteNumber = (await app.db.pool.query('SELECT number FROM visit_booking WHERE id = $1', [b.b1])).rows[0]
    .number as string;
  const onsiteSms = await app.sms!.waitFor((m) => m.text.includes(onsiteNumber));
  assert.match(onsiteSms.text, '請於接見前 30 分鐘攜帶身分證件到機關登記');
  assert.not.match(onsiteSms.text, 'http');
  const videoMail = await app.smtp.waitFor((m) => m.to.includes(people.alice.email) && m.text.includes(token));
  assert.match(videoMail.text, '行動接見');
  const log = await app.db.pool.query('SELECT channel, body_text FROM notification');
  assert.ok(
    log.rows.some((r) => r.channel === 'sms'),
    'the SMS is in the log',
  );
  assert.not.ok(
    log.rows.some((r) => String(r.body_text).includes(token)),
    'the video token is never in the notification log',
  );
  const audit = await app.db.pool.query(
    `SELECT action, object_id FROM audit_log WHERE object_type = 'visit_booking' AND action = 'visit_booking.approved' ORDER BY id`,
  );
  assert.equal(audit.rows.map((r) => Number(r.object_id)).sort(), [b.b1, b.b2, b.b4].sort());
});

test('one booking: visitors with masked IDs, history; reject needs a reason; a stale version is 409', async (ctx) => {
  const { staff, second, b, people } = ctx;
  const page = await staff.get(`/backoffice/bookings/${b.b5}`);
  assert.is(page.status, 200);
  const text = textOf(page.text);
  for (const s of [
    '2026/11/27（五）',
    '14:00–14:30',
    '1024 王小明',
    '預約人',
    '第二接見人',
    '******1814',
    '線上預約',
    '待審核',
  ])
    assert.match(text, s);
  assert.not.match(page.text, people.alice.nationalId, 'no full ID number on the page');
  assert.not.match(page.text, people.alice.email);
  assert.match(page.text, 'class="print-header print-only"');
  assert.match(page.text, '<div class="no-print">');

  const noReason = await staff.post(`/backoffice/bookings/${b.b5}/decision`, {
    decision: 'reject',
    reason: '  ',
    version: '1',
  });
  assert.is(noReason.status, 422);
  assert.match(textOf(noReason.text), '審核未通過時，請填寫原因');
  assert.match(noReason.text, 'id="decision-reject" name="decision" value="reject" checked');

  await second.get(`/backoffice/bookings/${b.b5}`);
  assert.is(
    (await second.post(`/backoffice/bookings/${b.b5}/decision`, { decision: 'approve', version: '1' })).status,
    303,
  );
  const stale = await staff.post(`/backoffice/bookings/${b.b5}/decision`, {
    decision: 'reject',
    reason: '名額已滿',
    version: '1',
  });
  assert.is(stale.status, 409);
  assert.match(textOf(stale.text), '這筆預約剛才已由其他承辦人審核或變更，您的操作沒有儲存');
  assert.match(textOf(stale.text), '審核通過');
  assert.equal(await status(ctx, b.b5), { status: 'approved', version: 2 });
  assert.match(textOf((await staff.get(`/backoffice/bookings/${b.b5}`)).text), '承辦人：桃園第二承辦人');
});

test('staff cancel with a reason: every visitor is mailed it; a stale version is 409; no reason is 422', async (ctx) => {
  const { app, staff, b, people } = ctx;
  await staff.get(`/backoffice/bookings/${b.b5}`);
  const noReason = await staff.post(`/backoffice/bookings/${b.b5}/cancel`, { cancelReason: '', version: '2' });
  assert.is(noReason.status, 422);
  assert.match(textOf(noReason.text), '請填寫取消原因');
  assert.is(
    (await staff.post(`/backoffice/bookings/${b.b5}/cancel`, { cancelReason: '停電', version: '1' })).status,
    409,
  );
  const done = await staff.post(`/backoffice/bookings/${b.b5}/cancel`, {
    cancelReason: '機關停電，暫停接見',
    version: '2',
  });
  assert.is(done.status, 303);
  assert.is(done.location, `/backoffice/bookings/${b.b5}`);
  const page = textOf((await staff.follow(done)).text);
  assert.match(page, /預約 V\d{8}-[0-9A-Z]{6} 已取消/);
  assert.match(page, '已取消');
  assert.match(page, '機關停電，暫停接見');
  for (const who of [people.carol, people.alice]) {
    const mail = await app.smtp.waitFor((m) => m.to.includes(who.email) && m.text.includes('已由機關取消'));
    assert.match(mail.text, '機關停電，暫停接見');
  }
  const audit = await app.db.pool.query(
    `SELECT action FROM audit_log WHERE object_id = $1 AND object_type = 'visit_booking' ORDER BY id`,
    [b.b5],
  );
  assert.equal(
    audit.rows.map((r) => r.action),
    ['visit_booking.approved', 'visit_booking.cancelled'],
  );
  assert.is(
    (await staff.post(`/backoffice/bookings/${b.b5}/cancel`, { cancelReason: '再取消', version: '3' })).status,
    409,
    'a cancelled booking is not cancelled again',
  );
});

test('the roster: printable with masked IDs; the CSV has a BOM, the same rows, masked IDs and no formulas', async (ctx) => {
  const { app, staff, b, people } = ctx;
  const defaults = await staff.get('/backoffice/bookings/roster');
  assert.is(defaults.status, 200);
  assert.match(defaults.text, 'id="date" name="date" type="date" value="2026-11-24"', 'tomorrow by default');
  // A date that is not one is said, with no roster: never another day's, which could be printed.
  for (const wrong of ['2026-02-30', '0000-01-01', 'x']) {
    const refused = await staff.get(`/backoffice/bookings/roster?institution=2477&date=${wrong}`);
    assert.is(refused.status, 422, wrong);
    assert.match(refused.text, 'class="error-summary"');
    assert.match(textOf(refused.text), '請以 2026/11/23 的格式輸入日期');
    assert.not.match(textOf(refused.text), '接見日期：', `${wrong}: no roster`);
    assert.not.match(refused.text, 'format=csv');
  }

  const page = await staff.get('/backoffice/bookings/roster?institution=2477&date=2026-11-25&service=visit');
  assert.is(page.status, 200);
  const text = textOf(page.text);
  for (const s of [
    '桃園女子監獄 預約現場接見清冊',
    '接見日期：2026/11/25（三）',
    '第 1 梯 09:00–09:30',
    '王小明（1024）',
    '李大同（母）******1814',
    '******3012',
    '共 1 件，接見人 2 位',
  ])
    assert.match(text, s);
  assert.not.match(page.text, people.alice.nationalId);
  assert.not.match(text, '張律師', 'lawyers are on their own roster');
  assert.match(page.text, '<table class="table roster">');
  assert.match(page.text, '<th scope="col">');
  const csvHref = /href="([^"]+format=csv)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');

  const lawyers = textOf(
    (await staff.get('/backoffice/bookings/roster?institution=2477&date=2026-11-25&service=lawyer_visit')).text,
  );
  for (const s of [
    '預約現場律師接見清冊',
    '預計 10:00 到達',
    `張律師（律師）******${people.dave.nationalId.slice(-4)}`,
  ])
    assert.match(lawyers, s);

  const csv = await rawGet(app, ctx.staffSid, csvHref);
  assert.is(csv.status, 200);
  assert.is(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.is(csv.headers.get('content-disposition'), 'attachment; filename="roster-2477-2026-11-25-visit.csv"');
  assert.equal([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte order mark first');
  const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(csv.bytes);
  const lines = body.slice(1).split('\r\n');
  assert.is(lines.length, 3, 'a header, one booking, and the final line break');
  assert.match(lines[0]!, '"預約編號","接見日期","梯次／到達時間","呼號","收容人"');
  const number = (await app.db.pool.query('SELECT number FROM visit_booking WHERE id = $1', [b.b1])).rows[0].number;
  assert.match(
    lines[1]!,
    `"${number}","2026/11/25","第 1 梯 09:00–09:30","1024","王小明","現場接見","線上預約","李大同","******1814","母"`,
  );
  assert.match(
    lines[1]!,
    `"'=HYPERLINK(""http://x.example"",""a"")","******3012","兄弟姊妹"`,
    'a name that is a formula is defused and its quotes doubled',
  );
  assert.not.match(body, people.alice.nationalId);
  assert.not.match(body, people.carol.nationalId);
});

test('a phone booking: the applicant found by name and ID, only own-institution options, booked once, marked and audited', async (ctx) => {
  const { app, staff, other, people } = ctx;
  const frank = people.frank;
  const start = await staff.get('/backoffice/bookings/phone');
  assert.is(start.status, 200);
  const wrong = await staff.post('/backoffice/bookings/phone', { name: '陳媽媽', nationalId: frank.nationalId });
  assert.is(wrong.status, 422);
  assert.match(textOf(wrong.text), '找不到符合的申請人');
  const bad = await staff.post('/backoffice/bookings/phone', { name: frank.name, nationalId: 'A123456788' });
  assert.is(bad.status, 422);
  assert.match(textOf(bad.text), '身分證字號不正確');

  const found = await staff.post('/backoffice/bookings/phone', {
    name: frank.name,
    nationalId: frank.nationalId.toLowerCase(),
  });
  assert.is(found.status, 303);
  assert.is(found.location, `/backoffice/bookings/phone/${frank.id}`);
  const lookups = (
    await app.db.pool.query(
      `SELECT object_id, details->>'found' AS found, details->>'nationalId' AS id FROM audit_log WHERE action = 'applicant.looked_up' ORDER BY id`,
    )
  ).rows;
  assert.equal(
    lookups.map((l) => [l.found, l.id.slice(-4)]),
    [
      ['false', frank.nationalId.slice(-4)],
      ['true', frank.nationalId.slice(-4)],
    ],
    'every look-up by ID is audited, the ID masked',
  );
  assert.not.ok(lookups.some((l) => l.id === frank.nationalId));
  assert.is(
    (await other.get(`/backoffice/bookings/phone/${frank.id}`)).status,
    303,
    'another staff member must identify the caller first',
  );

  const step2 = await staff.follow(found);
  assert.is(step2.status, 200);
  const choice2477 = `${ctx.inmates['1026']}:visit:onsite`;
  assert.match(step2.text, `value="${choice2477}"`);
  assert.not.match(
    step2.text,
    `value="${ctx.inmates['2048']}:visit:onsite"`,
    'nothing at another institution is offered',
  );
  assert.match(textOf(step2.text), `申請人：陳爸爸（******${frank.nationalId.slice(-4)}）`);

  const step3 = await staff.get(`/backoffice/bookings/phone/${frank.id}?choice=${encodeURIComponent(choice2477)}`);
  assert.is(step3.status, 200);
  const slot = /name="slot" value="(2026-11-25\|\d+)"/.exec(step3.text)![1]!;
  const key = /name="submissionKey" value="([^"]+)"/.exec(step3.text)![1]!;
  const none = await staff.post(`/backoffice/bookings/phone/${frank.id}`, { choice: choice2477, submissionKey: key });
  assert.is(none.status, 422);
  assert.match(textOf(none.text), '請選擇一個梯次');

  const booked = await staff.post(`/backoffice/bookings/phone/${frank.id}`, {
    choice: choice2477,
    slot,
    submissionKey: key,
  });
  assert.is(booked.status, 303);
  assert.match(booked.location!, /^\/backoffice\/bookings\/\d+$/);
  const id = Number(booked.location!.split('/').pop());
  const again = await staff.post(`/backoffice/bookings/phone/${frank.id}`, {
    choice: choice2477,
    slot,
    submissionKey: key,
  });
  assert.is(again.location, booked.location, 'a double submit books once');
  const page = textOf((await staff.follow(booked)).text);
  assert.match(page, /已完成電話預約 V\d{8}-[0-9A-Z]{6}/);
  assert.match(page, '電話預約');
  const row = (
    await app.db.pool.query(
      `SELECT by_phone, created_by_staff, status, (SELECT count(*)::int FROM visit_booking WHERE booker_id = $2) AS n FROM visit_booking WHERE id = $1`,
      [id, frank.id],
    )
  ).rows[0];
  const staffId = Number((await app.db.pool.query(`SELECT id FROM staff WHERE account = 'reviewer2477'`)).rows[0].id);
  assert.equal(
    { ...row, created_by_staff: Number(row.created_by_staff) },
    { by_phone: true, created_by_staff: staffId, status: 'pending', n: 1 },
  );
  const audit = await app.db.pool.query(
    `SELECT staff_id, ip FROM audit_log WHERE action = 'visit_booking.phone_booked' AND object_id = $1`,
    [id],
  );
  assert.is(audit.rows.length, 1);
  assert.is(Number(audit.rows[0].staff_id), staffId);
  await app.smtp.waitFor((m) => m.to.includes(frank.email) && m.text.includes('目前狀態為待審核'));
  assert.match(textOf((await staff.get('/backoffice/bookings')).text), '電話預約', 'marked in the list');
});

test('a phone booking at another institution is refused', async (ctx) => {
  const { app, staff, people } = ctx;
  const frank = people.frank;
  await staff.get(`/backoffice/bookings/phone/${frank.id}`);
  const page = await staff.get(
    `/backoffice/bookings/phone/${frank.id}?choice=${encodeURIComponent(`${ctx.inmates['1026']}:visit:onsite`)}`,
  );
  const key = /name="submissionKey" value="([^"]+)"/.exec(page.text)![1]!;
  const batchId = Number(
    (
      await app.db.pool.query(
        `SELECT id FROM visit_batch WHERE institution_code = '2411' AND visit_kind = 'onsite' AND weekday = 4 AND starts_at = '14:00'`,
      )
    ).rows[0].id,
  );
  const refused = await staff.post(`/backoffice/bookings/phone/${frank.id}`, {
    choice: `${ctx.inmates['2048']}:visit:onsite`,
    slot: `2026-11-26|${batchId}`,
    submissionKey: key,
  });
  assert.is(refused.status, 422);
  assert.match(textOf(refused.text), '只能預約本機關的接見');
  const n = (
    await app.db.pool.query(`SELECT count(*)::int AS n FROM visit_booking WHERE institution_code = '2411' AND by_phone`)
  ).rows[0].n;
  assert.is(n, 0);
});

test('a lawyer’s on-site phone booking takes an arrival time inside the windows and shows the bands', async (ctx) => {
  const { app, staff, people } = ctx;
  const dave = people.dave;
  await staff.get('/backoffice/bookings/phone');
  assert.is(
    (await staff.post('/backoffice/bookings/phone', { name: dave.name, nationalId: dave.nationalId })).status,
    303,
  );
  const choice = `${ctx.inmates['1024']}:lawyer_visit:onsite`;
  const page = await staff.get(`/backoffice/bookings/phone/${dave.id}?choice=${encodeURIComponent(choice)}`);
  assert.is(page.status, 200);
  const text = textOf(page.text);
  assert.match(text, '各時段預約律師現場接見人數一覽表');
  assert.match(text, '上午 09:00–11:00，下午 14:00–16:00');
  assert.match(page.text, '<option value="14:10">14:10</option>');
  const key = /name="submissionKey" value="([^"]+)"/.exec(page.text)![1]!;
  const outside = await staff.post(`/backoffice/bookings/phone/${dave.id}`, {
    choice,
    date: '2026-11-27',
    arrival: '12:30',
    submissionKey: key,
  });
  assert.is(outside.status, 422);
  assert.match(textOf(outside.text), '到達時間不在機關的律師接見時段內');
  const booked = await staff.post(`/backoffice/bookings/phone/${dave.id}`, {
    choice,
    date: '2026-11-27',
    arrival: '14:10',
    submissionKey: key,
  });
  assert.is(booked.status, 303);
  const id = Number(booked.location!.split('/').pop());
  const row = (
    await app.db.pool.query(`SELECT to_char(arrival_time, 'HH24:MI') AS t, by_phone FROM visit_booking WHERE id = $1`, [
      id,
    ])
  ).rows[0];
  assert.equal(row, { t: '14:10', by_phone: true });
});

test('every page renders in English too', async ({ agency, b }) => {
  await agency.get('/language/en?return=/backoffice');
  for (const path of [
    '/backoffice/bookings',
    `/backoffice/bookings/${b.b1}`,
    '/backoffice/bookings/roster?institution=2477&date=2026-11-25',
    '/backoffice/bookings/phone',
  ]) {
    const res = await agency.get(path);
    assert.is(res.status, 200, path);
    assert.match(res.text, '<html lang="en">', path);
  }
  const text = textOf((await agency.get('/backoffice/bookings/roster?institution=2477&date=2026-11-25')).text);
  assert.match(text, "Taoyuan Women's Prison: On-site family visit roster");
  assert.match(text, 'Batch 1, 09:00–09:30');
});

test.run();
