import type pg from 'pg';
import { withTransaction, type Db } from './platform/db.ts';
import type { Locale } from './shared/locale.ts';
import { assertMay, type StaffActor } from './shared/staff-actor.ts';
import { recordStaffAction } from './shared/audit.ts';
import { plainTextWithStepsToHtml } from './shared/plain-text.ts';

/**
 * 常見問題集 and 操作教學: questions grouped by service and the guide's sections, written by the agency
 * administrator (task 'faq') in both languages as plain text (links, numbered steps), shown through
 * plainTextWithStepsToHtml. Only published ones are public, in their order (position, then id).
 */

export const SERVICE_GROUPS = ['contact_book', 'visit', 'lawyer_visit', 'account', 'other'] as const;
export type ServiceGroup = (typeof SERVICE_GROUPS)[number];
export const QUESTION_MAX = 200;
export const ANSWER_MAX = 5000;
export const POSITION_MAX = 9999;

export type FaqEntry = { id: number; question: string; answerHtml: string };
export type FaqGroup = { group: ServiceGroup; entries: FaqEntry[] };
export type GuideSection = { id: number; title: string; stepsHtml: string };

/** As the administrator edits one: both languages. `title*` is a question or a section title. */
export type HelpRecord = {
  id: number;
  /** null for a guide section */
  group: ServiceGroup | null;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  position: number;
  published: boolean;
  version: number;
};
export type HelpInput = Omit<HelpRecord, 'id' | 'version'>;
export type HelpKind = 'faq' | 'guide';
export type HelpField = 'group' | 'titleZh' | 'titleEn' | 'bodyZh' | 'bodyEn' | 'position';
export type HelpProblem = 'required' | 'too_long' | 'invalid';
export type HelpProblems = Partial<Record<HelpField, HelpProblem>>;
export type HelpWrite =
  | { kind: 'saved'; id: number }
  | { kind: 'invalid'; problems: HelpProblems }
  | { kind: 'not_found' }
  | { kind: 'conflict' };

const TABLE = {
  faq: {
    table: 'faq_entry',
    cols: `id, service_group AS "group", question_zh AS "titleZh", question_en AS "titleEn", answer_zh AS "bodyZh",
      answer_en AS "bodyEn", position, published, version`,
    title: ['question_zh', 'question_en'],
    body: ['answer_zh', 'answer_en'],
  },
  guide: {
    table: 'guide_section',
    cols: `id, NULL AS "group", title_zh AS "titleZh", title_en AS "titleEn", steps_zh AS "bodyZh", steps_en AS "bodyEn",
      position, published, version`,
    title: ['title_zh', 'title_en'],
    body: ['steps_zh', 'steps_en'],
  },
} as const;

// ---- public ----

/** 常見問題集: the published questions of every group that has one, in the groups' order. */
export async function listFaq(db: Db, locale: Locale): Promise<FaqGroup[]> {
  const { rows } = await db.query<HelpRecord>(
    `SELECT ${TABLE.faq.cols} FROM faq_entry WHERE published ORDER BY position, id`,
  );
  return SERVICE_GROUPS.map((group) => ({
    group,
    entries: rows
      .filter((r) => r.group === group)
      .map((r) => ({
        id: Number(r.id),
        question: locale === 'en' ? r.titleEn : r.titleZh,
        answerHtml: plainTextWithStepsToHtml(locale === 'en' ? r.bodyEn : r.bodyZh),
      })),
  })).filter((g) => g.entries.length > 0);
}

/** 操作教學: the published sections in order. */
export async function listGuide(db: Db, locale: Locale): Promise<GuideSection[]> {
  const { rows } = await db.query<HelpRecord>(
    `SELECT ${TABLE.guide.cols} FROM guide_section WHERE published ORDER BY position, id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    title: locale === 'en' ? r.titleEn : r.titleZh,
    stepsHtml: plainTextWithStepsToHtml(locale === 'en' ? r.bodyEn : r.bodyZh),
  }));
}

// ---- back office ----

const toRecord = (r: HelpRecord): HelpRecord => ({ ...r, id: Number(r.id) });

/** Every question and section, published or not, for the agency administrator. */
export async function listHelpForStaff(db: Db, actor: StaffActor) {
  assertMay(actor, 'faq');
  const faq = await db.query<HelpRecord>(
    `SELECT ${TABLE.faq.cols} FROM faq_entry ORDER BY array_position($1::text[], service_group), position, id`,
    [SERVICE_GROUPS],
  );
  const guide = await db.query<HelpRecord>(`SELECT ${TABLE.guide.cols} FROM guide_section ORDER BY position, id`);
  return { faq: faq.rows.map(toRecord), guide: guide.rows.map(toRecord) };
}

export async function getHelpRecord(db: Db, actor: StaffActor, kind: HelpKind, id: number): Promise<HelpRecord | null> {
  assertMay(actor, 'faq');
  const { rows } = await db.query<HelpRecord>(`SELECT ${TABLE[kind].cols} FROM ${TABLE[kind].table} WHERE id = $1`, [
    id,
  ]);
  return rows[0] ? toRecord(rows[0]) : null;
}

const codePoints = (s: string) => [...s].length;

/** What is wrong with a question or section as typed (text already trimmed and NFC). */
export function checkHelp(kind: HelpKind, input: HelpInput): HelpProblems {
  const problems: HelpProblems = {};
  if (kind === 'faq' && !(SERVICE_GROUPS as readonly string[]).includes(input.group ?? '')) problems.group = 'invalid';
  for (const f of ['titleZh', 'titleEn'] as const) {
    if (!input[f]) problems[f] = 'required';
    else if (codePoints(input[f]) > QUESTION_MAX || input[f].includes('\n')) problems[f] = 'too_long';
  }
  for (const f of ['bodyZh', 'bodyEn'] as const) {
    if (!input[f]) problems[f] = 'required';
    else if (codePoints(input[f]) > ANSWER_MAX) problems[f] = 'too_long';
  }
  if (!Number.isInteger(input.position) || input.position < 0 || input.position > POSITION_MAX)
    problems.position = 'invalid';
  return problems;
}

const auditValues = ({ group, titleZh, titleEn, bodyZh, bodyEn, position, published }: HelpInput) => ({
  ...(group ? { group } : {}),
  titleZh,
  titleEn,
  bodyZh,
  bodyEn,
  position,
  published,
});

/**
 * Saves a new question or section (id null) or a change to one (refused when another version was saved
 * since `version` was read), audited with old and new values, in one transaction.
 */
export async function saveHelp(
  pool: pg.Pool,
  actor: StaffActor,
  kind: HelpKind,
  target: { id: number; version: number } | null,
  input: HelpInput,
  now: Date,
): Promise<HelpWrite> {
  assertMay(actor, 'faq');
  const problems = checkHelp(kind, input);
  if (Object.keys(problems).length) return { kind: 'invalid', problems };
  const t = TABLE[kind];
  const values = [input.titleZh, input.titleEn, input.bodyZh, input.bodyEn, input.position, input.published];
  const groupCol = kind === 'faq' ? ', service_group' : '';
  return withTransaction(pool, async (tx) => {
    let id: number;
    let old: HelpRecord | null = null;
    if (target === null) {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO ${t.table} (${t.title[0]}, ${t.title[1]}, ${t.body[0]}, ${t.body[1]}, position, published,
           updated_by, updated_at${groupCol})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8${kind === 'faq' ? ', $9' : ''}) RETURNING id`,
        [...values, actor.staffId, now, ...(kind === 'faq' ? [input.group] : [])],
      );
      id = Number(rows[0]!.id);
    } else {
      const found = await tx.query<HelpRecord>(`SELECT ${t.cols} FROM ${t.table} WHERE id = $1 FOR UPDATE`, [
        target.id,
      ]);
      if (!found.rows[0]) return { kind: 'not_found' };
      old = toRecord(found.rows[0]);
      if (old.version !== target.version) return { kind: 'conflict' };
      id = target.id;
      await tx.query(
        `UPDATE ${t.table} SET ${t.title[0]} = $1, ${t.title[1]} = $2, ${t.body[0]} = $3, ${t.body[1]} = $4,
           position = $5, published = $6, updated_by = $7, updated_at = $8, version = version + 1
           ${kind === 'faq' ? ', service_group = $10' : ''}
         WHERE id = $9`,
        [...values, actor.staffId, now, id, ...(kind === 'faq' ? [input.group] : [])],
      );
    }
    await recordStaffAction(tx, {
      staffId: actor.staffId,
      action: `${kind}.${old ? 'updated' : 'created'}`,
      objectType: t.table,
      objectId: id,
      ip: actor.ip,
      details: old ? { old: auditValues(old), new: auditValues(input) } : { new: auditValues(input) },
      at: now,
    });
    return { kind: 'saved', id };
  });
}
