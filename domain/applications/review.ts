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
import { decisionToken, ratingLink } from '../ratings/answers.ts';
import type { Db } from '../platform/db.ts';
import { type Decider, type DecisionOutcome, type StaffDecision, decideWithReason } from '../shared/decisions.ts';
import { isId } from '../shared/ids.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';
import type { Locale } from '../shared/locale.ts';
import { reasonIn } from '../shared/reasons.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { type QueueFilterBase, type QueuePageOf, queueConditions, readQueuePage } from '../shared/queues.ts';

/**
 * The staff's side of service applications (seed 002 服務項目管理): the review queue, the case page
 * and its documents. Every function takes the staff member (their role must allow 'review'; their
 * scope is their institution, or null for an agency administrator) and never returns anything outside it.
 */

/** Who reads: a staff member's role and scope. */
type Viewer = Pick<StaffActor, 'role' | 'institutionCode'>;

export const QUEUE_PAGE_SIZE = 20;

export type QueueFilter = QueueFilterBase & { status: ApplicationStatus | null; service: Service | null };

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

export type QueuePage = QueuePageOf<QueueRow>;

/** Pending first, oldest first: the order in which cases should be reviewed. */
export async function listReviewQueue(db: Db, who: Viewer, f: QueueFilter, locale: Locale): Promise<QueuePage> {
  assertMay(who, 'review');
  const c = queueConditions(who.institutionCode, f);
  if (f.service && SERVICES.includes(f.service)) c.add('q.service = ?', f.service);
  const { total, capped, page, pages, rows } = await readQueuePage(
    db,
    {
      select: `q.id, q.number, i.name_zh, i.name_en, m.name AS inmate_name, m.call_number, p.name AS applicant_name, q.relationship,
               q.service, q.status, q.submitted_at, q.decided_at`,
      from: `FROM service_application q JOIN inmate m ON m.id = q.inmate_id JOIN applicant p ON p.id = q.applicant_id
             JOIN institution i ON i.code = q.institution_code ${c.sql()}`,
      // Every application has its inmate, applicant and institution: only the call number filter needs a join to count.
      countFrom: `FROM service_application q ${f.callNumber ? 'JOIN inmate m ON m.id = q.inmate_id' : ''} ${c.sql()}`,
      order: `(q.status = 'pending') DESC, q.submitted_at ASC, q.id ASC`,
    },
    c.params,
    f.page,
    QUEUE_PAGE_SIZE,
  );
  return {
    total,
    capped,
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
  action: 'submitted' | 'resubmitted' | 'approved' | 'rejected' | 'auto_approved';
  staffName: string | null;
  reason: string | null;
  /** for 自動審核通過: the number of the approved application it rested on */
  basisNumber: string | null;
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
export async function getReviewCase(db: Db, who: Viewer, id: number, locale: Locale): Promise<ReviewCase | null> {
  assertMay(who, 'review');
  if (!isId(id)) return null;
  const { rows } = await db.query(
    `SELECT a.id, a.number, a.version, a.status, a.service, a.visit_kinds, a.relationship, a.submitted_at, a.decided_at, a.rejection_reason,
            a.institution_code, i.name_zh, i.name_en, m.name AS inmate_name, m.call_number,
            p.name AS applicant_name, p.national_id, to_char(p.birthday, 'YYYY-MM-DD') AS birthday, p.email, p.mobile, p.phone
       FROM service_application a JOIN inmate m ON m.id = a.inmate_id JOIN applicant p ON p.id = a.applicant_id
       JOIN institution i ON i.code = a.institution_code
      WHERE a.id = $1 AND ($2::char(4) IS NULL OR a.institution_code = $2)`,
    [id, who.institutionCode],
  );
  const r = rows[0];
  if (!r) return null;
  const docs = await db.query(
    `SELECT id, kind, file_name, media_type, uploaded_bytes, created_at, replaced_at FROM application_document
      WHERE application_id = $1 ORDER BY replaced_at IS NOT NULL, kind, id`,
    [id],
  );
  const events = await db.query(
    `SELECT e.action, s.name AS staff_name, e.reason, b.number AS basis_number, e.at
       FROM application_event e LEFT JOIN staff s ON s.id = e.staff_id LEFT JOIN service_application b ON b.id = e.basis_application_id
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
    history: events.rows.map((e) => ({
      action: e.action,
      staffName: e.staff_name,
      reason: reasonIn(e.reason, locale),
      basisNumber: e.basis_number,
      at: e.at,
    })),
  };
}

export type Decision = StaffDecision;
export type DecideOutcome = DecisionOutcome | 'reason_required';

const APPLICATIONS = {
  table: 'service_application',
  events: { table: 'application_event', key: 'application_id' },
  audit: 'application',
  reasonKeys: 'rejectReason',
  audited: 'number',
} as const;

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
  /** the portal's address (config PUBLIC_URL): the result mail then carries a rating link (即時評價) */
  publicUrl?: string,
): Promise<DecideOutcome> {
  assertMay(who, 'review');
  return decideWithReason(pool, APPLICATIONS, applicationId, seenVersion, d, who, now, async (tx) => {
    const token = publicUrl ? await decisionToken(tx, applicationId, now) : null;
    const ratingUrl = token ? ratingLink(publicUrl!, token) : undefined;
    await enqueueMail(tx, applicationDecisionMail(await applicationMailView(tx, applicationId), ratingUrl));
  });
}
