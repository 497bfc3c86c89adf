import { conditions, withTransaction, type Db } from './platform/db.ts';
import type pg from 'pg';
import { recordStaffAction } from './shared/audit.ts';
import { assertMay, inScope, type StaffActor } from './shared/staff-actor.ts';
import { formatDateTime } from './shared/dates.ts';
import { catalogs, type MessageKey, type Translate } from './i18n/i18n.ts';
import type { Locale } from './shared/locale.ts';
import { toCsv } from './bookings/roster-csv.ts';

/**
 * 稽核紀錄 read back (issue 12): administrators look through the audit log of their scope (their
 * institution's entries; the agency every entry), filtered and paged, and export it as CSV. Looking and
 * exporting are audited in turn. The entries themselves are written by recordStaffAction
 * (shared/audit.ts) and the database refuses to change or delete them (migration 017).
 */

export const AUDIT_PAGE_SIZE = 50;
/** Paging is bounded: past this many entries, narrowing the dates finds the older ones. */
export const AUDIT_MAX_LISTED = 10_000;
/** One export holds at most this many entries, newest first. */
export const AUDIT_MAX_EXPORTED = 50_000;

/** Every action code written in the code base (grep "action:" domain), each with a label in the catalog. */
export const AUDIT_ACTIONS = [
  'application.approved',
  'application.rejected',
  'contact_book_post.approved',
  'contact_book_post.rejected',
  'contact_book_post.delivered',
  'contact_book.suspended',
  'contact_book.suspension_lifted',
  'visit_booking.approved',
  'visit_booking.rejected',
  'visit_booking.cancelled',
  'visit_booking.phone_booked',
  'applicant.looked_up',
  'visit_batch.added',
  'visit_batch.capacity',
  'visit_batch.retired',
  'visit_date.blocked',
  'visit_date.unblocked',
  'audit_log.viewed',
  'audit_log.exported',
  'staff.create',
  'staff.enable',
  'staff.disable',
  'staff.role_change',
  'staff.password_link',
  'staff.unlock',
  'staff.password_set',
  'staff.email_change_requested',
  'staff.email_change',
  'staff.name_change',
  'staff.password_change',
  'institution.created',
  'institution.updated',
  'institution.parameters_changed',
  'institution.auto_approval_changed',
  'inmate_register.applied',
  'inmate_register.token_created',
  'inmate_register.token_revoked',
  'announcement.created',
  'announcement.updated',
  'announcement.withdrawn',
  'announcement.deleted',
  'family.search',
  'family.identity_corrected',
  'family.correction_accepted',
  'family.correction_refused',
  'family.verification_resent',
  'family.unlocked',
  'family.disabled',
  'family.enabled',
  'family.erased',
  'family.erasure_kept',
  'institution_post.created',
  'feedback.replied',
  'faq.created',
  'faq.updated',
  'guide.created',
  'guide.updated',
  'kiosk.link_created',
  'kiosk.link_renewed',
  'kiosk.revoked',
] as const;

export type AuditFilter = {
  staffId: number | null;
  /** an action code; unknown codes may be asked for too (another part may write them) */
  action: string | null;
  institutionCode: string | null;
  /** Asia/Taipei dates, inclusive */
  from: string | null;
  to: string | null;
  page: number;
};

export type AuditEntry = {
  id: number;
  at: Date;
  staffId: number | null;
  staffName: string | null;
  staffAccount: string | null;
  action: string;
  objectType: string;
  objectId: number | null;
  institutionCode: string | null;
  institutionName: string | null;
  ip: string | null;
  details: Record<string, unknown>;
};

export type AuditPage = { rows: AuditEntry[]; total: number; capped: boolean; page: number; pages: number };

type AuditRow = {
  id: number;
  at: Date;
  staff_id: number | null;
  staff_name: string | null;
  staff_account: string | null;
  action: string;
  object_type: string;
  object_id: number | null;
  institution_code: string | null;
  institution_name: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
};

const toAuditEntry = (r: AuditRow): AuditEntry => ({
  id: Number(r.id),
  at: r.at,
  staffId: r.staff_id === null ? null : Number(r.staff_id),
  staffName: r.staff_name,
  staffAccount: r.staff_account,
  action: r.action,
  objectType: r.object_type,
  objectId: r.object_id === null ? null : Number(r.object_id),
  institutionCode: r.institution_code,
  institutionName: r.institution_name,
  ip: r.ip,
  details: r.details && typeof r.details === 'object' ? r.details : {},
});

const SELECT = (locale: Locale) => `SELECT l.id, l.at, l.staff_id, s.name AS staff_name, s.account AS staff_account,
       l.action, l.object_type, l.object_id, l.institution_code,
       ${locale === 'en' ? 'i.name_en' : 'i.name_zh'} AS institution_name, host(l.ip) AS ip, l.details
  FROM audit_log l LEFT JOIN staff s ON s.id = l.staff_id LEFT JOIN institution i ON i.code = l.institution_code`;

/**
 * The WHERE clause of a filter within the actor's scope, or null when the filter names an institution
 * outside it (not found, as any object of another institution).
 */
function whereOf(actor: StaffActor, f: AuditFilter) {
  if (f.institutionCode && !inScope(actor, f.institutionCode)) return null;
  const c = conditions();
  if (actor.institutionCode) c.add('l.institution_code = ?', actor.institutionCode);
  if (f.institutionCode) c.add('l.institution_code = ?', f.institutionCode);
  if (f.staffId !== null) c.add('l.staff_id = ?', f.staffId);
  if (f.action) c.add('l.action = ?', f.action);
  if (f.from) c.add(`l.at >= (?::date)::timestamp AT TIME ZONE 'Asia/Taipei'`, f.from);
  if (f.to) c.add(`l.at < ((?::date) + 1)::timestamp AT TIME ZONE 'Asia/Taipei'`, f.to);
  return c;
}

/** What was asked, as the audit log keeps it for the viewing and exporting entries. */
const filterDetails = (f: AuditFilter) => ({
  staffId: f.staffId,
  action: f.action,
  institutionCode: f.institutionCode,
  from: f.from,
  to: f.to,
});

/** One page of the audit log, newest first; the viewing itself is recorded. Null: outside scope. */
export async function searchAuditLog(
  pool: pg.Pool,
  actor: StaffActor,
  f: AuditFilter,
  locale: Locale,
  now: Date,
): Promise<AuditPage | null> {
  assertMay(actor, 'audit_log');
  const c = whereOf(actor, f);
  if (!c) return null;
  return withTransaction(pool, async (tx) => {
    const counted = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM audit_log l ${c.sql()} LIMIT ${AUDIT_MAX_LISTED + 1}) x`,
      c.params,
    );
    const found = counted.rows[0]!.n;
    const total = Math.min(found, AUDIT_MAX_LISTED);
    const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
    const page = Math.min(Math.max(1, Math.trunc(f.page) || 1), pages);
    const { rows } = await tx.query<AuditRow>(
      `${SELECT(locale)} ${c.sql()} ORDER BY l.at DESC, l.id DESC LIMIT ${AUDIT_PAGE_SIZE} OFFSET ${(page - 1) * AUDIT_PAGE_SIZE}`,
      c.params,
    );
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: 'audit_log.viewed',
      objectType: 'audit_log',
      institutionCode: actor.institutionCode,
      ip: actor.ip,
      details: { ...filterDetails(f), page },
      at: now,
    });
    return { rows: rows.map(toAuditEntry), total, capped: found > AUDIT_MAX_LISTED, page, pages };
  });
}

/** The staff members an actor may filter by: those of their institution (and the agency's), or all. */
export async function auditStaffChoices(
  db: Db,
  actor: StaffActor,
): Promise<{ id: number; name: string; account: string }[]> {
  assertMay(actor, 'audit_log');
  const { rows } = await db.query<{ id: number; name: string; account: string }>(
    `SELECT id, name, account FROM staff
      WHERE $1::char(4) IS NULL OR institution_code = $1 OR role = 'agency_admin'
      ORDER BY name, account`,
    [actor.institutionCode],
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.name, account: r.account }));
}

/** An action in words: its catalog label, or the code itself for an action this part does not know. */
export function actionLabel(t: Translate, locale: Locale, action: string): string {
  const key = `audit.action.${action}`;
  return key in catalogs[locale] ? t(key as MessageKey) : action;
}

/** The kind of object in words (its catalog label, or the table name), with its id. */
export function objectLabel(t: Translate, locale: Locale, e: Pick<AuditEntry, 'objectType' | 'objectId'>): string {
  const key = `audit.object.${e.objectType}`;
  const kind = key in catalogs[locale] ? t(key as MessageKey) : e.objectType;
  return e.objectId === null ? kind : `${kind} #${e.objectId}`;
}

const show = (v: unknown): string =>
  v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/**
 * The details as lines a person reads: a change as "name: old → new" (details given as { old, new }
 * objects, or a field holding { old, new }), anything else as "name: value".
 */
export function detailLines(details: Record<string, unknown>): string[] {
  const isChange = (v: unknown): v is { old: unknown; new: unknown } =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && 'old' in v && 'new' in v;
  if (isChange(details) && typeof details.old === 'object' && typeof details.new === 'object') {
    const before = (details.old ?? {}) as Record<string, unknown>;
    const after = (details.new ?? {}) as Record<string, unknown>;
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const rest = Object.entries(details).filter(([k]) => k !== 'old' && k !== 'new');
    return [
      ...names.map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`),
      ...rest.map(([k, v]) => `${k}: ${show(v)}`),
    ];
  }
  return Object.entries(details).map(([k, v]) =>
    isChange(v) ? `${k}: ${show(v.old)} → ${show(v.new)}` : `${k}: ${show(v)}`,
  );
}

/** The same entries as the page (every page of them, up to AUDIT_MAX_EXPORTED) as CSV; the export is recorded. */
export async function exportAuditLog(
  pool: pg.Pool,
  actor: StaffActor,
  f: AuditFilter,
  t: Translate,
  locale: Locale,
  now: Date,
): Promise<string | null> {
  assertMay(actor, 'audit_log');
  const c = whereOf(actor, f);
  if (!c) return null;
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<AuditRow>(
      `${SELECT(locale)} ${c.sql()} ORDER BY l.at DESC, l.id DESC LIMIT ${AUDIT_MAX_EXPORTED}`,
      c.params,
    );
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: 'audit_log.exported',
      objectType: 'audit_log',
      institutionCode: actor.institutionCode,
      ip: actor.ip,
      details: { ...filterDetails(f), rows: rows.length },
      at: now,
    });
    return auditCsv(t, locale, rows.map(toAuditEntry));
  });
}

/** The CSV of entries: a header row in the reader's language, then one line an entry. */
export function auditCsv(t: Translate, locale: Locale, entries: readonly AuditEntry[]): string {
  const header = (['time', 'staff', 'action', 'object', 'institution', 'address', 'details'] as const).map((c) =>
    t(`audit.col.${c}`),
  );
  return toCsv([
    header,
    ...entries.map((e) => [
      formatDateTime(e.at),
      e.staffName ? `${e.staffName} (${e.staffAccount})` : '',
      actionLabel(t, locale, e.action),
      objectLabel(t, locale, e),
      e.institutionCode ? `${e.institutionCode} ${e.institutionName ?? ''}`.trim() : '',
      e.ip ?? '',
      detailLines(e.details).join('\n'),
    ]),
  ]);
}
