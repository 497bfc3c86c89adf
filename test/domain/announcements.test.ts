import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as make from '../support/fixtures.ts';
import {
  createAnnouncement,
  deleteAnnouncement,
  getAnnouncement,
  getStaffAnnouncement,
  listAnnouncements,
  listPublicAnnouncements,
  listStaffAnnouncements,
  publicState,
  updateAnnouncement,
  withdrawAnnouncement,
  type AnnouncementInput,
} from '../../domain/announcements.ts';
import { StaffNotAllowed, type StaffActor } from '../../domain/shared/staff-actor.ts';

/** Monday 2026-11-23 in Taipei. */
const NOW = new Date('2026-11-23T10:00:00+08:00');
const TODAY = '2026-11-23';
type Ctx = { db: TestDb; admin2477: StaffActor; admin2411: StaffActor; agency: StaffActor; reviewer: StaffActor };
const test = suite<Ctx>('announcements: who writes what, what the public sees and in which order');

const input = (over: Partial<AnnouncementInput> = {}): AnnouncementInput => ({
  institutionCode: '2477',
  titleZh: '接見公告',
  titleEn: 'Visits',
  bodyZh: '內容',
  bodyEn: 'Text',
  publishFrom: TODAY,
  publishUntil: null,
  pinned: false,
  status: 'published',
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
  ctx.admin2477 = await actor('a2477', 'institution_admin', '2477');
  ctx.admin2411 = await actor('a2411', 'institution_admin', '2411');
  ctx.agency = await actor('agency', 'agency_admin', null);
  ctx.reviewer = await actor('r2477', 'reviewer', '2477');
});
test.after.each(async (ctx) => {
  await ctx.db.drop();
});

async function saved(p: Promise<{ kind: string; id?: number }>): Promise<number> {
  const outcome = await p;
  assert.is(outcome.kind, 'saved', JSON.stringify(outcome));
  return outcome.id!;
}

test('the public sees only published ones inside their window: not drafts, withdrawn, future or ended ones', async (ctx) => {
  const { pool } = ctx.db;
  const a = ctx.admin2477;
  const ids = {
    shown: await saved(createAnnouncement(pool, a, input({ titleZh: '公開' }), NOW)),
    lastDay: await saved(createAnnouncement(pool, a, input({ titleZh: '最後一天', publishUntil: TODAY }), NOW)),
    draft: await saved(createAnnouncement(pool, a, input({ titleZh: '草稿', status: 'draft' }), NOW)),
    future: await saved(createAnnouncement(pool, a, input({ titleZh: '明天', publishFrom: '2026-11-24' }), NOW)),
    ended: await saved(
      createAnnouncement(
        pool,
        a,
        input({ titleZh: '結束', publishFrom: '2026-11-01', publishUntil: '2026-11-22' }),
        NOW,
      ),
    ),
    withdrawn: await saved(createAnnouncement(pool, a, input({ titleZh: '下架' }), NOW)),
  };
  assert.ok(await withdrawAnnouncement(pool, a, ids.withdrawn, NOW));
  const titles = (await listAnnouncements(pool, 'zh-TW', TODAY, 100)).map((x) => x.title).sort();
  assert.equal(titles, ['公開', '最後一天'].sort());
  for (const id of [ids.draft, ids.future, ids.ended, ids.withdrawn])
    assert.is(await getAnnouncement(pool, 'zh-TW', id, TODAY), null, `not public: ${id}`);
  assert.is((await getAnnouncement(pool, 'en', ids.shown, TODAY))!.title, 'Visits');
  // The next day the future one shows and the last-day one has gone.
  const tomorrow = (await listAnnouncements(pool, 'zh-TW', '2026-11-24', 100)).map((x) => x.title).sort();
  assert.equal(tomorrow, ['公開', '明天'].sort());
  // How the back office names each state.
  const states = Object.fromEntries(
    (await listStaffAnnouncements(pool, a, 'zh-TW', 1)).rows.map((r) => [r.titleZh, publicState(r, TODAY)]),
  );
  assert.equal(states, {
    公開: 'public',
    最後一天: 'public',
    草稿: 'draft',
    明天: 'scheduled',
    結束: 'ended',
    下架: 'withdrawn',
  });
});

test('pinned first, then newest first; paged by 10; filtered by institution or the agency; names its source', async (ctx) => {
  const { pool } = ctx.db;
  for (let n = 1; n <= 12; n++) {
    const day = String(n).padStart(2, '0');
    await saved(
      createAnnouncement(pool, ctx.admin2477, input({ titleZh: `第${n}則`, publishFrom: `2026-11-${day}` }), NOW),
    );
  }
  await saved(
    createAnnouncement(
      pool,
      ctx.agency,
      input({ institutionCode: null, titleZh: '全署置頂', pinned: true, publishFrom: '2026-10-01' }),
      NOW,
    ),
  );
  await saved(
    createAnnouncement(
      pool,
      ctx.admin2411,
      input({ institutionCode: '2411', titleZh: '基隆', publishFrom: '2026-11-20' }),
      NOW,
    ),
  );
  const home = await listAnnouncements(pool, 'zh-TW', TODAY, 5);
  assert.equal(
    home.map((x) => x.title),
    ['全署置頂', '基隆', '第12則', '第11則', '第10則'],
  );
  assert.equal([home[0]!.institutionName, home[1]!.institutionName], [null, '基隆監獄']);
  assert.is(home[0]!.pinned, true);

  const all = { kind: 'all' } as const;
  const first = await listPublicAnnouncements(pool, 'zh-TW', TODAY, { source: all, page: 1 });
  assert.equal([first.total, first.page, first.pages, first.rows.length], [14, 1, 2, 10]);
  const second = await listPublicAnnouncements(pool, 'zh-TW', TODAY, { source: all, page: 2 });
  assert.equal(
    second.rows.map((x) => x.title),
    ['第4則', '第3則', '第2則', '第1則'],
  );
  const past = await listPublicAnnouncements(pool, 'zh-TW', TODAY, { source: all, page: 99 });
  assert.is(past.page, 2, 'a page past the end shows the last');

  const keelung = await listPublicAnnouncements(pool, 'en', TODAY, {
    source: { kind: 'institution', code: '2411' },
    page: 1,
  });
  assert.equal(
    keelung.rows.map((x) => [x.title, x.institutionName]),
    [['Visits', 'Keelung Prison']],
  );
  const agency = await listPublicAnnouncements(pool, 'zh-TW', TODAY, { source: { kind: 'agency' }, page: 1 });
  assert.equal(
    agency.rows.map((x) => x.title),
    ['全署置頂'],
  );
});

test('scope: an institution writes for itself only; agency-wide is for the agency; another’s is not found', async (ctx) => {
  const { pool } = ctx.db;
  const mine = await saved(createAnnouncement(pool, ctx.admin2477, input(), NOW));
  const agencyWide = await saved(createAnnouncement(pool, ctx.agency, input({ institutionCode: null }), NOW));
  const forKeelung = await saved(createAnnouncement(pool, ctx.agency, input({ institutionCode: '2411' }), NOW));
  assert.equal(await createAnnouncement(pool, ctx.admin2477, input({ institutionCode: null }), NOW), {
    kind: 'invalid',
    problems: { institutionCode: 'invalid' },
  });
  assert.equal(await createAnnouncement(pool, ctx.admin2477, input({ institutionCode: '2411' }), NOW), {
    kind: 'invalid',
    problems: { institutionCode: 'invalid' },
  });
  assert.equal(await createAnnouncement(pool, ctx.agency, input({ institutionCode: '9999' }), NOW), {
    kind: 'invalid',
    problems: { institutionCode: 'invalid' },
  });

  // 2411's administrator sees only 2411's (the one the agency wrote for it), and none of the others.
  const theirs = await listStaffAnnouncements(pool, ctx.admin2411, 'zh-TW', 1);
  assert.equal(
    theirs.rows.map((r) => r.id),
    [forKeelung],
  );
  assert.is(await getStaffAnnouncement(pool, ctx.admin2411, mine, 'zh-TW'), null);
  assert.is(await getStaffAnnouncement(pool, ctx.admin2477, agencyWide, 'zh-TW'), null);
  assert.equal(await updateAnnouncement(pool, ctx.admin2411, mine, 1, input({ institutionCode: '2411' }), NOW), {
    kind: 'not_found',
  });
  assert.is(await withdrawAnnouncement(pool, ctx.admin2411, mine, NOW), false);
  assert.is(await deleteAnnouncement(pool, ctx.admin2477, agencyWide, NOW), false);
  assert.is((await getStaffAnnouncement(pool, ctx.admin2477, mine, 'zh-TW'))!.status, 'published', 'untouched');
  // The agency sees and changes them all.
  assert.is((await listStaffAnnouncements(pool, ctx.agency, 'zh-TW', 1)).total, 3);
  assert.ok(await withdrawAnnouncement(pool, ctx.agency, mine, NOW));

  // A reviewer's role has no announcements task at all: refused, before anything is read.
  for (const call of [
    () => listStaffAnnouncements(pool, ctx.reviewer, 'zh-TW', 1),
    () => getStaffAnnouncement(pool, ctx.reviewer, mine, 'zh-TW'),
    () => createAnnouncement(pool, ctx.reviewer, input(), NOW),
    () => updateAnnouncement(pool, ctx.reviewer, mine, 1, input(), NOW),
    () => withdrawAnnouncement(pool, ctx.reviewer, mine, NOW),
    () => deleteAnnouncement(pool, ctx.reviewer, mine, NOW),
  ]) {
    try {
      await call();
      assert.unreachable('a reviewer was let through');
    } catch (err) {
      assert.instance(err, StaffNotAllowed);
    }
  }
});

test('checks: both titles and texts, lengths, dates in order, a known status; nothing saved when wrong', async (ctx) => {
  const { pool } = ctx.db;
  const bad = await createAnnouncement(
    pool,
    ctx.admin2477,
    input({
      titleZh: '',
      titleEn: 'x'.repeat(101),
      bodyZh: '字'.repeat(5001),
      bodyEn: '',
      publishFrom: '2026-11-30',
      publishUntil: '2026-11-29',
      status: 'live' as never,
    }),
    NOW,
  );
  assert.equal(bad, {
    kind: 'invalid',
    problems: {
      titleZh: 'required',
      titleEn: 'too_long',
      bodyZh: 'too_long',
      bodyEn: 'required',
      publishUntil: 'before_from',
      status: 'invalid',
    },
  });
  assert.equal(
    (await createAnnouncement(pool, ctx.admin2477, input({ publishFrom: '2026-02-30', publishUntil: 'soon' }), NOW))
      .kind,
    'invalid',
  );
  // Year 0000 (PostgreSQL has none) and 9999 are not dates either: a message, not a server error.
  assert.equal(
    await createAnnouncement(
      pool,
      ctx.admin2477,
      input({ publishFrom: '0000-01-01', publishUntil: '9999-12-31' }),
      NOW,
    ),
    { kind: 'invalid', problems: { publishFrom: 'date', publishUntil: 'date' } },
  );
  assert.is((await pool.query('SELECT count(*)::int AS n FROM announcement')).rows[0].n, 0);
  // 100 characters as a person counts them, and until = from, are fine.
  await saved(createAnnouncement(pool, ctx.admin2477, input({ titleZh: '字'.repeat(100), publishUntil: TODAY }), NOW));
  // Characters as a person counts them: 5,000 thumbs with a skin tone (10,000 code points) are 5,000.
  await saved(createAnnouncement(pool, ctx.admin2477, input({ titleZh: '表情', bodyZh: '👍🏽'.repeat(5000) }), NOW));
  assert.equal(await createAnnouncement(pool, ctx.admin2477, input({ bodyEn: '👍🏽'.repeat(5001) }), NOW), {
    kind: 'invalid',
    problems: { bodyEn: 'too_long' },
  });
  // 100 family emoji are 100 characters but 500 code points: refused plainly, never by the database.
  assert.equal(await createAnnouncement(pool, ctx.admin2477, input({ titleZh: '👨‍👩‍👧'.repeat(100) }), NOW), {
    kind: 'invalid',
    problems: { titleZh: 'too_long' },
  });
  // The database keeps the window in order whatever the code does.
  try {
    await pool.query(`UPDATE announcement SET publish_until = publish_from - 1`);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { constraint?: string }).constraint, 'announcement_window_check');
  }
});

test('every change is audited with old and new values; a stale version is refused; delete keeps the words in the log', async (ctx) => {
  const { pool } = ctx.db;
  const id = await saved(createAnnouncement(pool, ctx.admin2477, input({ status: 'draft' }), NOW));
  const record = (await getStaffAnnouncement(pool, ctx.admin2477, id, 'zh-TW'))!;
  assert.is(record.version, 1);
  await saved(
    updateAnnouncement(
      pool,
      ctx.admin2477,
      id,
      1,
      input({ titleZh: '新標題', pinned: true, status: 'published' }),
      NOW,
    ),
  );
  assert.equal(await updateAnnouncement(pool, ctx.admin2477, id, 1, input({ titleZh: '晚了一步' }), NOW), {
    kind: 'conflict',
  });
  assert.ok(await withdrawAnnouncement(pool, ctx.admin2477, id, NOW));
  assert.ok(await deleteAnnouncement(pool, ctx.admin2477, id, NOW));
  assert.is(await getStaffAnnouncement(pool, ctx.admin2477, id, 'zh-TW'), null);
  const { rows } = await pool.query(
    `SELECT staff_id, action, object_id, institution_code, ip, details FROM audit_log WHERE object_type = 'announcement' ORDER BY id`,
  );
  assert.equal(
    rows.map((r) => [r.action, Number(r.object_id), r.institution_code, r.ip, Number(r.staff_id)]),
    [
      ['announcement.created', id, '2477', '192.0.2.1', ctx.admin2477.staffId],
      ['announcement.updated', id, '2477', '192.0.2.1', ctx.admin2477.staffId],
      ['announcement.withdrawn', id, '2477', '192.0.2.1', ctx.admin2477.staffId],
      ['announcement.deleted', id, '2477', '192.0.2.1', ctx.admin2477.staffId],
    ],
  );
  assert.equal(rows[0].details.new.status, 'draft');
  assert.equal(
    [rows[1].details.old.titleZh, rows[1].details.new.titleZh, rows[1].details.old.pinned, rows[1].details.new.pinned],
    ['接見公告', '新標題', false, true],
  );
  assert.equal(rows[2].details, { old: { status: 'published' }, new: { status: 'withdrawn' } });
  assert.equal([rows[3].details.old.titleZh, rows[3].details.old.status], ['新標題', 'withdrawn']);
});

test.run();
