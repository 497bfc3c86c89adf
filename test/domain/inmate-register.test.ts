import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import * as make from '../support/fixtures.ts';
import {
  bookingSuite,
  NOW,
  q,
  person,
  inmate,
  grant,
  bookNow,
  staff,
  refusal,
  rawBooking,
  batch,
  type Ctx,
} from './bookings/setup.ts';
import { applyRegister, diffRegister, registerSummary } from '../../domain/inmates/register.ts';
import {
  authenticateRegisterToken,
  createRegisterToken,
  getRegisterUpload,
  revokeRegisterToken,
  saveRegisterUpload,
} from '../../domain/inmates/register-store.ts';
import { lookUpInmate } from '../../domain/inmates.ts';
import { getOwnPost, submitPost } from '../../domain/contact-book/posts.ts';
import { listRecipients } from '../../domain/contact-book/recipients.ts';
import { bookingOptions } from '../../domain/bookings/availability.ts';
import { listApplicantBookings } from '../../domain/bookings/records.ts';
import { collectMyData } from '../../domain/applicants/my-data.ts';
import { usableServicesOf } from '../../domain/applications/status.ts';
import { StaffNotAllowed, type StaffActor } from '../../domain/shared/staff-actor.ts';
import type { RegisterRow } from '../../domain/inmates/register-file.ts';

const test = bookingSuite('收容人名冊: the diff, one transaction, removals cancel and mail, push tokens');

const row = (callNumber: string, name: string, restriction: RegisterRow['restriction'] = null): RegisterRow => ({
  callNumber,
  name,
  restriction,
});
const push = (tokenId = 1) => ({ kind: 'push' as const, tokenId, ip: '10.1.2.3' });
const present = async (ctx: Ctx, code: string) =>
  (
    await q(
      ctx,
      'SELECT call_number, name, restriction, removed_on::text FROM inmate WHERE institution_code = $1 ORDER BY call_number',
      [code],
    )
  ).rows;
const reviewer = (ctx: Ctx): StaffActor => ({ ...staff(ctx), role: 'reviewer' });

async function upload(ctx: Ctx, actor: StaffActor, code: string, rows: RegisterRow[]): Promise<string> {
  const id = await saveRegisterUpload(
    ctx.db.pool,
    actor,
    { institutionCode: code, fileName: 'register.csv', bytes: Buffer.from('x'), encoding: 'utf-8', rows },
    NOW,
  );
  return id!;
}

test('the diff: added, changed (old → new), removed, unchanged; a call number that left and is back is "returning"', async (ctx) => {
  const db = ctx.db.pool;
  for (const [callNumber, name] of [
    ['1001', '甲一'],
    ['1002', '乙二'],
    ['1003', '丙三'],
  ] as const)
    await make.inmate(db, { institutionCode: '2411', callNumber, name });
  await q(ctx, `UPDATE inmate SET removed_on = '2026-01-01' WHERE call_number = '1003' AND institution_code = '2411'`);
  const diff = await diffRegister(db, '2411', [
    row('1001', '甲一'),
    row('1002', '乙貳', 'visit_ban'),
    row('1003', '丙三'),
    row('1004', '丁四'),
  ]);
  assert.equal(
    diff.added.map((a) => [a.callNumber, a.returning]),
    [
      ['1003', true],
      ['1004', false],
    ],
  );
  assert.equal(
    diff.changed.map((c) => [c.callNumber, c.before, c.after]),
    [['1002', { name: '乙二', restriction: null }, { name: '乙貳', restriction: 'visit_ban' }]],
  );
  assert.equal(diff.removed, []);
  assert.is(diff.unchanged, 1);
  const gone = await diffRegister(db, '2411', [row('1002', '乙二')]);
  assert.equal(
    gone.removed.map((r) => r.callNumber),
    ['1001'],
  );
  assert.is.not(gone.fingerprint, diff.fingerprint);
  assert.is((await diffRegister(db, '2411', [row('1002', '乙二')])).fingerprint, gone.fingerprint, 'stable');
});

test('applied in one transaction: a failure part-way leaves every inmate as it was', async (ctx) => {
  const db = ctx.db.pool;
  const before = await present(ctx, '2411');
  // A name too long for the table (the file check would refuse it; here it reaches the database) makes the update fail after the insert.
  const rows = [row('1001', '甲一'), row('1002', '乙'.repeat(60)), row('1005', '戊五')];
  assert.is(await refusal(applyRegister(db, '2411', rows, push(), NOW)), 'inmate_name_check');
  assert.equal(await present(ctx, '2411'), before, 'nothing added, changed or removed');
  const audits = await q(ctx, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'inmate_register.applied'`);
  assert.is(audits.rows[0].n, 0);
});

test('a removed inmate: pending applications and posts, coming bookings cancelled with the reason; everyone mailed; history kept; the inmate is not found', async (ctx) => {
  const db = ctx.db.pool;
  const leaving = await inmate(ctx, '2477', '王大明');
  const staying = await inmate(ctx, '2477', '林小華');
  const callOf = async (id: number) =>
    (await q(ctx, 'SELECT call_number FROM inmate WHERE id = $1', [id])).rows[0].call_number as string;
  const [mother, brother, lawyer, other] = [
    await person(ctx, '王媽媽'),
    await person(ctx, '王哥哥'),
    await person(ctx, '陳律師'),
    await person(ctx, '林爸爸'),
  ];
  await grant(ctx, mother, leaving);
  await grant(ctx, brother, leaving, { relationship: 'sibling' });
  const pendingApp = await grant(ctx, lawyer, leaving, { service: 'lawyer_visit', status: 'pending' });
  const approvedApp = (await q(ctx, `SELECT id FROM service_application WHERE applicant_id = $1`, [mother])).rows[0].id;
  const book = await make.approvedService(db, {
    applicant: mother,
    inmate: leaving,
    service: 'contact_book',
    relationship: 'mother',
  });
  const post = await submitPost(
    db,
    {
      applicantId: mother,
      applicationId: book,
      title: '生日快樂',
      body: '想你',
      photo: null,
      submissionKey: randomUUID(),
    },
    NOW,
  );
  assert.is(post.kind, 'posted');
  const booked = await bookNow(ctx, {
    bookerId: mother,
    inmateId: leaving,
    date: '2026-12-01',
    companionIds: [brother],
  });
  assert.is(booked.kind, 'booked');
  await grant(ctx, other, staying);
  const kept = await bookNow(ctx, { bookerId: other, inmateId: staying, date: '2026-12-01', at: '09:30' });
  assert.is(kept.kind, 'booked');
  // The companion reads the portal in English: the reason reaches him in English, in the mail and on the page.
  await q(ctx, `UPDATE applicant SET locale = 'en' WHERE id = $1`, [brother]);
  await q(ctx, 'DELETE FROM notification');
  const optionsOf = async (who: number) => (await bookingOptions(db, who, 'zh-TW')).map((o) => o.inmateId);
  assert.ok((await optionsOf(mother)).includes(leaving));
  assert.ok((await listRecipients(db, mother, 'zh-TW')).some((r) => r.inmateId === leaving));
  assert.equal(await usableServicesOf(db, brother), { contactBook: false, visits: true });

  const rows = [row(await callOf(staying), '林小華')];
  const uploadId = await upload(ctx, staff(ctx), '2477', rows);
  const out = await applyRegister(db, '2477', rows, { kind: 'upload', actor: staff(ctx), uploadId }, NOW);
  assert.equal(out.kind === 'applied' && out.counts, {
    added: 0,
    returned: 0,
    changed: 0,
    removed: 1,
    unchanged: 1,
    cancelledApplications: 1,
    cancelledPosts: 1,
    cancelledBookings: 1,
  });
  const m = (await q(ctx, 'SELECT removed_on::text FROM inmate WHERE id = $1', [leaving])).rows[0];
  assert.is(m.removed_on, '2026-11-28', 'kept, with the Taipei date it left');
  assert.equal(await lookUpInmate(db, '2477', await callOf(leaving)), { kind: 'unknown' });
  const app = (await q(ctx, 'SELECT status, cancel_reason FROM service_application WHERE id = $1', [pendingApp]))
    .rows[0];
  assert.equal(app, { status: 'cancelled', cancel_reason: '收容人已出監或移監' });
  // The lawyer's own data export gives the reason in the lawyer's language.
  await q(ctx, `UPDATE applicant SET locale = 'en' WHERE id = $1`, [lawyer]);
  const exported = (await collectMyData(db, lawyer, NOW))!.applications.find((x) => x.status === 'cancelled');
  assert.is(exported?.reason, 'The inmate has been released or transferred');
  assert.is(
    (await q(ctx, 'SELECT status FROM service_application WHERE id = $1', [approvedApp])).rows[0].status,
    'approved',
    'decided services stay as history',
  );
  const p = (
    await q(ctx, 'SELECT status, cancel_reason FROM contact_book_post WHERE id = $1', [
      (post as { postId: number }).postId,
    ])
  ).rows[0];
  assert.equal(p, { status: 'cancelled', cancel_reason: '收容人已出監或移監' });
  // The family reads why on the post's page, in their language.
  const postId = (post as { postId: number }).postId;
  assert.is((await getOwnPost(db, mother, postId, 'en'))?.cancelReason, 'The inmate has been released or transferred');
  assert.is((await getOwnPost(db, mother, postId, 'zh-TW'))?.cancelReason, '收容人已出監或移監');
  const b = (
    await q(ctx, 'SELECT status, cancel_reason, cancelled_by_register FROM visit_booking WHERE id = $1', [
      (booked as { bookingId: number }).bookingId,
    ])
  ).rows[0];
  assert.equal(b, { status: 'cancelled', cancel_reason: '收容人已出監或移監', cancelled_by_register: true });
  assert.is(
    (await q(ctx, 'SELECT status FROM visit_booking WHERE id = $1', [(kept as { bookingId: number }).bookingId]))
      .rows[0].status,
    'pending',
    'other inmates untouched',
  );
  const events = await q(
    ctx,
    `SELECT (SELECT count(*)::int FROM application_event WHERE action = 'cancelled') AS a, (SELECT count(*)::int FROM contact_book_event WHERE action = 'cancelled') AS p, (SELECT count(*)::int FROM visit_booking_event WHERE action = 'cancelled') AS b`,
  );
  assert.equal(events.rows[0], { a: 1, p: 1, b: 1 });
  // Mailed in the same transaction: the booker and the other visitor about the booking, the lawyer and the mother about their application and post.
  const mails = (
    await q(
      ctx,
      `SELECT applicant_id, subject, body_text FROM notification WHERE channel = 'email' ORDER BY applicant_id, id`,
    )
  ).rows;
  const to = (id: number) => mails.filter((x) => Number(x.applicant_id) === id);
  assert.is(to(brother).length, 1);
  assert.match(to(brother)[0].body_text, 'The inmate has been released or transferred');
  assert.not.match(to(brother)[0].body_text, '收容人已出監或移監');
  const cancelledFor = async (who: number, locale: 'zh-TW' | 'en') =>
    (await listApplicantBookings(db, who, NOW, locale)).find(
      (x) => x.id === (booked as { bookingId: number }).bookingId,
    )?.cancelReason;
  assert.is(await cancelledFor(brother, 'en'), 'The inmate has been released or transferred');
  assert.is(await cancelledFor(mother, 'zh-TW'), '收容人已出監或移監');
  // The data exports carry the reason too: the companion's booking in English, the mother's post in Chinese.
  const brotherData = (await collectMyData(db, brother, NOW))!;
  assert.is(
    brotherData.bookings.find((x) => x.status === 'cancelled')?.reason,
    'The inmate has been released or transferred',
  );
  const motherData = (await collectMyData(db, mother, NOW))!;
  assert.is(motherData.posts.find((x) => x.id === postId)?.reason, '收容人已出監或移監');
  assert.is(motherData.bookings.find((x) => x.status === 'cancelled')?.reason, '收容人已出監或移監');
  assert.is(to(mother).length, 2, 'the booking, and the post');
  assert.ok(
    to(mother).some(
      (x) =>
        x.subject.includes('收容人已出監或移監') && x.body_text.includes('生日快樂') && x.body_text.includes('王○○'),
    ),
  );
  assert.is(to(lawyer).length, 1);
  assert.match(to(lawyer)[0].body_text, '服務項目申請');
  assert.is(to(other).length, 0);
  const audit = (await q(ctx, `SELECT staff_id, details FROM audit_log WHERE action = 'inmate_register.applied'`))
    .rows[0];
  assert.is(Number(audit.staff_id), ctx.staff2477);
  assert.equal(audit.details.counts.removed, 1);
  assert.equal(audit.details.removed, [await callOf(leaving)]);

  // Their approved services stay as history but offer nothing: no booking, no post, no menu item.
  assert.not.ok((await optionsOf(mother)).includes(leaving));
  assert.not.ok((await listRecipients(db, mother, 'zh-TW')).some((r) => r.inmateId === leaving));
  assert.equal(await usableServicesOf(db, brother), { contactBook: false, visits: false });
  // Nothing new for them, whatever the code does.
  assert.is.not((await bookNow(ctx, { bookerId: mother, inmateId: leaving, date: '2026-12-02' })).kind, 'booked');
  const raw = rawBooking(ctx, {
    bookerId: mother,
    applicationId: Number(approvedApp),
    inmateId: leaving,
    date: '2026-12-02',
    batchId: await batch(ctx, 'onsite', '2026-12-02', '09:00'),
    bookedAt: NOW,
  });
  assert.is(await refusal(raw), 'visit_booking_inmate');
  assert.is(
    await refusal(
      q(ctx, `UPDATE service_application SET status = 'pending', decided_at = NULL WHERE id = $1`, [approvedApp]),
    ),
    'service_application_inmate_left',
  );

  // Applying the same upload again changes nothing.
  assert.equal(await applyRegister(db, '2477', rows, { kind: 'upload', actor: staff(ctx), uploadId }, NOW), {
    kind: 'already_applied',
  });
  // Back in the register: the same inmate, present again.
  const again = await applyRegister(db, '2477', [...rows, row(await callOf(leaving), '王大明')], push(), NOW);
  assert.equal(again.kind === 'applied' && [again.counts.returned, again.counts.removed], [1, 0]);
  const found = await lookUpInmate(db, '2477', await callOf(leaving));
  assert.equal(found, { kind: 'found', inmateId: leaving, maskedName: '王○○' });
});

test('a push applied twice changes nothing the second time; a preview changed since is not applied', async (ctx) => {
  const db = ctx.db.pool;
  const rows = [row('2001', '甲'), row('2002', '乙')];
  await make.institution(db, { code: '3001' });
  const first = await applyRegister(db, '3001', rows, push(), NOW);
  assert.equal(first.kind === 'applied' && first.counts.added, 2);
  const second = await applyRegister(db, '3001', rows, push(), NOW);
  assert.equal(
    second.kind === 'applied' && [
      second.counts.added,
      second.counts.changed,
      second.counts.removed,
      second.counts.unchanged,
    ],
    [0, 0, 0, 2],
  );
  const preview = await diffRegister(db, '3001', [row('2001', '甲')]);
  await applyRegister(db, '3001', [row('2001', '甲'), row('2002', '乙'), row('2003', '丙')], push(), NOW);
  const stale = await applyRegister(db, '3001', [row('2001', '甲')], push(), NOW, preview.fingerprint);
  assert.is(stale.kind, 'stale');
  assert.is((await present(ctx, '3001')).filter((m) => m.removed_on === null).length, 3, 'nothing applied');
});

test('roles and scope: reviewers may not; another institution is not found', async (ctx) => {
  const db = ctx.db.pool;
  const id = await upload(ctx, staff(ctx), '2477', [row('1024', '王')]);
  try {
    await getRegisterUpload(db, reviewer(ctx), id);
    assert.unreachable('a reviewer was let through');
  } catch (err) {
    assert.instance(err, StaffNotAllowed);
  }
  assert.is(await getRegisterUpload(db, staff(ctx, '2411'), id), null);
  assert.ok(await getRegisterUpload(db, staff(ctx, null), id), 'the agency sees every institution');
  assert.equal(
    await applyRegister(
      db,
      '2477',
      [row('1024', '王')],
      { kind: 'upload', actor: staff(ctx, '2411'), uploadId: id },
      NOW,
    ),
    { kind: 'not_found' },
  );
  assert.is(
    await saveRegisterUpload(
      db,
      staff(ctx, '2411'),
      { institutionCode: '2477', fileName: 'a.csv', bytes: Buffer.from('x'), encoding: 'utf-8', rows: [] },
      NOW,
    ),
    null,
  );
  assert.is(await registerSummary(db, staff(ctx, '2411'), '2477'), null);
  assert.is(await createRegisterToken(db, staff(ctx, '2411'), '2477', NOW), null);
});

test('uploads are dropped after a day, applied or not', async (ctx) => {
  const db = ctx.db.pool;
  const old = (await saveRegisterUpload(
    db,
    staff(ctx),
    {
      institutionCode: '2477',
      fileName: 'old.csv',
      bytes: Buffer.from('x'),
      encoding: 'big5',
      rows: [row('1024', '王')],
    },
    new Date(NOW.getTime() - 25 * 3600_000),
  ))!;
  assert.ok(await getRegisterUpload(db, staff(ctx), old));
  await upload(ctx, staff(ctx), '2477', [row('1024', '王')]);
  assert.is(await getRegisterUpload(db, staff(ctx), old), null);
});

test('push tokens: shown once, only the hash stored, one in force per institution, revocable', async (ctx) => {
  const db = ctx.db.pool;
  const first = (await createRegisterToken(db, staff(ctx), '2477', NOW))!;
  assert.match(first, /^[A-Za-z0-9_-]{43}$/);
  const stored = (await q(ctx, `SELECT encode(token_hash, 'hex') AS h FROM inmate_register_token`)).rows;
  assert.ok(stored.every((r) => !r.h.includes(Buffer.from(first).toString('hex')) && r.h.length === 64));
  assert.equal(await authenticateRegisterToken(db, first, NOW), {
    tokenId: (await authenticateRegisterToken(db, first, NOW))!.tokenId,
    institutionCode: '2477',
  });
  const second = (await createRegisterToken(db, staff(ctx), '2477', NOW))!;
  assert.is(await authenticateRegisterToken(db, first, NOW), null, 'the old one stops');
  assert.is((await authenticateRegisterToken(db, second, NOW))!.institutionCode, '2477');
  assert.is(await authenticateRegisterToken(db, 'x'.repeat(43), NOW), null);
  assert.is(await authenticateRegisterToken(db, '', NOW), null);
  assert.ok(await revokeRegisterToken(db, staff(ctx), '2477', NOW));
  assert.is(await authenticateRegisterToken(db, second, NOW), null);
  assert.not.ok(await revokeRegisterToken(db, staff(ctx), '2477', NOW), 'nothing left to revoke');
  const audit = (
    await q(ctx, `SELECT action FROM audit_log WHERE action LIKE 'inmate_register.token%' ORDER BY id`)
  ).rows.map((r) => r.action);
  assert.equal(audit, [
    'inmate_register.token_created',
    'inmate_register.token_revoked',
    'inmate_register.token_created',
    'inmate_register.token_revoked',
  ]);
});

test.run();
