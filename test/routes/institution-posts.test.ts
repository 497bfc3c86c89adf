import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, textOf } from '../support/http.ts';
import { linkIn } from '../support/smtp-sink.ts';
import {
  aliceAndBob,
  signedInStaff,
  staffAccounts,
  twoInstitutions,
  type AliceAndBob,
  type ThreeStaff,
} from '../support/scenarios.ts';

type Ctx = AliceAndBob & ThreeStaff & { app: TestApp; jpeg: Buffer; postId: number };
const test = suite<Ctx>(
  '查看機關聯絡簿 over HTTP: staff write with a photo, the family is mailed and reads it, nobody else',
);

const B = '/backoffice/institution-posts';

test.before(async (ctx) => {
  ctx.app = await startTestApp();
  const { pool } = ctx.app.db;
  await twoInstitutions(pool);
  const inmate = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  await staffAccounts(pool, [
    ['reviewer2477', '桃園承辦人', '2477', 'reviewer'],
    ['reviewer2411', '基隆承辦人', '2411', 'reviewer'],
    ['agency', '矯正署管理者', null, 'agency_admin'],
  ]);
  Object.assign(ctx, await aliceAndBob(ctx.app));
  await fixture.approvedService(pool, {
    applicant: { email: ctx.alicePerson.email },
    inmate,
    service: 'contact_book',
    relationship: 'mother',
  });
  ctx.jpeg = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: '#4a7' } })
    .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'Phone 1' } })
    .jpeg({ quality: 90 })
    .toBuffer();
  ctx.staff = await signedInStaff(ctx.app.url, 'reviewer2477');
  ctx.other = await signedInStaff(ctx.app.url, 'reviewer2411');
  ctx.agency = await signedInStaff(ctx.app.url, 'agency');
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('a form with a mistake comes back with what was typed and the photo kept; then it is sent', async (ctx) => {
  assert.is((await ctx.staff.get(`${B}/new`)).status, 200);
  const refused = await ctx.staff.postMultipart(
    `${B}/new`,
    { institution: '2411', callNumber: '1024', title: '', body: '十二月懇親活動<script>x</script>' },
    [['photo', '活動.jpg', ctx.jpeg]],
  );
  assert.is(refused.status, 422);
  const text = textOf(refused.text);
  assert.match(text, '請輸入主旨');
  assert.match(text, '已選照片：活動.jpg');
  assert.match(refused.text, '十二月懇親活動&lt;script&gt;x&lt;/script&gt;</textarea>');
  const sent = await ctx.staff.postMultipart(`${B}/new`, {
    institution: '2411',
    callNumber: '1024',
    title: '懇親活動',
    body: '十二月懇親活動<script>x</script>\n\n詳見 https://www.mjac.moj.gov.tw/',
  });
  assert.is(sent.status, 303);
  const m = new RegExp(`^${B}/(\\d+)$`).exec(sent.location ?? '');
  assert.ok(m, `to the post's page: ${sent.location}`);
  ctx.postId = Number(m![1]);
  const page = await ctx.staff.get(sent.location!);
  assert.match(textOf(page.text), '已送出給 1 位家屬');
  assert.match(textOf(page.text), '1024 王小明', 'written for 2477, whatever the form said');
  assert.match(page.text, `src="${B}/${ctx.postId}/photo"`);
  const { rows } = await ctx.app.db.pool.query('SELECT photo_width, institution_code FROM institution_post');
  assert.equal(rows, [{ photo_width: 1600, institution_code: '2477' }]);
  const list = await ctx.staff.get(B);
  assert.match(list.text, `href="${B}/${ctx.postId}"`);
});

test('the family gets the mail, opens the link and reads the post with its photo, served safely', async (ctx) => {
  const mail = await ctx.app.smtp.waitFor(
    (x) => x.to.includes(ctx.alicePerson.email) && x.subject.includes('機關聯絡簿'),
  );
  assert.match(mail.subject, '機關聯絡簿新訊息：桃園女子監獄');
  assert.match(mail.text, '「懇親活動」');
  assert.not.match(mail.text, '十二月', 'the message is read on the portal');
  const link = linkIn(mail, ctx.app.url);
  assert.is(link, `${ctx.app.url}/contact-book/from-institution/${ctx.postId}`);
  const post = await ctx.alice.get(link);
  assert.is(post.status, 200);
  assert.match(post.text, '十二月懇親活動&lt;script&gt;x&lt;/script&gt;');
  assert.match(post.text, '<a href="https://www.mjac.moj.gov.tw/" rel="noopener noreferrer">');
  assert.match(textOf(post.text), '王○○');
  const list = await ctx.alice.get('/contact-book/from-institution');
  assert.match(list.text, `href="/contact-book/from-institution/${ctx.postId}"`);
  const photo = await ctx.alice.get(`/contact-book/from-institution/${ctx.postId}/photo`);
  assert.is(photo.status, 200);
  assert.is(photo.headers.get('content-type'), 'image/jpeg');
  assert.is(photo.headers.get('x-content-type-options'), 'nosniff');
  assert.is(photo.headers.get('cache-control'), 'private, no-store');
  assert.is(photo.headers.get('content-security-policy'), "default-src 'none'; sandbox");
  const staffPhoto = await ctx.staff.get(`${B}/${ctx.postId}/photo`);
  assert.is(staffPhoto.headers.get('content-security-policy'), "default-src 'none'; sandbox");
});

test('another family, a stranger and another institution’s staff find nothing (404 or sign-in)', async (ctx) => {
  for (const path of [
    `/contact-book/from-institution/${ctx.postId}`,
    `/contact-book/from-institution/${ctx.postId}/photo`,
  ]) {
    assert.is((await ctx.bob.get(path)).status, 404, `Bob: ${path}`);
    const stranger = await new Client(ctx.app.url).get(path);
    assert.is(stranger.status, 303);
    assert.match(stranger.location ?? '', '/signin');
  }
  const { rows } = await ctx.app.db.pool.query('SELECT inmate_id FROM institution_post');
  assert.is((await ctx.bob.get(`/contact-book/from-institution?inmate=${rows[0].inmate_id}`)).status, 404);
  const bobList = await ctx.bob.get('/contact-book/from-institution');
  assert.is(bobList.status, 200);
  assert.match(textOf(bobList.text), '您還沒有已核准的家庭聯絡簿服務');
  assert.is((await ctx.other.get(`${B}/${ctx.postId}`)).status, 404);
  assert.is((await ctx.other.get(`${B}/${ctx.postId}/photo`)).status, 404);
  assert.not.match((await ctx.other.get(B)).text, `${B}/${ctx.postId}`);
  assert.match((await ctx.agency.get(B)).text, `${B}/${ctx.postId}`);
});

test('a multipart post without the form’s token is refused', async (ctx) => {
  await ctx.staff.get(`${B}/new`);
  const res = await ctx.staff.postMultipart(`${B}/new`, { callNumber: '1024', title: 't', body: 'b' }, [], {
    csrf: false,
  });
  assert.is(res.status, 403);
});

test.run();
