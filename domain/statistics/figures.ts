import type { Db } from '../platform/db.ts';
import { addDays, isoWeekday, taipeiToday } from '../shared/dates.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';
import { SERVICES, type Service } from '../applications/vocabulary.ts';

/**
 * The back-office home's figures (issue 12), for the actor's scope (their institution, or every one for
 * the agency): what waits in each queue, and the last 12 weeks (Monday to Sunday in Taipei) or the next
 * 14 days. Each query reads only those weeks or days through an index of migration 017.
 */
export const WEEKS = 12;
export const DAYS = 14;

export type Pending = { applications: number; posts: number; bookings: number };
export type Outcomes = { approved: number; rejected: number; pending: number };
export type ApplicationsWeek = { week: string; service: Service } & Outcomes;
export type DecisionWeek = { week: string; decided: number; medianHours: number | null };
export type BookingDay = { date: string; booked: number; capacity: number };
export type PostsWeek = { week: string } & Outcomes;

/** The weeks and days the figures cover: Mondays (YYYY-MM-DD), oldest first, and the next days from today. */
export type Period = { today: string; weeks: string[]; days: string[] };

export function periodOf(now: Date): Period {
  const today = taipeiToday(now);
  const monday = addDays(today, 1 - isoWeekday(today));
  return {
    today,
    weeks: Array.from({ length: WEEKS }, (_, i) => addDays(monday, 7 * (i - WEEKS + 1))),
    days: Array.from({ length: DAYS }, (_, i) => addDays(today, i)),
  };
}

type Scope = string | null;
const inScope = (scope: Scope, column: string, n: number) => (scope ? `AND ${column} = $${n}` : '');
const scoped = (scope: Scope, params: unknown[]) => (scope ? [...params, scope] : params);
const WEEK_OF = (column: string) => `to_char(date_trunc('week', ${column} AT TIME ZONE 'Asia/Taipei'), 'YYYY-MM-DD')`;
const SINCE = `($1::date)::timestamp AT TIME ZONE 'Asia/Taipei'`;
const OUTCOMES = `count(*) FILTER (WHERE status IN ('approved', 'auto_approved'))::int AS approved,
       count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
       count(*) FILTER (WHERE status = 'pending')::int AS pending`;

/** What waits: applications and posts to review, bookings to decide for today or later. */
export async function pendingCounts(db: Db, scope: Scope, p: Period): Promise<Pending> {
  const { rows } = await db.query<Pending>(
    `SELECT (SELECT count(*) FROM service_application WHERE status = 'pending' ${inScope(scope, 'institution_code', 2)})::int AS applications,
            (SELECT count(*) FROM contact_book_post WHERE status = 'pending' ${inScope(scope, 'institution_code', 2)})::int AS posts,
            (SELECT count(*) FROM visit_booking WHERE status = 'pending' AND visit_date >= $1 ${inScope(scope, 'institution_code', 2)})::int AS bookings`,
    scoped(scope, [p.today]),
  );
  return rows[0]!;
}

/** Applications submitted per week, by service and result (自動審核通過 counts as approved); every week and service, zeros included. */
export async function applicationsPerWeek(db: Db, scope: Scope, p: Period): Promise<ApplicationsWeek[]> {
  const { rows } = await db.query<ApplicationsWeek>(
    `SELECT ${WEEK_OF('submitted_at')} AS week, service, ${OUTCOMES}
       FROM service_application WHERE submitted_at >= ${SINCE} ${inScope(scope, 'institution_code', 2)}
      GROUP BY 1, 2`,
    scoped(scope, [p.weeks[0]]),
  );
  return p.weeks.flatMap((week) =>
    SERVICES.map((service) => {
      const r = rows.find((x) => x.week === week && x.service === service);
      return { week, service, approved: r?.approved ?? 0, rejected: r?.rejected ?? 0, pending: r?.pending ?? 0 };
    }),
  );
}

/** Staff decisions per week (by the week decided) and the median time from submission to decision, in hours. */
export async function decisionTimes(db: Db, scope: Scope, p: Period): Promise<DecisionWeek[]> {
  const { rows } = await db.query<{ week: string; decided: number; hours: number | null }>(
    `SELECT ${WEEK_OF('decided_at')} AS week, count(*)::int AS decided,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - submitted_at)) / 3600 AS hours
       FROM service_application
      WHERE decided_at IS NOT NULL AND decided_at >= ${SINCE} AND status IN ('approved', 'rejected') ${inScope(scope, 'institution_code', 2)}
      GROUP BY 1`,
    scoped(scope, [p.weeks[0]]),
  );
  return p.weeks.map((week) => {
    const r = rows.find((x) => x.week === week);
    return {
      week,
      decided: r?.decided ?? 0,
      medianHours: r?.hours === null || r?.hours === undefined ? null : Math.round(Number(r.hours) * 10) / 10,
    };
  });
}

/**
 * Bookings per day for the next 14 days against the places of that weekday's batches: active bookings
 * (pending or approved) in a batch, and the capacity of the batches in force, none on a closed date.
 * Lawyers' on-site visits have an arrival time rather than a batch and take no place.
 */
export async function bookingsPerDay(db: Db, scope: Scope, p: Period): Promise<BookingDay[]> {
  const { rows } = await db.query<BookingDay>(
    `SELECT to_char(d.day, 'YYYY-MM-DD') AS date,
            (SELECT count(*) FROM visit_booking b
              WHERE b.visit_date = d.day AND b.status IN ('pending', 'approved') AND b.batch_id IS NOT NULL
                    ${inScope(scope, 'b.institution_code', 2)})::int AS booked,
            (SELECT coalesce(sum(v.capacity), 0) FROM visit_batch v
              WHERE v.weekday = extract(isodow FROM d.day) AND v.retired_at IS NULL ${inScope(scope, 'v.institution_code', 2)}
                AND NOT EXISTS (SELECT 1 FROM visit_blocked_date x WHERE x.institution_code = v.institution_code AND x.blocked_on = d.day))::int AS capacity
       FROM (SELECT ($1::date + g) AS day FROM generate_series(0, ${DAYS - 1}) g) d
      ORDER BY d.day`,
    scoped(scope, [p.today]),
  );
  return rows;
}

/** Contact book posts submitted per week, by result. */
export async function postsPerWeek(db: Db, scope: Scope, p: Period): Promise<PostsWeek[]> {
  const { rows } = await db.query<PostsWeek>(
    `SELECT ${WEEK_OF('submitted_at')} AS week, ${OUTCOMES}
       FROM contact_book_post WHERE submitted_at >= ${SINCE} ${inScope(scope, 'institution_code', 2)}
      GROUP BY 1`,
    scoped(scope, [p.weeks[0]]),
  );
  return p.weeks.map((week) => {
    const r = rows.find((x) => x.week === week);
    return { week, approved: r?.approved ?? 0, rejected: r?.rejected ?? 0, pending: r?.pending ?? 0 };
  });
}

export type HomeFigures = {
  period: Period;
  pending: Pending;
  applications: ApplicationsWeek[];
  decisions: DecisionWeek[];
  bookings: BookingDay[];
  posts: PostsWeek[];
};

/** Every query of the home page, by name, for the page and for bench/home.ts to time one by one. */
export const HOME_QUERIES = {
  pending: pendingCounts,
  applications: applicationsPerWeek,
  decisions: decisionTimes,
  bookings: bookingsPerDay,
  posts: postsPerWeek,
} as const;

/** All the home page's figures for the actor's scope (every role has the statistics task). */
export async function homeFigures(db: Db, actor: StaffActor, now: Date): Promise<HomeFigures> {
  assertMay(actor, 'statistics');
  const period = periodOf(now);
  const scope = actor.institutionCode;
  const [pending, applications, decisions, bookings, posts] = await Promise.all([
    pendingCounts(db, scope, period),
    applicationsPerWeek(db, scope, period),
    decisionTimes(db, scope, period),
    bookingsPerDay(db, scope, period),
    postsPerWeek(db, scope, period),
  ]);
  return { period, pending, applications, decisions, bookings, posts };
}
