import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { twoInstitutions } from '../support/scenarios.ts';
import {
  createAgencyAdminFromCommand,
  createStaffAccount,
  getStaffAccount,
  listStaffAccounts,
  type NewStaffInput,
} from '../../domain/staff/accounts.ts';
import { changeStaffRole, sendPasswordLink, setStaffActive, unlockStaffAccount } from '../../domain/staff/changes.ts';
import { checkStaffLink, confirmEmailWithLink, setPasswordWithLink } from '../../domain/staff/links.ts';
import { changeOwnPassword, requestOwnEmailChange, updateOwnName } from '../../domain/staff/profile.ts';
import { authenticateStaff, getStaffMember } from '../../domain/staff.ts';
import { accountCounterRows, hashedKey, signInCounterKeys } from '../../domain/platform/sign-in-keys.ts';
import { StaffNotAllowed, type StaffActor } from '../../domain/shared/staff-actor.ts';
import { LINK_PLACEHOLDER } from '../../domain/mails.ts';

type Ctx = { db: TestDb; agency: StaffActor; admin2477: StaffActor; reviewer2477: StaffActor; admin2411: number };
const test = suite<Ctx>('staff accounts: scope, roles, password-set links, the last agency administrator, lock');
const NOW = new Date('2026-11-23T02:00:00Z');
const HOUR = 3600_000;
const PASSWORD = 'a good password 1';
const LIMIT = 10;
const ctxAt = (now: Date) => ({ now, publicUrl: 'https://portal.example', locale: 'zh-TW' as const });
const actor = (staffId: number, role: StaffActor['role'], institutionCode: string | null): StaffActor => ({
  staffId,
  role,
  institutionCode,
  ip: '192.0.2.7',
});
const input = (over: Partial<NewStaffInput> = {}): NewStaffInput => ({
  name: '新同仁',
  email: 'new@example.gov.tw',
  account: 'new.one',
  institution: '2477',
  role: 'reviewer',
  ...over,
});

/** The token of the newest set-password link mailed to a staff member, from its delivery job. */
async function lastLink(db: TestDb, to: string): Promise<string> {
  const { rows } = await db.pool.query<{ body_text: string; secrets: Record<string, string> }>(
    `SELECT n.body_text, (j.payload::json->'secrets') AS secrets FROM notification n
       JOIN graphile_worker._private_jobs j ON (j.payload::json->>'id')::bigint = n.id
      WHERE n.recipient = $1 ORDER BY n.id DESC LIMIT 1`,
    [to],
  );
  assert.ok(rows[0], `a mail to ${to}`);
  assert.ok(rows[0]!.body_text.includes(LINK_PLACEHOLDER), 'the stored body holds no link');
  const link = rows[0]!.secrets[LINK_PLACEHOLDER]!;
  return new URL(link).searchParams.get('token')!;
}

async function audits(db: TestDb, action: string) {
  const { rows } = await db.pool.query<{
    staff_id: string | null;
    object_id: string;
    details: Record<string, unknown>;
  }>('SELECT staff_id, object_id, details FROM audit_log WHERE action = $1 ORDER BY id', [action]);
  return rows;
}

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await twoInstitutions(pool);
  const agency = await fixture.staff(pool, {
    account: 'agency1',
    name: '署管理者',
    role: 'agency_admin',
    institutionCode: null,
  });
  const admin = await fixture.staff(pool, {
    account: 'admin2477',
    name: '桃園管理者',
    role: 'institution_admin',
    institutionCode: '2477',
  });
  const reviewer = await fixture.staff(pool, {
    account: 'rev2477',
    name: '桃園審核',
    role: 'reviewer',
    institutionCode: '2477',
  });
  ctx.admin2411 = await fixture.staff(pool, {
    account: 'admin2411',
    name: '基隆管理者',
    role: 'institution_admin',
    institutionCode: '2411',
  });
  ctx.agency = actor(agency, 'agency_admin', null);
  ctx.admin2477 = actor(admin, 'institution_admin', '2477');
  ctx.reviewer2477 = actor(reviewer, 'reviewer', '2477');
});
test.after(async (ctx) => {
  await ctx.db.drop();
});

test('an institution administrator sees only their institution; the agency every account', async ({ db, ...c }) => {
  const mine = await listStaffAccounts(db.pool, c.admin2477, { institutionCode: null }, LIMIT);
  assert.equal(mine.map((a) => a.account).sort(), ['admin2477', 'rev2477']);
  // asking for another institution changes nothing for them
  const asked = await listStaffAccounts(db.pool, c.admin2477, { institutionCode: '2411' }, LIMIT);
  assert.equal(asked.map((a) => a.account).sort(), ['admin2477', 'rev2477']);
  const all = await listStaffAccounts(db.pool, c.agency, { institutionCode: null }, LIMIT);
  assert.ok(['agency1', 'admin2477', 'rev2477', 'admin2411'].every((a) => all.some((x) => x.account === a)));
  assert.is(all[0]!.role, 'agency_admin', 'agency administrators first');
  assert.is(await getStaffAccount(db.pool, c.admin2477, c.admin2411, LIMIT), null, 'another institution: not found');
  assert.is(await getStaffAccount(db.pool, c.admin2477, c.agency.staffId, LIMIT), null, 'the agency: not found');
  assert.ok(await getStaffAccount(db.pool, c.agency, c.admin2411, LIMIT));
  // every change to an account outside the scope is "not found" too
  assert.is(await setStaffActive(db.pool, c.admin2477, c.admin2411, false, NOW), 'notFound');
  assert.is(
    await changeStaffRole(db.pool, c.admin2477, c.admin2411, { role: 'reviewer', institution: '' }, NOW),
    'notFound',
  );
  assert.is(await sendPasswordLink(db.pool, c.admin2477, c.admin2411, ctxAt(NOW)), 'notFound');
  assert.is(await unlockStaffAccount(db.pool, c.admin2477, c.agency.staffId, LIMIT, NOW), 'notFound');
});

test('a reviewer may not manage accounts: the domain refuses (403)', async ({ db, reviewer2477 }) => {
  for (const call of [
    () => listStaffAccounts(db.pool, reviewer2477, { institutionCode: null }, LIMIT),
    () => createStaffAccount(db.pool, reviewer2477, input(), ctxAt(NOW)),
    () => setStaffActive(db.pool, reviewer2477, 1, false, NOW),
    () => unlockStaffAccount(db.pool, reviewer2477, 1, LIMIT, NOW),
  ]) {
    try {
      await call();
      assert.unreachable('refused');
    } catch (err) {
      assert.instance(err, StaffNotAllowed);
    }
  }
});

test('institution administrators create reviewers and administrators of their own institution only', async ({
  db,
  ...c
}) => {
  const refused = await createStaffAccount(db.pool, c.admin2477, input({ role: 'agency_admin' }), ctxAt(NOW));
  assert.equal(refused, { ok: false, errors: { role: 'staff.error.role' } });
  const made = await createStaffAccount(
    db.pool,
    c.admin2477,
    input({ institution: '2411', email: 'x1@example.gov.tw', account: 'x1.user' }),
    ctxAt(NOW),
  );
  assert.ok(made.ok);
  const row = await getStaffAccount(db.pool, c.admin2477, made.ok ? made.id : 0, LIMIT);
  assert.is(row?.institutionCode, '2477', 'always in their own institution');
  assert.is(row?.hasPassword, false);
  const [created] = (await audits(db, 'staff.create')).filter(
    (a) => a.details.new && (a.details.new as { account: string }).account === 'x1.user',
  );
  assert.is(Number(created!.staff_id), c.admin2477.staffId);
  assert.equal(created!.details.new, {
    name: '新同仁',
    email: 'x1@example.gov.tw',
    account: 'x1.user',
    institutionCode: '2477',
    role: 'reviewer',
  });
  // the same address or account again: refused with the field named, nothing saved
  const again = await createStaffAccount(
    db.pool,
    c.agency,
    input({ email: 'X1@example.gov.tw', account: 'X1.USER' }),
    ctxAt(NOW),
  );
  assert.equal(again, { ok: false, errors: { email: 'staff.error.emailTaken', account: 'staff.error.accountTaken' } });
  const bad = await createStaffAccount(
    db.pool,
    c.agency,
    input({ name: ' ', email: 'nope', account: 'a b', institution: '9999' }),
    ctxAt(NOW),
  );
  assert.equal(bad, {
    ok: false,
    errors: {
      name: 'staff.error.nameRequired',
      email: 'error.email.format',
      account: 'staff.error.accountFormat',
      institution: 'staff.error.institution',
    },
  });
  const agency = await createStaffAccount(
    db.pool,
    c.agency,
    input({ role: 'agency_admin', email: 'a2@example.gov.tw', account: 'agency2' }),
    ctxAt(NOW),
  );
  assert.ok(agency.ok);
  assert.is((await getStaffAccount(db.pool, c.agency, agency.ok ? agency.id : 0, LIMIT))?.institutionCode, null);
  await db.pool.query(`UPDATE staff SET active = false WHERE account = 'agency2'`);
});

test('a password-set link: hashed, single use, replaced by a newer one, expires after 72 hours', async ({
  db,
  ...c
}) => {
  const made = await createStaffAccount(
    db.pool,
    c.admin2477,
    input({ email: 'link@example.gov.tw', account: 'link.user' }),
    ctxAt(NOW),
  );
  assert.ok(made.ok);
  const first = await lastLink(db, 'link@example.gov.tw');
  const stored = await db.pool.query('SELECT 1 FROM staff_token WHERE token_hash = $1', [Buffer.from(first)]);
  assert.is(stored.rowCount, 0, 'the token itself is not stored');
  assert.is(await authenticateStaff(db.pool, 'link.user', ''), null, 'no password yet: cannot sign in');
  // a new link replaces the first
  assert.is(
    await sendPasswordLink(db.pool, c.admin2477, made.ok ? made.id : 0, ctxAt(new Date(NOW.getTime() + HOUR))),
    'ok',
  );
  const second = await lastLink(db, 'link@example.gov.tw');
  assert.is.not(first, second);
  assert.is(await checkStaffLink(db.pool, first, 'set_password', NOW), 'used');
  // the family rules: nothing used up by a refused password
  const short = await setPasswordWithLink(
    db.pool,
    { token: second, password: 'short', passwordConfirm: 'short', ip: null },
    NOW,
  );
  assert.equal(short, { kind: 'errors', errors: { password: 'error.password.short' } });
  assert.is(await checkStaffLink(db.pool, second, 'set_password', new Date(NOW.getTime() + HOUR)), 'valid');
  assert.is(await checkStaffLink(db.pool, second, 'set_password', new Date(NOW.getTime() + 73 * HOUR)), 'expired');
  const ok = await setPasswordWithLink(
    db.pool,
    { token: second, password: PASSWORD, passwordConfirm: PASSWORD, ip: '192.0.2.9' },
    new Date(NOW.getTime() + 2 * HOUR),
  );
  assert.equal(ok, { kind: 'ok', account: 'link.user' });
  assert.ok(await authenticateStaff(db.pool, 'link.user', PASSWORD));
  const reused = await setPasswordWithLink(
    db.pool,
    { token: second, password: PASSWORD, passwordConfirm: PASSWORD, ip: null },
    NOW,
  );
  assert.equal(reused, { kind: 'token', state: 'used' });
  assert.ok((await audits(db, 'staff.password_set')).some((a) => Number(a.object_id) === (made.ok ? made.id : 0)));
});

test('a disabled account loses its session and its links; re-enabled, it signs in again', async ({ db, ...c }) => {
  const made = await createStaffAccount(
    db.pool,
    c.admin2477,
    input({ email: 'off@example.gov.tw', account: 'off.user' }),
    ctxAt(NOW),
  );
  const id = made.ok ? made.id : 0;
  const token = await lastLink(db, 'off@example.gov.tw');
  assert.is(await setStaffActive(db.pool, c.admin2477, id, false, NOW), 'ok');
  assert.is(await getStaffMember(db.pool, id), null, 'the session reads nothing');
  assert.is(await checkStaffLink(db.pool, token, 'set_password', NOW), 'invalid');
  assert.is(await sendPasswordLink(db.pool, c.admin2477, id, ctxAt(NOW)), 'disabled');
  assert.is(await setStaffActive(db.pool, c.admin2477, id, true, NOW), 'ok');
  assert.is(await checkStaffLink(db.pool, token, 'set_password', NOW), 'valid');
  const log = (await audits(db, 'staff.disable')).filter((a) => Number(a.object_id) === id);
  assert.equal(log[0]!.details, { old: { active: true }, new: { active: false } });
});

test('nobody disables or demotes themselves; the last active agency administrator stays', async ({ db, ...c }) => {
  assert.is(await setStaffActive(db.pool, c.admin2477, c.admin2477.staffId, false, NOW), 'self');
  assert.is(
    await changeStaffRole(db.pool, c.agency, c.agency.staffId, { role: 'reviewer', institution: '2477' }, NOW),
    'self',
  );
  const second = await fixture.staff(db.pool, {
    account: 'agency3',
    name: '署管理者二',
    role: 'agency_admin',
    institutionCode: null,
  });
  const other = actor(second, 'agency_admin', null);
  // two active: one may demote the other (choosing the institution it then belongs to), audited
  assert.is(
    await changeStaffRole(db.pool, other, c.agency.staffId, { role: 'institution_admin', institution: '2411' }, NOW),
    'ok',
  );
  const [changed] = await audits(db, 'staff.role_change');
  assert.equal(changed!.details, {
    old: { role: 'agency_admin', institutionCode: null },
    new: { role: 'institution_admin', institutionCode: '2411' },
  });
  // now `other` is the last one: whoever acts (even a stale session of the demoted one) cannot remove it
  const stale = actor(c.agency.staffId, 'agency_admin', null);
  assert.is(await setStaffActive(db.pool, stale, second, false, NOW), 'lastAgencyAdmin');
  assert.is(
    await changeStaffRole(db.pool, stale, second, { role: 'reviewer', institution: '2477' }, NOW),
    'lastAgencyAdmin',
  );
  assert.is((await getStaffMember(db.pool, second))?.role, 'agency_admin');
  // an institution administrator moves accounts between reviewer and administrator only
  const rev = c.reviewer2477.staffId;
  assert.equal(await changeStaffRole(db.pool, c.admin2477, rev, { role: 'agency_admin', institution: '' }, NOW), {
    errors: { role: 'staff.error.role' },
  });
  assert.is(
    await changeStaffRole(db.pool, c.admin2477, rev, { role: 'institution_admin', institution: '2411' }, NOW),
    'ok',
  );
  assert.equal(await getStaffMember(db.pool, rev).then((s) => [s?.role, s?.institutionCode]), [
    'institution_admin',
    '2477',
  ]);
  await changeStaffRole(db.pool, c.admin2477, rev, { role: 'reviewer', institution: '' }, NOW);
});

test('an account over its failure limit is 已鎖定; unlocking or a password-set link clears every counter', async ({
  db,
  ...c
}) => {
  const made = await createStaffAccount(
    db.pool,
    c.admin2477,
    input({ email: 'lock@example.gov.tw', account: 'lock.user' }),
    ctxAt(NOW),
  );
  const id = made.ok ? made.id : 0;
  const later = Date.now() + 15 * 60_000;
  const fail = async () => {
    const keys = signInCounterKeys('198.51.100.1', 'lock.user');
    await db.pool.query(
      `INSERT INTO sign_in_failure (key, points, expire) VALUES ($1, $3, $4), ($2, 10, $4)
       ON CONFLICT (key) DO UPDATE SET points = excluded.points, expire = excluded.expire`,
      [`staff-account:${keys.account}`, `staff-address-account:${keys.addressAndAccount}`, LIMIT, later],
    );
  };
  const counters = async () =>
    (
      await db.pool.query('SELECT key FROM sign_in_failure WHERE key = $1 OR key LIKE $2', [
        accountCounterRows('staff', 'lock.user').account,
        accountCounterRows('staff', 'lock.user').perAddress,
      ])
    ).rowCount;
  // under the limit, or expired: not locked
  await db.pool.query(`INSERT INTO sign_in_failure (key, points, expire) VALUES ($1, 9, $2)`, [
    `staff-account:${hashedKey('lock.user')}`,
    later,
  ]);
  assert.is((await getStaffAccount(db.pool, c.admin2477, id, LIMIT))?.locked, false);
  await db.pool.query(`UPDATE sign_in_failure SET points = 12, expire = $2 WHERE key = $1`, [
    `staff-account:${hashedKey('lock.user')}`,
    Date.now() - 1000,
  ]);
  assert.is((await getStaffAccount(db.pool, c.admin2477, id, LIMIT))?.locked, false, 'expired');
  await fail();
  assert.is((await getStaffAccount(db.pool, c.admin2477, id, LIMIT))?.locked, true);
  assert.ok(
    (await listStaffAccounts(db.pool, c.admin2477, { institutionCode: null }, LIMIT)).find((a) => a.id === id)?.locked,
  );
  assert.is(await counters(), 2);
  assert.is(await unlockStaffAccount(db.pool, c.admin2477, id, LIMIT, NOW), 'ok');
  assert.is(await counters(), 0, 'the per-address counters of the account too');
  assert.is((await getStaffAccount(db.pool, c.admin2477, id, LIMIT))?.locked, false);
  const [unlocked] = (await audits(db, 'staff.unlock')).filter((a) => Number(a.object_id) === id);
  assert.equal(unlocked!.details, { old: { locked: true }, new: { locked: false } });
  // other accounts' counters are left alone
  await fail();
  await db.pool.query(`INSERT INTO sign_in_failure (key, points, expire) VALUES ($1, 10, $2)`, [
    `staff-account:${hashedKey('rev2477')}`,
    later,
  ]);
  const token = await lastLink(db, 'lock@example.gov.tw');
  assert.equal(
    (await setPasswordWithLink(db.pool, { token, password: PASSWORD, passwordConfirm: PASSWORD, ip: null }, NOW)).kind,
    'ok',
  );
  assert.is(await counters(), 0, 'the link unlocks');
  assert.is((await getStaffAccount(db.pool, c.admin2477, c.reviewer2477.staffId, LIMIT))?.locked, true);
});

test('基本資料修改: own name at once, e-mail only once confirmed, password with the current one', async ({
  db,
  ...c
}) => {
  const me = c.reviewer2477;
  await db.pool.query(`UPDATE staff SET email = 'rev@example.gov.tw' WHERE id = $1`, [me.staffId]);
  assert.equal(await updateOwnName(db.pool, me, '  ', NOW), {
    ok: false,
    errors: { name: 'staff.error.nameRequired' },
  });
  assert.equal(await updateOwnName(db.pool, me, '桃園 審核員', NOW), { ok: true });
  assert.equal((await audits(db, 'staff.name_change')).at(-1)!.details, {
    old: { name: '桃園審核' },
    new: { name: '桃園 審核員' },
  });
  assert.equal(await requestOwnEmailChange(db.pool, me, 'admin2477@x', ctxAt(NOW)), {
    ok: false,
    errors: { email: 'error.email.format' },
  });
  assert.equal(await requestOwnEmailChange(db.pool, me, 'REV@example.gov.tw', ctxAt(NOW)), {
    ok: false,
    errors: { email: 'staff.error.emailSame' },
  });
  assert.equal(await requestOwnEmailChange(db.pool, me, 'lock@example.gov.tw', ctxAt(NOW)), {
    ok: false,
    errors: { email: 'staff.error.emailTaken' },
  });
  assert.equal(await requestOwnEmailChange(db.pool, me, 'rev.new@example.gov.tw', ctxAt(NOW)), {
    ok: true,
    email: 'rev.new@example.gov.tw',
  });
  assert.is((await getStaffMember(db.pool, me.staffId))?.email, 'rev@example.gov.tw', 'unchanged until confirmed');
  const token = await lastLink(db, 'rev.new@example.gov.tw');
  assert.is(await checkStaffLink(db.pool, token, 'set_password', NOW), 'invalid', 'not a password link');
  assert.equal(await confirmEmailWithLink(db.pool, token, null, NOW), { kind: 'ok', email: 'rev.new@example.gov.tw' });
  assert.equal(await confirmEmailWithLink(db.pool, token, null, NOW), { kind: 'token', state: 'used' });
  assert.is((await getStaffMember(db.pool, me.staffId))?.email, 'rev.new@example.gov.tw');
  assert.equal((await audits(db, 'staff.email_change')).at(-1)!.details, {
    old: { email: 'rev@example.gov.tw' },
    new: { email: 'rev.new@example.gov.tw' },
  });
  await db.pool.query(
    `UPDATE staff SET password_hash = (SELECT password_hash FROM staff WHERE account = 'link.user') WHERE id = $1`,
    [me.staffId],
  );
  const wrong = await changeOwnPassword(
    db.pool,
    me,
    { currentPassword: 'not it', password: 'short', passwordConfirm: 'x' },
    'sid',
    NOW,
  );
  assert.equal(wrong, {
    ok: false,
    errors: { password: 'error.password.short', currentPassword: 'error.currentPassword.wrong' },
  });
  const mismatch = await changeOwnPassword(
    db.pool,
    me,
    { currentPassword: PASSWORD, password: 'another pass 2', passwordConfirm: 'another pass 3' },
    'sid',
    NOW,
  );
  assert.equal(mismatch, { ok: false, errors: { passwordConfirm: 'error.passwordConfirm.mismatch' } });
  assert.equal(
    await changeOwnPassword(
      db.pool,
      me,
      { currentPassword: PASSWORD, password: 'another pass 2', passwordConfirm: 'another pass 2' },
      'sid',
      NOW,
    ),
    { ok: true },
  );
  assert.ok(await authenticateStaff(db.pool, 'rev2477', 'another pass 2'));
  const [changed] = await audits(db, 'staff.password_change');
  assert.equal(changed!.details, { changed: ['password'] }, 'no password or hash in the log');
});

test('the admin command: creates an agency administrator once, then says it exists', async ({ db }) => {
  const first = await createAgencyAdminFromCommand(
    db.pool,
    { email: 'Chief@Example.gov.tw', name: '署長室' },
    ctxAt(NOW),
  );
  assert.is(first.kind, 'created');
  if (first.kind !== 'created') return;
  assert.is(first.account, 'chief');
  assert.match(first.link, /^https:\/\/portal\.example\/backoffice\/password\?token=[\w-]{43}$/);
  assert.is(await lastLink(db, 'Chief@Example.gov.tw'), new URL(first.link).searchParams.get('token'));
  const [made] = (await audits(db, 'staff.create')).filter((a) => Number(a.object_id) === first.id);
  assert.is(made!.staff_id, null, 'nobody signed in');
  assert.is(made!.details.via, 'admin command');
  const again = await createAgencyAdminFromCommand(
    db.pool,
    { email: 'chief@example.gov.tw', name: '別人' },
    ctxAt(NOW),
  );
  assert.equal(again, { kind: 'exists', account: 'chief', role: 'agency_admin' });
  const { rows } = await db.pool.query(`SELECT name FROM staff WHERE lower(email) = 'chief@example.gov.tw'`);
  assert.equal(rows, [{ name: '署長室' }], 'nothing changed');
  const taken = await createAgencyAdminFromCommand(
    db.pool,
    { email: 'other@example.gov.tw', name: 'x', account: 'chief' },
    ctxAt(NOW),
  );
  assert.equal(taken, { kind: 'errors', errors: { account: 'staff.error.accountTaken' } });
});

test.run();
