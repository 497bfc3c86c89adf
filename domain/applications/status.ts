import type { ApplicationStatus, DocumentKind, Relationship, Service, VisitKind } from './vocabulary.ts';
import type { Db } from '../platform/db.ts';
import type { Locale } from '../shared/locale.ts';
import { maskName } from '../shared/masking.ts';
import { reasonIn } from '../shared/reasons.ts';
import { APPLICANT_COLUMNS, type Applicant, type ApplicantRow, toApplicant } from '../applicants/accounts.ts';

/** What the applicant (and, for progress, anyone with the number and birthday) reads of their applications. */

/** What a correction form starts from: the rejected application's answers and its current documents. */
export type CorrectionStart = {
  number: string;
  version: number;
  service: Service;
  institutionCode: string;
  institutionName: string;
  callNumber: string;
  maskedInmate: string;
  relationship: Relationship;
  visitKinds: VisitKind[];
  rejectionReason: string;
  documents: { id: number; kind: DocumentKind; fileName: string; uploadedBytes: number }[];
};

export async function getCorrectionStart(
  db: Db,
  applicantId: number,
  number: string,
  locale: Locale,
): Promise<CorrectionStart | null> {
  const { rows } = await db.query(
    `SELECT a.id, a.number, a.version, a.service, a.institution_code, i.name_zh, i.name_en, m.call_number, m.name AS inmate_name,
            a.relationship, a.visit_kinds, a.rejection_reason
       FROM service_application a JOIN inmate m ON m.id = a.inmate_id JOIN institution i ON i.code = a.institution_code
      WHERE a.number = $1 AND a.applicant_id = $2 AND a.status = 'rejected'`,
    [number, applicantId],
  );
  const r = rows[0];
  if (!r) return null;
  const docs = await db.query(
    'SELECT id, kind, file_name, uploaded_bytes FROM application_document WHERE application_id = $1 AND replaced_at IS NULL ORDER BY kind, id',
    [r.id],
  );
  return {
    number: r.number,
    version: r.version,
    service: r.service,
    institutionCode: r.institution_code,
    institutionName: locale === 'en' ? r.name_en : r.name_zh,
    callNumber: r.call_number,
    maskedInmate: maskName(r.inmate_name),
    relationship: r.relationship,
    visitKinds: r.visit_kinds,
    rejectionReason: reasonIn(r.rejection_reason, locale) ?? '',
    documents: docs.rows.map((d) => ({
      id: Number(d.id),
      kind: d.kind,
      fileName: d.file_name,
      uploadedBytes: d.uploaded_bytes,
    })),
  };
}

/** What the mails about an application say, in the applicant's language. */
export type ApplicationMailView = ApplicationFacts & {
  applicationId: number;
  applicantId: number;
  to: string;
  locale: Locale;
  institutionCode: string;
};

/** What the applicant reads of an application, on the page and in the mails. */
type ApplicationFacts = {
  number: string;
  institutionName: string;
  maskedInmate: string;
  relationship: Relationship;
  service: Service;
  visitKinds: VisitKind[];
  status: ApplicationStatus;
  rejectionReason: string | null;
};

export async function applicationMailView(db: Db, applicationId: number): Promise<ApplicationMailView> {
  const { rows } = await db.query(
    `SELECT a.id, a.applicant_id, p.email, p.locale, a.number, a.institution_code, i.name_zh, i.name_en, m.name AS inmate_name,
            a.relationship, a.service, a.visit_kinds, a.status, a.rejection_reason
       FROM service_application a JOIN applicant p ON p.id = a.applicant_id
       JOIN institution i ON i.code = a.institution_code JOIN inmate m ON m.id = a.inmate_id
      WHERE a.id = $1`,
    [applicationId],
  );
  const r = rows[0];
  return {
    applicationId: r.id,
    applicantId: r.applicant_id,
    to: r.email,
    locale: r.locale,
    number: r.number,
    institutionCode: r.institution_code,
    institutionName: r.locale === 'en' ? r.name_en : r.name_zh,
    maskedInmate: maskName(r.inmate_name),
    relationship: r.relationship,
    service: r.service,
    visitKinds: r.visit_kinds,
    status: r.status,
    rejectionReason: reasonIn(r.rejection_reason, r.locale),
  };
}

export type ApplicationRow = ApplicationFacts & {
  id: number;
  submittedAt: Date;
  decidedAt: Date | null;
  /** why it was cancelled (the inmate left, or the account was closed), in the reader's language */
  cancelReason: string | null;
};

/** The applicant's own applications, newest first (服務項目狀態查詢). */
export async function listApplicationsOf(
  db: Db,
  applicantId: number,
  locale: Locale,
  number?: string,
): Promise<ApplicationRow[]> {
  // Named: each pooled connection parses and plans it once, not on every view of the status table (issue 14).
  const { rows } = await db.query({
    name: 'list-applications-of',
    text: `SELECT a.id, a.number, i.name_zh, i.name_en, m.name AS inmate_name, a.relationship, a.service, a.visit_kinds, a.status,
            a.submitted_at, a.decided_at, a.rejection_reason, a.cancel_reason
       FROM service_application a JOIN institution i ON i.code = a.institution_code JOIN inmate m ON m.id = a.inmate_id
      WHERE a.applicant_id = $1 AND ($2::text IS NULL OR a.number = $2) ORDER BY a.submitted_at DESC, a.id DESC`,
    values: [applicantId, number ?? null],
  });
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    institutionName: locale === 'en' ? r.name_en : r.name_zh,
    maskedInmate: maskName(r.inmate_name),
    relationship: r.relationship,
    service: r.service,
    visitKinds: r.visit_kinds,
    status: r.status,
    submittedAt: r.submitted_at,
    decidedAt: r.decided_at,
    rejectionReason: reasonIn(r.rejection_reason, locale),
    cancelReason: r.status === 'cancelled' ? reasonIn(r.cancel_reason, locale) : null,
  }));
}

/** One application, only for its own applicant (anyone else gets null, as if it did not exist). */
export async function getOwnApplication(
  db: Db,
  applicantId: number,
  number: string,
  locale: Locale,
): Promise<ApplicationRow | null> {
  return (await listApplicationsOf(db, applicantId, locale, number))[0] ?? null;
}

export type PublicProgress = { number: string; status: ApplicationStatus; submittedAt: Date; decidedAt: Date | null };

/**
 * Seed 004's public progress lookup: with the application number and the applicant's birthday, anyone
 * sees the status and dates, nothing personal. A wrong number and a wrong birthday look the same.
 */
export async function publicProgress(db: Db, number: string, birthday: string): Promise<PublicProgress | null> {
  const n = number.normalize('NFKC').trim().toUpperCase();
  if (!/^\d{8}-[0-9A-Z]{6}$/.test(n)) return null;
  const { rows } = await db.query<{
    number: string;
    status: ApplicationStatus;
    submitted_at: Date;
    decided_at: Date | null;
  }>(
    `SELECT a.number, a.status, a.submitted_at, a.decided_at FROM service_application a JOIN applicant p ON p.id = a.applicant_id
      WHERE a.number = $1 AND p.birthday = $2::date`,
    [n, birthday],
  );
  const r = rows[0];
  return r ? { number: r.number, status: r.status, submittedAt: r.submitted_at, decidedAt: r.decided_at } : null;
}

/** Which services an applicant may use now: the menu offers new bookings and posts only with these. */
export type UsableServices = { contactBook: boolean; visits: boolean };

/** Approved, for an inmate without restrictions (PRODUCT.md, navigation); `p` is the applicant row. */
const USABLE_SERVICES = `SELECT coalesce(bool_or(a.service = 'contact_book'), false) AS contact_book,
              coalesce(bool_or(a.service IN ('visit', 'lawyer_visit')), false) AS visits
         FROM service_application a JOIN inmate m ON m.id = a.inmate_id
        WHERE a.applicant_id = p.id AND a.status IN ('approved', 'auto_approved') AND m.restriction IS NULL AND m.removed_on IS NULL`;

/** Which services the applicant may use now (approved, for an inmate without restrictions): the menu shows only those. */
export async function usableServicesOf(db: Db, applicantId: number): Promise<UsableServices> {
  const { rows } = await db.query<{ contact_book: boolean; visits: boolean }>(
    `SELECT u.contact_book, u.visits FROM (SELECT $1::bigint AS id) p CROSS JOIN LATERAL (${USABLE_SERVICES}) u`,
    [applicantId],
  );
  return { contactBook: rows[0]!.contact_book, visits: rows[0]!.visits };
}

/** The applicant `p` and the menu's services `u`, as toSignedIn reads them. */
const SIGNED_IN_COLUMNS = `${APPLICANT_COLUMNS.split(', ')
  .map((c) => `p.${c}`)
  .join(', ')}, u.contact_book, u.visits`;
type SignedInRow = ApplicantRow & { contact_book: boolean; visits: boolean };
export type SignedIn = { applicant: Applicant; usable: UsableServices };
const toSignedIn = (r: SignedInRow): SignedIn => ({
  applicant: toApplicant(r),
  usable: { contactBook: r.contact_book, visits: r.visits },
});

const SIGNED_IN_APPLICANT = `SELECT ${SIGNED_IN_COLUMNS}
   FROM applicant p CROSS JOIN LATERAL (${USABLE_SERVICES}) u
  WHERE p.id = $1 AND p.disabled_at IS NULL`;

const SESSION_WITH_APPLICANT = `SELECT s.sess, ${SIGNED_IN_COLUMNS}
   FROM session s
   LEFT JOIN applicant p ON p.id = CASE WHEN s.sess #>> '{passport,user,kind}' = 'applicant'
                                        THEN (s.sess #>> '{passport,user,id}')::bigint END
                        AND p.disabled_at IS NULL
   LEFT JOIN LATERAL (${USABLE_SERVICES}) u ON p.id IS NOT NULL
  WHERE s.sid = $1 AND s.expire >= to_timestamp($2)`;

/**
 * A portal session as its store reads it (connect-pg-simple's own condition: not expired at `nowSeconds`)
 * and, in the same statement, its signed-in applicant with the menu's services: a signed-in page then
 * needs one round trip for both (issue 14). `signedIn` is null for a visitor or a disabled account.
 */
export async function sessionWithApplicant(
  db: Db,
  sid: string,
  nowSeconds: number,
): Promise<{ sess: unknown; signedIn: SignedIn | null } | null> {
  // Named, as every page view sends it: PostgreSQL parses and plans it once per pooled connection.
  const { rows } = await db.query<SignedInRow & { sess: unknown }>({
    name: 'session-with-applicant',
    text: SESSION_WITH_APPLICANT,
    values: [sid, nowSeconds],
  });
  const r = rows[0];
  if (!r) return null;
  return { sess: r.sess, signedIn: r.id == null ? null : toSignedIn(r) };
}

/**
 * The signed-in applicant of a session (null when gone or disabled) with the services their menu offers:
 * one statement for what every signed-in page needs (issue 14: one round trip fewer per page view).
 */
export async function signedInApplicant(db: Db, applicantId: number): Promise<SignedIn | null> {
  const { rows } = await db.query<SignedInRow>(SIGNED_IN_APPLICANT, [applicantId]);
  return rows[0] ? toSignedIn(rows[0]) : null;
}
