import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as make from '../support/fixtures.ts';
import { getHelpRecord, listFaq, listGuide, listHelpForStaff, saveHelp, type HelpInput } from '../../domain/help.ts';
import {
  getFeedback,
  listFeedback,
  lookupFeedback,
  replyToFeedback,
  submitFeedback,
  type FeedbackInput,
} from '../../domain/feedback.ts';
import { plainTextWithStepsToHtml } from '../../domain/shared/plain-text.ts';
import { StaffNotAllowed, type StaffActor } from '../../domain/shared/staff-actor.ts';

/** Friday 2026-11-27 in Taipei. */
const NOW = new Date('2026-11-27T10:00:00+08:00');
type Ctx = { db: TestDb; admin2477: StaffActor; admin2411: StaffActor; agency: StaffActor; reviewer: StaffActor };
const test = suite<Ctx>('常見問題集, 操作教學 and 意見信箱: what the public sees, who answers what, what opens a case');

test.before.each(async (ctx) => {
  ctx.db = await freshDatabase();
  const db = ctx.db.pool;
  await make.institution(db, { code: '2477' });
  await make.institution(db, { code: '2411' });
  const actor = async (account: string, role: StaffActor['role'], institutionCode: string | null) => ({
    staffId: await make.staff(db, { account, name: account, role, institutionCode }),
    role,
    institutionCode,
    ip: '192.0.2.1',
  });
  ctx.admin2477 = await actor('a2477', 'institution_admin', '2477');
  ctx.admin2411 = await actor('a2411', 'institution_admin', '2411');
  ctx.agency = await actor('agency', 'agency_admin', null);
  ctx.reviewer = await actor('r2477', 'reviewer', '2477');
});
test.after.each(async (ctx) => {
  await ctx.db.drop();
});

const question = (over: Partial<HelpInput> = {}): HelpInput => ({
  group: 'other',
  titleZh: '問題',
  titleEn: 'Question',
  bodyZh: '回答',
  bodyEn: 'Answer',
  position: 0,
  published: true,
  ...over,
});
const message = (over: Partial<FeedbackInput> = {}): FeedbackInput => ({
  topic: 'question',
  institutionCode: '2477',
  message: '請問接見時間？',
  name: '',
  email: 'sender@example.com',
  locale: 'zh-TW',
  ...over,
});
async function sent(p: ReturnType<typeof submitFeedback>) {
  const out = await p;
  if (out.kind !== 'sent') throw new Error(`not sent: ${JSON.stringify(out)}`);
  return out;
}

test('numbered lines become an ordered list; everything else stays escaped text with safe links', () => {
  const html = plainTextWithStepsToHtml(
    '請依下列步驟：\n1. 登入 <b>網站</b>\n２．點選 https://www.moj.gov.tw/a\n3、送出\n完成。\n\njavascript:alert(1)',
  );
  assert.is(
    html,
    '<p>請依下列步驟：</p>\n<ol>\n<li>登入 &lt;b&gt;網站&lt;/b&gt;</li>\n' +
      '<li>點選 <a href="https://www.moj.gov.tw/a" rel="noopener noreferrer">https://www.moj.gov.tw/a</a></li>\n' +
      '<li>送出</li>\n</ol>\n<p>完成。</p>\n<p>javascript:alert(1)</p>',
  );
  assert.is(plainTextWithStepsToHtml('1.5 公尺'), '<p>1.5 公尺</p>', 'a number is not a step');
});

test('the public sees published questions in their group and order; only the agency administrator edits', async ({
  db,
  agency,
  admin2477,
  reviewer,
}) => {
  const pool = db.pool;
  await pool.query('DELETE FROM faq_entry');
  for (const [titleZh, position, published] of [
    ['第二', 20, true],
    ['第一', 10, true],
    ['隱藏', 5, false],
  ] as const) {
    const out = await saveHelp(pool, agency, 'faq', null, question({ titleZh, position, published }), NOW);
    assert.is(out.kind, 'saved');
  }
  await saveHelp(pool, agency, 'faq', null, question({ group: 'visit', titleZh: '接見' }), NOW);
  const groups = await listFaq(pool, 'zh-TW');
  assert.equal(
    groups.map((g) => [g.group, g.entries.map((e) => e.question)]),
    [
      ['visit', ['接見']],
      ['other', ['第一', '第二']],
    ],
  );
  assert.is((await listHelpForStaff(pool, agency)).faq.length, 4, 'the administrator sees the hidden one too');
  for (const who of [admin2477, reviewer]) {
    try {
      await saveHelp(pool, who, 'faq', null, question(), NOW);
      assert.unreachable('only the agency administrator');
    } catch (e) {
      assert.instance(e, StaffNotAllowed);
    }
  }
  const bad = await saveHelp(
    pool,
    agency,
    'faq',
    null,
    question({ group: null, titleEn: 'a\nb', position: 10000 }),
    NOW,
  );
  assert.equal(bad, { kind: 'invalid', problems: { group: 'invalid', titleEn: 'too_long', position: 'invalid' } });
});

test('a guide section is changed with the version read, audited with old and new values; a stale version is refused', async ({
  db,
  agency,
}) => {
  const pool = db.pool;
  const sections = await listGuide(pool, 'en');
  assert.ok(sections.length >= 2, 'seeded from seed 001');
  assert.match(sections[0]!.stepsHtml, '<ol>');
  const rec = (await getHelpRecord(pool, agency, 'guide', sections[0]!.id))!;
  const change = { ...rec, titleEn: 'Registering an account' };
  assert.is((await saveHelp(pool, agency, 'guide', { id: rec.id, version: rec.version }, change, NOW)).kind, 'saved');
  assert.is(
    (await saveHelp(pool, agency, 'guide', { id: rec.id, version: rec.version }, change, NOW)).kind,
    'conflict',
  );
  assert.is((await listGuide(pool, 'en'))[0]!.title, 'Registering an account');
  const { rows } = await pool.query(`SELECT details FROM audit_log WHERE action = 'guide.updated' AND object_id = $1`, [
    rec.id,
  ]);
  assert.is(rows.length, 1);
  assert.is(rows[0].details.old.titleEn, 'Registering');
  assert.is(rows[0].details.new.titleEn, 'Registering an account');
});

test('a case opens only with its number and its secret or reply address; the number alone opens nothing', async ({
  db,
}) => {
  const pool = db.pool;
  const { number, secret } = await sent(submitFeedback(pool, message(), NOW));
  assert.match(number, /^F20261127-[0-9A-Z]{6}$/);
  assert.match(secret, /^[0-9A-Z]{8}$/);
  const stored = (await pool.query('SELECT secret_hash FROM feedback WHERE number = $1', [number])).rows[0];
  assert.is.not(stored.secret_hash, secret, 'only a hash is kept');
  for (const key of ['', ' ', number, 'AAAAAAAA', 'other@example.com', `${secret}X`])
    assert.is(await lookupFeedback(pool, number, key, 'zh-TW'), null, `key ${JSON.stringify(key)}`);
  const spaced = `${secret.slice(0, 4)}-${secret.slice(4).toLowerCase()}`;
  for (const key of [secret, spaced, 'SENDER@example.com'])
    assert.is((await lookupFeedback(pool, number, key, 'en'))?.status, 'received', `key ${key}`);
  assert.is(await lookupFeedback(pool, 'F20261127-AAAAAA', secret, 'zh-TW'), null, 'another number');
  const noMail = await sent(submitFeedback(pool, message({ email: '' }), NOW));
  assert.is(await lookupFeedback(pool, noMail.number, '@', 'zh-TW'), null, 'no address: only the secret opens it');
});

test('replies: in scope only, once (two at the same moment: one wins), mailed and audited in the same transaction', async ({
  db,
  admin2477,
  admin2411,
  agency,
  reviewer,
}) => {
  const pool = db.pool;
  const { number } = await sent(submitFeedback(pool, message(), NOW));
  const id = Number((await pool.query('SELECT id FROM feedback WHERE number = $1', [number])).rows[0].id);
  assert.is(await getFeedback(pool, admin2411, id, 'zh-TW'), null);
  assert.equal(await replyToFeedback(pool, admin2411, id, '不是我的', NOW), { kind: 'not_found' });
  assert.equal((await listFeedback(pool, admin2411, 'zh-TW', { status: null, page: 1 })).total, 0);
  assert.equal((await listFeedback(pool, reviewer, 'zh-TW', { status: 'received', page: 1 })).total, 1);
  assert.equal(await replyToFeedback(pool, reviewer, id, ' \n ', NOW), { kind: 'invalid', problem: 'required' });
  const both = await Promise.all([
    replyToFeedback(pool, reviewer, id, '第一個回覆', NOW),
    replyToFeedback(pool, admin2477, id, '第二個回覆', NOW),
  ]);
  assert.equal(both.map((o) => o.kind).sort(), ['already', 'replied']);
  const mails = await pool.query(`SELECT subject, body_text FROM notification WHERE recipient = 'sender@example.com'`);
  assert.is(mails.rowCount, 2, 'the receipt and one reply');
  assert.is(
    (await pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'feedback.replied'`)).rows[0].n,
    1,
  );
  const read = (await lookupFeedback(pool, number, 'sender@example.com', 'zh-TW'))!;
  assert.is(read.status, 'replied');
  assert.ok(mails.rows.some((m) => read.replyHtml!.includes(m.body_text.split('\n\n')[2])));

  const toAgency = await sent(submitFeedback(pool, message({ institutionCode: null }), NOW));
  const agencyId = Number(
    (await pool.query('SELECT id FROM feedback WHERE number = $1', [toAgency.number])).rows[0].id,
  );
  assert.is(
    await getFeedback(pool, admin2477, agencyId, 'zh-TW'),
    null,
    "the agency's message is not an institution's",
  );
  assert.is((await getFeedback(pool, agency, agencyId, 'zh-TW'))?.institutionName, null);
  assert.is((await getFeedback(pool, agency, id, 'zh-TW'))?.status, 'replied', 'the agency sees every queue');
});

test('what is stored is checked: topic, institution that exists, message length, address', async ({ db }) => {
  const out = await submitFeedback(
    db.pool,
    message({ topic: 'x', institutionCode: '9999', message: '字'.repeat(2001), email: 'a@b' }),
    NOW,
  );
  assert.equal(out, {
    kind: 'invalid',
    problems: { topic: 'required', institution: 'required', message: 'too_long', email: 'invalid' },
  });
  assert.is((await db.pool.query('SELECT count(*)::int AS n FROM feedback')).rows[0].n, 0);
});

test.run();
