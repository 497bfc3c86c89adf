import { isIP } from 'node:net';
import { z } from 'zod';

/** Everything the portal reads from its environment, validated once at start. */
export type Config = {
  env: 'development' | 'test' | 'production';
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  sessionSecret: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  /** Dev mailbox: mails stored and listed on /dev/mailbox instead of sent. Never in production. */
  devMailbox: boolean;
  /** Demo institutions, inmates, announcements and staff, loaded once. Never in production. */
  loadDemoData: boolean;
  secureCookies: boolean;
  /** The SMS gateway (see domain/infra/sms.ts); none: text messages are only recorded in the log. */
  smsUrl: string | undefined;
  smsToken: string | undefined;
  /** The video service's join address; a booking's unguessable token is added to it. */
  videoServiceUrl: string;
  /**
   * A separate, cookieless origin (scheme://host[:port]) where documents open for viewing through
   * short-lived signed links; none: documents are only downloaded (attachments).
   */
  documentsOrigin: string | undefined;
  /**
   * Express's 'trust proxy' (TRUST_PROXY): which X-Forwarded-For entries to believe. false (unset): none,
   * the connection's own address is the client's; a number: that many proxies in front; a list: the
   * addresses or networks of the proxies.
   */
  trustProxy: false | number | string[];
  /** Documents and photos of decided cases are deleted after this many years (RETENTION_YEARS, default 2). */
  retentionYears: number;
  /**
   * 服務機 (kiosk) idle limit in seconds (KIOSK_IDLE_SECONDS, default 180): the session ends this long
   * after the last request, and with JavaScript a warning shows a minute before (two thirds of it when
   * shorter than two minutes). Tests shorten it.
   */
  kioskIdleSeconds: number;
};

export const DEFAULT_RETENTION_YEARS = 2;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Configuration is not valid:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Outside production, remote and mobile visit links point here: .invalid never resolves. */
export const DEFAULT_VIDEO_SERVICE_URL = 'https://video-visit.invalid/join';

const DEV_SECRET = 'development-only-session-secret-not-for-production';

const schema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'], {
      error: 'NODE_ENV must be development, test or production',
    })
    .default('development'),
  PORT: z.coerce
    .number({ error: 'PORT must be a number' })
    .int('PORT must be a whole number')
    .min(0, 'PORT must be 0–65535')
    .max(65535, 'PORT must be 0–65535')
    .default(3000),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an http(s) URL such as https://portal.example.gov.tw' })
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(
      /^(.+<)?[^@\s<>]+@[^@\s<>]+>?$/,
      'MAIL_FROM must be an address such as "便民服務入口網 <noreply@example.gov.tw>"',
    )
    .optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  DEMO_DATA: z.enum(['true', 'false'], { error: 'DEMO_DATA must be true or false' }).optional(),
  SMS_URL: z.url({ protocol: /^https?$/, error: 'SMS_URL must be the http(s) address of the SMS gateway' }).optional(),
  SMS_TOKEN: z.string().min(8, 'SMS_TOKEN must be at least 8 characters').optional(),
  VIDEO_SERVICE_URL: z
    .url({ protocol: /^https$/, error: 'VIDEO_SERVICE_URL must be an https:// address of the video visit service' })
    .optional(),
  DOCUMENTS_ORIGIN: z
    .url({
      protocol: /^https?$/,
      error: 'DOCUMENTS_ORIGIN must be an http(s) origin such as https://docs.portal.example.gov.tw',
    })
    .optional(),
  TRUST_PROXY: z.string().optional(),
  RETENTION_YEARS: z.coerce
    .number({ error: 'RETENTION_YEARS must be a number' })
    .int('RETENTION_YEARS must be a whole number of years')
    .min(1, 'RETENTION_YEARS must be 1–50')
    .max(50, 'RETENTION_YEARS must be 1–50')
    .default(DEFAULT_RETENTION_YEARS),
  KIOSK_IDLE_SECONDS: z.coerce
    .number({ error: 'KIOSK_IDLE_SECONDS must be a number' })
    .int('KIOSK_IDLE_SECONDS must be a whole number')
    .min(6, 'KIOSK_IDLE_SECONDS must be 6–3600')
    .max(3600, 'KIOSK_IDLE_SECONDS must be 6–3600')
    .default(180),
});

const TRUST_PROXY_HELP =
  'TRUST_PROXY must be the number of proxies in front of the portal (such as 1), or a comma-separated list of ' +
  'their addresses or networks (such as 10.0.0.5, 10.0.1.0/24, or loopback)';

/** TRUST_PROXY as Express takes it, or a problem to report. */
export function parseTrustProxy(value: string | undefined): { value: false | number | string[] } | { problem: string } {
  if (value === undefined) return { value: false };
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops >= 1 && hops <= 10 ? { value: hops } : { problem: `${TRUST_PROXY_HELP}; a hop count is 1–10` };
  }
  // true would trust any X-Forwarded-For a client sends, so anyone could pick the address limits count.
  if (/^(true|false|yes|no)$/i.test(v)) return { problem: TRUST_PROXY_HELP };
  const entries = v.split(',').map((e) => e.trim());
  const named = ['loopback', 'linklocal', 'uniquelocal'];
  const bad = entries.filter((e) => {
    if (named.includes(e)) return false;
    const [ip = '', bits, ...rest] = e.split('/');
    const family = isIP(ip);
    if (!family || rest.length) return true;
    if (bits === undefined) return false;
    return !/^\d+$/.test(bits) || Number(bits) > (family === 4 ? 32 : 128);
  });
  return bad.length ? { problem: `${TRUST_PROXY_HELP}; not understood: ${bad.join(', ')}` } : { value: entries };
}

/** Reads the environment; throws ConfigError listing every bad value at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty variables count as unset, as a shell `FOO=` usually means.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => i.message));
  }
  const v = parsed.data;
  const production = v.NODE_ENV === 'production';
  const problems: string[] = [];
  if (production) {
    if (!v.SESSION_SECRET) problems.push('SESSION_SECRET is required in production (at least 32 random characters)');
    if (!v.SMTP_URL) problems.push('SMTP_URL is required in production: mail cannot be delivered without it');
    if (!v.MAIL_FROM) problems.push('MAIL_FROM is required in production');
    if (!v.PUBLIC_URL) problems.push('PUBLIC_URL is required in production: links in mails are built from it');
    if (!v.DATABASE_URL)
      problems.push('DATABASE_URL is required in production: the embedded database is for trying the portal only');
    if (v.DEMO_DATA === 'true') problems.push('DEMO_DATA cannot be true in production');
    if (v.SMS_URL && !v.SMS_URL.startsWith('https://'))
      problems.push('SMS_URL must be https:// in production: the token and video links travel in it');
    if (!v.VIDEO_SERVICE_URL)
      problems.push('VIDEO_SERVICE_URL is required in production: remote and mobile visits are joined there');
  }
  const publicUrl = (v.PUBLIC_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, '');
  const documentsOrigin = v.DOCUMENTS_ORIGIN ? new URL(v.DOCUMENTS_ORIGIN) : undefined;
  if (documentsOrigin) {
    if (production && documentsOrigin.protocol !== 'https:')
      problems.push('DOCUMENTS_ORIGIN must be https:// in production');
    // Another host, so the portal's cookies never go there and a document cannot act on the portal.
    if (documentsOrigin.hostname === new URL(publicUrl).hostname)
      problems.push('DOCUMENTS_ORIGIN must be a different host from PUBLIC_URL (for example docs.<your portal host>)');
    if (documentsOrigin.pathname !== '/' || documentsOrigin.search || documentsOrigin.hash)
      problems.push('DOCUMENTS_ORIGIN must be an origin only (scheme, host and port), without a path');
  }
  const trustProxy = parseTrustProxy(v.TRUST_PROXY);
  if ('problem' in trustProxy) problems.push(trustProxy.problem);
  if (problems.length) throw new ConfigError(problems);
  return {
    env: v.NODE_ENV,
    port: v.PORT,
    publicUrl,
    databaseUrl: v.DATABASE_URL,
    sessionSecret: v.SESSION_SECRET ?? DEV_SECRET,
    smtpUrl: v.SMTP_URL,
    mailFrom: v.MAIL_FROM ?? '法務部矯正署便民服務入口網 <noreply@portal.localhost>',
    logLevel: v.LOG_LEVEL,
    devMailbox: !production && !v.SMTP_URL,
    loadDemoData: !production && v.DEMO_DATA !== 'false',
    secureCookies: publicUrl.startsWith('https://'),
    smsUrl: v.SMS_URL,
    smsToken: v.SMS_TOKEN,
    videoServiceUrl: (v.VIDEO_SERVICE_URL ?? DEFAULT_VIDEO_SERVICE_URL).replace(/\/+$/, ''),
    documentsOrigin: documentsOrigin?.origin,
    trustProxy: 'value' in trustProxy ? trustProxy.value : false,
    retentionYears: v.RETENTION_YEARS,
    kioskIdleSeconds: v.KIOSK_IDLE_SECONDS,
  };
}
