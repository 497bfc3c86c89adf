/**
 * `npm run bench:volume`: staff lists and family pages at the volumes of issue 14 (100,000 service
 * applications, 200,000 bookings, 50,000 contact book posts, 1,000,000 notification rows; see
 * bench/volume-seed.ts for how they are seeded), each timed over HTTP with a real signed-in session
 * against the portal in production mode (NODE_ENV=production: Eta's template cache on; createApp from
 * routes/app.ts, as `npm start`): WARM_UP requests, then SAMPLES sequential ones, p95 next to its goal
 * (<= 50 ms). Every response must be 200 and the expected page, or the bench stops.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { scratchDatabase, type CleanUp } from './scratch-db.ts';
import { seedVolume, VOLUME } from './volume-seed.ts';
import { createLogger } from '../domain/platform/logger.ts';
import { loadConfig } from '../domain/platform/config.ts';
import { DEMO_AGENCY_ADMIN, DEMO_APPLICANT, demoStaffAccount, loadDemoData } from '../domain/demo-data.ts';
import { createApp } from '../routes/app.ts';
import { defaultLimits, type Limit, type RateLimits } from '../routes/middleware/rate-limits.ts';
import { Client } from '../test/support/http.ts';
import { staffSignIn } from '../test/support/journeys.ts';
import { runBenchmark } from './support.ts';

const WARM_UP = 5;
const SAMPLES = 40;
const GOAL_MS = 50;
const INSTITUTION = '2477';
/** The deep page of the log: the page 2,501 of 20 rows. */
const DEEP_ROWS = 50_000;
const progress = (msg: string) => process.stderr.write(`${msg}\n`);

type Figure = { name: string; path: string; p95: number; median: number };

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
}

async function timed(c: Client, name: string, path: string, expect: RegExp): Promise<Figure> {
  const once = async () => {
    const r = await c.get(path);
    if (r.status !== 200) throw new Error(`${name}: GET ${path} answered ${r.status}`);
    if (!expect.test(r.text)) throw new Error(`${name}: GET ${path} is not the expected page (${expect})`);
  };
  for (let i = 0; i < WARM_UP; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const f = { name, path, p95: round(percentile(times, 0.95)), median: round(percentile(times, 0.5)) };
  console.log(
    `  ${name.padEnd(44)} median ${String(f.median).padStart(6)} ms, p95 ${String(f.p95).padStart(6)} ms (goal <= ${GOAL_MS} ms): ${f.p95 <= GOAL_MS ? 'met' : 'NOT met'}`,
  );
  return f;
}

/**
 * The log's page DEEP_ROWS rows down, as its own links reach it: `?page=N` while it pages by OFFSET,
 * or the "older" link's cursor (before=<time>_<id>) of the row just above, once it pages by keyset.
 */
async function deepLogPath(pool: pg.Pool, firstPage: string): Promise<string> {
  const next = /<a href="([^"]+)" rel="next"/.exec(firstPage)?.[1]?.replaceAll('&amp;', '&');
  if (!next) throw new Error('the notification log has no link to the next page');
  if (/[?&]page=2\b/.test(next)) return next.replace(/([?&])page=2\b/, `$1page=${DEEP_ROWS / 20 + 1}`);
  const { rows } = await pool.query<{ at: string; id: string }>(
    `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, id FROM notification
      WHERE institution_code = $1 ORDER BY created_at DESC, id DESC OFFSET $2 - 1 LIMIT 1`,
    [INSTITUTION, DEEP_ROWS],
  );
  const cursor = /[?&]before=([^&]+)/.exec(next);
  if (!cursor) throw new Error(`the log's next link is neither page= nor before=: ${next}`);
  return next.replace(cursor[1]!, encodeURIComponent(`${rows[0]!.at}_${rows[0]!.id}`));
}

async function main(cleanUp: CleanUp): Promise<void> {
  const { pool, url } = await scratchDatabase('volume', cleanUp);
  progress('loading the demo data (institutions, staff, the demo family, timetables)');
  await loadDemoData(pool, new Date());
  progress(
    `seeding ${VOLUME.applications} applications, ${VOLUME.bookings} bookings, ${VOLUME.posts} posts, ${VOLUME.notifications} notifications`,
  );
  const seedStart = performance.now();
  await seedVolume(pool, progress);
  const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
  const counts = (
    await pool.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM service_application)::int AS applications, (SELECT count(*) FROM visit_booking)::int AS bookings,
                (SELECT count(*) FROM contact_book_post)::int AS posts, (SELECT count(*) FROM notification)::int AS notifications,
                (SELECT count(*) FROM inmate)::int AS inmates, (SELECT count(*) FROM applicant)::int AS applicants`,
    )
  ).rows[0]!;
  console.log(`\nSeeded in ${seedSeconds} s: ${JSON.stringify(counts)}`);

  const publicUrl = 'http://127.0.0.1';
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    SMTP_URL: 'smtp://127.0.0.1:9',
    MAIL_FROM: 'bench <noreply@portal.bench.invalid>',
    PUBLIC_URL: publicUrl,
    VIDEO_SERVICE_URL: 'https://video-visit.invalid/join',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
  });
  const generous: Limit = [1_000_000, 1];
  const limits = Object.fromEntries(Object.keys(defaultLimits).map((k) => [k, generous])) as RateLimits;
  const server = http.createServer(createApp({ config, pool, logger: createLogger('silent'), limits }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanUp.unshift(() => new Promise((resolve) => server.close(resolve)));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  progress('signing in: staff of 2477, the agency administrator, the demo family');
  const staff = new Client(base);
  const agency = new Client(base);
  const family = new Client(base);
  const s = demoStaffAccount(INSTITUTION);
  if ((await staffSignIn(staff, s.account, s.password)).status !== 303) throw new Error('staff sign-in failed');
  if ((await staffSignIn(agency, DEMO_AGENCY_ADMIN.account, DEMO_AGENCY_ADMIN.password)).status !== 303)
    throw new Error('agency sign-in failed');
  await family.get('/signin');
  if ((await family.post('/signin', { email: DEMO_APPLICANT.email, password: DEMO_APPLICANT.password })).status !== 303)
    throw new Error('family sign-in failed');

  const deliveryDay = (
    await pool.query<{ day: string }>(
      `SELECT to_char(decided_at AT TIME ZONE 'Asia/Taipei', 'YYYY-MM-DD') AS day FROM contact_book_post
          WHERE institution_code = $1 AND status = 'approved' GROUP BY 1 ORDER BY count(*) DESC, 1 DESC LIMIT 1`,
      [INSTITUTION],
    )
  ).rows[0]!.day;
  const firstLog = await staff.get('/backoffice/notifications');
  const deepLog = await deepLogPath(pool, firstLog.text);

  // The wizard up to the companion step and the week grid, as the family walks it.
  const expect303 = (what: string, status: number) => {
    if (status !== 303) throw new Error(`${what}: ${status}, not 303`);
  };
  expect303('the wizard', (await family.get('/bookings/new')).status);
  await family.get('/bookings/new/kind');
  expect303('kind', (await family.post('/bookings/new/kind', { kind: 'onsite' })).status);
  const inmate = await family.get('/bookings/new/inmate');
  const option = /name="option" value="([^"]+)"/.exec(inmate.text)?.[1];
  if (!option) throw new Error('no inmate offered to the demo family');
  expect303('inmate', (await family.post('/bookings/new/inmate', { option })).status);

  console.log(
    `\nStaff lists and family pages at volume, ${SAMPLES} sequential requests after ${WARM_UP} warm-up each:`,
  );
  const figures: Figure[] = [];
  const run = async (c: Client, name: string, path: string, expect: RegExp) => {
    progress(`  ${name}: ${path}`);
    figures.push(await timed(c, name, path, expect));
  };
  const queue = /<h1>服務項目審核/;
  await run(staff, 'review queue, one institution (pending)', '/backoffice/applications', queue);
  await run(staff, 'review queue, one institution (all statuses)', '/backoffice/applications?status=', queue);
  await run(agency, 'review queue, all institutions (pending)', '/backoffice/applications', queue);
  await run(agency, 'review queue, all institutions (all statuses)', '/backoffice/applications?status=', queue);
  const log = /<h1>通知紀錄/;
  await run(staff, 'notification log, first page', '/backoffice/notifications', log);
  await run(staff, `notification log, ${DEEP_ROWS.toLocaleString('en')} rows down`, deepLog, log);
  await run(agency, 'notification log, all institutions, first page', '/backoffice/notifications', log);
  await run(
    staff,
    'contact book delivery sheet (聯絡簿送達單)',
    `/backoffice/contact-book/delivery?institution=${INSTITUTION}&date=${deliveryDay}`,
    /送達/,
  );
  await run(family, 'family status table (服務項目狀態查詢)', '/applications', /服務項目狀態查詢/);
  await run(family, "booking wizard's companion step", '/bookings/new/companions', /name="companion"|其他接見人/);
  expect303('companions', (await family.post('/bookings/new/companions', {})).status);
  await run(family, "booking wizard's week grid", '/bookings/new/slot', /name="slot"/);

  const checks = figures.map((f) => ({
    figure: `p95 ${f.name}`,
    value: f.p95,
    unit: 'ms',
    goal: `<= ${GOAL_MS}`,
    met: f.p95 <= GOAL_MS,
  }));
  console.log(`\n(The machine may be shared: figures are noisy.)`);
  console.log(
    JSON.stringify({
      seed_seconds: seedSeconds,
      counts,
      samples: SAMPLES,
      lists: Object.fromEntries(figures.map((f) => [f.name, { path: f.path, median_ms: f.median, p95_ms: f.p95 }])),
      checks,
    }),
  );
}

runBenchmark(main);
