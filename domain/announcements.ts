import type pg from 'pg';
import { conditions, pageOf, withTransaction, type Db } from './platform/db.ts';
import type { Locale } from './shared/locale.ts';
import { isIsoDate } from './shared/dates.ts';
import { assertMay, inScope, type StaffActor } from './shared/staff-actor.ts';
import { recordStaffAction } from './shared/audit.ts';
import { plainTextToHtml } from './shared/plain-text.ts';

/**
 * 訊息公告: notices written by administrators, for one institution or (institution_code NULL) for the
 * whole agency. Public only when published and inside their window (publish_from ≤ today ≤ publish_until,
 * Taipei dates, until optional); drafts and withdrawn ones never are. Pinned first, then newest first.
 * Written as plain text: shown through plainTextToHtml, never as markup.
 */

export const ANNOUNCEMENT_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type AnnouncementStatus = (typeof ANNOUNCEMENT_STATUSES)[number];
export const TITLE_MAX = 100;
export const BODY_MAX = 5000;
export const PUBLIC_PAGE_SIZE = 10;
export const STAFF_PAGE_SIZE = 20;
/** The home page's share of the list. */
export const HOME_COUNT = 5;

/** As the public reads it, in one language. */
export type Announcement = {
  id: number;
  title: string;
  body: string;
  /** the body as safe HTML (escaped, paragraphs, links) */
  bodyHtml: string;
  publishFrom: string;
  pinned: boolean;
  /** null: the agency (矯正署) itself */
  institutionCode: string | null;
  institutionName: string | null;
};

/** As administrators edit it: both languages. */
export type AnnouncementRecord = {
  id: number;
  institutionCode: string | null;
  institutionName: string | null;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  publishFrom: string;
  publishUntil: string | null;
  pinned: boolean;
  status: AnnouncementStatus;
  version: number;
  updatedAt: Date;
};

type Row = {
  id: number;
  institution_code: string | null;
  name_zh: string | null;
  name_en: string | null;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  publish_from: string;
  publish_until: string | null;
  pinned: boolean;
  status: AnnouncementStatus;
  version: number;
  updated_at: Date;
};

const COLUMNS = `a.id, a.institution_code, i.name_zh, i.name_en, a.title_zh, a.title_en, a.body_zh, a.body_en,
  a.publish_from, a.publish_until, a.pinned, a.status, a.version, a.updated_at`;
const FROM = 'FROM announcement a LEFT JOIN institution i ON i.code = a.institution_code';
const ORDER = 'ORDER BY a.pinned DESC, a.publish_from DESC, a.id DESC';
/** Public: published, and today inside its window. $1 is today. */
const VISIBLE = `a.status = 'published' AND a.publish_from <= $1::date AND (a.publish_until IS NULL OR a.publish_until >= $1::date)`;

function toAnnouncement(r: Row, locale: Locale): Announcement {
  const body = locale === 'en' ? r.body_en : r.body_zh;
  return {
    id: r.id,
    title: locale === 'en' ? r.title_en : r.title_zh,
    body,
    bodyHtml: plainTextToHtml(body),
    publishFrom: r.publish_from,
    pinned: r.pinned,
    institutionCode: r.institution_code,
    institutionName: r.institution_code ? (locale === 'en' ? r.name_en : r.name_zh) : null,
  };
}

function toRecord(r: Row, locale: Locale): AnnouncementRecord {
  return {
    id: r.id,
    institutionCode: r.institution_code,
    institutionName: r.institution_code ? (locale === 'en' ? r.name_en : r.name_zh) : null,
    titleZh: r.title_zh,
    titleEn: r.title_en,
    bodyZh: r.body_zh,
    bodyEn: r.body_en,
    publishFrom: r.publish_from,
    publishUntil: r.publish_until,
    pinned: r.pinned,
    status: r.status,
    version: r.version,
    updatedAt: r.updated_at,
  };
}

// ---- public ----

/** The public list's first `limit` (the home page): pinned first, then newest first. */
export async function listAnnouncements(db: Db, locale: Locale, today: string, limit = HOME_COUNT) {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE ${VISIBLE} ${ORDER} LIMIT $2`, [today, limit]);
  return rows.map((r) => toAnnouncement(r, locale));
}

/** Whose announcements to list: every one, the agency's own, or one institution's. */
export type AnnouncementSource = { kind: 'all' } | { kind: 'agency' } | { kind: 'institution'; code: string };

export type AnnouncementPage<T> = { rows: T[]; total: number; page: number; pages: number };

/** 訊息公告: one page of the public list, optionally of one source. */
export async function listPublicAnnouncements(
  db: Db,
  locale: Locale,
  today: string,
  opts: { source: AnnouncementSource; page: number },
): Promise<AnnouncementPage<Announcement>> {
  const params: unknown[] = [today];
  let where = VISIBLE;
  if (opts.source.kind === 'agency') where += ' AND a.institution_code IS NULL';
  if (opts.source.kind === 'institution') {
    params.push(opts.source.code);
    where += ' AND a.institution_code = $2';
  }
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n ${FROM} WHERE ${where}`, params)).rows[0]!.n;
  const { page, pages, limitSql } = pageOf(total, opts.page, PUBLIC_PAGE_SIZE);
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE ${where} ${ORDER} ${limitSql}`, params);
  return { rows: rows.map((r) => toAnnouncement(r, locale)), total, page, pages };
}

/** One public announcement; a draft, a withdrawn one or one outside its window is not found. */
export async function getAnnouncement(db: Db, locale: Locale, id: number, today: string): Promise<Announcement | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE ${VISIBLE} AND a.id = $2`, [today, id]);
  return rows[0] ? toAnnouncement(rows[0], locale) : null;
}

// ---- back office ----

/** The announcements inside the actor's scope (an institution's own; the agency's: all), newest first. */
export async function listStaffAnnouncements(
  db: Db,
  actor: StaffActor,
  locale: Locale,
  requestedPage: number,
): Promise<AnnouncementPage<AnnouncementRecord>> {
  assertMay(actor, 'announcements');
  const where = conditions();
  if (actor.institutionCode !== null) where.add('a.institution_code = ?', actor.institutionCode);
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n ${FROM} ${where.sql()}`, where.params))
    .rows[0]!.n;
  const { page, pages, limitSql } = pageOf(total, requestedPage, STAFF_PAGE_SIZE);
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} ${FROM} ${where.sql()} ORDER BY a.publish_from DESC, a.id DESC ${limitSql}`,
    where.params,
  );
  return { rows: rows.map((r) => toRecord(r, locale)), total, page, pages };
}

/** Where an announcement stands for the public today, as the back-office list says it. */
export type PublicState = 'draft' | 'withdrawn' | 'scheduled' | 'public' | 'ended';

export function publicState(a: Pick<AnnouncementRecord, 'status' | 'publishFrom' | 'publishUntil'>, today: string) {
  if (a.status !== 'published') return a.status;
  if (a.publishFrom > today) return 'scheduled';
  return a.publishUntil !== null && a.publishUntil < today ? 'ended' : 'public';
}

/** Whether the actor may see and change an announcement of this source (null: agency-wide). */
function mayTouch(actor: StaffActor, institutionCode: string | null): boolean {
  return institutionCode === null ? actor.institutionCode === null : inScope(actor, institutionCode);
}

/** One announcement to edit; another institution's (or, for an institution, the agency's) is not found. */
export async function getStaffAnnouncement(
  db: Db,
  actor: StaffActor,
  id: number,
  locale: Locale,
): Promise<AnnouncementRecord | null> {
  assertMay(actor, 'announcements');
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE a.id = $1`, [id]);
  const row = rows[0];
  return row && mayTouch(actor, row.institution_code) ? toRecord(row, locale) : null;
}

export type AnnouncementInput = {
  /** null: agency-wide (agency administrators only) */
  institutionCode: string | null;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  publishFrom: string;
  publishUntil: string | null;
  pinned: boolean;
  status: AnnouncementStatus;
};

export type AnnouncementField = keyof AnnouncementInput;
export type AnnouncementProblem = 'required' | 'too_long' | 'date' | 'before_from' | 'invalid';
export type AnnouncementProblems = Partial<Record<AnnouncementField, AnnouncementProblem>>;

const graphemes = new Intl.Segmenter('zh-Hant', { granularity: 'grapheme' });

/** Characters as a person counts them (one Chinese character, one emoji with its joins), after cleanText. */
export function countCharacters(s: string): number {
  let n = 0;
  for (const _ of graphemes.segment(cleanText(s))) n += 1;
  return n;
}

// The database's own ceilings, in code points: a text within the limit a person sees is always within them.
const TITLE_CODE_POINTS = 200;
const BODY_CODE_POINTS = 20000;
const tooLong = (s: string, max: number, codePoints: number) => countCharacters(s) > max || [...s].length > codePoints;

/** Text as stored: NFC, Windows line breaks made plain, no blank edges. */
export function cleanText(s: string): string {
  return s.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

/** What is wrong with an announcement as typed (after cleanText); empty when nothing is. */
export function checkAnnouncement(input: AnnouncementInput): AnnouncementProblems {
  const problems: AnnouncementProblems = {};
  for (const f of ['titleZh', 'titleEn'] as const) {
    if (!input[f]) problems[f] = 'required';
    else if (tooLong(input[f], TITLE_MAX, TITLE_CODE_POINTS) || input[f].includes('\n')) problems[f] = 'too_long';
  }
  for (const f of ['bodyZh', 'bodyEn'] as const) {
    if (!input[f]) problems[f] = 'required';
    else if (tooLong(input[f], BODY_MAX, BODY_CODE_POINTS)) problems[f] = 'too_long';
  }
  if (!isIsoDate(input.publishFrom)) problems.publishFrom = input.publishFrom ? 'date' : 'required';
  if (input.publishUntil !== null) {
    if (!isIsoDate(input.publishUntil)) problems.publishUntil = 'date';
    else if (!problems.publishFrom && input.publishUntil < input.publishFrom) problems.publishUntil = 'before_from';
  }
  if (!(ANNOUNCEMENT_STATUSES as readonly string[]).includes(input.status)) problems.status = 'invalid';
  if (input.institutionCode !== null && !/^\d{4}$/.test(input.institutionCode)) problems.institutionCode = 'invalid';
  return problems;
}

export type AnnouncementWrite =
  | { kind: 'saved'; id: number }
  | { kind: 'invalid'; problems: AnnouncementProblems }
  | { kind: 'not_found' }
  | { kind: 'conflict' };

/** The stored values in column order, as the audit log keeps them (old and new) and the writes bind them. */
function auditValues(x: AnnouncementInput | AnnouncementRecord) {
  const { institutionCode, titleZh, titleEn, bodyZh, bodyEn, publishFrom, publishUntil, pinned, status } = x;
  return { institutionCode, titleZh, titleEn, bodyZh, bodyEn, publishFrom, publishUntil, pinned, status };
}

/** The source is one the actor may write for, and exists: else a problem with the institution field. */
async function sourceProblem(tx: Db, actor: StaffActor, institutionCode: string | null) {
  if (institutionCode === null) return actor.institutionCode !== null;
  if (!inScope(actor, institutionCode)) return true;
  const { rowCount } = await tx.query('SELECT 1 FROM institution WHERE code = $1', [institutionCode]);
  return rowCount === 0;
}

/** 新增公告: checked, saved and audited in one transaction. */
export async function createAnnouncement(
  pool: pg.Pool,
  actor: StaffActor,
  input: AnnouncementInput,
  now: Date,
): Promise<AnnouncementWrite> {
  assertMay(actor, 'announcements');
  const problems = checkAnnouncement(input);
  if (Object.keys(problems).length) return { kind: 'invalid', problems };
  return withTransaction(pool, async (tx) => {
    if (await sourceProblem(tx, actor, input.institutionCode))
      return { kind: 'invalid', problems: { institutionCode: 'invalid' } };
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO announcement (institution_code, title_zh, title_en, body_zh, body_en, publish_from, publish_until,
         pinned, status, created_by, created_at, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $11) RETURNING id`,
      [...Object.values(auditValues(input)), actor.staffId, now],
    );
    const id = rows[0]!.id;
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: 'announcement.created',
      objectType: 'announcement',
      objectId: id,
      institutionCode: input.institutionCode,
      ip: actor.ip,
      details: { new: auditValues(input) },
      at: now,
    });
    return { kind: 'saved', id };
  });
}

/** The row as it is now, locked, if the actor may touch it. */
async function lockedRecord(tx: Db, actor: StaffActor, id: number): Promise<AnnouncementRecord | null> {
  const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} ${FROM} WHERE a.id = $1 FOR UPDATE OF a`, [id]);
  const row = rows[0];
  return row && mayTouch(actor, row.institution_code) ? toRecord(row, 'zh-TW') : null;
}

/** 修改公告: refused when someone saved another version since `version` was read. */
export async function updateAnnouncement(
  pool: pg.Pool,
  actor: StaffActor,
  id: number,
  version: number,
  input: AnnouncementInput,
  now: Date,
): Promise<AnnouncementWrite> {
  assertMay(actor, 'announcements');
  const problems = checkAnnouncement(input);
  if (Object.keys(problems).length) return { kind: 'invalid', problems };
  return withTransaction(pool, async (tx) => {
    const old = await lockedRecord(tx, actor, id);
    if (!old) return { kind: 'not_found' };
    if (old.version !== version) return { kind: 'conflict' };
    if (await sourceProblem(tx, actor, input.institutionCode))
      return { kind: 'invalid', problems: { institutionCode: 'invalid' } };
    await tx.query(
      `UPDATE announcement SET institution_code = $2, title_zh = $3, title_en = $4, body_zh = $5, body_en = $6,
         publish_from = $7, publish_until = $8, pinned = $9, status = $10, updated_by = $11, updated_at = $12,
         version = version + 1
       WHERE id = $1`,
      [id, ...Object.values(auditValues(input)), actor.staffId, now],
    );
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: 'announcement.updated',
      objectType: 'announcement',
      objectId: id,
      institutionCode: input.institutionCode ?? old.institutionCode,
      ip: actor.ip,
      details: { old: auditValues(old), new: auditValues(input) },
      at: now,
    });
    return { kind: 'saved', id };
  });
}

/** 下架: no longer public, kept (and editable: saving it as published publishes it again). */
export async function withdrawAnnouncement(pool: pg.Pool, actor: StaffActor, id: number, now: Date) {
  assertMay(actor, 'announcements');
  return withTransaction(pool, async (tx) => {
    const old = await lockedRecord(tx, actor, id);
    if (!old) return false;
    await tx.query(
      `UPDATE announcement SET status = 'withdrawn', updated_by = $2, updated_at = $3, version = version + 1 WHERE id = $1`,
      [id, actor.staffId, now],
    );
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: 'announcement.withdrawn',
      objectType: 'announcement',
      objectId: id,
      institutionCode: old.institutionCode,
      ip: actor.ip,
      details: { old: { status: old.status }, new: { status: 'withdrawn' } },
      at: now,
    });
    return true;
  });
}

/** 刪除: gone from the table; the audit log keeps what it said. */
export async function deleteAnnouncement(pool: pg.Pool, actor: StaffActor, id: number, now: Date) {
  assertMay(actor, 'announcements');
  return withTransaction(pool, async (tx) => {
    const old = await lockedRecord(tx, actor, id);
    if (!old) return false;
    await tx.query('DELETE FROM announcement WHERE id = $1', [id]);
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: 'announcement.deleted',
      objectType: 'announcement',
      objectId: id,
      institutionCode: old.institutionCode,
      ip: actor.ip,
      details: { old: auditValues(old) },
      at: now,
    });
    return true;
  });
}
