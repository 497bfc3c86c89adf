import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import type { MessageKey } from './infra/i18n.ts';

/**
 * Uploaded documents are judged by their content (magic bytes), never by their name. Images are
 * re-encoded by sharp, which turns them upright and keeps no metadata (GPS above all); PDFs are kept
 * as sent once they look whole.
 */
export type DocumentMediaType = 'application/pdf' | 'image/png' | 'image/jpeg';
export type Upload = { fileName: string; bytes: Buffer };
export type StoredDocument = { fileName: string; mediaType: DocumentMediaType; uploadedBytes: number; content: Buffer; sha256: Buffer };
export type UploadProblem = { key: MessageKey; params: Record<string, string | number> };

export const MB = 1024 * 1024;
// Long side kept for scans of ID cards and household registers: legible, without phone-camera bulk.
const MAX_IMAGE_SIDE = 3000;

/** A file name fit to show and store: no path, no control characters, at most 255 characters. */
export function cleanFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return [...(cleaned || 'file')].slice(0, 120).join('');
}

function looksLikeWholePdf(bytes: Buffer): boolean {
  const tail = bytes.subarray(Math.max(0, bytes.length - 2048)).toString('latin1');
  return bytes.subarray(0, 5).toString('latin1') === '%PDF-' && tail.includes('%%EOF');
}

/**
 * Checks one file and prepares what is stored. `imagesOnly` is for the frontal photo of mobile visits.
 * Returns a problem naming the file, in the GOV.UK manner, when it cannot be accepted.
 */
export async function prepareDocument(upload: Upload, opts: { imagesOnly?: boolean } = {}): Promise<StoredDocument | UploadProblem> {
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
      fileName: file, mediaType: 'application/pdf', uploadedBytes: upload.bytes.length, content: upload.bytes,
      sha256: createHash('sha256').update(upload.bytes).digest(),
    };
  }
  try {
    const pipeline = sharp(upload.bytes, { failOn: 'error' })
      .rotate()
      .resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true });
    const content = mime === 'image/png' ? await pipeline.png({ compressionLevel: 9 }).toBuffer() : await pipeline.jpeg({ quality: 85, mozjpeg: true }).toBuffer();
    return {
      fileName: file, mediaType: mime as DocumentMediaType, uploadedBytes: upload.bytes.length, content,
      sha256: createHash('sha256').update(content).digest(),
    };
  } catch {
    return { key: 'error.upload.unreadable', params: { file } };
  }
}

export function isUploadProblem(v: StoredDocument | UploadProblem): v is UploadProblem {
  return 'key' in v;
}
