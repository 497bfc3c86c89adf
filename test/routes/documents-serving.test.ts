import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client, textOf } from '../support/http.ts';
import { VALID_IDS, staffSignIn } from '../support/journeys.ts';
import { ConfigError, loadConfig } from '../../domain/platform/config.ts';

type Setup = {
  app: TestApp;
  family: Client;
  staff: Client;
  number: string;
  applicationId: number;
  pdfId: number;
  pngId: number;
};
type Ctx = { plain: Setup; withOrigin: Setup; offsetMs: { value: number } };
const test = suite<Ctx>('documents: attachments on the portal, viewing only on a separate signed, cookieless origin');

const DOCS_HOST = 'docs.portal.test';

async function setUp(app: TestApp, n: number): Promise<Setup> {
  const { pool } = app.db;
  await fixture.institution(pool, { code: '2477' });
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  await fixture.staff(pool, {
    account: 'reviewer',
    name: '桃園承辦人',
    institutionCode: '2477',
    role: 'reviewer',
    password: 'staff password 1',
  });
  const email = `docs${n}@example.com`;
  const password = 'correct horse battery';
  await fixture.applicant(pool, { name: '林家屬', nationalId: VALID_IDS[n]!, email, password });
  const family = new Client(app.url);
  await family.get('/signin');
  assert.is((await family.post('/signin', { email, password })).status, 303);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');
  const png = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#888' } })
    .png()
    .toBuffer();
  await family.get('/applications/new/contact-book');
  const sent = await family.postMultipart(
    '/applications/new/contact-book',
    { action: 'submit', institution: '2477', callNumber: '1024', relationship: 'mother' },
    [
      ['identityFiles', '身分證.png', png],
      ['relationshipFiles', '戶口名簿.pdf', pdf],
    ],
  );
  assert.is(sent.status, 303, textOf(sent.text).slice(0, 300));
  const number = sent.location!.split('/').pop()!;
  const { rows } = await pool.query(
    `SELECT a.id AS application_id, d.id, d.media_type FROM application_document d JOIN service_application a ON a.id = d.application_id`,
  );
  const staff = new Client(app.url);
  assert.is((await staffSignIn(staff, 'reviewer', 'staff password 1')).status, 303);
  return {
    app,
    family,
    staff,
    number,
    applicationId: Number(rows[0].application_id),
    pdfId: Number(rows.find((r) => r.media_type === 'application/pdf').id),
    pngId: Number(rows.find((r) => r.media_type === 'image/png').id),
  };
}

test.before(async (ctx) => {
  ctx.offsetMs = { value: 0 };
  ctx.plain = await setUp(await startTestApp(), 1);
  ctx.withOrigin = await setUp(
    await startTestApp({
      env: { DOCUMENTS_ORIGIN: `http://${DOCS_HOST}` },
      clock: () => new Date(Date.now() + ctx.offsetMs.value),
    }),
    2,
  );
});
test.after(async (ctx) => {
  await ctx.plain.app.close();
  await ctx.withOrigin.app.close();
});

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** A request to the portal's port under another Host, as a proxy would pass one for the document origin. */
function underHost(app: TestApp, host: string, path: string, cookie = ''): Promise<Raw> {
  const url = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: url.hostname, port: url.port, path, headers: { host, ...(cookie ? { cookie } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
  });
}

test('without a document origin, a PDF is always an attachment, to applicant and staff; images stay inline and sandboxed', async ({
  plain,
}) => {
  const { family, staff, number, applicationId, pdfId, pngId } = plain;
  for (const [who, path] of [
    [family, `/applications/${number}/documents/${pdfId}`],
    [staff, `/backoffice/applications/${applicationId}/documents/${pdfId}`],
  ] as const) {
    for (const query of ['', '?view=1']) {
      const res = await who.get(path + query);
      assert.is(res.status, 200, path + query);
      assert.is(res.headers.get('content-type'), 'application/pdf');
      assert.match(res.headers.get('content-disposition')!, /^attachment;/, `${path}${query} is saved, not shown`);
      assert.is(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(res.text, /^%PDF-/);
    }
    const image = await who.get(path.replace(/\/\d+$/, `/${pngId}`));
    assert.match(image.headers.get('content-disposition')!, /^inline;/);
    assert.match(image.headers.get('content-security-policy')!, /sandbox/);
  }
  const casePage = await staff.get(`/backoffice/applications/${applicationId}`);
  const own = await family.get(`/applications/${number}`);
  for (const page of [casePage, own]) {
    assert.match(textOf(page.text), '下載');
    assert.not.match(textOf(page.text), '在新分頁檢視', 'no viewer without a document origin');
  }
  assert.is((await family.get(`/documents/${pdfId}?expires=1&signature=x`)).status, 404);
});

test('with a document origin: 在新分頁檢視 leads through a 5-minute signed link to the PDF inline there, without cookies', async ({
  withOrigin,
  offsetMs,
}) => {
  const { app, family, staff, number, applicationId, pdfId, pngId } = withOrigin;
  const casePage = await staff.get(`/backoffice/applications/${applicationId}`);
  const own = await family.get(`/applications/${number}`);
  const viewLinks: string[] = [];
  for (const page of [casePage, own]) {
    const text = textOf(page.text);
    assert.match(text, '在新分頁檢視');
    assert.match(text, '下載');
    const link = new RegExp(`href="([^"]+/documents/${pdfId})\\?view=1"`).exec(page.text);
    assert.ok(link, 'a view link for the PDF');
    viewLinks.push(`${link![1]}?view=1`);
    assert.not.match(page.text, `/documents/${pngId}?view=1`, 'images are shown in the page');
  }
  const [staffView, familyView] = viewLinks as [string, string];
  for (const [who, link] of [
    [staff, staffView],
    [family, familyView],
  ] as const) {
    const onPortal = await who.get(link.replace('?view=1', ''));
    assert.match(onPortal.headers.get('content-disposition')!, /^attachment;/, 'still an attachment on the portal');
    const redirect = await who.get(link);
    assert.is(redirect.status, 303);
    const signed = new URL(redirect.location!);
    assert.is(signed.host, DOCS_HOST);
    assert.is(signed.pathname, `/documents/${pdfId}`);
    const shown = await underHost(app, DOCS_HOST, signed.pathname + signed.search);
    assert.is(shown.status, 200);
    assert.is(shown.headers['content-type'], 'application/pdf');
    assert.match(shown.headers['content-disposition']!, /^inline;/);
    assert.is(shown.headers['x-content-type-options'], 'nosniff');
    assert.is(shown.headers['set-cookie'], undefined, 'the document origin sets no cookie');
    assert.match(shown.body.toString('latin1'), /^%PDF-/);
  }
  const signed = new URL((await family.get(familyView)).location!);
  const path = signed.pathname + signed.search;
  // The portal's own origin does not serve the signed path; the document origin serves nothing else.
  assert.is((await family.get(path)).status, 404);
  for (const other of ['/', '/signin', '/applications', `/applications/${number}/documents/${pdfId}`]) {
    const res = await underHost(app, DOCS_HOST, other);
    assert.is(res.status, 404, other);
    assert.is(res.headers['set-cookie'], undefined);
  }
  // Bound to the document, not forgeable, and short-lived.
  assert.is((await underHost(app, DOCS_HOST, path.replace(`/documents/${pdfId}`, `/documents/${pngId}`))).status, 404);
  assert.is((await underHost(app, DOCS_HOST, path.replace(/signature=[^&]+/, 'signature=AAAA'))).status, 404);
  const longer = path.replace(/expires=(\d+)/, (_m, e: string) => `expires=${Number(e) + 3600}`);
  assert.is((await underHost(app, DOCS_HOST, longer)).status, 404, 'the expiry is signed too');
  offsetMs.value = 4 * 60_000;
  assert.is((await underHost(app, DOCS_HOST, path)).status, 200, 'within 5 minutes');
  offsetMs.value = 5 * 60_000 + 1000;
  assert.is((await underHost(app, DOCS_HOST, path)).status, 404, 'after 5 minutes');
  offsetMs.value = 0;

  // Someone else, signed in, cannot get a link for this document.
  const stranger = new Client(app.url);
  await fixture.applicant(app.db.pool, {
    name: '陌生人',
    nationalId: VALID_IDS[5]!,
    email: 'stranger-docs@example.com',
    password: 'correct horse battery',
  });
  await stranger.get('/signin');
  await stranger.post('/signin', { email: 'stranger-docs@example.com', password: 'correct horse battery' });
  assert.is((await stranger.get(familyView)).status, 404);
});

test('DOCUMENTS_ORIGIN is checked: https in production, another host than PUBLIC_URL, an origin only', () => {
  const base = { NODE_ENV: 'test', PUBLIC_URL: 'https://portal.example.gov.tw' };
  assert.is(
    loadConfig({ ...base, DOCUMENTS_ORIGIN: 'https://docs.portal.example.gov.tw/' }).documentsOrigin,
    'https://docs.portal.example.gov.tw',
  );
  assert.is(loadConfig(base).documentsOrigin, undefined);
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (e) {
      assert.instance(e, ConfigError);
      return (e as ConfigError).problems;
    }
  };
  assert.ok(
    problems({ ...base, DOCUMENTS_ORIGIN: 'https://portal.example.gov.tw:8443' }).some((p) =>
      p.includes('different host'),
    ),
  );
  assert.ok(
    problems({ ...base, DOCUMENTS_ORIGIN: 'https://docs.example.gov.tw/files' }).some((p) => p.includes('origin only')),
  );
  assert.ok(problems({ ...base, DOCUMENTS_ORIGIN: 'ftp://docs.example.gov.tw' }).length > 0);
  const production = {
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://portal.example.gov.tw',
    SESSION_SECRET: 'x'.repeat(40),
    SMTP_URL: 'smtp://mail.example.gov.tw',
    MAIL_FROM: 'portal <noreply@example.gov.tw>',
    DATABASE_URL: 'postgres://db.example.gov.tw/portal',
    VIDEO_SERVICE_URL: 'https://video.example.gov.tw/join',
  };
  assert.equal(problems({ ...production, DOCUMENTS_ORIGIN: 'https://docs.example.gov.tw' }), []);
  assert.ok(
    problems({ ...production, DOCUMENTS_ORIGIN: 'http://docs.example.gov.tw' }).some((p) => p.includes('https')),
  );
});

test.run();
