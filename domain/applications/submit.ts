import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { type Db, isUniqueViolation, withTransaction } from '../platform/db.ts';
import { taipeiToday } from '../shared/dates.ts';
import { translator, type MessageKey } from '../i18n/i18n.ts';
import { lookUpInmate } from '../inmates.ts';
import { maskName } from '../shared/masking.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { recordStaffAction } from '../staff.ts';
import { applicationDecisionMail, applicationPendingMail } from '../mails.ts';
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
  'spouse',
  'father',
  'mother',
  'child',
  'sibling',
  'grandparent',
  'grandchild',
  'in_law',
  'collateral_relative',
  'household_member',
  'agency_worker',
] as const;
export const LAWYER_RELATIONSHIPS = [
  'lawyer',
  'defender',
  'trainee_lawyer',
  'litigation_agent',
  'interpreter',
] as const;
export type Relationship = (typeof FAMILY_RELATIONSHIPS)[number] | (typeof LAWYER_RELATIONSHIPS)[number];

/** Total size of the files of one application, as uploaded (seeds 001, 003 and 002). */
export const UPLOAD_LIMIT_MB: Record<Service, number> = { contact_book: 30, visit: 20, lawyer_visit: 30 };

export const REQUIRED_DOCUMENTS: Record<Service, DocumentKind[]> = {
  contact_book: ['identity', 'relationship'],
  visit: ['identity', 'relationship'],
  lawyer_visit: ['identity', 'mandate'],
};

/** The document kinds a form asks for: the required ones, and for visits the photo (needed for mobile visits). */
export function documentKindsFor(service: Service): DocumentKind[] {
  return service === 'visit' ? [...REQUIRED_DOCUMENTS.visit, 'photo'] : REQUIRED_DOCUMENTS[service];
}

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
  /** The form's one-time key: its accepted files (drafts) become the application's documents. */
  submissionKey: string;
};

/** Form fields; each document kind has its own file field, e.g. identityFiles. */
export type ApplicationField =
  'form' | 'institution' | 'callNumber' | 'relationship' | 'visitKinds' | `${DocumentKind}Files` | 'files';
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

async function checkInput(db: Db, input: ApplicationInput, documents: Partial<Record<DocumentKind, StoredDocument[]>>) {
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
    const { rows } = await db.query<{ mobile: string | null }>('SELECT mobile FROM applicant WHERE id = $1', [
      input.applicantId,
    ]);
    if (!rows[0]?.mobile) errors.visitKinds = { key: 'error.mobileVisit.noMobile' };
    if ((documents.photo ?? []).length === 0) errors.photoFiles = { key: 'error.documents.photo' };
  }
  for (const kind of REQUIRED_DOCUMENTS[input.service]) {
    if ((documents[kind] ?? []).length === 0) errors[`${kind}Files`] = { key: `error.documents.${kind}` };
  }
  const total = Object.values(documents)
    .flat()
    .reduce((sum, d) => sum + (d?.uploadedBytes ?? 0), 0);
  const limit = UPLOAD_LIMIT_MB[input.service];
  if (total > limit * MB)
    errors.files = { key: 'error.upload.tooLarge', params: { limit, total: (total / MB).toFixed(1) } };
  return { errors, inmateId, kinds: input.service === 'visit' ? kinds : [] };
}

/**
 * Records an application as 待審核 with its documents and the "pending" mail, all in one transaction.
 * The form's drafts are read and consumed under the same lock that guards adding them, so a file
 * added from another tab is either in the application or still a draft, never lost.
 * The same submission key (a double click, or back and resubmit) returns the application already
 * made; the same key with other answers (back, changed the form, sent again) is refused.
 */
export async function submitApplication(pool: pg.Pool, input: ApplicationInput, now: Date): Promise<SubmitOutcome> {
  try {
    return await withTransaction(pool, async (tx) => {
      await lockForm(tx, input.applicantId);
      const previous = await findBySubmissionKey(tx, input.applicantId, input.submissionKey);
      if (previous) {
        const same =
          previous.service === input.service &&
          previous.institutionCode === input.institutionCode &&
          previous.callNumber === input.callNumber.trim();
        // Files sent again with the repeated form are not kept as drafts nobody will send.
        if (same) await discardDrafts(tx, input.applicantId, input.submissionKey);
        return same
          ? ({ kind: 'submitted', applicationId: previous.applicationId, number: previous.number } as const)
          : ({ kind: 'errors', errors: { form: { key: 'error.application.formUsed' } } } as const);
      }
      const documents = await uploadedDocuments(tx, input.applicantId, input.submissionKey);
      const { errors, inmateId, kinds } = await checkInput(tx, input, documents);
      if (Object.keys(errors).length || !inmateId) return { kind: 'errors', errors } as const;
      const number = newApplicationNumber(now);
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship, submission_key, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          number,
          input.applicantId,
          inmateId,
          input.institutionCode,
          input.service,
          kinds,
          input.relationship,
          input.submissionKey,
          now,
        ],
      );
      const applicationId = rows[0]!.id;
      await draftsBecomeDocuments(tx, applicationId, input.applicantId, input.submissionKey, now);
      await tx.query(`INSERT INTO application_event (application_id, action, at) VALUES ($1, 'submitted', $2)`, [
        applicationId,
        now,
      ]);
      const view = await mailView(tx, applicationId);
      await enqueueMail(tx, applicationPendingMail(view));
      return { kind: 'submitted', applicationId, number } as const;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'one_contact_book_per_inmate'))
      return { kind: 'errors', errors: { callNumber: { key: 'error.application.contactBookTaken' } } };
    if (isUniqueViolation(err, 'one_pending_application_per_service'))
      return { kind: 'errors', errors: { callNumber: { key: 'error.application.alreadyPending' } } };
    throw err;
  }
}

export type ResubmitInput = {
  applicantId: number;
  number: string;
  /** the version the applicant saw when the form was shown */
  seenVersion: number;
  relationship: string;
  visitKinds: VisitKind[];
  /** documents of the rejected application to keep; the others are marked replaced (kept for the history) */
  keepDocumentIds: number[];
  /** the correction form's key: its accepted files (drafts) are added as new documents */
  submissionKey: string;
};
export type ResubmitOutcome = SubmitOutcome | { kind: 'not_found' } | { kind: 'not_rejected'; number: string };

/**
 * 修改並重新送出: the applicant corrects a rejected application; the same application goes back to
 * 待審核 with a new version. Documents not kept are marked replaced, never deleted, and the history
 * keeps every decision. Sending the same correction twice resubmits once.
 */
export async function resubmitApplication(pool: pg.Pool, input: ResubmitInput, now: Date): Promise<ResubmitOutcome> {
  try {
    return await withTransaction(pool, async (tx): Promise<ResubmitOutcome> => {
      await lockForm(tx, input.applicantId);
      const found = await tx.query<{
        id: string;
        status: ApplicationStatus;
        version: number;
        institution_code: string;
        call_number: string;
        service: Service;
      }>(
        `SELECT a.id, a.status, a.version, a.institution_code, m.call_number, a.service FROM service_application a JOIN inmate m ON m.id = a.inmate_id
          WHERE a.number = $1 AND a.applicant_id = $2 FOR UPDATE OF a`,
        [input.number, input.applicantId],
      );
      const app = found.rows[0];
      if (!app) return { kind: 'not_found' };
      const applicationId = Number(app.id);
      // The same correction sent twice (double click, back and resend): the first one already did it.
      if (app.status === 'pending' && app.version === input.seenVersion + 1) {
        await discardDrafts(tx, input.applicantId, input.submissionKey);
        return { kind: 'submitted', applicationId, number: input.number };
      }
      if (app.status !== 'rejected') return { kind: 'not_rejected', number: input.number };
      if (app.version !== input.seenVersion)
        return { kind: 'errors', errors: { form: { key: 'error.application.changed' } } };

      const current = await tx.query<{ id: string; kind: DocumentKind; uploaded_bytes: number }>(
        'SELECT id, kind, uploaded_bytes FROM application_document WHERE application_id = $1 AND replaced_at IS NULL',
        [applicationId],
      );
      const kept = current.rows.filter((d) => input.keepDocumentIds.includes(Number(d.id)));
      const documents = await uploadedDocuments(tx, input.applicantId, input.submissionKey);
      for (const d of kept) {
        (documents[d.kind] ??= []).push({
          fileName: '',
          mediaType: 'application/pdf',
          uploadedBytes: d.uploaded_bytes,
          content: Buffer.alloc(0),
          sha256: Buffer.alloc(0),
        });
      }
      const { errors, kinds } = await checkInput(
        tx,
        {
          applicantId: input.applicantId,
          institutionCode: app.institution_code,
          callNumber: app.call_number,
          service: app.service,
          visitKinds: input.visitKinds,
          relationship: input.relationship,
          submissionKey: input.submissionKey,
        },
        documents,
      );
      // The inmate cannot be changed on this form: a problem with them (say, a visiting ban since) is the form's.
      const inmateProblem = errors.institution ?? errors.callNumber;
      if (inmateProblem) {
        delete errors.institution;
        delete errors.callNumber;
        errors.form = inmateProblem;
      }
      if (Object.keys(errors).length) return { kind: 'errors', errors };

      await tx.query(
        'UPDATE application_document SET replaced_at = $3 WHERE application_id = $1 AND replaced_at IS NULL AND NOT (id = ANY($2::bigint[]))',
        [applicationId, kept.map((d) => d.id), now],
      );
      await draftsBecomeDocuments(tx, applicationId, input.applicantId, input.submissionKey, now);
      await tx.query(
        `UPDATE service_application SET status = 'pending', decided_at = NULL, decided_by = NULL, rejection_reason = NULL,
                relationship = $2, visit_kinds = $3, version = version + 1 WHERE id = $1`,
        [applicationId, input.relationship, kinds],
      );
      await tx.query(`INSERT INTO application_event (application_id, action, at) VALUES ($1, 'resubmitted', $2)`, [
        applicationId,
        now,
      ]);
      await enqueueMail(tx, applicationPendingMail(await mailView(tx, applicationId)));
      return { kind: 'submitted', applicationId, number: input.number };
    });
  } catch (err) {
    if (isUniqueViolation(err, 'one_contact_book_per_inmate'))
      return { kind: 'errors', errors: { form: { key: 'error.application.contactBookTaken' } } };
    if (isUniqueViolation(err, 'one_pending_application_per_service'))
      return { kind: 'errors', errors: { form: { key: 'error.application.alreadyPending' } } };
    throw err;
  }
}

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
  locale: 'zh-TW' | 'en',
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
    rejectionReason: r.rejection_reason,
    documents: docs.rows.map((d) => ({
      id: Number(d.id),
      kind: d.kind,
      fileName: d.file_name,
      uploadedBytes: d.uploaded_bytes,
    })),
  };
}

/** The documents an applicant sees on their own application (links open them). */
export async function listOwnDocuments(
  db: Db,
  applicantId: number,
  number: string,
): Promise<{ id: number; applicationId: number; kind: DocumentKind; fileName: string; uploadedBytes: number }[]> {
  const { rows } = await db.query(
    `SELECT d.id, d.application_id, d.kind, d.file_name, d.uploaded_bytes FROM application_document d JOIN service_application a ON a.id = d.application_id
      WHERE a.number = $1 AND a.applicant_id = $2 AND d.replaced_at IS NULL ORDER BY d.kind, d.id`,
    [number, applicantId],
  );
  return rows.map((d) => ({
    id: Number(d.id),
    applicationId: Number(d.application_id),
    kind: d.kind,
    fileName: d.file_name,
    uploadedBytes: d.uploaded_bytes,
  }));
}

/** A form's drafts become the application's documents (in the caller's transaction). */
async function draftsBecomeDocuments(
  tx: Db,
  applicationId: number,
  applicantId: number,
  submissionKey: string,
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO application_document (application_id, kind, file_name, media_type, uploaded_bytes, content, sha256, created_at)
     SELECT $1, kind, file_name, media_type, uploaded_bytes, content, sha256, $4 FROM application_upload
      WHERE applicant_id = $2 AND submission_key = $3 ORDER BY id`,
    [applicationId, applicantId, submissionKey, now],
  );
  await discardDrafts(tx, applicantId, submissionKey);
}

async function discardDrafts(tx: Db, applicantId: number, submissionKey: string): Promise<void> {
  await tx.query('DELETE FROM application_upload WHERE applicant_id = $1 AND submission_key = $2', [
    applicantId,
    submissionKey,
  ]);
}

/** One form action at a time per applicant: uploads and submissions cannot interleave. */
async function lockForm(tx: Db, applicantId: number): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [FORM_LOCK, applicantId]);
}
const FORM_LOCK = 2477;

async function findBySubmissionKey(db: Db, applicantId: number, key: string) {
  if (!/^[0-9a-f-]{36}$/i.test(key)) return null;
  const { rows } = await db.query<{
    id: number;
    number: string;
    service: Service;
    institution_code: string;
    call_number: string;
  }>(
    `SELECT a.id, a.number, a.service, a.institution_code, m.call_number FROM service_application a JOIN inmate m ON m.id = a.inmate_id
      WHERE a.submission_key = $1 AND a.applicant_id = $2`,
    [key, applicantId],
  );
  const r = rows[0];
  return r
    ? {
        applicationId: r.id,
        number: r.number,
        service: r.service,
        institutionCode: r.institution_code,
        callNumber: r.call_number,
      }
    : null;
}

/** What the mails about an application say, in the applicant's language. */
export type ApplicationMailView = {
  applicationId: number;
  applicantId: number;
  to: string;
  locale: 'zh-TW' | 'en';
  number: string;
  institutionCode: string;
  institutionName: string;
  maskedInmate: string;
  relationship: Relationship;
  service: Service;
  visitKinds: VisitKind[];
  status: ApplicationStatus;
  rejectionReason: string | null;
};

async function mailView(db: Db, applicationId: number): Promise<ApplicationMailView> {
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
    rejectionReason: r.rejection_reason,
  };
}

export type Decision = { decision: 'approve' } | { decision: 'reject'; reason: string; reasonCode?: string | null };
export type Reviewer = { staffId: number; institutionCode: string | null; ip: string | null };
export type DecideOutcome = 'decided' | 'already_decided' | 'not_found' | 'reason_required';

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
  who: Reviewer,
  now: Date,
): Promise<DecideOutcome> {
  const ownWords = d.decision === 'reject' ? d.reason.trim() : '';
  const code = d.decision === 'reject' ? (d.reasonCode ?? null) : null;
  if (d.decision === 'reject' && ((!ownWords && !code) || ownWords.length > 900)) return 'reason_required';
  return withTransaction(pool, async (tx) => {
    const visible = await tx.query<{ status: ApplicationStatus; version: number; locale: 'zh-TW' | 'en' }>(
      `SELECT a.status, a.version, p.locale FROM service_application a JOIN applicant p ON p.id = a.applicant_id
        WHERE a.id = $1 AND ($2::char(4) IS NULL OR a.institution_code = $2)`,
      [applicationId, who.institutionCode],
    );
    if (!visible.rows[0]) return 'not_found';
    const status = d.decision === 'approve' ? 'approved' : 'rejected';
    const t = translator(visible.rows[0].locale);
    const reason =
      d.decision === 'approve'
        ? null
        : [code ? t(`rejectReason.${code}` as MessageKey) : '', ownWords].filter(Boolean).join('\n');
    const updated = await tx.query(
      `UPDATE service_application SET status = $3, decided_at = $4, decided_by = $5, rejection_reason = $6, version = version + 1
        WHERE id = $1 AND version = $2 AND status = 'pending'`,
      [applicationId, seenVersion, status, now, who.staffId, reason],
    );
    if (updated.rowCount === 0) return 'already_decided';
    await tx.query(
      'INSERT INTO application_event (application_id, action, staff_id, reason, at) VALUES ($1, $2, $3, $4, $5)',
      [applicationId, status, who.staffId, reason, now],
    );
    const view = await mailView(tx, applicationId);
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: `application.${status}`,
      objectType: 'service_application',
      objectId: applicationId,
      institutionCode: view.institutionCode,
      ip: who.ip,
      details: { number: view.number, reason },
      at: now,
    });
    await enqueueMail(tx, applicationDecisionMail(view));
    return 'decided';
  });
}

export type ApplicationRow = {
  id: number;
  number: string;
  institutionName: string;
  maskedInmate: string;
  relationship: Relationship;
  service: Service;
  visitKinds: VisitKind[];
  status: ApplicationStatus;
  submittedAt: Date;
  decidedAt: Date | null;
  rejectionReason: string | null;
};

/** The applicant's own applications, newest first (服務項目狀態查詢). */
export async function listApplicationsOf(
  db: Db,
  applicantId: number,
  locale: 'zh-TW' | 'en',
  number?: string,
): Promise<ApplicationRow[]> {
  const { rows } = await db.query(
    `SELECT a.id, a.number, i.name_zh, i.name_en, m.name AS inmate_name, a.relationship, a.service, a.visit_kinds, a.status,
            a.submitted_at, a.decided_at, a.rejection_reason
       FROM service_application a JOIN institution i ON i.code = a.institution_code JOIN inmate m ON m.id = a.inmate_id
      WHERE a.applicant_id = $1 AND ($2::text IS NULL OR a.number = $2) ORDER BY a.submitted_at DESC, a.id DESC`,
    [applicantId, number ?? null],
  );
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
    rejectionReason: r.rejection_reason,
  }));
}

// ---- files accepted while the form is being filled (drafts, keyed by the form's submission key) ----

export type UploadedFile = {
  id: number;
  kind: DocumentKind;
  fileName: string;
  mediaType: string;
  uploadedBytes: number;
};

export async function listUploads(db: Db, applicantId: number, submissionKey: string): Promise<UploadedFile[]> {
  const { rows } = await db.query(
    `SELECT id, kind, file_name, media_type, uploaded_bytes FROM application_upload
      WHERE applicant_id = $1 AND submission_key = $2 ORDER BY id`,
    [applicantId, submissionKey],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    fileName: r.file_name,
    mediaType: r.media_type,
    uploadedBytes: r.uploaded_bytes,
  }));
}

/** Keeps an accepted file unless it would take the form over its service's total. */
export async function addUpload(
  pool: pg.Pool,
  applicantId: number,
  submissionKey: string,
  service: Service,
  kind: DocumentKind,
  doc: StoredDocument,
  now: Date,
  /** bytes of documents already in the application and kept (a correction) */
  keptBytes = 0,
): Promise<FieldProblem | null> {
  return withTransaction(pool, async (tx): Promise<FieldProblem | null> => {
    // Concurrent uploads cannot both squeeze under a limit.
    await lockForm(tx, applicantId);
    const { rows } = await tx.query<{ form: number; all: number }>(
      `SELECT coalesce(sum(uploaded_bytes) FILTER (WHERE submission_key = $2), 0)::int AS form, coalesce(sum(uploaded_bytes), 0)::bigint::float8 AS all
         FROM application_upload WHERE applicant_id = $1`,
      [applicantId, submissionKey],
    );
    const limit = UPLOAD_LIMIT_MB[service];
    const total = rows[0]!.form + keptBytes + doc.uploadedBytes;
    if (total > limit * MB) return { key: 'error.upload.tooLarge', params: { limit, total: (total / MB).toFixed(1) } };
    // Across all of one applicant's unfinished forms, so new keys do not buy new space.
    if (rows[0]!.all + doc.uploadedBytes > DRAFT_QUOTA_MB * MB)
      return { key: 'error.upload.quota', params: { limit: DRAFT_QUOTA_MB } };
    await tx.query(
      `INSERT INTO application_upload (applicant_id, submission_key, kind, file_name, media_type, uploaded_bytes, content, sha256, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (applicant_id, submission_key, kind, sha256) DO NOTHING`,
      [applicantId, submissionKey, kind, doc.fileName, doc.mediaType, doc.uploadedBytes, doc.content, doc.sha256, now],
    );
    return null;
  });
}

/** What one applicant may keep in unfinished forms at once; drafts older than a day are purged. */
export const DRAFT_QUOTA_MB = 60;
export const DRAFT_LIFETIME_HOURS = 24;

export async function purgeOldUploads(db: Db, now: Date): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM application_upload WHERE created_at < $1`, [
    new Date(now.getTime() - DRAFT_LIFETIME_HOURS * 3600_000),
  ]);
  return rowCount ?? 0;
}

export async function removeUpload(
  db: Db,
  applicantId: number,
  submissionKey: string,
  uploadId: number,
): Promise<void> {
  await db.query('DELETE FROM application_upload WHERE id = $1 AND applicant_id = $2 AND submission_key = $3', [
    uploadId,
    applicantId,
    submissionKey,
  ]);
}

/** The accepted files of a form, with their content, grouped by kind, ready for submitApplication. */
export async function uploadedDocuments(
  db: Db,
  applicantId: number,
  submissionKey: string,
): Promise<Partial<Record<DocumentKind, StoredDocument[]>>> {
  const { rows } = await db.query(
    `SELECT kind, file_name, media_type, uploaded_bytes, content, sha256 FROM application_upload
      WHERE applicant_id = $1 AND submission_key = $2 ORDER BY id`,
    [applicantId, submissionKey],
  );
  const out: Partial<Record<DocumentKind, StoredDocument[]>> = {};
  for (const r of rows) {
    (out[r.kind as DocumentKind] ??= []).push({
      fileName: r.file_name,
      mediaType: r.media_type,
      uploadedBytes: r.uploaded_bytes,
      content: r.content,
      sha256: r.sha256,
    });
  }
  return out;
}

/** One application, only for its own applicant (anyone else gets null, as if it did not exist). */
export async function getOwnApplication(
  db: Db,
  applicantId: number,
  number: string,
  locale: 'zh-TW' | 'en',
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

/** Which services the applicant may use now (approved, for an inmate without restrictions): the menu shows only those. */
export async function usableServicesOf(
  db: Db,
  applicantId: number,
): Promise<{ contactBook: boolean; visits: boolean }> {
  const { rows } = await db.query<{ contact_book: boolean; visits: boolean }>(
    `SELECT coalesce(bool_or(a.service = 'contact_book'), false) AS contact_book, coalesce(bool_or(a.service IN ('visit', 'lawyer_visit')), false) AS visits
       FROM service_application a JOIN inmate m ON m.id = a.inmate_id
      WHERE a.applicant_id = $1 AND a.status IN ('approved', 'auto_approved') AND m.restriction IS NULL`,
    [applicantId],
  );
  return { contactBook: rows[0]!.contact_book, visits: rows[0]!.visits };
}
