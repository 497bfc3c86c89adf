import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { submitApplication, type ApplicationInput } from '../../domain/applications/submit.ts';
import { addUpload, DRAFT_QUOTA_MB, purgeOldUploads } from '../../domain/applications/drafts.ts';
import { listApplicationsOf } from '../../domain/applications/status.ts';
import { decideApplication } from '../../domain/applications/review.ts';
import { type DocumentKind } from '../../domain/applications/vocabulary.ts';
import { prepareDocument, type StoredDocument } from '../../domain/applications/documents.ts';
import { isUploadProblem, MB } from '../../domain/shared/uploads.ts';
import { twoInstitutions } from '../support/scenarios.ts';

type Ctx = { db: TestDb; doc: StoredDocument; staff2477: number; staff2411: number; applicants: number[] };
const test = suite<Ctx>('service applications');
const NOW = new Date('2026-11-23T02:00:00Z');

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await twoInstitutions(pool);
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '2048', name: '林美華' });
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '4209', name: '張雅婷', restriction: 'visit_ban' });
  await fixture.inmate(pool, { institutionCode: '2411', callNumber: '1024', name: '陳志強' });
  ctx.staff2477 = await fixture.staff(pool, { account: 's2477', name: 'A', institutionCode: '2477', role: 'reviewer' });
  ctx.staff2411 = await fixture.staff(pool, { account: 's2411', name: 'B', institutionCode: '2411', role: 'reviewer' });
  ctx.applicants = [];
  for (const [i, id] of ['A152601814', 'A259083012', 'B166131862'].entries()) {
    const mobile = i === 0 ? '0912345678' : null;
    ctx.applicants.push(
      await fixture.applicant(pool, { name: `家屬${i}`, nationalId: id, email: `family${i}@example.com`, mobile }),
    );
  }
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

type Docs = Partial<Record<DocumentKind, StoredDocument[]>>;
type Over = Partial<ApplicationInput> & { documents?: Docs };

/** The form's answers; its files are added as drafts first, as the upload route does. */
async function input(ctx: Ctx, over: Over = {}): Promise<ApplicationInput> {
  const { documents = { identity: [ctx.doc], relationship: [ctx.doc] }, ...rest } = over;
  const form: ApplicationInput = {
    applicantId: ctx.applicants[0]!,
    institutionCode: '2477',
    callNumber: '1024',
    service: 'contact_book',
    visitKinds: [],
    relationship: 'mother',
    submissionKey: randomUUID(),
    ...rest,
  };
  for (const [kind, docs] of Object.entries(documents)) {
    for (const doc of docs ?? []) {
      const problem = await addUpload(
        ctx.db.pool,
        form.applicantId,
        form.submissionKey,
        form.service,
        kind as DocumentKind,
        doc,
        NOW,
      );
      if (problem) throw new Error(`draft refused: ${problem.key}`);
    }
  }
  return form;
}

/** Submits the form made by `input`, at NOW. */
async function submit(ctx: Ctx, over: Over = {}) {
  return submitApplication(ctx.db.pool, await input(ctx, over), NOW);
}

test('a complete application is recorded as pending with its documents, history and the pending mail, together', async (ctx) => {
  const out = await submit(ctx);
  assert.is(out.kind, 'submitted');
  const { applicationId, number } = out as { applicationId: number; number: string };
  assert.match(number, /^20261123-[2-9A-HJ-NP-Z]{6}$/);
  const { rows } = await ctx.db.pool.query(
    `SELECT status,
      (SELECT count(*)::int FROM application_document WHERE application_id = a.id) AS docs,
      (SELECT count(*)::int FROM application_event WHERE application_id = a.id AND action = 'submitted') AS events
    FROM service_application a WHERE id = $1`,
    [applicationId],
  );
  assert.equal(rows[0], { status: 'pending', docs: 2, events: 1 });
  const mail = await ctx.db.pool.query(
    `SELECT subject, body_text FROM notification WHERE applicant_id = $1 ORDER BY id DESC LIMIT 1`,
    [ctx.applicants[0]],
  );
  assert.is(mail.rows[0].subject, '便民服務入口網服務項目申請通知');
  assert.match(mail.rows[0].body_text, '申請服務項目目前狀態為待審核');
  assert.match(mail.rows[0].body_text, '桃園女子監獄-王○○');
  assert.not.match(mail.rows[0].body_text, '王小明');
});

test('the same submission key twice (double click) makes one application', async (ctx) => {
  const key = randomUUID();
  const data = await input(ctx, {
    applicantId: ctx.applicants[1]!,
    callNumber: '2048',
    service: 'visit',
    visitKinds: ['onsite'],
    submissionKey: key,
  });
  const [a, b] = await Promise.all([
    submitApplication(ctx.db.pool, data, NOW),
    submitApplication(ctx.db.pool, data, NOW),
  ]);
  assert.is(a.kind, 'submitted');
  assert.equal(a, b);
  const { rows } = await ctx.db.pool.query(
    'SELECT count(*)::int AS n FROM service_application WHERE submission_key = $1',
    [key],
  );
  assert.is(rows[0].n, 1);
});

test('one contact book per inmate: another household is told, in code and in the database', async (ctx) => {
  const other = await submit(ctx, { applicantId: ctx.applicants[2]!, relationship: 'sibling' });
  assert.equal(other, { kind: 'errors', errors: { callNumber: { key: 'error.application.contactBookTaken' } } });
});

test('missing answers and documents: one message per field, the relationship and its documents apart', async (ctx) => {
  const out = await submit(ctx, {
    applicantId: ctx.applicants[1]!,
    callNumber: '12',
    relationship: 'lawyer',
    documents: {},
  });
  assert.is(out.kind, 'errors');
  const keys = Object.fromEntries(
    Object.entries((out as { errors: Record<string, { key: string }> }).errors).map(([k, v]) => [k, v.key]),
  );
  assert.equal(keys, {
    callNumber: 'error.callNumber.format',
    relationship: 'error.relationship.required',
    identityFiles: 'error.documents.identity',
    relationshipFiles: 'error.documents.relationship',
  });
  const lawyer = await submit(ctx, {
    applicantId: ctx.applicants[1]!,
    service: 'lawyer_visit',
    relationship: 'mother',
    documents: { identity: [ctx.doc] },
  });
  const lk = Object.keys((lawyer as { errors: object }).errors).sort();
  assert.equal(lk, ['mandateFiles', 'relationship'], 'a lawyer must be a lawyer, defender… and send a mandate');
});

test('restricted and unknown inmates cannot be applied for; call numbers belong to one institution', async (ctx) => {
  const key = (o: unknown) => (o as { errors: { callNumber?: { key: string } } }).errors.callNumber?.key;
  assert.is(key(await submit(ctx, { applicantId: ctx.applicants[1]!, callNumber: '4209' })), 'restriction.visit_ban');
  assert.is(
    key(await submit(ctx, { applicantId: ctx.applicants[1]!, callNumber: '9999' })),
    'error.callNumber.unknown',
  );
});

test('a mobile visit needs a mobile number on the account and a frontal photo', async (ctx) => {
  const noMobile = await submit(ctx, {
    applicantId: ctx.applicants[2]!,
    service: 'visit',
    visitKinds: ['mobile'],
    callNumber: '2048',
  });
  const e = (noMobile as { errors: Record<string, { key: string }> }).errors;
  assert.is(e.visitKinds?.key, 'error.mobileVisit.noMobile');
  assert.is(e.photoFiles?.key, 'error.documents.photo');
  const ok = await submit(ctx, {
    service: 'visit',
    visitKinds: ['mobile', 'onsite'],
    callNumber: '2048',
    relationship: 'spouse',
    documents: { identity: [ctx.doc], relationship: [ctx.doc], photo: [ctx.doc] },
  });
  assert.is(ok.kind, 'submitted');
});

test('the total size limit is per service and per form: 20 MB for visits; and per applicant across unsent forms', async (ctx) => {
  // Distinct contents (by hash), since the same file twice in one form is kept once.
  let n = 0;
  const sized = (bytes: number): StoredDocument => ({
    ...ctx.doc,
    uploadedBytes: bytes,
    sha256: Buffer.from(`file-${(n += 1)}`),
  });
  const key = randomUUID();
  const add = (k: string, d: StoredDocument, service: 'visit' | 'lawyer_visit' = 'visit') =>
    addUpload(ctx.db.pool, ctx.applicants[2]!, k, service, 'identity', d, NOW);
  assert.is(await add(key, sized(10 * MB)), null);
  assert.equal(await add(key, sized(10 * MB + 1)), {
    key: 'error.upload.tooLarge',
    params: { limit: 20, total: '20.0' },
  });
  assert.is(await add(key, sized(10 * MB)), null, 'exactly 20 MB is allowed');
  // New forms do not buy new space: 60 MB across all unsent forms.
  const other = randomUUID();
  assert.is(await add(other, sized(20 * MB), 'lawyer_visit'), null);
  assert.is(await add(other, sized(10 * MB), 'lawyer_visit'), null);
  assert.equal(await add(randomUUID(), sized(10 * MB + 1)), {
    key: 'error.upload.quota',
    params: { limit: DRAFT_QUOTA_MB },
  });
  // Drafts older than a day are purged.
  assert.is(await purgeOldUploads(ctx.db.pool, new Date(NOW.getTime() + 23 * 3600_000)), 0);
  assert.ok((await purgeOldUploads(ctx.db.pool, new Date(NOW.getTime() + 25 * 3600_000))) >= 4);
});

test('the same file sent twice for one form (a double click) is kept once', async (ctx) => {
  const key = randomUUID();
  const results = await Promise.all(
    [1, 2, 3].map(() => addUpload(ctx.db.pool, ctx.applicants[1]!, key, 'contact_book', 'identity', ctx.doc, NOW)),
  );
  assert.equal(results, [null, null, null]);
  const { rows } = await ctx.db.pool.query(
    'SELECT count(*)::int AS n FROM application_upload WHERE submission_key = $1',
    [key],
  );
  assert.is(rows[0].n, 1);
});

test('the same form key with other answers is refused rather than landing on the first application', async (ctx) => {
  const first = await input(ctx, {
    applicantId: ctx.applicants[2]!,
    service: 'visit',
    visitKinds: ['onsite'],
    callNumber: '1024',
    relationship: 'spouse',
  });
  const made = await submitApplication(ctx.db.pool, first, NOW);
  assert.is(made.kind, 'submitted');
  const changed = await submitApplication(ctx.db.pool, { ...first, service: 'contact_book', visitKinds: [] }, NOW);
  assert.equal(changed, { kind: 'errors', errors: { form: { key: 'error.application.formUsed' } } });
});

test("only staff of the inmate's institution decide; two decisions at once: the second is told, nothing overwritten", async (ctx) => {
  const made = await submit(ctx, {
    applicantId: ctx.applicants[2]!,
    service: 'lawyer_visit',
    relationship: 'lawyer',
    callNumber: '2048',
    documents: { identity: [ctx.doc], mandate: [ctx.doc] },
  });
  const id = (made as { applicationId: number }).applicationId;
  const other = { staffId: ctx.staff2411, role: 'reviewer' as const, institutionCode: '2411', ip: '127.0.0.1' };
  assert.is(await decideApplication(ctx.db.pool, id, 1, { decision: 'approve' }, other, NOW), 'not_found');
  const mine = { staffId: ctx.staff2477, role: 'reviewer' as const, institutionCode: '2477', ip: '127.0.0.1' };
  assert.is(
    await decideApplication(ctx.db.pool, id, 1, { decision: 'reject', reason: '  ' }, mine, NOW),
    'reason_required',
  );
  const results = await Promise.all([
    decideApplication(ctx.db.pool, id, 1, { decision: 'reject', reason: '委任狀影像不清楚，請重新上傳。' }, mine, NOW),
    decideApplication(ctx.db.pool, id, 1, { decision: 'approve' }, mine, NOW),
  ]);
  assert.equal([...results].sort(), ['already_decided', 'decided']);
  const { rows } = await ctx.db.pool.query(
    `SELECT status, (SELECT count(*)::int FROM application_event WHERE application_id = $1 AND action <> 'submitted') AS decisions,
    (SELECT count(*)::int FROM audit_log WHERE object_id = $1) AS audits FROM service_application WHERE id = $1`,
    [id],
  );
  assert.equal({ ...rows[0], status: undefined }, { status: undefined, decisions: 1, audits: 1 });
  const mail = await ctx.db.pool.query(
    `SELECT body_text FROM notification WHERE applicant_id = $1 ORDER BY id DESC LIMIT 1`,
    [ctx.applicants[2]],
  );
  assert.match(
    mail.rows[0].body_text,
    rows[0].status === 'approved' ? '審核結果為審核通過' : '委任狀影像不清楚，請重新上傳。',
  );
});

test("the status list holds only the applicant's own rows, newest first, with masked names", async (ctx) => {
  const mine = await listApplicationsOf(ctx.db.pool, ctx.applicants[0]!, 'zh-TW');
  assert.ok(mine.length >= 2);
  assert.ok(mine.every((r) => r.maskedInmate.endsWith('○○')));
  const ids = new Set(mine.map((r) => r.id));
  for (const r of await listApplicationsOf(ctx.db.pool, ctx.applicants[2]!, 'zh-TW')) assert.not.ok(ids.has(r.id));
  for (let i = 1; i < mine.length; i++) assert.ok(mine[i - 1]!.submittedAt >= mine[i]!.submittedAt);
});

test.run();
