import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { familyWithContactBook } from '../support/scenarios.ts';
import { submitPost } from '../../domain/contact-book/posts.ts';
import {
  getFamilyRecord,
  familySignInCounterRows,
  searchFamilies,
  signInLock,
} from '../../domain/applicants/family-records.ts';
import { correctIdentity } from '../../domain/applicants/corrections.ts';
import {
  decideCorrectionRequest,
  getCorrectionRequest,
  latestCorrectionRequest,
  listCorrectionRequests,
  submitCorrectionRequest,
} from '../../domain/applicants/correction-requests.ts';
import {
  disableAccount,
  enableAccount,
  resendVerification,
  unlockSignIn,
} from '../../domain/applicants/account-controls.ts';
import { authenticate, getApplicant } from '../../domain/applicants/accounts.ts';
import { StaffNotAllowed, type StaffActor } from '../../domain/shared/staff-actor.ts';

type Ctx = {
  db: TestDb;
  admin2477: StaffActor;
  admin2411: StaffActor;
  agency: StaffActor;
  reviewer: StaffActor;
  alice: number;
  bob: number;
  carol: number;
};
const test = suite<Ctx>(
  'family records: scope of an institution, search, the identity trigger, corrections, account controls, correction requests',
);
const NOW = new Date('2026-11-27T02:00:00Z');
const PASSWORD = 'family password 1';
const actor = (staffId: number, role: StaffActor['role'], institutionCode: string | null): StaffActor => ({
  staffId,
  role,
  institutionCode,
  ip: '10.0.0.9',
});
const identity = (name: string, nationalId: string, birthday = '1980-01-01', reason = '戶政資料為準') => {
  const [y, m, d] = birthday.split('-');
  return { name, nationalId, birthYear: y!, birthMonth: m!, birthDay: d!, reason };
};
const row = async (ctx: Ctx, id: number) =>
  (await ctx.db.pool.query('SELECT name, national_id, birthday FROM applicant WHERE id = $1', [id])).rows[0];

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await fixture.institution(pool, { code: '2477' });
  await fixture.institution(pool, { code: '2411' });
  const s = (account: string, role: StaffActor['role'], code: string | null) =>
    fixture.staff(pool, { account, name: account, role, institutionCode: code });
  ctx.admin2477 = actor(await s('admin2477', 'institution_admin', '2477'), 'institution_admin', '2477');
  ctx.admin2411 = actor(await s('admin2411', 'institution_admin', '2411'), 'institution_admin', '2411');
  ctx.agency = actor(await s('agency', 'agency_admin', null), 'agency_admin', null);
  ctx.reviewer = actor(await s('reviewer2477', 'reviewer', '2477'), 'reviewer', '2477');
  // Alice applied for an inmate of 2477; Bob sent a post to an inmate of 2411; Carol did nothing yet.
  ctx.alice = await fixture.applicant(pool, {
    name: '王小美',
    nationalId: 'A259083012',
    email: 'Alice@Example.com',
    mobile: '0912345678',
    password: PASSWORD,
  });
  const inmate2477 = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王大明' });
  await fixture.approvedService(pool, {
    applicant: ctx.alice,
    inmate: inmate2477,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
    status: 'pending',
  });
  const bob = await familyWithContactBook(pool, {
    name: '林小剛',
    nationalId: 'B166131862',
    email: 'bob@example.com',
    institutionCode: '2411',
    callNumber: '2048',
  });
  ctx.bob = bob.applicant;
  const sent = await submitPost(
    pool,
    {
      applicantId: bob.applicant,
      applicationId: bob.book,
      title: '近況',
      body: '家裡都好。',
      photo: null,
      submissionKey: randomUUID(),
    },
    NOW,
  );
  assert.is(sent.kind, 'posted');
  ctx.carol = await fixture.applicant(pool, { name: '陳小華', nationalId: 'E196030826', email: 'carol@example.com' });
});
test.after(async (ctx) => {
  await ctx.db.drop();
});

test('an institution’s families are those with an application, booking or post for one of its inmates', async (ctx) => {
  const { rows } = await ctx.db.pool.query(
    'SELECT applicant_id, institution_code FROM applicant_institution ORDER BY applicant_id',
  );
  assert.equal(
    rows.map((r) => [r.applicant_id, r.institution_code]),
    [
      [ctx.alice, '2477'],
      [ctx.bob, '2411'],
    ],
  );
  // The post leg alone (without the application) still counts.
  const posts = await ctx.db.pool.query(
    `SELECT p.applicant_id, m.institution_code FROM contact_book_post p JOIN inmate m ON m.id = p.inmate_id`,
  );
  assert.equal(
    posts.rows.map((r) => [r.applicant_id, r.institution_code]),
    [[ctx.bob, '2411']],
  );
});

test('search finds by part of a name, ID number, e-mail in any case or mobile, only in scope, IDs masked, audited', async (ctx) => {
  const names = async (a: StaffActor, q: string) =>
    (await searchFamilies(ctx.db.pool, a, q, NOW))!.items.map((i) => i.name);
  assert.equal(await names(ctx.admin2477, '小'), ['王小美']);
  assert.equal(await names(ctx.admin2411, '小'), ['林小剛']);
  assert.equal((await names(ctx.agency, '小')).sort(), ['林小剛', '王小美', '陳小華'].sort());
  assert.equal(await names(ctx.admin2477, 'a259083012'), ['王小美']);
  assert.equal(await names(ctx.admin2411, 'A259083012'), [], 'another institution’s family is not found');
  assert.equal(await names(ctx.admin2477, 'ALICE@example.COM'), ['王小美']);
  assert.equal(await names(ctx.admin2477, '0912-345-678'), ['王小美']);
  assert.equal(await names(ctx.admin2477, '%'), [], 'a wildcard is a character, not a pattern');
  const found = await searchFamilies(ctx.db.pool, ctx.admin2477, '王小美', NOW);
  assert.is(found!.items[0]!.nationalIdMasked, '******3012');
  const { rows } = await ctx.db.pool.query(
    `SELECT details FROM audit_log WHERE action = 'family.search' AND staff_id = $1 ORDER BY id`,
    [ctx.admin2477.staffId],
  );
  assert.equal(
    rows.map((r) => r.details.query),
    ['小', 'a259083012', 'ALICE@example.COM', '0912-345-678', '%', '王小美'],
  );
  assert.is(rows[1].details.kind, 'national_id');
  assert.is(await searchFamilies(ctx.db.pool, ctx.admin2477, '   ', NOW), null, 'an empty search is no search');
});

test('a record shows only what concerns the staff member’s institution; outside it is not found; reviewers may not', async (ctx) => {
  const opts = { locale: 'zh-TW' as const, signInLimit: 30 };
  const a = await getFamilyRecord(ctx.db.pool, ctx.admin2477, ctx.alice, opts);
  assert.is(a!.applications.length, 1);
  assert.is(a!.applications[0]!.callNumber, '1024');
  assert.is(await getFamilyRecord(ctx.db.pool, ctx.admin2411, ctx.alice, opts), null);
  assert.is(await getFamilyRecord(ctx.db.pool, ctx.admin2477, ctx.carol, opts), null);
  const b = await getFamilyRecord(ctx.db.pool, ctx.agency, ctx.bob, opts);
  assert.is(b!.posts.length, 1);
  assert.is(b!.applications.length, 1);
  assert.ok(await getFamilyRecord(ctx.db.pool, ctx.agency, ctx.carol, opts), 'the agency sees everyone');
  try {
    await getFamilyRecord(ctx.db.pool, ctx.reviewer, ctx.alice, opts);
    assert.unreachable('a reviewer is refused');
  } catch (err) {
    assert.instance(err, StaffNotAllowed);
  }
});

test('the identity trigger refuses a plain UPDATE, a flag naming no active staff, and the e-mail even with the flag', async (ctx) => {
  const refused = async (sql: string, params: unknown[], before: string[] = []) => {
    const c = await ctx.db.pool.connect();
    try {
      await c.query('BEGIN');
      for (const s of before) await c.query(s);
      await c.query(sql, params);
      await c.query('ROLLBACK');
      return false;
    } catch (err) {
      await c.query('ROLLBACK');
      return (err as { code?: string }).code === '23514';
    } finally {
      c.release();
    }
  };
  const rename: [string, unknown[]] = ['UPDATE applicant SET name = $2 WHERE id = $1', [ctx.carol, '陳大華']];
  assert.ok(await refused(...rename), 'a plain UPDATE');
  assert.ok(await refused('UPDATE applicant SET birthday = $2 WHERE id = $1', [ctx.carol, '1990-01-01']));
  assert.ok(await refused('UPDATE applicant SET national_id = $2 WHERE id = $1', [ctx.carol, 'E246281946']));
  assert.ok(await refused(...rename, [`SELECT set_config('portal.identity_correction', '999999', true)`]));
  assert.ok(await refused(...rename, [`SELECT set_config('portal.identity_correction', 'x; drop', true)`]));
  await ctx.db.pool.query(`UPDATE staff SET active = false WHERE id = $1`, [ctx.reviewer.staffId]);
  assert.ok(
    await refused(...rename, [`SELECT set_config('portal.identity_correction', '${ctx.reviewer.staffId}', true)`]),
  );
  await ctx.db.pool.query(`UPDATE staff SET active = true WHERE id = $1`, [ctx.reviewer.staffId]);
  const flag = `SELECT set_config('portal.identity_correction', '${ctx.admin2477.staffId}', true)`;
  assert.ok(await refused('UPDATE applicant SET email = $2 WHERE id = $1', [ctx.carol, 'x@example.com'], [flag]));
  assert.not.ok(await refused(...rename, [flag]), 'with the flag, inside the transaction, it may change');
  // The flag is local: once its transaction is over, the same connection is refused again.
  const c = await ctx.db.pool.connect();
  try {
    await c.query('BEGIN');
    await c.query(flag);
    await c.query('COMMIT');
    const err = await c.query(...rename).then(
      () => null,
      (e) => e,
    );
    assert.is(err?.code, '23514');
  } finally {
    c.release();
  }
  assert.is((await row(ctx, ctx.carol)).name, '陳小華');
});

test('staff correct name, ID number and birthday with a reason: validated, audited old → new, mailed through the outbox', async (ctx) => {
  const pool = ctx.db.pool;
  const bad = await correctIdentity(
    pool,
    ctx.admin2477,
    ctx.alice,
    identity('王小美', 'A259083013', '1980-01-01', ''),
    NOW,
  );
  assert.equal(bad, {
    kind: 'errors',
    errors: { nationalId: 'error.nationalId.checksum', reason: 'error.family.reasonRequired' },
  });
  const same = await correctIdentity(pool, ctx.admin2477, ctx.alice, identity('王小美', 'A259083012'), NOW);
  assert.equal(same, { kind: 'errors', errors: { name: 'error.family.nothingChanged' } });
  const taken = await correctIdentity(pool, ctx.admin2477, ctx.alice, identity('王小美', 'B166131862'), NOW);
  assert.equal(taken, { kind: 'errors', errors: { nationalId: 'error.family.idTaken' } });
  assert.equal(
    await correctIdentity(pool, ctx.admin2411, ctx.alice, identity('王美', 'A259083012'), NOW),
    { kind: 'not_found' },
    'another institution cannot correct her',
  );
  const done = await correctIdentity(
    pool,
    ctx.admin2477,
    ctx.alice,
    identity(' 王 小玫 ', 'a152601814', '1981-02-03'),
    NOW,
  );
  assert.is(done.kind, 'corrected');
  assert.equal(await row(ctx, ctx.alice), { name: '王 小玫', national_id: 'A152601814', birthday: '1981-02-03' });
  const audit = await pool.query(
    `SELECT staff_id, ip, details FROM audit_log WHERE action = 'family.identity_corrected' AND object_id = $1`,
    [ctx.alice],
  );
  assert.is(audit.rows.length, 1);
  assert.equal(audit.rows[0].details, {
    reason: '戶政資料為準',
    old: { name: '王小美', nationalId: 'A259083012', birthday: '1980-01-01' },
    new: { name: '王 小玫', nationalId: 'A152601814', birthday: '1981-02-03' },
  });
  assert.is(audit.rows[0].ip, '10.0.0.9');
  const mail = await pool.query(
    `SELECT n.id, n.recipient, n.subject, n.body_text, n.institution_code FROM notification n WHERE applicant_id = $1 ORDER BY id DESC LIMIT 1`,
    [ctx.alice],
  );
  const m = mail.rows[0];
  assert.is(m.recipient, 'Alice@Example.com');
  assert.is(m.subject, '便民服務入口網：您的基本資料已更正');
  assert.match(m.body_text, '姓名：王小美 → 王 小玫');
  assert.match(m.body_text, '身分證：******3012 → ******1814');
  assert.match(m.body_text, '生日：1980/01/01 → 1981/02/03');
  assert.match(m.body_text, '原因：戶政資料為準');
  assert.not.match(m.body_text, 'A152601814', 'the ID number is masked in the mail');
  assert.is(m.institution_code, '2477');
  const job = await pool.query(
    `SELECT 1 FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'deliver_notification' AND (j.payload->>'id')::bigint = $1`,
    [m.id],
  );
  assert.is(job.rowCount, 1, 'its delivery job is queued with it');
});

test('disabling refuses sign-in (only to the right password) and ends sessions; enabling restores it; both audited', async (ctx) => {
  const pool = ctx.db.pool;
  await pool.query(
    `INSERT INTO session (sid, sess, expire) VALUES ('s-alice', $1, now() + interval '1 hour'), ('s-other', $2, now() + interval '1 hour')`,
    [
      JSON.stringify({ passport: { user: { kind: 'applicant', id: ctx.alice } } }),
      JSON.stringify({ passport: { user: { kind: 'applicant', id: ctx.bob } } }),
    ],
  );
  assert.equal(await disableAccount(pool, ctx.admin2477, ctx.alice, ' ', NOW), {
    kind: 'errors',
    errors: { reason: 'error.family.reasonRequired' },
  });
  assert.equal(await disableAccount(pool, ctx.admin2411, ctx.alice, '冒用', NOW), { kind: 'not_found' });
  assert.equal(await disableAccount(pool, ctx.admin2477, ctx.alice, '冒用他人身分', NOW), { kind: 'disabled' });
  assert.equal(await disableAccount(pool, ctx.admin2477, ctx.alice, '冒用他人身分', NOW), { kind: 'already_disabled' });
  assert.is((await authenticate(pool, 'alice@example.com', PASSWORD)).kind, 'disabled');
  assert.is((await authenticate(pool, 'alice@example.com', 'wrong password')).kind, 'invalid');
  assert.is(await getApplicant(pool, ctx.alice), null, 'a disabled account is nobody to the pages');
  const sessions = await pool.query(`SELECT sid FROM session ORDER BY sid`);
  assert.equal(
    sessions.rows.map((r) => r.sid),
    ['s-other'],
  );
  assert.equal(await enableAccount(pool, ctx.admin2477, ctx.alice, NOW), { kind: 'enabled' });
  assert.equal(await enableAccount(pool, ctx.admin2477, ctx.alice, NOW), { kind: 'not_disabled' });
  assert.is((await authenticate(pool, 'alice@example.com', PASSWORD)).kind, 'ok');
  const audit = await pool.query(
    `SELECT action, details FROM audit_log WHERE object_id = $1 AND action IN ('family.disabled', 'family.enabled') ORDER BY id`,
    [ctx.alice],
  );
  assert.equal(
    audit.rows.map((r) => [r.action, r.details]),
    [
      ['family.disabled', { reason: '冒用他人身分' }],
      ['family.enabled', { previousReason: '冒用他人身分' }],
    ],
  );
});

test('unlock clears the failure count across addresses; resend mails a new link only to an unconfirmed account', async (ctx) => {
  const pool = ctx.db.pool;
  // Failures across addresses, and from one address (its key starts with the account's hash).
  const counters = familySignInCounterRows('alice@example.com');
  for (const key of [counters.account, counters.perAddress.replace('%', 'address-hash')])
    await pool.query(
      `INSERT INTO sign_in_failure (key, points, expire) VALUES ($1, 30, (extract(epoch FROM now()) * 1000 + 600000)::bigint)`,
      [key],
    );
  assert.ok((await signInLock(pool, 'Alice@Example.com', 30)).locked);
  assert.not.ok((await signInLock(pool, 'Alice@Example.com', 31)).locked);
  assert.equal(await unlockSignIn(pool, ctx.admin2411, ctx.alice, NOW), { kind: 'not_found' });
  assert.equal(await unlockSignIn(pool, ctx.admin2477, ctx.alice, NOW), { kind: 'unlocked' });
  assert.not.ok((await signInLock(pool, 'Alice@Example.com', 30)).locked);
  assert.is((await pool.query('SELECT 1 FROM sign_in_failure')).rowCount, 0, 'the per-address count is gone too');
  const unlockAudit = await pool.query(`SELECT details FROM audit_log WHERE action = 'family.unlocked'`);
  assert.equal(unlockAudit.rows[0].details, { cleared: true });

  const ctxLink = { now: new Date(), publicUrl: 'https://portal.example' };
  assert.equal(await resendVerification(pool, ctx.admin2477, ctx.alice, ctxLink), { kind: 'already_verified' });
  const dan = await fixture.applicant(pool, {
    name: '張大同',
    nationalId: 'F182199359',
    email: 'dan@example.com',
    verified: false,
  });
  await fixture.approvedService(pool, {
    applicant: dan,
    inmate: { institutionCode: '2477', callNumber: '1024' },
    service: 'contact_book',
    relationship: 'spouse',
    status: 'pending',
  });
  assert.equal(await resendVerification(pool, ctx.admin2477, dan, ctxLink), { kind: 'sent' });
  const mail = await pool.query(`SELECT subject, body_text FROM notification WHERE applicant_id = $1`, [dan]);
  assert.is(mail.rows.length, 1);
  assert.match(mail.rows[0].body_text, '[[link]]', 'the link travels only in the job');
  const tokens = await pool.query(
    `SELECT 1 FROM applicant_token WHERE applicant_id = $1 AND purpose = 'verify_email'`,
    [dan],
  );
  assert.is(tokens.rowCount, 1);
});

test('a correction request: one open at a time, queued for the family’s institutions, refused with a reason or accepted and applied', async (ctx) => {
  const pool = ctx.db.pool;
  const ask = (over: Partial<ReturnType<typeof identity>>) =>
    submitCorrectionRequest(
      pool,
      ctx.bob,
      { name: '', nationalId: '', birthYear: '', birthMonth: '', birthDay: '', reason: '註冊時打錯字', ...over },
      NOW,
    );
  assert.equal(await ask({}), { kind: 'errors', errors: { name: 'error.correction.nothing' } });
  assert.equal(await ask({ name: '林小剛' }), { kind: 'errors', errors: { name: 'error.correction.nothing' } });
  assert.equal(await ask({ birthYear: '1980', reason: '' }), {
    kind: 'errors',
    errors: { birthday: 'error.birthday.invalid', reason: 'error.family.reasonRequired' },
  });
  assert.equal(await ask({ name: '林小鋼' }), { kind: 'submitted' });
  assert.equal(await ask({ name: '林曉剛' }), { kind: 'already_open' });
  const open = await latestCorrectionRequest(pool, ctx.bob);
  assert.equal([open!.status, open!.name, open!.nationalId, open!.birthday], ['pending', '林小鋼', null, null]);
  assert.equal(
    (await listCorrectionRequests(pool, ctx.admin2411)).map((r) => r.applicantName),
    ['林小剛'],
  );
  assert.equal(await listCorrectionRequests(pool, ctx.admin2477), [], 'not a family of 2477');
  assert.is(await getCorrectionRequest(pool, ctx.admin2477, open!.id), null);
  assert.is((await listCorrectionRequests(pool, ctx.agency)).length, 1);

  assert.equal(await decideCorrectionRequest(pool, ctx.admin2477, open!.id, { decision: 'accept' }, NOW), {
    kind: 'not_found',
  });
  assert.equal(await decideCorrectionRequest(pool, ctx.admin2411, open!.id, { decision: 'refuse', reason: '' }, NOW), {
    kind: 'errors',
    errors: { reason: 'error.family.reasonRequired' },
  });
  assert.equal(
    await decideCorrectionRequest(pool, ctx.admin2411, open!.id, { decision: 'refuse', reason: '請附戶籍資料' }, NOW),
    { kind: 'refused' },
  );
  assert.equal(await decideCorrectionRequest(pool, ctx.admin2411, open!.id, { decision: 'accept' }, NOW), {
    kind: 'already_decided',
  });
  const refused = await latestCorrectionRequest(pool, ctx.bob);
  assert.equal([refused!.status, refused!.refusalReason], ['refused', '請附戶籍資料']);
  assert.is((await row(ctx, ctx.bob)).name, '林小剛');
  const refusalMail = await pool.query(
    `SELECT subject, body_text FROM notification WHERE applicant_id = $1 ORDER BY id DESC LIMIT 1`,
    [ctx.bob],
  );
  assert.is(refusalMail.rows[0].subject, '便民服務入口網：您的基本資料更正申請未通過');
  assert.match(refusalMail.rows[0].body_text, '原因：請附戶籍資料');

  assert.equal(await ask({ name: '林小鋼', birthYear: '1979', birthMonth: '12', birthDay: '31' }), {
    kind: 'submitted',
  });
  const second = await latestCorrectionRequest(pool, ctx.bob);
  const accepted = await decideCorrectionRequest(pool, ctx.admin2411, second!.id, { decision: 'accept' }, NOW);
  assert.is(accepted.kind, 'accepted');
  assert.equal(await row(ctx, ctx.bob), { name: '林小鋼', national_id: 'B166131862', birthday: '1979-12-31' });
  assert.is((await latestCorrectionRequest(pool, ctx.bob))!.status, 'accepted');
  const acceptMail = await pool.query(
    `SELECT subject, body_text FROM notification WHERE applicant_id = $1 ORDER BY id DESC LIMIT 1`,
    [ctx.bob],
  );
  assert.is(acceptMail.rows[0].subject, '便民服務入口網：您的基本資料已更正');
  assert.match(acceptMail.rows[0].body_text, '姓名：林小剛 → 林小鋼');
  assert.match(acceptMail.rows[0].body_text, '2026/11/27 申請的基本資料更正已經完成');
  // Corrected by staff meanwhile: accepting changes nothing, and the family still hears the answer.
  assert.equal(await ask({ name: '林大剛' }), { kind: 'submitted' });
  const third = await latestCorrectionRequest(pool, ctx.bob);
  const byStaff = await correctIdentity(pool, ctx.agency, ctx.bob, identity('林大剛', 'B166131862', '1979-12-31'), NOW);
  assert.is(byStaff.kind, 'corrected');
  assert.equal(await decideCorrectionRequest(pool, ctx.admin2411, third!.id, { decision: 'accept' }, NOW), {
    kind: 'accepted',
    changes: [],
  });
  const answer = await pool.query(
    `SELECT body_text FROM notification WHERE applicant_id = $1 ORDER BY id DESC LIMIT 1`,
    [ctx.bob],
  );
  assert.match(answer.rows[0].body_text, '您的資料已經是申請的內容');
  const audit = await pool.query(
    `SELECT action FROM audit_log WHERE staff_id = $1 AND action LIKE 'family.%' ORDER BY id`,
    [ctx.admin2411.staffId],
  );
  assert.equal(
    audit.rows.map((r) => r.action).filter((a) => a !== 'family.search'),
    [
      'family.correction_refused',
      'family.correction_accepted',
      'family.identity_corrected',
      'family.correction_accepted',
    ],
  );
});

test('a name registered under an older rule is kept as it is while the rest of the record is corrected', async (ctx) => {
  const pool = ctx.db.pool;
  const dave = await fixture.applicant(pool, {
    name: 'Dave Lin 2',
    nationalId: 'A223456781',
    email: 'dave@example.com',
  });
  const inmate = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1025', name: '林大同' });
  await fixture.approvedService(pool, {
    applicant: dave,
    inmate,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'father',
  });
  const done = await correctIdentity(
    pool,
    ctx.admin2477,
    dave,
    identity('Dave Lin 2', 'A223456781', '1975-05-06'),
    NOW,
  );
  assert.is(done.kind, 'corrected');
  assert.equal(await row(ctx, dave), { name: 'Dave Lin 2', national_id: 'A223456781', birthday: '1975-05-06' });
  // A new name is held to today's rule, the character named.
  assert.equal(
    await correctIdentity(pool, ctx.admin2477, dave, identity('Dave Lin 3', 'A223456781', '1975-05-06'), NOW),
    {
      kind: 'errors',
      errors: { name: { key: 'error.name.character', params: { char: '3' } } },
    },
  );
});

test.run();
