/**
 * The volumes of issue 14 for `npm run bench:volume`, seeded set-based (INSERT … SELECT over
 * generate_series) on top of the demo data (domain/demo-data.ts: ten institutions, their staff, the
 * demo family and the timetable):
 * - 2,000 inmates per demo institution (the agency's 60,000 over 50 institutions is 1,200 each) and
 *   62,000 applicants (60,000 families, 2,000 lawyers);
 * - 100,000 service applications: 20,000 contact books (one per inmate), 70,000 visits, 10,000 lawyer
 *   visits, over three years; about 1.4% pending (the last two weeks), 10% rejected, the rest approved;
 * - 50,000 contact book posts under the approved contact books, ten days or more apart;
 * - 200,000 visit bookings: past on-site visits under the approved visit services (a batch over its
 *   capacity has the rest cancelled by the booker), and the coming week's grid about half full;
 * - 1,000,000 notification rows over 1.7 years, ten per institution sharing each timestamp (as the
 *   notices of one transaction do), 5% belonging to no institution.
 *
 * Rules: service applications and posts go in with their triggers on (the inmate-present and
 * interval rules run per row, and hold). For visit bookings the BEFORE/AFTER row triggers are turned off
 * for the insert (ALTER TABLE … DISABLE TRIGGER USER: foreign keys, CHECKs, the exclusion constraints
 * and unique indexes stay on) and what the triggers would do is done here set-based, as they would:
 * `during` from the batch, the booker as visitor 1, visit_batch_day's booked count (its CHECK booked <=
 * capacity still applies); the triggers are back on before anything is measured.
 */
import type pg from 'pg';

export const VOLUME = { applications: 100_000, bookings: 200_000, posts: 50_000, notifications: 1_000_000 };

type Step = (what: string, sql: string, params?: unknown[]) => Promise<void>;

function stepper(c: pg.PoolClient, progress: (msg: string) => void): Step {
  return async (what, sql, params = []) => {
    const start = Date.now();
    const r = await c.query(sql, params);
    progress(`  ${what}: ${r.rowCount ?? ''} rows, ${((Date.now() - start) / 1000).toFixed(1)} s`);
  };
}

/** The notifications (which need only the institutions) go in on a second connection beside the rest: two cores, two backends. */
export async function seedVolume(pool: pg.Pool, progress: (msg: string) => void): Promise<void> {
  await Promise.all([seedPeopleAndCases(pool, progress), seedNotifications(pool, progress)]);
  await pool.query('ANALYZE');
  progress('  ANALYZE done');
}

async function seedNotifications(pool: pg.Pool, progress: (msg: string) => void): Promise<void> {
  const c = await pool.connect();
  const step = stepper(c, progress);
  try {
    await step(
      'notifications',
      `INSERT INTO notification (channel, institution_code, recipient, subject, body_text, status, attempts, created_at, sent_at)
       SELECT CASE WHEN g % 5 = 0 THEN 'sms' ELSE 'email' END,
              CASE WHEN g % 20 = 0 THEN NULL ELSE codes[1 + g % 10] END,
              CASE WHEN g % 5 = 0 THEN '09' || lpad((g % 100000000)::text, 8, '0') ELSE 'volume' || (g % 60000) || '@example.com' END,
              '申請案件審核結果通知', '您的申請案件已審核完成，請至便民服務入口網查詢。',
              CASE WHEN g % 5 = 0 THEN 'recorded' WHEN g % 97 = 0 THEN 'failed' ELSE 'sent' END, 1,
              t.at, t.at + interval '3 seconds'
         FROM generate_series(1, $1) g,
              LATERAL (SELECT date_trunc('second', now()) - ((($1 - g) / 100) * interval '90 minutes') AS at) t,
              (SELECT array_agg(code ORDER BY code) AS codes FROM institution) i`,
      [VOLUME.notifications],
    );
  } finally {
    c.release();
  }
}

async function seedPeopleAndCases(pool: pg.Pool, progress: (msg: string) => void): Promise<void> {
  const c = await pool.connect();
  const step = stepper(c, progress);
  try {
    await c.query(`SET TIME ZONE 'UTC'`);
    await step(
      'inmates',
      `INSERT INTO inmate (institution_code, call_number, name)
       SELECT i.code, lpad((100000 + g)::text, 6, '0'), '受刑人' || g FROM institution i, generate_series(1, 2000) g`,
    );
    await step(
      'inmate keys',
      `CREATE TEMP TABLE bi AS SELECT row_number() OVER (ORDER BY id)::int AS k, id, institution_code
         FROM inmate WHERE length(call_number) = 6 AND call_number >= '100001'`,
    );
    await c.query('CREATE INDEX ON bi (k)');
    await step(
      'applicants',
      `INSERT INTO applicant (name, national_id, email, birthday, password_hash, privacy_consent_at, email_verified_at)
       SELECT CASE WHEN g > 60000 THEN '律師' ELSE '家屬' END || g, 'B0' || lpad(g::text, 8, '0'),
              'volume' || g || '@example.com', date '1950-01-01' + g % 18000, 'not a password hash', now(), now()
         FROM generate_series(1, 62000) g`,
    );
    await step(
      'applicant keys',
      `CREATE TEMP TABLE ba AS SELECT row_number() OVER (ORDER BY id)::int AS k, id
         FROM applicant WHERE email LIKE 'volume%@example.com'`,
    );
    await c.query('CREATE INDEX ON ba (k)');
    // g 1–20,000: contact book of family g for inmate g; 20,001–90,000: visits (family (g-1) % 60,000 + 1,
    // for that family's inmate); 90,001–100,000: lawyers. Pending only when submitted in the last ~15
    // days, and never for both g and g - 60,000 (the same family, inmate and service).
    await step(
      'service applications',
      `WITH s AS (
         SELECT g, now() - ((g::bigint * 7919) % 100000) * interval '15 minutes' AS at,
                CASE WHEN g <= 20000 THEN 'contact_book' WHEN g <= 90000 THEN 'visit' ELSE 'lawyer_visit' END AS service,
                CASE WHEN g <= 20000 THEN g WHEN g <= 90000 THEN (g - 1) % 60000 + 1 ELSE 60001 + g % 2000 END AS a,
                CASE WHEN (g::bigint * 7919) % 100000 < 1500 AND g NOT BETWEEN 80001 AND 90000 THEN 'pending'
                     WHEN g % 10 = 1 THEN 'rejected' ELSE 'approved' END AS status
           FROM generate_series(1, 100000) g),
       t AS (SELECT s.*, CASE WHEN service = 'lawyer_visit' THEN (g * 7) % 20000 + 1
                              WHEN service = 'visit' THEN (a - 1) % 20000 + 1 ELSE g END AS m FROM s)
       INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship,
                                        status, submission_key, submitted_at, decided_at, rejection_reason)
       SELECT to_char(t.at AT TIME ZONE 'Asia/Taipei', 'YYYYMMDD') || '-' || upper(lpad(to_hex(t.g), 6, '0')),
              ba.id, bi.id, bi.institution_code, t.service,
              CASE t.service WHEN 'visit' THEN ARRAY['onsite', 'remote', 'mobile'] ELSE '{}' END,
              CASE t.service WHEN 'lawyer_visit' THEN 'lawyer' WHEN 'visit' THEN 'mother' ELSE 'spouse' END,
              t.status, gen_random_uuid(), t.at,
              CASE WHEN t.status <> 'pending' THEN t.at + interval '2 days' END,
              CASE WHEN t.status = 'rejected' THEN '應備文件不齊' END
         FROM t JOIN ba ON ba.k = t.a JOIN bi ON bi.k = t.m`,
    );
    // The demo family (the one measured) has eight older applications besides its two services.
    await step(
      "the demo family's older applications",
      `INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship,
                                        status, submission_key, submitted_at, decided_at, rejection_reason)
       SELECT '20250101-DEMOX' || g, p.id, bi.id, bi.institution_code, 'visit', ARRAY['onsite'], 'father', 'rejected',
              gen_random_uuid(), now() - g * interval '40 days', now() - g * interval '40 days' + interval '1 day', '應備文件不齊'
         FROM generate_series(1, 8) g JOIN bi ON bi.k = 100 * g, (SELECT id FROM applicant WHERE email = 'family@example.com') p`,
    );
    await step(
      'contact book posts',
      `INSERT INTO contact_book_post (application_id, applicant_id, inmate_id, institution_code, title, body, status,
                                      posted_on, submitted_at, submission_key, decided_at, delivered_at)
       SELECT a.id, a.applicant_id, a.inmate_id, a.institution_code, '近況' || k, '家裡一切都好，天氣轉涼記得添衣。',
              CASE WHEN x.on_day >= x.today - 3 THEN 'pending' ELSE 'approved' END, x.on_day,
              (x.on_day + time '09:00') AT TIME ZONE 'Asia/Taipei', gen_random_uuid(),
              CASE WHEN x.on_day < x.today - 3
                   THEN (x.on_day + 1 + time '10:00' + (a.id % 360) * interval '1 minute') AT TIME ZONE 'Asia/Taipei' END,
              CASE WHEN x.on_day < x.today - 7
                   THEN (x.on_day + 2 + time '15:00') AT TIME ZONE 'Asia/Taipei' END
         FROM service_application a, generate_series(0, 2) k,
              LATERAL (SELECT (now() AT TIME ZONE 'Asia/Taipei')::date AS today) d,
              LATERAL (SELECT d.today, d.today - 12 * k - (a.id % 400)::int AS on_day) x
        WHERE a.service = 'contact_book' AND a.status = 'approved'
        ORDER BY a.id, k LIMIT $1`,
      [VOLUME.posts],
    );
    await seedBookings(c, step);
  } finally {
    c.release(true);
  }
}

async function seedBookings(c: pg.PoolClient, step: Step) {
  await step(
    'visit services',
    `CREATE TEMP TABLE vb AS
     SELECT a.id AS app, a.applicant_id, a.inmate_id, a.institution_code, a.relationship, a.number LIKE '20260101-DEMO%' AS demo,
            row_number() OVER (PARTITION BY a.inmate_id ORDER BY a.id) AS rn, count(*) OVER (PARTITION BY a.inmate_id) AS cnt
       FROM service_application a WHERE a.service = 'visit' AND a.status = 'approved'`,
  );
  await c.query('ALTER TABLE visit_booking DISABLE TRIGGER USER');
  await c.query('ALTER TABLE visit_booking_visitor DISABLE TRIGGER USER');
  try {
    // The coming week: three pending bookings in every on-site batch, each for another inmate.
    await step(
      'bookings, coming week',
      `WITH d AS (SELECT (now() AT TIME ZONE 'Asia/Taipei')::date AS today),
       slots AS (
         SELECT b.id AS batch_id, b.institution_code, b.starts_at, b.length_minutes, day::date AS visit_date,
                row_number() OVER (PARTITION BY b.institution_code ORDER BY day, b.starts_at) AS s
           FROM visit_batch b, d, generate_series(d.today + 2, d.today + 7, interval '1 day') day
          WHERE b.visit_kind = 'onsite' AND b.retired_at IS NULL AND b.weekday = extract(isodow FROM day)),
       apps AS (SELECT vb.*, row_number() OVER (PARTITION BY institution_code ORDER BY app) AS r FROM vb WHERE rn = 1 AND NOT demo)
       INSERT INTO visit_booking (number, submission_key, booker_id, application_id, inmate_id, institution_code, service, visit_kind,
                                  visit_date, batch_id, during, relationship, status, booked_at)
       SELECT 'V' || to_char(now() AT TIME ZONE 'Asia/Taipei', 'YYYYMMDD') || '-' || upper(lpad(to_hex(500000 + a.app::int), 6, '0')),
              gen_random_uuid(), a.applicant_id, a.app, a.inmate_id, a.institution_code, 'visit', 'onsite', s.visit_date, s.batch_id,
              tstzrange((s.visit_date + s.starts_at) AT TIME ZONE 'Asia/Taipei',
                        (s.visit_date + s.starts_at + make_interval(mins => coalesce(s.length_minutes, 30))) AT TIME ZONE 'Asia/Taipei'),
              a.relationship, 'pending', now()
         FROM slots s, generate_series(1, 3) j, apps a
        WHERE a.institution_code = s.institution_code AND a.r = (s.s - 1) * 3 + j`,
    );
    // The past: each inmate's bookings on distinct weekdays (so no inmate or visitor is in two visits at
    // once), spread over three years back from two weeks ago.
    await step(
      'bookings, past three years',
      `WITH monday AS (SELECT date_trunc('week', (now() AT TIME ZONE 'Asia/Taipei')::date)::date - 14 AS d),
       x AS (SELECT vb.*, ((vb.rn + vb.cnt * k) * 3 + vb.inmate_id * 7) % 780 AS w, row_number() OVER (ORDER BY k, vb.app) AS b
               FROM vb, generate_series(0, 3) k),
       y AS (SELECT x.*, monday.d - (x.w / 5)::int * 7 + (x.w % 5)::int AS visit_date FROM x, monday
              WHERE x.b <= $1 - (SELECT count(*) FROM visit_booking)),
       z AS (SELECT y.*, bt.id AS batch_id, bt.starts_at, bt.length_minutes, bt.capacity,
                    row_number() OVER (PARTITION BY bt.id, y.visit_date ORDER BY y.b) AS place
               FROM y JOIN visit_batch bt ON bt.institution_code = y.institution_code AND bt.visit_kind = 'onsite'
                AND bt.retired_at IS NULL AND bt.weekday = 1 + y.w % 5
                AND bt.starts_at = (ARRAY['09:00', '09:30', '10:00', '10:30', '11:00', '14:00', '14:30', '15:00'])[1 + y.app % 8]::time),
       v AS (SELECT z.*, (z.visit_date - 5 + time '10:00') AT TIME ZONE 'Asia/Taipei' AS booked_at,
                    CASE WHEN z.place > z.capacity THEN 'cancelled' WHEN z.b % 20 = 7 THEN 'rejected' ELSE 'approved' END AS status
               FROM z)
       INSERT INTO visit_booking (number, submission_key, booker_id, application_id, inmate_id, institution_code, service, visit_kind,
                                  visit_date, batch_id, during, relationship, status, booked_at, decided_at, rejection_reason, cancelled_at)
       SELECT 'V' || to_char(v.visit_date - 5, 'YYYYMMDD') || '-' || upper(lpad(to_hex(v.b::int), 6, '0')),
              gen_random_uuid(), v.applicant_id, v.app, v.inmate_id, v.institution_code, 'visit', 'onsite', v.visit_date, v.batch_id,
              tstzrange((v.visit_date + v.starts_at) AT TIME ZONE 'Asia/Taipei',
                        (v.visit_date + v.starts_at + make_interval(mins => coalesce(v.length_minutes, 30))) AT TIME ZONE 'Asia/Taipei'),
              v.relationship, v.status, v.booked_at,
              CASE WHEN v.status IN ('approved', 'rejected') THEN v.booked_at + interval '1 day' END,
              CASE WHEN v.status = 'rejected' THEN '收容人當日另有行程' END,
              CASE WHEN v.status = 'cancelled' THEN v.booked_at + interval '1 hour' END
         FROM v`,
      [VOLUME.bookings],
    );
    await step(
      'visitors (the booker)',
      `INSERT INTO visit_booking_visitor (booking_id, applicant_id, position, application_id, during, active)
       SELECT id, booker_id, 1, application_id, during, status IN ('pending', 'approved') FROM visit_booking`,
    );
    await step(
      'places taken per batch and day',
      `INSERT INTO visit_batch_day (batch_id, visit_date, booked, capacity)
       SELECT k.batch_id, k.visit_date, count(*) FILTER (WHERE k.status IN ('pending', 'approved')), b.capacity
         FROM visit_booking k JOIN visit_batch b ON b.id = k.batch_id GROUP BY k.batch_id, k.visit_date, b.capacity`,
    );
  } finally {
    await c.query('ALTER TABLE visit_booking ENABLE TRIGGER USER');
    await c.query('ALTER TABLE visit_booking_visitor ENABLE TRIGGER USER');
  }
}
