import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, textOf } from '../support/http.ts';
import { aliceAndBob, twoInstitutions, type AliceAndBob } from '../support/scenarios.ts';
import { cancelForInmatesWhoLeft } from '../../domain/inmates/removals.ts';

type Ctx = AliceAndBob & { app: TestApp; jpegWithGps: Buffer; pdf: Buffer };
const test = suite<Ctx>('service applications over HTTP');

test.before(async (ctx) => {
  ctx.app = await startTestApp();
  const { pool } = ctx.app.db;
  await twoInstitutions(pool);
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '310567', name: '陳志強' });
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '4209', name: '張雅婷', restriction: 'visit_ban' });
  await fixture.inmate(pool, { institutionCode: '2411', callNumber: '2048', name: '林美華' });
  Object.assign(ctx, await aliceAndBob(ctx.app));
  ctx.jpegWithGps = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#a0a0a0' } })
    .withExif({ IFD0: { Make: 'PhoneMaker' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '25/1 2/1 0/1' } })
    .jpeg()
    .toBuffer();
  ctx.pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('the lookup shows the masked name, with and without JavaScript, and tells each problem apart', async ({
  alice,
}) => {
  const form = await alice.get('/applications/new/contact-book');
  assert.is(form.status, 200);
  const plain = await alice.postMultipart('/applications/new/contact-book', {
    action: 'lookup',
    institution: '2477',
    callNumber: '1024',
    relationship: 'mother',
  });
  assert.is(plain.status, 200);
  assert.match(textOf(plain.text), '申請對象：王○○');
  assert.not.match(plain.text, '王小明');
  assert.match(plain.text, '<option value="mother" selected>', 'the rest of the form is kept');
  const token = /name="_csrf" value="([^"]+)"/.exec(plain.text)![1]!;
  const htmx = await alice.request(
    'POST',
    '/applications/lookup',
    { _csrf: token, institution: '2477', callNumber: '310567' },
    { 'hx-request': 'true' },
  );
  assert.is(htmx.status, 200);
  assert.not.match(htmx.text, '<html', 'only the fragment');
  assert.match(textOf(htmx.text), '陳○○');
  for (const [callNumber, message] of [
    ['12', '呼號請輸入 4 或 6 碼數字'],
    ['9999', '找不到這個呼號'],
    ['4209', '禁止接見'],
  ] as const) {
    const r = await alice.request(
      'POST',
      '/applications/lookup',
      { _csrf: token, institution: '2477', callNumber },
      { 'hx-request': 'true' },
    );
    assert.match(textOf(r.text), message, callNumber);
  }
});

test('a bad file is refused by its content with its name, and nothing else entered is lost; good files are kept', async ({
  app,
  alice,
  jpegWithGps,
}) => {
  await alice.get('/applications/new/contact-book');
  const res = await alice.postMultipart(
    '/applications/new/contact-book',
    { action: 'submit', institution: '2477', callNumber: '1024', relationship: 'mother' },
    [
      ['identityFiles', '身分證.jpg', jpegWithGps],
      ['relationshipFiles', 'household.jpg', Buffer.from('this is a text file pretending to be a JPEG')],
    ],
  );
  assert.is(res.status, 422);
  assert.match(textOf(res.text), '「household.jpg」的內容不是 PDF、PNG 或 JPG 檔');
  assert.match(res.text, 'value="1024"');
  assert.match(res.text, '<option value="mother" selected>');
  assert.match(textOf(res.text), '身分證.jpg', 'the accepted file is listed, with its Chinese name intact');
  const { rows } = await app.db.pool.query('SELECT count(*)::int AS n FROM service_application');
  assert.is(rows[0].n, 0, 'nothing half-saved');
});

test('submitting with the missing document completes the application once, even when sent twice; the mail says pending', async ({
  app,
  alice,
  alicePerson,
  pdf,
}) => {
  // A 移除 press with an id that is not one (an altered form) removes nothing and submits nothing.
  for (const remove of ['-1', '99999999999999999999', 'x']) {
    const removed = await alice.postMultipart(
      '/applications/new/contact-book',
      { action: 'submit', institution: '2477', callNumber: '1024', relationship: 'mother', remove },
      [['relationshipFiles', 'household.pdf', pdf]],
    );
    assert.is(removed.status, 200, `remove=${remove}`);
    assert.is((await app.db.pool.query('SELECT count(*)::int AS n FROM service_application')).rows[0].n, 0);
  }
  const first = await alice.postMultipart(
    '/applications/new/contact-book',
    { action: 'submit', institution: '2477', callNumber: '1024', relationship: 'mother' },
    [['relationshipFiles', 'household.pdf', pdf]],
  );
  assert.is(first.status, 303, textOf(first.text).slice(0, 300));
  const again = await alice.postMultipart('/applications/new/contact-book', {
    action: 'submit',
    institution: '2477',
    callNumber: '1024',
    relationship: 'mother',
  });
  assert.is(again.status, 303);
  assert.is(again.location, first.location, 'back and resubmit lands on the same application');
  const page = await alice.follow(first);
  assert.match(textOf(page.text), '已送出申請');
  const number = first.location!.split('/').pop()!;
  assert.match(textOf(page.text), number);
  const { rows } = await app.db.pool
    .query(`SELECT a.status, array_agg(d.kind ORDER BY d.kind) AS kinds, bool_and(position('PhoneMaker' in encode(d.content, 'escape')) = 0) AS clean
    FROM service_application a JOIN application_document d ON d.application_id = a.id GROUP BY a.status`);
  assert.equal(rows, [{ status: 'pending', kinds: ['identity', 'relationship'], clean: true }]);
  const mail = await app.smtp.waitFor(
    (m) => m.to.includes(alicePerson.email) && m.subject === '便民服務入口網服務項目申請通知',
  );
  assert.match(mail.text, '申請服務項目目前狀態為待審核');
  assert.match(mail.text, number);
});

test('the status table lists only the applicant’s own applications; another applicant cannot open one', async ({
  alice,
  bob,
}) => {
  const mine = await alice.get('/applications');
  assert.match(textOf(mine.text), '待審核');
  assert.match(textOf(mine.text), '王○○');
  const number = /href="\/applications\/(\d{8}-[0-9A-Z]{6})"/.exec(mine.text)![1]!;
  const theirs = await bob.get('/applications');
  assert.not.match(theirs.text, number);
  assert.is((await bob.get(`/applications/${number}`)).status, 404);
  assert.is(
    (await new Client(alice.base).get(`/applications/${number}`)).status,
    303,
    'signed out: to the sign-in page',
  );
});

test('public progress lookup: number and birthday show status and dates only; a wrong birthday looks like a wrong number', async ({
  app,
  alice,
  alicePerson,
}) => {
  const list = await alice.get('/applications');
  const number = /href="\/applications\/(\d{8}-[0-9A-Z]{6})"/.exec(list.text)![1]!;
  const visitor = new Client(app.url);
  await visitor.get('/progress');
  const birthday = {
    birthYear: alicePerson.birthYear,
    birthMonth: alicePerson.birthMonth,
    birthDay: alicePerson.birthDay,
  };
  const found = await visitor.post('/progress', { number: number.toLowerCase(), ...birthday });
  assert.is(found.status, 200);
  const text = textOf(found.text);
  assert.match(text, '待審核');
  for (const personal of ['王○○', '桃園女子監獄', alicePerson.name, alicePerson.email, '母'])
    assert.not.match(text, personal);
  const wrongDay = textOf((await visitor.post('/progress', { number, ...birthday, birthDay: '15' })).text);
  const wrongNumber = textOf((await visitor.post('/progress', { number: '20261123-ZZZZZZ', ...birthday })).text);
  assert.match(wrongDay, '查無符合的申請');
  assert.is(wrongDay.replace(number, 'N'), wrongNumber.replace('20261123-ZZZZZZ', 'N'));
  const bad = await visitor.post('/progress', { number: 'abc', birthYear: '', birthMonth: '', birthDay: '' });
  assert.is(bad.status, 422);
  assert.match(textOf(bad.text), '申請編號格式不正確');
  assert.match(textOf(bad.text), '請輸入生日');
});

test('one contact book per inmate: another household is told', async ({ bob, pdf }) => {
  await bob.get('/applications/new/contact-book');
  const res = await bob.postMultipart(
    '/applications/new/contact-book',
    { action: 'submit', institution: '2477', callNumber: '1024', relationship: 'sibling' },
    [
      ['identityFiles', 'id.pdf', pdf],
      ['relationshipFiles', 'rel.pdf', pdf],
    ],
  );
  assert.is(res.status, 422);
  assert.match(textOf(res.text), '每位收容人限 1 戶');
});

/** A well-formed PDF of exactly `size` bytes. */
function pdfOfSize(size: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n', 'latin1');
  const tail = Buffer.from('\n%%EOF\n', 'latin1');
  return Buffer.concat([head, Buffer.alloc(size - head.length - tail.length, 32), tail]);
}

test('one byte over the total is refused, with the limit in words; exactly the limit is fine', async ({ bob }) => {
  const MB = 1024 * 1024;
  await bob.get('/applications/new/visit');
  const fields = { action: 'lookup', institution: '2477', callNumber: '310567' };
  assert.is(
    (await bob.postMultipart('/applications/new/visit', fields, [['identityFiles', 'a.pdf', pdfOfSize(10 * MB)]]))
      .status,
    200,
  );
  const over = await bob.postMultipart('/applications/new/visit', fields, [
    ['relationshipFiles', 'b.pdf', pdfOfSize(10 * MB + 1)],
  ]);
  assert.is(over.status, 422);
  assert.match(textOf(over.text), '檔案合計不可超過 20 MB');
  assert.is(
    (await bob.postMultipart('/applications/new/visit', fields, [['relationshipFiles', 'c.pdf', pdfOfSize(10 * MB)]]))
      .status,
    200,
    'exactly 20 MB in total',
  );
});

test('a body larger than the service allows is refused before it is read, with the form that says what to do', async ({
  alice,
}) => {
  await alice.get('/applications/new/contact-book');
  const big = Buffer.alloc(32 * 1024 * 1024, 1);
  const res = await alice.postMultipart('/applications/new/contact-book', { action: 'submit' }, [
    ['identityFiles', 'big.pdf', big],
  ]);
  assert.is(res.status, 413);
  assert.match(textOf(res.text), '這次送出的檔案合計超過 30 MB，沒有收下');
  assert.match(res.text, 'class="error-summary"', 'the form again, with its error summary');
});

test('signed-in pages are never cached; an htmx lookup after the session ended asks for a full sign-in page', async ({
  app,
  alice,
}) => {
  assert.is((await alice.get('/applications')).headers.get('cache-control'), 'no-store');
  const anon = new Client(app.url);
  const page = await anon.get('/signin');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const res = await anon.request(
    'POST',
    '/applications/lookup',
    { _csrf: token, institution: '2477', callNumber: '1024' },
    { 'hx-request': 'true' },
  );
  assert.is(res.status, 401);
  assert.match(res.headers.get('hx-redirect')!, /^\/signin\?return=/);
});

test('multipart posts need the CSRF token too, and only upload routes take multipart', async ({ alice }) => {
  await alice.get('/applications/new/visit');
  const res = await alice.postMultipart(
    '/applications/new/visit',
    { action: 'lookup', institution: '2477', callNumber: '1024' },
    [],
    { csrf: false },
  );
  assert.is(res.status, 403);
  const signout = await alice.postMultipart('/signout', {});
  assert.is(signout.status, 403, 'a multipart POST elsewhere is refused');
  assert.is((await alice.get('/account')).status, 200, 'still signed in');
});

test('applying again for one’s own pending or approved contact book says so, with a link to it, not “another family”', async ({
  app,
  alice,
  pdf,
}) => {
  const mine = await alice.get('/applications');
  const number = /href="\/applications\/(\d{8}-[0-9A-Z]{6})"/.exec(mine.text)![1]!;
  const apply = async () => {
    await alice.get('/applications/new/contact-book');
    return alice.postMultipart(
      '/applications/new/contact-book',
      { action: 'submit', institution: '2477', callNumber: '1024', relationship: 'mother' },
      [
        ['identityFiles', 'id.pdf', pdf],
        ['relationshipFiles', 'rel.pdf', pdf],
      ],
    );
  };
  const pending = await apply();
  assert.is(pending.status, 422);
  const text = textOf(pending.text);
  assert.match(text, `您已為這位收容人申請過這項服務（申請編號 ${number}），正在等候審核`);
  assert.not.match(text, '其他家屬');
  assert.match(pending.text, `<a href="/applications/${number}">查看申請 ${number}</a>`);

  await app.db.pool.query(`UPDATE service_application SET status = 'approved', decided_at = now() WHERE number = $1`, [
    number,
  ]);
  const approved = await apply();
  assert.is(approved.status, 422);
  assert.match(textOf(approved.text), `您已經有這位收容人的家庭聯絡簿服務（申請編號 ${number}）`);
  assert.not.match(textOf(approved.text), '其他家屬');
  assert.match(approved.text, `href="/applications/${number}"`);
  await app.db.pool.query(`UPDATE service_application SET status = 'pending', decided_at = NULL WHERE number = $1`, [
    number,
  ]);
});

test('an application cancelled because the inmate left says why on its page, in the reader’s language', async ({
  app,
  alice,
  alicePerson,
}) => {
  const { pool } = app.db;
  const leaving = await fixture.inmate(pool, { institutionCode: '2411', callNumber: '7001', name: '周大為' });
  const id = await fixture.approvedService(pool, {
    applicant: { email: alicePerson.email },
    inmate: leaving,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'sibling',
    status: 'pending',
  });
  const number = (await pool.query('SELECT number FROM service_application WHERE id = $1', [id])).rows[0].number;
  const before = textOf((await alice.get(`/applications/${number}`)).text);
  assert.not.match(before, '取消的原因', 'a pending application has no cancellation reason');
  await cancelForInmatesWhoLeft(pool, [leaving], null, new Date());
  const zh = textOf((await alice.get(`/applications/${number}`)).text);
  assert.match(zh, '已取消');
  assert.match(zh, '取消的原因 收容人已出監或移監');
  await alice.get('/language/en');
  try {
    const en = textOf((await alice.get(`/applications/${number}`)).text);
    assert.match(en, 'Why it was cancelled The inmate has been released or transferred');
    assert.not.match(en, '收容人已出監或移監');
  } finally {
    await alice.get('/language/zh-TW');
  }
});

test('a bad file is said together with every other problem of the form, in one answer', async ({ app, alice }) => {
  const count = async () => (await app.db.pool.query('SELECT count(*)::int AS n FROM service_application')).rows[0].n;
  const before = await count();
  await alice.get('/applications/new/visit');
  const res = await alice.postMultipart(
    '/applications/new/visit',
    { action: 'submit', institution: '2477', callNumber: '9999', relationship: '' },
    [['identityFiles', 'id.pdf', Buffer.from('not a PDF at all')]],
  );
  assert.is(res.status, 422);
  const text = textOf(res.text);
  for (const said of ['「id.pdf」的內容不是 PDF、PNG 或 JPG 檔', '在這個機關找不到這個呼號', '請選擇您與收容人的關係'])
    assert.match(text, said);
  assert.match(res.text, 'value="9999"', 'what was typed is kept');
  assert.is(await count(), before, 'nothing saved');
});

test('without JavaScript, a call number that finds nobody is an error of the form; a found inmate stays after a failed submit', async ({
  alice,
}) => {
  await alice.get('/applications/new/contact-book');
  const unknown = await alice.postMultipart('/applications/new/contact-book', {
    action: 'lookup',
    institution: '2477',
    callNumber: '9999',
    relationship: 'mother',
  });
  assert.is(unknown.status, 422);
  assert.match(unknown.text, /<title>錯誤：/);
  assert.match(unknown.text, 'class="error-summary"');
  assert.match(unknown.text, 'href="#callNumber"');
  assert.match(unknown.text, /id="callNumber"[^>]*aria-invalid="true"/);
  assert.match(textOf(unknown.text), '在這個機關找不到這個呼號');
  const noInstitution = await alice.postMultipart('/applications/new/contact-book', {
    action: 'lookup',
    institution: '',
    callNumber: '1024',
  });
  assert.is(noInstitution.status, 422);
  assert.match(noInstitution.text, /id="institution"[^>]*aria-invalid="true"/);

  // Confirmed, then sent without a relationship: the form comes back still naming the inmate.
  const found = await alice.postMultipart('/applications/new/contact-book', {
    action: 'lookup',
    institution: '2477',
    callNumber: '1024',
  });
  assert.is(found.status, 200);
  assert.match(textOf(found.text), '申請對象：王○○');
  const failed = await alice.postMultipart('/applications/new/contact-book', {
    action: 'submit',
    institution: '2477',
    callNumber: '1024',
    relationship: '',
  });
  assert.is(failed.status, 422);
  assert.match(textOf(failed.text), '請選擇您與收容人的關係');
  assert.match(textOf(failed.text), '申請對象：王○○');
});

test.run();
