import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { conditions, pageOf, withTransaction, type Db } from './platform/db.ts';
import type { Locale } from './shared/locale.ts';
import { taipeiToday } from './shared/dates.ts';
import { assertMay, inScope, type StaffActor } from './shared/staff-actor.ts';
import { recordStaffAction } from './shared/audit.ts';
import { enqueueMail } from './shared/outbox.ts';
import { plainTextToHtml } from './shared/plain-text.ts';
import { translator } from './i18n/i18n.ts';
import { compose } from './mails.ts';
import { EMAIL_RE, normalizeEmail } from './applicants/vocabulary.ts';
import { refusedNameCharacter } from './shared/names.ts';

/**
 * 意見信箱: a message from anyone to one institution or (institution null) to the agency (矯正署). It lands
 * in that institution's queue (agency messages: the agency administrator's); staff with the task
 * 'feedback' in scope reply once, mailed when the sender gave an address. The sender gets a case number
 * (F20261127-ABC123) and a short secret; the public lookup needs the number with the secret or the
 * reply address, never the number alone.
 */

export const FEEDBACK_TOPICS = ['suggestion', 'question', 'complaint', 'praise', 'other'] as const;
export type FeedbackTopic = (typeof FEEDBACK_TOPICS)[number];
export type FeedbackStatus = 'received' | 'replied';
export const MESSAGE_MAX = 2000;
export const NAME_MAX = 50;
export const REPLY_MAX = 4000;
export const STAFF_PAGE_SIZE = 20;

export type FeedbackInput = {
  topic: string;
  /** null: the agency itself */
  institutionCode: string | null;
  message: string;
  name: string;
  email: string;
  locale: Locale;
};
export type FeedbackField = 'topic' | 'institution' | 'message' | 'name' | 'email';
export type FeedbackProblems = Partial<Record<FeedbackField, 'required' | 'too_long' | 'invalid'>>;

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const randomCode = (n: number) => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
export const FEEDBACK_NUMBER_RE = /^F\d{8}-[0-9A-Z]{6}$/;

/** A case number and secret of the shape real ones have (also what a filled honeypot is shown). */
export function newCaseNumber(now: Date): { number: string; secret: string } {
  return { number: `F${taipeiToday(now).replaceAll('-', '')}-${randomCode(6)}`, secret: randomCode(8) };
}

/** The secret as people may type it: any case, spaces and dashes ignored, full-width folded. */
const normalizeSecret = (s: string) => s.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
const hashSecret = (s: string) => createHash('sha256').update(normalizeSecret(s)).digest('hex');
const codePoints = (s: string) => [...s].length;

export function cleanFeedbackText(s: string): string {
  return s.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

export function checkFeedback(input: FeedbackInput): FeedbackProblems {
  const p: FeedbackProblems = {};
  if (!(FEEDBACK_TOPICS as readonly string[]).includes(input.topic)) p.topic = 'required';
  if (input.institutionCode !== null && !/^\d{4}$/.test(input.institutionCode)) p.institution = 'required';
  if (!input.message) p.message = 'required';
  else if (codePoints(input.message) > MESSAGE_MAX) p.message = 'too_long';
  if (codePoints(input.name) > NAME_MAX || input.name.includes('\n')) p.name = 'too_long';
  else if (refusedNameCharacter(input.name) !== null) p.name = 'invalid';
  if (input.email && (input.email.length > 254 || !EMAIL_RE.test(input.email))) p.email = 'invalid';
  return p;
}

export type FeedbackSent =
  { kind: 'sent'; number: string; secret: string } | { kind: 'invalid'; problems: FeedbackProblems };

/** 送出意見: stored with its number, and the receipt mailed (if an address was given), in one transaction. */
export async function submitFeedback(pool: pg.Pool, raw: FeedbackInput, now: Date): Promise<FeedbackSent> {
  const input = {
    ...raw,
    message: cleanFeedbackText(raw.message),
    name: raw.name.trim(),
    email: normalizeEmail(raw.email),
  };
  const problems = checkFeedback(input);
  if (input.institutionCode !== null && !problems.institution) {
    const { rowCount } = await pool.query('SELECT 1 FROM institution WHERE code = $1', [input.institutionCode]);
    if (!rowCount) problems.institution = 'required';
  }
  if (Object.keys(problems).length) return { kind: 'invalid', problems };
  return withTransaction(pool, async (tx) => {
    for (;;) {
      const { number, secret } = newCaseNumber(now);
      const { rowCount } = await tx.query(
        `INSERT INTO feedback (number, secret_hash, topic, institution_code, message, sender_name, email, locale, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (number) DO NOTHING`,
        [
          number,
          hashSecret(secret),
          input.topic,
          input.institutionCode,
          input.message,
          input.name || null,
          input.email || null,
          input.locale,
          now,
        ],
      );
      if (!rowCount) continue;
      if (input.email) await enqueueMail(tx, receiptMail(input.locale, input.email, number, input.institutionCode));
      return { kind: 'sent', number, secret };
    }
  });
}

function receiptMail(locale: Locale, to: string, number: string, institutionCode: string | null) {
  const t = translator(locale);
  const { text, html } = compose(locale, [
    t('mail.greetingPlain'),
    t('mail.feedback.received', { number }),
    t('mail.feedback.lookup'),
    t('mail.signature'),
  ]);
  return { to, subject: t('mail.feedback.subject.received', { number }), text, html, institutionCode };
}

function replyMail(locale: Locale, to: string, number: string, reply: string, institutionCode: string | null) {
  const t = translator(locale);
  const { text, html } = compose(locale, [
    t('mail.greetingPlain'),
    t('mail.feedback.replied', { number }),
    reply,
    t('mail.signature'),
  ]);
  return { to, subject: t('mail.feedback.subject.replied', { number }), text, html, institutionCode };
}

type Row = {
  id: number;
  number: string;
  secret_hash: string;
  topic: FeedbackTopic;
  institution_code: string | null;
  name_zh: string | null;
  name_en: string | null;
  message: string;
  sender_name: string | null;
  email: string | null;
  locale: Locale;
  status: FeedbackStatus;
  reply: string | null;
  replied_at: Date | null;
  created_at: Date;
};
const FROM = 'FROM feedback f LEFT JOIN institution i ON i.code = f.institution_code';
const COLUMNS = `f.*, i.name_zh, i.name_en`;

/** What the sender reads on the progress lookup. */
export type FeedbackProgress = {
  number: string;
  topic: FeedbackTopic;
  institutionName: string | null;
  status: FeedbackStatus;
  createdAt: Date;
  replyHtml: string | null;
  repliedAt: Date | null;
};

const institutionName = (r: Row, locale: Locale) => (locale === 'en' ? r.name_en : r.name_zh);

/** The case, if `key` is its secret or its reply address; else null, the same for a wrong number. */
export async function lookupFeedback(
  db: Db,
  number: string,
  key: string,
  locale: Locale,
): Promise<FeedbackProgress | null> {
  const n = number.normalize('NFKC').trim().toUpperCase();
  const k = key.normalize('NFKC').trim();
  if (!FEEDBACK_NUMBER_RE.test(n) || !k) return null;
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE f.number = $1`, [n]);
  const r = rows[0];
  // Hashed whatever it is, so a found and a missing number take the same work.
  const given = Buffer.from(hashSecret(k), 'hex');
  const stored = Buffer.from(r?.secret_hash ?? '0'.repeat(64), 'hex');
  const secretOk = timingSafeEqual(given, stored);
  const emailOk = !!r?.email && k.includes('@') && r.email.toLowerCase() === normalizeEmail(k).toLowerCase();
  if (!r || !(secretOk || emailOk)) return null;
  return {
    number: r.number,
    topic: r.topic,
    institutionName: institutionName(r, locale),
    status: r.status,
    createdAt: r.created_at,
    replyHtml: r.reply === null ? null : plainTextToHtml(r.reply),
    repliedAt: r.replied_at,
  };
}

/** As staff see one. */
export type FeedbackRecord = {
  id: number;
  number: string;
  topic: FeedbackTopic;
  institutionCode: string | null;
  institutionName: string | null;
  message: string;
  senderName: string | null;
  email: string | null;
  status: FeedbackStatus;
  reply: string | null;
  repliedAt: Date | null;
  createdAt: Date;
};
const toRecord = (r: Row, locale: Locale): FeedbackRecord => ({
  id: r.id,
  number: r.number,
  topic: r.topic,
  institutionCode: r.institution_code,
  institutionName: institutionName(r, locale),
  message: r.message,
  senderName: r.sender_name,
  email: r.email,
  status: r.status,
  reply: r.reply,
  repliedAt: r.replied_at,
  createdAt: r.created_at,
});

/** An institution's staff see its messages; the agency administrator the agency's and every institution's. */
const mayTouch = (actor: StaffActor, code: string | null) =>
  code === null ? actor.institutionCode === null : inScope(actor, code);

/** The queue in the actor's scope, unanswered first, newest first; `status` filters. */
export async function listFeedback(
  db: Db,
  actor: StaffActor,
  locale: Locale,
  opts: { status: FeedbackStatus | null; page: number },
) {
  assertMay(actor, 'feedback');
  const where = conditions();
  if (actor.institutionCode !== null) where.add('f.institution_code = ?', actor.institutionCode);
  if (opts.status) where.add('f.status = ?', opts.status);
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n ${FROM} ${where.sql()}`, where.params))
    .rows[0]!.n;
  const { page, pages, limitSql } = pageOf(total, opts.page, STAFF_PAGE_SIZE);
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} ${FROM} ${where.sql()} ORDER BY f.status = 'replied', f.created_at DESC, f.id DESC ${limitSql}`,
    where.params,
  );
  return { rows: rows.map((r) => toRecord(r, locale)), total, page, pages };
}

/** One message; another institution's (or, for an institution, the agency's) is not found. */
export async function getFeedback(db: Db, actor: StaffActor, id: number, locale: Locale) {
  assertMay(actor, 'feedback');
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE f.id = $1`, [id]);
  return rows[0] && mayTouch(actor, rows[0].institution_code) ? toRecord(rows[0], locale) : null;
}

export type FeedbackReplied =
  | { kind: 'replied'; mailed: boolean }
  | { kind: 'invalid'; problem: 'required' | 'too_long' }
  | { kind: 'already' }
  | { kind: 'not_found' };

/** 回覆: stored, mailed to the sender's address (if any) and audited, in one transaction; once per message. */
export async function replyToFeedback(
  pool: pg.Pool,
  actor: StaffActor,
  id: number,
  rawReply: string,
  now: Date,
): Promise<FeedbackReplied> {
  assertMay(actor, 'feedback');
  const reply = cleanFeedbackText(rawReply);
  if (!reply) return { kind: 'invalid', problem: 'required' };
  if (codePoints(reply) > REPLY_MAX) return { kind: 'invalid', problem: 'too_long' };
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE f.id = $1 FOR UPDATE OF f`, [id]);
    const r = rows[0];
    if (!r || !mayTouch(actor, r.institution_code)) return { kind: 'not_found' };
    if (r.status === 'replied') return { kind: 'already' };
    await tx.query(
      `UPDATE feedback SET status = 'replied', reply = $2, replied_by = $3, replied_at = $4 WHERE id = $1`,
      [id, reply, actor.staffId, now],
    );
    if (r.email) await enqueueMail(tx, replyMail(r.locale, r.email, r.number, reply, r.institution_code));
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: 'feedback.replied',
      objectType: 'feedback',
      objectId: id,
      institutionCode: r.institution_code,
      ip: actor.ip,
      details: { old: { status: r.status }, new: { status: 'replied', reply, mailed: !!r.email } },
      at: now,
    });
    return { kind: 'replied', mailed: !!r.email };
  });
}
