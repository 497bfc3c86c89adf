/**
 * A staff member acting, as every back-office domain function takes them: who, with which role, over
 * which institution (null: the agency, every institution), and from which address (for the audit log).
 * Roles are checked here, in the domain, not only by the routes.
 */
export type StaffRole = 'reviewer' | 'institution_admin' | 'agency_admin';

export type StaffActor = {
  staffId: number;
  role: StaffRole;
  /** null only for agency administrators */
  institutionCode: string | null;
  ip: string | null;
};

/** Whether an institution's rows are inside the actor's scope. */
export function inScope(actor: Pick<StaffActor, 'institutionCode'>, institutionCode: string): boolean {
  return actor.institutionCode === null || actor.institutionCode === institutionCode;
}

/** 機關管理者 and 矯正署管理者: they run the timetable, parameters and accounts; reviewers do not. */
export function isAdministrator(actor: Pick<StaffActor, 'role'>): boolean {
  return actor.role === 'institution_admin' || actor.role === 'agency_admin';
}
