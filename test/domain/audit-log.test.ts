import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { twoInstitutions } from '../support/scenarios.ts';
import { recordStaffAction } from '../../domain/shared/audit.ts';
import {
  AUDIT_ACTIONS,
  AUDIT_PAGE_SIZE,
  actionLabel,
  auditCsv,
  detailLines,
  exportAuditLog,
  searchAuditLog,
  type AuditFilter,
} from '../../domain/audit-log.ts';
import { StaffNotAllowed, type StaffActor, type StaffRole } from '../../domain/shared/staff-actor.ts';
import { translator } from '../../domain/i18n/i18n.ts';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

type Ctx = { db: TestDb; ids: Record<string, number> };
const test = suite<Ctx>('the audit log read back: scope, filters, paging, CSV, and entries nobody can change');
const t = translator('zh-TW');
const NOW = new Date('2026-11-20T02:00:00Z');
const ALL: AuditFilter = { staffId: null, action: null, institutionCode: null, from: null, to: null, page: 1 };
const actor = (ctx: Ctx, who: string, role: StaffRole, institutionCode: string | null): StaffActor => ({
  staffId: ctx.ids[who]!,
  role,
  institutionCode,
  ip: '192.0.2.9',
});

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await twoInstitutions(pool);
  ctx.ids = {};
  for (const [account, name, role, code] of [
    ['admin2477', '桃園管理者', 'institution_admin', '2477'],
    ['reviewer2477', '=HYPERLINK("http://evil")', 'reviewer', '2477'],
    ['admin2411', '基隆管理者', 'institution_admin', '2411'],
    ['agency', '矯正署管理者', 'agency_admin', null],
  ] as const)
    ctx.ids[account] = await fixture.staff(pool, { account, name, role, institutionCode: code });
  const entry = (staff: string, action: string, code: string | null, at: string, details: object = {}) =>
    recordStaffAction(pool, {
      staffId: ctx.ids[staff]!,
      action,
      objectType: 'visit_batch',
      objectId: 7,
      institutionCode: code,
      ip: '203.0.113.5',
      details,
      at: new Date(at),
    });
  // 2026-11-02 23:59 and 2026-11-03 00:00 in Taipei: a date filter cuts between them.
  await entry('reviewer2477', 'visit_booking.approved', '2477', '2026-11-02T15:59:00Z', { reason: '-1+1' });
  await entry('admin2477', 'visit_batch.capacity', '2477', '2026-11-02T16:00:00Z', {
    capacity: { old: 10, new: 12 },
  });
  await entry('admin2411', 'visit_date.blocked', '2411', '2026-11-04T01:00:00Z', { date: '2026-11-10' });
  await entry('agency', 'institution.created', null, '2026-11-05T01:00:00Z', {
    old: { name: 'A' },
    new: { name: 'B' },
  });
});
test.after(async (ctx) => {
  await ctx.db.drop();
});

const actionsOf = (rows: { action: string }[]) => rows.map((r) => r.action);

test('an institution administrator sees only their institution; the agency sees every entry; a reviewer may not look', async (ctx) => {
  const { pool } = ctx.db;
  const mine = await searchAuditLog(pool, actor(ctx, 'admin2477', 'institution_admin', '2477'), ALL, 'zh-TW', NOW);
  assert.equal(actionsOf(mine!.rows), ['visit_batch.capacity', 'visit_booking.approved']);
  assert.is(mine!.rows[1]!.staffName, '=HYPERLINK("http://evil")');
  assert.is(mine!.rows[0]!.institutionName, '桃園女子監獄');
  const other = await searchAuditLog(
    pool,
    actor(ctx, 'admin2477', 'institution_admin', '2477'),
    { ...ALL, institutionCode: '2411' },
    'zh-TW',
    NOW,
  );
  assert.is(other, null, 'another institution is not found');
  const all = await searchAuditLog(pool, actor(ctx, 'agency', 'agency_admin', null), ALL, 'zh-TW', NOW);
  // the agency also sees the viewing just recorded by 2477's administrator
  assert.equal(actionsOf(all!.rows).slice(-4), [
    'institution.created',
    'visit_date.blocked',
    'visit_batch.capacity',
    'visit_booking.approved',
  ]);
  assert.ok(actionsOf(all!.rows).includes('audit_log.viewed'));
  try {
    await searchAuditLog(pool, actor(ctx, 'reviewer2477', 'reviewer', '2477'), ALL, 'zh-TW', NOW);
    assert.unreachable('a reviewer was shown the audit log');
  } catch (err) {
    assert.instance(err, StaffNotAllowed);
  }
});

test('filters: staff member, action, institution and Taipei dates, each inclusive', async (ctx) => {
  const { pool } = ctx.db;
  const agency = actor(ctx, 'agency', 'agency_admin', null);
  const search = async (f: Partial<AuditFilter>) =>
    actionsOf((await searchAuditLog(pool, agency, { ...ALL, ...f }, 'zh-TW', NOW))!.rows);
  assert.equal(await search({ staffId: ctx.ids.admin2411! }), ['visit_date.blocked']);
  assert.equal(await search({ action: 'visit_batch.capacity' }), ['visit_batch.capacity']);
  assert.equal(await search({ institutionCode: '2411' }), ['visit_date.blocked']);
  assert.equal(await search({ from: '2026-11-02', to: '2026-11-02' }), ['visit_booking.approved']);
  assert.equal(await search({ from: '2026-11-03', to: '2026-11-04' }), ['visit_date.blocked', 'visit_batch.capacity']);
  assert.equal(await search({ staffId: ctx.ids.admin2477!, action: 'visit_date.blocked' }), []);
});

test('viewing and exporting are themselves recorded, with the filters asked for', async (ctx) => {
  const { pool } = ctx.db;
  const who = actor(ctx, 'admin2477', 'institution_admin', '2477');
  await searchAuditLog(pool, who, { ...ALL, action: 'visit_batch.capacity' }, 'zh-TW', NOW);
  await exportAuditLog(pool, who, { ...ALL, from: '2026-11-01' }, t, 'zh-TW', NOW);
  const { rows } = await pool.query(
    `SELECT action, institution_code, host(ip) AS ip, details FROM audit_log WHERE staff_id = $1 AND action LIKE 'audit_log.%' ORDER BY id DESC LIMIT 2`,
    [who.staffId],
  );
  assert.is(rows[0].action, 'audit_log.exported');
  assert.is(rows[0].details.from, '2026-11-01');
  assert.is(rows[0].ip, '192.0.2.9');
  assert.is(rows[0].institution_code, '2477');
  assert.is(rows[1].action, 'audit_log.viewed');
  assert.is(rows[1].details.action, 'visit_batch.capacity');
});

test('the database refuses to change, delete or empty the audit log', async (ctx) => {
  const { pool } = ctx.db;
  const before = (await pool.query('SELECT count(*)::int AS n, max(id) AS id FROM audit_log')).rows[0];
  for (const sql of [
    `UPDATE audit_log SET action = 'nothing' WHERE id = ${before.id}`,
    `DELETE FROM audit_log WHERE id = ${before.id}`,
    'DELETE FROM audit_log',
    'TRUNCATE audit_log',
  ]) {
    try {
      await pool.query(sql);
      assert.unreachable(`${sql} was allowed`);
    } catch (err) {
      assert.is((err as { code?: string }).code, '42501', sql);
      assert.match(String(err), /audit log cannot be changed/);
    }
  }
  const after = (await pool.query('SELECT count(*)::int AS n, max(id) AS id FROM audit_log')).rows[0];
  assert.equal(after, before);
  const changed = await pool.query(`SELECT 1 FROM audit_log WHERE action = 'nothing'`);
  assert.is(changed.rowCount, 0);
});

test('paging: newest first, 50 a page, a page past the end shows the last', async (ctx) => {
  const { pool } = ctx.db;
  for (let i = 0; i < 120; i++)
    await recordStaffAction(pool, {
      staffId: ctx.ids.admin2411!,
      action: 'visit_batch.added',
      objectType: 'visit_batch',
      objectId: i + 1,
      institutionCode: '2411',
      ip: null,
      at: new Date(Date.parse('2026-10-01T00:00:00Z') + i * 60_000),
    });
  const who = actor(ctx, 'admin2411', 'institution_admin', '2411');
  const f = { ...ALL, action: 'visit_batch.added' };
  const first = (await searchAuditLog(pool, who, f, 'zh-TW', NOW))!;
  assert.equal([first.total, first.pages, first.page, first.rows.length], [120, 3, 1, AUDIT_PAGE_SIZE]);
  assert.is(first.rows[0]!.objectId, 120);
  const last = (await searchAuditLog(pool, who, { ...f, page: 9 }, 'zh-TW', NOW))!;
  assert.equal([last.page, last.rows.length, last.rows.at(-1)!.objectId], [3, 20, 1]);
});

test('CSV: BOM, a header in the reader language, actions in words, changes as old → new, formulas neutralised', async (ctx) => {
  const { pool } = ctx.db;
  const csv = (await exportAuditLog(
    pool,
    actor(ctx, 'admin2477', 'institution_admin', '2477'),
    { ...ALL, to: '2026-11-03' },
    t,
    'zh-TW',
    NOW,
  ))!;
  assert.ok(csv.startsWith('\uFEFF"時間","承辦人員","操作","對象","機關","IP 位址","內容"\r\n'), csv.slice(0, 80));
  const lines = csv.slice(1).trimEnd().split('\r\n');
  assert.is(lines.length, 3);
  assert.is(
    lines[1],
    '"2026/11/03 00:00","桃園管理者 (admin2477)","修改梯次名額","接見梯次 #7","2477 桃園女子監獄","203.0.113.5","capacity: 10 → 12"',
  );
  assert.ok(
    lines[2]!.startsWith(`"2026/11/02 23:59","'=HYPERLINK(""http://evil"") (reviewer2477)","預約接見審核通過"`),
  );
  // A cell starting with = + - @ is prefixed with ' so a spreadsheet shows it as text.
  const cells = auditCsv(t, 'zh-TW', [
    {
      id: 1,
      at: NOW,
      staffId: null,
      staffName: null,
      staffAccount: null,
      action: '+unknown.code',
      objectType: '@table',
      objectId: null,
      institutionCode: null,
      institutionName: null,
      ip: null,
      details: {},
    },
  ]);
  assert.match(cells, /,"'\+unknown\.code","'@table",/);
});

test('details read as lines: a changed field or old/new objects as old → new', () => {
  assert.equal(detailLines({ capacity: { old: 10, new: 12 }, reason: '滿了' }), ['capacity: 10 → 12', 'reason: 滿了']);
  assert.equal(detailLines({ old: { name: 'A', phone: null }, new: { name: 'B', phone: '02' }, reason: 'x' }), [
    'name: A → B',
    'phone: — → 02',
    'reason: x',
  ]);
  assert.equal(detailLines({}), []);
});

test('every action the code writes can be chosen in the filter and reads as words, each its own, in both languages (found on review: erasures, feedback replies, institution posts, FAQ and kiosk entries read as codes)', () => {
  // The actions written as literals anywhere in domain/ and routes/, and those built from parts.
  const root = path.resolve(import.meta.dirname, '../..');
  const sources = ['domain', 'routes'].flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(path.join(root, dir, f), 'utf8')),
  );
  const written = new Set<string>();
  for (const src of sources) {
    for (const m of src.matchAll(
      /(?:action: |audit\()(?:[a-zA-Z]+ \? )?'([a-z_]+\.[a-z_]+)'(?: : '([a-z_]+\.[a-z_]+)')?/g,
    )) {
      written.add(m[1]!);
      if (m[2]) written.add(m[2]);
    }
  }
  for (const built of ['application', 'contact_book_post', 'visit_booking'].flatMap((s) => [
    `${s}.approved`,
    `${s}.rejected`,
  ]))
    written.add(built);
  for (const kind of ['faq', 'guide']) for (const change of ['created', 'updated']) written.add(`${kind}.${change}`);
  assert.ok(written.size > 30, `found ${written.size}`);
  const offered = new Set<string>(AUDIT_ACTIONS);
  for (const action of written) assert.ok(offered.has(action), `${action} is not in the filter`);
  for (const locale of ['zh-TW', 'en'] as const) {
    const tr = translator(locale);
    const labels = AUDIT_ACTIONS.map((a) => actionLabel(tr, locale, a));
    AUDIT_ACTIONS.forEach((a, i) => assert.is.not(labels[i], a, `${a} has no ${locale} label`));
    const seen = new Map<string, string>();
    AUDIT_ACTIONS.forEach((a, i) => {
      assert.not.ok(seen.has(labels[i]!), `${a} and ${seen.get(labels[i]!)} read alike in ${locale}: ${labels[i]}`);
      seen.set(labels[i]!, a);
    });
  }
});

test.run();
