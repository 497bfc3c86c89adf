import type { Db } from '../platform/db.ts';
import { addDays, isIsoDate, isoWeekday } from '../shared/dates.ts';
import { maskIdentityNumber } from '../shared/masking.ts';
import { assertMay, inScope, type StaffActor } from '../shared/staff-actor.ts';
import { VISIT_KINDS, type Relationship, type VisitKind } from '../applications/vocabulary.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { TIMES } from './records.ts';
import type { BookingService } from './vocabulary.ts';

/** The rosters staff print the day before, and finding the applicant a caller says they are (電話預約). */

/** The next Monday-to-Friday date after `date`: what nextVisitDay falls back on without a timetable. */
export function nextWorkingDay(date: string): string {
  let next = addDays(date, 1);
  while (isoWeekday(next) > 5) next = addDays(next, 1);
  return next;
}

/**
 * The next day after `today` that has visits: the first the institution opens on (a weekday with a
 * batch on its timetable and not a closed date, migrations' visit_open_day), or for staff of every
 * institution the first any of them opens on. The review reminder points at it and the next-day
 * roster opens on it; Monday to Friday when no timetable says otherwise in the next two weeks.
 */
export async function nextVisitDay(db: Db, institutionCode: string | null, today: string): Promise<string> {
  const { rows } = await db.query<{ day: string | null }>(
    `SELECT to_char(min(d), 'YYYY-MM-DD') AS day FROM generate_series($2::date + 1, $2::date + 14, interval '1 day') d
      WHERE EXISTS (SELECT 1 FROM institution i WHERE ($1::char(4) IS NULL OR i.code = $1) AND visit_open_day(i.code, d::date))`,
    [institutionCode, today],
  );
  return rows[0]?.day ?? nextWorkingDay(today);
}

export type RosterRow = {
  id: number;
  number: string;
  kind: VisitKind;
  startsAt: string;
  endsAt: string;
  ordinal: number | null;
  arrivalTime: string | null;
  inmateName: string;
  callNumber: string;
  byPhone: boolean;
  visitors: { position: number; name: string; maskedNationalId: string; relationship: Relationship }[];
};

/**
 * 預約現場律師接見清冊 and the family equivalent: the approved visits of one institution on one date,
 * in order of time (lawyers by arrival time), to print or export the day before.
 */
export async function roster(
  db: Db,
  who: Pick<StaffActor, 'role' | 'institutionCode'>,
  q: { institutionCode: string; date: string; service: BookingService; kinds?: VisitKind[] },
): Promise<RosterRow[] | null> {
  assertMay(who, 'rosters');
  if (!inScope(who, q.institutionCode)) return null;
  if (!isIsoDate(q.date)) return [];
  const { rows } = await db.query(
    `SELECT b.id, b.number, b.visit_kind, ${TIMES}, to_char(b.arrival_time, 'HH24:MI') AS arrival_time, m.name AS inmate_name, m.call_number, b.by_phone,
            (SELECT r.n FROM (SELECT id, dense_rank() OVER (ORDER BY starts_at)::int AS n FROM visit_batch x
                                      WHERE x.institution_code = b.institution_code AND x.visit_kind = b.visit_kind AND x.retired_at IS NULL) r
              WHERE r.id = b.batch_id) AS ordinal,
            (SELECT json_agg(json_build_object('position', v.position, 'name', p.name, 'nationalId', p.national_id, 'relationship', a.relationship) ORDER BY v.position)
               FROM visit_booking_visitor v JOIN applicant p ON p.id = v.applicant_id JOIN service_application a ON a.id = v.application_id
              WHERE v.booking_id = b.id) AS visitors
       FROM visit_booking b JOIN inmate m ON m.id = b.inmate_id
      WHERE b.institution_code = $1 AND b.visit_date = $2 AND b.service = $3 AND b.visit_kind = ANY ($4::text[]) AND b.status = 'approved'
      ORDER BY lower(b.during), m.call_number, b.id`,
    [q.institutionCode, q.date, q.service, q.kinds ?? VISIT_KINDS],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    number: r.number,
    kind: r.visit_kind,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    ordinal: r.ordinal ?? null,
    arrivalTime: r.arrival_time,
    inmateName: r.inmate_name,
    callNumber: r.call_number,
    byPhone: r.by_phone,
    visitors: (r.visitors as { position: number; name: string; nationalId: string; relationship: Relationship }[]).map(
      (v) => ({
        position: v.position,
        name: v.name,
        maskedNationalId: maskIdentityNumber(v.nationalId),
        relationship: v.relationship,
      }),
    ),
  }));
}

/**
 * 電話預約: the registered applicant a caller says they are, by name and national ID together. Every
 * look-up by staff is in the audit log, found or not, since it touches a person's identity.
 */
export async function findApplicantByIdentity(
  db: Db,
  name: string,
  nationalId: string,
  who: StaffActor,
  now: Date,
): Promise<{ id: number; name: string } | null> {
  assertMay(who, 'phone_bookings');
  const id = nationalId.normalize('NFKC').trim().toUpperCase();
  const { rows } = await db.query<{ id: number; name: string }>(
    'SELECT id, name FROM applicant WHERE national_id = $1 AND name = $2 AND email_verified_at IS NOT NULL',
    [id, name.normalize('NFC').trim()],
  );
  await recordStaffAction(db, {
    staffId: who.staffId,
    action: 'applicant.looked_up',
    objectType: 'applicant',
    objectId: rows[0] ? Number(rows[0].id) : null,
    institutionCode: who.institutionCode,
    ip: who.ip,
    details: { found: Boolean(rows[0]), nationalId: maskIdentityNumber(id) },
    at: now,
  });
  return rows[0] ?? null;
}
