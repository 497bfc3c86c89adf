import { type Locale, translator } from './infra/i18n.ts';
import type { MailToSend } from './notifications.ts';
import { escapeHtml } from './infra/html.ts';

/** Where a one-time link goes in a stored mail body; the worker fills it in when sending. */
export const LINK_PLACEHOLDER = '[[link]]';

/** Paragraphs of plain text → the text body and a simple, accessible HTML body. Lines equal to a URL become links. */
function compose(locale: Locale, paragraphs: string[]): { text: string; html: string } {
  const text = paragraphs.join('\n\n');
  const body = paragraphs
    .map((p) => {
      const trimmed = p.trim();
      if (trimmed === LINK_PLACEHOLDER || /^https?:\/\/\S+$/.test(trimmed)) {
        return `<p><a href="${escapeHtml(trimmed)}">${escapeHtml(trimmed)}</a></p>`;
      }
      return `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`;
    })
    .join('\n');
  const lang = locale === 'zh-TW' ? 'zh-Hant-TW' : 'en';
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head><body style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.6">${body}</body></html>`;
  return { text, html };
}

export function verificationMail(locale: Locale, applicantId: number, to: string, name: string, publicUrl: string, token: string): MailToSend {
  const t = translator(locale);
  const { text, html } = compose(locale, [
    t('mail.greeting', { name }),
    t('mail.verify.intro'),
    LINK_PLACEHOLDER,
    t('mail.verify.expiry'),
    t('mail.notYou'),
    t('mail.signature'),
  ]);
  return {
    to, applicantId, subject: t('mail.verify.subject'), text, html,
    secrets: { [LINK_PLACEHOLDER]: `${publicUrl}/account/verify?token=${token}` },
  };
}

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

export function passwordResetMail(locale: Locale, applicantId: number, to: string, name: string, publicUrl: string, token: string): MailToSend {
  const t = translator(locale);
  const { text, html } = compose(locale, [
    t('mail.greeting', { name }),
    t('mail.reset.intro'),
    LINK_PLACEHOLDER,
    t('mail.reset.expiry'),
    t('mail.reset.notYou'),
    t('mail.signature'),
  ]);
  return {
    to, applicantId, subject: t('mail.reset.subject'), text, html,
    secrets: { [LINK_PLACEHOLDER]: `${publicUrl}/account/reset?token=${token}` },
  };
}
