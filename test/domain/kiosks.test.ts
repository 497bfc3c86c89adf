import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as make from '../support/fixtures.ts';
import {
  ENROL_LINK_MINUTES,
  createKioskLink,
  enrolKiosk,
  enrolLinkValid,
  kioskByCookie,
  listKiosks,
  revokeKiosk,
} from '../../domain/kiosks.ts';
import { StaffNotAllowed, type StaffActor } from '../../domain/shared/staff-actor.ts';

const NOW = new Date('2026-11-23T10:00:00+08:00');
const later = (ms: number) => new Date(NOW.getTime() + ms);
type Ctx = { db: TestDb; admin2477: StaffActor; admin2411: StaffActor; agency: StaffActor; reviewer: StaffActor };
const test = suite<Ctx>('kiosks: one-time enrolment links, cookies, revoking, scope and last use');

test.before.each(async (ctx) => {
  ctx.db = await freshDatabase();
  await make.institution(ctx.db.pool, { code: '2477' });
  await make.institution(ctx.db.pool, { code: '2411' });
  const actor = async (account: string, role: StaffActor['role'], institutionCode: string | null) => ({
    staffId: await make.staff(ctx.db.pool, { account, name: account, role, institutionCode }),
    role,
    institutionCode,
    ip: '127.0.0.1',
  });
  ctx.admin2477 = await actor('admin2477', 'institution_admin', '2477');
  ctx.admin2411 = await actor('admin2411', 'institution_admin', '2411');
  ctx.agency = await actor('agency', 'agency_admin', null);
  ctx.reviewer = await actor('reviewer2477', 'reviewer', '2477');
});
test.after.each(async (ctx) => {
  await ctx.db.drop();
});

async function link(ctx: Ctx, actor: StaffActor = ctx.admin2477, institutionCode = '') {
  const r = await createKioskLink(ctx.db.pool, actor, { name: ' 候客室一號機 ', institutionCode }, NOW);
  assert.is(r.kind, 'created');
  return r as Extract<typeof r, { kind: 'created' }>;
}

test('an enrolment link works once, stores only hashes, and is audited', async (ctx) => {
  const created = await link(ctx);
  assert.equal(created.expiresAt, later(ENROL_LINK_MINUTES * 60_000));
  assert.equal(await enrolLinkValid(ctx.db.pool, created.token, NOW), { name: '候客室一號機' });
  const first = await enrolKiosk(ctx.db.pool, created.token, later(1000));
  assert.ok(first);
  assert.equal(first.kiosk, { id: created.id, institutionCode: '2477', name: '候客室一號機' });
  assert.is(await enrolKiosk(ctx.db.pool, created.token, later(2000)), null, 'a used link does nothing');
  assert.is(await enrolLinkValid(ctx.db.pool, created.token, later(2000)), null);
  const { rows } = await ctx.db.pool.query(`SELECT * FROM kiosk`);
  const stored = JSON.stringify(rows);
  assert.not.ok(stored.includes(created.token) || stored.includes(first.cookieToken), 'no token is stored as such');
  assert.equal(await kioskByCookie(ctx.db.pool, first.cookieToken, later(3000)), first.kiosk);
  const audit = await ctx.db.pool.query(`SELECT action, object_id, institution_code, staff_id, details FROM audit_log`);
  assert.equal(audit.rows, [
    {
      action: 'kiosk.link_created',
      object_id: created.id,
      institution_code: '2477',
      staff_id: ctx.admin2477.staffId,
      details: { name: '候客室一號機', expiresAt: created.expiresAt.toISOString() },
    },
  ]);
});

test('an enrolment link expires after an hour', async (ctx) => {
  const created = await link(ctx);
  const end = later(ENROL_LINK_MINUTES * 60_000);
  assert.is(await enrolKiosk(ctx.db.pool, created.token, end), null);
  assert.ok(await enrolKiosk(ctx.db.pool, created.token, new Date(end.getTime() - 1)));
  assert.is(await enrolKiosk(ctx.db.pool, 'not-a-token', NOW), null);
  assert.is(await enrolKiosk(ctx.db.pool, '', NOW), null);
});

test('a revoked kiosk: its cookie does nothing and its unused link neither; audited once', async (ctx) => {
  const a = await link(ctx);
  const b = await link(ctx);
  const enrolled = (await enrolKiosk(ctx.db.pool, a.token, NOW))!;
  assert.ok(await revokeKiosk(ctx.db.pool, ctx.admin2477, a.id, later(1000)));
  assert.ok(await revokeKiosk(ctx.db.pool, ctx.admin2477, a.id, later(2000)), 'revoking twice is harmless');
  assert.is(await kioskByCookie(ctx.db.pool, enrolled.cookieToken, later(3000)), null);
  assert.ok(await revokeKiosk(ctx.db.pool, ctx.agency, b.id, later(1000)));
  assert.is(await enrolKiosk(ctx.db.pool, b.token, later(4000)), null);
  const audit = await ctx.db.pool.query(
    `SELECT action, object_id FROM audit_log WHERE action = 'kiosk.revoked' ORDER BY id`,
  );
  assert.equal(
    audit.rows.map((r) => Number(r.object_id)),
    [a.id, b.id],
  );
  const list = await listKiosks(ctx.db.pool, ctx.admin2477, 'zh-TW', later(5000));
  assert.equal(
    list.map((k) => k.state),
    ['revoked', 'revoked'],
  );
});

test('scope: administrators make and see their own institution’s kiosks, the agency chooses; reviewers may not', async (ctx) => {
  // An institution administrator's kiosk is their institution's; another institution is not found.
  const own = await link(ctx, ctx.admin2411);
  assert.equal(await createKioskLink(ctx.db.pool, ctx.admin2411, { name: '一號機', institutionCode: '2477' }, NOW), {
    kind: 'not_found',
  });
  const ofAgency = await link(ctx, ctx.agency, '2477');
  assert.equal(await createKioskLink(ctx.db.pool, ctx.agency, { name: '一號機', institutionCode: '' }, NOW), {
    kind: 'invalid',
    problems: { institutionCode: 'required' },
  });
  assert.equal(await createKioskLink(ctx.db.pool, ctx.agency, { name: '一號機', institutionCode: '9999' }, NOW), {
    kind: 'not_found',
  });
  assert.equal(await createKioskLink(ctx.db.pool, ctx.admin2477, { name: '  ', institutionCode: '' }, NOW), {
    kind: 'invalid',
    problems: { name: 'required' },
  });
  assert.equal(await createKioskLink(ctx.db.pool, ctx.admin2477, { name: '機'.repeat(41), institutionCode: '' }, NOW), {
    kind: 'invalid',
    problems: { name: 'too_long' },
  });
  assert.equal(
    (await listKiosks(ctx.db.pool, ctx.admin2411, 'zh-TW', NOW)).map((k) => [k.id, k.institutionCode, k.state]),
    [[own.id, '2411', 'waiting']],
  );
  assert.equal(
    (await listKiosks(ctx.db.pool, ctx.admin2477, 'zh-TW', NOW)).map((k) => k.id),
    [ofAgency.id],
  );
  assert.is((await listKiosks(ctx.db.pool, ctx.agency, 'zh-TW', NOW)).length, 2);
  assert.is(await revokeKiosk(ctx.db.pool, ctx.admin2477, own.id, NOW), false, 'another institution’s: not found');
  assert.is(await revokeKiosk(ctx.db.pool, ctx.admin2477, 999999, NOW), false);
  try {
    await createKioskLink(ctx.db.pool, ctx.reviewer, { name: '一號機', institutionCode: '' }, NOW);
    assert.unreachable('a reviewer makes no kiosk');
  } catch (err) {
    assert.instance(err, StaffNotAllowed);
  }
  try {
    await revokeKiosk(ctx.db.pool, ctx.reviewer, ofAgency.id, NOW);
    assert.unreachable('a reviewer revokes no kiosk');
  } catch (err) {
    assert.instance(err, StaffNotAllowed);
  }
  const expired = await listKiosks(ctx.db.pool, ctx.agency, 'zh-TW', later(ENROL_LINK_MINUTES * 60_000));
  assert.equal(
    expired.map((k) => k.state),
    ['expired', 'expired'],
  );
});

test('the last use moves at most once a minute', async (ctx) => {
  const created = await link(ctx);
  const { cookieToken } = (await enrolKiosk(ctx.db.pool, created.token, NOW))!;
  const lastUse = async () =>
    (await listKiosks(ctx.db.pool, ctx.admin2477, 'zh-TW', NOW)).find((k) => k.id === created.id)!.lastUsedAt;
  assert.equal(await lastUse(), NOW, 'enrolling is the first use');
  await kioskByCookie(ctx.db.pool, cookieToken, later(59_999));
  assert.equal(await lastUse(), NOW, 'within the minute: not written');
  await kioskByCookie(ctx.db.pool, cookieToken, later(60_000));
  assert.equal(await lastUse(), later(60_000));
  await kioskByCookie(ctx.db.pool, cookieToken, later(90_000));
  assert.equal(await lastUse(), later(60_000));
  await kioskByCookie(ctx.db.pool, cookieToken, later(200_000));
  assert.equal(await lastUse(), later(200_000));
});

test.run();
