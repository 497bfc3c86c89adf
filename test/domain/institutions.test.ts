import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { twoInstitutions } from '../support/scenarios.ts';
import {
  createInstitution,
  getInstitutionRecord,
  listInstitutionRecords,
  updateInstitution,
} from '../../domain/institutions/records.ts';
import { readParameterSheet, setAutoApproval, updateParameters } from '../../domain/institutions/parameters.ts';
import { checkParameters, DEFAULT_PARAMETERS, type ParameterCode } from '../../domain/institutions/vocabulary.ts';
import { listInstitutions } from '../../domain/institutions.ts';
import { submitPost } from '../../domain/contact-book/posts.ts';
import { postingState } from '../../domain/contact-book/recipients.ts';
import { lawyerArrivalTimes, lawyerWindows } from '../../domain/bookings/availability.ts';
import { listTimetable } from '../../domain/bookings/timetable.ts';
import { StaffNotAllowed, type StaffActor } from '../../domain/shared/staff-actor.ts';

type Ctx = { db: TestDb; agency: StaffActor; admin2477: StaffActor; admin2411: StaffActor; reviewer: StaffActor };
const test = suite<Ctx>('機關資料管理 and 系統參數設定(機關): ranges, window order, apply at once, audit');
const NOW = new Date('2026-11-23T02:00:00Z');
const later = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

const actor = (staffId: number, role: StaffActor['role'], institutionCode: string | null): StaffActor => ({
  staffId,
  role,
  institutionCode,
  ip: '127.0.0.1',
});

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await twoInstitutions(pool);
  const mk = (account: string, role: StaffActor['role'], code: string | null) =>
    fixture.staff(pool, { account, name: account, role, institutionCode: code });
  ctx.agency = actor(await mk('agency', 'agency_admin', null), 'agency_admin', null);
  ctx.admin2477 = actor(await mk('admin2477', 'institution_admin', '2477'), 'institution_admin', '2477');
  ctx.admin2411 = actor(await mk('admin2411', 'institution_admin', '2411'), 'institution_admin', '2411');
  ctx.reviewer = actor(await mk('rev2477', 'reviewer', '2477'), 'reviewer', '2477');
});
test.after(async (ctx) => {
  await ctx.db.drop();
});

/** The promise must fail (with an instance of `kind` when given). */
async function rejects(work: () => Promise<unknown>, kind?: new (...args: never[]) => Error) {
  let failed: unknown = null;
  try {
    await work();
  } catch (err) {
    failed = err ?? new Error('rejected');
  }
  assert.ok(failed, 'expected a failure');
  if (kind) assert.instance(failed, kind);
}

const PARAMS: Record<ParameterCode, string> = {
  A: '20',
  B: '',
  C: '10',
  RAS: '09:00',
  RAE: '11:00',
  RFS: '14:00',
  RFE: '16:00',
};
const audits = async (ctx: Ctx, action: string) =>
  (
    await ctx.db.pool.query(`SELECT staff_id, institution_code, details FROM audit_log WHERE action = $1 ORDER BY id`, [
      action,
    ])
  ).rows;

test('an agency administrator adds an institution with the default parameters, audited; a used code is refused', async (ctx) => {
  const input = {
    code: '３１０１',
    nameZh: ' 臺北監獄 ',
    nameEn: 'Taipei Prison',
    addressZh: '桃園市龜山區宏德新村2號',
    addressEn: '',
    phone: '(03)319-1161',
    visitingNotesZh: '請於接見前30分鐘報到。\r\n請攜帶身分證。',
    visitingNotesEn: '',
  };
  const out = await createInstitution(ctx.db.pool, ctx.agency, input, NOW);
  assert.equal(out.kind, 'saved');
  const record = await getInstitutionRecord(ctx.db.pool, ctx.agency, '3101');
  assert.is(record?.nameZh, '臺北監獄', 'trimmed');
  assert.is(record?.visitingNotesZh, '請於接見前30分鐘報到。\n請攜帶身分證。');
  const sheet = (await readParameterSheet(ctx.db.pool, ctx.agency, '3101'))!;
  assert.equal(sheet.parameters, DEFAULT_PARAMETERS, 'a new institution starts with the defaults');
  assert.equal(sheet.autoApproval, [], '自動審核通過 is off by default');
  const [audit] = await audits(ctx, 'institution.created');
  assert.is(audit.institution_code, '3101');
  assert.is(audit.staff_id, ctx.agency.staffId);
  assert.is(audit.details.new.nameEn, 'Taipei Prison');
  // The families' visit-times list reads the notes (Chinese shown to English readers when there is no English).
  const listed = (await listInstitutions(ctx.db.pool, 'en')).find((i) => i.code === '3101')!;
  assert.is(listed.visitingNotes, '請於接見前30分鐘報到。\n請攜帶身分證。');

  const again = await createInstitution(ctx.db.pool, ctx.agency, { ...input, nameZh: '另一個' }, NOW);
  assert.is(again.kind, 'errors');
  assert.equal(again.kind === 'errors' && again.errors.code?.key, 'institutions.error.codeTaken');
  const bad = await createInstitution(
    ctx.db.pool,
    ctx.agency,
    { ...input, code: '31', nameZh: '', nameEn: 'x'.repeat(81), phone: 'call me', visitingNotesZh: '字'.repeat(501) },
    NOW,
  );
  assert.is(bad.kind, 'errors');
  if (bad.kind === 'errors') {
    assert.equal(Object.keys(bad.errors).sort(), ['code', 'nameEn', 'nameZh', 'phone', 'visitingNotesZh']);
    assert.is(bad.value.nameEn, 'x'.repeat(81), 'what was entered is kept');
  }
  assert.is((await audits(ctx, 'institution.created')).length, 1, 'nothing refused is audited');
});

test('editing an institution audits only what changed, with old and new; the code stays', async (ctx) => {
  const before = (await getInstitutionRecord(ctx.db.pool, ctx.agency, '3101'))!;
  const out = await updateInstitution(
    ctx.db.pool,
    ctx.agency,
    '3101',
    { ...before, phone: '(03)319-0000', visitingNotesEn: 'Arrive 30 minutes early.' },
    NOW,
  );
  assert.equal(out, { kind: 'saved', code: '3101', changed: ['phone', 'visitingNotesEn'] });
  const [audit] = await audits(ctx, 'institution.updated');
  assert.equal(audit.details.changes, {
    phone: { old: '(03)319-1161', new: '(03)319-0000' },
    visitingNotesEn: { old: '', new: 'Arrive 30 minutes early.' },
  });
  const same = await updateInstitution(
    ctx.db.pool,
    ctx.agency,
    '3101',
    { ...before, phone: '(03)319-0000', visitingNotesEn: 'Arrive 30 minutes early.' },
    NOW,
  );
  assert.equal(same, { kind: 'saved', code: '3101', changed: [] });
  assert.is((await audits(ctx, 'institution.updated')).length, 1, 'no change, no entry');
  assert.is((await updateInstitution(ctx.db.pool, ctx.agency, '9999', before, NOW)).kind, 'not_found');
  assert.is((await listInstitutionRecords(ctx.db.pool, ctx.agency)).length, 3);
});

test('only the agency administrator manages institutions (the domain refuses everyone else)', async (ctx) => {
  for (const who of [ctx.admin2477, ctx.reviewer]) {
    await rejects(() => listInstitutionRecords(ctx.db.pool, who), StaffNotAllowed);
    await rejects(
      () =>
        createInstitution(
          ctx.db.pool,
          who,
          {
            ...PARAMS,
            code: '5555',
            nameZh: '甲',
            nameEn: 'A',
            addressZh: '',
            addressEn: '',
            phone: '',
            visitingNotesZh: '',
            visitingNotesEn: '',
          },
          NOW,
        ),
      StaffNotAllowed,
    );
  }
});

test('parameter ranges match the database: A 5–120, C 1–90, times HH:MM, B printable', () => {
  const problems = (over: Partial<Record<ParameterCode, string>>) =>
    Object.keys(checkParameters({ ...PARAMS, ...over }).errors).sort();
  assert.equal(problems({}), []);
  assert.equal(problems({ A: '5', C: '1' }), []);
  assert.equal(problems({ A: '120', C: '90' }), []);
  assert.equal(problems({ A: '4', C: '0' }), ['A', 'C']);
  assert.equal(problems({ A: '121', C: '91' }), ['A', 'C']);
  assert.equal(problems({ A: '20.5', C: '-3' }), ['A', 'C']);
  assert.equal(problems({ A: '', C: 'ten' }), ['A', 'C']);
  assert.equal(problems({ A: '２５' }), [], 'full-width digits are digits');
  assert.equal(problems({ RAS: '9:00', RFE: '24:00' }), ['RAS', 'RFE']);
  assert.equal(problems({ B: '\\\\nas01\\recordings\\2477' }), []);
  assert.equal(problems({ B: 'x'.repeat(256) }), ['B']);
  assert.equal(problems({ B: 'a\tb' }), ['B']);
});

test('lawyer windows must be in order RAS < RAE <= RFS < RFE, told on the later field', () => {
  const problems = (over: Partial<Record<ParameterCode, string>>) => checkParameters({ ...PARAMS, ...over }).errors;
  assert.equal(
    Object.keys(problems({ RAE: '11:00', RFS: '11:00' })),
    [],
    'the afternoon may start as the morning ends',
  );
  assert.is(
    problems({ RAS: '11:00', RAE: '09:00' }).RAE?.key,
    'parameters.error.RAE',
    "seed 002's swapped row is refused",
  );
  assert.is(problems({ RAS: '09:00', RAE: '09:00' }).RAE?.key, 'parameters.error.RAE');
  assert.is(problems({ RAE: '12:00', RFS: '11:30' }).RFS?.key, 'parameters.error.RFS');
  assert.is(problems({ RFS: '16:00', RFE: '14:00' }).RFE?.key, 'parameters.error.RFE');
  assert.equal(Object.keys(problems({ RAS: '08:30', RAE: '12:00', RFS: '13:00', RFE: '17:30' })), []);
});

test('a refused change writes nothing; an institution administrator changes only their own', async (ctx) => {
  const bad = await updateParameters(ctx.db.pool, ctx.admin2477, '2477', { ...PARAMS, C: '91', RAE: '08:00' }, NOW);
  assert.is(bad.kind, 'errors');
  if (bad.kind === 'errors') assert.is(bad.entered.C, '91', 'what was entered is kept');
  assert.is((await audits(ctx, 'institution.parameters_changed')).length, 0);
  assert.is((await updateParameters(ctx.db.pool, ctx.admin2477, '2411', PARAMS, NOW)).kind, 'not_found');
  assert.is(await readParameterSheet(ctx.db.pool, ctx.admin2477, '2411'), null, 'another institution is not found');
  assert.is((await setAutoApproval(ctx.db.pool, ctx.admin2477, '2411', ['visit'], NOW)).kind, 'not_found');
  await rejects(() => updateParameters(ctx.db.pool, ctx.reviewer, '2477', PARAMS, NOW), StaffNotAllowed);
  await rejects(() => readParameterSheet(ctx.db.pool, ctx.reviewer, '2477'), StaffNotAllowed);
  assert.ok(await readParameterSheet(ctx.db.pool, ctx.agency, '2411'), 'the agency sees every institution');
});

test('a change applies at once (next post, lawyer times, mobile visit length), audited old/new, shown as the last change', async (ctx) => {
  const { pool } = ctx.db;
  const family = await fixture.applicant(pool, { name: '陳美玲', nationalId: 'A223456781', email: 'mei@example.com' });
  const inmate = await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  const book = await fixture.approvedService(pool, {
    applicant: family,
    inmate,
    service: 'contact_book',
    relationship: 'mother',
  });
  await fixture.visitBatch(pool, {
    institutionCode: '2477',
    kind: 'mobile',
    weekday: 2,
    startsAt: '10:00',
    lengthMinutes: null,
    capacity: 2,
  });
  const post = (at: Date) =>
    submitPost(
      pool,
      {
        applicantId: family,
        applicationId: book,
        title: '近況',
        body: '一切安好',
        photo: null,
        submissionKey: randomUUID(),
      },
      at,
    );
  assert.is((await post(NOW)).kind, 'posted');
  const recipient = { inmateId: inmate, institutionCode: '2477' };
  assert.equal(await postingState(pool, family, recipient, later(4)), {
    kind: 'wait',
    nextDate: '2026-12-03',
    intervalDays: 10,
  });
  assert.is((await post(later(4))).kind, 'errors', 'C = 10: too soon');

  const out = await updateParameters(
    pool,
    ctx.admin2477,
    '2477',
    { A: '30', B: '\\\\nas01\\rec', C: '3', RAS: '08:30', RAE: '10:00', RFS: '13:30', RFE: '15:00' },
    later(4),
  );
  assert.equal(out, { kind: 'saved', changed: ['A', 'B', 'C', 'RAS', 'RAE', 'RFS', 'RFE'] });
  // Nothing is cached: the next reads and writes see the new values.
  assert.equal(await postingState(pool, family, recipient, later(4)), { kind: 'open' });
  assert.is((await post(later(4))).kind, 'posted', 'C = 3: the next post goes through');
  assert.equal(await postingState(pool, family, recipient, later(5)), {
    kind: 'wait',
    nextDate: '2026-11-30',
    intervalDays: 3,
  });
  const windows = (await lawyerWindows(pool, '2477'))!;
  assert.equal(windows, { morning: { start: '08:30', end: '10:00' }, afternoon: { start: '13:30', end: '15:00' } });
  assert.is(lawyerArrivalTimes(windows)[0], '08:30');
  assert.is((await listTimetable(pool, '2477')).find((b) => b.kind === 'mobile')?.minutes, 30);
  assert.is((await listInstitutions(pool, 'zh-TW')).find((i) => i.code === '2477')?.contactBookIntervalDays, 3);

  const [audit] = await audits(ctx, 'institution.parameters_changed');
  assert.is(audit.staff_id, ctx.admin2477.staffId);
  assert.is(audit.institution_code, '2477');
  assert.equal(audit.details.changes.C, { old: 10, new: 3 });
  assert.equal(audit.details.changes.RAS, { old: '09:00', new: '08:30' });
  assert.equal(audit.details.changes.B, { old: '', new: '\\\\nas01\\rec' });

  // The agency changes C again: the sheet shows the last change of each parameter, and by whom.
  await updateParameters(
    pool,
    ctx.agency,
    '2477',
    { A: '30', B: '\\\\nas01\\rec', C: '7', RAS: '08:30', RAE: '10:00', RFS: '13:30', RFE: '15:00' },
    later(5),
  );
  const sheet = (await readParameterSheet(pool, ctx.admin2477, '2477'))!;
  assert.is(sheet.parameters.C, 7);
  assert.equal({ ...sheet.lastChanges.C, at: null }, { staffName: 'agency', at: null, old: 3, new: 7 });
  assert.equal({ ...sheet.lastChanges.A, at: null }, { staffName: 'admin2477', at: null, old: 20, new: 30 });
  assert.is(sheet.lastChanges.visit, undefined);
  // The database's CHECKs stay behind the form.
  await rejects(() => pool.query(`UPDATE institution SET contact_book_interval_days = 91 WHERE code = '2477'`));
  await rejects(() => pool.query(`UPDATE institution SET lawyer_morning_end = '13:40' WHERE code = '2477'`));
});

test('自動審核通過 switches per service, audited old/new', async (ctx) => {
  const out = await setAutoApproval(ctx.db.pool, ctx.admin2477, '2477', ['visit', 'bogus', 'contact_book'], NOW);
  assert.equal(out, { kind: 'saved', changed: ['contact_book', 'visit'] });
  const off = await setAutoApproval(ctx.db.pool, ctx.admin2477, '2477', ['visit'], later(1));
  assert.equal(off, { kind: 'saved', changed: ['contact_book'] });
  const rows = await audits(ctx, 'institution.auto_approval_changed');
  assert.equal(
    rows.map((r) => r.details.changes),
    [
      { contact_book: { old: false, new: true }, visit: { old: false, new: true } },
      { contact_book: { old: true, new: false } },
    ],
  );
  const sheet = (await readParameterSheet(ctx.db.pool, ctx.admin2477, '2477'))!;
  assert.equal(sheet.autoApproval, ['visit']);
  assert.is(sheet.lastChanges.contact_book?.new, false);
  await setAutoApproval(ctx.db.pool, ctx.admin2477, '2477', [], later(2));
});

test.run();
