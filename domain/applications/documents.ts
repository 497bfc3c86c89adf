import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import type { MessageKey } from '../i18n/i18n.ts';

/**
 * Uploaded documents are judged by their content (magic bytes), never by their name. Images are
 * re-encoded by sharp, which turns them upright and keeps no metadata (GPS above all); PDFs are kept
 * as sent once they look whole.
 */
export type DocumentMediaType = 'application/pdf' | 'image/png' | 'image/jpeg';
export type Upload = { fileName: string; bytes: Buffer };
export type StoredDocument = {
  fileName: string;
  mediaType: DocumentMediaType;
  uploadedBytes: number;
  content: Buffer;
  sha256: Buffer;
};
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
    const pipeline = sharp(upload.bytes, { failOn: 'error' })
      .rotate()
      .resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true });
    const content =
      mime === 'image/png'
        ? await pipeline.png({ compressionLevel: 9 }).toBuffer()
        : await pipeline.jpeg({ quality: 85, mozjpeg: true }).toBuffer();
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

export function isUploadProblem<T extends object>(v: T | UploadProblem): v is UploadProblem {
  return 'key' in v;
}

// ---- the contact book photo (愛在雲端): one photo, downsized for printing and the tablet ----

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
    const { data, info } = await sharp(upload.bytes, { failOn: 'error' })
      .rotate()
      .resize({ width: POST_PHOTO_SIDE, height: POST_PHOTO_SIDE, fit: 'inside', withoutEnlargement: true })
      // A transparent PNG gets a white background rather than black.
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
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
