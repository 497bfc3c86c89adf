import { type MessageKey, translator } from './i18n/i18n.ts';
import { type Locale } from './shared/locale.ts';
import type { MailToSend } from './shared/outbox.ts';
import { escapeHtml } from './shared/html.ts';
import { formatDate, formatDateTime } from './shared/dates.ts';
import type { ApplicationMailView } from './applications/status.ts';

/** Where a one-time link goes in a stored mail body; the worker fills it in when sending. */
export const LINK_PLACEHOLDER = '[[link]]';
/** Where a rating link (即時評價, its one-time token) goes; filled in by the worker like LINK_PLACEHOLDER. */
export const RATING_PLACEHOLDER = '[[rating]]';

/** Paragraphs of plain text → the text body and a simple, accessible HTML body. Lines equal to a URL become links. */
export function compose(locale: Locale, paragraphs: string[]): { text: string; html: string } {
  const text = paragraphs.join('\n\n');
  const body = paragraphs
    .map((p) => {
      const trimmed = p.trim();
      if (trimmed === LINK_PLACEHOLDER || trimmed === RATING_PLACEHOLDER || /^https?:\/\/\S+$/.test(trimmed)) {
        return `<p><a href="${escapeHtml(trimmed)}">${escapeHtml(trimmed)}</a></p>`;
      }
      return `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`;
    })
    .join('\n');
  const lang = locale === 'zh-TW' ? 'zh-Hant-TW' : 'en';
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head><body style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.6">${body}</body></html>`;
  return { text, html };
}

/** A single-use link by mail: verifying the address, resetting the password, or signing in. */
function linkMail(
  kind: 'verify' | 'reset' | 'signin',
  locale: Locale,
  applicantId: number,
  to: string,
  name: string,
  url: string,
): MailToSend {
  const t = translator(locale);
  const { text, html } = compose(locale, [
    t('mail.greeting', { name }),
    t(`mail.${kind}.intro`),
    LINK_PLACEHOLDER,
    t(`mail.${kind}.expiry`),
    t(kind === 'verify' ? 'mail.notYou' : kind === 'reset' ? 'mail.reset.notYou' : 'mail.signin.notYou'),
    t('mail.signature'),
  ]);
  return { to, applicantId, subject: t(`mail.${kind}.subject`), text, html, secrets: { [LINK_PLACEHOLDER]: url } };
}

/** A link mail to an applicant: their language, id, address and name, the portal's address and the link's token. */
type LinkMailTo = (
  locale: Locale,
  applicantId: number,
  to: string,
  name: string,
  publicUrl: string,
  token: string,
) => MailToSend;

export const verificationMail: LinkMailTo = (locale, applicantId, to, name, publicUrl, token) =>
  linkMail('verify', locale, applicantId, to, name, `${publicUrl}/account/verify?token=${token}`);

export const passwordResetMail: LinkMailTo = (locale, applicantId, to, name, publicUrl, token) =>
  linkMail('reset', locale, applicantId, to, name, `${publicUrl}/account/reset?token=${token}`);

/** The slower sign-in path (account over its failure limit across addresses): the link signs in. */
export const signInLinkMail: LinkMailTo = (locale, applicantId, to, name, publicUrl, token) =>
  linkMail('signin', locale, applicantId, to, name, `${publicUrl}/account/signin-link?token=${token}`);

export function accountExistsMail(locale: Locale, applicantId: number, to: string, publicUrl: string): MailToSend {
  const t = translator(locale);
  const { text, html } = compose(locale, [
    t('mail.greetingPlain'),
    t('mail.exists.intro'),
    t('mail.exists.signIn'),
    `${publicUrl}/signin`,
    t('mail.exists.forgot'),
    `${publicUrl}/account/forgot`,
    t('mail.notYou'),
    t('mail.signature'),
  ]);
  return { to, applicantId, subject: t('mail.exists.subject'), text, html };
}

/**
 * Someone tried to register with the address or ID number of an account closed at its owner's request:
 * the answer to that attempt says why it cannot be (no sign-in or reset link, which would lead nowhere).
 */
export function accountClosedMail(locale: Locale, applicantId: number, to: string): MailToSend {
  const t = translator(locale);
  const { text, html } = compose(locale, [
    t('mail.greetingPlain'),
    t('mail.closed.intro'),
    t('mail.closed.notYou'),
    t('mail.signature'),
  ]);
  return { to, applicantId, subject: t('mail.closed.subject'), text, html };
}

/** Someone tried to register with this account's ID number: its owner is told, the form tells nobody. */
export function nationalIdTakenMail(locale: Locale, applicantId: number, to: string, publicUrl: string): MailToSend {
  const t = translator(locale);
  const { text, html } = compose(locale, [
    t('mail.greetingPlain'),
    t('mail.idTaken.intro'),
    t('mail.exists.signIn'),
    `${publicUrl}/signin`,
    t('mail.exists.forgot'),
    `${publicUrl}/account/forgot`,
    t('mail.idTaken.notYou'),
    t('mail.signature'),
  ]);
  return { to, applicantId, subject: t('mail.idTaken.subject'), text, html };
}

/** A mail about one of the applicant's cases: to them, filed under the institution, its paragraphs composed. */
function caseMail(
  v: { to: string; applicantId: number; institutionCode: string; locale: Locale },
  subject: string,
  paragraphs: string[],
): MailToSend {
  const { text, html } = compose(v.locale, paragraphs);
  return { to: v.to, applicantId: v.applicantId, institutionCode: v.institutionCode, subject, text, html };
}

function applicationDetails(v: ApplicationMailView): string {
  const t = translator(v.locale);
  const kinds = v.visitKinds.map((k) => t(`visitKind.${k}`));
  const service =
    v.service !== 'visit'
      ? t(`service.${v.service}`)
      : v.locale === 'en'
        ? `${t('service.visit')} (${kinds.join(', ')})`
        : `${t('service.visit')}（${kinds.join('、')}）`;
  return t('mail.application.details', {
    number: v.number,
    institution: v.institutionName,
    inmate: v.maskedInmate,
    relationship: t(`relationship.${v.relationship}`),
    service,
  });
}

/** Seed 003: "您於【便民服務入口網】申請服務項目目前狀態為待審核。" with the details. */
export function applicationPendingMail(v: ApplicationMailView): MailToSend {
  const t = translator(v.locale);
  return caseMail(v, t('mail.application.pendingSubject'), [
    t('mail.greetingPlain'),
    t('mail.application.pendingIntro'),
    applicationDetails(v),
    t('mail.signature'),
  ]);
}

/**
 * Seed 002: "…申請服務項目審核結果為審核通過。" (or 自動審核通過, or 審核未通過 with the staff's reason as
 * written). With a rating link (即時評價), it asks for a rating; the link travels only in the delivery job.
 */
export function applicationDecisionMail(v: ApplicationMailView, ratingUrl?: string): MailToSend {
  const t = translator(v.locale);
  const paragraphs = [
    t('mail.greetingPlain'),
    t(
      v.status === 'rejected'
        ? 'mail.application.rejected'
        : v.status === 'auto_approved'
          ? 'mail.application.autoApproved'
          : 'mail.application.approved',
    ),
    applicationDetails(v),
  ];
  if (v.status === 'rejected') paragraphs.push(t('mail.application.reason', { reason: v.rejectionReason ?? '' }));
  if (ratingUrl) paragraphs.push(t('mail.rating.ask'), RATING_PLACEHOLDER);
  paragraphs.push(t('mail.signature'));
  const mail = caseMail(v, t('mail.application.decisionSubject'), paragraphs);
  return ratingUrl ? { ...mail, secrets: { [RATING_PLACEHOLDER]: ratingUrl } } : mail;
}

export type PostMailView = {
  postId: number;
  applicantId: number;
  to: string;
  locale: Locale;
  institutionCode: string;
  institutionName: string;
  maskedInmate: string;
  relationship: string;
  title: string;
  status: 'pending' | 'approved' | 'rejected';
  rejectionReason: string | null;
  /** set when posting is suspended at this rejection (by it, the third, or still by an earlier one) */
  suspendedUntil: Date | null;
};

/**
 * Seed 001: "您於【便民服務入口網】發佈家庭連絡簿審核結果為「審核通過」。" with the recipient, the
 * relationship and the subject; a rejection adds the staff's reason and how to correct and resend, or,
 * when posting is suspended, the suspension and the moment posting opens again instead.
 */
export function postDecisionMail(v: PostMailView): MailToSend {
  const t = translator(v.locale);
  const status = t(`status.${v.status}`);
  const paragraphs = [
    t('mail.greetingPlain'),
    t('mail.post.result', { status }),
    t('mail.post.details', {
      institution: v.institutionName,
      inmate: v.maskedInmate,
      relationship: t(`relationship.${v.relationship}` as MessageKey),
      title: v.title,
    }),
  ];
  if (v.status === 'rejected') {
    const reason = v.rejectionReason ?? '';
    if (v.suspendedUntil) {
      paragraphs.push(t('mail.post.reasonOnly', { reason }));
      paragraphs.push(t('mail.post.suspended', { reopens: formatDateTime(v.suspendedUntil) }));
    } else paragraphs.push(t('mail.post.reason', { reason }));
  }
  paragraphs.push(t('mail.signature'));
  return caseMail(v, t('mail.post.subject'), paragraphs);
}

export type BookingNoticeEvent = 'booked' | 'approved' | 'rejected' | 'cancelled';

export type BookingMailView = {
  to: string;
  applicantId: number;
  locale: Locale;
  institutionCode: string;
  institutionName: string;
  number: string;
  kind: 'onsite' | 'remote' | 'mobile';
  service: 'visit' | 'lawyer_visit';
  date: string;
  startsAt: string;
  endsAt: string;
  lawyerArrival: boolean;
  maskedInmate: string;
  /** the visitors' names in full: each mail goes to one of them */
  bookerName: string;
  companionNames: string[];
  isBooker: boolean;
  /** the staff's reason for a rejection or a cancellation by staff */
  reason: string | null;
  cancelledByStaff: boolean;
};

/** Where the video link goes in a stored mail or SMS; the worker fills it in when sending. */
export const VIDEO_PLACEHOLDER = '[[video]]';

/** The visit's date and time as people read it: 2026/11/25（三）09:30–10:00, or a lawyer's arrival time. */
export function visitWhen(v: {
  locale: Locale;
  date: string;
  startsAt: string;
  endsAt: string;
  lawyerArrival: boolean;
}): string {
  const t = translator(v.locale);
  const weekday = t(`weekday.${new Date(`${v.date}T00:00:00Z`).getUTCDay() || 7}` as MessageKey);
  const date = t('booking.dateWithWeekday', { date: formatDate(v.date), weekday });
  return v.lawyerArrival
    ? t('booking.whenArrival', { date, time: v.startsAt })
    : t('booking.whenBatch', { date, start: v.startsAt, end: v.endsAt });
}

/** A booking's number, kind, time, place, inmate and visitors, as every booking mail states them. */
function bookingDetails(v: BookingMailView): string {
  const t = translator(v.locale);
  return t('mail.booking.details', {
    number: v.number,
    kind: t(`visitKind.${v.kind}`),
    when: visitWhen(v),
    institution: v.institutionName,
    inmate: v.maskedInmate,
    booker: v.bookerName,
    others: v.companionNames.length ? v.companionNames.join(v.locale === 'en' ? ', ' : '、') : t('booking.none'),
  });
}

/**
 * Seed 003's booking notices, to every visitor in their own language: received (待審核), approved
 * (with the video link for remote and mobile visits), rejected with the reason, cancelled.
 */
export function bookingMail(
  v: BookingMailView,
  event: BookingNoticeEvent,
  withVideoLink: boolean,
  /** 即時評價: the approval asks for a rating after the visit (RATING_PLACEHOLDER, in the delivery job's secrets) */
  withRatingLink = false,
): MailToSend {
  const t = translator(v.locale);
  const intro =
    event === 'booked'
      ? v.isBooker
        ? t('mail.booking.booked')
        : t('mail.booking.bookedCompanion', { booker: v.bookerName })
      : event === 'approved'
        ? t('mail.booking.approved')
        : event === 'rejected'
          ? t('mail.booking.rejected')
          : v.cancelledByStaff
            ? t('mail.booking.cancelledByStaff')
            : t('mail.booking.cancelled');
  const paragraphs = [t('mail.greetingPlain'), intro, bookingDetails(v)];
  if (v.reason && (event === 'rejected' || event === 'cancelled'))
    paragraphs.push(t('mail.booking.reason', { reason: v.reason }));
  if (event === 'approved') {
    if (withVideoLink) paragraphs.push(t('mail.booking.video'), VIDEO_PLACEHOLDER, t('mail.booking.videoNote'));
    else paragraphs.push(t(v.service === 'lawyer_visit' ? 'mail.booking.lawyerNote' : 'mail.booking.onsiteNote'));
  }
  if (event === 'booked')
    paragraphs.push(t(v.isBooker ? 'mail.booking.bookedNext' : 'mail.booking.bookedNextCompanion'));
  if (event === 'approved' && withRatingLink) paragraphs.push(t('mail.rating.afterVisit'), RATING_PLACEHOLDER);
  paragraphs.push(t('mail.signature'));
  return caseMail(v, t(`mail.booking.subject.${event}`), paragraphs);
}

/**
 * The approval text message: for video visits with the link (seed 003: 請您於約定的時間點擊以下連結開始視訊通話),
 * otherwise what to bring and when to come.
 */
export function bookingApprovedSms(v: BookingMailView, withVideoLink: boolean): { subject: string; text: string } {
  const t = translator(v.locale);
  const what = { kind: t(`visitKind.${v.kind}`), when: visitWhen(v), number: v.number };
  if (withVideoLink)
    return { subject: t('sms.booking.subject'), text: t('sms.booking.video', { ...what, link: VIDEO_PLACEHOLDER }) };
  return {
    subject: t('sms.booking.subjectApproved'),
    text: t(v.service === 'lawyer_visit' ? 'sms.booking.lawyer' : 'sms.booking.onsite', what),
  };
}

/** The booker learns that another visitor withdrew from the booking. */
export function companionLeftMail(v: BookingMailView, leaving: string): MailToSend {
  const t = translator(v.locale);
  return caseMail(v, t('mail.booking.subject.companionLeft'), [
    t('mail.greetingPlain'),
    t('mail.booking.companionLeft', { name: leaving }),
    bookingDetails(v),
    t('mail.signature'),
  ]);
}
