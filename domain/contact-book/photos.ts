import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Db } from '../platform/db.ts';
import { jpegOptions, uprightImage } from '../platform/images.ts';
import { isId } from '../shared/ids.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';
import { MB, type Upload, type UploadProblem, cleanFileName, purgeDrafts } from '../shared/uploads.ts';

export const POST_PHOTO_MAX_MB = 10;

/** Long side of a stored contact book photo: enough for a printed half page, small to store and send. */
export const POST_PHOTO_SIDE = 1600;

export type StoredPhoto = {
  fileName: string;
  uploadedBytes: number;
  content: Buffer;
  width: number;
  height: number;
  sha256: Buffer;
};

/**
 * Checks and prepares a contact book photo: JPEG, PNG or WebP by content, at most 10 MB as sent.
 * It is stored as a JPEG of at most 1600 px on the long side, turned upright, with no metadata at
 * all (sharp keeps none unless asked). HEIC, what iPhones take by default, gets its own message.
 */
export async function preparePostPhoto(upload: Upload): Promise<StoredPhoto | UploadProblem> {
  const file = cleanFileName(upload.fileName);
  if (upload.bytes.length === 0) return { key: 'error.upload.empty', params: { file } };
  if (upload.bytes.length > POST_PHOTO_MAX_MB * MB)
    return { key: 'error.photo.tooLarge', params: { file, limit: POST_PHOTO_MAX_MB } };
  const mime = (await fileTypeFromBuffer(upload.bytes))?.mime;
  if (
    mime === 'image/heic' ||
    mime === 'image/heif' ||
    mime === 'image/heic-sequence' ||
    mime === 'image/heif-sequence'
  ) {
    return { key: 'error.photo.heic', params: { file } };
  }
  if (!mime || !['image/jpeg', 'image/png', 'image/webp'].includes(mime))
    return { key: 'error.photo.type', params: { file } };
  try {
    const { data, info } = await uprightImage(upload.bytes, POST_PHOTO_SIDE)
      // A transparent PNG gets a white background rather than black.
      .flatten({ background: '#ffffff' })
      .jpeg(jpegOptions(82))
      .toBuffer({ resolveWithObject: true });
    return {
      fileName: file,
      uploadedBytes: upload.bytes.length,
      content: data,
      width: info.width,
      height: info.height,
      sha256: createHash('sha256').update(data).digest(),
    };
  } catch {
    return { key: 'error.upload.unreadable', params: { file } };
  }
}

// ---- the photo kept while the form is being filled (one per form) ----

export type PhotoDraft = { fileName: string; uploadedBytes: number; width: number; height: number };

/** Keeps the form's photo; a second photo sent with the same form replaces the first. */
export async function keepPhotoDraft(
  db: Db,
  applicantId: number,
  submissionKey: string,
  photo: StoredPhoto,
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO contact_book_photo_draft (applicant_id, submission_key, file_name, uploaded_bytes, content, width, height, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (applicant_id, submission_key) DO UPDATE SET file_name = EXCLUDED.file_name, uploaded_bytes = EXCLUDED.uploaded_bytes,
       content = EXCLUDED.content, width = EXCLUDED.width, height = EXCLUDED.height, created_at = EXCLUDED.created_at`,
    [applicantId, submissionKey, photo.fileName, photo.uploadedBytes, photo.content, photo.width, photo.height, now],
  );
}

export async function getPhotoDraft(db: Db, applicantId: number, submissionKey: string): Promise<PhotoDraft | null> {
  const { rows } = await db.query(
    'SELECT file_name, uploaded_bytes, width, height FROM contact_book_photo_draft WHERE applicant_id = $1 AND submission_key = $2',
    [applicantId, submissionKey],
  );
  const r = rows[0];
  return r ? { fileName: r.file_name, uploadedBytes: r.uploaded_bytes, width: r.width, height: r.height } : null;
}

export async function removePhotoDraft(db: Db, applicantId: number, submissionKey: string): Promise<void> {
  await db.query('DELETE FROM contact_book_photo_draft WHERE applicant_id = $1 AND submission_key = $2', [
    applicantId,
    submissionKey,
  ]);
}

/** The draft's photo, removed as it is taken (inside the caller's transaction). */
export async function takePhotoDraft(
  tx: Db,
  applicantId: number,
  submissionKey: string,
): Promise<{ content: Buffer; width: number; height: number } | null> {
  const { rows } = await tx.query<{ content: Buffer; width: number; height: number }>(
    'DELETE FROM contact_book_photo_draft WHERE applicant_id = $1 AND submission_key = $2 RETURNING content, width, height',
    [applicantId, submissionKey],
  );
  return rows[0] ?? null;
}

export async function purgeOldPhotoDrafts(db: Db, now: Date, lifetimeHours: number): Promise<number> {
  return purgeDrafts(db, 'contact_book_photo_draft', now, lifetimeHours);
}

/** Who asks for a post's photo: the applicant who sent it, or staff who review posts, within their scope. */
export type PhotoReader = { applicantId: number } | { staff: Pick<StaffActor, 'role' | 'institutionCode'> };

/** A post's stored photo (a JPEG without metadata), only for its sender or staff of its institution. */
export async function readPostPhoto(db: Db, postId: number, who: PhotoReader): Promise<Buffer | null> {
  if ('staff' in who) assertMay(who.staff, 'review');
  if (!isId(postId)) return null;
  const byApplicant = 'applicantId' in who;
  const { rows } = await db.query<{ photo: Buffer | null }>(
    `SELECT photo FROM contact_book_post WHERE id = $1 AND ${byApplicant ? 'applicant_id = $2' : '($2::char(4) IS NULL OR institution_code = $2)'}`,
    [postId, byApplicant ? who.applicantId : who.staff.institutionCode],
  );
  return rows[0]?.photo ?? null;
}
