import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { twoInstitutions } from '../support/scenarios.ts';
import { submitApplication, resubmitApplication, type ApplicationInput } from '../../domain/applications/submit.ts';
import { addUpload } from '../../domain/applications/drafts.ts';
import { listApplicationsOf } from '../../domain/applications/status.ts';
import { decideApplication, getReviewCase, listReviewQueue } from '../../domain/applications/review.ts';
import { prepareDocument, type StoredDocument } from '../../domain/applications/documents.ts';
import { setAutoApproval } from '../../domain/institutions/parameters.ts';
import { isUploadProblem } from '../../domain/shared/uploads.ts';

/** A reviewer's view of 2477, as the review pages read it. */
const REVIEWER_2477 = { role: 'reviewer', institutionCode: '2477' } as const;
import type { StaffActor } from '../../domain/shared/staff-actor.ts';

type Ctx = { db: TestDb; doc: StoredDocument; admin: StaffActor; family: number; inmate: number; other: number };
const test = suite<Ctx>(
  '自動審核通過: per institution and service, only on an approved service for the same inmate and relationship',
);
const NOW = new Date('2026-11-23T02:00:00Z');

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await twoInstitutions(pool);
  const staffId = await fixture.staff(pool, {
    account: 'a2477',
    name: '甲',
    institutionCode: '2477',
    role: 'institution_admin',
  });
  ctx.admin = { staffId, role: 'institution_admin', institutionCode: '2477', ip: null };
  ctx.inmate = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  ctx.other = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '2048', name: '林美華' });
  ctx.family = await fixture.applicant(pool, { name: '陳美玲', nationalId: 'A223456781', email: 'mei@example.com' });
  const jpeg = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  const doc = await prepareDocument({ fileName: 'id.jpg', bytes: jpeg });
  if (isUploadProblem(doc)) throw new Error('fixture');
  ctx.doc = doc;
});
test.after(async (ctx) => {
  await ctx.db.drop();
});

async function submit(ctx: Ctx, over: Partial<ApplicationInput> = {}) {
  const form: ApplicationInput = {
    applicantId: ctx.family,
    institutionCode: '2477',
    callNumber: '1024',
    service: 'contact_book',
    visitKinds: [],
    relationship: 'mother',
    submissionKey: randomUUID(),
    ...over,
  };
  for (const kind of ['identity', 'relationship'] as const) {
    const problem = await addUpload(
      ctx.db.pool,
      form.applicantId,
      form.submissionKey,
      form.service,
      kind,
      ctx.doc,
      NOW,
    );
    if (problem) throw new Error(problem.key);
  }
  const out = await submitApplication(ctx.db.pool, form, NOW);
  if (out.kind !== 'submitted') throw new Error(JSON.stringify(out));
  const { rows } = await ctx.db.pool.query(
    `SELECT a.status, a.decided_at, a.decided_by, array_agg(e.action ORDER BY e.id) AS events
       FROM service_application a JOIN application_event e ON e.application_id = a.id WHERE a.id = $1 GROUP BY a.id`,
    [out.applicationId],
  );
  const mails = await ctx.db.pool.query(
    `SELECT subject, body_text FROM notification WHERE applicant_id = $1 AND body_text LIKE $2 ORDER BY id`,
    [ctx.family, `%${out.number}%`],
  );
  return { ...out, ...rows[0], mails: mails.rows as { subject: string; body_text: string }[] };
}

const reset = async (ctx: Ctx) => {
  await ctx.db.pool.query('DELETE FROM application_event');
  await ctx.db.pool.query('DELETE FROM application_document');
  await ctx.db.pool.query('DELETE FROM service_application');
  await setAutoApproval(ctx.db.pool, ctx.admin, '2477', [], NOW);
};

test('off by default: with an approved visit, a contact book application still waits for a reviewer', async (ctx) => {
  await fixture.approvedService(ctx.db.pool, {
    applicant: ctx.family,
    inmate: ctx.inmate,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
  });
  const out = await submit(ctx);
  assert.is(out.status, 'pending');
  assert.equal(out.events, ['submitted']);
  assert.is(out.mails.length, 1);
  assert.match(out.mails[0]!.body_text, '目前狀態為待審核');
  await reset(ctx);
});

test('on: approved at once, by nobody, shown as 自動審核通過 to the family and to staff, mailed like an approval', async (ctx) => {
  await fixture.approvedService(ctx.db.pool, {
    applicant: ctx.family,
    inmate: ctx.inmate,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
    number: '20261101-BASIS1',
  });
  await setAutoApproval(ctx.db.pool, ctx.admin, '2477', ['contact_book'], NOW);
  const out = await submit(ctx);
  assert.is(out.status, 'auto_approved');
  assert.equal(out.decided_at, NOW);
  assert.is(out.decided_by, null);
  assert.equal(out.events, ['submitted', 'auto_approved']);
  assert.is(out.mails.length, 1, 'one mail: the approval, not "pending"');
  assert.is(out.mails[0]!.subject, '便民服務入口網服務項目審核結果通知');
  assert.match(out.mails[0]!.body_text, '審核結果為自動審核通過');

  const own = await listApplicationsOf(ctx.db.pool, ctx.family, 'zh-TW', out.number);
  assert.is(own[0]?.status, 'auto_approved', "the applicant's status table");
  const c = (await getReviewCase(ctx.db.pool, REVIEWER_2477, out.applicationId, 'zh-TW'))!;
  assert.equal(
    c.history.map((e) => [e.action, e.staffName, e.basisNumber]),
    [
      ['submitted', null, null],
      ['auto_approved', null, '20261101-BASIS1'],
    ],
  );
  const queue = await listReviewQueue(
    ctx.db.pool,
    REVIEWER_2477,
    { institutionCode: null, callNumber: null, from: null, to: null, page: 1, status: 'auto_approved', service: null },
    'zh-TW',
  );
  assert.equal(
    queue.rows.map((r) => r.number),
    [out.number],
    "listed in the staff queue's history",
  );
  await reset(ctx);
});

test('not for another relationship, another inmate, a pending or rejected basis, or a service not switched on', async (ctx) => {
  const { pool } = ctx.db;
  await setAutoApproval(pool, ctx.admin, '2477', ['contact_book'], NOW);
  await fixture.approvedService(pool, {
    applicant: ctx.family,
    inmate: ctx.inmate,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'sibling',
  });
  assert.is((await submit(ctx)).status, 'pending', 'approved as sibling, applying as mother');
  await reset(ctx);

  await setAutoApproval(pool, ctx.admin, '2477', ['contact_book'], NOW);
  await fixture.approvedService(pool, {
    applicant: ctx.family,
    inmate: ctx.other,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
  });
  assert.is((await submit(ctx)).status, 'pending', 'approved for another inmate');
  await reset(ctx);

  await setAutoApproval(pool, ctx.admin, '2477', ['contact_book'], NOW);
  await fixture.approvedService(pool, {
    applicant: ctx.family,
    inmate: ctx.inmate,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
    status: 'pending',
  });
  assert.is((await submit(ctx)).status, 'pending', 'the other one is only pending');
  await reset(ctx);

  await setAutoApproval(pool, ctx.admin, '2477', ['visit', 'lawyer_visit'], NOW);
  await fixture.approvedService(pool, {
    applicant: ctx.family,
    inmate: ctx.inmate,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
  });
  assert.is((await submit(ctx)).status, 'pending', 'switched on for other services only');
  const remote = await submit(ctx, { service: 'visit', visitKinds: ['remote'] });
  assert.is(remote.status, 'auto_approved', 'a further visit kind, with visits switched on');
  await reset(ctx);

  // Another institution's switch does not count.
  await pool.query(`UPDATE institution SET auto_approve_services = '{contact_book}' WHERE code = '2411'`);
  await fixture.approvedService(pool, {
    applicant: ctx.family,
    inmate: ctx.inmate,
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
  });
  assert.is((await submit(ctx)).status, 'pending');
  await pool.query(`UPDATE institution SET auto_approve_services = '{}' WHERE code = '2411'`);
  await reset(ctx);
});

test('a rejected basis does not count, and a corrected application waits for a reviewer', async (ctx) => {
  const { pool } = ctx.db;
  const reviewer = await fixture.staff(pool, {
    account: 'r2477',
    name: '乙',
    institutionCode: '2477',
    role: 'reviewer',
  });
  const first = await submit(ctx, { service: 'visit', visitKinds: ['onsite'] });
  await setAutoApproval(pool, ctx.admin, '2477', ['contact_book', 'visit'], NOW);
  const decided = await decideApplication(
    pool,
    first.applicationId,
    1,
    { decision: 'reject', reason: '文件不清楚' },
    { staffId: reviewer, role: 'reviewer', institutionCode: '2477', ip: null },
    NOW,
  );
  assert.is(decided, 'decided');
  assert.is((await submit(ctx)).status, 'pending', 'the visit was rejected: nothing to rest on');
  await pool.query(
    `UPDATE service_application SET status = 'approved', decided_at = now() WHERE service = 'contact_book'`,
  );
  // The contact book is approved now, and the rejected visit is corrected: a reviewer reads the correction.
  const again = await resubmitApplication(
    pool,
    {
      applicantId: ctx.family,
      number: first.number,
      seenVersion: 2,
      relationship: 'mother',
      visitKinds: ['onsite'],
      keepDocumentIds: (
        await pool.query('SELECT id FROM application_document WHERE application_id = $1', [first.applicationId])
      ).rows.map((r) => Number(r.id)),
      submissionKey: randomUUID(),
    },
    NOW,
  );
  assert.is(again.kind, 'submitted');
  assert.is(
    (await pool.query('SELECT status FROM service_application WHERE id = $1', [first.applicationId])).rows[0].status,
    'pending',
  );
  await reset(ctx);
});

test('the database keeps 自動審核通過 in the history by nobody, naming its basis', async (ctx) => {
  const { pool } = ctx.db;
  const app = await fixture.approvedService(pool, {
    applicant: ctx.family,
    inmate: ctx.inmate,
    service: 'contact_book',
    relationship: 'mother',
  });
  let refused = false;
  try {
    await pool.query(`INSERT INTO application_event (application_id, action, at) VALUES ($1, 'auto_approved', now())`, [
      app,
    ]);
  } catch {
    refused = true;
  }
  assert.ok(refused, 'an automatic approval without its basis is refused');
  await reset(ctx);
});

test.run();
