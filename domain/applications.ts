import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { type Db, isUniqueViolation, withTransaction } from './infra/db.ts';
import { taipeiToday } from './infra/clock.ts';
import type { MessageKey } from './infra/i18n.ts';
import { lookUpInmate, maskName } from './inmates.ts';
import { enqueueMail } from './notifications.ts';
import { applicationDecisionMail, applicationPendingMail } from './mails.ts';
import { MB, type StoredDocument } from './documents.ts';

export type Service = 'contact_book' | 'visit' | 'lawyer_visit';
export type VisitKind = 'onsite' | 'remote' | 'mobile';
export type ApplicationStatus = 'pending' | 'approved' | 'rejected' | 'auto_approved';
export type DocumentKind = 'identity' | 'relationship' | 'mandate' | 'photo';

export const SERVICES: readonly Service[] = ['contact_book', 'visit', 'lawyer_visit'];
export const VISIT_KINDS: readonly VisitKind[] = ['onsite', 'remote', 'mobile'];
// Seed 000 §一: spouse, lineal relatives, collateral within 3 degrees, in-laws within 2, household
// members; public bodies and care organisations as a special case.
export const FAMILY_RELATIONSHIPS = [
  'spouse', 'father', 'mother', 'child', 'sibling', 'grandparent', 'grandchild', 'in_law', 'collateral_relative',
  'household_member', 'agency_worker',
] as const;
export const LAWYER_RELATIONSHIPS = ['lawyer', 'defender', 'trainee_lawyer', 'litigation_agent', 'interpreter'] as const;
export type Relationship = (typeof FAMILY_RELATIONSHIPS)[number] | (typeof LAWYER_RELATIONSHIPS)[number];

/** Total size of the files of one application, as uploaded (seeds 001, 003 and 002). */
export const UPLOAD_LIMIT_MB: Record<Service, number> = { contact_book: 30, visit: 20, lawyer_visit: 30 };

export const REQUIRED_DOCUMENTS: Record<Service, DocumentKind[]> = {
  contact_book: ['identity', 'relationship'],
  visit: ['identity', 'relationship'],
  lawyer_visit: ['identity', 'mandate'],
};

export function relationshipsFor(service: Service): readonly Relationship[] {
  return service === 'lawyer_visit' ? LAWYER_RELATIONSHIPS : FAMILY_RELATIONSHIPS;
}

export type ApplicationInput = {
  applicantId: number;
  institutionCode: string;
  callNumber: string;
  service: Service;
  visitKinds: VisitKind[];
  relationship: string;
  documents: Partial<Record<DocumentKind, StoredDocument[]>>;
  submissionKey: string;
};

/** Form fields; each document kind has its own file field, e.g. identityFiles. */
export type ApplicationField = 'institution' | 'callNumber' | 'relationship' | 'visitKinds' | `${DocumentKind}Files` | 'files';
export type FieldProblem = { key: MessageKey; params?: Record<string, string | number> };
export type SubmitOutcome =
  | { kind: 'submitted'; applicationId: number; number: string }
  | { kind: 'errors'; errors: Partial<Record<ApplicationField, FieldProblem>> };

const NUMBER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** YYYYMMDD-XXXXXX: the Taipei date and six characters a person can read out without confusion. */
function newApplicationNumber(now: Date): string {
  const tail = Array.from({ length: 6 }, () => NUMBER_ALPHABET[randomInt(NUMBER_ALPHABET.length)]).join('');
  return `${taipeiToday(now).replace(/-/g, '')}-${tail}`;
}

async function checkInput(db: Db, input: ApplicationInput) {
  const errors: Partial<Record<ApplicationField, FieldProblem>> = {};
  let inmateId: number | undefined;
  if (!/^\d{4}$/.test(input.institutionCode)) errors.institution = { key: 'error.institution.required' };
  else {
    const found = await lookUpInmate(db, input.institutionCode, input.callNumber);
    if (found.kind === 'format') errors.callNumber = { key: 'error.callNumber.format' };
    else if (found.kind === 'unknown') errors.callNumber = { key: 'error.callNumber.unknown' };
    else if (found.kind === 'restricted') errors.callNumber = { key: `restriction.${found.restriction}` };
    else inmateId = found.inmateId;
  }
  if (!(relationshipsFor(input.service) as readonly string[]).includes(input.relationship)) {
    errors.relationship = { key: 'error.relationship.required' };
  }
  const kinds = [...new Set(input.visitKinds)].filter((k) => VISIT_KINDS.includes(k));
  if (input.service === 'visit' && kinds.length === 0) errors.visitKinds = { key: 'error.visitKinds.required' };
  if (input.service === 'visit' && kinds.includes('mobile')) {
    const { rows } = await db.query<{ mobile: string | null }>('SELECT mobile FROM applicant WHERE id = $1', [input.applicantId]);
    if (!rows[0]?.mobile) errors.visitKinds = { key: 'error.mobileVisit.noMobile' };
    if ((input.documents.photo ?? []).length === 0) errors.photoFiles = { key: 'error.documents.photo' };
  }
  for (const kind of REQUIRED_DOCUMENTS[input.service]) {
    if ((input.documents[kind] ?? []).length === 0) errors[`${kind}Files`] = { key: `error.documents.${kind}` };
  }
  const total = Object.values(input.documents).flat().reduce((sum, d) => sum + (d?.uploadedBytes ?? 0), 0);
  const limit = UPLOAD_LIMIT_MB[input.service];
  if (total > limit * MB) errors.files = { key: 'error.upload.tooLarge', params: { limit, total: (total / MB).toFixed(1) } };
  return { errors, inmateId, kinds: input.service === 'visit' ? kinds : [] };
}

/**
 * Records an application as 待審核 with its documents and the "pending" mail, all in one transaction.
 * The same submission key (a double click, or back and resubmit) returns the application already made.
 */
export async function submitApplication(pool: pg.Pool, input: ApplicationInput, now: Date): Promise<SubmitOutcome> {
  const previous = await findBySubmissionKey(pool, input.applicantId, input.submissionKey);
  if (previous) return { kind: 'submitted', ...previous };
  const { errors, inmateId, kinds } = await checkInput(pool, input);
  if (Object.keys(errors).length || !inmateId) return { kind: 'errors', errors };
  try {
    return await withTransaction(pool, async (tx) => {
      const number = newApplicationNumber(now);
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship, submission_key, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [number, input.applicantId, inmateId, input.institutionCode, input.service, kinds, input.relationship, input.submissionKey, now],
      );
      const applicationId = rows[0]!.id;
      for (const [kind, docs] of Object.entries(input.documents)) {
        for (const d of docs ?? []) {
          await tx.query(
            `INSERT INTO application_document (application_id, kind, file_name, media_type, uploaded_bytes, content, sha256, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [applicationId, kind, d.fileName, d.mediaType, d.uploadedBytes, d.content, d.sha256, now],
          );
        }
      }
      await tx.query(`INSERT INTO application_event (application_id, action, at) VALUES ($1, 'submitted', $2)`, [applicationId, now]);
      // The form's drafts have become the application's documents.
      await tx.query('DELETE FROM application_upload WHERE applicant_id = $1 AND submission_key = $2', [input.applicantId, input.submissionKey]);
      const view = await mailView(tx, applicationId);
      await enqueueMail(tx, applicationPendingMail(view));
      return { kind: 'submitted', applicationId, number } as const;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'service_application_submission_key_key')) {
      const made = await findBySubmissionKey(pool, input.applicantId, input.submissionKey);
      if (made) return { kind: 'submitted', ...made };
    }
    if (isUniqueViolation(err, 'one_contact_book_per_inmate')) return { kind: 'errors', errors: { callNumber: { key: 'error.application.contactBookTaken' } } };
    if (isUniqueViolation(err, 'one_pending_application_per_service')) return { kind: 'errors', errors: { callNumber: { key: 'error.application.alreadyPending' } } };
    throw err;
  }
}

async function findBySubmissionKey(db: Db, applicantId: number, key: string): Promise<{ applicationId: number; number: string } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(key)) return null;
  const { rows } = await db.query<{ id: number; number: string }>(
    'SELECT id, number FROM service_application WHERE submission_key = $1 AND applicant_id = $2', [key, applicantId],
  );
  return rows[0] ? { applicationId: rows[0].id, number: rows[0].number } : null;
}

/** What the mails about an application say, in the applicant's language. */
export type ApplicationMailView = {
  applicationId: number; applicantId: number; to: string; locale: 'zh-TW' | 'en'; number: string; institutionCode: string;
  institutionName: string; maskedInmate: string; relationship: Relationship; service: Service; visitKinds: VisitKind[];
  status: ApplicationStatus; rejectionReason: string | null;
};

async function mailView(db: Db, applicationId: number): Promise<ApplicationMailView> {
  const { rows } = await db.query(
    `SELECT a.id, a.applicant_id, p.email, p.locale, a.number, a.institution_code, i.name_zh, i.name_en, m.name AS inmate_name,
            a.relationship, a.service, a.visit_kinds, a.status, a.rejection_reason
       FROM service_application a JOIN applicant p ON p.id = a.applicant_id
       JOIN institution i ON i.code = a.institution_code JOIN inmate m ON m.id = a.inmate_id
      WHERE a.id = $1`, [applicationId],
  );
  const r = rows[0];
  return {
    applicationId: r.id, applicantId: r.applicant_id, to: r.email, locale: r.locale, number: r.number, institutionCode: r.institution_code,
    institutionName: r.locale === 'en' ? r.name_en : r.name_zh, maskedInmate: maskName(r.inmate_name), relationship: r.relationship,
    service: r.service, visitKinds: r.visit_kinds, status: r.status, rejectionReason: r.rejection_reason,
  };
}

export type Decision = { decision: 'approve' } | { decision: 'reject'; reason: string };
export type Reviewer = { staffId: number; institutionCode: string | null; ip: string | null };
export type DecideOutcome = 'decided' | 'already_decided' | 'not_found' | 'reason_required';

/**
 * A staff decision on a pending application. Only staff of the inmate's institution (or an agency
 * administrator, institutionCode null) may decide; the decision names the version the reviewer saw,
 * so when two decide at once the second is told, and nothing is overwritten. The history, the audit
 * log and the result mail are written in the same transaction.
 */
export async function decideApplication(pool: pg.Pool, applicationId: number, seenVersion: number, d: Decision, who: Reviewer, now: Date): Promise<DecideOutcome> {
  const reason = d.decision === 'reject' ? d.reason.trim() : null;
  if (d.decision === 'reject' && (!reason || reason.length > 1000)) return 'reason_required';
  return withTransaction(pool, async (tx) => {
    const visible = await tx.query<{ status: ApplicationStatus; version: number }>(
      `SELECT status, version FROM service_application WHERE id = $1 AND ($2::char(4) IS NULL OR institution_code = $2)`,
      [applicationId, who.institutionCode],
    );
    if (!visible.rows[0]) return 'not_found';
    const status = d.decision === 'approve' ? 'approved' : 'rejected';
    const updated = await tx.query(
      `UPDATE service_application SET status = $3, decided_at = $4, decided_by = $5, rejection_reason = $6, version = version + 1
        WHERE id = $1 AND version = $2 AND status = 'pending'`,
      [applicationId, seenVersion, status, now, who.staffId, reason],
    );
    if (updated.rowCount === 0) return 'already_decided';
    await tx.query('INSERT INTO application_event (application_id, action, staff_id, reason, at) VALUES ($1, $2, $3, $4, $5)', [applicationId, status, who.staffId, reason, now]);
    const view = await mailView(tx, applicationId);
    await tx.query(
      `INSERT INTO audit_log (staff_id, action, object_type, object_id, institution_code, ip, details, at)
       VALUES ($1, $2, 'service_application', $3, $4, $5, $6, $7)`,
      [who.staffId, `application.${status}`, applicationId, view.institutionCode, who.ip, JSON.stringify({ number: view.number, reason }), now],
    );
    await enqueueMail(tx, applicationDecisionMail(view));
    return 'decided';
  });
}

export type ApplicationRow = {
  id: number; number: string; institutionName: string; maskedInmate: string; relationship: Relationship; service: Service;
  visitKinds: VisitKind[]; status: ApplicationStatus; submittedAt: Date; decidedAt: Date | null; rejectionReason: string | null;
};

/** The applicant's own applications, newest first (服務項目狀態查詢). */
export async function listApplicationsOf(db: Db, applicantId: number, locale: 'zh-TW' | 'en', number?: string): Promise<ApplicationRow[]> {
  const { rows } = await db.query(
    `SELECT a.id, a.number, i.name_zh, i.name_en, m.name AS inmate_name, a.relationship, a.service, a.visit_kinds, a.status,
            a.submitted_at, a.decided_at, a.rejection_reason
       FROM service_application a JOIN institution i ON i.code = a.institution_code JOIN inmate m ON m.id = a.inmate_id
      WHERE a.applicant_id = $1 AND ($2::text IS NULL OR a.number = $2) ORDER BY a.submitted_at DESC, a.id DESC`, [applicantId, number ?? null],
  );
  return rows.map((r) => ({
    id: r.id, number: r.number, institutionName: locale === 'en' ? r.name_en : r.name_zh, maskedInmate: maskName(r.inmate_name),
    relationship: r.relationship, service: r.service, visitKinds: r.visit_kinds, status: r.status, submittedAt: r.submitted_at,
    decidedAt: r.decided_at, rejectionReason: r.rejection_reason,
  }));
}

// ---- files accepted while the form is being filled (drafts, keyed by the form's submission key) ----

export type UploadedFile = { id: number; kind: DocumentKind; fileName: string; mediaType: string; uploadedBytes: number };

export async function listUploads(db: Db, applicantId: number, submissionKey: string): Promise<UploadedFile[]> {
  const { rows } = await db.query(
    `SELECT id, kind, file_name, media_type, uploaded_bytes FROM application_upload
      WHERE applicant_id = $1 AND submission_key = $2 ORDER BY id`, [applicantId, submissionKey],
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, fileName: r.file_name, mediaType: r.media_type, uploadedBytes: r.uploaded_bytes }));
}

/** Keeps an accepted file unless it would take the form over its service's total. */
export async function addUpload(
  pool: pg.Pool, applicantId: number, submissionKey: string, service: Service, kind: DocumentKind, doc: StoredDocument, now: Date,
): Promise<FieldProblem | null> {
  return withTransaction(pool, async (tx) => {
    // One form at a time per applicant and key: concurrent uploads cannot both squeeze under the limit.
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [applicantId, submissionKey]);
    const { rows } = await tx.query<{ total: number }>(
      'SELECT coalesce(sum(uploaded_bytes), 0)::int AS total FROM application_upload WHERE applicant_id = $1 AND submission_key = $2',
      [applicantId, submissionKey],
    );
    const limit = UPLOAD_LIMIT_MB[service];
    const total = rows[0]!.total + doc.uploadedBytes;
    if (total > limit * MB) return { key: 'error.upload.tooLarge', params: { limit, total: (total / MB).toFixed(1) } };
    await tx.query(
      `INSERT INTO application_upload (applicant_id, submission_key, kind, file_name, media_type, uploaded_bytes, content, sha256, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [applicantId, submissionKey, kind, doc.fileName, doc.mediaType, doc.uploadedBytes, doc.content, doc.sha256, now],
    );
    return null;
  });
}

export async function removeUpload(db: Db, applicantId: number, submissionKey: string, uploadId: number): Promise<void> {
  await db.query('DELETE FROM application_upload WHERE id = $1 AND applicant_id = $2 AND submission_key = $3', [uploadId, applicantId, submissionKey]);
}

/** The accepted files of a form, with their content, grouped by kind, ready for submitApplication. */
export async function uploadedDocuments(db: Db, applicantId: number, submissionKey: string): Promise<Partial<Record<DocumentKind, StoredDocument[]>>> {
  const { rows } = await db.query(
    `SELECT kind, file_name, media_type, uploaded_bytes, content, sha256 FROM application_upload
      WHERE applicant_id = $1 AND submission_key = $2 ORDER BY id`, [applicantId, submissionKey],
  );
  const out: Partial<Record<DocumentKind, StoredDocument[]>> = {};
  for (const r of rows) {
    (out[r.kind as DocumentKind] ??= []).push({ fileName: r.file_name, mediaType: r.media_type, uploadedBytes: r.uploaded_bytes, content: r.content, sha256: r.sha256 });
  }
  return out;
}

/** One application, only for its own applicant (anyone else gets null, as if it did not exist). */
export async function getOwnApplication(db: Db, applicantId: number, number: string, locale: 'zh-TW' | 'en'): Promise<ApplicationRow | null> {
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
  const { rows } = await db.query<{ number: string; status: ApplicationStatus; submitted_at: Date; decided_at: Date | null }>(
    `SELECT a.number, a.status, a.submitted_at, a.decided_at FROM service_application a JOIN applicant p ON p.id = a.applicant_id
      WHERE a.number = $1 AND p.birthday = $2::date`, [n, birthday],
  );
  const r = rows[0];
  return r ? { number: r.number, status: r.status, submittedAt: r.submitted_at, decidedAt: r.decided_at } : null;
}
