import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { familyWithContactBook } from '../support/scenarios.ts';
import { submitPost } from '../../domain/contact-book/posts.ts';
import { collectMyData, writeMyDataZip } from '../../domain/applicants/my-data.ts';
import { decidePost } from '../../domain/contact-book/review.ts';
import { getReviewCase } from '../../domain/applications/review.ts';
import {
  ERASED_NAME,
  decideDeletionRequest,
  getDeletionRequest,
  listDeletionRequests,
  requestDeletion,
} from '../../domain/applicants/deletion.ts';
import { authenticate } from '../../domain/applicants/accounts.ts';
import { applyRetention, ERASED_RECIPIENT } from '../../domain/retention.ts';
import { enqueueMail } from '../../domain/shared/outbox.ts';
import type { StaffActor } from '../../domain/shared/staff-actor.ts';

type Ctx = {
  db: TestDb;
  admin2477: StaffActor;
  admin2411: StaffActor;
  agency: StaffActor;
  alice: number;
  bob: number;
  aliceApp: number;
  dir: string;
};
const test = suite<Ctx>('privacy rights: my data as a ZIP, deletion request and erasure, retention');
const NOW = new Date('2026-11-27T02:00:00Z');
const PASSWORD = 'family password 1';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const actor = (staffId: number, role: StaffActor['role'], institutionCode: string | null): StaffActor => ({
  staffId,
  role,
  institutionCode,
  ip: '10.0.0.9',
});

async function addDocument(ctx: Ctx, applicationId: number, fileName: string, content: Buffer) {
  await ctx.db.pool.query(
    `INSERT INTO application_document (application_id, kind, file_name, media_type, uploaded_bytes, content, sha256, created_at)
     VALUES ($1, 'identity', $2, 'image/png', $3, $4, '\\x00', now())`,
    [applicationId, fileName, content.length, content],
  );
}

async function zipOf(ctx: Ctx, applicantId: number): Promise<string> {
  const data = (await collectMyData(ctx.db.pool, applicantId, NOW))!;
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeMyDataZip(ctx.db.pool, applicantId, data, out);
  const file = join(ctx.dir, `${applicantId}-${randomUUID()}.zip`);
  writeFileSync(file, Buffer.concat(chunks));
  return file;
}
const unzip = (file: string, ...args: string[]) => execFileSync('unzip', [...args, file], { encoding: 'utf8' });
const unzipFile = (file: string, name: string) => execFileSync('unzip', ['-p', file, name]);

test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'k6-privacy-'));
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await fixture.institution(pool, { code: '2477' });
  await fixture.institution(pool, { code: '2411' });
  const s = (account: string, role: StaffActor['role'], code: string | null) =>
    fixture.staff(pool, { account, name: account, role, institutionCode: code });
  ctx.admin2477 = actor(await s('admin2477', 'institution_admin', '2477'), 'institution_admin', '2477');
  ctx.admin2411 = actor(await s('admin2411', 'institution_admin', '2411'), 'institution_admin', '2411');
  ctx.agency = actor(await s('agency', 'agency_admin', null), 'agency_admin', null);
  ctx.alice = await fixture.applicant(pool, {
    name: '王小美',
    nationalId: 'A259083012',
    email: 'alice@example.com',
    mobile: '0912345678',
    password: PASSWORD,
  });
  const inmate = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王大明' });
  ctx.aliceApp = await fixture.approvedService(pool, {
    applicant: ctx.alice,
    inmate,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
    status: 'pending',
  });
  await addDocument(ctx, ctx.aliceApp, '身分證.png', PNG);
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
  await pool.query(
    `UPDATE contact_book_post SET photo = $2, photo_width = 1, photo_height = 1 WHERE applicant_id = $1`,
    [ctx.bob, PNG],
  );
  await enqueueMail(pool, {
    to: 'alice@example.com',
    applicantId: ctx.alice,
    subject: '給小美的信',
    text: '小美您好',
    html: '<p>小美您好</p>',
  });
  await enqueueMail(pool, {
    to: 'bob@example.com',
    applicantId: ctx.bob,
    subject: '給小剛的信',
    text: '小剛您好',
    html: '<p>小剛您好</p>',
  });
});
test.after(async (ctx) => {
  await ctx.db.drop();
  rmSync(ctx.dir, { recursive: true, force: true });
});

test('the ZIP holds index.html, data.json and the files, all of the applicant and only theirs', async (ctx) => {
  // A rating she gave (即時評價) is hers too; one of Bob's is not.
  for (const [who, comment] of [
    [ctx.alice, '服務親切'],
    [ctx.bob, '小剛的評價'],
  ] as const)
    await ctx.db.pool.query(
      `INSERT INTO rating (event, service, institution_code, applicant_id, answer, comment, offered_at, answered_at)
       VALUES ('kiosk_session', 'kiosk', '2477', $1, 5, $2, $3, $3)`,
      [who, comment, NOW],
    );
  const file = await zipOf(ctx, ctx.alice);
  assert.match(unzip(file, '-t'), /No errors detected/);
  const names = unzip(file, '-Z1').trim().split('\n');
  assert.equal(names.slice(0, 2), ['index.html', 'data.json']);
  assert.ok(
    names.some((n) => n.startsWith('documents/') && n.endsWith('身分證.png')),
    names.join(','),
  );
  const doc = names.find((n) => n.startsWith('documents/'))!;
  assert.ok(unzipFile(file, doc).equals(PNG), 'the document is the stored bytes');
  const data = JSON.parse(unzipFile(file, 'data.json').toString('utf8'));
  assert.is(data.profile.name, '王小美');
  assert.is(data.profile.nationalId, 'A259083012');
  assert.is(data.consents.length, 1);
  assert.ok(data.consents[0].at);
  assert.is(data.applications.length, 1);
  assert.is(data.applications[0].documents[0].fileName, '身分證.png');
  assert.equal(
    data.mails.map((m: { subject: string }) => m.subject),
    ['給小美的信'],
  );
  assert.equal(
    data.ratings.map((r: { answer: number; comment: string }) => [r.answer, r.comment]),
    [[5, '服務親切']],
  );
  const html = unzipFile(file, 'index.html').toString('utf8');
  for (const s of ['王小美', 'A259083012', 'alice@example.com', '身分證.png', '給小美的信', '王○○', '服務親切'])
    assert.ok(html.includes(s), s);
  // The inmate's name masked as the pages show it, in both files: the export unmasks no stranger.
  assert.not.ok(html.includes('王大明'), 'index.html names the inmate in full');
  assert.not.ok(JSON.stringify(data).includes('王大明'), 'data.json names the inmate in full');
  for (const other of ['林小剛', 'bob@example.com', '給小剛的信', '近況', '小剛的評價']) {
    assert.not.ok(html.includes(other), `index.html holds ${other}`);
    assert.not.ok(JSON.stringify(data).includes(other), `data.json holds ${other}`);
  }
  // Bob's ZIP has his post and its photo.
  const bobFile = await zipOf(ctx, ctx.bob);
  const bobNames = unzip(bobFile, '-Z1').trim().split('\n');
  assert.ok(
    bobNames.some((n) => n.startsWith('photos/post-')),
    bobNames.join(','),
  );
  assert.ok(unzipFile(bobFile, 'index.html').toString('utf8').includes('近況'));
  // A post staff turned down carries their reason in both files, as the post's page shows it.
  const postId = Number(
    (await ctx.db.pool.query('SELECT id FROM contact_book_post WHERE applicant_id = $1', [ctx.bob])).rows[0].id,
  );
  assert.is(
    await decidePost(ctx.db.pool, postId, 1, { decision: 'reject', reason: '照片不清楚' }, ctx.admin2411, NOW),
    'decided',
  );
  const rejectedFile = await zipOf(ctx, ctx.bob);
  const rejected = JSON.parse(unzipFile(rejectedFile, 'data.json').toString('utf8'));
  assert.equal(
    rejected.posts.map((x: { status: string; reason: string }) => [x.status, x.reason]),
    [['rejected', '照片不清楚']],
  );
  assert.match(unzipFile(rejectedFile, 'index.html').toString('utf8'), /審核未通過<br>照片不清楚/);
});

test('a deletion request needs the password, closes the account at once and withdraws what is pending', async (ctx) => {
  const { pool } = ctx.db;
  assert.is(await requestDeletion(pool, ctx.alice, 'wrong password', NOW), 'wrong_password');
  assert.is(
    (await pool.query('SELECT disabled_at FROM applicant WHERE id = $1', [ctx.alice])).rows[0].disabled_at,
    null,
  );
  assert.is(await requestDeletion(pool, ctx.alice, PASSWORD, NOW), 'closed');
  assert.is(await requestDeletion(pool, ctx.alice, PASSWORD, NOW), 'already_requested');
  assert.is((await authenticate(pool, 'alice@example.com', PASSWORD)).kind, 'closed', 'closed at her request');
  const app = (await pool.query('SELECT status, cancel_reason FROM service_application WHERE id = $1', [ctx.aliceApp]))
    .rows[0];
  assert.is(app.status, 'cancelled');
  assert.is(app.cancel_reason, '申請人已申請刪除帳號');
  // Staff working in English read the withdrawal's reason in English.
  const seen = await getReviewCase(pool, ctx.admin2477, ctx.aliceApp, 'en');
  assert.ok(seen?.history.some((h) => h.reason === 'The applicant asked for the account to be deleted'));
  // In the queue of the institution she is a family of and the agency's, not another institution's.
  assert.is((await listDeletionRequests(pool, ctx.admin2477)).length, 1);
  assert.is((await listDeletionRequests(pool, ctx.agency)).length, 1);
  assert.is((await listDeletionRequests(pool, ctx.admin2411)).length, 0);
});

test('staff erase only after confirming nothing must be kept: personal data and files gone, counts kept, outcome mailed', async (ctx) => {
  const { pool } = ctx.db;
  const [req] = await listDeletionRequests(pool, ctx.admin2477);
  assert.is(await getDeletionRequest(pool, ctx.admin2411, req!.id), null);
  const other = await decideDeletionRequest(
    pool,
    ctx.admin2411,
    req!.id,
    { decision: 'erase', nothingToKeep: true, note: '' },
    NOW,
  );
  assert.is(other.kind, 'not_found');
  const unconfirmed = await decideDeletionRequest(
    pool,
    ctx.admin2477,
    req!.id,
    { decision: 'erase', nothingToKeep: false, note: '' },
    NOW,
  );
  assert.equal(unconfirmed, { kind: 'errors', errors: { nothingToKeep: 'error.deletion.confirm' } });
  const keepWithout = await decideDeletionRequest(
    pool,
    ctx.admin2477,
    req!.id,
    { decision: 'keep', nothingToKeep: false, note: ' ' },
    NOW,
  );
  assert.equal(keepWithout, { kind: 'errors', errors: { note: 'error.deletion.noteRequired' } });
  const before = (
    await pool.query('SELECT count(*)::int AS n FROM service_application WHERE applicant_id = $1', [ctx.alice])
  ).rows[0].n;
  const done = await decideDeletionRequest(
    pool,
    ctx.admin2477,
    req!.id,
    { decision: 'erase', nothingToKeep: true, note: '' },
    NOW,
  );
  assert.is(done.kind, 'erased');
  const a = (
    await pool.query(
      'SELECT name, national_id, email, birthday::text, mobile, erased_at FROM applicant WHERE id = $1',
      [ctx.alice],
    )
  ).rows[0];
  assert.is(a.name, ERASED_NAME);
  assert.not.ok(a.national_id === 'A259083012');
  assert.not.ok(a.email.includes('alice'));
  assert.is(a.mobile, null);
  assert.ok(a.erased_at);
  const after = (
    await pool.query('SELECT count(*)::int AS n FROM service_application WHERE applicant_id = $1', [ctx.alice])
  ).rows[0].n;
  assert.is(after, before, 'the application stays for the counts');
  const docs = await pool.query('SELECT 1 FROM application_document WHERE application_id = $1', [ctx.aliceApp]);
  assert.is(docs.rowCount, 0);
  // Every earlier mail lost its address and text; the outcome mail is on its way to the address she had.
  const mails = await pool.query(
    `SELECT recipient, subject, body_text FROM notification WHERE body_text LIKE '%小美%' OR recipient LIKE 'alice%' ORDER BY id`,
  );
  assert.is(mails.rows.length, 1);
  assert.is(mails.rows[0].recipient, 'alice@example.com');
  assert.match(mails.rows[0].subject, /已刪除/);
  assert.is(
    (
      await pool.query(`SELECT count(*)::int AS n FROM notification WHERE subject = '給小美的信' AND recipient = $1`, [
        ERASED_RECIPIENT,
      ])
    ).rows[0].n,
    1,
  );
  // Bob is untouched.
  assert.is((await pool.query('SELECT name FROM applicant WHERE id = $1', [ctx.bob])).rows[0].name, '林小剛');
  const audit = await pool.query(`SELECT details FROM audit_log WHERE action = 'family.erased' AND object_id = $1`, [
    ctx.alice,
  ]);
  assert.is(audit.rowCount, 1);
  assert.not.ok(JSON.stringify(audit.rows[0].details).includes('王小美'));
  // The outcome mail's address goes once it is delivered (the retention job).
  await pool.query(`UPDATE notification SET status = 'sent', sent_at = now() WHERE recipient = 'alice@example.com'`);
  const run = await applyRetention(pool, NOW, 2);
  assert.is(run.outcomeAddresses, 1);
  assert.is((await pool.query(`SELECT 1 FROM notification WHERE recipient LIKE '%alice%'`)).rowCount, 0);
  // The identity trigger still refuses any other change of an erased (or any) account's e-mail.
  const refused = await pool.query(`UPDATE applicant SET email = 'x@example.com' WHERE id = $1`, [ctx.bob]).then(
    () => false,
    () => true,
  );
  assert.ok(refused, 'the e-mail stays fixed outside an erasure');
});

test('retention deletes documents and photos of cases decided before the period, and nothing newer or pending', async (ctx) => {
  const { pool } = ctx.db;
  const carol = await fixture.applicant(pool, { name: '陳小華', nationalId: 'E196030826', email: 'carol@example.com' });
  const inmate = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1025', name: '陳大華' });
  const mk = async (status: 'approved' | 'pending', decided: string | null) => {
    const id = await fixture.approvedService(pool, {
      applicant: carol,
      inmate,
      service: 'contact_book',
      relationship: 'mother',
      status,
    });
    if (decided)
      await pool
        .query('UPDATE service_application SET decided_at = $2, status = $3 WHERE id = $1', [
          id,
          decided,
          status === 'approved' ? 'rejected' : status,
        ])
        .catch(() => undefined);
    return id;
  };
  const old = await fixture.approvedService(pool, {
    applicant: carol,
    inmate,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
  });
  await pool.query(`UPDATE service_application SET decided_at = '2024-11-26T00:00:00Z' WHERE id = $1`, [old]);
  const recent = await fixture.approvedService(pool, {
    applicant: carol,
    inmate,
    service: 'lawyer_visit',
    relationship: 'lawyer',
  });
  await pool.query(`UPDATE service_application SET decided_at = '2024-11-28T00:00:00Z' WHERE id = $1`, [recent]);
  const pending = await mk('pending', null);
  await pool.query(`UPDATE service_application SET submitted_at = '2020-01-01T00:00:00Z' WHERE id = $1`, [pending]);
  for (const id of [old, recent, pending]) await addDocument(ctx, id, `f${id}.png`, PNG);
  await pool.query(
    `UPDATE contact_book_post SET status = 'approved', rejection_reason = NULL, decided_at = '2024-01-01T00:00:00Z'
      WHERE applicant_id = $1`,
    [ctx.bob],
  );
  const run = await applyRetention(pool, NOW, 2);
  assert.equal({ documents: run.documents, photos: run.photos }, { documents: 1, photos: 1 });
  const left = (
    await pool.query(
      'SELECT application_id FROM application_document WHERE application_id = ANY($1) ORDER BY application_id',
      [[old, recent, pending]],
    )
  ).rows.map((r) => Number(r.application_id));
  assert.equal(left, [recent, pending]);
  const post = (
    await pool.query('SELECT photo, photo_erased_at, title FROM contact_book_post WHERE applicant_id = $1', [ctx.bob])
  ).rows[0];
  assert.is(post.photo, null);
  assert.ok(post.photo_erased_at);
  assert.is(post.title, '近況', 'the post stays');
  // With a longer period nothing more goes; a run a year later takes the recent one.
  assert.is((await applyRetention(pool, NOW, 3)).documents, 0);
  assert.is((await applyRetention(pool, new Date('2027-11-29T00:00:00Z'), 2)).documents, 1);
});

test.run();
