import { activeSuspension } from './suspensions.ts';
import type { Db } from '../platform/db.ts';
import { addDays, taipeiToday } from '../shared/dates.ts';
import type { Locale } from '../shared/locale.ts';
import { maskName } from '../shared/masking.ts';

/** Who the applicant may write to, and whether they may post to them today. */

/** An inmate the applicant may write to: they hold an approved contact book service for them. */
export type Recipient = {
  applicationId: number;
  inmateId: number;
  institutionCode: string;
  institutionName: string;
  maskedInmate: string;
  relationship: string;
};

export async function listRecipients(db: Db, applicantId: number, locale: Locale): Promise<Recipient[]> {
  const { rows } = await db.query(
    `SELECT a.id, a.inmate_id, a.institution_code, i.name_zh, i.name_en, m.name, a.relationship
       FROM service_application a JOIN inmate m ON m.id = a.inmate_id JOIN institution i ON i.code = a.institution_code
      WHERE a.applicant_id = $1 AND a.service = 'contact_book' AND a.status IN ('approved', 'auto_approved') AND m.restriction IS NULL
        AND m.removed_on IS NULL
      ORDER BY a.id`,
    [applicantId],
  );
  return rows.map((r) => ({
    applicationId: Number(r.id),
    inmateId: Number(r.inmate_id),
    institutionCode: r.institution_code,
    institutionName: locale === 'en' ? r.name_en : r.name_zh,
    maskedInmate: maskName(r.name),
    relationship: r.relationship,
  }));
}

export type PostingState =
  { kind: 'open' } | { kind: 'wait'; nextDate: string; intervalDays: number } | { kind: 'suspended'; until: Date };

/**
 * Whether the applicant may post to this inmate today (Asia/Taipei): the interval counts from the
 * date of their last post that was not rejected, with the institution's current parameter C.
 */
export async function postingState(
  db: Db,
  applicantId: number,
  recipient: { inmateId: number; institutionCode: string },
  now: Date,
  excludePostId = 0,
): Promise<PostingState> {
  const suspension = await activeSuspension(db, applicantId, now);
  if (suspension) return { kind: 'suspended', until: suspension.endsAt };
  const { rows } = await db.query<{ last: string | null; days: number }>(
    `SELECT (SELECT to_char(max(posted_on), 'YYYY-MM-DD') FROM contact_book_post
              WHERE applicant_id = $1 AND inmate_id = $2 AND status <> 'rejected' AND id <> $4) AS last,
            (SELECT contact_book_interval_days FROM institution WHERE code = $3) AS days`,
    [applicantId, recipient.inmateId, recipient.institutionCode, excludePostId],
  );
  const { last, days } = rows[0]!;
  if (!last) return { kind: 'open' };
  const nextDate = addDays(last, days);
  return taipeiToday(now) < nextDate ? { kind: 'wait', nextDate, intervalDays: days } : { kind: 'open' };
}

/** What the posting page says per recipient: open, the next date, or suspended until when. */
export async function postingStates(
  db: Db,
  applicantId: number,
  recipients: Recipient[],
  now: Date,
): Promise<Map<number, PostingState>> {
  const out = new Map<number, PostingState>();
  for (const r of recipients) out.set(r.applicationId, await postingState(db, applicantId, r, now));
  return out;
}
