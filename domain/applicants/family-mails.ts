import { translator } from '../i18n/i18n.ts';
import { compose } from '../mails.ts';
import { formatDate } from '../shared/dates.ts';
import type { Locale } from '../shared/locale.ts';
import { maskIdentityNumber } from '../shared/masking.ts';
import type { MailToSend } from '../shared/outbox.ts';

/** The mails of 家屬資料查詢修改: what staff corrected, and the answer to a correction request. */

export type IdentityChange =
  | { field: 'name'; old: string; new: string }
  | { field: 'nationalId'; old: string; new: string }
  | { field: 'birthday'; old: string; new: string };

type To = { locale: Locale; applicantId: number; to: string; name: string; institutionCode: string | null };

/** One line per change, old → new; ID numbers masked to their last 4 (a mail can be read by others). */
export function changeLines(locale: Locale, changes: readonly IdentityChange[]): string {
  const t = translator(locale);
  const shown = (c: IdentityChange, v: string) =>
    c.field === 'nationalId' ? maskIdentityNumber(v) : c.field === 'birthday' ? formatDate(v) : v;
  return changes
    .map((c) =>
      t('mail.family.changeLine', { field: t(`field.${c.field}`), old: shown(c, c.old), new: shown(c, c.new) }),
    )
    .join('\n');
}

/** Staff corrected the applicant's identity fields (on their own, or accepting the applicant's request). */
export function identityCorrectedMail(
  v: To,
  changes: readonly IdentityChange[],
  reason: string,
  requestedOn: Date | null,
): MailToSend {
  const t = translator(v.locale);
  const { text, html } = compose(v.locale, [
    t('mail.greeting', { name: v.name }),
    requestedOn ? t('mail.family.requestAccepted', { date: formatDate(requestedOn) }) : t('mail.family.corrected'),
    changes.length ? changeLines(v.locale, changes) : t('mail.family.noChange'),
    t('mail.family.reason', { reason }),
    t('mail.family.ifWrong'),
    t('mail.signature'),
  ]);
  return {
    to: v.to,
    applicantId: v.applicantId,
    institutionCode: v.institutionCode,
    subject: t('mail.family.corrected.subject'),
    text,
    html,
  };
}

/** The applicant's correction request was refused, with the staff member's reason. */
export function correctionRefusedMail(v: To, requestedOn: Date, reason: string): MailToSend {
  const t = translator(v.locale);
  const { text, html } = compose(v.locale, [
    t('mail.greeting', { name: v.name }),
    t('mail.family.requestRefused', { date: formatDate(requestedOn) }),
    t('mail.family.reason', { reason }),
    t('mail.family.askAgain'),
    t('mail.signature'),
  ]);
  return {
    to: v.to,
    applicantId: v.applicantId,
    institutionCode: v.institutionCode,
    subject: t('mail.family.refused.subject'),
    text,
    html,
  };
}
