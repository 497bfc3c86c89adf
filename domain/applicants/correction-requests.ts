import type pg from 'pg';
import {
  type CorrectionField,
  type IdentityInput,
  applyIdentityChanges,
  checkReason,
  idTaken,
  lockFamily,
  readIdentityChanges,
} from './corrections.ts';
import { type IdentityChange, correctionRefusedMail, identityCorrectedMail } from './family-mails.ts';
import { IN_FAMILY_SCOPE } from './family-records.ts';
import type { FieldErrors } from './vocabulary.ts';
import { type Db, isUniqueViolation, withTransaction } from '../platform/db.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { maskIdentityNumber } from '../shared/masking.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';

/**
 * 申請更正基本資料: a family asks for their name, ID number or birthday to be corrected (one open request
 * at a time); the request waits on /backoffice/families for staff of an institution they are a family
 * of (the agency sees all), who accept it (the correction is applied as a staff correction) or refuse it
 * with a reason. The applicant is mailed the answer and sees the request's state on their profile.
 */

export type CorrectionRequestStatus = 'pending' | 'accepted' | 'refused';

export type CorrectionRequest = {
  id: number;
  applicantId: number;
  /** the values asked for; null where that field is not to change */
  name: string | null;
  nationalId: string | null;
  birthday: string | null;
  reason: string;
  status: CorrectionRequestStatus;
  submittedAt: Date;
  decidedAt: Date | null;
  refusalReason: string | null;
};

type RequestRow = {
  id: number;
  applicant_id: number;
  name: string | null;
  national_id: string | null;
  birthday: string | null;
  reason: string;
  status: CorrectionRequestStatus;
  submitted_at: Date;
  decided_at: Date | null;
  refusal_reason: string | null;
};

const COLUMNS = `r.id, r.applicant_id, r.name, r.national_id, r.birthday, r.reason, r.status, r.submitted_at, r.decided_at, r.refusal_reason`;

const toRequest = (r: RequestRow): CorrectionRequest => ({
  id: r.id,
  applicantId: r.applicant_id,
  name: r.name,
  nationalId: r.national_id,
  birthday: r.birthday,
  reason: r.reason,
  status: r.status,
  submittedAt: r.submitted_at,
  decidedAt: r.decided_at,
  refusalReason: r.refusal_reason,
});

export type RequestOutcome =
  { kind: 'submitted' } | { kind: 'errors'; errors: FieldErrors<CorrectionField> } | { kind: 'already_open' };

/** The family's request: only the fields filled in are asked for, each checked as at registration. */
export async function submitCorrectionRequest(
  pool: pg.Pool,
  applicantId: number,
  input: IdentityInput & { reason: string },
  now: Date,
): Promise<RequestOutcome> {
  try {
    return await withTransaction(pool, async (tx) => {
      const { rows } = await tx.query<{ name: string; national_id: string; birthday: string }>(
        'SELECT name, national_id, birthday FROM applicant WHERE id = $1 FOR UPDATE',
        [applicantId],
      );
      const a = rows[0];
      if (!a) throw new Error('applicant not found');
      if (await latestOpen(tx, applicantId)) return { kind: 'already_open' } as const;
      const current = { name: a.name, nationalId: a.national_id, birthday: a.birthday };
      const { changes, errors } = readIdentityChanges(current, input, now, true);
      const reason = checkReason(input.reason);
      if (reason.error) errors.reason = reason.error;
      if (!errors.name && !errors.nationalId && !errors.birthday && changes.length === 0)
        errors.name = 'error.correction.nothing';
      if (Object.keys(errors).length) return { kind: 'errors', errors } as const;
      const asked = (f: IdentityChange['field']) => changes.find((c) => c.field === f)?.new ?? null;
      await tx.query(
        `INSERT INTO applicant_correction_request (applicant_id, name, national_id, birthday, reason, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [applicantId, asked('name'), asked('nationalId'), asked('birthday'), reason.value, now],
      );
      return { kind: 'submitted' } as const;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'applicant_correction_request_open')) return { kind: 'already_open' };
    throw err;
  }
}

async function latestOpen(db: Db, applicantId: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM applicant_correction_request WHERE applicant_id = $1 AND status = 'pending'`,
    [applicantId],
  );
  return (rowCount ?? 0) > 0;
}

/** The family's latest request, for their profile page. */
export async function latestCorrectionRequest(db: Db, applicantId: number): Promise<CorrectionRequest | null> {
  const { rows } = await db.query<RequestRow>(
    `SELECT ${COLUMNS} FROM applicant_correction_request r WHERE r.applicant_id = $1 ORDER BY r.submitted_at DESC, r.id DESC LIMIT 1`,
    [applicantId],
  );
  return rows[0] ? toRequest(rows[0]) : null;
}

export type QueuedRequest = CorrectionRequest & {
  applicantName: string;
  /** the current ID number, masked (a list) */
  nationalIdMasked: string;
  current: { name: string; nationalId: string; birthday: string };
  /** accepted: the values the request replaced (the fields it changed) */
  previous: Partial<Record<IdentityChange['field'], string>>;
  decidedByName: string | null;
};

const QUEUE_SELECT = `SELECT ${COLUMNS}, a.name AS applicant_name, a.national_id AS applicant_national_id, a.birthday AS applicant_birthday,
         r.previous, s.name AS decided_by_name
  FROM applicant_correction_request r JOIN applicant a ON a.id = r.applicant_id LEFT JOIN staff s ON s.id = r.decided_by`;

type QueueRow = RequestRow & {
  applicant_name: string;
  applicant_national_id: string;
  applicant_birthday: string;
  previous: Partial<Record<IdentityChange['field'], string>> | null;
  decided_by_name: string | null;
};
const toQueued = (r: QueueRow): QueuedRequest => ({
  ...toRequest(r),
  applicantName: r.applicant_name,
  nationalIdMasked: maskIdentityNumber(r.applicant_national_id),
  current: { name: r.applicant_name, nationalId: r.applicant_national_id, birthday: r.applicant_birthday },
  previous: r.previous ?? {},
  decidedByName: r.decided_by_name,
});

/** The pending requests of the families in the actor's scope, oldest first. */
export async function listCorrectionRequests(db: Db, actor: StaffActor): Promise<QueuedRequest[]> {
  assertMay(actor, 'family_data');
  const { rows } = await db.query<QueueRow>(
    `${QUEUE_SELECT} WHERE r.status = 'pending' AND ${IN_FAMILY_SCOPE('a', '$1')} ORDER BY r.submitted_at, r.id LIMIT 200`,
    [actor.institutionCode],
  );
  return rows.map(toQueued);
}

/** One request, when its applicant is in the actor's scope. */
export async function getCorrectionRequest(db: Db, actor: StaffActor, id: number): Promise<QueuedRequest | null> {
  assertMay(actor, 'family_data');
  const { rows } = await db.query<QueueRow>(`${QUEUE_SELECT} WHERE r.id = $1 AND ${IN_FAMILY_SCOPE('a', '$2')}`, [
    id,
    actor.institutionCode,
  ]);
  return rows[0] ? toQueued(rows[0]) : null;
}

export type RequestDecision = { decision: 'accept' } | { decision: 'refuse'; reason: string };
export type DecisionOutcome =
  | { kind: 'accepted'; changes: IdentityChange[] }
  | { kind: 'refused' }
  | { kind: 'not_found' }
  | { kind: 'already_decided' }
  | { kind: 'errors'; errors: FieldErrors<CorrectionField> };

/** Staff answer a request: accepting applies it as a staff correction; refusing needs a reason. Both are mailed. */
export async function decideCorrectionRequest(
  pool: pg.Pool,
  actor: StaffActor,
  requestId: number,
  d: RequestDecision,
  now: Date,
): Promise<DecisionOutcome> {
  assertMay(actor, 'family_data');
  const refusal = d.decision === 'refuse' ? checkReason(d.reason) : null;
  if (refusal?.error) return { kind: 'errors', errors: { reason: refusal.error } };
  try {
    return await withTransaction(pool, async (tx): Promise<DecisionOutcome> => {
      const { rows } = await tx.query<RequestRow>(
        `SELECT ${COLUMNS} FROM applicant_correction_request r WHERE r.id = $1 FOR UPDATE`,
        [requestId],
      );
      const row = rows[0];
      const a = row ? await lockFamily(tx, actor, row.applicant_id) : null;
      if (!row || !a) return { kind: 'not_found' };
      if (row.status !== 'pending') return { kind: 'already_decided' };
      const audit = (action: string, details: object) =>
        recordStaffAction(tx, {
          staffId: actor.staffId,
          action,
          objectType: 'correction_request',
          objectId: row.id,
          institutionCode: actor.institutionCode,
          ip: actor.ip,
          details,
          at: now,
        });
      if (refusal) {
        await tx.query(
          `UPDATE applicant_correction_request SET status = 'refused', decided_at = $2, decided_by = $3, refusal_reason = $4 WHERE id = $1`,
          [row.id, now, actor.staffId, refusal.value],
        );
        await audit('family.correction_refused', { applicantId: a.id, reason: refusal.value });
        await enqueueMail(
          tx,
          correctionRefusedMail(
            { locale: a.locale, applicantId: a.id, to: a.email, name: a.name, institutionCode: actor.institutionCode },
            row.submitted_at,
            refusal.value,
          ),
        );
        return { kind: 'refused' };
      }
      // The values asked for, checked again against the applicant as they are now.
      const changes: IdentityChange[] = [];
      if (row.name !== null && row.name !== a.name) changes.push({ field: 'name', old: a.name, new: row.name });
      if (row.national_id !== null && row.national_id !== a.nationalId)
        changes.push({ field: 'nationalId', old: a.nationalId, new: row.national_id });
      if (row.birthday !== null && row.birthday !== a.birthday)
        changes.push({ field: 'birthday', old: a.birthday, new: row.birthday });
      if (await idTaken(tx, changes, a.id)) return { kind: 'errors', errors: { nationalId: 'error.family.idTaken' } };
      await tx.query(
        `UPDATE applicant_correction_request SET status = 'accepted', decided_at = $2, decided_by = $3, previous = $4 WHERE id = $1`,
        [row.id, now, actor.staffId, JSON.stringify(Object.fromEntries(changes.map((c) => [c.field, c.old])))],
      );
      await audit('family.correction_accepted', { applicantId: a.id });
      const request = { id: row.id, submittedAt: row.submitted_at };
      if (changes.length) await applyIdentityChanges(tx, actor, a, changes, row.reason, now, request);
      // Already as asked (corrected meanwhile): nothing to change, but the family still hears the answer.
      else
        await enqueueMail(
          tx,
          identityCorrectedMail(
            { locale: a.locale, applicantId: a.id, to: a.email, name: a.name, institutionCode: actor.institutionCode },
            [],
            row.reason,
            row.submitted_at,
          ),
        );
      return { kind: 'accepted', changes };
    });
  } catch (err) {
    if (isUniqueViolation(err, 'applicant_national_id_key'))
      return { kind: 'errors', errors: { nationalId: 'error.family.idTaken' } };
    throw err;
  }
}
