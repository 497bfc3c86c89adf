import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Client, csrfFrom, textOf } from '../support/http.ts';
import * as make from '../support/fixtures.ts';
import { onsiteBatch, REVIEWER_2477, STAFF_PASSWORD, signedInStaff } from '../support/scenarios.ts';

/** Monday 2026-11-23 10:00 in Taipei; the 300 visits are on Wednesday 11-25. */
const NOW = new Date('2026-11-23T10:00:00+08:00');
const ROWS = 300;

type Ctx = { app: TestApp; staff: Client; ids: number[] };
const test = suite<Ctx>('bulk approval over HTTP: 300 selected bookings in one post (issue 11.6)');

test.before(async (ctx) => {
  ctx.app = await startTestApp({ clock: () => NOW, sms: false });
  const db = ctx.app.db.pool;
  await make.institution(db, { code: '2477' });
  const batch = await onsiteBatch(db, { weekday: 3, startsAt: '09:00', capacity: 500 });
  await make.staff(db, { ...REVIEWER_2477, password: STAFF_PASSWORD });
  // 300 families, each with an approved visit service for an inmate of their own and a pending booking
  // in the same batch: set-based SQL in one transaction (the rows pass every trigger of migration 006).
  const tx = await db.connect();
  try {
    await tx.query('BEGIN');
    await tx.query(
      `INSERT INTO applicant (name, national_id, email, birthday, password_hash, privacy_consent_at, email_verified_at)
       SELECT '家屬' || n, 'A1' || lpad(n::text, 8, '0'), 'bulk' || n || '@example.com', '1980-01-01', 'x', now(), now()
         FROM generate_series(1, $1::int) n`,
      [ROWS],
    );
    await tx.query(
      `INSERT INTO inmate (institution_code, call_number, name) SELECT '2477', lpad(n::text, 6, '0'), '收容人' || n FROM generate_series(1, $1::int) n`,
      [ROWS],
    );
    await tx.query(
      `INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship, submission_key, submitted_at, status, decided_at)
       SELECT '20261101-' || lpad(n::text, 6, '0'), a.id, m.id, '2477', 'visit', ARRAY['onsite'], 'mother', gen_random_uuid(), now(), 'approved', now()
         FROM generate_series(1, $1::int) n JOIN applicant a ON a.email = 'bulk' || n || '@example.com'
         JOIN inmate m ON m.call_number = lpad(n::text, 6, '0')`,
      [ROWS],
    );
    await tx.query(
      `INSERT INTO visit_booking (number, submission_key, booker_id, application_id, inmate_id, institution_code, service, visit_kind, visit_date, batch_id, relationship, booked_at)
       SELECT 'V20261123-' || lpad(n::text, 6, '0'), gen_random_uuid(), s.applicant_id, s.id, s.inmate_id, '2477', 'visit', 'onsite', '2026-11-25', $2, 'mother', $3
         FROM generate_series(1, $1::int) n JOIN service_application s ON s.number = '20261101-' || lpad(n::text, 6, '0')`,
      [ROWS, batch, NOW],
    );
    await tx.query('COMMIT');
  } finally {
    tx.release();
  }
  ctx.ids = (await db.query('SELECT id FROM visit_booking ORDER BY id')).rows.map((r) => Number(r.id));
  assert.is(ctx.ids.length, ROWS);
  ctx.staff = await signedInStaff(ctx.app.url, 'reviewer2477');
});
test.after(async (ctx) => {
  await ctx.app.close();
});

test('300 selected pending bookings are approved by one press', async (ctx) => {
  const s = ctx.staff;
  await s.get('/backoffice/bookings');
  const body = new URLSearchParams([
    ['_csrf', csrfFrom(s.lastPage)],
    ['decision', 'approve'],
    ['reason', ''],
    ['filters', 'status=pending&from=2026-11-23'],
    ...ctx.ids.map((id) => ['booking', `${id}:1`]),
  ]);
  const res = await s.request('POST', '/backoffice/bookings/decisions', body.toString());
  assert.is(res.status, 303, `the post is taken (got ${res.status})`);
  const { rows } = await ctx.app.db.pool.query(`SELECT status, count(*)::int AS n FROM visit_booking GROUP BY status`);
  assert.equal(rows, [{ status: 'approved', n: ROWS }], 'every one approved');
  const page = textOf((await s.follow(res)).text);
  assert.match(page, `已審核通過 ${ROWS} 件預約`);
});

test.run();
