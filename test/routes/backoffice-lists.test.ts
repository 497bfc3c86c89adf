import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { signedInStaff, staffAccounts, twoInstitutions } from '../support/scenarios.ts';
import { LOG_COUNT_CAP, LOG_PAGE_SIZE } from '../../domain/notifications.ts';
import { QUEUE_COUNT_CAP } from '../../domain/shared/queues.ts';

type Ctx = { app: TestApp; staff: Client; agency: Client; expected: string[] };
const test = suite<Ctx>('staff lists at volume: the notification log by keyset, counts that stop at a cap');

const ROWS = LOG_COUNT_CAP + 50;

test.before(async (ctx) => {
  ctx.app = await startTestApp();
  const { pool } = ctx.app.db;
  await twoInstitutions(pool);
  await staffAccounts(pool, [
    ['reviewer2477', '桃園承辦人', '2477', 'reviewer'],
    ['agency', '矯正署管理者', null, 'agency_admin'],
  ]);
  // Seven rows share each timestamp (as the notices of one transaction do), ids not in time order;
  // 2411's rows and account mails (no institution) interleave with 2477's.
  await pool.query(
    `INSERT INTO notification (channel, institution_code, recipient, subject, body_text, status, created_at, sent_at)
     SELECT 'email', CASE WHEN g % 3 = 0 THEN '2411' WHEN g % 3 = 1 THEN NULL ELSE '2477' END,
            'log' || g || '@example.com', '通知 ' || g, '內文', 'sent', t.at, t.at
       FROM generate_series(1, $1 * 3) g,
            LATERAL (SELECT timestamptz '2026-11-01 08:00:00.123456+08' - ((g * 7919 % ($1 * 3)) / 21) * interval '1 minute' AS at) t`,
    [ROWS],
  );
  const { rows } = await pool.query<{ recipient: string }>(
    `SELECT recipient FROM notification WHERE institution_code = '2477' ORDER BY created_at DESC, id DESC`,
  );
  ctx.expected = rows.map((r) => r.recipient);
  ctx.staff = await signedInStaff(ctx.app.url, 'reviewer2477');
  ctx.agency = await signedInStaff(ctx.app.url, 'agency');
});

test.after(async (ctx) => {
  await ctx.app.close();
});

const recipients = (html: string) => [...html.matchAll(/>(log\d+@example\.com)</g)].map((m) => m[1]!);
const link = (html: string, rel: 'next' | 'prev') =>
  new RegExp(`<a href="([^"]+)" rel="${rel}"`).exec(html)?.[1]?.replaceAll('&amp;', '&');

test('older links walk the whole log once, in order, though many rows share a timestamp; newer links walk back', async ({
  staff,
  expected,
}) => {
  assert.ok(expected.length > LOG_COUNT_CAP, `${expected.length} rows of 2477`);
  const first = await staff.get('/backoffice/notifications');
  assert.is(first.status, 200);
  assert.match(textOf(first.text), `超過 ${LOG_COUNT_CAP.toLocaleString('en')} 件`);
  assert.is(link(first.text, 'prev'), undefined, 'the newest page has no newer link');
  const pages: string[][] = [recipients(first.text)];
  let html = first.text;
  for (let next = link(html, 'next'); next; next = link(html, 'next')) {
    assert.match(next, /^\/backoffice\/notifications\?before=/);
    const res = await staff.get(next);
    assert.is(res.status, 200);
    html = res.text;
    pages.push(recipients(html));
    assert.ok(pages.length < 100, 'the walk ends');
  }
  assert.equal(pages.flat(), expected, 'every row once, newest first, none skipped or repeated');
  assert.ok(pages.slice(0, -1).every((p) => p.length === LOG_PAGE_SIZE));
  // Back again through the newer links from the oldest page: the same pages in reverse.
  const back: string[][] = [recipients(html)];
  for (let prev = link(html, 'prev'); prev; prev = link(html, 'prev')) {
    const res = await staff.get(prev);
    assert.is(res.status, 200);
    html = res.text;
    back.unshift(recipients(html));
    assert.ok(back.length < 100, 'the walk back ends');
  }
  assert.equal(back.flat(), expected, 'the newer links reach every row again, ending on the newest page');
  assert.equal(back[0], pages[0]);
});

test('the cursor keeps the filters and the scope; a narrower search gives its exact count', async ({
  staff,
  agency,
  expected,
}) => {
  const theirs = await staff.get('/backoffice/notifications?institution=2411');
  assert.match(textOf(theirs.text), '沒有符合條件的通知', 'asking for another institution shows none of it');
  const page = await staff.get('/backoffice/notifications?channel=email&status=sent');
  assert.match(textOf(page.text), `超過 ${LOG_COUNT_CAP.toLocaleString('en')} 件`);
  assert.equal(recipients(page.text), expected.slice(0, LOG_PAGE_SIZE), 'only 2477’s rows');
  const next = link(page.text, 'next')!;
  assert.match(next, 'channel=email');
  assert.match(next, 'status=sent');
  const older = await staff.get(next);
  assert.equal(recipients(older.text), expected.slice(LOG_PAGE_SIZE, 2 * LOG_PAGE_SIZE));
  assert.match(textOf((await staff.get(`/backoffice/notifications?q=${expected[5]}`)).text), '共 1 件');
  await agency.get('/language/en');
  const english = textOf((await agency.get('/backoffice/notifications')).text);
  assert.match(english, `More than ${LOG_COUNT_CAP.toLocaleString('en')} found`);
  assert.match(english, 'Older notifications');
  await agency.get('/language/zh-TW');
  const all = await agency.get('/backoffice/notifications');
  assert.match(textOf(all.text), `超過 ${LOG_COUNT_CAP.toLocaleString('en')} 件`);
  assert.ok(
    recipients(all.text).some((r) => !expected.includes(r)),
    'the agency sees every institution',
  );
});

test('odd cursors and old page links show the newest page', async ({ staff, expected }) => {
  for (const q of [
    'before=2026-02-30T00:00:00.000000Z_1',
    'after=x',
    'before=2026-11-01T00:00:00.000000Z_99999999999999999999',
    'page=7',
    'before=',
  ]) {
    const res = await staff.get(`/backoffice/notifications?${q}`);
    assert.is(res.status, 200, q);
    assert.equal(recipients(res.text), expected.slice(0, LOG_PAGE_SIZE), q);
  }
});

test('the review queue counts up to its cap and says so; its pages still go on', async ({ app, staff }) => {
  const { pool } = app.db;
  await pool.query(
    `WITH p AS (
       INSERT INTO applicant (name, national_id, email, birthday, password_hash, privacy_consent_at)
       VALUES ('測試家屬', 'C123456789', 'queue@example.com', '1980-01-01', 'x', now()) RETURNING id),
     m AS (
       INSERT INTO inmate (institution_code, call_number, name)
       SELECT '2477', lpad(g::text, 6, '0'), '收容人' || g FROM generate_series(1, $1) g RETURNING id)
     INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship,
                                      submission_key, submitted_at)
     SELECT '20261101-' || upper(lpad(to_hex(m.id::int), 6, '0')), p.id, m.id, '2477', 'visit', ARRAY['onsite'], 'mother',
            gen_random_uuid(), now()
       FROM p, m`,
    [QUEUE_COUNT_CAP + 21],
  );
  const cap = QUEUE_COUNT_CAP.toLocaleString('en');
  const first = await staff.get('/backoffice/applications');
  assert.is(first.status, 200);
  assert.match(textOf(first.text), `超過 ${cap} 件（只計到 ${cap} 件為止），第 1 頁`);
  const deep = await staff.get(`/backoffice/applications?page=${QUEUE_COUNT_CAP / 20 + 2}`);
  assert.is(deep.status, 200);
  assert.match(textOf(deep.text), `第 ${QUEUE_COUNT_CAP / 20 + 2} 頁`);
  assert.is(link(deep.text, 'next'), undefined, 'the last page has no next page');
  assert.ok(link(deep.text, 'prev'));
  await staff.get('/language/en');
  assert.match(
    textOf((await staff.get('/backoffice/applications')).text),
    `More than ${cap} found (counted up to ${cap}), page 1`,
  );
  await staff.get('/language/zh-TW');
  const narrowed = await staff.get('/backoffice/applications?callNumber=000007');
  assert.match(textOf(narrowed.text), '共 1 件，第 1 / 1 頁', 'under the cap, the exact count and pages');
});

test('the contact book queue counts up to the same cap and says so', async ({ app, staff }) => {
  const { pool } = app.db;
  await pool.query(
    `WITH a AS (
       INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, relationship,
                                        submission_key, submitted_at, status, decided_at)
       SELECT '20261102-' || upper(lpad(to_hex(m.id::int), 6, '0')), p.id, m.id, '2477', 'contact_book', 'mother',
              gen_random_uuid(), now(), 'approved', now()
         FROM inmate m, applicant p WHERE p.email = 'queue@example.com' AND m.institution_code = '2477' RETURNING *)
     INSERT INTO contact_book_post (application_id, applicant_id, inmate_id, institution_code, title, body, posted_on, submitted_at, submission_key)
     SELECT id, applicant_id, inmate_id, institution_code, '近況', '家裡一切都好', current_date, now(), gen_random_uuid() FROM a`,
  );
  const cap = QUEUE_COUNT_CAP.toLocaleString('en');
  const page = await staff.get('/backoffice/contact-book');
  assert.is(page.status, 200);
  assert.match(textOf(page.text), `超過 ${cap} 則（只計到 ${cap} 則為止），第 1 頁`);
  assert.ok(link(page.text, 'next'));
  const one = await staff.get('/backoffice/contact-book?callNumber=000007');
  assert.match(textOf(one.text), '共 1 則，第 1 / 1 頁');
});

test.run();
