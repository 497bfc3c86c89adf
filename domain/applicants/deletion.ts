import type pg from 'pg';
import { endSessions } from './accounts.ts';
import { IN_FAMILY_SCOPE } from './family-records.ts';
import { translator } from '../i18n/i18n.ts';
import { WITHDRAWN_REASON_KEY } from '../shared/reasons.ts';
import { compose } from '../mails.ts';
import { type Db, isUniqueViolation, withTransaction } from '../platform/db.ts';
import { verifyPassword } from '../platform/passwords.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { formatDate, taipeiToday } from '../shared/dates.ts';
import type { Locale } from '../shared/locale.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';
import { notifyBooking, notifyCompanionLeft } from '../bookings/notices.ts';
import { getBooking } from '../bookings/records.ts';

/**
 * 刪除/停止利用 (the privacy notice's rights of erasure and objection). A family's deletion request closes
 * the account at once: it cannot sign in (disabled with this reason), its sessions end, it is sent no more
 * mail but the outcome, its coming bookings are cancelled (or it leaves others' bookings) and its pending
 * applications and posts withdrawn. Staff of an institution it is a family of (the agency: all) confirm
 * nothing must be kept by law, and the personal data and files are erased (the rows stay for the counts,
 * the applicant row anonymised), or keep them for now with a reason. Either way the family is mailed.
 */

export const DELETION_REASON = '本人申請刪除帳號 / Deleted at the family’s request';
const WITHDRAWN_REASON = translator('zh-TW')(WITHDRAWN_REASON_KEY);
export const ERASED_NAME = '（已刪除）';
export const NOTE_MAX = 1000;

export type DeletionStatus = 'pending' | 'kept' | 'erased';

export type RequestOutcome = 'closed' | 'wrong_password' | 'already_requested';

/** The family's request, proved by their password: the account closes in one transaction. */
export async function requestDeletion(
  pool: pg.Pool,
  applicantId: number,
  password: string,
  now: Date,
): Promise<RequestOutcome> {
  const { rows } = await pool.query<{ password_hash: string }>('SELECT password_hash FROM applicant WHERE id = $1', [
    applicantId,
  ]);
  if (!rows[0] || password === '' || !(await verifyPassword(rows[0].password_hash, password))) return 'wrong_password';
  try {
    return await withTransaction(pool, async (tx) => {
      await tx.query('SELECT 1 FROM applicant WHERE id = $1 FOR UPDATE', [applicantId]);
      await tx.query('INSERT INTO applicant_deletion_request (applicant_id, requested_at) VALUES ($1, $2)', [
        applicantId,
        now,
      ]);
      await tx.query(
        `UPDATE applicant SET disabled_at = $2, disabled_reason = $3, disabled_by = NULL,
                optional_mail_stopped_at = coalesce(optional_mail_stopped_at, $2) WHERE id = $1`,
        [applicantId, now, DELETION_REASON],
      );
      await withdrawEverything(tx, applicantId, now);
      await endSessions(tx, applicantId);
      return 'closed' as const;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'applicant_deletion_request_open')) return 'already_requested';
    throw err;
  }
}

async function withdrawEverything(tx: Db, applicantId: number, now: Date) {
  const today = taipeiToday(now);
  const apps = await tx.query<{ id: number }>(
    `UPDATE service_application SET status = 'cancelled', cancel_reason = $2, decided_at = $3, version = version + 1
      WHERE applicant_id = $1 AND status = 'pending' RETURNING id`,
    [applicantId, WITHDRAWN_REASON, now],
  );
  if (apps.rows.length)
    await tx.query(
      `INSERT INTO application_event (application_id, action, reason, at) SELECT unnest($1::bigint[]), 'cancelled', $2, $3`,
      [apps.rows.map((a) => a.id), WITHDRAWN_REASON, now],
    );
  const posts = await tx.query<{ id: number }>(
    `UPDATE contact_book_post SET status = 'cancelled', cancel_reason = $2, decided_at = $3, version = version + 1
      WHERE applicant_id = $1 AND status = 'pending' RETURNING id`,
    [applicantId, WITHDRAWN_REASON, now],
  );
  if (posts.rows.length)
    await tx.query(
      `INSERT INTO contact_book_event (post_id, action, reason, at) SELECT unnest($1::bigint[]), 'cancelled', $2, $3`,
      [posts.rows.map((p) => p.id), WITHDRAWN_REASON, now],
    );
  // Their own coming bookings are cancelled; from others' they leave (the booking stays for the others).
  const booked = await tx.query<{ id: number }>(
    `UPDATE visit_booking SET status = 'cancelled', cancelled_at = $2, version = version + 1
      WHERE booker_id = $1 AND status IN ('pending', 'approved') AND visit_date > $3::date RETURNING id`,
    [applicantId, now, today],
  );
  for (const b of booked.rows) {
    await tx.query(
      `INSERT INTO visit_booking_event (booking_id, action, applicant_id, at) VALUES ($1, 'cancelled', $2, $3)`,
      [b.id, applicantId, now],
    );
    // The other visitors must not come for a visit that no longer is; the booker asked for no more mail.
    await notifyBooking(tx, b.id, 'cancelled', { except: applicantId });
  }
  const left = await tx.query<{ booking_id: number }>(
    `DELETE FROM visit_booking_visitor v USING visit_booking b
      WHERE b.id = v.booking_id AND v.applicant_id = $1 AND v.position > 1
        AND b.status IN ('pending', 'approved') AND b.visit_date > $2::date RETURNING v.booking_id`,
    [applicantId, today],
  );
  const { rows: leaving } = left.rows.length
    ? await tx.query<{ name: string }>('SELECT name FROM applicant WHERE id = $1', [applicantId])
    : { rows: [] };
  for (const b of left.rows) {
    await tx.query('UPDATE visit_booking SET version = version + 1 WHERE id = $1', [b.booking_id]);
    await tx.query(
      `INSERT INTO visit_booking_event (booking_id, action, applicant_id, at) VALUES ($1, 'companion_left', $2, $3)`,
      [b.booking_id, applicantId, now],
    );
    // The booker is told, as when a visitor withdraws.
    const detail = await getBooking(tx, null, b.booking_id, 'zh-TW', false);
    if (detail) await notifyCompanionLeft(tx, detail, leaving[0]!.name);
  }
}

/** 停止利用: no mail beyond what the family's own requests need (rating requests and the like), or again. */
export async function setOptionalMail(db: Db, applicantId: number, stop: boolean, now: Date): Promise<void> {
  await db.query('UPDATE applicant SET optional_mail_stopped_at = $2 WHERE id = $1', [applicantId, stop ? now : null]);
}

/**
 * Since when the family asked for no optional mail, or null (for the senders of rating requests and the
 * like: a closed or unknown account counts as stopped).
 */
export async function optionalMailStoppedAt(db: Db, applicantId: number): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null; closed: boolean }>(
    'SELECT optional_mail_stopped_at AS at, disabled_at IS NOT NULL AS closed FROM applicant WHERE id = $1',
    [applicantId],
  );
  const r = rows[0];
  return r ? (r.at ?? (r.closed ? new Date(0) : null)) : new Date(0);
}

// ---- the back office ----

export type DeletionRequest = {
  id: number;
  applicantId: number;
  name: string;
  email: string;
  requestedAt: Date;
  status: DeletionStatus;
  decidedAt: Date | null;
  note: string | null;
  counts: { applications: number; bookings: number; posts: number; documents: number };
};

const SELECT = `SELECT r.id, r.applicant_id, a.name, a.email, a.locale, r.requested_at, r.status, r.decided_at, r.note,
    (SELECT count(*) FROM service_application s WHERE s.applicant_id = a.id)::int AS applications,
    (SELECT count(*) FROM visit_booking b WHERE b.booker_id = a.id)::int AS bookings,
    (SELECT count(*) FROM contact_book_post p WHERE p.applicant_id = a.id)::int AS posts,
    (SELECT count(*) FROM application_document d JOIN service_application s ON s.id = d.application_id WHERE s.applicant_id = a.id)::int AS documents
  FROM applicant_deletion_request r JOIN applicant a ON a.id = r.applicant_id`;

type Row = {
  id: number;
  applicant_id: number;
  name: string;
  email: string;
  locale: Locale;
  requested_at: Date;
  status: DeletionStatus;
  decided_at: Date | null;
  note: string | null;
  applications: number;
  bookings: number;
  posts: number;
  documents: number;
};

const toRequest = (r: Row): DeletionRequest => ({
  id: Number(r.id),
  applicantId: Number(r.applicant_id),
  name: r.name,
  email: r.email,
  requestedAt: r.requested_at,
  status: r.status,
  decidedAt: r.decided_at,
  note: r.note,
  counts: { applications: r.applications, bookings: r.bookings, posts: r.posts, documents: r.documents },
});

/** The open requests (waiting, then kept for now), oldest first, in the staff member's scope. */
export async function listDeletionRequests(db: Db, actor: StaffActor): Promise<DeletionRequest[]> {
  assertMay(actor, 'family_data');
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE r.status IN ('pending', 'kept') AND ${IN_FAMILY_SCOPE('a', '$1')}
      ORDER BY r.status = 'kept', r.requested_at, r.id LIMIT 200`,
    [actor.institutionCode],
  );
  return rows.map(toRequest);
}

export async function getDeletionRequest(db: Db, actor: StaffActor, id: number): Promise<DeletionRequest | null> {
  assertMay(actor, 'family_data');
  const { rows } = await db.query<Row>(`${SELECT} WHERE r.id = $2 AND ${IN_FAMILY_SCOPE('a', '$1')}`, [
    actor.institutionCode,
    id,
  ]);
  return rows[0] ? toRequest(rows[0]) : null;
}

export type DecisionInput = { decision: string; nothingToKeep: boolean; note: string };
export type DecisionOutcome =
  | { kind: 'erased' | 'kept' | 'not_found' | 'already_erased' }
  | { kind: 'errors'; errors: Partial<Record<'decision' | 'nothingToKeep' | 'note', string>> };

/** Staff carry out (erase) or keep the request for now; the family is mailed the outcome. One transaction. */
export async function decideDeletionRequest(
  pool: pg.Pool,
  actor: StaffActor,
  id: number,
  input: DecisionInput,
  now: Date,
): Promise<DecisionOutcome> {
  assertMay(actor, 'family_data');
  const note = input.note.normalize('NFC').trim();
  const errors: Extract<DecisionOutcome, { kind: 'errors' }>['errors'] = {};
  if (input.decision !== 'erase' && input.decision !== 'keep') errors.decision = 'error.deletion.decision';
  if (input.decision === 'erase' && !input.nothingToKeep) errors.nothingToKeep = 'error.deletion.confirm';
  if (input.decision === 'keep' && note === '') errors.note = 'error.deletion.noteRequired';
  if ([...note].length > NOTE_MAX) errors.note = 'error.deletion.noteLong';
  if (Object.keys(errors).length) return { kind: 'errors', errors };
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<Row>(
      `${SELECT} WHERE r.id = $2 AND ${IN_FAMILY_SCOPE('a', '$1')} FOR UPDATE OF r, a`,
      [actor.institutionCode, id],
    );
    const r = rows[0];
    if (!r) return { kind: 'not_found' } as const;
    if (r.status === 'erased') return { kind: 'already_erased' } as const;
    const request = toRequest(r);
    const t = translator(r.locale);
    const erase = input.decision === 'erase';
    const { text, html } = compose(r.locale, [
      t('mail.greeting', { name: r.name }),
      erase
        ? t('mail.deletion.erased', { date: formatDate(r.requested_at) })
        : t('mail.deletion.kept', { date: formatDate(r.requested_at), note }),
      t('mail.signature'),
    ]);
    // Written before the erasure, to the address as it is: the only mail a closed account still gets.
    const mailId = await enqueueMail(tx, {
      to: r.email,
      applicantId: erase ? null : request.applicantId,
      institutionCode: actor.institutionCode,
      subject: t(erase ? 'mail.deletion.erased.subject' : 'mail.deletion.kept.subject'),
      text,
      html,
    });
    // Erased while the request is still open: the trigger allows the erasure only then.
    const erased = erase ? await eraseApplicant(tx, actor.staffId, request.applicantId, mailId, now) : null;
    await tx.query(
      `UPDATE applicant_deletion_request SET status = $2, decided_at = $3, decided_by = $4, nothing_to_keep = $5,
              note = nullif($6, ''), outcome_notification_id = $7 WHERE id = $1`,
      [id, erase ? 'erased' : 'kept', now, actor.staffId, erase, note, mailId],
    );
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: erase ? 'family.erased' : 'family.erasure_kept',
      objectType: 'applicant',
      objectId: request.applicantId,
      institutionCode: actor.institutionCode,
      ip: actor.ip,
      details: { requestId: id, note: note || null, counts: request.counts, ...(erased ?? {}) },
      at: now,
    });
    return { kind: erase ? 'erased' : 'kept' } as const;
  });
}

/**
 * Erases one applicant's personal data in the caller's transaction (the trigger of migration 025 lets
 * the flagged staff member change every identity field of an account with an open deletion request).
 * Rows that other rows or the statistics count stay, cut from the person: the applicant row holds a
 * placeholder name, ID number and address; documents, photos, drafts, tokens and requests are deleted.
 */
async function eraseApplicant(tx: Db, staffId: number, applicantId: number, keepMailId: number, now: Date) {
  await tx.query(`SELECT set_config('portal.applicant_erasure', $1, true)`, [String(staffId)]);
  await tx.query(
    `UPDATE applicant SET name = $2, national_id = 'ZZ' || lpad(id::text, 8, '0'), email = 'erased-' || id || '@erased.invalid',
            birthday = '1900-01-01', mobile = NULL, phone = NULL, password_hash = '!erased', erased_at = $3
      WHERE id = $1`,
    [applicantId, ERASED_NAME, now],
  );
  await tx.query(`SELECT set_config('portal.applicant_erasure', '', true)`);
  const documents = await tx.query(
    'DELETE FROM application_document d USING service_application s WHERE s.id = d.application_id AND s.applicant_id = $1',
    [applicantId],
  );
  const photos = await tx.query(
    `UPDATE contact_book_post SET title = $2, body = $2, photo = NULL, photo_width = NULL, photo_height = NULL,
            photo_erased_at = CASE WHEN photo IS NULL THEN photo_erased_at ELSE $3 END WHERE applicant_id = $1`,
    [applicantId, ERASED_NAME, now],
  );
  await tx.query('UPDATE visit_booking SET reason = $2 WHERE booker_id = $1 AND reason IS NOT NULL', [
    applicantId,
    ERASED_NAME,
  ]);
  for (const table of [
    'application_upload',
    'contact_book_photo_draft',
    'applicant_token',
    'applicant_correction_request',
    'applicant_data_export',
  ])
    await tx.query(`DELETE FROM ${table} WHERE applicant_id = $1`, [applicantId]);
  const mails = await tx.query(
    `UPDATE notification SET recipient = '(erased)', body_text = '', body_html = NULL, applicant_id = NULL
      WHERE applicant_id = $1 AND id <> $2`,
    [applicantId, keepMailId],
  );
  return { documents: documents.rowCount ?? 0, posts: photos.rowCount ?? 0, mails: mails.rowCount ?? 0 };
}
