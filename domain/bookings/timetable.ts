import type pg from 'pg';
import { isUniqueViolation, withTransaction, type Db } from '../platform/db.ts';
import { hhmm, isIsoDate, isTime, minutesOf } from '../shared/dates.ts';
import { assertMay, inScope, type StaffActor } from '../shared/staff-actor.ts';
import { VISIT_KINDS, type VisitKind } from '../applications/vocabulary.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { CLOSED_REASON_MAX, isBatchCapacity, isBatchLength } from './vocabulary.ts';

/**
 * 公告時段管理: the weekly batches and the closed dates of an institution. Reading the timetable is
 * public (機關接見時段查詢); managing it (the 'timetable' task: closing dates and changing places affects
 * every family booking) is for institution and agency administrators only, checked here with assertMay
 * (StaffNotAllowed, 403), not only by the route.
 */

/** A change refused: outside the actor's scope, not a valid change, or there already. */
export type TimetableRefusal = { kind: 'invalid' | 'duplicate' | 'outside_scope' };

/** Throws when the actor's role may not manage timetables; why they may not change this institution's, or null when they may. */
function refusal(who: StaffActor, institutionCode: string): TimetableRefusal | null {
  assertMay(who, 'timetable');
  return inScope(who, institutionCode) ? null : { kind: 'outside_scope' };
}

export type Batch = {
  id: number;
  kind: VisitKind;
  weekday: number;
  startsAt: string;
  endsAt: string;
  /** the batch's length, or for mobile visits the institution's parameter A */
  minutes: number;
  capacity: number;
  /** 第N梯: the rank of its start time among the kind's start times */
  ordinal: number;
};

/** The institution's weekly timetable, every kind (機關接見時段查詢). */
export async function listTimetable(db: Db, institutionCode: string): Promise<Batch[]> {
  const { rows } = await db.query(
    `SELECT b.id, b.visit_kind, b.weekday, to_char(b.starts_at, 'HH24:MI') AS starts_at,
            coalesce(b.length_minutes, i.mobile_visit_minutes) AS minutes, b.capacity,
            dense_rank() OVER (PARTITION BY b.visit_kind ORDER BY b.starts_at)::int AS ordinal
       FROM visit_batch b JOIN institution i ON i.code = b.institution_code
      WHERE b.institution_code = $1 AND b.retired_at IS NULL
      ORDER BY array_position($2::text[], b.visit_kind), b.starts_at, b.weekday`,
    [institutionCode, VISIT_KINDS],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.visit_kind,
    weekday: r.weekday,
    startsAt: r.starts_at,
    endsAt: hhmm(minutesOf(r.starts_at) + r.minutes),
    minutes: r.minutes,
    capacity: r.capacity,
    ordinal: r.ordinal,
  }));
}

export type BlockedDate = { date: string; reason: string };

export async function listBlockedDates(db: Db, institutionCode: string, from: string): Promise<BlockedDate[]> {
  const { rows } = await db.query(
    `SELECT to_char(blocked_on, 'YYYY-MM-DD') AS date, reason FROM visit_blocked_date WHERE institution_code = $1 AND blocked_on >= $2 ORDER BY blocked_on`,
    [institutionCode, from],
  );
  return rows.map((r) => ({ date: r.date, reason: r.reason }));
}

/**
 * The ISO weekdays the institution opens on: those with any batch on its timetable (of any kind).
 * Lawyers' on-site visits, which have no batch, keep to them too (visit_booking_rules_open_day).
 */
export async function openWeekdays(db: Db, institutionCode: string): Promise<Set<number>> {
  const { rows } = await db.query<{ weekday: number }>(
    'SELECT DISTINCT weekday FROM visit_batch WHERE institution_code = $1 AND retired_at IS NULL',
    [institutionCode],
  );
  return new Set(rows.map((r) => r.weekday));
}

/**
 * The management page: per kind, a row per start time with the batch of each weekday; the closed dates
 * from today. Null for an institution outside the actor's scope.
 */
export async function timetableSheet(
  db: Db,
  who: Pick<StaffActor, 'role' | 'institutionCode'>,
  institutionCode: string,
  today: string,
) {
  assertMay(who, 'timetable');
  if (!inScope(who, institutionCode)) return null;
  const batches = await listTimetable(db, institutionCode);
  const kinds = VISIT_KINDS.map((kind) => {
    const mine = batches.filter((b) => b.kind === kind);
    const starts = [...new Set(mine.map((b) => b.startsAt))].sort();
    return {
      kind,
      rows: starts.map((startsAt) => ({
        startsAt,
        byDay: Array.from(
          { length: 7 },
          (_, i) => mine.find((b) => b.startsAt === startsAt && b.weekday === i + 1) ?? null,
        ),
      })),
    };
  });
  return { kinds, closed: await listBlockedDates(db, institutionCode, today) };
}

export type BatchInput = {
  institutionCode: string;
  kind: VisitKind;
  weekday: number;
  startsAt: string;
  lengthMinutes: number | null;
  capacity: number;
};

/** 公告時段管理: adds a batch to the timetable. Mobile batches take no length (parameter A applies). */
export async function addBatch(
  pool: pg.Pool,
  b: BatchInput,
  who: StaffActor,
  now: Date,
): Promise<{ kind: 'added'; batchId: number } | TimetableRefusal> {
  const refused = refusal(who, b.institutionCode);
  if (refused) return refused;
  const lengthOk = b.kind === 'mobile' ? b.lengthMinutes === null : isBatchLength(b.lengthMinutes);
  if (
    !VISIT_KINDS.includes(b.kind) ||
    !Number.isInteger(b.weekday) ||
    b.weekday < 1 ||
    b.weekday > 7 ||
    !isTime(b.startsAt) ||
    !lengthOk ||
    !isBatchCapacity(b.capacity)
  )
    return { kind: 'invalid' };
  try {
    return await withTransaction(pool, async (tx) => {
      // The same time taken off before comes back as the same batch: its places already booked on
      // coming dates (counted per batch) still count against the new capacity.
      const revived = await tx.query<{ id: number }>(
        `UPDATE visit_batch SET retired_at = NULL, length_minutes = $5, capacity = $6
          WHERE id = (SELECT id FROM visit_batch WHERE institution_code = $1 AND visit_kind = $2 AND weekday = $3 AND starts_at = $4
                        AND retired_at IS NOT NULL ORDER BY retired_at DESC LIMIT 1)
            AND NOT EXISTS (SELECT 1 FROM visit_batch WHERE institution_code = $1 AND visit_kind = $2 AND weekday = $3 AND starts_at = $4 AND retired_at IS NULL)
          RETURNING id`,
        [b.institutionCode, b.kind, b.weekday, b.startsAt, b.lengthMinutes, b.capacity],
      );
      const { rows } = revived.rows[0]
        ? revived
        : await tx.query<{ id: number }>(
            `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
            [b.institutionCode, b.kind, b.weekday, b.startsAt, b.lengthMinutes, b.capacity],
          );
      const batchId = rows[0]!.id;
      await recordStaffAction(tx, {
        staffId: who.staffId,
        action: 'visit_batch.added',
        objectType: 'visit_batch',
        objectId: batchId,
        institutionCode: b.institutionCode,
        ip: who.ip,
        details: b,
        at: now,
      });
      return { kind: 'added', batchId } as const;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'visit_batch_slot')) return { kind: 'duplicate' };
    throw err;
  }
}

/** The same batch on several weekdays; a weekday that has it already is skipped. */
export async function addBatches(
  pool: pg.Pool,
  b: Omit<BatchInput, 'weekday'> & { weekdays: number[] },
  who: StaffActor,
  now: Date,
): Promise<{ added: number; skipped: number }> {
  assertMay(who, 'timetable');
  const { weekdays, ...batch } = b;
  let added = 0;
  for (const weekday of weekdays) {
    if ((await addBatch(pool, { ...batch, weekday }, who, now)).kind === 'added') added += 1;
  }
  return { added, skipped: weekdays.length - added };
}

/** One change to a live batch within the actor's scope, with its audit line; false when there is no such batch. */
async function changeBatch(
  pool: pg.Pool,
  batchId: number,
  who: StaffActor,
  now: Date,
  change: { column: 'capacity' | 'retired_at'; value: unknown; action: string; details?: Record<string, unknown> },
): Promise<boolean> {
  assertMay(who, 'timetable');
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ institution_code: string }>(
      `UPDATE visit_batch SET ${change.column} = $2 WHERE id = $1 AND retired_at IS NULL AND ($3::char(4) IS NULL OR institution_code = $3) RETURNING institution_code`,
      [batchId, change.value, who.institutionCode],
    );
    if (!rows[0]) return false;
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: change.action,
      objectType: 'visit_batch',
      objectId: batchId,
      institutionCode: rows[0].institution_code,
      ip: who.ip,
      details: change.details,
      at: now,
    });
    return true;
  });
}

/** A lower capacity refuses new bookings beyond it; bookings already made stay. */
export async function setBatchCapacity(
  pool: pg.Pool,
  batchId: number,
  capacity: number,
  who: StaffActor,
  now: Date,
): Promise<boolean> {
  assertMay(who, 'timetable');
  if (!isBatchCapacity(capacity)) return false;
  return changeBatch(pool, batchId, who, now, {
    column: 'capacity',
    value: capacity,
    action: 'visit_batch.capacity',
    details: { capacity },
  });
}

/** Takes a batch off the timetable; bookings already made in it stay. */
export async function retireBatch(pool: pg.Pool, batchId: number, who: StaffActor, now: Date): Promise<boolean> {
  return changeBatch(pool, batchId, who, now, { column: 'retired_at', value: now, action: 'visit_batch.retired' });
}

/**
 * New capacities for an institution's batches, as the management page posts them (0 takes a batch
 * off); batches of other institutions and unchanged ones are left alone. Returns how many changed.
 */
export async function setCapacities(
  pool: pg.Pool,
  institutionCode: string,
  capacities: Map<number, number>,
  who: StaffActor,
  now: Date,
): Promise<number> {
  assertMay(who, 'timetable');
  const mine = new Map((await listTimetable(pool, institutionCode)).map((b) => [b.id, b]));
  let changed = 0;
  for (const [id, capacity] of capacities) {
    const batch = mine.get(id);
    if (!batch || capacity === batch.capacity) continue;
    const ok =
      capacity === 0 ? await retireBatch(pool, id, who, now) : await setBatchCapacity(pool, id, capacity, who, now);
    if (ok) changed += 1;
  }
  return changed;
}

/**
 * Closes a date for visits. Bookings already made on it are not cancelled by this: their number is
 * returned so staff cancel them (with a reason every visitor reads).
 */
export async function blockDate(
  pool: pg.Pool,
  b: { institutionCode: string; date: string; reason: string },
  who: StaffActor,
  now: Date,
): Promise<{ kind: 'blocked'; activeBookings: number } | TimetableRefusal> {
  const refused = refusal(who, b.institutionCode);
  if (refused) return refused;
  const reason = b.reason.trim();
  if (!isIsoDate(b.date) || reason.length > CLOSED_REASON_MAX) return { kind: 'invalid' };
  try {
    return await withTransaction(pool, async (tx) => {
      await tx.query(
        `INSERT INTO visit_blocked_date (institution_code, blocked_on, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [b.institutionCode, b.date, reason, who.staffId, now],
      );
      await recordStaffAction(tx, {
        staffId: who.staffId,
        action: 'visit_date.blocked',
        objectType: 'visit_blocked_date',
        institutionCode: b.institutionCode,
        ip: who.ip,
        details: { date: b.date, reason },
        at: now,
      });
      const { rows } = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM visit_booking WHERE institution_code = $1 AND visit_date = $2 AND status IN ('pending', 'approved')`,
        [b.institutionCode, b.date],
      );
      return { kind: 'blocked', activeBookings: rows[0]!.n } as const;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'visit_blocked_date_pkey')) return { kind: 'duplicate' };
    throw err;
  }
}

export async function unblockDate(
  pool: pg.Pool,
  institutionCode: string,
  date: string,
  who: StaffActor,
  now: Date,
): Promise<boolean> {
  if (refusal(who, institutionCode) || !isIsoDate(date)) return false;
  return withTransaction(pool, async (tx) => {
    const { rowCount } = await tx.query(
      'DELETE FROM visit_blocked_date WHERE institution_code = $1 AND blocked_on = $2',
      [institutionCode, date],
    );
    if (!rowCount) return false;
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: 'visit_date.unblocked',
      objectType: 'visit_blocked_date',
      institutionCode,
      ip: who.ip,
      details: { date },
      at: now,
    });
    return true;
  });
}
