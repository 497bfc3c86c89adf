import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, textOf } from '../support/http.ts';
import { freshDatabase } from '../support/db.ts';
import { submitPost } from '../../domain/contact-book/posts.ts';
import { loadDemoData } from '../../domain/demo-data.ts';
import { listAnnouncements } from '../../domain/announcements.ts';
import { taipeiToday } from '../../domain/shared/dates.ts';
import { REVIEWER_2477, STAFF_PASSWORD, familyWithContactBook, signedInStaff } from '../support/scenarios.ts';

// Issue 11.20: the contact book's back-office pages speak of posts (送出日期, 待審核的聯絡簿), not of
// applications; and the demo announcement says what the portal does with mobile visits.
type Ctx = { app: TestApp; staff: Client; postId: number };
/** The page's own content (the menus name every area, applications among them). */
const mainText = (html: string) => textOf(/<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '');
const test = suite<Ctx>('words: the contact book queue speaks of posts; the demo announcement matches the portal');

test.before(async (ctx) => {
  ctx.app = await startTestApp();
  const { pool } = ctx.app.db;
  await fixture.institution(pool, { code: '2477' });
  await fixture.staff(pool, { ...REVIEWER_2477, password: STAFF_PASSWORD });
  const { applicant, book } = await familyWithContactBook(pool, {
    name: '李大同',
    nationalId: 'A123456789',
    email: 'f@example.com',
    relationship: 'spouse',
  });
  const sent = await submitPost(
    pool,
    {
      applicantId: applicant,
      applicationId: book,
      title: '近況',
      body: '家裡都好。',
      photo: null,
      submissionKey: randomUUID(),
    },
    new Date(),
  );
  ctx.postId = (sent as { postId: number }).postId;
  ctx.staff = await signedInStaff(ctx.app.url, 'reviewer2477');
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('the post queue, its filters and one post say 送出日期 and 待審核的聯絡簿, never 申請日期 or 待審核的申請', async ({
  staff,
  postId,
}) => {
  const queue = mainText((await staff.get('/backoffice/contact-book')).text);
  for (const word of ['申請日期', '待審核的申請', '申請人']) assert.not.match(queue, word);
  for (const word of ['送出日期起', '送出日期迄', '送出日期', '待審核的聯絡簿排在最前面', '發佈人', '共 1 則'])
    assert.match(queue, word);
  const post = mainText((await staff.get(`/backoffice/contact-book/${postId}`)).text);
  assert.not.match(post, '申請');
  assert.match(post, '送出時間');
  assert.match(post, '發佈人會看到您選擇的原因');
  const suspensions = mainText((await staff.get('/backoffice/contact-book/suspensions')).text);
  assert.not.match(suspensions, '申請');
});

test('in English too: "Sent on", "Posts waiting for review", "1 post"', async ({ staff }) => {
  await staff.get('/language/en?return=/backoffice/contact-book');
  const queue = mainText((await staff.get('/backoffice/contact-book')).text);
  assert.match(queue, 'Sent from');
  assert.match(queue, 'Sent on');
  assert.match(queue, 'Posts waiting for review come first');
  assert.match(queue, '1 post,');
  assert.not.match(queue, /Applied|applications|Applicant/);
});

test('the demo announcement about mobile visits says the approval mail and SMS carry the link, opened in the phone’s browser', async () => {
  const db = await freshDatabase();
  try {
    const now = new Date();
    await loadDemoData(db.pool, now);
    for (const locale of ['zh-TW', 'en'] as const) {
      const all = await listAnnouncements(db.pool, locale, taipeiToday(now), 100);
      const text = JSON.stringify(all);
      assert.not.match(text, /行動接見2\.0|Mobile Visit 2\.0|請下載|download/i, locale);
    }
    const [zh] = (await listAnnouncements(db.pool, 'zh-TW', taipeiToday(now), 100)).filter((a) =>
      JSON.stringify(a).includes('行動接見'),
    );
    const zhText = JSON.stringify(zh);
    for (const word of ['核准', '電子郵件', '簡訊', '視訊連結', '瀏覽器']) assert.match(zhText, word);
    const [en] = (await listAnnouncements(db.pool, 'en', taipeiToday(now), 100)).filter((a) =>
      JSON.stringify(a).includes('obile visit'),
    );
    const enText = JSON.stringify(en);
    for (const word of ['approval e-mail and text message', 'video link', 'browser']) assert.match(enText, word);
  } finally {
    await db.drop();
  }
});

test.run();
