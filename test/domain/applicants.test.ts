import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { authenticate, changePassword, updateContact } from '../../domain/applicants/accounts.ts';
import { register, validateRegistration, type Registration } from '../../domain/applicants/registration.ts';
import { checkResetToken, resetPassword, verifyEmail } from '../../domain/applicants/links.ts';
import { VERIFY_LINK_MINUTES } from '../../domain/applicants/vocabulary.ts';
import { person } from '../support/journeys.ts';

const test = suite<{ db: TestDb }>('applicants');
test.before(async (ctx) => {
  ctx.db = await freshDatabase();
});
test.after(async (ctx) => {
  await ctx.db.drop();
});

const T0 = new Date('2026-11-23T03:00:00Z');
const at = (minutes: number, seconds = 0) => new Date(T0.getTime() + minutes * 60_000 + seconds * 1000);
const ctx = { now: T0, publicUrl: 'http://portal.test', locale: 'zh-TW' as const, consentAt: T0 };

function valid(overrides = {}): Registration {
  const r = validateRegistration(person(overrides), T0);
  if (!r.ok) throw new Error(`test data invalid: ${JSON.stringify(r.errors)}`);
  return r.value;
}

/** The token of the last verification mail queued: read from the delivery job, as the worker would. */
async function lastLinkToken(db: TestDb, email: string): Promise<string> {
  const { rows } = await db.pool.query(
    `SELECT j.payload FROM graphile_worker._private_jobs j WHERE (j.payload->>'id')::bigint =
       (SELECT max(id) FROM notification WHERE lower(recipient) = lower($1))`,
    [email],
  );
  const link: string = rows[0].payload.secrets['[[link]]'];
  return new URL(link).searchParams.get('token')!;
}

test('e-mail addresses are unique whatever their case', async ({ db }) => {
  const r = valid({ email: 'Mixed.Case@Example.com' });
  assert.is((await register(db.pool, r, ctx)).kind, 'created');
  const again = await register(db.pool, valid({ email: 'mixed.case@EXAMPLE.COM' }), ctx);
  assert.is(again.kind, 'email_taken');
  // The database refuses it too, whatever the code does.
  try {
    await fixture.applicant(db.pool, {
      name: 'x',
      nationalId: 'A259083012',
      email: 'MIXED.case@example.com',
      verified: false,
    });
    assert.unreachable('duplicate e-mail inserted');
  } catch (err) {
    assert.is((err as { code: string }).code, '23505');
  }
});

test('a national ID is registered once', async ({ db }) => {
  const r = valid();
  assert.is((await register(db.pool, r, ctx)).kind, 'created');
  assert.is((await register(db.pool, { ...valid(), nationalId: r.nationalId }, ctx)).kind, 'national_id_taken');
});

test('two registrations racing for one address: exactly one account', async ({ db }) => {
  const email = 'race@example.com';
  const results = await Promise.all([
    register(db.pool, valid({ email }), ctx),
    register(db.pool, valid({ email }), ctx),
  ]);
  assert.equal(results.map((r) => r.kind).sort(), ['created', 'email_taken']);
});

test('the verification link works until 10 minutes have passed, then says expired', async ({ db }) => {
  const r1 = valid();
  await register(db.pool, r1, ctx);
  const t1 = await lastLinkToken(db, r1.email);
  assert.is(await verifyEmail(db.pool, t1, at(VERIFY_LINK_MINUTES, -1)), 'valid', 'at 9:59');
  assert.is(await verifyEmail(db.pool, t1, at(VERIFY_LINK_MINUTES, 1)), 'used', 'single use');

  const r2 = valid();
  await register(db.pool, r2, ctx);
  const t2 = await lastLinkToken(db, r2.email);
  assert.is(await verifyEmail(db.pool, t2, at(VERIFY_LINK_MINUTES)), 'expired', 'at exactly 10:00');
  assert.is(await verifyEmail(db.pool, 'x'.repeat(43), T0), 'invalid');
  assert.is((await authenticate(db.pool, r2.email, r2.password)).kind, 'unverified');
  assert.is((await authenticate(db.pool, r1.email.toUpperCase(), r1.password)).kind, 'ok');
});

test('only a hash of a token is stored', async ({ db }) => {
  const r = valid();
  await register(db.pool, r, ctx);
  const token = await lastLinkToken(db, r.email);
  const { rows } = await db.pool.query(
    `SELECT count(*)::int AS n FROM applicant_token WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'`,
    [token],
  );
  assert.is(rows[0].n, 0);
});

test('wrong password and unknown address give the same answer', async ({ db }) => {
  const r = valid();
  await register(db.pool, r, ctx);
  assert.is((await authenticate(db.pool, r.email, 'wrong password')).kind, 'invalid');
  assert.is((await authenticate(db.pool, 'nobody@example.com', r.password)).kind, 'invalid');
});

test('name, ID number, e-mail and birthday can never change; mobile and phone can', async ({ db }) => {
  const r = valid();
  const created = await register(db.pool, r, ctx);
  assert.is(created.kind, 'created');
  const id = (created as { applicantId: number }).applicantId;
  for (const [column, value] of [
    ['name', '別人'],
    ['national_id', 'A259083012'],
    ['email', 'other@example.com'],
    ['birthday', '1990-01-01'],
  ]) {
    try {
      await db.pool.query(`UPDATE applicant SET ${column} = $2 WHERE id = $1`, [id, value]);
      assert.unreachable(`${column} changed`);
    } catch (err) {
      assert.is((err as { code: string }).code, '23514', column);
    }
  }
  const bad = await updateContact(db.pool, id, { mobile: '12345', phone: '' });
  assert.is(bad.ok, false);
  assert.is((await updateContact(db.pool, id, { mobile: '+886 912 000 111', phone: '02-2345-6789' })).ok, true);
  const { rows } = await db.pool.query('SELECT name, national_id, email, mobile, phone FROM applicant WHERE id = $1', [
    id,
  ]);
  assert.equal(rows[0], {
    name: r.name,
    national_id: r.nationalId,
    email: r.email,
    mobile: '0912000111',
    phone: '02-2345-6789',
  });
});

test('a reset link sets a new password once, within 30 minutes, and verifies the address', async ({ db }) => {
  const { requestPasswordReset } = await import('../../domain/applicants/links.ts');
  const r = valid();
  await register(db.pool, r, ctx);
  await requestPasswordReset(db.pool, r.email.toUpperCase(), { now: T0, publicUrl: ctx.publicUrl });
  const token = await lastLinkToken(db, r.email);
  assert.is(await checkResetToken(db.pool, token, at(30)), 'expired');
  const weak = await resetPassword(db.pool, token, 'short', 'short', at(5));
  assert.equal(weak, { kind: 'errors', errors: { password: 'error.password.short' } });
  assert.equal(await resetPassword(db.pool, token, 'a brand new password', 'a brand new password', at(5)), {
    kind: 'done',
  });
  assert.equal(await resetPassword(db.pool, token, 'another new password', 'another new password', at(6)), {
    kind: 'token',
    state: 'used',
  });
  assert.is((await authenticate(db.pool, r.email, r.password)).kind, 'invalid');
  assert.is((await authenticate(db.pool, r.email, 'a brand new password')).kind, 'ok');
});

test('changing the password needs the current one', async ({ db }) => {
  const r = valid();
  const created = (await register(db.pool, r, ctx)) as { applicantId: number };
  const wrong = await changePassword(
    db.pool,
    created.applicantId,
    { currentPassword: 'nope', password: 'new password 1', passwordConfirm: 'new password 1' },
    'sid',
  );
  assert.equal(wrong, { ok: false, errors: { currentPassword: 'error.currentPassword.wrong' } });
  const ok = await changePassword(
    db.pool,
    created.applicantId,
    { currentPassword: r.password, password: 'new password 1', passwordConfirm: 'new password 1' },
    'sid',
  );
  assert.is(ok.ok, true);
  assert.is((await authenticate(db.pool, r.email, 'new password 1')).kind, 'unverified');
});

test('registration rules: a name is letters of any script with its punctuation; the character refused is named', () => {
  const nameError = (name: string) => {
    const r = validateRegistration(person({ name }), T0);
    return r.ok ? null : (r.errors.name ?? null);
  };
  for (const name of [
    '王小明',
    'Walis·Perin',
    'Mary-Jane O’Neil',
    'Chen, Mei-Ling',
    'Nguyễn Thị Lan',
    '陳𡘙𡘙',
    'Kolas．Yotaka',
    '葛\u{E0100}小明', // an ideographic variation selector picks the glyph
    'می\u200cخواهم', // the joiner Persian needs inside a word
  ])
    assert.is(nameError(name), null, name);
  // Invisible however Unicode classes it: a Hangul filler is a "letter", U+034F a "mark".
  assert.equal(nameError('\u3164'), { key: 'error.name.invisible', params: { code: 'U+3164' } });
  assert.equal(nameError('王\u034f小明'), { key: 'error.name.invisible', params: { code: 'U+034F' } });
  assert.equal(nameError('·'), { key: 'error.name.character', params: { char: '·' } }, 'punctuation alone');
  assert.equal(nameError('王小明😀'), { key: 'error.name.character', params: { char: '😀' } });
  assert.equal(nameError('王小明2'), { key: 'error.name.character', params: { char: '2' } });
  assert.equal(nameError('<b>王</b>'), { key: 'error.name.character', params: { char: '<' } });
  assert.equal(nameError('王\u200b小明'), { key: 'error.name.invisible', params: { code: 'U+200B' } });
  assert.equal(nameError('\u202e明小王'), { key: 'error.name.invisible', params: { code: 'U+202E' } });
});

test('registration rules: birthday edges in Asia/Taipei and mobile formats', () => {
  // 2026-11-23 03:00 UTC is 11:00 in Taipei: the 23rd is today, so not a valid birthday; the 22nd is.
  const today = validateRegistration(person({ birthYear: '2026', birthMonth: '11', birthDay: '23' }), T0);
  assert.equal(today.ok ? null : today.errors.birthday, 'error.birthday.future');
  assert.ok(validateRegistration(person({ birthYear: '2026', birthMonth: '11', birthDay: '22' }), T0).ok);
  // 16:30 UTC on the 22nd is already 00:30 on the 23rd in Taipei.
  const lateUtc = new Date('2026-11-22T16:30:00Z');
  const r = validateRegistration(person({ birthYear: '2026', birthMonth: '11', birthDay: '22' }), lateUtc);
  assert.ok(r.ok, 'the 22nd is yesterday in Taipei');
  const leap = validateRegistration(person({ birthYear: '1999', birthMonth: '2', birthDay: '29' }), T0);
  assert.equal(leap.ok ? null : leap.errors.birthday, 'error.birthday.invalid');
  assert.ok(validateRegistration(person({ birthYear: '2000', birthMonth: '2', birthDay: '29' }), T0).ok);
  for (const [mobile, ok] of [
    ['0912345678', true],
    ['0912-345-678', true],
    ['+886912345678', true],
    ['0212345678', false],
    ['091234567', false],
  ] as const) {
    assert.is(validateRegistration(person({ mobile }), T0).ok, ok, mobile);
  }
  assert.ok(validateRegistration(person({ mobile: '' }), T0).ok, 'mobile is optional until a mobile visit');
});

test.run();
