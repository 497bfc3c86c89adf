import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { freshDatabase, type TestDb } from '../support/db.ts';
import {
  addBatch,
  blockDate,
  bookableDates,
  bookableGrid,
  bookingOptions,
  bookVisit,
  cancelBooking,
  decideBooking,
  decideBookings,
  eligibleCompanions,
  getBooking,
  lawyerArrivalOptions,
  lawyerBandCounts,
  listApplicantBookings,
  listStaffBookings,
  listTimetable,
  maskNationalId,
  reasonRequired,
  retireBatch,
  roster,
  setBatchCapacity,
  staffCancelBooking,
  unblockDate,
  type BookingInput,
  type BookingStaff,
} from '../../domain/visit-bookings.ts';
import { loadDemoTimetable } from '../../domain/demo-data.ts';

type Ctx = { db: TestDb; n: number; staff2477: number; staff2411: number; agency: number };
const test = suite<Ctx>(
  'visit bookings: window, blocked dates, capacity, people and inmates at one time, companions, reason, lawyers, decisions',
);

/** A moment in Asia/Taipei (UTC+8, no daylight saving). */
const taipei = (isoLocal: string) => new Date(`${isoLocal}+08:00`);
/** Saturday 2026-11-28 10:00 in Taipei: bookable dates are 2026-11-30 (Mon) to 2026-12-05 (Sat). */
const NOW = taipei('2026-11-28T10:00:00');

test.before(async (ctx) => {
  try {
    await setUp(ctx);
  } catch (err) {
    console.error('SETUP', err);
    throw err;
  }
});
async function setUp(ctx: Ctx) {
  ctx.db = await freshDatabase();
  ctx.n = 0;
  const q = (sql: string, p: unknown[] = []) => ctx.db.pool.query(sql, p);
  await q(
    `INSERT INTO institution (code, name_zh, name_en) VALUES ('2477', '桃園女子監獄', 'Taoyuan Women''s Prison'), ('2411', '基隆監獄', 'Keelung Prison')`,
  );
  // Lawyers at 2411 arrive 08:30–10:00 and 13:30–15:00 (parameters RAS, RAE, RFS, RFE).
  await q(
    `UPDATE institution SET lawyer_morning_start = '08:30', lawyer_morning_end = '10:00', lawyer_afternoon_start = '13:30', lawyer_afternoon_end = '15:00' WHERE code = '2411'`,
  );
  ctx.staff2477 = Number(
    (
      await q(
        `INSERT INTO staff (account, name, institution_code, role, password_hash) VALUES ('s2477', '承辦人甲', '2477', 'reviewer', 'x') RETURNING id`,
      )
    ).rows[0].id,
  );
  ctx.staff2411 = Number(
    (
      await q(
        `INSERT INTO staff (account, name, institution_code, role, password_hash) VALUES ('s2411', '承辦人乙', '2411', 'reviewer', 'x') RETURNING id`,
      )
    ).rows[0].id,
  );
  ctx.agency = Number(
    (
      await q(
        `INSERT INTO staff (account, name, institution_code, role, password_hash) VALUES ('agency', '矯正署', NULL, 'agency_admin', 'x') RETURNING id`,
      )
    ).rows[0].id,
  );
  // Every day of the week, so any date in a test has batches.
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (const [kind, at, minutes, capacity] of [
      ['onsite', '09:00', 30, 5],
      ['onsite', '09:30', 30, 5],
      ['onsite', '14:00', 30, 5],
      ['remote', '09:00', 30, 2],
      ['mobile', '09:00', null, 3],
      ['mobile', '14:00', null, 3],
    ] as const) {
      await q(
        `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity) VALUES ('2477', $1, $2, $3, $4, $5)`,
        [kind, weekday, at, minutes, capacity],
      );
    }
    await q(
      `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity) VALUES ('2411', 'mobile', $1, '09:00', NULL, 3)`,
      [weekday],
    );
  }
}
test.after(async (ctx) => {
  await ctx.db.drop();
});

const q = (ctx: Ctx, sql: string, p: unknown[] = []) => ctx.db.pool.query(sql, p);

async function person(ctx: Ctx, name = '李大同'): Promise<number> {
  const n = ++ctx.n;
  return Number(
    (
      await q(
        ctx,
        `INSERT INTO applicant (name, national_id, email, birthday, mobile, password_hash, privacy_consent_at, email_verified_at)
     VALUES ($1, $2, $3, '1980-01-01', '0912345678', 'x', now(), now()) RETURNING id`,
        [name, `A1${String(n).padStart(8, '0')}`, `p${n}@example.com`],
      )
    ).rows[0].id,
  );
}

async function inmate(ctx: Ctx, code = '2477', name = '王小明'): Promise<number> {
  const n = ++ctx.n;
  return Number(
    (
      await q(ctx, `INSERT INTO inmate (institution_code, call_number, name) VALUES ($1, $2, $3) RETURNING id`, [
        code,
        String(100000 + n),
        name,
      ])
    ).rows[0].id,
  );
}

type Grant = { service?: 'visit' | 'lawyer_visit'; kinds?: string[]; relationship?: string; status?: string };
async function grant(ctx: Ctx, applicantId: number, inmateId: number, g: Grant = {}): Promise<number> {
  const n = ++ctx.n;
  const service = g.service ?? 'visit';
  const status = g.status ?? 'approved';
  return Number(
    (
      await q(
        ctx,
        `INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship, submission_key, submitted_at, status, decided_at)
     VALUES ($1, $2, $3, (SELECT institution_code FROM inmate WHERE id = $3), $4, $5, $6, $7, now(), $8, CASE WHEN $8 = 'pending' THEN NULL ELSE now() END) RETURNING id`,
        [
          `20261101-${String(n).padStart(6, '0')}`,
          applicantId,
          inmateId,
          service,
          service === 'visit' ? (g.kinds ?? ['onsite', 'remote', 'mobile']) : [],
          g.relationship ?? (service === 'visit' ? 'mother' : 'lawyer'),
          randomUUID(),
          status,
        ],
      )
    ).rows[0].id,
  );
}

/** A family member with an approved visit service for a new inmate. */
async function family(
  ctx: Ctx,
  g: Grant = {},
  code = '2477',
): Promise<{ who: number; inmateId: number; applicationId: number }> {
  const who = await person(ctx);
  const inmateId = await inmate(ctx, code);
  return { who, inmateId, applicationId: await grant(ctx, who, inmateId, g) };
}

async function batch(ctx: Ctx, kind: string, date: string, at: string, code = '2477'): Promise<number> {
  const { rows } = await q(
    ctx,
    `SELECT id FROM visit_batch WHERE institution_code = $1 AND visit_kind = $2 AND weekday = extract(isodow FROM $3::date) AND starts_at = $4 AND retired_at IS NULL`,
    [code, kind, date, at],
  );
  return Number(rows[0].id);
}

async function input(
  ctx: Ctx,
  over: Partial<BookingInput> & { bookerId: number; inmateId: number; date: string; at?: string },
): Promise<BookingInput> {
  const { at, ...rest } = over;
  const kind = over.kind ?? 'onsite';
  const lawyerOnsite = over.service === 'lawyer_visit' && kind === 'onsite';
  const code = (await q(ctx, 'SELECT institution_code FROM inmate WHERE id = $1', [over.inmateId])).rows[0]
    .institution_code;
  return {
    submissionKey: randomUUID(),
    service: 'visit',
    kind,
    batchId: lawyerOnsite ? null : await batch(ctx, kind, over.date, at ?? '09:00', code),
    arrivalTime: null,
    companionIds: [],
    reason: '',
    ...rest,
  };
}

const staff = (ctx: Ctx, code: '2477' | '2411' | null = '2477'): BookingStaff => ({
  staffId: code === '2477' ? ctx.staff2477 : code === '2411' ? ctx.staff2411 : ctx.agency,
  institutionCode: code,
  ip: '10.0.0.2',
});

/** The constraint the database names when it refuses a statement. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { constraint?: string }).constraint ?? `no constraint: ${(err as Error).message}`;
  }
  return 'accepted';
}

/** Inserts a booking straight into the table, skipping every check of the code. */
async function rawBooking(
  ctx: Ctx,
  b: {
    bookerId: number;
    applicationId: number;
    inmateId: number;
    date: string;
    batchId: number | null;
    bookedAt: Date;
    kind?: string;
    service?: string;
    arrival?: string | null;
    relationship?: string;
    reason?: string | null;
  },
): Promise<number> {
  const kind = b.kind ?? 'onsite';
  const { rows } = await q(
    ctx,
    `INSERT INTO visit_booking (number, submission_key, booker_id, application_id, inmate_id, institution_code, service, visit_kind, visit_date, batch_id,
                                arrival_time, relationship, reason, video_token, booked_at)
     VALUES ($1, $2, $3, $4, $5, (SELECT institution_code FROM inmate WHERE id = $5), $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
    [
      `V20261128-${String(++ctx.n).padStart(6, '0')}`,
      randomUUID(),
      b.bookerId,
      b.applicationId,
      b.inmateId,
      b.service ?? 'visit',
      kind,
      b.date,
      b.batchId,
      b.arrival ?? null,
      b.relationship ?? 'mother',
      b.reason ?? null,
      kind === 'onsite' ? null : 'x'.repeat(43),
      b.bookedAt,
    ],
  );
  return Number(rows[0].id);
}

const activeIn = async (ctx: Ctx, batchId: number, date: string) =>
  (
    await q(
      ctx,
      `SELECT count(*)::int AS n FROM visit_booking WHERE batch_id = $1 AND visit_date = $2 AND status IN ('pending', 'approved')`,
      [batchId, date],
    )
  ).rows[0].n as number;

test('the window is 2 to 7 days in Asia/Taipei: at 23:59 and at 00:00, across a month end; the database refuses a booking outside it', async (ctx) => {
  const f = await family(ctx);
  const lastMinute = taipei('2026-11-28T23:59:00');
  const midnight = taipei('2026-11-29T00:00:00');
  assert.equal(bookableDates(lastMinute), [
    '2026-11-30',
    '2026-12-01',
    '2026-12-02',
    '2026-12-03',
    '2026-12-04',
    '2026-12-05',
  ]);
  assert.equal(bookableDates(midnight), [
    '2026-12-01',
    '2026-12-02',
    '2026-12-03',
    '2026-12-04',
    '2026-12-05',
    '2026-12-06',
  ]);

  const at2359 = async (date: string) =>
    bookVisit(ctx.db.pool, await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date }), lastMinute);
  const at0000 = async (date: string) =>
    bookVisit(ctx.db.pool, await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '14:00' }), midnight);
  assert.equal(await at2359('2026-11-29'), { kind: 'errors', errors: { slot: 'outsideWindow' } }, 'tomorrow, 1 day');
  assert.is((await at2359('2026-11-30')).kind, 'booked', 'Monday is 2 days ahead until midnight');
  assert.is((await at2359('2026-12-05')).kind, 'booked', '7 days, in the next month');
  assert.equal(await at2359('2026-12-06'), { kind: 'errors', errors: { slot: 'outsideWindow' } }, '8 days');
  assert.equal(
    await at0000('2026-11-30'),
    { kind: 'errors', errors: { slot: 'outsideWindow' } },
    'one minute later it is only 1 day',
  );
  assert.is((await at0000('2026-12-06')).kind, 'booked', 'and 7 days reach 12/06');

  // The database itself: the same date booked at 00:00 the next day, and a date 8 days ahead (another
  // family, since one family books an inmate once a day).
  const g = await family(ctx);
  const base = { bookerId: g.who, applicationId: g.applicationId, inmateId: g.inmateId };
  assert.is(
    await refusal(
      rawBooking(ctx, {
        ...base,
        date: '2026-11-30',
        batchId: await batch(ctx, 'onsite', '2026-11-30', '09:30'),
        bookedAt: midnight,
      }),
    ),
    'visit_booking_window',
  );
  assert.is(
    await refusal(
      rawBooking(ctx, {
        ...base,
        date: '2026-12-07',
        batchId: await batch(ctx, 'onsite', '2026-12-07', '09:30'),
        bookedAt: midnight,
      }),
    ),
    'visit_booking_window',
  );
  assert.is(
    await refusal(
      rawBooking(ctx, {
        ...base,
        date: '2026-11-30',
        batchId: await batch(ctx, 'onsite', '2026-11-30', '09:30'),
        bookedAt: new Date(midnight.getTime() - 1000),
      }),
    ),
    'accepted',
    'at 23:59:59',
  );
});

test('blocked dates: not offered, refused by the code and by the database, bookable again when unblocked', async (ctx) => {
  const f = await family(ctx);
  const date = '2026-12-03';
  assert.equal(
    await blockDate(ctx.db.pool, { institutionCode: '2477', date, reason: '國定假日' }, staff(ctx, '2411'), NOW),
    { kind: 'outside_scope' },
  );
  assert.equal(await blockDate(ctx.db.pool, { institutionCode: '2477', date, reason: '國定假日' }, staff(ctx), NOW), {
    kind: 'blocked',
    activeBookings: 0,
  });
  assert.equal(await blockDate(ctx.db.pool, { institutionCode: '2477', date, reason: '' }, staff(ctx), NOW), {
    kind: 'duplicate',
  });
  const grid = (await bookableGrid(ctx.db.pool, { applicantId: f.who, inmateId: f.inmateId, kind: 'onsite' }, NOW))!;
  const column = grid.dates.findIndex((d) => d.date === date);
  assert.equal(grid.dates[column], { date, weekday: 4, blocked: true });
  assert.ok(
    grid.rows.every((r) => r.cells[column] === null),
    'nothing offered on the blocked date',
  );
  assert.equal(await bookVisit(ctx.db.pool, await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date }), NOW), {
    kind: 'errors',
    errors: { slot: 'blockedDate' },
  });
  assert.is(
    await refusal(
      rawBooking(ctx, {
        bookerId: f.who,
        applicationId: f.applicationId,
        inmateId: f.inmateId,
        date,
        batchId: await batch(ctx, 'onsite', date, '09:00'),
        bookedAt: NOW,
      }),
    ),
    'visit_blocked_date',
  );
  const audit = await q(ctx, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'visit_date.blocked'`);
  assert.is(audit.rows[0].n, 1);
  assert.ok(await unblockDate(ctx.db.pool, '2477', date, staff(ctx), NOW));
  assert.is(
    (await bookVisit(ctx.db.pool, await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date }), NOW)).kind,
    'booked',
  );
});

test('50 people confirm the last 3 places at once: exactly 3 are booked, the rest told it is full; the count never passes capacity; a cancellation frees a place', async (ctx) => {
  const date = '2026-12-01';
  const batchId = await batch(ctx, 'onsite', date, '14:00');
  for (let i = 0; i < 2; i++) {
    const f = await family(ctx);
    assert.is(
      (
        await bookVisit(
          ctx.db.pool,
          await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '14:00' }),
          NOW,
        )
      ).kind,
      'booked',
    );
  }
  const people = [];
  for (let i = 0; i < 50; i++) people.push(await family(ctx));
  const inputs = await Promise.all(
    people.map((f) => input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '14:00' })),
  );
  const results = await Promise.all(inputs.map((i) => bookVisit(ctx.db.pool, i, NOW)));
  const booked = results.filter((r) => r.kind === 'booked');
  assert.is(booked.length, 3);
  assert.ok(
    results
      .filter((r) => r.kind === 'errors')
      .every((r) => JSON.stringify(r) === JSON.stringify({ kind: 'errors', errors: { slot: 'full' } })),
    'everyone else: full',
  );
  assert.is(await activeIn(ctx, batchId, date), 5);
  assert.is(
    (await q(ctx, 'SELECT booked FROM visit_batch_day WHERE batch_id = $1 AND visit_date = $2', [batchId, date]))
      .rows[0].booked,
    5,
  );

  const loser = people.find((_, i) => results[i]!.kind === 'errors')!;
  const gridFor = async () =>
    (await bookableGrid(ctx.db.pool, { applicantId: loser.who, inmateId: loser.inmateId, kind: 'onsite' }, NOW))!;
  const column = (await gridFor()).dates.findIndex((d) => d.date === date);
  const row = (g: Awaited<ReturnType<typeof gridFor>>) => g.rows.find((r) => r.startsAt === '14:00')!.cells[column];
  assert.is(row(await gridFor()), null, 'a full batch is not offered');

  const winner = people[results.findIndex((r) => r.kind === 'booked')]!;
  assert.is(
    await cancelBooking(ctx.db.pool, winner.who, (booked[0] as { bookingId: number }).bookingId, NOW),
    'cancelled',
  );
  assert.equal(row(await gridFor()), { batchId, remaining: 1, endsAt: '14:30' });
  assert.is(
    (
      await bookVisit(
        ctx.db.pool,
        await input(ctx, { bookerId: loser.who, inmateId: loser.inmateId, date, at: '14:00' }),
        NOW,
      )
    ).kind,
    'booked',
  );
  assert.is(await activeIn(ctx, batchId, date), 5);

  // Skipping the code does not help: 50 inserts at once straight into the table for 5 places.
  const raw = await batch(ctx, 'onsite', date, '09:30');
  const others = [];
  for (let i = 0; i < 50; i++) others.push(await family(ctx));
  const outcomes = await Promise.all(
    others.map((f) =>
      refusal(
        rawBooking(ctx, {
          bookerId: f.who,
          applicationId: f.applicationId,
          inmateId: f.inmateId,
          date,
          batchId: raw,
          bookedAt: NOW,
        }),
      ),
    ),
  );
  assert.is(outcomes.filter((o) => o === 'accepted').length, 5);
  assert.is(outcomes.filter((o) => o === 'visit_batch_full').length, 45);
  assert.is(await activeIn(ctx, raw, date), 5);
  // And a sixth in the afternoon batch.
  const extra = await family(ctx);
  assert.is(
    await refusal(
      rawBooking(ctx, {
        bookerId: extra.who,
        applicationId: extra.applicationId,
        inmateId: extra.inmateId,
        date,
        batchId,
        bookedAt: NOW,
      }),
    ),
    'visit_batch_full',
  );
  // A lower capacity refuses new bookings and keeps the ones made.
  assert.ok(await setBatchCapacity(ctx.db.pool, batchId, 3, staff(ctx), NOW));
  assert.is(await activeIn(ctx, batchId, date), 5);
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      await input(ctx, { bookerId: extra.who, inmateId: extra.inmateId, date, at: '14:00' }),
      NOW,
    ),
    { kind: 'errors', errors: { slot: 'full' } },
  );
  assert.ok(await setBatchCapacity(ctx.db.pool, batchId, 5, staff(ctx), NOW));
});

test('a person is never in two visits at once, as booker or companion, across kinds; an inmate has one visit per batch', async (ctx) => {
  const date = '2026-12-02';
  const a = await family(ctx);
  const otherInmate = await inmate(ctx);
  await grant(ctx, a.who, otherInmate);
  assert.is(
    (await bookVisit(ctx.db.pool, await input(ctx, { bookerId: a.who, inmateId: a.inmateId, date }), NOW)).kind,
    'booked',
  );
  assert.equal(
    await bookVisit(ctx.db.pool, await input(ctx, { bookerId: a.who, inmateId: otherInmate, date }), NOW),
    { kind: 'errors', errors: { slot: 'bookerBusy' } },
    'same batch, another inmate',
  );
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      await input(ctx, { bookerId: a.who, inmateId: otherInmate, date, kind: 'mobile' }),
      NOW,
    ),
    { kind: 'errors', errors: { slot: 'bookerBusy' } },
    'a mobile visit at 09:00–09:20 overlaps 09:00–09:30',
  );
  assert.is(
    (await bookVisit(ctx.db.pool, await input(ctx, { bookerId: a.who, inmateId: otherInmate, date, at: '09:30' }), NOW))
      .kind,
    'booked',
    'right after is fine',
  );

  // The same inmate: another family member for the same batch is refused, and not offered it.
  const sister = await person(ctx);
  await grant(ctx, sister, a.inmateId, { relationship: 'sibling' });
  assert.equal(await bookVisit(ctx.db.pool, await input(ctx, { bookerId: sister, inmateId: a.inmateId, date }), NOW), {
    kind: 'errors',
    errors: { slot: 'inmateBusy' },
  });
  const grid = (await bookableGrid(ctx.db.pool, { applicantId: sister, inmateId: a.inmateId, kind: 'onsite' }, NOW))!;
  const column = grid.dates.findIndex((d) => d.date === date);
  assert.is(grid.rows.find((r) => r.startsAt === '09:00')!.cells[column], null);
  assert.ok(grid.rows.find((r) => r.startsAt === '14:00')!.cells[column]);

  // A companion already in a visit at that time, and a booker who is someone else's companion.
  const b = await family(ctx);
  const friend = await person(ctx);
  await grant(ctx, friend, b.inmateId);
  assert.is(
    (
      await bookVisit(
        ctx.db.pool,
        await input(ctx, { bookerId: b.who, inmateId: b.inmateId, date, at: '14:00', companionIds: [friend] }),
        NOW,
      )
    ).kind,
    'booked',
  );
  const c = await family(ctx);
  await grant(ctx, friend, c.inmateId);
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      await input(ctx, { bookerId: c.who, inmateId: c.inmateId, date, at: '14:00', companionIds: [friend] }),
      NOW,
    ),
    { kind: 'errors', errors: { companions: 'companionBusy' } },
  );
  assert.equal(
    await bookVisit(ctx.db.pool, await input(ctx, { bookerId: friend, inmateId: c.inmateId, date, at: '14:00' }), NOW),
    { kind: 'errors', errors: { slot: 'bookerBusy' } },
  );
  const friendsGrid = (await bookableGrid(
    ctx.db.pool,
    { applicantId: c.who, inmateId: c.inmateId, kind: 'onsite', companionIds: [friend] },
    NOW,
  ))!;
  assert.is(
    friendsGrid.rows.find((r) => r.startsAt === '14:00')!.cells[column],
    null,
    'the grid leaves out times a chosen companion is busy',
  );

  // The database: a visitor row overlapping one of the person's active visits.
  const d = await family(ctx);
  await grant(ctx, a.who, d.inmateId);
  const id = await rawBooking(ctx, {
    bookerId: d.who,
    applicationId: d.applicationId,
    inmateId: d.inmateId,
    date,
    batchId: await batch(ctx, 'onsite', date, '09:00'),
    bookedAt: NOW,
  });
  assert.is(
    await refusal(
      q(ctx, 'INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, 2)', [id, a.who]),
    ),
    'visit_booking_person_busy',
  );
  assert.is(
    await refusal(
      rawBooking(ctx, {
        bookerId: sister,
        applicationId: await grant(ctx, sister, d.inmateId),
        inmateId: d.inmateId,
        date,
        batchId: await batch(ctx, 'remote', date, '09:00'),
        kind: 'remote',
        bookedAt: NOW,
      }),
    ),
    'visit_booking_inmate_busy',
    'the inmate is in an on-site visit at that time',
  );
});

test('companions: only applicants with an approved service of the same kind for the same inmate, at most two; masked names', async (ctx) => {
  const date = '2026-12-03';
  const f = await family(ctx);
  const son = await person(ctx, '李小龍');
  await grant(ctx, son, f.inmateId, { relationship: 'child' });
  const daughter = await person(ctx, '李小美');
  await grant(ctx, daughter, f.inmateId, { relationship: 'child', kinds: ['onsite'] });
  const brother = await person(ctx, '李大華');
  await grant(ctx, brother, f.inmateId, { relationship: 'sibling' });
  const pending = await person(ctx, '陳待審');
  await grant(ctx, pending, f.inmateId, { status: 'pending' });
  const stranger = await family(ctx);

  const onsite = await eligibleCompanions(ctx.db.pool, f.who, f.inmateId, 'onsite');
  assert.equal(onsite, [
    { applicantId: son, maskedName: '李○○', relationship: 'child' },
    { applicantId: daughter, maskedName: '李○○', relationship: 'child' },
    { applicantId: brother, maskedName: '李○○', relationship: 'sibling' },
  ]);
  assert.equal(
    (await eligibleCompanions(ctx.db.pool, f.who, f.inmateId, 'mobile')).map((c) => c.applicantId),
    [son, brother],
    'daughter holds on-site only',
  );
  assert.equal(
    await eligibleCompanions(ctx.db.pool, stranger.who, f.inmateId, 'onsite'),
    [],
    'nobody is shown to someone not entitled',
  );

  const book = async (companionIds: number[], kind: 'onsite' | 'mobile' = 'onsite') =>
    bookVisit(ctx.db.pool, await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, kind, companionIds }), NOW);
  assert.equal(await book([pending]), { kind: 'errors', errors: { companions: 'companionNotEligible' } });
  assert.equal(await book([stranger.who]), { kind: 'errors', errors: { companions: 'companionNotEligible' } });
  assert.equal(
    await book([f.who]),
    { kind: 'errors', errors: { companions: 'companionNotEligible' } },
    'the booker is not their own companion',
  );
  assert.equal(await book([daughter], 'mobile'), { kind: 'errors', errors: { companions: 'companionNotEligible' } });
  assert.equal(await book([son, daughter, brother]), { kind: 'errors', errors: { companions: 'tooManyCompanions' } });
  const made = await book([son, daughter]);
  assert.is(made.kind, 'booked');
  const id = (made as { bookingId: number }).bookingId;
  const visitors = await q(
    ctx,
    'SELECT applicant_id, position FROM visit_booking_visitor WHERE booking_id = $1 ORDER BY position',
    [id],
  );
  assert.equal(
    visitors.rows.map((r) => [Number(r.applicant_id), r.position]),
    [
      [f.who, 1],
      [son, 2],
      [daughter, 3],
    ],
  );

  // The companion sees the booking too, but cannot cancel it.
  const sons = await listApplicantBookings(ctx.db.pool, son, NOW, 'zh-TW');
  assert.equal(
    sons.map((b) => [b.id, b.isBooker, b.canCancel, b.visitors.length]),
    [[id, false, false, 3]],
  );
  assert.is(await cancelBooking(ctx.db.pool, son, id, NOW), 'not_found');

  // The database: no fourth visitor, no one without an approved service, the booker only first.
  assert.is(
    await refusal(
      q(ctx, 'INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, 4)', [
        id,
        brother,
      ]),
    ),
    'visit_booking_visitor_position_check',
  );
  const other = await rawBooking(ctx, {
    bookerId: f.who,
    applicationId: f.applicationId,
    inmateId: f.inmateId,
    date: '2026-12-04',
    batchId: await batch(ctx, 'onsite', '2026-12-04', '14:00'),
    bookedAt: NOW,
  });
  assert.is(
    await refusal(
      q(ctx, 'INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, 2)', [
        other,
        pending,
      ]),
    ),
    'visit_companion_not_eligible',
  );
  assert.is(
    await refusal(
      q(ctx, 'INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, 1)', [
        other,
        brother,
      ]),
    ),
    'visit_booking_booker',
  );
  assert.is(
    await refusal(
      q(ctx, 'INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, 2)', [
        other,
        brother,
      ]),
    ),
    'accepted',
  );
});

test('the reason (相當理由) is required except for closest relatives, family, lawyers and defenders', async (ctx) => {
  const date = '2026-12-04';
  assert.equal(['mother', 'spouse', 'in_law', 'household_member', 'lawyer', 'defender'].map(reasonRequired), [
    false,
    false,
    false,
    false,
    false,
    false,
  ]);
  assert.equal(['agency_worker', 'trainee_lawyer', 'litigation_agent', 'interpreter'].map(reasonRequired), [
    true,
    true,
    true,
    true,
  ]);

  const worker = await family(ctx, { relationship: 'agency_worker' });
  const options = await bookingOptions(ctx.db.pool, worker.who, 'zh-TW');
  assert.equal(
    options.map((o) => [o.service, o.kinds, o.reasonRequired]),
    [['visit', ['onsite', 'remote', 'mobile'], true]],
  );
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      await input(ctx, { bookerId: worker.who, inmateId: worker.inmateId, date, reason: '  \r\n ' }),
      NOW,
    ),
    { kind: 'errors', errors: { reason: 'reasonRequired' } },
  );
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      await input(ctx, { bookerId: worker.who, inmateId: worker.inmateId, date, reason: '理'.repeat(501) }),
      NOW,
    ),
    { kind: 'errors', errors: { reason: 'reasonTooLong' } },
  );
  assert.is(
    (
      await bookVisit(
        ctx.db.pool,
        await input(ctx, { bookerId: worker.who, inmateId: worker.inmateId, date, reason: '社工訪視，討論出監後安置' }),
        NOW,
      )
    ).kind,
    'booked',
  );
  const mother = await family(ctx);
  assert.is(
    (await bookVisit(ctx.db.pool, await input(ctx, { bookerId: mother.who, inmateId: mother.inmateId, date }), NOW))
      .kind,
    'booked',
  );
  const interpreter = await family(ctx, { service: 'lawyer_visit', relationship: 'interpreter' }, '2411');
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      await input(ctx, {
        bookerId: interpreter.who,
        inmateId: interpreter.inmateId,
        date,
        service: 'lawyer_visit',
        arrivalTime: '09:00',
      }),
      NOW,
    ),
    { kind: 'errors', errors: { reason: 'reasonRequired' } },
  );
  // The database: an agency worker's booking without a reason.
  const w2 = await family(ctx, { relationship: 'agency_worker' });
  assert.is(
    await refusal(
      rawBooking(ctx, {
        bookerId: w2.who,
        applicationId: w2.applicationId,
        inmateId: w2.inmateId,
        date,
        batchId: await batch(ctx, 'onsite', date, '09:00'),
        relationship: 'agency_worker',
        bookedAt: NOW,
      }),
    ),
    'visit_booking_reason_required',
  );
});

test('lawyers: arrival times inside the institution’s RAS–RAE and RFS–RFE, counts per band, mobile visits in batches', async (ctx) => {
  const date = '2026-12-04';
  const lawyer = await family(ctx, { service: 'lawyer_visit', relationship: 'lawyer' }, '2411');
  const options = (await lawyerArrivalOptions(
    ctx.db.pool,
    { applicantId: lawyer.who, inmateId: lawyer.inmateId },
    NOW,
  ))!;
  assert.equal(options.windows, {
    morning: { start: '08:30', end: '10:00' },
    afternoon: { start: '13:30', end: '15:00' },
  });
  assert.equal(options.times.slice(0, 3), ['08:30', '08:40', '08:50']);
  assert.is(options.times.at(-1), '14:50');
  assert.ok(!options.times.includes('10:00') && !options.times.includes('11:00'));
  assert.is(
    await bookableGrid(
      ctx.db.pool,
      { applicantId: lawyer.who, inmateId: lawyer.inmateId, kind: 'onsite', service: 'lawyer_visit' },
      NOW,
    ),
    null,
    'no batches for a lawyer on site',
  );

  const at = async (arrivalTime: string | null, who = lawyer) =>
    bookVisit(
      ctx.db.pool,
      await input(ctx, { bookerId: who.who, inmateId: who.inmateId, date, service: 'lawyer_visit', arrivalTime }),
      NOW,
    );
  assert.equal(await at(null), { kind: 'errors', errors: { slot: 'arrivalRequired' } });
  assert.equal(
    await at('10:00'),
    { kind: 'errors', errors: { slot: 'outsideLawyerWindow' } },
    'RAE closes the morning',
  );
  assert.equal(await at('08:20'), { kind: 'errors', errors: { slot: 'outsideLawyerWindow' } });
  assert.equal(await at('15:00'), { kind: 'errors', errors: { slot: 'outsideLawyerWindow' } });
  assert.is((await at('08:30')).kind, 'booked');
  assert.equal(
    await at('09:00'),
    { kind: 'errors', errors: { slot: 'inmateBusy' } },
    'a lawyer visit holds the inmate for the hour',
  );
  const client = await inmate(ctx, '2411');
  await grant(ctx, lawyer.who, client, { service: 'lawyer_visit', relationship: 'lawyer' });
  assert.equal(
    await at('09:20', { ...lawyer, inmateId: client }),
    { kind: 'errors', errors: { slot: 'bookerBusy' } },
    'and the lawyer',
  );
  assert.is((await at('09:30', { ...lawyer, inmateId: client })).kind, 'booked');
  assert.is((await at('14:50')).kind, 'booked');
  const second = await family(ctx, { service: 'lawyer_visit', relationship: 'defender' }, '2411');
  assert.is((await at('09:40', second)).kind, 'booked');
  assert.equal(await lawyerBandCounts(ctx.db.pool, '2411', date), [
    { from: '08:30', to: '09:00', count: 1 },
    { from: '09:00', to: '10:00', count: 2 },
    { from: '10:00', to: '11:00', count: 0 },
    { from: '11:00', to: '12:00', count: 0 },
    { from: '13:30', to: '14:00', count: 0 },
    { from: '14:00', to: '15:00', count: 1 },
    { from: '15:00', to: '16:00', count: 0 },
  ]);
  // The parameters are read when booking: a changed window takes effect at once, in the database too.
  await q(ctx, `UPDATE institution SET lawyer_morning_end = '11:00' WHERE code = '2411'`);
  try {
    const third = await family(ctx, { service: 'lawyer_visit', relationship: 'lawyer' }, '2411');
    assert.is((await at('10:30', third)).kind, 'booked');
    assert.is(
      await refusal(
        rawBooking(ctx, {
          bookerId: third.who,
          applicationId: third.applicationId,
          inmateId: third.inmateId,
          date: '2026-12-05',
          batchId: null,
          service: 'lawyer_visit',
          arrival: '11:00',
          relationship: 'lawyer',
          bookedAt: NOW,
        }),
      ),
      'visit_booking_lawyer_window',
    );
  } finally {
    await q(ctx, `UPDATE institution SET lawyer_morning_end = '10:00' WHERE code = '2411'`);
  }
  // A lawyer's mobile visit is in a batch and lasts parameter A.
  const mobile = await bookVisit(
    ctx.db.pool,
    await input(ctx, {
      bookerId: second.who,
      inmateId: second.inmateId,
      date: '2026-12-05',
      service: 'lawyer_visit',
      kind: 'mobile',
    }),
    NOW,
  );
  assert.is(mobile.kind, 'booked', JSON.stringify(mobile));
  const detail = (await getBooking(ctx.db.pool, '2411', (mobile as { bookingId: number }).bookingId, 'zh-TW'))!;
  assert.equal([detail.startsAt, detail.endsAt, detail.relationship], ['09:00', '09:20', 'defender']);
  assert.match(detail.videoToken!, /^[A-Za-z0-9_-]{43}$/);
  assert.is(await getBooking(ctx.db.pool, '2477', detail.id, 'zh-TW'), null, 'not for another institution');
});

test('the grid: 2–7 days × batches with the places left; mobile batches last parameter A; nothing for someone not entitled', async (ctx) => {
  const f = await family(ctx, { kinds: ['mobile', 'remote'] });
  assert.is(await bookableGrid(ctx.db.pool, { applicantId: f.who, inmateId: f.inmateId, kind: 'onsite' }, NOW), null);
  await q(ctx, `UPDATE institution SET mobile_visit_minutes = 25 WHERE code = '2477'`);
  const grid = (await bookableGrid(ctx.db.pool, { applicantId: f.who, inmateId: f.inmateId, kind: 'mobile' }, NOW))!;
  await q(ctx, `UPDATE institution SET mobile_visit_minutes = 20 WHERE code = '2477'`);
  assert.equal(
    grid.dates.map((d) => d.date),
    bookableDates(NOW),
  );
  assert.equal(
    grid.rows.map((r) => [r.ordinal, r.startsAt]),
    [
      [1, '09:00'],
      [2, '14:00'],
    ],
  );
  const cell = grid.rows[0]!.cells[5]!; // Saturday 12/05
  assert.equal({ ...cell, batchId: 0 }, { batchId: 0, remaining: 3, endsAt: '09:25' });
  const timetable = await listTimetable(ctx.db.pool, '2477');
  assert.equal(
    timetable
      .filter((b) => b.kind === 'mobile' && b.weekday === 1)
      .map((b) => [b.ordinal, b.startsAt, b.endsAt, b.minutes]),
    [
      [1, '09:00', '09:20', 20],
      [2, '14:00', '14:20', 20],
    ],
  );
  assert.equal([...new Set(timetable.map((b) => b.kind))], ['onsite', 'remote', 'mobile']);

  // A retired batch is neither listed nor booked.
  const added = await addBatch(
    ctx.db.pool,
    { institutionCode: '2477', kind: 'remote', weekday: 6, startsAt: '16:00', lengthMinutes: 30, capacity: 1 },
    staff(ctx),
    NOW,
  );
  assert.is(added.kind, 'added');
  assert.equal(
    await addBatch(
      ctx.db.pool,
      { institutionCode: '2477', kind: 'remote', weekday: 6, startsAt: '16:00', lengthMinutes: 30, capacity: 1 },
      staff(ctx),
      NOW,
    ),
    { kind: 'duplicate' },
  );
  assert.equal(
    await addBatch(
      ctx.db.pool,
      { institutionCode: '2477', kind: 'mobile', weekday: 6, startsAt: '16:00', lengthMinutes: 30, capacity: 1 },
      staff(ctx),
      NOW,
    ),
    { kind: 'invalid' },
    'mobile takes parameter A',
  );
  const batchId = (added as { batchId: number }).batchId;
  const remote = (await bookableGrid(ctx.db.pool, { applicantId: f.who, inmateId: f.inmateId, kind: 'remote' }, NOW))!;
  assert.equal(
    remote.rows.at(-1)!.cells.map((c) => c?.batchId ?? null),
    [null, null, null, null, null, batchId],
  );
  assert.ok(await retireBatch(ctx.db.pool, batchId, staff(ctx), NOW));
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      { ...(await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-12-05', kind: 'remote' })), batchId },
      NOW,
    ),
    { kind: 'errors', errors: { slot: 'noSuchBatch' } },
  );
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      {
        ...(await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-12-04', kind: 'remote' })),
        batchId: await batch(ctx, 'remote', '2026-12-05', '09:00'),
      },
      NOW,
    ),
    { kind: 'errors', errors: { slot: 'noSuchBatch' } },
    'a Saturday batch on a Friday',
  );
});

test('cancelling: the booker until the day before; staff at any time with a reason; cancelled stays cancelled', async (ctx) => {
  const f = await family(ctx);
  const date = '2026-12-05';
  const made = await bookVisit(
    ctx.db.pool,
    await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '09:30' }),
    NOW,
  );
  const id = (made as { bookingId: number }).bookingId;
  assert.is(await cancelBooking(ctx.db.pool, f.who, id, taipei('2026-12-05T00:00:00')), 'too_late', 'on the day');
  assert.is(await cancelBooking(ctx.db.pool, f.who, id, taipei('2026-12-04T23:59:59')), 'cancelled', 'the day before');
  assert.is(await cancelBooking(ctx.db.pool, f.who, id, NOW), 'already_cancelled');
  assert.is(
    await refusal(q(ctx, `UPDATE visit_booking SET status = 'approved', decided_at = now() WHERE id = $1`, [id])),
    'visit_booking_status',
  );
  assert.is(
    await refusal(q(ctx, `UPDATE visit_booking SET visit_date = '2026-12-04' WHERE id = $1`, [id])),
    'visit_booking_fixed',
  );
  assert.is(
    await refusal(q(ctx, `UPDATE visit_booking_visitor SET active = true WHERE booking_id = $1`, [id])),
    'accepted',
  );
  assert.is(
    (await q(ctx, 'SELECT active FROM visit_booking_visitor WHERE booking_id = $1', [id])).rows[0].active,
    false,
    'a visitor mirrors the booking',
  );
  // The booker cannot cancel on the day by hand either.
  const again = await bookVisit(
    ctx.db.pool,
    await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '09:30' }),
    NOW,
  );
  const id2 = (again as { bookingId: number }).bookingId;
  assert.is(
    await refusal(
      q(ctx, `UPDATE visit_booking SET status = 'cancelled', cancelled_at = $2 WHERE id = $1`, [
        id2,
        taipei('2026-12-05T08:00:00'),
      ]),
    ),
    'visit_booking_cancel_deadline',
  );

  const v = (await getBooking(ctx.db.pool, null, id2, 'zh-TW'))!.version;
  assert.is(await staffCancelBooking(ctx.db.pool, id2, v, '  ', staff(ctx), NOW), 'reason_required');
  assert.is(await staffCancelBooking(ctx.db.pool, id2, v, '停電', staff(ctx, '2411'), NOW), 'not_found');
  assert.is(await staffCancelBooking(ctx.db.pool, id2, v - 1, '停電', staff(ctx), NOW), 'changed');
  assert.is(
    await staffCancelBooking(ctx.db.pool, id2, v, '機關停電，暫停接見', staff(ctx), taipei('2026-12-05T08:00:00')),
    'cancelled',
  );
  const detail = (await getBooking(ctx.db.pool, '2477', id2, 'zh-TW'))!;
  assert.equal(
    [detail.status, detail.cancelReason, detail.history.map((h) => h.action)],
    ['cancelled', '機關停電，暫停接見', ['booked', 'cancelled']],
  );
  const mine = (await listApplicantBookings(ctx.db.pool, f.who, NOW, 'zh-TW')).filter((b) => b.date === date);
  assert.equal(
    mine.map((b) => [b.status, b.canCancel]),
    [
      ['cancelled', false],
      ['cancelled', false],
    ],
  );
});

test('staff decide: version check, scope, reasons, all selected at once, audit log; rosters mask ID numbers', async (ctx) => {
  const date = '2026-11-30';
  const f = await family(ctx);
  const companion = await person(ctx, '林小華');
  await grant(ctx, companion, f.inmateId, { relationship: 'spouse' });
  const made = await bookVisit(
    ctx.db.pool,
    await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '09:30', companionIds: [companion] }),
    NOW,
  );
  const id = (made as { bookingId: number; number: string }).bookingId;
  assert.match((made as { number: string }).number, /^V20261128-[0-9A-Z]{6}$/);
  assert.is(
    await decideBooking(ctx.db.pool, id, 1, { decision: 'reject', reason: ' ' }, staff(ctx), NOW),
    'reason_required',
  );
  assert.is(await decideBooking(ctx.db.pool, id, 1, { decision: 'approve' }, staff(ctx, '2411'), NOW), 'not_found');
  assert.is(await decideBooking(ctx.db.pool, id, 1, { decision: 'approve' }, staff(ctx), NOW), 'decided');
  assert.is(
    await decideBooking(ctx.db.pool, id, 1, { decision: 'reject', reason: '重複' }, staff(ctx, null), NOW),
    'already_decided',
    'a second reviewer with the old version',
  );
  const audit = await q(
    ctx,
    `SELECT action, host(ip) AS ip FROM audit_log WHERE object_type = 'visit_booking' AND object_id = $1`,
    [id],
  );
  assert.equal(audit.rows, [{ action: 'visit_booking.approved', ip: '10.0.0.2' }]);

  const others = [];
  for (let i = 0; i < 2; i++) {
    const g = await family(ctx);
    others.push(
      (await bookVisit(
        ctx.db.pool,
        await input(ctx, { bookerId: g.who, inmateId: g.inmateId, date, at: '09:30' }),
        NOW,
      )) as { bookingId: number },
    );
  }
  const outcomes = await decideBookings(
    ctx.db.pool,
    [{ id, version: 2 }, ...others.map((o) => ({ id: o.bookingId, version: 1 }))],
    { decision: 'reject', reason: '名額調整' },
    staff(ctx, null),
    NOW,
  );
  assert.equal([...outcomes.values()], ['already_decided', 'decided', 'decided']);
  assert.is(
    await decideBooking(ctx.db.pool, id, 2, { decision: 'approve' }, staff(ctx), taipei('2026-12-01T09:00:00')),
    'past',
  );

  const list = await listStaffBookings(
    ctx.db.pool,
    '2477',
    { institutionCode: null, kind: 'onsite', service: null, status: 'rejected', from: date, to: date, page: 1 },
    'zh-TW',
  );
  assert.equal(list.rows.map((r) => r.id).sort(), others.map((o) => o.bookingId).sort());
  assert.is(
    (
      await listStaffBookings(
        ctx.db.pool,
        '2411',
        { institutionCode: null, kind: null, service: null, status: null, from: date, to: date, page: 1 },
        'zh-TW',
      )
    ).total,
    0,
  );

  const rows = (await roster(ctx.db.pool, '2477', { institutionCode: '2477', date, service: 'visit' }))!;
  const visitors = (await getBooking(ctx.db.pool, null, id, 'zh-TW'))!.visitors;
  assert.equal(
    rows.map((r) => [r.id, r.startsAt, r.ordinal]),
    [[id, '09:30', 2]],
    'approved visits only',
  );
  assert.equal(
    rows[0]!.visitors.map((v) => [v.position, v.maskedNationalId, v.relationship]),
    visitors.map((v) => [v.position, `******${v.nationalId.slice(-4)}`, v.relationship]),
  );
  assert.equal(
    visitors.map((v) => v.relationship),
    ['mother', 'spouse'],
  );
  assert.is(
    await roster(ctx.db.pool, '2411', { institutionCode: '2477', date, service: 'visit' }),
    null,
    'another institution’s roster',
  );
  assert.is(maskNationalId('A123456789'), '******6789');
});

test('a double submit books once; a phone booking by staff follows the same rules and is marked', async (ctx) => {
  const f = await family(ctx);
  const date = '2026-12-02';
  const first = await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, kind: 'remote' });
  const [a, b] = await Promise.all([bookVisit(ctx.db.pool, first, NOW), bookVisit(ctx.db.pool, first, NOW)]);
  assert.is(a.kind, 'booked');
  assert.equal(b, a);
  const other = await family(ctx);
  assert.equal(await bookVisit(ctx.db.pool, { ...first, bookerId: other.who, inmateId: other.inmateId }, NOW), {
    kind: 'errors',
    errors: { form: 'formUsed' },
  });

  const caller = await family(ctx);
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      { ...(await input(ctx, { bookerId: caller.who, inmateId: caller.inmateId, date })), phone: staff(ctx, '2411') },
      NOW,
    ),
    { kind: 'errors', errors: { form: 'outsideScope' } },
  );
  const phoned = await bookVisit(
    ctx.db.pool,
    { ...(await input(ctx, { bookerId: caller.who, inmateId: caller.inmateId, date })), phone: staff(ctx) },
    NOW,
  );
  assert.is(phoned.kind, 'booked');
  const detail = (await getBooking(ctx.db.pool, '2477', (phoned as { bookingId: number }).bookingId, 'zh-TW'))!;
  assert.equal([detail.byPhone, detail.status, detail.videoToken], [true, 'pending', null]);
  const audit = await q(
    ctx,
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'visit_booking.phone_booked' AND object_id = $1`,
    [detail.id],
  );
  assert.is(audit.rows[0].n, 1);
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      {
        ...(await input(ctx, { bookerId: caller.who, inmateId: caller.inmateId, date: '2026-12-07' })),
        phone: staff(ctx),
      },
      NOW,
    ),
    { kind: 'errors', errors: { slot: 'outsideWindow' } },
  );
});

test('demo timetable: the eight batches of seed 003, Monday to Friday, per kind, once', async (ctx) => {
  await q(
    ctx,
    `INSERT INTO institution (code, name_zh, name_en) VALUES ('2486', '臺中女子監獄', 'Taichung Women''s Prison')`,
  );
  await loadDemoTimetable(ctx.db.pool);
  await loadDemoTimetable(ctx.db.pool);
  const timetable = await listTimetable(ctx.db.pool, '2486');
  assert.is(timetable.length, 8 * 5 * 3);
  assert.equal(
    [...new Set(timetable.filter((b) => b.kind === 'onsite').map((b) => `${b.ordinal} ${b.startsAt}`))],
    ['1 09:00', '2 09:30', '3 10:00', '4 10:30', '5 11:00', '6 14:00', '7 14:30', '8 15:00'],
  );
  assert.equal([...new Set(timetable.map((b) => b.weekday))].sort(), [1, 2, 3, 4, 5]);
  assert.ok(timetable.filter((b) => b.kind === 'mobile').every((b) => b.minutes === 20));
  assert.is((await listTimetable(ctx.db.pool, '2477')).length, 6 * 7, 'an institution with a timetable is left alone');
});

test('found in review: one booking per person, inmate and day, also in the database; no approval on a date closed since; a batch taken off and added back keeps its count', async (ctx) => {
  const f = await family(ctx);
  const first = await bookVisit(
    ctx.db.pool,
    await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-12-02', at: '09:00' }),
    NOW,
  );
  assert.is(first.kind, 'booked');
  const second = await bookVisit(
    ctx.db.pool,
    await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-12-02', at: '14:00' }),
    NOW,
  );
  assert.equal(second, { kind: 'errors', errors: { slot: 'sameDay' } });
  const raw = await refusal(
    rawBooking(ctx, {
      bookerId: f.who,
      applicationId: f.applicationId,
      inmateId: f.inmateId,
      date: '2026-12-02',
      batchId: await batch(ctx, 'onsite', '2026-12-02', '14:00'),
      bookedAt: NOW,
    }),
  );
  assert.is(raw, 'visit_booking_one_per_day', 'the database refuses it too');
  assert.is(
    (
      await bookVisit(
        ctx.db.pool,
        await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-12-03', at: '09:00' }),
        NOW,
      )
    ).kind,
    'booked',
    'another day is fine',
  );

  const id = (first as { bookingId: number }).bookingId;
  const active = (
    await q(
      ctx,
      `SELECT count(*)::int AS n FROM visit_booking WHERE institution_code = '2477' AND visit_date = '2026-12-02' AND status IN ('pending', 'approved')`,
    )
  ).rows[0].n;
  assert.equal(
    await blockDate(ctx.db.pool, { institutionCode: '2477', date: '2026-12-02', reason: '停電' }, staff(ctx), NOW),
    { kind: 'blocked', activeBookings: active },
  );
  const version = (await q(ctx, 'SELECT version FROM visit_booking WHERE id = $1', [id])).rows[0].version;
  assert.is(await decideBooking(ctx.db.pool, id, version, { decision: 'approve' }, staff(ctx), NOW), 'closed');
  assert.is(
    await decideBooking(ctx.db.pool, id, version, { decision: 'reject', reason: '當日停電' }, staff(ctx), NOW),
    'decided',
    'it can still be rejected',
  );
  await unblockDate(ctx.db.pool, '2477', '2026-12-02', staff(ctx), NOW);

  // Monday 2026-11-30 14:00 (capacity 5): two booked, taken off, added back with 3 places: one more fits, not three.
  const monday = await batch(ctx, 'onsite', '2026-11-30', '14:00');
  for (let i = 0; i < 2; i++) {
    const g = await family(ctx);
    assert.is(
      (
        await bookVisit(
          ctx.db.pool,
          await input(ctx, { bookerId: g.who, inmateId: g.inmateId, date: '2026-11-30', at: '14:00' }),
          NOW,
        )
      ).kind,
      'booked',
    );
  }
  assert.ok(await retireBatch(ctx.db.pool, monday, staff(ctx), NOW));
  const back = await addBatch(
    ctx.db.pool,
    { institutionCode: '2477', kind: 'onsite', weekday: 1, startsAt: '14:00', lengthMinutes: 30, capacity: 3 },
    staff(ctx),
    NOW,
  );
  assert.equal(back, { kind: 'added', batchId: monday }, 'the same batch comes back');
  const outcomes = [];
  for (let i = 0; i < 3; i++) {
    const g = await family(ctx);
    outcomes.push(
      (
        await bookVisit(
          ctx.db.pool,
          await input(ctx, { bookerId: g.who, inmateId: g.inmateId, date: '2026-11-30', at: '14:00' }),
          NOW,
        )
      ).kind,
    );
  }
  assert.equal(outcomes, ['booked', 'errors', 'errors']);
  assert.is(await activeIn(ctx, monday, '2026-11-30'), 3);
});

test('one family visit per person, inmate and day counts every visitor: a companion cannot book or be named again that day', async (ctx) => {
  const date = '2026-12-03';
  const f = await family(ctx);
  const sister = await person(ctx, '李小芳');
  await grant(ctx, sister, f.inmateId, { relationship: 'sibling' });
  const uncle = await person(ctx, '李大伯');
  await grant(ctx, uncle, f.inmateId, { relationship: 'collateral_relative' });
  const first = await bookVisit(
    ctx.db.pool,
    await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, at: '09:00', companionIds: [sister] }),
    NOW,
  );
  assert.is(first.kind, 'booked');
  assert.equal(
    await bookVisit(ctx.db.pool, await input(ctx, { bookerId: sister, inmateId: f.inmateId, date, at: '14:00' }), NOW),
    { kind: 'errors', errors: { slot: 'sameDay' } },
    'the companion books the same day',
  );
  assert.equal(
    await bookVisit(
      ctx.db.pool,
      await input(ctx, { bookerId: uncle, inmateId: f.inmateId, date, at: '14:00', companionIds: [sister] }),
      NOW,
    ),
    { kind: 'errors', errors: { companions: 'companionSameDay' } },
    'or is named by someone else that day',
  );
  const grid = (await bookableGrid(ctx.db.pool, { applicantId: sister, inmateId: f.inmateId, kind: 'onsite' }, NOW))!;
  const column = grid.dates.findIndex((d) => d.date === date);
  assert.ok(
    grid.rows.every((r) => r.cells[column] === null),
    'that day is not offered to the companion',
  );
  const other = await bookVisit(
    ctx.db.pool,
    await input(ctx, { bookerId: uncle, inmateId: f.inmateId, date, at: '14:00' }),
    NOW,
  );
  assert.is(other.kind, 'booked', 'the uncle alone is fine');
  assert.is(
    await refusal(
      q(ctx, 'INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES ($1, $2, 2)', [
        (other as { bookingId: number }).bookingId,
        sister,
      ]),
    ),
    'visit_person_one_per_day',
    'the database refuses it too',
  );
});

test.run();
