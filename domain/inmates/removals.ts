import type { Db } from '../platform/db.ts';
import { translator, type MessageKey } from '../i18n/i18n.ts';
import type { Locale } from '../shared/locale.ts';
import { escapeHtml } from '../shared/html.ts';
import { formatDate, taipeiToday } from '../shared/dates.ts';
import { maskName } from '../shared/masking.ts';
import { enqueueMail, type MailToSend } from '../shared/outbox.ts';
import { notifyBooking } from '../bookings/notices.ts';
import { LEFT_REASON_KEY } from '../shared/reasons.ts';

/** How many open items of the inmates who left were cancelled. */
export type Cancelled = { cancelledApplications: number; cancelledPosts: number; cancelledBookings: number };

type AppRow = { id: string; applicant_id: string; number: string; service: string; inmate_id: string };
type PostRow = { id: string; applicant_id: string; title: string; posted_on: string; inmate_id: string };

/**
 * For inmates who have left (released or transferred): pending service applications and pending
 * contact book posts are cancelled, and so are pending or approved bookings from today on; each with
 * the reason and a history line. Every booking's visitors get the booking's cancellation mail; every
 * applicant of a cancelled application or post gets one mail listing them. All in the caller's
 * transaction. `staffId` is who applied the register (null for a push).
 */
export async function cancelForInmatesWhoLeft(
  tx: Db,
  inmateIds: number[],
  staffId: number | null,
  now: Date,
): Promise<Cancelled> {
  if (!inmateIds.length) return { cancelledApplications: 0, cancelledPosts: 0, cancelledBookings: 0 };
  const reason = translator('zh-TW')(LEFT_REASON_KEY);
  const { rows: apps } = await tx.query<AppRow>(
    `UPDATE service_application SET status = 'cancelled', cancel_reason = $2, decided_at = $3, version = version + 1
      WHERE inmate_id = ANY($1::bigint[]) AND status = 'pending'
      RETURNING id, applicant_id, number, service, inmate_id`,
    [inmateIds, reason, now],
  );
  if (apps.length)
    await tx.query(
      `INSERT INTO application_event (application_id, action, staff_id, reason, at)
       SELECT unnest($1::bigint[]), 'cancelled', $2, $3, $4`,
      [apps.map((a) => a.id), staffId, reason, now],
    );
  const { rows: posts } = await tx.query<PostRow>(
    `UPDATE contact_book_post SET status = 'cancelled', cancel_reason = $2, decided_at = $3, version = version + 1
      WHERE inmate_id = ANY($1::bigint[]) AND status = 'pending'
      RETURNING id, applicant_id, title, posted_on::text, inmate_id`,
    [inmateIds, reason, now],
  );
  if (posts.length)
    await tx.query(
      `INSERT INTO contact_book_event (post_id, action, staff_id, reason, at)
       SELECT unnest($1::bigint[]), 'cancelled', $2, $3, $4`,
      [posts.map((p) => p.id), staffId, reason, now],
    );
  const { rows: bookings } = await tx.query<{ id: string }>(
    `UPDATE visit_booking SET status = 'cancelled', cancelled_at = $2, cancelled_by_staff = $3, cancelled_by_register = true,
            cancel_reason = $4, version = version + 1
      WHERE inmate_id = ANY($1::bigint[]) AND status IN ('pending', 'approved') AND visit_date >= $5::date
      RETURNING id`,
    [inmateIds, now, staffId, reason, taipeiToday(now)],
  );
  for (const b of bookings) {
    await tx.query(
      `INSERT INTO visit_booking_event (booking_id, action, staff_id, reason, at) VALUES ($1, 'cancelled', $2, $3, $4)`,
      [b.id, staffId, reason, now],
    );
    await notifyBooking(tx, Number(b.id), 'cancelled');
  }
  await mailApplicants(tx, apps, posts);
  return { cancelledApplications: apps.length, cancelledPosts: posts.length, cancelledBookings: bookings.length };
}

type Person = { id: string; email: string; name: string; locale: Locale };
type InmateInfo = { id: string; name: string; institution_code: string; name_zh: string; name_en: string };

/** One mail per applicant, in their language, listing what was cancelled and why. */
async function mailApplicants(tx: Db, apps: AppRow[], posts: PostRow[]): Promise<void> {
  const applicantIds = [...new Set([...apps, ...posts].map((x) => x.applicant_id))];
  if (!applicantIds.length) return;
  const { rows: people } = await tx.query<Person>(
    'SELECT id, email, name, locale FROM applicant WHERE id = ANY($1::bigint[])',
    [applicantIds],
  );
  const { rows: inmates } = await tx.query<InmateInfo>(
    `SELECT m.id, m.name, m.institution_code, i.name_zh, i.name_en FROM inmate m JOIN institution i ON i.code = m.institution_code
      WHERE m.id = ANY($1::bigint[])`,
    [[...new Set([...apps, ...posts].map((x) => x.inmate_id))]],
  );
  // One mail per applicant and inmate: it names the inmate, masked.
  for (const p of people)
    for (const inmate of inmates) {
      const mine = {
        apps: apps.filter((a) => a.applicant_id === p.id && a.inmate_id === inmate.id),
        posts: posts.filter((x) => x.applicant_id === p.id && x.inmate_id === inmate.id),
      };
      if (mine.apps.length || mine.posts.length) await enqueueMail(tx, leftMail(p, inmate, mine));
    }
}

function leftMail(p: Person, inmate: InmateInfo, mine: { apps: AppRow[]; posts: PostRow[] }): MailToSend {
  const t = translator(p.locale);
  const lines = [
    ...mine.apps.map((a) =>
      t('mail.inmateLeft.application', { number: a.number, service: t(`service.${a.service}` as MessageKey) }),
    ),
    ...mine.posts.map((x) => t('mail.inmateLeft.post', { title: x.title, date: formatDate(x.posted_on) })),
  ];
  const paragraphs = [
    t('mail.greeting', { name: p.name }),
    t('mail.inmateLeft.intro', {
      institution: p.locale === 'en' ? inmate.name_en : inmate.name_zh,
      inmate: maskName(inmate.name),
    }),
    lines.map((l) => `・${l}`).join('\n'),
    t('mail.inmateLeft.after'),
    t('mail.signature'),
  ];
  const text = paragraphs.join('\n\n');
  const lang = p.locale === 'zh-TW' ? 'zh-Hant-TW' : 'en';
  const body = paragraphs.map((x) => `<p>${escapeHtml(x).replace(/\n/g, '<br>')}</p>`).join('\n');
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head><body style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.6">${body}</body></html>`;
  return {
    to: p.email,
    applicantId: Number(p.id),
    institutionCode: inmate.institution_code,
    subject: t('mail.inmateLeft.subject'),
    text,
    html,
  };
}
