import type { Writable } from 'node:stream';
import { renderIndexHtml, type MyData } from './my-data-index.ts';
export type { MyData, MyDocument } from './my-data-index.ts';
import type { Db } from '../platform/db.ts';
import { once } from 'node:events';
import { ZipArchive } from 'archiver';
import type { Locale } from '../shared/locale.ts';
import { reasonIn } from '../shared/reasons.ts';
import { maskName } from '../shared/masking.ts';

/**
 * 下載我的資料 (the privacy notice's right of access and copy): everything the portal holds about one
 * applicant, as one ZIP streamed to them: index.html (readable offline), data.json with the same,
 * and their documents and photos. Every query is bound to the applicant's own id; a companion's
 * booking shows the booking, never the other visitors' data. The inmate's name is masked as every page
 * and mail shows it to the family: the export must not unmask a stranger (an application for any call
 * number, still pending, would otherwise give the name in full).
 */

const safeName = (s: string) => s.replace(/[\\/:*?"<>|\p{Cc}]/gu, '_').slice(0, 120) || 'file';

export async function collectMyData(db: Db, applicantId: number, now: Date): Promise<MyData | null> {
  const p = await db.query(
    `SELECT name, national_id, email, to_char(birthday, 'YYYY-MM-DD') AS birthday, mobile, phone, locale,
            created_at, email_verified_at, privacy_consent_at, optional_mail_stopped_at
       FROM applicant WHERE id = $1 AND erased_at IS NULL`,
    [applicantId],
  );
  const a = p.rows[0];
  if (!a) return null;
  const apps = await db.query(
    `SELECT s.id, s.number, s.service, i.name_zh, i.name_en, m.name AS inmate, m.call_number, s.relationship, s.status,
            s.submitted_at, s.decided_at, coalesce(s.rejection_reason, s.cancel_reason) AS reason
       FROM service_application s JOIN inmate m ON m.id = s.inmate_id JOIN institution i ON i.code = s.institution_code
      WHERE s.applicant_id = $1 ORDER BY s.submitted_at, s.id`,
    [applicantId],
  );
  const docs = await db.query(
    `SELECT d.id, d.application_id, d.kind, d.file_name, d.media_type, length(d.content) AS bytes, d.created_at, d.replaced_at
       FROM application_document d JOIN service_application s ON s.id = d.application_id
      WHERE s.applicant_id = $1 ORDER BY d.id`,
    [applicantId],
  );
  const bookings = await db.query(
    `SELECT b.number, CASE WHEN b.booker_id = $1 THEN 'booker' ELSE 'visitor' END AS role, i.name_zh, i.name_en,
            m.name AS inmate, b.visit_kind, to_char(b.visit_date, 'YYYY-MM-DD') AS visit_date,
            to_char(coalesce(b.arrival_time, vb.starts_at), 'HH24:MI') AS time, b.status, b.booked_at,
            coalesce(b.rejection_reason, b.cancel_reason) AS reason
       FROM visit_booking b JOIN inmate m ON m.id = b.inmate_id JOIN institution i ON i.code = b.institution_code
       LEFT JOIN visit_batch vb ON vb.id = b.batch_id
      WHERE b.booker_id = $1 OR EXISTS (SELECT 1 FROM visit_booking_visitor v WHERE v.booking_id = b.id AND v.applicant_id = $1)
      ORDER BY b.visit_date, b.id`,
    [applicantId],
  );
  const posts = await db.query(
    `SELECT p.id, m.name AS inmate, p.title, p.body, p.status, p.submitted_at, p.photo IS NOT NULL AS has_photo,
            coalesce(p.rejection_reason, p.cancel_reason) AS reason
       FROM contact_book_post p JOIN inmate m ON m.id = p.inmate_id WHERE p.applicant_id = $1 ORDER BY p.submitted_at, p.id`,
    [applicantId],
  );
  const corrections = await db.query(
    `SELECT submitted_at, reason, status, decided_at FROM applicant_correction_request WHERE applicant_id = $1 ORDER BY submitted_at`,
    [applicantId],
  );
  const ratings = await db.query(
    `SELECT service, answer, comment, answered_at FROM rating
      WHERE applicant_id = $1 AND answer IS NOT NULL ORDER BY answered_at, id`,
    [applicantId],
  );
  const mails = await db.query(
    `SELECT channel, recipient, subject, body_text, status, created_at, sent_at FROM notification
      WHERE applicant_id = $1 ORDER BY created_at, id`,
    [applicantId],
  );
  const downloads = await db.query('SELECT at FROM applicant_data_export WHERE applicant_id = $1 ORDER BY at', [
    applicantId,
  ]);
  const inst = (r: { name_zh: string; name_en: string }) => (a.locale === 'en' ? r.name_en : r.name_zh);
  return {
    exportedAt: now,
    profile: {
      name: a.name,
      nationalId: a.national_id,
      email: a.email,
      birthday: a.birthday,
      mobile: a.mobile,
      phone: a.phone,
      locale: a.locale,
      registeredAt: a.created_at,
      emailVerifiedAt: a.email_verified_at,
      optionalMailStoppedAt: a.optional_mail_stopped_at,
    },
    consents: [{ what: 'privacy_notice', at: a.privacy_consent_at }],
    applications: apps.rows.map((s) => ({
      number: s.number,
      service: s.service,
      institution: inst(s),
      inmate: maskName(s.inmate),
      callNumber: s.call_number,
      relationship: s.relationship,
      status: s.status,
      submittedAt: s.submitted_at,
      decidedAt: s.decided_at,
      reason: reasonIn(s.reason, a.locale),
      documents: docs.rows
        .filter((d) => d.application_id === s.id)
        .map((d) => ({
          id: Number(d.id),
          kind: d.kind,
          fileName: d.file_name,
          mediaType: d.media_type,
          bytes: Number(d.bytes),
          uploadedAt: d.created_at,
          replaced: d.replaced_at !== null,
          file: `documents/${s.number}/${d.id}-${safeName(d.file_name)}`,
        })),
    })),
    bookings: bookings.rows.map((b) => ({
      number: b.number,
      role: b.role,
      institution: inst(b),
      inmate: maskName(b.inmate),
      visitKind: b.visit_kind,
      visitDate: b.visit_date,
      time: b.time,
      status: b.status,
      reason: reasonIn(b.reason, a.locale),
      bookedAt: b.booked_at,
    })),
    posts: posts.rows.map((r) => ({
      id: Number(r.id),
      inmate: maskName(r.inmate),
      title: r.title,
      body: r.body,
      status: r.status,
      reason: reasonIn(r.reason, a.locale),
      submittedAt: r.submitted_at,
      photo: r.has_photo ? `photos/post-${r.id}.jpg` : null,
    })),
    correctionRequests: corrections.rows.map((c) => ({
      submittedAt: c.submitted_at,
      reason: c.reason,
      status: c.status,
      decidedAt: c.decided_at,
    })),
    ratings: ratings.rows.map((r) => ({
      service: r.service,
      answer: Number(r.answer),
      comment: r.comment,
      answeredAt: r.answered_at,
    })),
    mails: mails.rows.map((m) => ({
      channel: m.channel,
      to: m.recipient,
      subject: m.subject,
      text: m.body_text,
      status: m.status,
      createdAt: m.created_at,
      sentAt: m.sent_at,
    })),
    downloads: downloads.rows.map((d) => ({ at: d.at })),
  };
}

/** Records a download (the family's own record; the server log has a line too). */
export async function recordDownload(db: Db, applicantId: number, ip: string | null, now: Date): Promise<void> {
  await db.query('INSERT INTO applicant_data_export (applicant_id, at, ip) VALUES ($1, $2, $3)', [
    applicantId,
    now,
    ip,
  ]);
}

/** The ZIP's file name: 我的資料-YYYYMMDD.zip in the family's language. */
export const zipFileName = (locale: Locale, now: Date) =>
  `${locale === 'en' ? 'my-data' : '我的資料'}-${now.toISOString().slice(0, 10).replaceAll('-', '')}.zip`;

/**
 * Writes the ZIP to `out` with archiver (a well-kept streaming ZIP writer), one file at a time: each
 * document or photo is read from the database only once the one before it has gone into the archive.
 * Text is deflated; documents and photos, already compressed, are stored as they are.
 */
export async function writeMyDataZip(db: Db, applicantId: number, data: MyData, out: Writable): Promise<void> {
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const failed = new Promise<never>((_, reject) => zip.on('error', reject));
  failed.catch(() => undefined);
  zip.pipe(out);
  const names = new Set<string>();
  const add = async (name: string, content: Buffer, store: boolean) => {
    // Two files of the same name (two uploads called 身分證.jpg) keep both: the second gets " (2)".
    let unique = name;
    for (let n = 2; names.has(unique); n++) unique = name.replace(/(\.[^./]*)?$/, ` (${n})$1`);
    names.add(unique);
    const added = once(zip, 'entry');
    zip.append(content, { name: unique, date: data.exportedAt, store });
    await Promise.race([added, failed]);
  };
  await add('index.html', Buffer.from(renderIndexHtml(data), 'utf8'), false);
  await add('data.json', Buffer.from(JSON.stringify(data, null, 2), 'utf8'), false);
  for (const app of data.applications) {
    for (const d of app.documents) {
      const { rows } = await db.query<{ content: Buffer }>(
        `SELECT d.content FROM application_document d JOIN service_application s ON s.id = d.application_id
          WHERE d.id = $1 AND s.applicant_id = $2`,
        [d.id, applicantId],
      );
      if (rows[0]) await add(d.file, rows[0].content, true);
    }
  }
  for (const post of data.posts) {
    if (!post.photo) continue;
    const { rows } = await db.query<{ photo: Buffer | null }>(
      'SELECT photo FROM contact_book_post WHERE id = $1 AND applicant_id = $2',
      [post.id, applicantId],
    );
    if (rows[0]?.photo) await add(post.photo, rows[0].photo, true);
  }
  await Promise.race([zip.finalize(), failed]);
}
