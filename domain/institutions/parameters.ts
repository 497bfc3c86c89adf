import type pg from 'pg';
import {
  PARAMETER_CODES,
  PARAMETER_COLUMNS,
  type ParameterCode,
  type Parameters,
  type Problems,
  checkParameters,
} from './vocabulary.ts';
import { SERVICES, type Service } from '../applications/vocabulary.ts';
import type { Db } from '../platform/db.ts';
import { withTransaction } from '../platform/db.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { assertMay, inScope, type StaffActor } from '../shared/staff-actor.ts';

/**
 * 系統參數設定(機關) (seed 002): an institution administrator sets their institution's parameters and
 * 自動審核通過 per service; an agency administrator those of any institution. Nothing keeps a copy:
 * bookings, the lawyer windows and the contact book interval read the institution's row each time
 * (domain/bookings/availability.ts, the visit_booking and contact_book_post triggers,
 * domain/contact-book/recipients.ts), so a change applies to the next booking and post at once.
 * Every change is audited with the old and new values; the page shows the last change of each.
 */

/** The audit log's actions for these changes; their details hold `changes: { A: { old, new }, … }`. */
export const PARAMETERS_CHANGED = 'institution.parameters_changed';
export const AUTO_APPROVAL_CHANGED = 'institution.auto_approval_changed';

export type LastChange = { staffName: string | null; at: Date; old: unknown; new: unknown };

export type ParameterSheet = {
  institutionCode: string;
  parameters: Parameters;
  autoApproval: Service[];
  /** per parameter code, and per service for 自動審核通過: who changed it last, when, from what to what */
  lastChanges: Partial<Record<ParameterCode | Service, LastChange>>;
};

type ParameterRow = Record<ParameterCode, string | number> & { auto: Service[] };

async function readRow(db: Db, code: string, lock = false): Promise<ParameterRow | null> {
  const { rows } = await db.query<ParameterRow>(
    `SELECT mobile_visit_minutes AS "A", recording_path AS "B", contact_book_interval_days AS "C",
            to_char(lawyer_morning_start, 'HH24:MI') AS "RAS", to_char(lawyer_morning_end, 'HH24:MI') AS "RAE",
            to_char(lawyer_afternoon_start, 'HH24:MI') AS "RFS", to_char(lawyer_afternoon_end, 'HH24:MI') AS "RFE",
            auto_approve_services AS auto
       FROM institution WHERE code = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [code],
  );
  return rows[0] ?? null;
}

const toParameters = (r: ParameterRow) => Object.fromEntries(PARAMETER_CODES.map((c) => [c, r[c]])) as Parameters;

/** The actor may set this institution's parameters: their task, and an institution in their scope. */
function allowed(who: StaffActor, code: string): boolean {
  assertMay(who, 'parameters');
  return /^\d{4}$/.test(code) && inScope(who, code);
}

/** The institution's parameters, switches and last changes; null outside the actor's scope or unknown. */
export async function readParameterSheet(db: Db, who: StaffActor, code: string): Promise<ParameterSheet | null> {
  if (!allowed(who, code)) return null;
  const row = await readRow(db, code);
  if (!row) return null;
  const { rows } = await db.query<{
    key: string;
    value: { old: unknown; new: unknown };
    at: Date;
    name: string | null;
  }>(
    `SELECT DISTINCT ON (k.key) k.key, k.value, a.at, s.name
       FROM audit_log a CROSS JOIN LATERAL jsonb_each(a.details->'changes') k LEFT JOIN staff s ON s.id = a.staff_id
      WHERE a.institution_code = $1 AND a.action = ANY($2::text[]) AND jsonb_typeof(a.details->'changes') = 'object'
      ORDER BY k.key, a.at DESC, a.id DESC`,
    [code, [PARAMETERS_CHANGED, AUTO_APPROVAL_CHANGED]],
  );
  const lastChanges: ParameterSheet['lastChanges'] = {};
  for (const r of rows) {
    if ((PARAMETER_CODES as readonly string[]).includes(r.key) || (SERVICES as readonly string[]).includes(r.key))
      lastChanges[r.key as ParameterCode | Service] = {
        staffName: r.name,
        at: r.at,
        old: r.value.old,
        new: r.value.new,
      };
  }
  return { institutionCode: code, parameters: toParameters(row), autoApproval: row.auto, lastChanges };
}

export type ParametersOutcome =
  | { kind: 'saved'; changed: ParameterCode[] }
  | { kind: 'errors'; errors: Problems<ParameterCode>; entered: Record<ParameterCode, string> }
  | { kind: 'not_found' };

/**
 * Sets the parameters as posted (every code, as the form shows them): checked here with a message per
 * field (the database's CHECKs stay behind them), written and audited in one transaction.
 */
export async function updateParameters(
  pool: pg.Pool,
  who: StaffActor,
  code: string,
  raw: Record<ParameterCode, string>,
  now: Date,
): Promise<ParametersOutcome> {
  if (!allowed(who, code)) return { kind: 'not_found' };
  const { value, errors, entered } = checkParameters(raw);
  if (Object.keys(errors).length) return { kind: 'errors', errors, entered };
  return withTransaction(pool, async (tx): Promise<ParametersOutcome> => {
    const row = await readRow(tx, code, true);
    if (!row) return { kind: 'not_found' };
    const old = toParameters(row);
    const changed = PARAMETER_CODES.filter((c) => old[c] !== value[c]);
    if (!changed.length) return { kind: 'saved', changed };
    await tx.query(
      `UPDATE institution SET ${changed.map((c, i) => `${PARAMETER_COLUMNS[c]} = $${i + 2}`).join(', ')} WHERE code = $1`,
      [code, ...changed.map((c) => value[c])],
    );
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: PARAMETERS_CHANGED,
      objectType: 'institution',
      institutionCode: code,
      ip: who.ip,
      details: { changes: Object.fromEntries(changed.map((c) => [c, { old: old[c], new: value[c] }])) },
      at: now,
    });
    return { kind: 'saved', changed };
  });
}

/** Switches 自動審核通過 on for exactly these services (off for the others); audited per service changed. */
export async function setAutoApproval(
  pool: pg.Pool,
  who: StaffActor,
  code: string,
  services: readonly string[],
  now: Date,
): Promise<{ kind: 'saved'; changed: Service[] } | { kind: 'not_found' }> {
  if (!allowed(who, code)) return { kind: 'not_found' };
  const on = SERVICES.filter((s) => services.includes(s));
  return withTransaction(pool, async (tx) => {
    const row = await readRow(tx, code, true);
    if (!row) return { kind: 'not_found' } as const;
    const changed = SERVICES.filter((s) => row.auto.includes(s) !== on.includes(s));
    if (!changed.length) return { kind: 'saved', changed } as const;
    await tx.query('UPDATE institution SET auto_approve_services = $2 WHERE code = $1', [code, on]);
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: AUTO_APPROVAL_CHANGED,
      objectType: 'institution',
      institutionCode: code,
      ip: who.ip,
      details: {
        changes: Object.fromEntries(changed.map((s) => [s, { old: row.auto.includes(s), new: on.includes(s) }])),
      },
      at: now,
    });
    return { kind: 'saved', changed } as const;
  });
}
