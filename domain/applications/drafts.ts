import type pg from 'pg';
import type { StoredDocument } from './documents.ts';
import { type DocumentKind, type FieldProblem, type Service, UPLOAD_LIMIT_MB } from './vocabulary.ts';
import { type Db, withTransaction } from '../platform/db.ts';
import { MB, purgeDrafts } from '../shared/uploads.ts';

// ---- files accepted while the form is being filled (drafts, keyed by the form's submission key) ----

/** A form's drafts become the application's documents (in the caller's transaction). */
export async function draftsBecomeDocuments(
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

export async function discardDrafts(tx: Db, applicantId: number, submissionKey: string): Promise<void> {
  await tx.query('DELETE FROM application_upload WHERE applicant_id = $1 AND submission_key = $2', [
    applicantId,
    submissionKey,
  ]);
}

/** One form action at a time per applicant: uploads and submissions cannot interleave. */
export async function lockForm(tx: Db, applicantId: number): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [FORM_LOCK, applicantId]);
}

const FORM_LOCK = 2477;

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
  return purgeDrafts(db, 'application_upload', now, DRAFT_LIFETIME_HOURS);
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
