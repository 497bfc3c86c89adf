import * as assert from 'uvu/assert';
import http from 'node:http';
import { appSuite } from '../support/app.ts';
import { Client } from '../support/http.ts';
import { person, registerVerifyAndSignIn } from '../support/journeys.ts';

/**
 * Issue 14: a family page paints after one round trip on a slow link. A first visit's HTML, with the
 * stylesheet inline, fits the first TCP flight (about 14 KB compressed, ten segments); a repeat visit,
 * with the stylesheet in the browser's cache, is the HTML alone (≤ 4 KB). Compressed bytes are counted
 * as sent (brotli, as browsers ask), so a page that grows past its budget fails here.
 */
const test = appSuite('page weight');

const FIRST_VISIT_BUDGET = 14 * 1024;
const REPEAT_VISIT_BUDGET = 4 * 1024;

type Wire = { status: number; bytes: number; encoding: string; html: string; setCookie: string[] };

/** One GET as a browser sends it; the body's length as sent (node:http does not decompress). */
function fetchRaw(base: string, path: string, cookie: string): Promise<Wire> {
  return new Promise((resolve, reject) => {
    http
      .get(
        base + path,
        { headers: { accept: 'text/html,application/xhtml+xml', 'accept-encoding': 'br, gzip', cookie } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', async () => {
            const body = Buffer.concat(chunks);
            const { brotliDecompressSync } = await import('node:zlib');
            resolve({
              status: res.statusCode ?? 0,
              bytes: body.length,
              encoding: String(res.headers['content-encoding'] ?? 'identity'),
              html: (res.headers['content-encoding'] === 'br' ? brotliDecompressSync(body) : body).toString(),
              setCookie: res.headers['set-cookie'] ?? [],
            });
          });
          res.on('error', reject);
        },
      )
      .on('error', reject);
  });
}

const PUBLIC_PAGES = [
  '/',
  '/announcements',
  '/process',
  '/visit-times',
  '/privacy',
  '/progress',
  '/register',
  '/signin',
  '/account/forgot',
];
const SIGNED_IN_PAGES = ['/account', '/applications', '/bookings', '/contact-book', '/account/profile'];

async function checkBudgets(base: string, pages: string[], sessionCookie: string) {
  for (const path of pages) {
    const first = await fetchRaw(base, path, sessionCookie);
    assert.is(first.status, 200, path);
    assert.is(first.encoding, 'br', `${path} is compressed`);
    assert.match(first.html, '<style>', `${path}: the first visit carries the stylesheet inline`);
    assert.ok(first.bytes <= FIRST_VISIT_BUDGET, `${path}: first visit ${first.bytes} B > ${FIRST_VISIT_BUDGET} B`);
    const styles = first.setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('styles='));
    assert.ok(styles, `${path}: the first visit marks the stylesheet as fetched`);
    const repeat = await fetchRaw(base, path, [sessionCookie, styles].filter(Boolean).join('; '));
    assert.is(repeat.status, 200, path);
    assert.not.match(repeat.html, '<style>', `${path}: a repeat visit links the cached stylesheet`);
    assert.match(repeat.html, /<link rel="stylesheet" href="\/assets\/[0-9a-f]+\/styles\.css">/);
    assert.ok(
      repeat.bytes <= REPEAT_VISIT_BUDGET,
      `${path}: repeat visit ${repeat.bytes} B > ${REPEAT_VISIT_BUDGET} B`,
    );
  }
}

test('every public page fits one round trip on a first visit and 4 KB on a repeat visit', async ({ app }) => {
  await checkBudgets(app.url, PUBLIC_PAGES, '');
});

test('the signed-in family pages keep the same budgets', async ({ app }) => {
  const c = new Client(app.url);
  await registerVerifyAndSignIn(c, app.smtp, person());
  await checkBudgets(app.url, SIGNED_IN_PAGES, c.cookieHeaderValue);
});

test('a stylesheet cookie of an older version brings the stylesheet inline again', async ({ app }) => {
  const page = await fetchRaw(app.url, '/', 'styles=000000000000');
  assert.match(page.html, '<style>');
});

test.run();
