import nodemailer from 'nodemailer';
import type { Logger } from './logger.ts';

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * The same for every attempt at one message, so a mail sent twice (a process killed after the
   * server took it, before it was marked sent) carries one Message-ID and receivers keep one copy.
   */
  key?: string;
};

/** `<key@domain of the sender>`: a Message-ID fixed by the caller's key. */
export function messageIdFor(key: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `<${key}@${domain}>`;
}
export type MailTransport = { send(mail: OutgoingMail): Promise<void>; close(): void };

/** Real delivery through nodemailer to the SMTP server at `smtpUrl`. */
export function smtpTransport(smtpUrl: string, from: string): MailTransport {
  // Bounded, so a delivery never outlives the job's time limit (domain/jobs.ts) and is not sent twice.
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      const { key, ...message } = mail;
      await transporter.sendMail({ from, ...message, ...(key ? { messageId: messageIdFor(key, from) } : {}) });
    },
    close: () => transporter.close(),
  };
}

/**
 * Development without SMTP_URL: the mail is kept in the dev mailbox (listed on /dev/mailbox) and
 * its links are logged, so a person trying the demo can follow them.
 */
export function devMailboxTransport(store: (mail: OutgoingMail) => Promise<void>, logger: Logger): MailTransport {
  return {
    async send(mail) {
      await store(mail);
      const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
      logger.info({ to: mail.to, subject: mail.subject, links }, 'dev mailbox: mail stored (see /dev/mailbox)');
    },
    close: () => undefined,
  };
}
