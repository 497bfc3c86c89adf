import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type pg from 'pg';
import { scopeOf, type StaffMember } from '../../domain/staff.ts';
import { listInstitutions } from '../../domain/institutions.ts';
import { may, type StaffActor, type StaffTask } from '../../domain/shared/staff-actor.ts';

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

/**
 * A back-office route for one task (domain/shared/staff-actor.ts): staff whose role may not do it get 403
 * before anything is read. The domain checks again (assertMay); this only answers early and plainly.
 */
export const allowTask =
  (task: StaffTask): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    if (req.staffMember && may(req.staffMember, task)) return next();
    res.status(403).render('errors/generic', { status: 403 });
  };
