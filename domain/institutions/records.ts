import type pg from 'pg';
import {
  DEFAULT_PARAMETERS,
  INSTITUTION_FIELDS,
  type InstitutionField,
  type InstitutionInput,
  type Problems,
  checkInstitution,
} from './vocabulary.ts';
import { type Db, isUniqueViolation, withTransaction } from '../platform/db.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';

/**
 * 機關資料管理 (issue 12): the agency administrator lists, adds and edits institutions. A new one
 * starts with the default parameters (the schema's defaults, DEFAULT_PARAMETERS); the code, which
 * every case of the institution names, is not changed once made. Every change is audited with its
 * old and new values, in the same transaction.
 */

export type InstitutionRecord = InstitutionInput;

type RecordRow = {
  code: string;
  name_zh: string;
  name_en: string;
  address_zh: string;
  address_en: string;
  phone: string;
  visiting_notes_zh: string;
  visiting_notes_en: string;
};

const COLUMNS: Record<InstitutionField, keyof RecordRow> = {
  code: 'code',
  nameZh: 'name_zh',
  nameEn: 'name_en',
  addressZh: 'address_zh',
  addressEn: 'address_en',
  phone: 'phone',
  visitingNotesZh: 'visiting_notes_zh',
  visitingNotesEn: 'visiting_notes_en',
};
const SELECT = `SELECT ${Object.values(COLUMNS).join(', ')} FROM institution`;

function toRecord(r: RecordRow): InstitutionRecord {
  return Object.fromEntries(INSTITUTION_FIELDS.map((f) => [f, r[COLUMNS[f]]])) as InstitutionRecord;
}

export async function listInstitutionRecords(db: Db, who: StaffActor): Promise<InstitutionRecord[]> {
  assertMay(who, 'institutions');
  const { rows } = await db.query<RecordRow>(`${SELECT} ORDER BY code`);
  return rows.map(toRecord);
}

/** One institution's record, or null when there is none with that code. */
export async function getInstitutionRecord(db: Db, who: StaffActor, code: string): Promise<InstitutionRecord | null> {
  assertMay(who, 'institutions');
  if (!/^\d{4}$/.test(code)) return null;
  const { rows } = await db.query<RecordRow>(`${SELECT} WHERE code = $1`, [code]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export type RecordOutcome =
  | { kind: 'saved'; code: string; changed: InstitutionField[] }
  | { kind: 'errors'; errors: Problems<InstitutionField>; value: InstitutionInput }
  | { kind: 'not_found' };

/**
 * Another institution with the same name, in either language: families and staff choose institutions by
 * name in every list, so two alike could not be told apart.
 */
async function nameTaken(db: Db, value: InstitutionInput, errors: Problems<InstitutionField>): Promise<void> {
  const { rows } = await db.query<{ zh: boolean; en: boolean }>(
    `SELECT bool_or(name_zh = $2) AS zh, bool_or(lower(name_en) = lower($3)) AS en FROM institution WHERE code <> $1`,
    [value.code, value.nameZh, value.nameEn],
  );
  if (rows[0]?.zh && !errors.nameZh) errors.nameZh = { key: 'institutions.error.nameTaken' };
  if (rows[0]?.en && !errors.nameEn) errors.nameEn = { key: 'institutions.error.nameTaken' };
}

/** Adds an institution with the default parameters; a code already used is told on the code field. */
export async function createInstitution(
  pool: pg.Pool,
  who: StaffActor,
  input: InstitutionInput,
  now: Date,
): Promise<RecordOutcome> {
  assertMay(who, 'institutions');
  const { value, errors } = checkInstitution(input, true);
  // Told with the other problems at once; the primary key decides a race.
  if (!errors.code && (await pool.query('SELECT 1 FROM institution WHERE code = $1', [value.code])).rowCount)
    errors.code = { key: 'institutions.error.codeTaken' };
  await nameTaken(pool, value, errors);
  if (Object.keys(errors).length) return { kind: 'errors', errors, value };
  try {
    return await withTransaction(pool, async (tx) => {
      await tx.query(
        `INSERT INTO institution (${Object.values(COLUMNS).join(', ')}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        INSTITUTION_FIELDS.map((f) => value[f]),
      );
      await recordStaffAction(tx, {
        staffId: who.staffId,
        action: 'institution.created',
        objectType: 'institution',
        institutionCode: value.code,
        ip: who.ip,
        details: { new: value, parameters: DEFAULT_PARAMETERS },
        at: now,
      });
      return { kind: 'saved', code: value.code, changed: [...INSTITUTION_FIELDS] } as const;
    });
  } catch (err) {
    if (!isUniqueViolation(err, 'institution_pkey')) throw err;
    return { kind: 'errors', errors: { code: { key: 'institutions.error.codeTaken' } }, value };
  }
}

/** Edits an institution's record (not its code); only what changed is written to the audit log. */
export async function updateInstitution(
  pool: pg.Pool,
  who: StaffActor,
  code: string,
  input: Omit<InstitutionInput, 'code'>,
  now: Date,
): Promise<RecordOutcome> {
  assertMay(who, 'institutions');
  if (!/^\d{4}$/.test(code)) return { kind: 'not_found' };
  const { value, errors } = checkInstitution({ ...input, code }, false);
  return withTransaction(pool, async (tx): Promise<RecordOutcome> => {
    const { rows } = await tx.query<RecordRow>(`${SELECT} WHERE code = $1 FOR UPDATE`, [code]);
    if (!rows[0]) return { kind: 'not_found' };
    await nameTaken(tx, value, errors);
    if (Object.keys(errors).length) return { kind: 'errors', errors, value };
    const old = toRecord(rows[0]);
    const changed = INSTITUTION_FIELDS.filter((f) => f !== 'code' && old[f] !== value[f]);
    if (!changed.length) return { kind: 'saved', code, changed };
    await tx.query(
      `UPDATE institution SET ${changed.map((f, i) => `${COLUMNS[f]} = $${i + 2}`).join(', ')} WHERE code = $1`,
      [code, ...changed.map((f) => value[f])],
    );
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: 'institution.updated',
      objectType: 'institution',
      institutionCode: code,
      ip: who.ip,
      details: { changes: Object.fromEntries(changed.map((f) => [f, { old: old[f], new: value[f] }])) },
      at: now,
    });
    return { kind: 'saved', code, changed };
  });
}
