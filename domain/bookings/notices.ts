import type { Db } from '../platform/db.ts';
import { DEFAULT_VIDEO_SERVICE_URL } from '../platform/config.ts';
import { maskName } from '../shared/masking.ts';
import { reasonIn } from '../shared/reasons.ts';
import { enqueueMail, enqueueSms, type MailToSend } from '../shared/outbox.ts';
import {
  bookingApprovedSms,
  bookingMail,
  companionLeftMail,
  RATING_PLACEHOLDER,
  VIDEO_PLACEHOLDER,
  type BookingNoticeEvent,
} from '../mails.ts';
import { getBooking, type BookingDetail, type BookingVisitor } from './records.ts';
import { ratingLink, visitToken } from '../ratings/answers.ts';

/** 即時評價: an approval mail then carries each visitor's own link to rate the visit afterwards. */
export type RatingLinks = { publicUrl: string; now: Date };

/** What a notice needs of a booking: known before it is written, for the mail that says it was booked. */
export type NoticeBooking = Pick<
  BookingDetail,
  | 'institutionCode'
  | 'institutionNameEn'
  | 'institutionNameZh'
  | 'number'
  | 'kind'
  | 'service'
  | 'date'
  | 'startsAt'
  | 'endsAt'
  | 'lawyerArrival'
  | 'inmateName'
> & { visitors: Pick<BookingVisitor, 'applicantId' | 'position' | 'name' | 'email' | 'locale'>[] };

/** What a mail about the booking says to one of its visitors, in their language. */
function noticeView(
  b: NoticeBooking,
  visitor: NoticeBooking['visitors'][number],
  booker: { name: string } | undefined,
) {
  return {
    to: visitor.email,
    applicantId: visitor.applicantId,
    locale: visitor.locale,
    institutionCode: b.institutionCode,
    institutionName: visitor.locale === 'en' ? b.institutionNameEn : b.institutionNameZh,
    number: b.number,
    kind: b.kind,
    service: b.service,
    date: b.date,
    startsAt: b.startsAt,
    endsAt: b.endsAt,
    lawyerArrival: b.lawyerArrival,
    maskedInmate: maskName(b.inmateName),
    // Every mail goes to one of the visitors, who see each other's names in full; the inmate's is masked.
    bookerName: booker?.name ?? '',
    companionNames: b.visitors.filter((v) => v.position > 1).map((v) => v.name),
    isBooker: visitor.position === 1,
  };
}

/**
 * Tells every visitor of a booking what happened to it, in the transaction that did it: a mail each,
 * and on approval a text message to each visitor with a mobile number (for a remote or mobile visit,
 * with the video link). The link (the booking's unguessable token on the video service) travels only in
 * the delivery jobs, never in the notification log.
 */
export async function notifyVisitors(
  tx: Db,
  b: BookingDetail,
  event: BookingNoticeEvent,
  videoServiceUrl: string,
  rating?: RatingLinks,
  /** a visitor not to tell (the one whose own request made the change) */
  except?: number,
): Promise<void> {
  const booker = b.visitors.find((v) => v.position === 1);
  const video =
    event === 'approved' && b.kind !== 'onsite' && b.videoToken ? `${videoServiceUrl}/${b.videoToken}` : null;
  const secrets = video ? { [VIDEO_PLACEHOLDER]: video } : undefined;
  for (const visitor of b.visitors) {
    if (visitor.applicantId === except) continue;
    const view = {
      ...noticeView(b, visitor, booker),
      reason:
        event === 'rejected'
          ? b.rejectionReason
          : event === 'cancelled'
            ? reasonIn(b.cancelReason, visitor.locale)
            : null,
      cancelledByStaff: event === 'cancelled' && b.cancelReason !== null,
    };
    const token = event === 'approved' && rating ? await visitToken(tx, b.id, visitor.applicantId, rating.now) : null;
    const mailSecrets = token ? { ...secrets, [RATING_PLACEHOLDER]: ratingLink(rating!.publicUrl, token) } : secrets;
    await enqueueMail(tx, { ...bookingMail(view, event, video !== null, token !== null), secrets: mailSecrets });
    // Approval also goes by text message (seed 002: 以簡訊及電子郵件通知), with the video link for video visits.
    if (event === 'approved' && visitor.mobile) {
      const sms = bookingApprovedSms(view, video !== null);
      await enqueueSms(tx, {
        to: visitor.mobile,
        subject: sms.subject,
        text: sms.text,
        applicantId: visitor.applicantId,
        institutionCode: b.institutionCode,
        secrets,
      });
    }
  }
}

/**
 * 已預約: the mail each visitor gets when a booking is made, built before it is written so that the
 * booking and its mails go to the database in one statement (booking.ts, outbox.ts mailsCte).
 */
export function bookedMails(b: NoticeBooking): MailToSend[] {
  const booker = b.visitors.find((v) => v.position === 1);
  return b.visitors.map((visitor) =>
    bookingMail({ ...noticeView(b, visitor, booker), reason: null, cancelledByStaff: false }, 'booked', false, false),
  );
}

/**
 * Every visitor of the booking is told, in the same transaction as the change; `except`, a visitor whose
 * own request made it (a booker closing their account asked for no more mail), is not.
 */
export async function notifyBooking(
  tx: Db,
  bookingId: number,
  event: BookingNoticeEvent,
  opts: { videoServiceUrl?: string; rating?: RatingLinks; except?: number } = {},
): Promise<void> {
  const detail = await getBooking(tx, null, bookingId, 'zh-TW', false);
  if (detail)
    await notifyVisitors(
      tx,
      detail,
      event,
      opts.videoServiceUrl ?? DEFAULT_VIDEO_SERVICE_URL,
      opts.rating,
      opts.except,
    );
}

/** The booker is told that another visitor withdrew (the booking stays). */
export async function notifyCompanionLeft(tx: Db, b: BookingDetail, leavingName: string): Promise<void> {
  const booker = b.visitors.find((v) => v.position === 1);
  if (!booker) return;
  await enqueueMail(
    tx,
    companionLeftMail(
      { ...noticeView(b, booker, booker), isBooker: true, reason: null, cancelledByStaff: false },
      leavingName,
    ),
  );
}
