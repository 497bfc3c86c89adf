import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { DocumentKind } from './vocabulary.ts';
import type { Db } from '../platform/db.ts';
import { jpegOptions, uprightImage } from '../platform/images.ts';
import { isId } from '../shared/ids.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';
import { type Upload, type UploadProblem, cleanFileName } from '../shared/uploads.ts';

/**
 * Uploaded documents are judged by their content (magic bytes), never by their name. Images are
 * re-encoded by sharp, which turns them upright and keeps no metadata (GPS above all); PDFs are kept
 * as sent once they look whole.
 */
export type DocumentMediaType = 'application/pdf' | 'image/png' | 'image/jpeg';
export type StoredDocument = {
  fileName: string;
  mediaType: DocumentMediaType;
  uploadedBytes: number;
  content: Buffer;
  sha256: Buffer;
};

// Long side kept for scans of ID cards and household registers: legible, without phone-camera bulk.
const MAX_IMAGE_SIDE = 3000;

function looksLikeWholePdf(bytes: Buffer): boolean {
  const tail = bytes.subarray(Math.max(0, bytes.length - 2048)).toString('latin1');
  return bytes.subarray(0, 5).toString('latin1') === '%PDF-' && tail.includes('%%EOF');
}

/**
 * Checks one file and prepares what is stored. `imagesOnly` is for the frontal photo of mobile visits.
 * Returns a problem naming the file, in the GOV.UK manner, when it cannot be accepted.
 */
export async function prepareDocument(
  upload: Upload,
  opts: { imagesOnly?: boolean } = {},
): Promise<StoredDocument | UploadProblem> {
  const file = cleanFileName(upload.fileName);
  if (upload.bytes.length === 0) return { key: 'error.upload.empty', params: { file } };
  const detected = await fileTypeFromBuffer(upload.bytes);
  const mime = detected?.mime;
  const allowed = opts.imagesOnly ? ['image/png', 'image/jpeg'] : ['application/pdf', 'image/png', 'image/jpeg'];
  if (!mime || !allowed.includes(mime)) {
    return { key: opts.imagesOnly ? 'error.upload.photoType' : 'error.upload.type', params: { file } };
  }
  if (mime === 'application/pdf') {
    if (!looksLikeWholePdf(upload.bytes)) return { key: 'error.upload.unreadable', params: { file } };
    return {
      fileName: file,
      mediaType: 'application/pdf',
      uploadedBytes: upload.bytes.length,
      content: upload.bytes,
      sha256: createHash('sha256').update(upload.bytes).digest(),
    };
  }
  try {
    const pipeline = uprightImage(upload.bytes, MAX_IMAGE_SIDE);
    const content =
      mime === 'image/png'
        ? await pipeline.png({ compressionLevel: 9 }).toBuffer()
        : await pipeline.jpeg(jpegOptions(85)).toBuffer();
    return {
      fileName: file,
      mediaType: mime as DocumentMediaType,
      uploadedBytes: upload.bytes.length,
      content,
      sha256: createHash('sha256').update(content).digest(),
    };
  } catch {
    return { key: 'error.upload.unreadable', params: { file } };
  }
}

export type DocumentContent = { id: number; fileName: string; mediaType: string; content: Buffer };

/** Who asks for a document: the applicant who sent it, or staff who review applications, within their scope. */
export type DocumentReader = { applicantId: number } | { staff: Pick<StaffActor, 'role' | 'institutionCode'> };

/** A document's bytes, only for its own applicant or for staff of the inmate's institution. */
export async function readDocument(
  db: Db,
  documentId: number,
  applicationId: number,
  who: DocumentReader,
): Promise<DocumentContent | null> {
  if ('staff' in who) assertMay(who.staff, 'review');
  if (!isId(documentId) || !isId(applicationId)) return null;
  const byApplicant = 'applicantId' in who;
  const { rows } = await db.query<{ file_name: string; media_type: string; content: Buffer }>(
    `SELECT d.file_name, d.media_type, d.content FROM application_document d JOIN service_application a ON a.id = d.application_id
      WHERE d.id = $1 AND a.id = $2 AND ${byApplicant ? 'a.applicant_id = $3' : '($3::char(4) IS NULL OR a.institution_code = $3)'}`,
    [documentId, applicationId, byApplicant ? who.applicantId : who.staff.institutionCode],
  );
  const r = rows[0];
  return r ? { id: documentId, fileName: r.file_name, mediaType: r.media_type, content: r.content } : null;
}

/**
 * A document by its id alone: only for the separate document origin, where a signed link made for
 * someone already allowed to read it is the authority (routes/middleware/files.ts).
 */
export async function readDocumentById(db: Db, documentId: number): Promise<DocumentContent | null> {
  if (!isId(documentId)) return null;
  const { rows } = await db.query<{ file_name: string; media_type: string; content: Buffer }>(
    'SELECT file_name, media_type, content FROM application_document WHERE id = $1',
    [documentId],
  );
  const r = rows[0];
  return r ? { id: documentId, fileName: r.file_name, mediaType: r.media_type, content: r.content } : null;
}

/** The documents an applicant sees on their own application (links open them). */
export async function listOwnDocuments(
  db: Db,
  applicantId: number,
  number: string,
): Promise<
  {
    id: number;
    applicationId: number;
    kind: DocumentKind;
    fileName: string;
    mediaType: string;
    uploadedBytes: number;
  }[]
> {
  const { rows } = await db.query(
    `SELECT d.id, d.application_id, d.kind, d.file_name, d.media_type, d.uploaded_bytes FROM application_document d JOIN service_application a ON a.id = d.application_id
      WHERE a.number = $1 AND a.applicant_id = $2 AND d.replaced_at IS NULL ORDER BY d.kind, d.id`,
    [number, applicantId],
  );
  return rows.map((d) => ({
    id: Number(d.id),
    applicationId: Number(d.application_id),
    kind: d.kind,
    fileName: d.file_name,
    mediaType: d.media_type,
    uploadedBytes: d.uploaded_bytes,
  }));
}
