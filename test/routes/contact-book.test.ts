import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, textOf } from '../support/http.ts';
import {
  aliceAndBob,
  signedInStaff,
  staffAccounts,
  twoInstitutions,
  type AliceAndBob,
  type ThreeStaff,
} from '../support/scenarios.ts';
import { taipeiToday } from '../../domain/shared/dates.ts';

type Ctx = AliceAndBob &
  ThreeStaff & {
    app: TestApp;
    jpeg: Buffer;
    postId: number;
  };
const test = suite<Ctx>(
  'the family contact book over HTTP: posting, photo, interval, moderation, delivery, who may see what',
);

test.before(async (ctx) => {
  ctx.app = await startTestApp();
  const { pool } = ctx.app.db;
  await twoInstitutions(pool);
  const inmate = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  await fixture.inmate(pool, { institutionCode: '2411', callNumber: '2048', name: '林美華' });
  await staffAccounts(pool, [
    ['reviewer2477', '桃園承辦人', '2477', 'reviewer'],
    ['reviewer2411', '基隆承辦人', '2411', 'reviewer'],
    ['agency', '矯正署管理者', null, 'agency_admin'],
  ]);
  Object.assign(ctx, await aliceAndBob(ctx.app));
  // Alice's contact book for 王小明 was approved earlier.
  await fixture.approvedService(pool, {
    applicant: { email: ctx.alicePerson.email },
    inmate,
    service: 'contact_book',
    relationship: 'mother',
    number: '20261101-CB0001',
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

test('without an approved contact book the applicant is told what to apply for, and a post is refused', async ({
  bob,
  alice,
}) => {
  assert.not.match(
    (await bob.get('/')).text,
    'href="/contact-book/new"',
    'the menu shows only what the person can use',
  );
  assert.match((await alice.get('/')).text, 'href="/contact-book/new"');
  const list = await bob.get('/contact-book');
  assert.is(list.status, 200);
  assert.match(textOf(list.text), '您還沒有審核通過的家庭聯絡簿服務');
  assert.match(list.text, 'href="/applications/new/contact-book"');
  await bob.get('/contact-book/new');
  const refused = await bob.postMultipart('/contact-book/new', {
    action: 'submit',
    recipient: '1',
    title: '你好',
    body: '想你',
  });
  assert.is(refused.status, 422);
  assert.match(textOf(refused.text), '請選擇收件的收容人');
});

test('the post form needs the CSRF token, and no other page takes a multipart body', async ({ alice }) => {
  await alice.get('/contact-book/new');
  assert.is(
    (await alice.postMultipart('/contact-book/new', { action: 'submit', title: 'x', body: 'y' }, [], { csrf: false }))
      .status,
    403,
  );
  assert.is((await alice.postMultipart('/account/profile', { phone: '02-1234' })).status, 403);
});

test('a photo that is not one is said together with every other problem, and nothing is sent', async ({
  app,
  alice,
}) => {
  const form = await alice.get('/contact-book/new');
  const recipient = /<option value="(\d+)" selected>/.exec(form.text)![1]!;
  const before = (await app.db.pool.query('SELECT count(*)::int AS n FROM contact_book_post')).rows[0].n;
  const res = await alice.postMultipart('/contact-book/new', { action: 'submit', recipient, title: '', body: '' }, [
    ['photo', 'photo.jpg', Buffer.from('a text file, not a photo')],
  ]);
  assert.is(res.status, 422);
  const text = textOf(res.text);
  for (const said of ['請輸入標題', '請輸入內容', 'photo.jpg']) assert.match(text, said);
  assert.is((await app.db.pool.query('SELECT count(*)::int AS n FROM contact_book_post')).rows[0].n, before);
});

test('a note over 150 characters is refused with the count and kept whole; the photo sent with it is kept, stripped and downsized', async ({
  app,
  alice,
  alicePerson,
  jpeg,
}) => {
  const form = await alice.get('/contact-book/new');
  assert.is(form.status, 200);
  assert.match(textOf(form.text), '最多 150 字');
  assert.match(
    form.text,
    /<option value="\d+" selected>王○○（桃園女子監獄，母）<\/option>/,
    'the only recipient is chosen already',
  );
  const recipient = /<option value="(\d+)" selected>/.exec(form.text)![1]!;
  const long = `${'家'.repeat(140)}👨‍👩‍👧‍👦${'好'.repeat(10)}`; // 151 as a person counts
  const refused = await alice.postMultipart(
    '/contact-book/new',
    { action: 'submit', recipient, title: '近況', body: long },
    [['photo', '全家福.jpg', jpeg]],
  );
  assert.is(refused.status, 422);
  assert.match(textOf(refused.text), '內容最多 150 字，目前 151 字');
  assert.match(refused.text, `>${long}</textarea>`, 'the text is kept as typed');
  assert.match(refused.text, 'value="近況"');
  assert.match(textOf(refused.text), '已收到照片：全家福.jpg', 'the photo does not have to be sent again');
  assert.match(refused.text, /<title>錯誤：/);

  const sent = await alice.postMultipart('/contact-book/new', {
    action: 'submit',
    recipient,
    title: '近況',
    body: long.slice(0, -2),
  });
  assert.is(sent.status, 303);
  assert.match(sent.location!, /^\/contact-book\/\d+\?sent=1$/);
  const page = await alice.follow(sent);
  assert.match(textOf(page.text), '聯絡簿已送出');
  assert.match(textOf(page.text), '待審核');
  const id = Number(/\/contact-book\/(\d+)/.exec(sent.location!)![1]);
  const { rows } = await app.db.pool.query(
    'SELECT photo, photo_width, photo_height FROM contact_book_post WHERE id = $1',
    [id],
  );
  assert.is(rows[0].photo_width, 1600);
  assert.is(rows[0].photo_height, 1200);
  const meta = await sharp(rows[0].photo).metadata();
  assert.is(meta.format, 'jpeg');
  assert.is(meta.exif, undefined, 'no EXIF kept');
  assert.is(
    (await app.db.pool.query('SELECT count(*)::int AS n FROM contact_book_photo_draft')).rows[0].n,
    0,
    'the draft became the post’s photo',
  );

  const photo = await alice.get(`/contact-book/${id}/photo`);
  assert.is(photo.status, 200);
  assert.is(photo.headers.get('content-type'), 'image/jpeg');
  assert.is(photo.headers.get('x-content-type-options'), 'nosniff');
  assert.match(photo.headers.get('content-security-policy')!, /sandbox/);
  assert.match(photo.headers.get('cache-control')!, /no-store/);
  // The post is in the staff's queue for review; no mail yet (the result is mailed).
  assert.not.ok(app.smtp.mails.some((m) => m.to.includes(alicePerson.email) && /聯絡簿/.test(m.subject)));
});

test('the next post is refused until the date the page gives (parameter C), with that date', async ({ app, alice }) => {
  const today = taipeiToday(new Date());
  const next = new Date(`${today}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 10);
  const nextShown = next.toISOString().slice(0, 10).replace(/-/g, '/');
  const form = await alice.get('/contact-book/new');
  assert.match(textOf(form.text), `下次可發佈日期為 ${nextShown}`);
  const recipient = /<option value="(\d+)" selected>/.exec(form.text)![1]!;
  const early = await alice.postMultipart('/contact-book/new', {
    action: 'submit',
    recipient,
    title: '又一則',
    body: '再寫一則。',
  });
  assert.is(early.status, 422);
  assert.match(textOf(early.text), `下次可發佈的日期是 ${next.toISOString().slice(0, 10).replace(/-/g, '/')}`);
  // Changing the institution's parameter C changes the rule at once.
  await app.db.pool.query(`UPDATE institution SET contact_book_interval_days = 3 WHERE code = '2477'`);
  const shorter = await alice.get('/contact-book/new');
  const d3 = new Date(`${today}T00:00:00Z`);
  d3.setUTCDate(d3.getUTCDate() + 3);
  assert.match(
    textOf(shorter.text),
    `每 3 天限發佈 1 次，下次可發佈日期為 ${d3.toISOString().slice(0, 10).replace(/-/g, '/')}`,
  );
  await app.db.pool.query(`UPDATE institution SET contact_book_interval_days = 10 WHERE code = '2477'`);
});

test('photos are judged by content: a text file named .jpg, a HEIC and one byte over 10 MB are refused with the answers kept', async ({
  alice,
}) => {
  const form = await alice.get('/contact-book/new');
  const recipient = /<option value="(\d+)" selected>/.exec(form.text)![1]!;
  const fake = await alice.postMultipart(
    '/contact-book/new',
    { action: 'submit', recipient, title: '照片', body: '看照片' },
    [['photo', 'photo.jpg', Buffer.from('just some text, not a picture\n')]],
  );
  assert.is(fake.status, 422);
  assert.match(textOf(fake.text), '「photo.jpg」必須是 JPG、PNG 或 WebP 照片');
  assert.match(fake.text, '>看照片</textarea>');
  const heic = Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'),
    Buffer.alloc(64),
  ]);
  const fromPhone = await alice.postMultipart(
    '/contact-book/new',
    { action: 'submit', recipient, title: '照片', body: '看照片' },
    [['photo', 'IMG_0001.HEIC', heic]],
  );
  assert.is(fromPhone.status, 422);
  assert.match(textOf(fromPhone.text), '是 HEIC 格式');
  assert.match(textOf(fromPhone.text), '最相容');
  const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0xff);
  const tooBig = await alice.postMultipart(
    '/contact-book/new',
    { action: 'submit', recipient, title: '大照片', body: '很大的照片' },
    [['photo', 'big.jpg', big]],
  );
  assert.is(tooBig.status, 413, 'over the bound of one post: 413 with the form (issue 11, item 13)');
  assert.match(textOf(tooBig.text), '照片超過 10 MB');
  assert.match(tooBig.text, '>很大的照片</textarea>', 'the text sent before the photo is kept');
});

test('another applicant cannot read, open, see the photo of, or resend Alice’s post', async (ctx) => {
  const { app, alice, bob } = ctx;
  const id = Number((await app.db.pool.query('SELECT id FROM contact_book_post ORDER BY id LIMIT 1')).rows[0].id);
  ctx.postId = id;
  assert.is((await alice.get(`/contact-book/${id}`)).status, 200);
  for (const path of [`/contact-book/${id}`, `/contact-book/${id}/photo`, `/contact-book/${id}/resend`]) {
    assert.is((await bob.get(path)).status, 404, `${path} as another applicant`);
  }
  assert.is((await bob.get(`/contact-book/${id}/reason`, { 'hx-request': 'true' })).status, 404);
  await bob.get('/contact-book');
  const resend = await bob.postMultipart(`/contact-book/${id}/resend`, {
    action: 'submit',
    title: '改',
    body: '改掉',
    version: '1',
  });
  assert.is(resend.status, 404);
  assert.not.match(textOf((await bob.get('/contact-book')).text), '近況', 'nor is it in their list');
  assert.is((await bob.get('/contact-book/abc')).status, 404);
  // Signed out: asked to sign in.
  const anon = await new Client(app.url).get(`/contact-book/${id}/photo`);
  assert.is(anon.status, 303);
  assert.match(anon.location!, /^\/signin/);
});

test('staff of another institution see nothing of it: queue, post, photo, decision, delivery', async ({
  app,
  other,
  staff,
  agency,
  postId,
}) => {
  assert.not.match(textOf((await other.get('/backoffice/contact-book')).text), '近況');
  assert.not.match(textOf((await other.get('/backoffice/contact-book?institution=2477&status=')).text), '近況');
  assert.is((await other.get(`/backoffice/contact-book/${postId}`)).status, 404);
  assert.is((await other.get(`/backoffice/contact-book/${postId}/photo`)).status, 404);
  await other.get('/backoffice/contact-book');
  assert.is(
    (await other.post(`/backoffice/contact-book/${postId}/decision`, { decision: 'approve', version: '1' })).status,
    404,
  );
  assert.is(
    (await app.db.pool.query('SELECT status FROM contact_book_post WHERE id = $1', [postId])).rows[0].status,
    'pending',
  );
  assert.match(textOf((await staff.get('/backoffice/contact-book')).text), '近況');
  assert.match(
    textOf((await agency.get('/backoffice/contact-book?institution=2477')).text),
    '近況',
    'the agency sees every institution',
  );
  const photo = await staff.get(`/backoffice/contact-book/${postId}/photo`);
  assert.is(photo.status, 200);
  assert.is(photo.headers.get('content-type'), 'image/jpeg');
});

test('staff reject with a reason; the family reads it (dialog or page), corrects and resends; approval is mailed', async ({
  app,
  staff,
  alice,
  alicePerson,
  postId,
}) => {
  const page = await staff.get(`/backoffice/contact-book/${postId}`);
  assert.is(page.status, 200);
  for (const s of ['王小明', '1024', '母', '近況', '發佈人累計退件', '0 次']) assert.match(textOf(page.text), s);
  assert.match(page.text, `src="/backoffice/contact-book/${postId}/photo"`);
  const noReason = await staff.post(`/backoffice/contact-book/${postId}/decision`, {
    decision: 'reject',
    reasonCode: '',
    reasonText: '',
    version: '1',
  });
  assert.is(noReason.status, 422);
  assert.match(textOf(noReason.text), '審核未通過時，請選擇原因或填寫說明');
  const rejected = await staff.post(`/backoffice/contact-book/${postId}/decision`, {
    decision: 'reject',
    reasonCode: 'photoUnclear',
    reasonText: '請換一張光線清楚的照片。',
    version: '1',
  });
  assert.is(rejected.status, 303);
  assert.match(textOf((await staff.follow(rejected)).text), '聯絡簿已審核未通過');
  const again = await staff.post(`/backoffice/contact-book/${postId}/decision`, { decision: 'approve', version: '1' });
  assert.is(again.status, 409, 'a decision on a version already decided is refused');

  const mail = await app.smtp.waitFor(
    (m) => m.to.includes(alicePerson.email) && m.text.includes('審核結果為「審核未通過」'),
  );
  assert.is(mail.subject, '便民服務入口網家庭聯絡簿審核結果通知');
  for (const s of ['聯絡對象：桃園女子監獄 王○○', '與申請對象關係：母', '聯絡簿主旨：近況', '請換一張光線清楚的照片。'])
    assert.match(mail.text, s);

  const list = await alice.get('/contact-book');
  assert.match(textOf(list.text), '審核未通過');
  assert.match(list.text, `hx-get="/contact-book/${postId}/reason"`);
  const fragment = await alice.get(`/contact-book/${postId}/reason`, { 'hx-request': 'true' });
  assert.not.match(fragment.text, '<html');
  assert.match(textOf(fragment.text), '照片無法辨識或不適合轉交。');
  assert.match(textOf(fragment.text), '請換一張光線清楚的照片。');
  assert.match(fragment.text, `href="/contact-book/${postId}/resend"`);
  assert.is((await alice.get(`/contact-book/${postId}/reason`)).status, 303, 'without JavaScript: the post’s own page');

  const form = await alice.get(`/contact-book/${postId}/resend`);
  assert.is(form.status, 200);
  assert.match(textOf(form.text), '請換一張光線清楚的照片。');
  const version = /name="version" value="(\d+)"/.exec(form.text)![1]!;
  // A photo that is not one, with the title emptied: both said, nothing resent.
  const refused = await alice.postMultipart(
    `/contact-book/${postId}/resend`,
    { action: 'submit', title: '', body: '換了一張照片，大家都好。', version },
    [['photo', 'new.jpg', Buffer.from('a text file, not a photo')]],
  );
  assert.is(refused.status, 422);
  for (const said of ['請輸入標題', 'new.jpg']) assert.match(textOf(refused.text), said);
  assert.is(
    (await app.db.pool.query('SELECT status FROM contact_book_post WHERE id = $1', [postId])).rows[0].status,
    'rejected',
  );
  const resent = await alice.postMultipart(`/contact-book/${postId}/resend`, {
    action: 'submit',
    title: '近況',
    body: '換了一張照片，大家都好。',
    version,
    removePhoto: 'yes',
  });
  assert.is(resent.status, 303);
  assert.match(textOf((await alice.follow(resent)).text), '待審核');
  const stored = (await app.db.pool.query('SELECT status, body, photo FROM contact_book_post WHERE id = $1', [postId]))
    .rows[0];
  assert.equal([stored.status, stored.body, stored.photo], ['pending', '換了一張照片，大家都好。', null]);
  assert.is((await alice.get(`/contact-book/${postId}/resend`)).status, 303, 'a pending post is not corrected again');

  const fresh = await staff.get(`/backoffice/contact-book/${postId}`);
  const v2 = /name="version" value="(\d+)"/.exec(fresh.text)![1]!;
  assert.is(
    (await staff.post(`/backoffice/contact-book/${postId}/decision`, { decision: 'approve', version: v2 })).status,
    303,
  );
  const approved = await app.smtp.waitFor(
    (m) => m.to.includes(alicePerson.email) && m.text.includes('審核結果為「審核通過」'),
  );
  assert.not.match(approved.text, '未通過原因');
  assert.match(textOf((await alice.get('/contact-book')).text), '審核通過');
  const audit = await app.db.pool.query(
    `SELECT action FROM audit_log WHERE object_type = 'contact_book_post' AND object_id = $1 ORDER BY id`,
    [postId],
  );
  assert.equal(
    audit.rows.map((r) => r.action),
    ['contact_book_post.rejected', 'contact_book_post.approved'],
  );
});

test('the delivery sheet lists the day’s approved posts; only that institution’s staff mark them delivered; the family sees 已送達', async ({
  app,
  staff,
  other,
  alice,
  postId,
}) => {
  const today = taipeiToday(new Date());
  const foreign = await other.get(`/backoffice/contact-book/delivery?institution=2477&date=${today}`);
  assert.not.match(textOf(foreign.text), '近況', 'another institution cannot open it');
  await other.post('/backoffice/contact-book/delivery', { institution: '2477', date: today, post: String(postId) });
  assert.is(
    (await app.db.pool.query('SELECT delivered_at FROM contact_book_post WHERE id = $1', [postId])).rows[0]
      .delivered_at,
    null,
  );

  const sheet = await staff.get(`/backoffice/contact-book/delivery?date=${today}`);
  assert.is(sheet.status, 200);
  const text = textOf(sheet.text);
  for (const s of ['桃園女子監獄 家庭聯絡簿送達單', '收件人：1024 王小明', '換了一張照片，大家都好。', '共 1 則'])
    assert.match(text, s);
  const marked = await staff.post('/backoffice/contact-book/delivery', {
    institution: '2477',
    date: today,
    post: String(postId),
  });
  assert.is(marked.status, 303);
  assert.match(textOf((await staff.follow(marked)).text), '已登記 1 則聯絡簿送達');
  const list = await alice.get('/contact-book');
  assert.match(textOf(list.text), '已送達');
  const post = await alice.get(`/contact-book/${postId}`);
  assert.match(textOf(post.text), `送達日期 ${today.replace(/-/g, '/')}`);
});

test('three rejections suspend posting for a month; the family is told until when; staff of the institution lift it', async ({
  app,
  staff,
  other,
  alice,
}) => {
  const { pool } = app.db;
  // Two more rejected posts (sent on earlier days, so the interval does not stand in the way).
  const {
    rows: [book],
  } = await pool.query(`SELECT id, applicant_id, inmate_id FROM service_application WHERE number = '20261101-CB0001'`);
  for (const day of ['2026-01-01', '2026-02-01']) {
    await pool.query(
      `INSERT INTO contact_book_post (application_id, applicant_id, inmate_id, institution_code, title, body, posted_on, submitted_at, submission_key)
       VALUES ($1, $2, $3, '2477', '舊的', '舊的內容', $4, $4::date, $5)`,
      [book.id, book.applicant_id, book.inmate_id, day, randomUUID()],
    );
  }
  const ids = (await pool.query(`SELECT id FROM contact_book_post WHERE title = '舊的' ORDER BY id`)).rows.map((r) =>
    Number(r.id),
  );
  for (const id of ids) {
    await staff.get(`/backoffice/contact-book/${id}`);
    assert.is(
      (
        await staff.post(`/backoffice/contact-book/${id}/decision`, {
          decision: 'reject',
          reasonCode: 'notFamily',
          reasonText: '',
          version: '1',
        })
      ).status,
      303,
    );
  }
  const list = await alice.get('/contact-book');
  assert.match(textOf(list.text), '發佈權限暫停中');
  const form = await alice.get('/contact-book/new');
  assert.match(textOf(form.text), '依規定暫停發佈 1 個月');
  assert.not.match(form.text, 'name="title"', 'no form while suspended');

  const suspensions = await staff.get('/backoffice/contact-book/suspensions');
  assert.match(textOf(suspensions.text), '解除暫停');
  const suspensionId = /\/backoffice\/contact-book\/suspensions\/(\d+)\/lift/.exec(suspensions.text)![1]!;
  await other.get('/backoffice/contact-book/suspensions');
  assert.not.match(textOf((await other.get('/backoffice/contact-book/suspensions')).text), '解除暫停');
  assert.is((await other.post(`/backoffice/contact-book/suspensions/${suspensionId}/lift`, {})).status, 404);
  const lifted = await staff.post(`/backoffice/contact-book/suspensions/${suspensionId}/lift`, {});
  assert.is(lifted.status, 303);
  assert.not.match(textOf((await alice.get('/contact-book')).text), '發佈權限暫停中');
});

test('found in review: an emoji title is a form error, a double send is the same post, a restricted inmate is no recipient, odd ids and dates are not errors', async ({
  app,
  alice,
  staff,
}) => {
  const { pool } = app.db;
  // A fresh interval, so a post can be sent now.
  await pool.query(
    `DELETE FROM contact_book_event; DELETE FROM contact_book_post; UPDATE contact_book_suspension SET lifted_at = now() WHERE lifted_at IS NULL`,
  );
  const form = await alice.get('/contact-book/new');
  const recipient = /<option value="(\d+)" selected>/.exec(form.text)![1]!;
  const emoji = await alice.postMultipart('/contact-book/new', {
    action: 'submit',
    recipient,
    title: '👨‍👩‍👧‍👦'.repeat(15),
    body: '全家福',
  });
  assert.is(
    emoji.status,
    422,
    'fifteen family emoji are 15 characters but 105 code points: refused by the form, not the database',
  );
  assert.match(textOf(emoji.text), '標題最多 30 字');
  const key = /name="submissionKey" value="([^"]+)"/.exec(emoji.text)![1]!;
  const first = await alice.postMultipart('/contact-book/new', {
    action: 'submit',
    recipient,
    title: '週末',
    body: '我們週末去看你。',
    submissionKey: key,
  });
  assert.is(first.status, 303);
  const again = await alice.postMultipart('/contact-book/new', {
    action: 'submit',
    recipient,
    title: '週末',
    body: '我們週末去看你。',
    submissionKey: key,
  });
  assert.is(again.status, 303, 'the same form sent twice shows the post, not an interval error');
  assert.is(again.location, first.location);
  await pool.query(`UPDATE inmate SET restriction = 'visit_ban' WHERE call_number = '1024'`);
  const banned = await alice.get('/contact-book/new');
  assert.match(textOf(banned.text), '您還沒有審核通過的家庭聯絡簿服務', 'a court ban on letters: no recipient');
  await pool.query(`UPDATE inmate SET restriction = NULL WHERE call_number = '1024'`);
  await staff.get('/backoffice/contact-book/suspensions');
  assert.is((await staff.post('/backoffice/contact-book/suspensions/abc/lift', {})).status, 404);
  assert.is((await staff.post('/backoffice/contact-book/suspensions/99999999999999999999/lift', {})).status, 404);
  const feb30 = await staff.get('/backoffice/contact-book?from=2026-02-30');
  assert.is(feb30.status, 422);
  assert.match(textOf(feb30.text), '請以 2026/11/23 的格式輸入日期');
  // An impossible date is said, with no sheet: not today's sheet, which could be printed as that day's.
  const noSuchDay = await staff.get('/backoffice/contact-book/delivery?institution=2477&date=2026-02-30');
  assert.is(noSuchDay.status, 422);
  assert.match(textOf(noSuchDay.text), '錯誤：');
  assert.match(noSuchDay.text, 'class="error-summary"');
  assert.match(textOf(noSuchDay.text), '請以 2026/11/23 的格式輸入日期');
  assert.not.match(noSuchDay.text, 'class="print-header"', 'no sheet');
  assert.not.match(noSuchDay.text, 'method="post" action="/backoffice/contact-book/delivery"', 'nothing to mark');
  assert.is((await staff.get('/backoffice/applications?from=2026-02-30')).status, 422);
});

test.run();
