import type { Db } from '../platform/db.ts';
import { isId } from '../shared/ids.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';
import type { PhotoDraft, StoredPhoto } from './photos.ts';

/**
 * The photo of an institution post: prepared by the same pipeline as the family's (photos.ts
 * preparePostPhoto), kept per staff member and form while the form is filled, then taken into the post.
 */

/** How long an unsent form's photo is kept; older ones go when the same staff member keeps another. */
const DRAFT_HOURS = 24;

export async function keepStaffPhotoDraft(
  db: Db,
  staffId: number,
  submissionKey: string,
  photo: StoredPhoto,
  now: Date,
): Promise<void> {
  await db.query('DELETE FROM institution_post_photo_draft WHERE staff_id = $1 AND created_at < $2', [
    staffId,
    new Date(now.getTime() - DRAFT_HOURS * 3600_000),
  ]);
  await db.query(
    `INSERT INTO institution_post_photo_draft (staff_id, submission_key, file_name, uploaded_bytes, content, width, height, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (staff_id, submission_key) DO UPDATE SET file_name = EXCLUDED.file_name, uploaded_bytes = EXCLUDED.uploaded_bytes,
       content = EXCLUDED.content, width = EXCLUDED.width, height = EXCLUDED.height, created_at = EXCLUDED.created_at`,
    [staffId, submissionKey, photo.fileName, photo.uploadedBytes, photo.content, photo.width, photo.height, now],
  );
}

export async function getStaffPhotoDraft(db: Db, staffId: number, submissionKey: string): Promise<PhotoDraft | null> {
  const { rows } = await db.query(
    'SELECT file_name, uploaded_bytes, width, height FROM institution_post_photo_draft WHERE staff_id = $1 AND submission_key = $2',
    [staffId, submissionKey],
  );
  const r = rows[0];
  return r ? { fileName: r.file_name, uploadedBytes: r.uploaded_bytes, width: r.width, height: r.height } : null;
}

export async function removeStaffPhotoDraft(db: Db, staffId: number, submissionKey: string): Promise<void> {
  await db.query('DELETE FROM institution_post_photo_draft WHERE staff_id = $1 AND submission_key = $2', [
    staffId,
    submissionKey,
  ]);
}

/** The draft's photo, removed as it is taken (inside the caller's transaction). */
export async function takeStaffPhotoDraft(
  tx: Db,
  staffId: number,
  submissionKey: string,
): Promise<{ content: Buffer; width: number; height: number } | null> {
  const { rows } = await tx.query<{ content: Buffer; width: number; height: number }>(
    'DELETE FROM institution_post_photo_draft WHERE staff_id = $1 AND submission_key = $2 RETURNING content, width, height',
    [staffId, submissionKey],
  );
  return rows[0] ?? null;
}

/** Who asks for an institution post's photo: an applicant it was sent to, or staff of its institution. */
export type InstitutionPhotoReader = { applicantId: number } | { staff: Pick<StaffActor, 'role' | 'institutionCode'> };

/** The post's stored photo (a JPEG without metadata), only for its recipients or staff in scope. */
export async function readInstitutionPostPhoto(
  db: Db,
  postId: number,
  who: InstitutionPhotoReader,
): Promise<Buffer | null> {
  if ('staff' in who) assertMay(who.staff, 'institution_posts');
  if (!isId(postId)) return null;
  const { rows } =
    'applicantId' in who
      ? await db.query<{ photo: Buffer | null }>(
          `SELECT p.photo FROM institution_post p JOIN institution_post_recipient r ON r.post_id = p.id
            WHERE p.id = $1 AND r.applicant_id = $2`,
          [postId, who.applicantId],
        )
      : await db.query<{ photo: Buffer | null }>(
          'SELECT photo FROM institution_post WHERE id = $1 AND ($2::char(4) IS NULL OR institution_code = $2)',
          [postId, who.staff.institutionCode],
        );
  return rows[0]?.photo ?? null;
}
