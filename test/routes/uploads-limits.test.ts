import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, csrfFrom, textOf } from '../support/http.ts';
import { VALID_IDS } from '../support/journeys.ts';

type Ctx = { app: TestApp; alice: Client; pdf: Buffer; jpeg: Buffer; recipient: string };
const test = suite<Ctx>('uploads are bounded by the bytes read, and an oversize post gets its form back');

const MB = 1024 * 1024;

async function signIn(app: TestApp, email: string): Promise<Client> {
  const password = 'correct horse battery';
  await fixture.applicant(app.db.pool, { name: '林測試', nationalId: VALID_IDS[3]!, email, password });
  const c = new Client(app.url);
  await c.get('/signin');
  assert.is((await c.post('/signin', { email, password })).status, 303, 'signed in');
  return c;
}

test.before(async (ctx) => {
  ctx.app = await startTestApp();
  const { pool } = ctx.app.db;
  await fixture.institution(pool, { code: '2477' });
  const inmate = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '310567', name: '陳志強' });
  ctx.alice = await signIn(ctx.app, 'alice-uploads@example.com');
  const applicationId = await fixture.approvedService(pool, {
    applicant: { email: 'alice-uploads@example.com' },
    inmate,
    service: 'contact_book',
    relationship: 'mother',
  });
  ctx.recipient = String(applicationId);
  ctx.pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');
  ctx.jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#4a7' } })
    .jpeg()
    .toBuffer();
});
test.after(async (ctx) => {
  await ctx.app.close();
});

type Sent = { status: number; text: string; sentBytes: number; finishedSending: boolean };

/**
 * Posts a multipart form in chunks (Transfer-Encoding: chunked, no Content-Length), as a slow client
 * or an attacker would: the fields, then one file part of `fileBytes`, written 64 KB at a time until
 * the server answers (or the connection closes). Counts what the client managed to send.
 */
function chunkedPost(
  client: Client,
  path: string,
  fields: Record<string, string>,
  file: { field: string; name: string; bytes: number },
  headers: Record<string, string> = {},
): Promise<Sent> {
  const boundary = '----uploadlimit' + Date.now();
  let head = '';
  for (const [k, v] of Object.entries(fields))
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  head += `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const url = new URL(path, client.base);
  const cookie = (client as unknown as { cookieHeader(): string }).cookieHeader();
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let status = 0;
    let text = '';
    let answered = false;
    let finishedSending = false;
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie, ...headers },
    });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        answered = true;
        req.destroy();
        resolve({ status, text, sentBytes, finishedSending });
      });
    });
    req.on('error', (err) => {
      // The server closing while the client still sends: fine once the answer has come.
      if (!answered && !status) reject(err);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const write = (b: Buffer | string) =>
      new Promise<void>((ok) => {
        sentBytes += Buffer.byteLength(b);
        if (req.write(b)) return ok();
        req.once('drain', ok);
        req.once('close', ok);
      });
    void (async () => {
      await write(head);
      while (sentBytes < file.bytes && !status && !req.destroyed) await write(chunk);
      if (status || req.destroyed) return;
      finishedSending = true;
      await write(tail);
      req.end();
    })();
  });
}

test('a chunked application post far over the total is refused early with the form, its answers and its kept files', async ({
  app,
  alice,
  pdf,
}) => {
  await alice.get('/applications/new/visit');
  const kept = await alice.postMultipart(
    '/applications/new/visit',
    { action: 'lookup', institution: '2477', callNumber: '310567', relationship: 'mother' },
    [['identityFiles', '身分證.pdf', pdf]],
  );
  assert.is(kept.status, 200);
  const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(kept.text)![1]!;
  const planned = 400 * MB;
  const res = await chunkedPost(
    alice,
    '/applications/new/visit',
    {
      _csrf: csrfFrom(kept.text),
      submissionKey,
      institution: '2477',
      callNumber: '310567',
      relationship: 'mother',
      visitKinds: 'onsite',
    },
    { field: 'relationshipFiles', name: 'huge.pdf', bytes: planned },
  );
  assert.is(res.status, 413);
  assert.not.ok(res.finishedSending, 'answered before the client finished sending');
  assert.ok(
    res.sentBytes < 64 * MB,
    `the server stopped reading (the client sent ${(res.sentBytes / MB).toFixed(0)} MB)`,
  );
  const text = textOf(res.text);
  assert.match(res.text, 'class="error-summary"');
  assert.match(text, '這次送出的檔案合計超過 20 MB，沒有收下');
  assert.match(res.text, 'value="310567"', 'the answers are kept');
  assert.match(res.text, '<option value="mother" selected>');
  assert.match(res.text, /id="visitKind-onsite"[^>]*checked/);
  assert.match(text, '身分證.pdf', 'the file kept earlier is still there');
  assert.match(res.text, `value="${submissionKey}"`);
  const { rows } = await app.db.pool.query('SELECT count(*)::int AS n FROM application_upload');
  assert.is(rows[0].n, 1, 'nothing of the oversize post was kept');
  assert.is((await alice.get('/applications')).status, 200, 'the portal still answers');
});

test('a declared Content-Length over the total is refused before any file byte is read, with the form', async ({
  alice,
}) => {
  await alice.get('/applications/new/contact-book');
  const big = Buffer.alloc(32 * MB, 1);
  const res = await alice.postMultipart(
    '/applications/new/contact-book',
    { action: 'submit', institution: '2477', callNumber: '1024', relationship: 'mother' },
    [['identityFiles', 'big.pdf', big]],
  );
  assert.is(res.status, 413);
  assert.match(textOf(res.text), '這次送出的檔案合計超過 30 MB，沒有收下');
  assert.match(res.text, 'value="1024"');
  assert.match(res.text, /<title>錯誤：/);
});

test('a chunked contact book post with a huge photo is refused early with the form and its text', async ({
  alice,
  recipient,
}) => {
  const form = await alice.get('/contact-book/new');
  const res = await chunkedPost(
    alice,
    '/contact-book/new',
    {
      _csrf: csrfFrom(form.text),
      submissionKey: /name="submissionKey" value="([^"]+)"/.exec(form.text)![1]!,
      recipient,
      title: '近況報告',
      body: '天氣冷了，記得多穿衣服。',
    },
    { field: 'photo', name: 'huge.jpg', bytes: 400 * MB },
  );
  assert.is(res.status, 413);
  assert.not.ok(res.finishedSending);
  assert.ok(res.sentBytes < 48 * MB, `the client sent ${(res.sentBytes / MB).toFixed(0)} MB`);
  assert.match(textOf(res.text), '照片超過 10 MB');
  assert.match(res.text, 'value="近況報告"');
  assert.match(res.text, '>天氣冷了，記得多穿衣服。</textarea>');
});

test('files per request are bounded: an eleventh file of one kind, a second photo', async ({ alice, pdf, jpeg }) => {
  await alice.get('/applications/new/contact-book');
  const many = await alice.postMultipart(
    '/applications/new/contact-book',
    { action: 'lookup', institution: '2477', callNumber: '1024' },
    Array.from({ length: 11 }, (_, i) => ['identityFiles', `id${i}.pdf`, pdf] as [string, string, Buffer]),
  );
  assert.is(many.status, 413);
  assert.match(textOf(many.text), '每一項最多 10 個檔案');
  assert.match(many.text, 'value="1024"');
  await alice.get('/contact-book/new');
  const two = await alice.postMultipart('/contact-book/new', { action: 'submit', title: '兩張', body: '照片' }, [
    ['photo', 'a.jpg', jpeg],
    ['photo', 'b.jpg', jpeg],
  ]);
  assert.is(two.status, 413);
  assert.match(textOf(two.text), '每則聯絡簿只能附 1 張照片');
  assert.match(two.text, 'value="兩張"');
});

test('a refused upload whose body arrived whole leaves its connection usable for the next request', async ({
  app,
  alice,
  jpeg,
}) => {
  const page = await alice.get('/contact-book/new');
  const cookie = (alice as unknown as { cookieHeader(): string }).cookieHeader();
  const boundary = '----keepalive' + Date.now();
  const part = (name: string, value: Buffer | string, file?: string) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file}"\r\nContent-Type: image/jpeg` : ''}\r\n\r\n`,
      ),
      Buffer.from(value),
      Buffer.from('\r\n'),
    ]);
  const body = Buffer.concat([
    part('_csrf', csrfFrom(page.text)),
    part('action', 'submit'),
    part('title', '兩張'),
    part('photo', jpeg, 'a.jpg'),
    part('photo', jpeg, 'b.jpg'),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (method: string, path: string, payload?: Buffer) =>
    new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
      const req = http.request(
        `${app.url}${path}`,
        {
          method,
          agent,
          headers: {
            cookie,
            ...(payload
              ? { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': payload.length }
              : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  try {
    const refused = await send('POST', '/contact-book/new', body);
    assert.is(refused.status, 413, 'a second photo is refused');
    // Longer than the time a lingering connection is given before it is closed.
    await new Promise((r) => setTimeout(r, 3500));
    const next = await send('GET', '/contact-book');
    assert.ok(next.reused, 'the next request went over the same connection');
    assert.is(next.status, 200);
  } finally {
    agent.destroy();
  }
});

/** Posts a multipart body written by hand (for headers no FormData writes), with the client's cookies. */
async function rawMultipart(client: Client, path: string, parts: Array<{ header: string; body: Buffer | string }>) {
  const boundary = '----raw' + Date.now();
  const body = Buffer.concat([
    ...parts.flatMap((p) => [
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; ${p.header}\r\n\r\n`),
      Buffer.from(p.body),
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return client.request('POST', path, body.toString('latin1'), {
    'content-type': `multipart/form-data; boundary=${boundary}`,
  });
}

test('control characters in multipart fields and file names never reach the database', async ({
  app,
  alice,
  jpeg,
  pdf,
  recipient,
}) => {
  await alice.get('/contact-book/new');
  const post = await alice.postMultipart(
    '/contact-book/new',
    { action: 'submit', recipient, title: '近\u0000況', body: '平安\u0000\u0007就好' },
    [['photo', 'family.jpg', jpeg]],
  );
  assert.is(post.status, 303, textOf(post.text).slice(0, 300));
  const { rows } = await app.db.pool.query(`SELECT title, body FROM contact_book_post ORDER BY id DESC LIMIT 1`);
  assert.equal(rows[0], { title: '近況', body: '平安就好' });

  // A file name with an encoded NUL (RFC 5987), and control characters in the form's fields.
  const form = await alice.get('/applications/new/lawyer-visit');
  const named = await rawMultipart(alice, '/applications/new/lawyer-visit', [
    { header: 'name="_csrf"', body: csrfFrom(form.text) },
    { header: 'name="institution"', body: '24\u000077' },
    { header: 'name="callNumber"', body: '1024\u0000' },
    { header: 'name="action"', body: 'lookup' },
    { header: `name="identityFiles"; filename*=UTF-8''id%00%07card.pdf`, body: pdf.toString('latin1') },
  ]);
  assert.is(named.status, 200, textOf(named.text).slice(0, 300));
  assert.match(textOf(named.text), 'idcard.pdf');
  assert.match(textOf(named.text), '王○○', 'the cleaned call number was looked up');
  const kept = await app.db.pool.query(`SELECT file_name FROM application_upload ORDER BY id DESC LIMIT 1`);
  assert.is(kept.rows[0].file_name, 'idcard.pdf');

  // A raw NUL in the part header is not multipart at all: the form comes back, not an error page.
  await alice.get('/contact-book/new');
  const raw = await alice.postMultipart(
    '/contact-book/new',
    { action: 'submit', recipient, title: '原樣', body: '字' },
    [['photo', 'fam\u0000ily.jpg', jpeg]],
  );
  assert.is(raw.status, 422);
  assert.match(textOf(raw.text), '無法讀取送出的表單與檔案');
  assert.match(raw.text, 'value="原樣"');
});

test.run();
