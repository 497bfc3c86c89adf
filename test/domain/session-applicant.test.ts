import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { twoInstitutions } from '../support/scenarios.ts';
import { sessionWithApplicant, signedInApplicant, usableServicesOf } from '../../domain/applications/status.ts';

/**
 * Issue 14: a signed-in page reads its session, the applicant and the menu's services in one statement.
 * What it reads must be what the separate queries read: the same applicant, the same services, nobody
 * for an expired session, a visitor's session or a disabled account.
 */
const test = suite<{ db: TestDb; family: number; other: number }>('session read with its applicant');
const now = () => Math.ceil(Date.now() / 1000);
const session = (user: unknown) => ({ cookie: { originalMaxAge: 7_200_000 }, ...(user ? { passport: { user } } : {}) });

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await twoInstitutions(pool);
  const free = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  const banned = await fixture.inmate(pool, {
    institutionCode: '2477',
    callNumber: '4209',
    name: '林美',
    restriction: 'visit_ban',
  });
  ctx.family = await fixture.applicant(pool, { name: '陳家屬', nationalId: 'A123456789', email: 'fam@example.com' });
  ctx.other = await fixture.applicant(pool, { name: '林家屬', nationalId: 'B123456780', email: 'other@example.com' });
  await fixture.approvedService(pool, {
    applicant: ctx.family,
    inmate: free,
    service: 'contact_book',
    relationship: 'mother',
  });
  await fixture.approvedService(pool, {
    applicant: ctx.family,
    inmate: banned,
    service: 'visit',
    relationship: 'mother',
    visitKinds: ['onsite'],
  });
  const rows: [string, unknown, string][] = [
    ['family', session({ kind: 'applicant', id: ctx.family }), `now() + interval '1 hour'`],
    ['other', session({ kind: 'applicant', id: ctx.other }), `now() + interval '1 hour'`],
    ['visitor', session(null), `now() + interval '1 hour'`],
    ['staff', session({ kind: 'staff', id: 1 }), `now() + interval '1 hour'`],
    ['expired', session({ kind: 'applicant', id: ctx.family }), `now() - interval '1 minute'`],
  ];
  for (const [sid, sess, expire] of rows)
    await pool.query(`INSERT INTO session (sid, sess, expire) VALUES ($1, $2, ${expire})`, [sid, JSON.stringify(sess)]);
});
test.after(async (ctx) => {
  await ctx.db.drop();
});

test('a signed-in family: the session, the applicant and the services its menu offers, as read apart', async (ctx) => {
  const found = await sessionWithApplicant(ctx.db.pool, 'family', now());
  assert.equal(found?.sess, session({ kind: 'applicant', id: ctx.family }));
  assert.equal(found?.signedIn, await signedInApplicant(ctx.db.pool, ctx.family));
  assert.is(found?.signedIn?.applicant.email, 'fam@example.com');
  // The visit is for a banned inmate: only the contact book is usable.
  assert.equal(found?.signedIn?.usable, { contactBook: true, visits: false });
  assert.equal(found?.signedIn?.usable, await usableServicesOf(ctx.db.pool, ctx.family));
  const other = await sessionWithApplicant(ctx.db.pool, 'other', now());
  assert.equal(other?.signedIn?.usable, { contactBook: false, visits: false });
  assert.is(other?.signedIn?.applicant.id, ctx.other);
});

test('a visitor or staff session has no applicant; an expired or unknown one is not read', async (ctx) => {
  assert.equal((await sessionWithApplicant(ctx.db.pool, 'visitor', now()))?.signedIn, null);
  assert.equal((await sessionWithApplicant(ctx.db.pool, 'staff', now()))?.signedIn, null);
  assert.is(await sessionWithApplicant(ctx.db.pool, 'expired', now()), null);
  assert.is(await sessionWithApplicant(ctx.db.pool, 'nobody', now()), null);
});

test('a disabled account: the session is read, without the applicant', async (ctx) => {
  await ctx.db.pool.query(`UPDATE applicant SET disabled_at = now(), disabled_reason = '測試停用' WHERE id = $1`, [
    ctx.other,
  ]);
  const found = await sessionWithApplicant(ctx.db.pool, 'other', now());
  assert.ok(found, 'the session itself is still there');
  assert.is(found!.signedIn, null);
  assert.is(await signedInApplicant(ctx.db.pool, ctx.other), null);
});

test.run();
