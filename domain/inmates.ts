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

/** What a lookup that found nobody to apply for says beside the call number; null when found. */
export function lookupProblem(found: InmateLookup): MessageKey | null {
  if (found.kind === 'found') return null;
  if (found.kind === 'format') return 'error.callNumber.format';
  if (found.kind === 'unknown') return 'error.callNumber.unknown';
  return `restriction.${found.restriction}`;
}
