import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { prepareDocument } from '../../domain/applications/documents.ts';
import { addUpload } from '../../domain/applications/drafts.ts';
import {
  type ApplicationField,
  type FieldProblem,
  SERVICES,
  type Service,
  UPLOAD_LIMIT_MB,
  VISIT_KINDS,
  type VisitKind,
  documentKindsFor,
} from '../../domain/applications/vocabulary.ts';
import { isUuid } from '../../domain/shared/ids.ts';
import { MB, isUploadProblem } from '../../domain/shared/uploads.ts';
import { isSentFile, multipartForm, sentFileName, sentFiles } from './uploads.ts';

/** The application forms' fields, their order for the error summary, and their files (kept as drafts first). */

export const SLUGS: Record<string, Service> = {
  'contact-book': 'contact_book',
  visit: 'visit',
  'lawyer-visit': 'lawyer_visit',
};
export const FIELD_ORDER: readonly ApplicationField[] = [
  'form',
  'institution',
  'callNumber',
  'relationship',
  'visitKinds',
  'identityFiles',
  'relationshipFiles',
  'mandateFiles',
  'photoFiles',
  'files',
];

export type FormValues = {
  institution: string;
  callNumber: string;
  relationship: string;
  visitKinds: VisitKind[];
  submissionKey: string;
};

export function readValues(req: Request): FormValues {
  const b = (req.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100) : '');
  const kinds = ([] as unknown[])
    .concat(b.visitKinds ?? [])
    .filter((k): k is VisitKind => VISIT_KINDS.includes(k as VisitKind));
  const key = str(b.submissionKey);
  return {
    institution: str(b.institution),
    callNumber: str(b.callNumber).trim(),
    relationship: str(b.relationship),
    visitKinds: kinds,
    submissionKey: isUuid(key) ? key : randomUUID(),
  };
}

/**
 * One multipart parser per service: files are held in memory while checked, so every post is bounded
 * by bytes read: each file and the whole body by the service's total (plus room for the form's fields),
 * at most 10 files per document kind, and only the service's file fields are taken.
 */
export function applicationUploadParsers(csrfCheck: RequestHandler) {
  return Object.fromEntries(
    SERVICES.map((service) => {
      const kinds = documentKindsFor(service);
      return [
        service,
        multipartForm({
          bounds: {
            totalBytes: (UPLOAD_LIMIT_MB[service] + 1) * MB,
            fileBytes: UPLOAD_LIMIT_MB[service] * MB,
            files: 10 * kinds.length,
            // the form's own fields, and on a correction a keep box per document already sent
            fields: 20 + 10 * kinds.length,
            fieldBytes: 10_000,
            fileFields: kinds.map((k) => ({ name: `${k}Files`, maxCount: 10 })),
          },
          csrfCheck,
          problemOf: (code) =>
            code === 'LIMIT_FILE_SIZE' || code === 'LIMIT_TOTAL'
              ? 'error.upload.tooLarge'
              : code === 'LIMIT_UNEXPECTED_FILE' || code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_PART_COUNT'
                ? 'error.upload.tooMany'
                : 'error.upload.unreadableForm',
        }),
      ];
    }),
  ) as Record<Service, (req: Request, res: Response, next: NextFunction) => void>;
}

/** Files first: whatever else happens, an accepted file is kept as a draft of this form. */
export async function keepApplicationFiles(
  pool: pg.Pool,
  now: Date,
  req: Request,
  res: Response,
  form: { service: Service; submissionKey: string; keptBytes: number },
  errors: Partial<Record<ApplicationField, FieldProblem>>,
): Promise<void> {
  const applicantId = req.user!.applicant.id;
  const uploaded = sentFiles(req, res);
  for (const kind of documentKindsFor(form.service)) {
    for (const f of uploaded[`${kind}Files`] ?? []) {
      if (!isSentFile(f)) continue;
      const doc = await prepareDocument(
        { fileName: sentFileName(f), bytes: f.buffer },
        { imagesOnly: kind === 'photo' },
      );
      const problem = isUploadProblem(doc)
        ? doc
        : await addUpload(pool, applicantId, form.submissionKey, form.service, kind, doc, now, form.keptBytes);
      if (problem && !errors[`${kind}Files`]) errors[`${kind}Files`] = problem;
    }
  }
}
