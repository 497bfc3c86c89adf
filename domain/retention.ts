import type { Db } from './platform/db.ts';

/**
 * Retention (the privacy notice's promise): the documents of decided applications and the photos of
 * decided contact book posts are deleted once the decision is older than the configured period
 * (RETENTION_YEARS, default 2). The cases themselves stay, so the counts stay; drafts are purged
 * within a day as before (domain/jobs.ts). The address of a deletion request's outcome mail, kept
 * only until it is delivered, is blanked here too.
 */
export type RetentionRun = { documents: number; photos: number; outcomeAddresses: number };

/** The moment before which a decision is old enough: `years` calendar years before `now`. */
export function retentionCutoff(now: Date, years: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}

export async function applyRetention(db: Db, now: Date, years: number): Promise<RetentionRun> {
  const cutoff = retentionCutoff(now, years);
  const documents = await db.query(
    `DELETE FROM application_document d USING service_application a
      WHERE a.id = d.application_id AND a.status <> 'pending'
        AND coalesce(a.decided_at, a.submitted_at) < $1`,
    [cutoff],
  );
  const photos = await db.query(
    `UPDATE contact_book_post SET photo = NULL, photo_width = NULL, photo_height = NULL, photo_erased_at = $2
      WHERE photo IS NOT NULL AND status <> 'pending' AND coalesce(decided_at, submitted_at) < $1`,
    [cutoff, now],
  );
  const outcomeAddresses = await blankDeliveredOutcomeAddresses(db);
  return { documents: documents.rowCount ?? 0, photos: photos.rowCount ?? 0, outcomeAddresses };
}

/** The placeholder left where an erased family's address was. */
export const ERASED_RECIPIENT = '(erased)';

/** Outcome mails of erasures that have been delivered (or given up) lose their address. */
export async function blankDeliveredOutcomeAddresses(db: Db): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE notification n SET recipient = $1
       FROM applicant_deletion_request r
      WHERE r.outcome_notification_id = n.id AND r.status = 'erased'
        AND n.status IN ('sent', 'failed', 'recorded') AND n.recipient <> $1`,
    [ERASED_RECIPIENT],
  );
  return rowCount ?? 0;
}
