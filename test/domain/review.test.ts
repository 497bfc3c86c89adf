import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { resubmitApplication, submitApplication, type ResubmitInput } from '../../domain/applications/submit.ts';
import { addUpload } from '../../domain/applications/drafts.ts';
import { decideApplication } from '../../domain/applications/review.ts';
import { getReviewCase, listReviewQueue, QUEUE_PAGE_SIZE, type QueueFilter } from '../../domain/applications/review.ts';
import { readDocument } from '../../domain/applications/documents.ts';
import { searchNotifications } from '../../domain/notifications.ts';
import { prepareDocument, type StoredDocument } from '../../domain/applications/documents.ts';
import { isUploadProblem } from '../../domain/shared/uploads.ts';
import { twoInstitutions } from '../support/scenarios.ts';
import { viewer } from '../support/staff.ts';

type Ctx = { db: TestDb; doc: StoredDocument; staff2477: number; applicants: number[] };
const test = suite<Ctx>('review: the queue, cases, documents, correct-and-resend, the notification log');
const DAY = 86_400_000;
const T0 = new Date('2026-11-02T01:00:00Z'); // 09:00 in Taipei

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await twoInstitutions(pool);
  const calls = Array.from({ length: 25 }, (_, i) => String(1000 + i));
  for (const c of [...calls, '3001', '3002', '3003'])
    await fixture.inmate(pool, { institutionCode: '2477', callNumber: c, name: '王小明' });
  await fixture.inmate(pool, { institutionCode: '2411', callNumber: '2048', name: '林美華' });
  ctx.staff2477 = await fixture.staff(pool, {
    account: 's2477',
    name: '承辦人甲',
    institutionCode: '2477',
    role: 'reviewer',
  });
  ctx.applicants = [];
  for (const [i, id] of ['A152601814', 'A259083012'].entries())
    ctx.applicants.push(
      await fixture.applicant(pool, { name: `家屬${i}`, nationalId: id, email: `family${i}_x%@example.com` }),
    );
  const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#888' } })
    .png()
    .toBuffer();
  const doc = await prepareDocument({ fileName: 'id.png', bytes: png });
  if (isUploadProblem(doc)) throw new Error('fixture');
  ctx.doc = doc;
});
test.after(async (ctx) => {
  await ctx.db.drop();
});

async function apply(ctx: Ctx, callNumber: string, at: Date, opts: { applicant?: number; institution?: string } = {}) {
  const applicantId = opts.applicant ?? ctx.applicants[0]!;
  const key = randomUUID();
  for (const kind of ['identity', 'relationship'] as const)
    await addUpload(ctx.db.pool, applicantId, key, 'contact_book', kind, ctx.doc, at);
  const out = await submitApplication(
    ctx.db.pool,
    {
      applicantId,
      institutionCode: opts.institution ?? '2477',
      callNumber,
      service: 'contact_book',
      visitKinds: [],
      relationship: 'mother',
      submissionKey: key,
    },
    at,
  );
  assert.is(out.kind, 'submitted', JSON.stringify(out));
  return out as { applicationId: number; number: string };
}

const filter = (over: Partial<QueueFilter> = {}): QueueFilter => ({
  institutionCode: null,
  callNumber: null,
  status: null,
  service: null,
  from: null,
  to: null,
  page: 1,
  ...over,
});
const reviewer = (ctx: Ctx) => ({
  staffId: ctx.staff2477,
  role: 'reviewer' as const,
  institutionCode: '2477',
  ip: '10.0.0.1',
});

test('the queue: pending first, oldest first, paginated, within the scope only; filters by call number, status and Taipei dates', async (ctx) => {
  // 25 applications, one a day, newest submitted first so the order cannot come from insertion.
  const made = [];
  for (let i = 24; i >= 0; i--)
    made.push({ i, ...(await apply(ctx, String(1000 + i), new Date(T0.getTime() + i * DAY))) });
  const oldest = made.find((m) => m.i === 0)!;
  const decided = made.find((m) => m.i === 1)!;
  assert.is(
    await decideApplication(ctx.db.pool, decided.applicationId, 1, { decision: 'approve' }, reviewer(ctx), T0),
    'decided',
  );
  await apply(ctx, '2048', T0, { institution: '2411' });

  const page1 = await listReviewQueue(ctx.db.pool, viewer('2477'), filter(), 'zh-TW');
  assert.is(page1.total, 25);
  assert.is(page1.pages, 2);
  assert.is(page1.rows.length, QUEUE_PAGE_SIZE);
  assert.is(page1.rows[0]!.number, oldest.number, 'the oldest pending comes first');
  assert.ok(
    page1.rows.every((r) => r.status === 'pending'),
    'every pending one before the decided one',
  );
  for (let i = 1; i < page1.rows.length; i++) assert.ok(page1.rows[i - 1]!.submittedAt <= page1.rows[i]!.submittedAt);
  const page2 = await listReviewQueue(ctx.db.pool, viewer('2477'), filter({ page: 2 }), 'zh-TW');
  assert.is(page2.rows.at(-1)!.number, decided.number, 'the decided one last');
  assert.is(
    (await listReviewQueue(ctx.db.pool, viewer('2477'), filter({ page: 99 }), 'zh-TW')).page,
    2,
    'a page past the end shows the last',
  );

  assert.is(
    (await listReviewQueue(ctx.db.pool, viewer('2477'), filter({ institutionCode: '2411' }), 'zh-TW')).total,
    0,
    'asking for another institution gives nothing',
  );
  assert.is(
    (await listReviewQueue(ctx.db.pool, viewer(null), filter(), 'zh-TW')).total,
    26,
    'the agency sees every institution',
  );
  assert.is((await listReviewQueue(ctx.db.pool, viewer('2477'), filter({ callNumber: '1003' }), 'zh-TW')).total, 1);
  assert.is(
    (await listReviewQueue(ctx.db.pool, viewer('2477'), filter({ status: 'approved' }), 'zh-TW')).rows[0]!.number,
    decided.number,
  );
  // 2026-11-02 09:00 Taipei is day 0; the range is of Taipei dates, both ends included.
  const range = await listReviewQueue(
    ctx.db.pool,
    viewer('2477'),
    filter({ from: '2026-11-03', to: '2026-11-05' }),
    'zh-TW',
  );
  assert.equal(range.rows.map((r) => r.callNumber).sort(), ['1001', '1002', '1003']);
});

test('a case and its documents are read only within the scope; an applicant reads only their own documents', async (ctx) => {
  const { applicationId } = await apply(ctx, '3001', T0, { applicant: ctx.applicants[1] });
  assert.is(await getReviewCase(ctx.db.pool, viewer('2411'), applicationId, 'zh-TW'), null);
  const c = (await getReviewCase(ctx.db.pool, viewer('2477'), applicationId, 'zh-TW'))!;
  assert.is(c.documents.length, 2);
  assert.is(c.applicant.nationalId, 'A259083012');
  const docId = c.documents[0]!.id;
  assert.ok(await readDocument(ctx.db.pool, docId, applicationId, { staff: viewer('2477') }));
  assert.ok(await readDocument(ctx.db.pool, docId, applicationId, { staff: viewer(null) }));
  assert.is(await readDocument(ctx.db.pool, docId, applicationId, { staff: viewer('2411') }), null);
  assert.ok(await readDocument(ctx.db.pool, docId, applicationId, { applicantId: ctx.applicants[1]! }));
  assert.is(await readDocument(ctx.db.pool, docId, applicationId, { applicantId: ctx.applicants[0]! }), null);
  assert.is(
    await readDocument(ctx.db.pool, docId, applicationId + 1, { staff: viewer('2477') }),
    null,
    'the document must belong to the case in the URL',
  );
});

test('correct and resend: the same application back to pending, history and replaced documents kept, once however often it is sent', async (ctx) => {
  const { applicationId, number } = await apply(ctx, '3002', T0, { applicant: ctx.applicants[1] });
  const me = ctx.applicants[1]!;
  const base: ResubmitInput = {
    applicantId: me,
    number,
    seenVersion: 1,
    relationship: 'sibling',
    visitKinds: [],
    keepDocumentIds: [],
    submissionKey: randomUUID(),
  };
  assert.equal(
    await resubmitApplication(ctx.db.pool, base, T0),
    { kind: 'not_rejected', number },
    'a pending application is not corrected',
  );
  assert.is(
    await decideApplication(
      ctx.db.pool,
      applicationId,
      1,
      { decision: 'reject', reason: '關係證明文件不足' },
      reviewer(ctx),
      T0,
    ),
    'decided',
  );
  assert.equal(
    await resubmitApplication(ctx.db.pool, { ...base, applicantId: ctx.applicants[0]! }, T0),
    { kind: 'not_found' },
    'another applicant',
  );
  assert.equal(
    await resubmitApplication(ctx.db.pool, { ...base, seenVersion: 2 }, T0),
    {
      kind: 'errors',
      errors: {
        relationshipFiles: { key: 'error.documents.relationship' },
        identityFiles: { key: 'error.documents.identity' },
      },
    },
    'nothing kept, nothing new: refused',
  );

  const docs = (
    await ctx.db.pool.query('SELECT id, kind FROM application_document WHERE application_id = $1 ORDER BY id', [
      applicationId,
    ])
  ).rows;
  const identity = Number(docs.find((d) => d.kind === 'identity').id);
  await addUpload(
    ctx.db.pool,
    me,
    base.submissionKey,
    'contact_book',
    'relationship',
    { ...ctx.doc, fileName: '戶籍謄本.png' },
    T0,
  );
  const later = new Date(T0.getTime() + DAY);
  const correction = { ...base, seenVersion: 2, keepDocumentIds: [identity] };
  const results = await Promise.all([
    resubmitApplication(ctx.db.pool, correction, later),
    resubmitApplication(ctx.db.pool, correction, later),
  ]);
  assert.equal(
    results,
    [
      { kind: 'submitted', applicationId, number },
      { kind: 'submitted', applicationId, number },
    ],
    'sent twice at once: the same application',
  );
  const { rows } = await ctx.db.pool.query(
    'SELECT status, version, relationship, rejection_reason, decided_at FROM service_application WHERE id = $1',
    [applicationId],
  );
  assert.equal(rows[0], {
    status: 'pending',
    version: 3,
    relationship: 'sibling',
    rejection_reason: null,
    decided_at: null,
  });
  const c = (await getReviewCase(ctx.db.pool, viewer('2477'), applicationId, 'zh-TW'))!;
  assert.equal(
    c.history.map((e) => [e.action, e.reason]),
    [
      ['submitted', null],
      ['rejected', '關係證明文件不足'],
      ['resubmitted', null],
    ],
  );
  assert.equal(
    c.documents.map((d) => [d.kind, d.fileName, d.replacedAt !== null]),
    [
      ['identity', 'id.png', false],
      ['relationship', '戶籍謄本.png', false],
      ['relationship', 'id.png', true],
    ],
  );
  const mails = await ctx.db.pool.query(
    `SELECT body_text FROM notification WHERE applicant_id = $1 AND body_text LIKE '%目前狀態為待審核%'`,
    [me],
  );
  assert.is(
    mails.rows.filter((m) => m.body_text.includes(number)).length,
    2,
    'a pending mail for the application and one for the correction',
  );
  assert.is(
    await decideApplication(ctx.db.pool, applicationId, 2, { decision: 'approve' }, reviewer(ctx), later),
    'already_decided',
    'a decision on the old version is refused',
  );
  assert.is(
    await decideApplication(ctx.db.pool, applicationId, 3, { decision: 'approve' }, reviewer(ctx), later),
    'decided',
  );
});

test('a correction cannot take a contact book another household now holds', async (ctx) => {
  const first = await apply(ctx, '3003', T0, { applicant: ctx.applicants[0] });
  const staff = reviewer(ctx);
  assert.is(
    await decideApplication(ctx.db.pool, first.applicationId, 1, { decision: 'reject', reason: '文件不清' }, staff, T0),
    'decided',
  );
  await apply(ctx, '3003', T0, { applicant: ctx.applicants[1] });
  const key = randomUUID();
  await addUpload(ctx.db.pool, ctx.applicants[0]!, key, 'contact_book', 'relationship', ctx.doc, T0);
  const docs = (
    await ctx.db.pool.query('SELECT id FROM application_document WHERE application_id = $1', [first.applicationId])
  ).rows.map((d) => Number(d.id));
  const out = await resubmitApplication(
    ctx.db.pool,
    {
      applicantId: ctx.applicants[0]!,
      number: first.number,
      seenVersion: 2,
      relationship: 'mother',
      visitKinds: [],
      keepDocumentIds: docs,
      submissionKey: key,
    },
    T0,
  );
  assert.equal(out, { kind: 'errors', errors: { form: { key: 'error.application.contactBookTaken' } } });
  const { rows } = await ctx.db.pool.query('SELECT status FROM service_application WHERE id = $1', [
    first.applicationId,
  ]);
  assert.is(rows[0].status, 'rejected', 'nothing half-saved');
  assert.is(
    (
      await ctx.db.pool.query(
        'SELECT count(*)::int AS n FROM application_document WHERE application_id = $1 AND replaced_at IS NOT NULL',
        [first.applicationId],
      )
    ).rows[0].n,
    0,
  );
});

test('the notification log: the scope holds, words match literally (no wildcards), newest first', async (ctx) => {
  const scoped = await searchNotifications(
    ctx.db.pool,
    viewer('2411'),
    { institutionCode: null, text: null, status: null, channel: null, from: null, to: null, cursor: null },
    'zh-TW',
  );
  assert.ok(scoped.rows.every((r) => r.institution_code === '2411'));
  assert.ok(scoped.total >= 1);
  const asked = await searchNotifications(
    ctx.db.pool,
    viewer('2411'),
    { institutionCode: '2477', text: null, status: null, channel: null, from: null, to: null, cursor: null },
    'zh-TW',
  );
  assert.is(asked.total, 0);
  const literal = await searchNotifications(
    ctx.db.pool,
    viewer(null),
    { institutionCode: null, text: 'family1_x%', status: null, channel: null, from: null, to: null, cursor: null },
    'zh-TW',
  );
  assert.ok(literal.total > 0 && literal.rows.every((r) => r.recipient.startsWith('family1_x%')));
  const wildcard = await searchNotifications(
    ctx.db.pool,
    viewer(null),
    { institutionCode: null, text: 'family_', status: null, channel: null, from: null, to: null, cursor: null },
    'zh-TW',
  );
  assert.is(wildcard.total, 0, '_ is a character, not a wildcard');
  const all = await searchNotifications(
    ctx.db.pool,
    viewer(null),
    { institutionCode: null, text: null, status: null, channel: null, from: null, to: null, cursor: null },
    'zh-TW',
  );
  for (let i = 1; i < all.rows.length; i++) assert.ok(all.rows[i - 1]!.created_at >= all.rows[i]!.created_at);
});

test.run();
