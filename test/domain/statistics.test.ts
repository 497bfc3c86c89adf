import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { bookingSuite, family, input, inmate, NOW, person, q, taipei, type Ctx } from './bookings/setup.ts';
import { bookVisit } from '../../domain/bookings/booking.ts';
import { homeFigures, periodOf, type HomeFigures } from '../../domain/statistics/figures.ts';
import { chartCsv, chartViews } from '../../domain/statistics/views.ts';
import { translator } from '../../domain/i18n/i18n.ts';
import type { StaffActor } from '../../domain/shared/staff-actor.ts';

const test = bookingSuite('statistics of the back-office home on known data: queues, weeks, medians, places');
const t = translator('zh-TW');
const reviewer2477: StaffActor = { staffId: 1, role: 'reviewer', institutionCode: '2477', ip: null };
const agency: StaffActor = { staffId: 1, role: 'agency_admin', institutionCode: null, ip: null };

type App = {
  code?: string;
  service?: 'visit' | 'contact_book' | 'lawyer_visit';
  status: 'approved' | 'rejected' | 'pending' | 'auto_approved';
  submitted: string;
  decided?: string;
};
async function application(ctx: Ctx, a: App): Promise<number> {
  const service = a.service ?? 'visit';
  const who = await person(ctx);
  const m = await inmate(ctx, a.code ?? '2477');
  const { rows } = await q(
    ctx,
    `INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship, submission_key, submitted_at, status, decided_at, rejection_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      `20261101-S${String(++ctx.n).padStart(5, '0')}`,
      who,
      m,
      a.code ?? '2477',
      service,
      service === 'visit' ? ['onsite'] : [],
      service === 'lawyer_visit' ? 'lawyer' : 'mother',
      randomUUID(),
      taipei(a.submitted),
      a.status,
      a.decided ? taipei(a.decided) : null,
      a.status === 'rejected' ? '資料不全' : null,
    ],
  );
  return Number(rows[0].id);
}

async function post(ctx: Ctx, applicationId: number, status: 'pending' | 'approved' | 'rejected', submitted: string) {
  const app = (await q(ctx, 'SELECT applicant_id, inmate_id FROM service_application WHERE id = $1', [applicationId]))
    .rows[0];
  await q(
    ctx,
    `INSERT INTO contact_book_post (application_id, applicant_id, inmate_id, institution_code, title, body, status, posted_on, submitted_at, submission_key, decided_at, rejection_reason)
     VALUES ($1, $2, $3, '2477', '近況', '一切平安', $4, $5::timestamptz::date, $5, $6, CASE WHEN $4 <> 'pending' THEN $5::timestamptz + interval '1 hour' END, CASE WHEN $4 = 'rejected' THEN '內容不當' END)`,
    [applicationId, app.applicant_id, app.inmate_id, status, taipei(submitted), randomUUID()],
  );
}

test.before(async (ctx) => {
  // Bookings first: their families' services are moved out of the 12 weeks, so only the rows below count.
  const day = '2026-11-30';
  for (const [kind, code] of [
    ['onsite', '2477'],
    ['onsite', '2477'],
    ['remote', '2477'],
    ['mobile', '2411'],
  ] as const) {
    const f = await family(ctx, {}, code);
    const booked = await bookVisit(
      ctx.db.pool,
      await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date: day, kind }),
      NOW,
    );
    assert.is(booked.kind, 'booked', JSON.stringify(booked));
  }
  await q(ctx, `UPDATE service_application SET submitted_at = '2020-01-01', decided_at = '2020-01-01'`);
  await q(
    ctx,
    `INSERT INTO visit_blocked_date (institution_code, blocked_on, reason, created_at) VALUES ('2477', '2026-12-02', '停電', now())`,
  );

  // Monday 2026-11-23 is this week (NOW is Saturday 11-28); 11-16 the week before.
  await application(ctx, { status: 'approved', submitted: '2026-11-23T09:00', decided: '2026-11-23T13:00' }); // 4 h
  await application(ctx, { status: 'rejected', submitted: '2026-11-24T09:00', decided: '2026-11-24T19:00' }); // 10 h
  const book = await application(ctx, { service: 'contact_book', status: 'pending', submitted: '2026-11-25T09:00' });
  // Sunday 23:59 belongs to the week before; decided half an hour later, in this week.
  await application(ctx, { status: 'approved', submitted: '2026-11-22T23:59', decided: '2026-11-23T00:29' });
  await application(ctx, {
    service: 'lawyer_visit',
    status: 'approved',
    submitted: '2026-11-16T04:00',
    decided: '2026-11-16T10:00',
  });
  // Approved automatically: an approval, but no one's decision time.
  await application(ctx, { status: 'auto_approved', submitted: '2026-11-25T10:00', decided: '2026-11-25T10:00' });
  // The Sunday before the first of the 12 weeks (Monday 2026-09-07): not counted.
  await application(ctx, { status: 'approved', submitted: '2026-09-06T12:00', decided: '2026-09-06T13:00' });
  await application(ctx, {
    code: '2411',
    status: 'approved',
    submitted: '2026-11-23T09:00',
    decided: '2026-11-23T10:00',
  }); // 1 h
  await post(ctx, book, 'pending', '2026-11-24T08:00');
  await post(ctx, book, 'approved', '2026-11-23T08:00');
  await post(ctx, book, 'rejected', '2026-11-10T08:00');
});

const week = (f: HomeFigures, w: string, service: string) =>
  f.applications.find((a) => a.week === w && a.service === service)!;
const outcomes = (o: { approved: number; rejected: number; pending: number }) => [o.approved, o.rejected, o.pending];

test('the period: 12 Mondays ending this week, and 14 days from today, in Taipei', () => {
  const p = periodOf(NOW);
  assert.is(p.today, '2026-11-28');
  assert.equal([p.weeks.length, p.weeks[0], p.weeks.at(-1)], [12, '2026-09-07', '2026-11-23']);
  assert.equal([p.days.length, p.days[0], p.days.at(-1)], [14, '2026-11-28', '2026-12-11']);
});

test('an institution: pending per queue, applications by week, service and result, median hours to a decision', async (ctx) => {
  const f = await homeFigures(ctx.db.pool, reviewer2477, NOW);
  assert.equal(f.pending, { applications: 1, posts: 1, bookings: 3 });
  assert.is(f.applications.length, 36);
  assert.equal(outcomes(week(f, '2026-11-23', 'visit')), [2, 1, 0]);
  assert.equal(outcomes(week(f, '2026-11-23', 'contact_book')), [0, 0, 1]);
  assert.equal(outcomes(week(f, '2026-11-16', 'visit')), [1, 0, 0]);
  assert.equal(outcomes(week(f, '2026-11-16', 'lawyer_visit')), [1, 0, 0]);
  const total = f.applications.reduce((s, a) => s + a.approved + a.rejected + a.pending, 0);
  assert.is(total, 6, 'nothing from before the 12 weeks or from 2411');
  assert.equal(f.decisions.at(-1), { week: '2026-11-23', decided: 3, medianHours: 4 });
  assert.equal(f.decisions.at(-2), { week: '2026-11-16', decided: 1, medianHours: 6 });
  assert.equal(f.decisions[0], { week: '2026-09-07', decided: 0, medianHours: null });
  assert.equal(
    f.posts.filter((p) => p.approved + p.rejected + p.pending > 0),
    [
      { week: '2026-11-09', approved: 0, rejected: 1, pending: 0 },
      { week: '2026-11-23', approved: 1, rejected: 0, pending: 1 },
    ],
  );
});

test('bookings per day against the places of that weekday, none on a closed date', async (ctx) => {
  const mine = await homeFigures(ctx.db.pool, reviewer2477, NOW);
  const all = await homeFigures(ctx.db.pool, agency, NOW);
  const on = (f: HomeFigures, date: string) => f.bookings.find((b) => b.date === date);
  // 2477 has 5 + 5 + 5 on-site, 2 video and 3 + 3 mobile places every day; 2411 three mobile places.
  assert.equal(on(mine, '2026-11-28'), { date: '2026-11-28', booked: 0, capacity: 23 });
  assert.equal(on(mine, '2026-11-30'), { date: '2026-11-30', booked: 3, capacity: 23 });
  assert.equal(on(mine, '2026-12-02'), { date: '2026-12-02', booked: 0, capacity: 0 });
  assert.equal(on(all, '2026-11-30'), { date: '2026-11-30', booked: 4, capacity: 26 });
  assert.equal(on(all, '2026-12-02'), { date: '2026-12-02', booked: 0, capacity: 3 });
  assert.is(all.pending.bookings, 4);
  assert.equal(outcomes(week(all, '2026-11-23', 'visit')), [3, 1, 0]);
  assert.equal(all.decisions.at(-1), { week: '2026-11-23', decided: 4, medianHours: 2.5 });
});

test('each chart: an SVG image with title and description, and a table and CSV of the same figures', async (ctx) => {
  const f = await homeFigures(ctx.db.pool, reviewer2477, NOW);
  const views = chartViews(t, f);
  assert.equal(
    views.map((v) => v.id),
    ['applications', 'decisions', 'bookings', 'posts'],
  );
  for (const v of views) {
    assert.match(v.svg, new RegExp(`^<svg [^>]*role="img" aria-labelledby="chart-${v.id}-title chart-${v.id}-desc"`));
    assert.ok(v.svg.includes(`<title id="chart-${v.id}-title">${v.heading}</title>`), v.id);
    assert.match(v.svg, new RegExp(`<desc id="chart-${v.id}-desc">[^<]+</desc>`));
  }
  const apps = views[0]!;
  assert.match(apps.svg, /合計 6 件：審核通過 4 件、審核未通過 1 件、待審核 1 件/);
  assert.equal(apps.table.rows.at(-3), { head: '2026/11/23 當週', cells: ['家庭聯絡簿', 0, 0, 1, 1] });
  assert.equal(apps.table.rows.at(-2), { head: '2026/11/23 當週', cells: ['預約接見', 2, 1, 0, 3] });
  const bookings = views[2]!;
  assert.equal(bookings.table.rows[2], { head: '2026/11/30', cells: [3, 23, 20] });
  assert.match(bookings.svg, /合計 3 件，名額 299 個，0 天已額滿/);
  const csv = chartCsv(views[1]!).slice(1).split('\r\n');
  assert.is(csv[0], '"週次","審核件數","中位數（小時）"');
  assert.is(csv.at(-2), '"2026/11/23 當週","3","4"');
  assert.is(csv[1], '"2026/09/07 當週","0","—"');
});

test.run();
