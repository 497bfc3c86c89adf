import * as assert from 'uvu/assert';
import { appSuite } from '../support/app.ts';
import { Client, textOf } from '../support/http.ts';
import { familyWithContactBook, signedInStaff, staffAccounts, twoInstitutions } from '../support/scenarios.ts';
import { kioskCookieName } from '../../routes/middleware/kiosk.ts';

// 服務機 over HTTP: the enrolment link opened on a terminal, the kiosk cookie, what a kiosk page sends
// (no-store, no autocomplete), the idle end without JavaScript (a test clock), 結束使用 and revoking.
let now = new Date();
const tick = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};
const test = appSuite('routes: kiosk mode', { clock: () => now });
const FAMILY = { email: 'kiosk-family@example.com', password: 'family password 1' };
const COOKIE = kioskCookieName(false);

let admin: Client;
test.before(async (ctx) => {
  const db = ctx.app.db.pool;
  await twoInstitutions(db);
  await db.query(`UPDATE institution SET visiting_notes_zh = '請攜帶身分證明文件' WHERE code = '2477'`);
  await staffAccounts(db, [['kioskadmin', '桃園管理者', '2477', 'institution_admin']]);
  await familyWithContactBook(db, { name: '王美麗', nationalId: 'A223456781', ...FAMILY });
  admin = await signedInStaff(ctx.app.url, 'kioskadmin');
});

/** A new kiosk of 2477 made in the back office and enrolled on a fresh terminal. */
async function enrolledTerminal(url: string, name = '候客室一號機'): Promise<{ terminal: Client; token: string }> {
  await admin.get('/backoffice/kiosks');
  const posted = await admin.post('/backoffice/kiosks', { name });
  assert.is(posted.status, 303);
  assert.match(posted.location ?? '', /^\/backoffice\/kiosks\/\d+\/link$/);
  const made = await admin.follow(posted);
  assert.is(made.status, 200);
  assert.is(made.headers.get('cache-control'), 'no-store');
  const token = /\/kiosk\/enrol\?token=([\w-]+)/.exec(made.text)![1]!;
  const terminal = new Client(url);
  const page = await terminal.get(`/kiosk/enrol?token=${token}`);
  assert.is(page.status, 200);
  assert.match(textOf(page.text), name);
  const enrolled = await terminal.post('/kiosk/enrol', { token });
  assert.is(enrolled.status, 303);
  assert.is(enrolled.location, '/kiosk');
  return { terminal, token };
}

const signIn = async (c: Client) => {
  await c.get('/signin');
  const res = await c.post('/signin', FAMILY);
  assert.is(res.status, 303, 'signed in');
};

test('the link sets a long-lived, httpOnly, strict kiosk cookie once; the kiosk home comes first', async (ctx) => {
  await admin.get('/backoffice/kiosks');
  const posted = await admin.post('/backoffice/kiosks', { name: '候客室一號機' });
  const made = await admin.follow(posted);
  const linkIn = (html: string) => /\/kiosk\/enrol\?token=([\w-]+)/.exec(html)?.[1];
  const first = linkIn(made.text)!;
  // A reload of the link's page makes no second kiosk: it shows a new link, and the one before stops working.
  const second = linkIn((await admin.get(posted.location!)).text)!;
  assert.ok(second && second !== first, 'a new link');
  const kiosks = await ctx.app.db.pool.query(`SELECT count(*)::int AS n FROM kiosk WHERE name = '候客室一號機'`);
  assert.is(kiosks.rows[0].n, 1);
  assert.is((await new Client(ctx.app.url).get(`/kiosk/enrol?token=${first}`)).status, 410);
  const audited = await ctx.app.db.pool.query(
    `SELECT a.action FROM audit_log a JOIN kiosk k ON k.id = a.object_id AND a.object_type = 'kiosk'
      WHERE k.name = '候客室一號機' ORDER BY a.id`,
  );
  assert.equal(
    audited.rows.map((r) => r.action),
    ['kiosk.link_created', 'kiosk.link_renewed'],
    'a link shown again is audited',
  );
  const held = await ctx.app.db.pool.query(`SELECT count(*)::int AS n FROM session WHERE sess::text LIKE $1`, [
    `%${second}%`,
  ]);
  assert.is(held.rows[0].n, 0, 'no session holds the link');
  // Another session (even the same administrator's) is not shown it; its maker still is.
  const someoneElse = await signedInStaff(ctx.app.url, 'kioskadmin');
  assert.is(
    (await someoneElse.get(posted.location!)).location,
    '/backoffice/kiosks',
    'only to the session that made it',
  );
  const token = linkIn((await admin.get(posted.location!)).text)!;
  assert.ok(token, 'still shown to its maker');
  // Back at the list, the link is not shown again; its page now says why and how to make another.
  await admin.get('/backoffice/kiosks');
  const gone = await admin.follow(await admin.get(posted.location!));
  assert.is(linkIn(gone.text), undefined);
  assert.match(textOf(gone.text), '這個設定連結已不再顯示');
  const terminal = new Client(ctx.app.url);
  await terminal.get(`/kiosk/enrol?token=${token}`);
  const enrolled = await terminal.post('/kiosk/enrol', { token });
  const cookie = enrolled.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`))!;
  assert.ok(cookie, 'the kiosk cookie is set');
  assert.match(cookie, /; HttpOnly/i);
  assert.match(cookie, /; SameSite=Strict/i);
  assert.match(cookie, /; Path=\//i);
  assert.ok(Number(/Max-Age=(\d+)/i.exec(cookie)![1]) >= 365 * 24 * 3600, 'long-lived');
  const value = cookie.split(';')[0]!.split('=')[1]!;
  const stored = await ctx.app.db.pool.query(
    `SELECT token_hash, enrol_token_hash FROM kiosk WHERE name = '候客室一號機'`,
  );
  assert.is(stored.rows[0].enrol_token_hash, null, 'the link is spent');
  assert.not.ok(stored.rows[0].token_hash.toString('latin1').includes(value), 'only a hash of the cookie is kept');

  // A second use of the link on another browser does nothing.
  const other = new Client(ctx.app.url);
  assert.is((await other.get(`/kiosk/enrol?token=${token}`)).status, 410);
  await other.get('/signin');
  assert.is((await other.post('/kiosk/enrol', { token })).status, 410);
  assert.is((await other.get('/kiosk')).status, 404, 'not a kiosk');

  assert.is((await terminal.get('/')).location, '/kiosk');
  const home = await terminal.get('/kiosk');
  assert.is(home.status, 200);
  assert.is(home.headers.get('cache-control'), 'no-store');
  assert.match(home.text, /<html lang="[^"]+" class="kiosk">/);
  const text = textOf(/<main[\s\S]*<\/main>/.exec(home.text)![0]);
  assert.ok(text.indexOf('請攜帶身分證明文件') >= 0, text);
  assert.ok(text.indexOf('請攜帶身分證明文件') < text.indexOf('預約接見'), 'visiting information first');
  for (const href of ['/signin', '/bookings/new', '/contact-book/new', '/progress'])
    assert.match(home.text, `class="kiosk-task" href="${href}"`);
  assert.match(home.text, /<form method="post" action="\/kiosk\/end"/);
});

test('on a kiosk every page is no-store and no field remembers anything', async (ctx) => {
  const { terminal } = await enrolledTerminal(ctx.app.url, '候客室二號機');
  for (const path of ['/signin', '/progress', '/register', '/account/forgot']) {
    const page = await terminal.get(path);
    assert.is(page.status, 200, path);
    assert.is(page.headers.get('cache-control'), 'no-store', path);
    const forms = [...page.text.matchAll(/<form\b[^>]*>/g)].map((m) => m[0]);
    assert.ok(forms.length > 0);
    for (const f of forms) assert.match(f, /autocomplete="off"/, `${path}: ${f}`);
    const inputs = [...page.text.matchAll(/<(input|textarea|select)\b[^>]*>/g)]
      .map((m) => m[0])
      .filter((t) => !/type="hidden"/.test(t));
    assert.ok(inputs.length > 0);
    for (const i of inputs) {
      const values = [...i.matchAll(/autocomplete="([^"]*)"/g)].map((m) => m[1]);
      assert.equal(values, [/type="password"/.test(i) ? 'new-password' : 'off'], `${path}: ${i}`);
    }
  }
  // Not a kiosk: the sign-in page keeps its autocomplete hints.
  const plain = await new Client(ctx.app.url).get('/signin');
  assert.match(plain.text, /autocomplete="current-password"/);
});

test('without JavaScript the kiosk session ends 3 minutes after the last request', async (ctx) => {
  assert.is(ctx.app.config.kioskIdleSeconds, 180);
  const { terminal } = await enrolledTerminal(ctx.app.url, '候客室三號機');
  await signIn(terminal);
  const list = await terminal.get('/applications');
  assert.is(list.status, 200);
  assert.is(list.headers.get('cache-control'), 'no-store');
  tick(180);
  assert.is((await terminal.get('/applications')).status, 200, 'exactly 3 minutes: still on');
  tick(181);
  const ended = await terminal.get('/applications');
  assert.is(ended.status, 303);
  assert.is(ended.location, '/kiosk?ended=idle');
  const home = await terminal.get(ended.location!);
  assert.match(textOf(home.text), '已自動結束使用');
  const after = await terminal.get('/applications');
  assert.is(after.status, 303, 'signed out');
  assert.match(after.location ?? '', /^\/signin/);
  // Idle at the kiosk home with nobody signed in: the next person simply starts.
  tick(200);
  assert.is((await terminal.get('/signin')).status, 200);
});

test('結束使用 signs out, ends the session and clears the browser; the ended page', async (ctx) => {
  const { terminal } = await enrolledTerminal(ctx.app.url, '候客室四號機');
  await signIn(terminal);
  const account = await terminal.get('/account');
  assert.is(account.status, 200);
  const end = await terminal.post('/kiosk/end', {});
  assert.is(end.status, 303);
  assert.is(end.location, '/kiosk/ended');
  assert.is(end.headers.get('clear-site-data'), '"cache", "storage"');
  const page = await terminal.get('/kiosk/ended');
  assert.is(page.status, 200);
  assert.is(page.headers.get('cache-control'), 'no-store');
  assert.not.match(textOf(page.text), '王美麗');
  // The end of the session asks seed 004's rating, answered in one tap without an account.
  assert.match(page.text, 'action="/ratings/kiosk"');
  const rated = await terminal.post('/ratings/kiosk', { choice: '5', comment: '' });
  assert.is(rated.status, 200);
  const kept = await ctx.app.db.pool.query(
    `SELECT service, institution_code, answer FROM rating WHERE service = 'kiosk'`,
  );
  assert.equal(kept.rows, [{ service: 'kiosk', institution_code: '2477', answer: 5 }]);
  assert.match((await terminal.get('/account')).location ?? '', /^\/signin/);
  // The JavaScript idle end says why on the kiosk home.
  await signIn(terminal);
  await terminal.get('/account');
  const idle = await terminal.post('/kiosk/end', { reason: 'idle' });
  assert.is(idle.location, '/kiosk?ended=idle');
  assert.is((await terminal.get('/kiosk/still-here')).status, 204);
  assert.is((await new Client(ctx.app.url).get('/kiosk/still-here')).status, 404);
});

test('a kiosk keeps its language in the session: the thanks in English, then the next person starts in Chinese', async (ctx) => {
  const { terminal } = await enrolledTerminal(ctx.app.url, '候客室六號機');
  const switched = await terminal.get('/language/en?return=/kiosk');
  assert.is(switched.location, '/kiosk');
  assert.not.ok(
    switched.headers.getSetCookie().some((c) => c.startsWith('portal.lang=')),
    'no language cookie is left on the terminal',
  );
  assert.match((await terminal.get('/kiosk')).text, '<html lang="en"');
  await signIn(terminal);
  assert.match((await terminal.get('/account')).text, '<html lang="en"');

  const end = await terminal.post('/kiosk/end', {});
  assert.is(end.location, '/kiosk/ended?lang=en');
  const thanks = await terminal.get(end.location!);
  assert.match(thanks.text, '<html lang="en"');
  assert.match(thanks.text, 'action="/ratings/kiosk?lang=en"');
  const rated = await terminal.post('/ratings/kiosk?lang=en', { choice: '4' });
  assert.is(rated.status, 200);
  assert.match(rated.text, '<html lang="en"');
  // The next person: the kiosk home (and any other page) is in Chinese again.
  assert.match((await terminal.get('/kiosk')).text, '<html lang="zh-Hant-TW"');
  assert.match((await terminal.get('/signin')).text, '<html lang="zh-Hant-TW"');
  // ?lang= speaks only for the person who just left, and only on those two pages.
  assert.match((await terminal.get('/signin?lang=en')).text, '<html lang="zh-Hant-TW"');

  // A language cookie from before the terminal was enrolled is cleared and not followed.
  terminal.setCookie('portal.lang', 'en');
  const home = await terminal.get('/kiosk');
  assert.match(home.text, '<html lang="zh-Hant-TW"');
  assert.ok(
    home.headers.getSetCookie().some((c) => /^portal\.lang=;/.test(c)),
    'the stale cookie is cleared',
  );

  // Elsewhere the language is still a cookie, kept for a year.
  const phone = new Client(ctx.app.url);
  const chosen = await phone.get('/language/en?return=/');
  assert.ok(chosen.headers.getSetCookie().some((c) => c.startsWith('portal.lang=en')));
});

test('the back office lists the kiosks with their last use and revokes them; the cookie then does nothing', async (ctx) => {
  const { terminal } = await enrolledTerminal(ctx.app.url, '候客室五號機');
  const list = await admin.get('/backoffice/kiosks');
  assert.match(textOf(list.text), '候客室五號機');
  const id = (await ctx.app.db.pool.query(`SELECT id FROM kiosk WHERE name = '候客室五號機'`)).rows[0].id;
  const revoked = await admin.post(`/backoffice/kiosks/${id}/revoke`, {});
  assert.is(revoked.status, 303);
  assert.match(textOf((await admin.get('/backoffice/kiosks')).text), '服務機已撤銷');
  assert.is((await terminal.get('/kiosk')).status, 404);
  const home = await terminal.get('/');
  assert.is(home.status, 200);
  assert.not.match(home.text, 'class="kiosk"');
  assert.not.match(home.headers.get('cache-control') ?? '', 'no-store');
  const audit = await ctx.app.db.pool.query(
    `SELECT action FROM audit_log WHERE object_type = 'kiosk' AND object_id = $1 ORDER BY id`,
    [id],
  );
  assert.equal(
    audit.rows.map((r) => r.action),
    ['kiosk.link_created', 'kiosk.revoked'],
  );
  // An empty name is refused with the form kept.
  const empty = await admin.post('/backoffice/kiosks', { name: '' });
  assert.is(empty.status, 422);
  assert.match(textOf(empty.text), '請輸入服務機名稱');
  // A name of invisible characters only (a zero-width space) is no name (found on review).
  const invisible = await admin.post('/backoffice/kiosks', { name: '\u200b\u200e' });
  assert.is(invisible.status, 422);
  assert.match(textOf(invisible.text), '請輸入服務機名稱');
});

test('a form too large for the portal, sent on a kiosk: its page in the kiosk, with 結束使用 still working', async (ctx) => {
  const { terminal } = await enrolledTerminal(ctx.app.url, '候客室六號機');
  await terminal.get('/signin');
  const tooMuch = await terminal.post('/signin', { email: 'a@example.com', password: 'x'.repeat(300_000) });
  assert.is(tooMuch.status, 413);
  assert.match(textOf(tooMuch.text), '送出的內容太多');
  assert.match(textOf(tooMuch.text), '候客室六號機', 'the kiosk bar is shown');
  // Its end-session form carries a token the check accepts (the client posts the last page's token).
  assert.match(tooMuch.text, /action="\/kiosk\/end"[^]*name="_csrf" value="[^"]+"/);
  const ended = await terminal.post('/kiosk/end', { reason: '' });
  assert.is(ended.status, 303);
});

test.run();
