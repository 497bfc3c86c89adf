import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, textOf, type Res } from '../support/http.ts';
import { staffSignIn } from '../support/journeys.ts';
import { until } from '../support/wait.ts';
import * as make from '../support/fixtures.ts';
import { FEEDBACK_PER_ADDRESS, HONEYPOT } from '../../routes/help.ts';

/** Friday 2026-11-27 10:00 in Taipei. */
const NOW = new Date('2026-11-27T10:00:00+08:00');
const PASSWORD = 'staff password 1';
type Ctx = { app: TestApp; admin: Client; other: Client; agency: Client; reviewer: Client };
const test = suite<Ctx>('常見問題集, 操作教學 and 意見信箱 over HTTP: editing, sending, replying, reading the reply');

test.before(async (ctx) => {
  ctx.app = await startTestApp({ clock: () => new Date(NOW) });
  const db = ctx.app.db.pool;
  await make.institution(db, { code: '2477' });
  await make.institution(db, { code: '2411' });
  for (const [key, account, institutionCode, role] of [
    ['admin', 'a2477', '2477', 'institution_admin'],
    ['other', 'a2411', '2411', 'institution_admin'],
    ['agency', 'agency', null, 'agency_admin'],
    ['reviewer', 'r2477', '2477', 'reviewer'],
  ] as const) {
    await make.staff(db, { account, name: account, institutionCode, role, password: PASSWORD });
    ctx[key] = new Client(ctx.app.url);
    assert.is((await staffSignIn(ctx[key], account, PASSWORD)).status, 303);
  }
});
test.after(async (ctx) => {
  await ctx.app.close();
});

const message = (over: Record<string, string> = {}) => ({
  topic: 'question',
  institution: '2477',
  message: '請問週六可以接見嗎？',
  name: '王小明',
  email: 'sender@example.com',
  [HONEYPOT]: '',
  ...over,
});
/** A stranger's client that has opened `page` (its form's CSRF token). */
const visitor = async (app: TestApp, ip?: string, page = '/feedback') => {
  const c = new Client(app.url, ip);
  await c.get(page);
  return c;
};
/** The case number and secret a thank-you page shows. */
const caseOf = (res: Res) => {
  const found = /(F\d{8}-[0-9A-Z]{6})[\s\S]*?<strong class="case-number">([0-9A-Z]{8})</.exec(res.text);
  assert.ok(found, 'the thank-you page shows the number and the secret');
  return { number: found[1]!, secret: found[2]! };
};

test('the FAQ and the guide show the seeded content, grouped by service, with numbered steps as a list', async ({
  app,
}) => {
  const c = new Client(app.url);
  const faq = await c.get('/faq');
  assert.is(faq.status, 200);
  for (const id of ['contact_book', 'visit', 'lawyer_visit', 'account', 'other']) assert.match(faq.text, `id="${id}"`);
  assert.match(faq.text, '如何申請家庭聯絡簿？');
  assert.match(faq.text, /<ol>\n<li>登入後/);
  const guide = await c.get('/guide');
  assert.match(guide.text, '<h2 id="guide-');
  assert.match(guide.text, /<ol>\n<li>點選「註冊」/);
  await c.get('/language/en?return=/faq');
  const en = await c.get('/faq');
  assert.match(en.text, 'How do I apply for the contact book?');
  assert.match(textOf(en.text), 'Booking a visit');
  // The service pages link to their questions.
  const register = await new Client(app.url).get('/register');
  assert.match(register.text, 'href="/faq#account"');
});

test('the agency administrator adds, hides and changes a question: audited, stale versions refused, others 403', async ({
  app,
  agency,
  admin,
  reviewer,
}) => {
  for (const c of [admin, reviewer]) assert.is((await c.get('/backoffice/faq')).status, 403);
  assert.is((await agency.get('/backoffice/faq/questions/new')).status, 200);
  const empty = await agency.post('/backoffice/faq/questions', {
    group: '',
    titleZh: '',
    titleEn: 'x',
    bodyZh: '',
    bodyEn: 'y',
  });
  assert.is(empty.status, 422);
  assert.match(textOf(empty.text), '請選擇服務分類');
  assert.match(textOf(empty.text), '請輸入中文問題');
  assert.match(empty.text, 'value="x"', 'what was typed is kept');
  const created = await agency.post('/backoffice/faq/questions', {
    group: 'visit',
    titleZh: '接見可以帶小孩嗎？',
    titleEn: 'May children come?',
    bodyZh: '可以。\n1. 攜帶戶口名簿\n2. 提早報到\n\n詳見 https://www.mjac.moj.gov.tw/',
    bodyEn: 'Yes.',
    position: '5',
    published: '1',
  });
  assert.is(created.status, 303);
  assert.match(textOf((await agency.follow(created)).text), '已儲存「接見可以帶小孩嗎？」');
  const pub = await new Client(app.url).get('/faq');
  assert.match(pub.text, '接見可以帶小孩嗎？');
  assert.match(pub.text, '<ol>\n<li>攜帶戶口名簿</li>\n<li>提早報到</li>\n</ol>');
  assert.match(pub.text, '<a href="https://www.mjac.moj.gov.tw/" rel="noopener noreferrer">');
  const { id } = (await app.db.pool.query(`SELECT id FROM faq_entry WHERE question_zh = '接見可以帶小孩嗎？'`)).rows[0];
  const hide = {
    group: 'visit',
    titleZh: '接見可以帶小孩嗎？',
    titleEn: 'May children come?',
    bodyZh: '可以。',
    bodyEn: 'Yes.',
    position: '5',
    version: '1',
  };
  assert.is((await agency.post(`/backoffice/faq/questions/${id}`, hide)).status, 303);
  assert.not.match((await new Client(app.url).get('/faq')).text, '接見可以帶小孩嗎？', 'not published: not shown');
  const stale = await agency.post(`/backoffice/faq/questions/${id}`, { ...hide, published: '1' });
  assert.is(stale.status, 409, 'version 1 was replaced');
  const audit = await app.db.pool.query(
    `SELECT action, details FROM audit_log WHERE object_type = 'faq_entry' AND object_id = $1 ORDER BY id`,
    [id],
  );
  assert.equal(
    audit.rows.map((r) => r.action),
    ['faq.created', 'faq.updated'],
  );
  assert.is(audit.rows[1].details.old.published, true);
  assert.is(audit.rows[1].details.new.published, false);
  assert.is(audit.rows[1].details.old.bodyZh.startsWith('可以。\n1.'), true);
});

test('意見信箱: sent with an address, answered by the institution, mailed, read on /progress with the secret or the address', async ({
  app,
  admin,
  other,
  agency,
}) => {
  const c = new Client(app.url);
  assert.is((await c.get('/feedback')).status, 200);
  const posted = await c.post('/feedback', message());
  assert.is(posted.status, 303);
  assert.is(posted.location, '/feedback/sent');
  const sent = await c.follow(posted);
  assert.is(sent.status, 200);
  assert.is(sent.headers.get('cache-control'), 'no-store');
  const { number, secret } = caseOf(sent);
  // A reload (or the back button) shows the same case again and files nothing more.
  const filed = async () => (await app.db.pool.query(`SELECT count(*)::int AS n FROM feedback`)).rows[0].n;
  const filedBefore = await filed();
  assert.equal(caseOf(await c.get('/feedback/sent')), { number, secret });
  assert.is(await filed(), filedBefore);
  assert.is((await new Client(app.url).get('/feedback/sent')).location, '/feedback', 'nothing sent in that session');
  const kept = await app.db.pool.query(`SELECT count(*)::int AS n FROM session WHERE sess::text LIKE $1`, [
    `%${secret}%`,
  ]);
  assert.is(kept.rows[0].n, 1, 'the secret waits in this session only');
  assert.match(number, /^F20261127-/);
  const receipt = await until('the receipt mail', async () =>
    app.smtp.mails.find((m) => m.to === 'sender@example.com' && m.text.includes(number)),
  );
  assert.not.match(receipt.text, secret, 'the secret is never mailed (the mail is logged)');
  // Opening the form for a new message ends the last one's thank-you page, and its secret leaves the session.
  await c.get('/feedback');
  assert.is((await c.get('/feedback/sent')).location, '/feedback');
  const left = await app.db.pool.query(`SELECT count(*)::int AS n FROM session WHERE sess::text LIKE $1`, [
    `%${secret}%`,
  ]);
  assert.is(left.rows[0].n, 0);

  const { id } = (await app.db.pool.query('SELECT id FROM feedback WHERE number = $1', [number])).rows[0];
  assert.match((await admin.get('/backoffice/feedback')).text, number);
  assert.not.match((await other.get('/backoffice/feedback')).text, number, "another institution's queue");
  assert.is((await other.get(`/backoffice/feedback/${id}`)).status, 404);
  assert.is((await other.post(`/backoffice/feedback/${id}/reply`, { reply: '試試' })).status, 404);
  const agencyQueue = await agency.get('/backoffice/feedback');
  assert.match(agencyQueue.text, number, 'the agency sees every queue');
  // Said as the agency's (it has no 本機關), and an institution's as its own.
  assert.match(textOf(agencyQueue.text), '寄給各機關與矯正署的意見');
  assert.match(textOf((await admin.get('/backoffice/feedback')).text), '寄給本機關的意見');

  // Before the reply: the number alone opens nothing; a wrong secret finds nothing.
  const alone = await c.post('/progress/feedback', { feedbackNumber: number, feedbackKey: '' });
  assert.is(alone.status, 422);
  assert.match(textOf(alone.text), '請輸入查詢碼或回覆電子郵件');
  const wrong = await c.post('/progress/feedback', { feedbackNumber: number, feedbackKey: 'AAAAAAAA' });
  assert.match(textOf(wrong.text), '查無符合的案件');
  assert.not.match(wrong.text, '請問週六');
  const before = await c.post('/progress/feedback', { feedbackNumber: number, feedbackKey: secret.toLowerCase() });
  assert.match(textOf(before.text), '處理中');

  const page = await admin.get(`/backoffice/feedback/${id}`);
  assert.match(page.text, '請問週六可以接見嗎？');
  assert.is((await admin.post(`/backoffice/feedback/${id}/reply`, { reply: '  ' })).status, 422);
  const replied = await admin.post(`/backoffice/feedback/${id}/reply`, {
    reply: '週六上午可以，請見 https://www.mjac.moj.gov.tw/',
  });
  assert.is(replied.status, 303);
  assert.match(textOf((await admin.follow(replied)).text), '已回覆並寄出電子郵件');
  const again = await admin.post(`/backoffice/feedback/${id}/reply`, { reply: '第二次' });
  assert.match(textOf((await admin.follow(again)).text), '這件意見已經回覆過了');
  const mail = await until('the reply mail', async () =>
    app.smtp.mails.find((m) => m.to === 'sender@example.com' && m.subject.includes('回覆')),
  );
  assert.match(mail.text, '週六上午可以');
  const audit = await app.db.pool.query(
    `SELECT details FROM audit_log WHERE action = 'feedback.replied' AND object_id = $1`,
    [id],
  );
  assert.is(audit.rowCount, 1);
  assert.is(audit.rows[0].details.new.reply, '週六上午可以，請見 https://www.mjac.moj.gov.tw/');

  for (const key of [secret, 'Sender@Example.com']) {
    const read = await c.post('/progress/feedback', { feedbackNumber: number.toLowerCase(), feedbackKey: key });
    assert.is(read.status, 200);
    assert.match(textOf(read.text), '已回覆');
    assert.match(read.text, '週六上午可以，請見 <a href="https://www.mjac.moj.gov.tw/"');
  }
  const otherAddress = await c.post('/progress/feedback', { feedbackNumber: number, feedbackKey: 'x@example.com' });
  assert.match(textOf(otherAddress.text), '查無符合的案件');
});

test("a message to the agency lands in the agency administrator's queue only; without an address nothing is mailed", async ({
  app,
  admin,
  agency,
}) => {
  const before = app.smtp.mails.length;
  const c = await visitor(app);
  const sent = await c.follow(await c.post('/feedback', message({ institution: 'agency', email: '', name: '' })));
  const { number } = caseOf(sent);
  const { id } = (await app.db.pool.query('SELECT id FROM feedback WHERE number = $1', [number])).rows[0];
  assert.is((await admin.get(`/backoffice/feedback/${id}`)).status, 404);
  assert.not.match((await admin.get('/backoffice/feedback')).text, number);
  const replied = await agency.post(`/backoffice/feedback/${id}/reply`, { reply: '謝謝您' });
  assert.match(textOf((await agency.follow(replied)).text), '已回覆（寄件人未留電子郵件）');
  const n = await app.db.pool.query(`SELECT count(*)::int AS n FROM notification WHERE body_text LIKE $1`, [
    `%${number}%`,
  ]);
  assert.is(n.rows[0].n, 0);
  assert.is(app.smtp.mails.length, before);
});

test('the form keeps what was typed and says what is wrong; an unknown institution is refused', async ({ app }) => {
  const c = await visitor(app);
  const bad = await c.post(
    '/feedback',
    message({ topic: '', institution: '9999', message: '', email: 'not-an-address' }),
  );
  assert.is(bad.status, 422);
  const text = textOf(bad.text);
  for (const m of ['請選擇意見類別', '請選擇受理機關', '請輸入意見內容', '請輸入正確的電子郵件']) assert.match(text, m);
  assert.match(bad.text, 'value="not-an-address"');
  const long = await c.post('/feedback', message({ message: '字'.repeat(2001) }));
  assert.is(long.status, 422);
  assert.match(textOf(long.text), '意見內容請在 2000 字以內');
  // A name that would read backwards to staff (a right-to-left override) is refused, the character named.
  const reversed = await c.post('/feedback', message({ name: '\u202e明小王' }));
  assert.is(reversed.status, 422);
  assert.match(textOf(reversed.text), '姓名含有看不見的字元（U+202E），請刪除後重新輸入');
  const emoji = await c.post('/feedback', message({ name: '王小明🙂' }));
  assert.match(textOf(emoji.text), '姓名不能使用「🙂」，請刪除後重新輸入');
  assert.is(
    (await app.db.pool.query('SELECT count(*)::int AS n FROM feedback WHERE institution_code = $1', ['9999'])).rows[0]
      .n,
    0,
  );
});

test('a filled honeypot is thanked like anyone, and nothing is stored or mailed', async ({ app }) => {
  const count = async () => (await app.db.pool.query('SELECT count(*)::int AS n FROM feedback')).rows[0].n;
  const before = await count();
  const mails = app.smtp.mails.length;
  const bot = await visitor(app, '127.0.0.3');
  const posted = await bot.post('/feedback', message({ [HONEYPOT]: 'https://spam.example', email: 'bot@example.com' }));
  assert.is(posted.location, '/feedback/sent', 'sent on to the thank-you page like anyone');
  const res = await bot.follow(posted);
  assert.is(res.status, 200);
  const { number } = caseOf(res);
  assert.is(await count(), before);
  const n = await app.db.pool.query(`SELECT count(*)::int AS n FROM notification WHERE recipient = 'bot@example.com'`);
  assert.is(n.rows[0].n, 0);
  assert.is(app.smtp.mails.length, mails);
  const lookup = await (
    await visitor(app, undefined, '/progress')
  ).post('/progress/feedback', {
    feedbackNumber: number,
    feedbackKey: 'bot@example.com',
  });
  assert.match(textOf(lookup.text), '查無符合的案件');
});

test('messages are limited per address, honeypot or not; another address still sends', async ({ app }) => {
  const c = await visitor(app, '127.0.0.4');
  for (let i = 0; i < FEEDBACK_PER_ADDRESS[0]; i++) {
    const body = i % 2 ? message({ email: '' }) : message({ [HONEYPOT]: 'x' });
    assert.is((await c.post('/feedback', body)).status, 303, `message ${i + 1}`);
  }
  const refused = await c.post('/feedback', message({ email: '' }));
  assert.is(refused.status, 429);
  assert.ok(Number(refused.headers.get('retry-after')) > 0);
  assert.is((await (await visitor(app, '127.0.0.5')).post('/feedback', message({ email: '' }))).status, 303);
  const keys = await app.db.pool.query(`SELECT key FROM rate_limit WHERE key LIKE 'feedback%'`);
  assert.ok(keys.rows.length > 0);
  assert.ok(
    keys.rows.every((r) => !r.key.includes('127.0.0')),
    'the table holds hashes, not addresses',
  );
});

test.run();
