import { translator } from '../i18n/i18n.ts';
import { compose, LINK_PLACEHOLDER } from '../mails.ts';
import type { Locale } from '../shared/locale.ts';
import type { MailToSend } from '../shared/outbox.ts';
import { CONFIRM_EMAIL_LINK_HOURS, SET_PASSWORD_LINK_HOURS } from './vocabulary.ts';

/** The staff's own mails: a password-set link, and the link confirming a new address. The link only in `secrets`. */
type StaffMailTo = { locale: Locale; to: string; name: string; account: string; publicUrl: string; token: string };

export function setPasswordMail(m: StaffMailTo & { institutionCode: string | null }): MailToSend {
  const t = translator(m.locale);
  const { text, html } = compose(m.locale, [
    t('mail.greeting', { name: m.name }),
    t('staff.mail.setPassword.intro', { account: m.account }),
    LINK_PLACEHOLDER,
    t('staff.mail.setPassword.expiry', { hours: SET_PASSWORD_LINK_HOURS }),
    t('staff.mail.notYou'),
    t('mail.signature'),
  ]);
  return {
    to: m.to,
    institutionCode: m.institutionCode,
    subject: t('staff.mail.setPassword.subject'),
    text,
    html,
    secrets: { [LINK_PLACEHOLDER]: `${m.publicUrl}/backoffice/password?token=${m.token}` },
  };
}

export function confirmEmailMail(m: StaffMailTo & { institutionCode: string | null }): MailToSend {
  const t = translator(m.locale);
  const { text, html } = compose(m.locale, [
    t('mail.greeting', { name: m.name }),
    t('staff.mail.confirmEmail.intro', { account: m.account }),
    LINK_PLACEHOLDER,
    t('staff.mail.confirmEmail.expiry', { hours: CONFIRM_EMAIL_LINK_HOURS }),
    t('staff.mail.notYou'),
    t('mail.signature'),
  ]);
  return {
    to: m.to,
    institutionCode: m.institutionCode,
    subject: t('staff.mail.confirmEmail.subject'),
    text,
    html,
    secrets: { [LINK_PLACEHOLDER]: `${m.publicUrl}/backoffice/email/confirm?token=${m.token}` },
  };
}
