import type pg from 'pg';
import { applicationMailView } from './status.ts';
import {
  type ApplicationStatus,
  type DocumentKind,
  type Relationship,
  SERVICES,
  type Service,
  type VisitKind,
} from './vocabulary.ts';
import { applicationDecisionMail } from '../mails.ts';
import { type Db, conditions, pageOf } from '../platform/db.ts';
import {
  type DecidedTable,
  type Decider,
  type DecisionOutcome,
  type StaffDecision,
  type Verdict,
  decideWithVersion,
  givenReason,
  reasonInWords,
} from '../shared/decisions.ts';
import { isId } from '../shared/ids.ts';
import type { Locale } from '../shared/locale.ts';
import { enqueueMail } from '../shared/outbox.ts';

/**
 * The staff's side of service applications (seed 002 服務項目管理): the review queue, the case page
 * and its documents. Every query takes the staff member's scope (their institution, or null for an
 * agency administrator) and never returns anything outside it.
 */

export const QUEUE_PAGE_SIZE = 20;

export type QueueFilter = {
  institutionCode: string | null;
  callNumber: string | null;
  status: ApplicationStatus | null;
  service: Service | null;
  /** application date range, inclusive, as Asia/Taipei dates (YYYY-MM-DD) */
  from: string | null;
  to: string | null;
  page: number;
};

export type QueueRow = {
  id: number;
  number: string;
  institutionName: string;
  inmateName: string;
  callNumber: string;
  applicantName: string;
  relationship: Relationship;
  service: Service;
  status: ApplicationStatus;
  submittedAt: Date;
  decidedAt: Date | null;
};

export type QueuePage = { rows: QueueRow[]; total: number; page: number; pages: number };

/** Pending first, oldest first: the order in which cases should be reviewed. */
export async function listReviewQueue(
  db: Db,
  scope: string | null,
  f: QueueFilter,
  locale: Locale,
): Promise<QueuePage> {
  const c = conditions();
  if (scope) c.add('a.institution_code = ?', scope);
  if (f.institutionCode) c.add('a.institution_code = ?', f.institutionCode);
  if (f.callNumber) c.add('m.call_number = ?', f.callNumber);
  if (f.status) c.add('a.status = ?', f.status);
  if (f.service && SERVICES.includes(f.service)) c.add('a.service = ?', f.service);
  if (f.from) c.add(`a.submitted_at >= (?::date)::timestamp AT TIME ZONE 'Asia/Taipei'`, f.from);
  if (f.to) c.add(`a.submitted_at < ((?::date) + 1)::timestamp AT TIME ZONE 'Asia/Taipei'`, f.to);
  const from = `FROM service_application a JOIN inmate m ON m.id = a.inmate_id JOIN applicant p ON p.id = a.applicant_id
                JOIN institution i ON i.code = a.institution_code ${c.sql()}`;
  const count = await db.query<{ n: string }>(`SELECT count(*) AS n ${from}`, c.params);
  const total = Number(count.rows[0]!.n);
  const { page, pages, limitSql } = pageOf(total, f.page, QUEUE_PAGE_SIZE);
  const { rows } = await db.query(
    `SELECT a.id, a.number, i.name_zh, i.name_en, m.name AS inmate_name, m.call_number, p.name AS applicant_name, a.relationship,
            a.service, a.status, a.submitted_at, a.decided_at
       ${from}
      ORDER BY (a.status = 'pending') DESC, a.submitted_at ASC, a.id ASC ${limitSql}`,
    c.params,
  );
  return {
    total,
    page,
    pages,
    rows: rows.map((r) => ({
      id: Number(r.id),
      number: r.number,
      institutionName: locale === 'en' ? r.name_en : r.name_zh,
      inmateName: r.inmate_name,
      callNumber: r.call_number,
      applicantName: r.applicant_name,
      relationship: r.relationship,
      service: r.service,
      status: r.status,
      submittedAt: r.submitted_at,
      decidedAt: r.decided_at,
    })),
  };
}

export type CaseDocument = {
  id: number;
  kind: DocumentKind;
  fileName: string;
  mediaType: string;
  uploadedBytes: number;
  createdAt: Date;
  replacedAt: Date | null;
};
export type CaseEvent = {
  action: 'submitted' | 'resubmitted' | 'approved' | 'rejected';
  staffName: string | null;
  reason: string | null;
  at: Date;
};

export type ReviewCase = {
  id: number;
  number: string;
  version: number;
  status: ApplicationStatus;
  service: Service;
  visitKinds: VisitKind[];
  relationship: Relationship;
  submittedAt: Date;
  decidedAt: Date | null;
  rejectionReason: string | null;
  institutionCode: string;
  institutionName: string;
  inmate: { name: string; callNumber: string };
  applicant: {
    name: string;
    nationalId: string;
    birthday: string;
    email: string;
    mobile: string | null;
    phone: string | null;
  };
  documents: CaseDocument[];
  history: CaseEvent[];
};

/** One case with its documents and history, or null when it does not exist or is outside the scope. */
export async function getReviewCase(
  db: Db,
  scope: string | null,
  id: number,
  locale: Locale,
): Promise<ReviewCase | null> {
  if (!isId(id)) return null;
  const { rows } = await db.query(
    `SELECT a.id, a.number, a.version, a.status, a.service, a.visit_kinds, a.relationship, a.submitted_at, a.decided_at, a.rejection_reason,
            a.institution_code, i.name_zh, i.name_en, m.name AS inmate_name, m.call_number,
            p.name AS applicant_name, p.national_id, to_char(p.birthday, 'YYYY-MM-DD') AS birthday, p.email, p.mobile, p.phone
       FROM service_application a JOIN inmate m ON m.id = a.inmate_id JOIN applicant p ON p.id = a.applicant_id
       JOIN institution i ON i.code = a.institution_code
      WHERE a.id = $1 AND ($2::char(4) IS NULL OR a.institution_code = $2)`,
    [id, scope],
  );
  const r = rows[0];
  if (!r) return null;
  const docs = await db.query(
    `SELECT id, kind, file_name, media_type, uploaded_bytes, created_at, replaced_at FROM application_document
      WHERE application_id = $1 ORDER BY replaced_at IS NOT NULL, kind, id`,
    [id],
  );
  const events = await db.query(
    `SELECT e.action, s.name AS staff_name, e.reason, e.at FROM application_event e LEFT JOIN staff s ON s.id = e.staff_id
      WHERE e.application_id = $1 ORDER BY e.at, e.id`,
    [id],
  );
  return {
    id: Number(r.id),
    number: r.number,
    version: r.version,
    status: r.status,
    service: r.service,
    visitKinds: r.visit_kinds,
    relationship: r.relationship,
    submittedAt: r.submitted_at,
    decidedAt: r.decided_at,
    rejectionReason: r.rejection_reason,
    institutionCode: r.institution_code,
    institutionName: locale === 'en' ? r.name_en : r.name_zh,
    inmate: { name: r.inmate_name, callNumber: r.call_number },
    applicant: {
      name: r.applicant_name,
      nationalId: r.national_id,
      birthday: r.birthday,
      email: r.email,
      mobile: r.mobile,
      phone: r.phone,
    },
    documents: docs.rows.map((d) => ({
      id: Number(d.id),
      kind: d.kind,
      fileName: d.file_name,
      mediaType: d.media_type,
      uploadedBytes: d.uploaded_bytes,
      createdAt: d.created_at,
      replacedAt: d.replaced_at,
    })),
    history: events.rows.map((e) => ({ action: e.action, staffName: e.staff_name, reason: e.reason, at: e.at })),
  };
}

export type Decision = StaffDecision;
export type DecideOutcome = DecisionOutcome | 'reason_required';

const APPLICATIONS: DecidedTable = {
  table: 'service_application',
  events: { table: 'application_event', key: 'application_id' },
  audit: 'application',
};

/**
 * A staff decision on a pending application. Only staff of the inmate's institution (or an agency
 * administrator, institutionCode null) may decide; the decision names the version the reviewer saw,
 * so when two decide at once the second is told, and nothing is overwritten. The history, the audit
 * log and the result mail are written in the same transaction. A common reason (reasonCode) is
 * written in the applicant's language, followed by the reviewer's own words as written.
 */
export async function decideApplication(
  pool: pg.Pool,
  applicationId: number,
  seenVersion: number,
  d: Decision,
  who: Decider,
  now: Date,
): Promise<DecideOutcome> {
  const given = givenReason(d);
  if (!given) return 'reason_required';
  return decideWithVersion<never>(pool, APPLICATIONS, applicationId, seenVersion, who, now, {
    verdict: async (tx): Promise<Verdict> => {
      const { rows } = await tx.query<{ number: string; locale: Locale }>(
        'SELECT a.number, p.locale FROM service_application a JOIN applicant p ON p.id = a.applicant_id WHERE a.id = $1',
        [applicationId],
      );
      const reason = d.decision === 'approve' ? null : reasonInWords(rows[0]!.locale, 'rejectReason', given);
      return {
        status: d.decision === 'approve' ? 'approved' : 'rejected',
        reason,
        details: { number: rows[0]!.number, reason },
      };
    },
    then: async (tx) => {
      await enqueueMail(tx, applicationDecisionMail(await applicationMailView(tx, applicationId)));
    },
  });
}
