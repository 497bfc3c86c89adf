import type { StaffActor } from '../../domain/shared/staff-actor.ts';

/**
 * Staff as the back-office domain functions take them, for tests that call those functions directly:
 * a reviewer of an institution (role 'reviewer'), or with null an agency administrator (every institution).
 */
export function viewer(institutionCode: string | null): Pick<StaffActor, 'role' | 'institutionCode'> {
  return { role: institutionCode === null ? 'agency_admin' : 'reviewer', institutionCode };
}
