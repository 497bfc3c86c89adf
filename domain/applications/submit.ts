import { randomInt } from 'node:crypto';
import type pg from 'pg';
import type { StoredDocument } from './documents.ts';
import { discardDrafts, draftsBecomeDocuments, lockForm, uploadedDocuments } from './drafts.ts';
import { approveAutomatically, autoApprovalBasis } from './auto-approval.ts';
import { applicationMailView } from './status.ts';
import {
  type ApplicationField,
  type ApplicationStatus,
  type DocumentKind,
  type FieldProblem,
  REQUIRED_DOCUMENTS,
  type Service,
  UPLOAD_LIMIT_MB,
  VISIT_KINDS,
  type VisitKind,
  relationshipsFor,
} from './vocabulary.ts';
import { inmateNamed, lookUpInmate } from '../inmates.ts';
import { applicationDecisionMail, applicationPendingMail } from '../mails.ts';
import { type Db, isUniqueViolation, withTransaction } from '../platform/db.ts';
import { taipeiToday } from '../shared/dates.ts';
import { isUuid } from '../shared/ids.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { MB } from '../shared/uploads.ts';

export type ApplicationInput = {
  applicantId: number;
  institutionCode: string;
  callNumber: string;
  service: Service;
  visitKinds: VisitKind[];
  relationship: string;
  /** The form's one-time key: its accepted files (drafts) become the application's documents. */
  submissionKey: string;
  /** What was wrong with the files just sent (checked before): said with every other problem, nothing saved. */
  fileProblems?: Partial<Record<ApplicationField, FieldProblem>>;
};

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
  const named = await inmateNamed(db, input.institutionCode, input.callNumber);
  if (named.kind === 'problem') errors[named.field] = { key: named.key };
  else inmateId = named.inmateId;
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
 * Records an application as 待審核 with its documents and the "pending" mail, all in one transaction;
 * or, when the institution approves this service automatically and the applicant already holds an
 * approved service for the inmate with this relationship, as 自動審核通過 with the approval mail.
 * A correction (resubmitApplication) always waits for a reviewer: it answers a reviewer's reason.
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
          : ({
              kind: 'errors',
              errors: { ...input.fileProblems, form: { key: 'error.application.formUsed' } },
            } as const);
      }
      const documents = await uploadedDocuments(tx, input.applicantId, input.submissionKey);
      const { errors, inmateId, kinds } = await checkInput(tx, input, documents);
      Object.assign(errors, input.fileProblems);
      if (Object.keys(errors).length || !inmateId) return { kind: 'errors', errors } as const;
      const held = await heldProblem(tx, input.applicantId, inmateId, input.service);
      if (held) return { kind: 'errors', errors: { callNumber: held } } as const;
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
      const basis = await autoApprovalBasis(tx, { ...input, inmateId });
      if (basis === null) await nowPending(tx, applicationId, 'submitted', now);
      else {
        await recordEvent(tx, applicationId, 'submitted', now);
        await approveAutomatically(tx, applicationId, basis, now);
        await enqueueMail(tx, applicationDecisionMail(await applicationMailView(tx, applicationId)));
      }
      return { kind: 'submitted', applicationId, number } as const;
    });
  } catch (err) {
    const taken = takenProblem(err);
    if (!taken) throw err;
    // Got past the check in a race: say whose application holds it now.
    const found = await lookUpInmate(pool, input.institutionCode, input.callNumber);
    const held =
      found.kind === 'found' ? await heldProblem(pool, input.applicantId, found.inmateId, input.service) : null;
    return { kind: 'errors', errors: { callNumber: held ?? taken } };
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
  /** What was wrong with the files just sent (checked before): said with every other problem, nothing saved. */
  fileProblems?: Partial<Record<ApplicationField, FieldProblem>>;
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
        inmate_id: string;
      }>(
        `SELECT a.id, a.status, a.version, a.institution_code, m.call_number, a.service, a.inmate_id FROM service_application a JOIN inmate m ON m.id = a.inmate_id
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
        return { kind: 'errors', errors: { ...input.fileProblems, form: { key: 'error.application.changed' } } };

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
      const inmateProblem =
        errors.institution ??
        errors.callNumber ??
        (await heldProblem(tx, input.applicantId, Number(app.inmate_id), app.service, applicationId)) ??
        undefined;
      if (inmateProblem) {
        delete errors.institution;
        delete errors.callNumber;
        errors.form = inmateProblem;
      }
      Object.assign(errors, input.fileProblems);
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
      await nowPending(tx, applicationId, 'resubmitted', now);
      return { kind: 'submitted', applicationId, number: input.number };
    });
  } catch (err) {
    // The inmate cannot be changed on this form: the problem is the form's.
    const taken = takenProblem(err);
    if (taken) return { kind: 'errors', errors: { form: taken } };
    throw err;
  }
}

async function findBySubmissionKey(db: Db, applicantId: number, key: string) {
  if (!isUuid(key)) return null;
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

/**
 * Whether an open application already holds this service for this inmate, and whose: the applicant's
 * own pending one (or, for the contact book, their own approved one) is named with its number, so the
 * form can link to it; another family's contact book is only said to be taken.
 */
export async function heldProblem(
  db: Db,
  applicantId: number,
  inmateId: number,
  service: Service,
  exceptApplicationId: number | null = null,
): Promise<FieldProblem | null> {
  const { rows } = await db.query<{ number: string; own: boolean; status: ApplicationStatus }>(
    `SELECT number, applicant_id = $3 AS own, status FROM service_application
      WHERE inmate_id = $1 AND service = $2 AND id IS DISTINCT FROM $4
        AND (status = 'pending' OR (service = 'contact_book' AND status IN ('approved', 'auto_approved')))
        AND (applicant_id = $3 OR service = 'contact_book')
      ORDER BY applicant_id = $3 DESC, status = 'pending' DESC LIMIT 1`,
    [inmateId, service, applicantId, exceptApplicationId],
  );
  const held = rows[0];
  if (!held) return null;
  if (!held.own) return { key: 'error.application.contactBookTaken' };
  return {
    key: held.status === 'pending' ? 'error.application.ownPending' : 'error.application.ownApproved',
    params: { number: held.number },
  };
}

/** The database's one-per-inmate and one-pending rules, when an application got past the checks in a race. */
function takenProblem(err: unknown): FieldProblem | null {
  if (isUniqueViolation(err, 'one_contact_book_per_inmate')) return { key: 'error.application.contactBookTaken' };
  if (isUniqueViolation(err, 'one_pending_application_per_service')) return { key: 'error.application.alreadyPending' };
  return null;
}

async function recordEvent(tx: Db, applicationId: number, action: 'submitted' | 'resubmitted', now: Date) {
  await tx.query('INSERT INTO application_event (application_id, action, at) VALUES ($1, $2, $3)', [
    applicationId,
    action,
    now,
  ]);
}

/** An application sent or sent again is 待審核: its history says so and the applicant is mailed. */
async function nowPending(tx: Db, applicationId: number, action: 'submitted' | 'resubmitted', now: Date) {
  await recordEvent(tx, applicationId, action, now);
  await enqueueMail(tx, applicationPendingMail(await applicationMailView(tx, applicationId)));
}
