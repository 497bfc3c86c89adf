import type { Request } from 'express';
import type pg from 'pg';
import { scopeOf, type StaffMember } from '../../domain/staff.ts';
import { listInstitutions } from '../../domain/institutions.ts';
import type { StaffActor } from '../../domain/shared/staff-actor.ts';

/** What every back-office page needs of the signed-in staff member (after requireStaff). */
export const staffOf = (req: Request): StaffMember => req.staffMember as StaffMember;

/** The staff member acting, as domain functions take them: their scope and address for the audit log. */
export const staffActor = (req: Request): StaffActor => ({
  staffId: staffOf(req).id,
  role: staffOf(req).role,
  institutionCode: scopeOf(staffOf(req)),
  ip: req.ip ?? null,
});

/** The institutions these staff may choose: their own, or every one for the agency. */
export async function institutionsFor(pool: pg.Pool, req: Request) {
  const all = await listInstitutions(pool, req.locale);
  const scope = scopeOf(staffOf(req));
  return scope ? all.filter((i) => i.code === scope) : all;
}
