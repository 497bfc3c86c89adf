/**
 * The domain tests of visit booking share one setting: two institutions (2477 with batches of every
 * kind every day, 2411 with lawyer windows and a mobile batch), their staff, and builders for
 * applicants, inmates, approved services and bookings. Each test file gets its own database.
 */
import { suite } from 'uvu';
import { randomUUID } from 'node:crypto';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import * as make from '../../support/fixtures.ts';
import { bookVisit, type BookingInput } from '../../../domain/bookings/booking.ts';
import type { StaffActor } from '../../../domain/shared/staff-actor.ts';
import { loggingSetupErrors } from '../../support/scenarios.ts';

export type Ctx = { db: TestDb; n: number; staff2477: number; staff2411: number; agency: number };

/** One test file's suite, with its database set up before and dropped after. */
export function bookingSuite(name: string) {
  const test = suite<Ctx>(name);
  test.before(loggingSetupErrors(setUp));
  test.after(async (ctx) => {
    await ctx.db.drop();
  });
  return test;
}

/** A moment in Asia/Taipei (UTC+8, no daylight saving). */
export const taipei = (isoLocal: string) => new Date(`${isoLocal}+08:00`);
/** Saturday 2026-11-28 10:00 in Taipei: bookable dates are 2026-11-30 (Mon) to 2026-12-05 (Sat). */
export const NOW = taipei('2026-11-28T10:00:00');

async function setUp(ctx: Ctx) {
  ctx.db = await freshDatabase();
  ctx.n = 0;
  const db = ctx.db.pool;
  await make.institution(db, { code: '2477' });
  // Lawyers at 2411 arrive 08:30–10:00 and 13:30–15:00 (parameters RAS, RAE, RFS, RFE).
  await make.institution(db, { code: '2411', lawyerMorning: ['08:30', '10:00'], lawyerAfternoon: ['13:30', '15:00'] });
  ctx.staff2477 = await make.staff(db, {
    account: 's2477',
    name: '承辦人甲',
    institutionCode: '2477',
    role: 'institution_admin',
  });
  ctx.staff2411 = await make.staff(db, {
    account: 's2411',
    name: '承辦人乙',
    institutionCode: '2411',
    role: 'institution_admin',
  });
  ctx.agency = await make.staff(db, { account: 'agency', name: '矯正署', institutionCode: null, role: 'agency_admin' });
  // Every day of the week, so any date in a test has batches.
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (const [kind, startsAt, lengthMinutes, capacity] of [
      ['onsite', '09:00', 30, 5],
      ['onsite', '09:30', 30, 5],
      ['onsite', '14:00', 30, 5],
      ['remote', '09:00', 30, 2],
      ['mobile', '09:00', null, 3],
      ['mobile', '14:00', null, 3],
    ] as const) {
      await make.visitBatch(db, { institutionCode: '2477', kind, weekday, startsAt, lengthMinutes, capacity });
    }
    await make.visitBatch(db, {
      institutionCode: '2411',
      kind: 'mobile',
      weekday,
      startsAt: '09:00',
      lengthMinutes: null,
      capacity: 3,
    });
  }
}

export const q = (ctx: Ctx, sql: string, p: unknown[] = []) => ctx.db.pool.query(sql, p);

export async function person(ctx: Ctx, name = '李大同'): Promise<number> {
  const n = ++ctx.n;
  return make.applicant(ctx.db.pool, {
    name,
    nationalId: `A1${String(n).padStart(8, '0')}`,
    email: `p${n}@example.com`,
    mobile: '0912345678',
  });
}

export async function inmate(ctx: Ctx, code = '2477', name = '王小明'): Promise<number> {
  const n = ++ctx.n;
  return make.inmate(ctx.db.pool, { institutionCode: code, callNumber: String(100000 + n), name });
}

export type Grant = {
  service?: 'visit' | 'lawyer_visit';
  kinds?: Array<'onsite' | 'remote' | 'mobile'>;
  relationship?: Parameters<typeof make.approvedService>[1]['relationship'];
  status?: 'approved' | 'auto_approved' | 'pending';
};
export async function grant(ctx: Ctx, applicantId: number, inmateId: number, g: Grant = {}): Promise<number> {
  const n = ++ctx.n;
  const service = g.service ?? 'visit';
  return make.approvedService(ctx.db.pool, {
    applicant: applicantId,
    inmate: inmateId,
    service,
    visitKinds: service === 'visit' ? (g.kinds ?? ['onsite', 'remote', 'mobile']) : [],
    relationship: g.relationship ?? (service === 'visit' ? 'mother' : 'lawyer'),
    number: `20261101-${String(n).padStart(6, '0')}`,
    status: g.status ?? 'approved',
  });
}

/** A family member with an approved visit service for a new inmate. */
export async function family(
  ctx: Ctx,
  g: Grant = {},
  code = '2477',
): Promise<{ who: number; inmateId: number; applicationId: number }> {
  const who = await person(ctx);
  const inmateId = await inmate(ctx, code);
  return { who, inmateId, applicationId: await grant(ctx, who, inmateId, g) };
}

export async function batch(ctx: Ctx, kind: string, date: string, at: string, code = '2477'): Promise<number> {
  const { rows } = await q(
    ctx,
    `SELECT id FROM visit_batch WHERE institution_code = $1 AND visit_kind = $2 AND weekday = extract(isodow FROM $3::date) AND starts_at = $4 AND retired_at IS NULL`,
    [code, kind, date, at],
  );
  return Number(rows[0].id);
}

export async function input(
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

export const staff = (ctx: Ctx, code: '2477' | '2411' | null = '2477'): StaffActor => ({
  staffId: code === '2477' ? ctx.staff2477 : code === '2411' ? ctx.staff2411 : ctx.agency,
  role: code === null ? 'agency_admin' : 'institution_admin',
  institutionCode: code,
  ip: '10.0.0.2',
});

/** The constraint the database names when it refuses a statement. */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { constraint?: string }).constraint ?? `no constraint: ${(err as Error).message}`;
  }
  return 'accepted';
}

/** Inserts a booking straight into the table, skipping every check of the code. */
export async function rawBooking(
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

export const activeIn = async (ctx: Ctx, batchId: number, date: string) =>
  (
    await q(
      ctx,
      `SELECT count(*)::int AS n FROM visit_booking WHERE batch_id = $1 AND visit_date = $2 AND status IN ('pending', 'approved')`,
      [batchId, date],
    )
  ).rows[0].n as number;

/** Books through the code, as the booker would at NOW, with `input`'s defaults for what is not given. */
export async function bookNow(
  ctx: Ctx,
  over: Parameters<typeof input>[1],
): Promise<Awaited<ReturnType<typeof bookVisit>>> {
  return bookVisit(ctx.db.pool, await input(ctx, over), NOW);
}
