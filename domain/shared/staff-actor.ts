/**
 * A staff member acting, as every back-office domain function takes them: who, with which role, over
 * which institution (null: the agency, every institution), and from which address (for the audit log).
 * Roles are checked here, in the domain, not only by the routes: a domain function that changes or shows
 * something of one task calls `assertMay(actor, task)` first, and the routes and the menu ask `may`.
 */
export type StaffRole = 'reviewer' | 'institution_admin' | 'agency_admin';

export const STAFF_ROLES: readonly StaffRole[] = ['reviewer', 'institution_admin', 'agency_admin'];

export type StaffActor = {
  staffId: number;
  role: StaffRole;
  /** null only for agency administrators */
  institutionCode: string | null;
  ip: string | null;
};

/**
 * What a staff member can be allowed to do (issue 12). 審核人員 reviewers: the queues and decisions,
 * phone bookings, rosters, the delivery sheet and the notification log of their institution. 機關管理者
 * institution administrators: all that, plus their institution's staff accounts, parameters, timetable,
 * announcements, inmate register, family data and audit log. 矯正署管理者 agency administrators: all of
 * it for every institution, plus the institutions themselves and the FAQ and guide (issue 13). Issue
 * 13 adds for every role: the institution's own contact book posts to families (查看機關聯絡簿), the
 * opinion mailbox (意見信箱) and the ratings (即時評價); for administrators: the kiosks. Every role edits their own profile
 * (基本資料修改) and sees the statistics of their scope on the home page.
 */
export type StaffTask =
  | 'review'
  | 'phone_bookings'
  | 'rosters'
  | 'delivery'
  | 'notifications'
  | 'statistics'
  | 'own_profile'
  | 'timetable'
  | 'parameters'
  | 'staff_accounts'
  | 'announcements'
  | 'inmate_register'
  | 'family_data'
  | 'audit_log'
  | 'institutions'
  | 'institution_posts'
  | 'feedback'
  | 'ratings'
  | 'kiosks'
  | 'faq';

const REVIEWER_TASKS: readonly StaffTask[] = [
  'review',
  'phone_bookings',
  'rosters',
  'delivery',
  'notifications',
  'statistics',
  'own_profile',
  'institution_posts',
  'feedback',
  'ratings',
];
const INSTITUTION_ADMIN_TASKS: readonly StaffTask[] = [
  ...REVIEWER_TASKS,
  'timetable',
  'parameters',
  'staff_accounts',
  'announcements',
  'inmate_register',
  'family_data',
  'audit_log',
  'kiosks',
];
const AGENCY_ADMIN_TASKS: readonly StaffTask[] = [...INSTITUTION_ADMIN_TASKS, 'institutions', 'faq'];

const TASKS: Record<StaffRole, ReadonlySet<StaffTask>> = {
  reviewer: new Set(REVIEWER_TASKS),
  institution_admin: new Set(INSTITUTION_ADMIN_TASKS),
  agency_admin: new Set(AGENCY_ADMIN_TASKS),
};

/** Whether a role may do a task at all (its scope is checked separately, with inScope). */
export function may(actor: Pick<StaffActor, 'role'>, task: StaffTask): boolean {
  return TASKS[actor.role]?.has(task) ?? false;
}

/** Every task a role may do, for the menu. */
export function tasksOf(role: StaffRole): StaffTask[] {
  return [...(TASKS[role] ?? [])];
}

/** Thrown by a domain function asked to do what the actor's role does not allow; the routes answer 403. */
export class StaffNotAllowed extends Error {
  readonly status = 403;
  constructor(readonly task: StaffTask) {
    super(`staff role may not do ${task}`);
  }
}

/** The domain's own check, so no route can forget it. */
export function assertMay(actor: Pick<StaffActor, 'role'>, task: StaffTask): void {
  if (!may(actor, task)) throw new StaffNotAllowed(task);
}

/** Whether an institution's rows are inside the actor's scope. */
export function inScope(actor: Pick<StaffActor, 'institutionCode'>, institutionCode: string): boolean {
  return actor.institutionCode === null || actor.institutionCode === institutionCode;
}
