/**
 * `npm run bench:home`: the back-office home's statistics at volume (issue 12's closing note). Seeds a
 * throwaway database with 100,000 service applications over two years across 10 institutions, 20,000
 * visit bookings (the last two years and the next 14 days) and 30,000 contact book posts, then times
 * each query of the home page and the whole set as the page runs it (in parallel on the portal's pool
 * of 10), for one institution and for the agency: median and p95 of 30 runs after 5 warm-ups.
 *
 * The bookings are written with triggers off (session_replication_role = replica, so the database user
 * must be a superuser, as the embedded PostgreSQL's is): the booking rules are not what is measured, and
 * the columns they would fill are filled here.
 */
import { performance } from 'node:perf_hooks';
import { scratchDatabase, type CleanUp } from './scratch-db.ts';
import { HOME_QUERIES, homeFigures, periodOf } from '../domain/statistics/figures.ts';
import type { StaffActor } from '../domain/shared/staff-actor.ts';
import { runBenchmark } from './support.ts';

const APPLICATIONS = 100_000;
const BOOKINGS = 20_000;
const POSTS = 30_000;
const INSTITUTIONS = 10;
const RUNS = 30;
const WARM_UP = 5;
const progress = (msg: string) => process.stderr.write(`${msg}\n`);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil(xs.length * p) - 1))]!;

async function time(run: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < WARM_UP; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return { median: Math.round(pct(times, 0.5) * 100) / 100, p95: Math.round(pct(times, 0.95) * 100) / 100 };
}

async function main(cleanUp: CleanUp): Promise<void> {
  const { pool } = await scratchDatabase('home', cleanUp);
  const now = new Date();
  const today = periodOf(now).today;
  progress(`seeding ${INSTITUTIONS} institutions, 20,000 inmates and 50,000 families`);
  await pool.query(
    `INSERT INTO institution (code, name_zh, name_en) SELECT (2400 + g)::text, '第' || g || '監獄', 'Prison ' || g FROM generate_series(1, $1) g`,
    [INSTITUTIONS],
  );
  await pool.query(
    `INSERT INTO inmate (institution_code, call_number, name)
       SELECT (2400 + 1 + g % $1)::text, lpad(g::text, 6, '0'), '王小明' FROM generate_series(0, 19999) g`,
    [INSTITUTIONS],
  );
  await pool.query(
    `INSERT INTO applicant (name, national_id, email, birthday, password_hash, privacy_consent_at, email_verified_at)
       SELECT '測試家屬', 'B' || lpad(g::text, 9, '0'), 'home' || g || '@example.com', '1980-01-01', 'x', now(), now()
         FROM generate_series(0, 49999) g`,
  );
  await pool.query(
    `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity)
       SELECT code, 'onsite', w, s, 30, 20 FROM institution, generate_series(1, 7) w, unnest(ARRAY[time '09:00', time '10:00', time '14:00']) s`,
  );

  progress(`seeding ${APPLICATIONS} applications over two years`);
  // Applicant g % 50,000 and inmate g % 20,000: each pair once, so no two pending for the same service.
  // One contact book per inmate at most (the first); the later ones for the inmate were rejected.
  await pool.query(
    `WITH a AS (
         SELECT g, i.id AS inmate_id, i.institution_code, p.id AS applicant_id,
                CASE WHEN g % 5 = 0 THEN 'contact_book' WHEN g % 10 = 1 THEN 'lawyer_visit' ELSE 'visit' END AS service,
                $2::timestamptz - make_interval(secs => g * 631) AS submitted_at
           FROM generate_series(0, $1 - 1) g
           JOIN inmate i ON i.call_number = lpad((g % 20000)::text, 6, '0')
           JOIN applicant p ON p.email = 'home' || (g % 50000) || '@example.com')
       INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship,
                                        submission_key, submitted_at, status, decided_at, rejection_reason)
       SELECT '20250101-' || lpad(upper(to_hex(g)), 6, '0'), applicant_id, inmate_id, institution_code, service,
              CASE WHEN service = 'visit' THEN ARRAY['onsite'] ELSE '{}' END,
              CASE WHEN service = 'lawyer_visit' THEN 'lawyer' ELSE 'mother' END,
              gen_random_uuid(), submitted_at, x.status,
              CASE WHEN x.status <> 'pending' THEN submitted_at + make_interval(hours => 1 + g % 72) END,
              CASE WHEN x.status = 'rejected' THEN '資料不全' END
         FROM a, LATERAL (SELECT CASE
                WHEN service = 'contact_book' AND g >= 20000 THEN 'rejected'
                WHEN submitted_at > $2::timestamptz - interval '14 days' AND g % 3 = 0 THEN 'pending'
                WHEN g % 5 = 3 THEN 'rejected' ELSE 'approved' END AS status) x`,
    [APPLICATIONS, now],
  );

  progress(`seeding ${BOOKINGS} bookings and ${POSTS} posts`);
  const client = await pool.connect();
  try {
    await client.query(`SET session_replication_role = replica`);
    await client.query(
      `INSERT INTO visit_booking (number, submission_key, booker_id, application_id, inmate_id, institution_code, service, visit_kind,
                                    visit_date, batch_id, during, relationship, booked_at, status, decided_at)
         SELECT 'V' || to_char(d, 'YYYYMMDD') || '-' || lpad(upper(to_hex(g)), 6, '0'), gen_random_uuid(), s.applicant_id, s.id,
                s.inmate_id, s.institution_code, 'visit', 'onsite', d, b.id,
                tstzrange((d + b.starts_at) AT TIME ZONE 'Asia/Taipei', (d + b.starts_at + interval '30 minutes') AT TIME ZONE 'Asia/Taipei'),
                'mother', (d - 3 + time '10:00') AT TIME ZONE 'Asia/Taipei',
                CASE WHEN d >= $2::date AND g % 2 = 0 THEN 'pending' ELSE 'approved' END,
                CASE WHEN d >= $2::date AND g % 2 = 0 THEN NULL ELSE (d - 2 + time '10:00') AT TIME ZONE 'Asia/Taipei' END
           FROM generate_series(0, $1 - 1) g
           CROSS JOIN LATERAL (SELECT $2::date + 13 - (g % 744) AS d) day(d)
           JOIN service_application s ON s.number = '20250101-' || lpad(upper(to_hex(g * 5 + 2)), 6, '0')
           JOIN visit_batch b ON b.institution_code = s.institution_code AND b.weekday = extract(isodow FROM d) AND b.starts_at = time '09:00'`,
      [BOOKINGS, today],
    );
  } finally {
    await client.query(`SET session_replication_role = DEFAULT`).catch(() => undefined);
    client.release();
  }
  const books = (await pool.query(`SELECT count(*)::int AS n FROM service_application WHERE service = 'contact_book'`))
    .rows[0].n;
  await pool.query(
    `WITH books AS (SELECT id, applicant_id, inmate_id, institution_code, row_number() OVER (ORDER BY id) - 1 AS n
                        FROM service_application WHERE service = 'contact_book'),
            posts AS (SELECT g, $2::timestamptz - make_interval(secs => g * 2100) AS t FROM generate_series(0, $1 - 1) g)
       INSERT INTO contact_book_post (application_id, applicant_id, inmate_id, institution_code, title, body, status, posted_on,
                                      submitted_at, submission_key, decided_at, rejection_reason)
       SELECT b.id, b.applicant_id, b.inmate_id, b.institution_code, '近況', '一切平安', x.status, (p.t AT TIME ZONE 'Asia/Taipei')::date,
              p.t, gen_random_uuid(), CASE WHEN x.status <> 'pending' THEN p.t + interval '5 hours' END,
              CASE WHEN x.status = 'rejected' THEN '內容不當' END
         FROM posts p
         JOIN books b ON b.n = p.g % $3
         CROSS JOIN LATERAL (SELECT CASE WHEN p.t > $2::timestamptz - interval '7 days' AND p.g % 2 = 0 THEN 'pending'
                                         WHEN p.g % 7 = 0 THEN 'rejected' ELSE 'approved' END AS status) x`,
    [POSTS, now, books],
  );
  // As autovacuum leaves a table at rest: statistics gathered, the visibility map set for index-only scans.
  await pool.query('VACUUM ANALYZE');
  const counts = (
    await pool.query(
      `SELECT (SELECT count(*) FROM service_application)::int AS applications, (SELECT count(*) FROM visit_booking)::int AS bookings,
                (SELECT count(*) FROM contact_book_post)::int AS posts`,
    )
  ).rows[0];
  progress(`seeded: ${JSON.stringify(counts)}`);

  const results: Record<string, Record<string, { median: number; p95: number }>> = {};
  for (const [label, scope] of [
    ['institution 2401', '2401'],
    ['agency (all)', null],
  ] as const) {
    const actor: StaffActor = {
      staffId: 1,
      role: scope ? 'reviewer' : 'agency_admin',
      institutionCode: scope,
      ip: null,
    };
    const period = periodOf(now);
    const row: Record<string, { median: number; p95: number }> = {};
    for (const [name, query] of Object.entries(HOME_QUERIES)) row[name] = await time(() => query(pool, scope, period));
    row['whole page (in parallel)'] = await time(() => homeFigures(pool, actor, now));
    results[label] = row;
  }
  console.log(
    `home page statistics with ${counts.applications} applications, ${counts.bookings} bookings, ${counts.posts} posts`,
  );
  console.log(`milliseconds, median / p95 of ${RUNS} runs`);
  for (const [label, row] of Object.entries(results)) {
    console.log(`\n${label}`);
    for (const [name, r] of Object.entries(row))
      console.log(`  ${name.padEnd(26)} ${String(r.median).padStart(8)} / ${r.p95}`);
  }
  console.log(JSON.stringify({ bench: 'home', ...counts, results }));
}

runBenchmark(main);
