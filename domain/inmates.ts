import type { MessageKey } from './i18n/i18n.ts';
import type { Db } from './platform/db.ts';
import { maskName } from './shared/masking.ts';

export type InmateRestriction = 'visit_ban' | 'disciplinary_isolation' | 'protective_custody' | 'medical_isolation';

export type InmateLookup =
  | { kind: 'found'; inmateId: number; maskedName: string }
  | { kind: 'format' }
  | { kind: 'unknown' }
  | { kind: 'restricted'; restriction: InmateRestriction };

export function isCallNumber(v: string): boolean {
  return /^(\d{4}|\d{6})$/.test(v);
}

/**
 * Finds an inmate by institution and call number for an applicant to confirm. Only the masked name
 * leaves: the lookup must not reveal more than the real portal does. Inmates who cannot be applied
 * for (seed 000 §一(三): court ban on visits and letters, disciplinary isolation, protective custody,
 * medical isolation) are told apart so the applicant knows why.
 */
export async function lookUpInmate(db: Db, institutionCode: string, callNumber: string): Promise<InmateLookup> {
  const number = callNumber.normalize('NFKC').trim();
  if (!/^\d{4}$/.test(institutionCode) || !isCallNumber(number)) return { kind: 'format' };
  const { rows } = await db.query<{ id: number; name: string; restriction: InmateRestriction | null }>(
    // An inmate who has left (released or transferred, domain/inmates/register.ts) is no longer found.
    'SELECT id, name, restriction FROM inmate WHERE institution_code = $1 AND call_number = $2 AND removed_on IS NULL',
    [institutionCode, number],
  );
  const row = rows[0];
  if (!row) return { kind: 'unknown' };
  if (row.restriction) return { kind: 'restricted', restriction: row.restriction };
  return { kind: 'found', inmateId: row.id, maskedName: maskName(row.name) };
}

/**
 * The inmate an application form names, or what to say beside which field: no institution chosen, or a
 * call number that finds nobody to apply for (its shape, unknown, a restriction). One rule for the form's
 * lookup and its submission.
 */
export async function inmateNamed(
  db: Db,
  institutionCode: string,
  callNumber: string,
): Promise<
  Extract<InmateLookup, { kind: 'found' }> | { kind: 'problem'; field: 'institution' | 'callNumber'; key: MessageKey }
> {
  if (!/^\d{4}$/.test(institutionCode))
    return { kind: 'problem', field: 'institution', key: 'error.institution.required' };
  const found = await lookUpInmate(db, institutionCode, callNumber);
  if (found.kind === 'found') return found;
  const key: MessageKey =
    found.kind === 'format'
      ? 'error.callNumber.format'
      : found.kind === 'unknown'
        ? 'error.callNumber.unknown'
        : `restriction.${found.restriction}`;
  return { kind: 'problem', field: 'callNumber', key };
}
