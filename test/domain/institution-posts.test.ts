import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as make from '../support/fixtures.ts';
import { VALID_IDS } from '../support/journeys.ts';
import {
  createInstitutionPost,
  getFamilyPost,
  getSentPost,
  listFamilyInmates,
  listFamilyPosts,
  listSentPosts,
  type InstitutionPostInput,
} from '../../domain/contact-book/institution-posts.ts';
import { keepStaffPhotoDraft, readInstitutionPostPhoto } from '../../domain/contact-book/institution-post-photos.ts';
import { preparePostPhoto, type StoredPhoto } from '../../domain/contact-book/photos.ts';
import { isUploadProblem } from '../../domain/shared/uploads.ts';
import type { StaffActor } from '../../domain/shared/staff-actor.ts';

const NOW = new Date('2026-11-23T10:00:00+08:00');
const URL = 'https://portal.example';
type Ctx = {
  db: TestDb;
  reviewer: StaffActor;
  other: StaffActor;
  agency: StaffActor;
  inmate: number;
  inmateAuto: number;
  inmatePending: number;
  /** applicants: approved, auto-approved, pending, rejected (contact book) and approved for visits only */
  people: Record<'approved' | 'auto' | 'pending' | 'rejected' | 'visitOnly', number>;
};
const test = suite<Ctx>('institution posts (查看機關聯絡簿): recipients, scope, mail, audit, reading');

const input = (over: Partial<InstitutionPostInput> = {}): InstitutionPostInput => ({
  institutionCode: '',
  callNumber: '1024',
  title: '懇親活動通知',
  body: '本監將於12月舉辦懇親活動。\n\n詳見 https://www.mjac.moj.gov.tw/',
  submissionKey: randomUUID(),
  ...over,
});

test.before.each(async (ctx) => {
  ctx.db = await freshDatabase();
  const db = ctx.db.pool;
  await make.institution(db, { code: '2477' });
  await make.institution(db, { code: '2411' });
  const actor = async (account: string, role: StaffActor['role'], institutionCode: string | null) => ({
    staffId: await make.staff(db, { account, name: account, role, institutionCode }),
    role,
    institutionCode,
    ip: '192.0.2.1',
  });
  ctx.reviewer = await actor('r2477', 'reviewer', '2477');
  ctx.other = await actor('a2411', 'institution_admin', '2411');
  ctx.agency = await actor('agency', 'agency_admin', null);
  ctx.inmate = await make.inmate(db, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  const person = async (i: number, locale: 'zh-TW' | 'en' = 'zh-TW') =>
    make.applicant(db, { name: `家屬${i}`, nationalId: VALID_IDS[i]!, email: `f${i}@example.com`, locale });
  ctx.people = {
    approved: await person(0),
    auto: await person(1, 'en'),
    pending: await person(2),
    rejected: await person(3),
    visitOnly: await person(4),
  };
  // One contact book per inmate (one household): each status on an inmate of its own, beside 1024's.
  ctx.inmateAuto = await make.inmate(db, { institutionCode: '2477', callNumber: '1025', name: '陳自動' });
  ctx.inmatePending = await make.inmate(db, { institutionCode: '2477', callNumber: '1026', name: '林待審' });
  const book = (applicant: number, inmate: number, status: 'approved' | 'auto_approved' | 'pending') =>
    make.approvedService(db, { applicant, inmate, service: 'contact_book', relationship: 'mother', status });
  // Refused first: a pending book would stand in the way of the approved one.
  const rejected = await book(ctx.people.rejected, ctx.inmate, 'pending');
  await db.query(
    `UPDATE service_application SET status = 'rejected', rejection_reason = '文件不符', decided_at = now() WHERE id = $1`,
    [rejected],
  );
  await book(ctx.people.approved, ctx.inmate, 'approved');
  await book(ctx.people.auto, ctx.inmateAuto, 'auto_approved');
  await book(ctx.people.pending, ctx.inmatePending, 'pending');
  await make.approvedService(db, {
    applicant: ctx.people.visitOnly,
    inmate: ctx.inmate,
    service: 'visit',
    relationship: 'mother',
    visitKinds: ['onsite'],
  });
});
test.after.each(async (ctx) => {
  await ctx.db.drop();
});

async function photo(): Promise<StoredPhoto> {
  const bytes = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#884422' } })
    .jpeg()
    .withMetadata({ exif: { IFD0: { Copyright: 'secret place' } } })
    .toBuffer();
  const p = await preparePostPhoto({ fileName: 'visit.jpg', bytes });
  if (isUploadProblem(p)) throw new Error('photo refused');
  return p;
}

test('goes to the applicant with an approved or auto-approved contact book, not a pending, rejected or other service', async (ctx) => {
  const db = ctx.db.pool;
  const out = await createInstitutionPost(db, ctx.reviewer, input(), { now: NOW, publicUrl: URL });
  assert.is(out.kind, 'created');
  if (out.kind !== 'created') return;
  assert.is(out.recipients, 1);
  const { rows } = await db.query('SELECT applicant_id FROM institution_post_recipient WHERE post_id = $1', [
    out.postId,
  ]);
  assert.equal(
    rows.map((r) => Number(r.applicant_id)),
    [ctx.people.approved],
  );
  for (const who of ['pending', 'rejected', 'visitOnly', 'auto'] as const)
    assert.is(await getFamilyPost(db, ctx.people[who], out.postId, 'zh-TW'), null, `${who} cannot read it`);
  for (const who of ['rejected', 'visitOnly', 'pending'] as const)
    assert.equal(await listFamilyInmates(db, ctx.people[who], 'zh-TW'), [], `${who} has no inmate listed`);
  const read = await getFamilyPost(db, ctx.people.approved, out.postId, 'zh-TW');
  assert.is(read?.title, '懇親活動通知');
  assert.is(read?.maskedInmate, '王○○');
  assert.match(read!.bodyHtml, '<a href="https://www.mjac.moj.gov.tw/"');
  const auto = await createInstitutionPost(db, ctx.reviewer, input({ callNumber: '1025' }), {
    now: NOW,
    publicUrl: URL,
  });
  assert.ok(
    await getFamilyPost(db, ctx.people.auto, (auto as { postId: number }).postId, 'en'),
    'auto-approved reads it',
  );
  const pending = await createInstitutionPost(db, ctx.reviewer, input({ callNumber: '1026' }), {
    now: NOW,
    publicUrl: URL,
  });
  assert.equal(pending, { kind: 'errors', errors: { callNumber: { key: 'ipost.error.noBook' } } });
});

test('one mail per recipient in their language, in the outbox with the post, naming only the title', async (ctx) => {
  const out = await createInstitutionPost(ctx.db.pool, ctx.reviewer, input(), { now: NOW, publicUrl: URL });
  assert.is(out.kind, 'created');
  const auto = await createInstitutionPost(ctx.db.pool, ctx.reviewer, input({ callNumber: '1025' }), {
    now: NOW,
    publicUrl: URL,
  });
  const ids = [out, auto].map((o) => (o as { postId: number }).postId);
  const { rows } = await ctx.db.pool.query(
    `SELECT n.recipient, n.subject, n.body_text, n.applicant_id, n.institution_code,
            (SELECT count(*)::int FROM graphile_worker._private_jobs j WHERE (j.payload->>'id')::bigint = n.id) AS jobs
       FROM notification n ORDER BY n.recipient`,
  );
  assert.is(rows.length, 2);
  assert.equal(
    rows.map((r) => r.recipient),
    ['f0@example.com', 'f1@example.com'],
  );
  assert.is(rows[0].subject, '機關聯絡簿新訊息：桃園女子監獄');
  assert.is(rows[1].subject, "A new message from Taoyuan Women's Prison");
  for (const r of rows) {
    assert.is(r.jobs, 1, 'a delivery job beside each mail');
    assert.is(r.institution_code, '2477');
    assert.match(r.body_text, '懇親活動通知');
    assert.match(r.body_text, `${URL}/contact-book/from-institution/${ids[rows.indexOf(r)]}`);
    assert.not.match(r.body_text, '本監將於12月', 'the message itself is not in the mail');
    assert.not.match(r.body_text, /王小明|陳自動/, 'the inmate is masked');
  }
});

test('audited as institution_post.created, in the same transaction', async (ctx) => {
  const out = await createInstitutionPost(ctx.db.pool, ctx.reviewer, input(), { now: NOW, publicUrl: URL });
  const { rows } = await ctx.db.pool.query('SELECT * FROM audit_log');
  assert.is(rows.length, 1);
  assert.is(rows[0].action, 'institution_post.created');
  assert.is(Number(rows[0].object_id), (out as { postId: number }).postId);
  assert.is(Number(rows[0].staff_id), ctx.reviewer.staffId);
  assert.is(rows[0].institution_code, '2477');
  assert.is(rows[0].ip, '192.0.2.1');
  assert.equal(rows[0].details, { inmateId: ctx.inmate, title: '懇親活動通知', photo: false, recipients: 1 });
});

test('an inmate who left, or one nobody holds an approved book for, is refused and nothing is written', async (ctx) => {
  const db = ctx.db.pool;
  await make.inmate(db, { institutionCode: '2477', callNumber: '2048', name: '李大同' });
  const none = await createInstitutionPost(db, ctx.reviewer, input({ callNumber: '2048' }), {
    now: NOW,
    publicUrl: URL,
  });
  assert.equal(none, { kind: 'errors', errors: { callNumber: { key: 'ipost.error.noBook' } } });
  await db.query(`UPDATE inmate SET removed_on = '2026-11-20' WHERE id = $1`, [ctx.inmate]);
  const left = await createInstitutionPost(db, ctx.reviewer, input(), { now: NOW, publicUrl: URL });
  assert.equal(left, { kind: 'errors', errors: { callNumber: { key: 'ipost.error.callNumberUnknown' } } });
  for (const table of ['institution_post', 'institution_post_recipient', 'notification', 'audit_log']) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
    assert.is(rows[0].n, 0, `nothing in ${table}`);
  }
});

test('a closed account gets nothing', async (ctx) => {
  await ctx.db.pool.query(`UPDATE applicant SET disabled_at = now(), disabled_reason = '停用' WHERE id = $1`, [
    ctx.people.approved,
  ]);
  const out = await createInstitutionPost(ctx.db.pool, ctx.reviewer, input(), { now: NOW, publicUrl: URL });
  assert.equal(out, { kind: 'errors', errors: { callNumber: { key: 'ipost.error.noBook' } } });
});

test('scope: staff write for their own institution only; the agency chooses; another institution’s post is not found', async (ctx) => {
  const db = ctx.db.pool;
  // 2411's staff naming 2477 still write for 2411, where call number 1024 is nobody.
  const other = await createInstitutionPost(db, ctx.other, input({ institutionCode: '2477' }), {
    now: NOW,
    publicUrl: URL,
  });
  assert.equal(other, { kind: 'errors', errors: { callNumber: { key: 'ipost.error.callNumberUnknown' } } });
  const noChoice = await createInstitutionPost(db, ctx.agency, input(), { now: NOW, publicUrl: URL });
  assert.equal(noChoice.kind === 'errors' && Object.keys(noChoice.errors), ['institution']);
  const agency = await createInstitutionPost(db, ctx.agency, input({ institutionCode: '2477' }), {
    now: NOW,
    publicUrl: URL,
  });
  assert.is(agency.kind, 'created');
  const id = (agency as { postId: number }).postId;
  assert.ok(await getSentPost(db, ctx.reviewer, id, 'zh-TW'));
  assert.is(await getSentPost(db, ctx.other, id, 'zh-TW'), null);
  assert.is((await listSentPosts(db, ctx.other, 'zh-TW', 1)).total, 0);
  assert.is((await listSentPosts(db, ctx.reviewer, 'zh-TW', 1)).total, 1);
  assert.is((await listSentPosts(db, ctx.agency, 'zh-TW', 1)).total, 1);
});

test('the photo goes through the pipeline, is taken from the draft and read only by recipients and staff in scope', async (ctx) => {
  const db = ctx.db.pool;
  const key = randomUUID();
  const p = await photo();
  assert.not.ok(p.content.includes(Buffer.from('secret place')), 'no metadata kept');
  await keepStaffPhotoDraft(db, ctx.reviewer.staffId, key, p, NOW);
  const out = await createInstitutionPost(db, ctx.reviewer, input({ submissionKey: key }), {
    now: NOW,
    publicUrl: URL,
  });
  const id = (out as { postId: number }).postId;
  const { rows } = await db.query('SELECT count(*)::int AS n FROM institution_post_photo_draft');
  assert.is(rows[0].n, 0, 'the draft is taken');
  const seen = await readInstitutionPostPhoto(db, id, { applicantId: ctx.people.approved });
  assert.ok(seen && seen.equals(p.content));
  assert.is(await readInstitutionPostPhoto(db, id, { applicantId: ctx.people.pending }), null);
  assert.ok(await readInstitutionPostPhoto(db, id, { staff: ctx.reviewer }));
  assert.is(await readInstitutionPostPhoto(db, id, { staff: ctx.other }), null);
});

test('the same form sent twice makes one post and one mail', async (ctx) => {
  const key = randomUUID();
  const [a, b] = await Promise.all([
    createInstitutionPost(ctx.db.pool, ctx.reviewer, input({ submissionKey: key }), { now: NOW, publicUrl: URL }),
    createInstitutionPost(ctx.db.pool, ctx.reviewer, input({ submissionKey: key }), { now: NOW, publicUrl: URL }),
  ]);
  assert.equal(a, b);
  const { rows } = await ctx.db.pool.query('SELECT count(*)::int AS n FROM notification');
  assert.is(rows[0].n, 1);
});

test('the family reads per inmate, newest first, paged; a later family does not see earlier posts', async (ctx) => {
  const db = ctx.db.pool;
  for (let i = 0; i < 12; i++) {
    const at = new Date(NOW.getTime() + i * 60_000);
    await createInstitutionPost(db, ctx.reviewer, input({ title: `第${i}則` }), { now: at, publicUrl: URL });
  }
  const first = await listFamilyPosts(db, ctx.people.approved, ctx.inmate, 'zh-TW', 1);
  assert.is(first.total, 12);
  assert.is(first.pages, 2);
  assert.equal(
    first.rows.slice(0, 2).map((p) => p.title),
    ['第11則', '第10則'],
  );
  const second = await listFamilyPosts(db, ctx.people.approved, ctx.inmate, 'zh-TW', 2);
  assert.equal(
    second.rows.map((p) => p.title),
    ['第1則', '第0則'],
  );
  // Another inmate of the same family: their list is separate.
  const sister = await make.inmate(db, { institutionCode: '2411', callNumber: '3003', name: '王小美' });
  await make.approvedService(db, {
    applicant: ctx.people.approved,
    inmate: sister,
    service: 'contact_book',
    relationship: 'mother',
  });
  assert.is((await listFamilyPosts(db, ctx.people.approved, sister, 'zh-TW', 1)).total, 0);
  assert.is((await listFamilyInmates(db, ctx.people.approved, 'zh-TW')).length, 2);
  // The book passes to another household: the new one reads what comes next, not what came before.
  await db.query(
    `UPDATE service_application SET status = 'cancelled', cancel_reason = '改由配偶申請' WHERE applicant_id = $1 AND inmate_id = $2`,
    [ctx.people.approved, ctx.inmate],
  );
  await make.approvedService(db, {
    applicant: ctx.people.pending,
    inmate: ctx.inmate,
    service: 'contact_book',
    relationship: 'spouse',
  });
  assert.is((await listFamilyPosts(db, ctx.people.pending, ctx.inmate, 'zh-TW', 1)).total, 0);
  await createInstitutionPost(db, ctx.reviewer, input({ title: '新的' }), { now: NOW, publicUrl: URL });
  assert.equal(
    (await listFamilyPosts(db, ctx.people.pending, ctx.inmate, 'zh-TW', 1)).rows.map((p) => p.title),
    ['新的'],
  );
  assert.is(
    (await listFamilyPosts(db, ctx.people.approved, ctx.inmate, 'zh-TW', 1)).total,
    12,
    'the old household keeps its history',
  );
});

test('title and text are required and bounded', async (ctx) => {
  const out = await createInstitutionPost(
    ctx.db.pool,
    ctx.reviewer,
    input({ title: ' ', body: '字'.repeat(2001), callNumber: '12' }),
    { now: NOW, publicUrl: URL },
  );
  assert.equal(out.kind === 'errors' && Object.keys(out.errors).sort(), ['body', 'callNumber', 'title']);
});

test.run();
