import { conditions, pageOf, type Db } from '../platform/db.ts';

/**
 * Staff queues (applications, contact book posts): the filters they share, the conditions those make
 * and one page of rows, pending first as each queue orders them.
 */

/** What every queue filters on; dates are Asia/Taipei dates (YYYY-MM-DD), inclusive. */
export type QueueFilterBase = {
  institutionCode: string | null;
  callNumber: string | null;
  from: string | null;
  to: string | null;
  page: number;
};

/** `capped`: there are more than QUEUE_COUNT_CAP rows; `total` is then the cap and `pages` only says whether a next page exists. */
export type QueuePageOf<Row> = { rows: Row[]; total: number; capped: boolean; page: number; pages: number };

/** Queues count matching rows up to this many, then say "more than" (an exact count of 100,000 rows costs more than the page). */
export const QUEUE_COUNT_CAP = 1000;

/**
 * The shared conditions on a queued table (alias `q`, with institution_code, status and submitted_at)
 * joined to its inmate (alias `m`): the staff member's scope, then the filters.
 */
export function queueConditions(scope: string | null, f: QueueFilterBase & { status: string | null }) {
  const c = conditions();
  if (scope) c.add('q.institution_code = ?', scope);
  if (f.institutionCode) c.add('q.institution_code = ?', f.institutionCode);
  if (f.callNumber) c.add('m.call_number = ?', f.callNumber);
  if (f.status) c.add('q.status = ?', f.status);
  if (f.from) c.add(`q.submitted_at >= (?::date)::timestamp AT TIME ZONE 'Asia/Taipei'`, f.from);
  if (f.to) c.add(`q.submitted_at < ((?::date) + 1)::timestamp AT TIME ZONE 'Asia/Taipei'`, f.to);
  return c;
}

/**
 * One page of a queue: how many rows `from` holds, up to QUEUE_COUNT_CAP, counted on `countFrom` (the
 * same rows without the joins that only name things) when given; and the requested page of them. Under
 * the cap a page past the end shows the last; over it, pages are not counted: the page asked for is
 * shown, with a next page when one more row exists.
 */
export async function readQueuePage(
  db: Db,
  sql: { select: string; from: string; countFrom?: string; order: string },
  params: unknown[],
  requested: number,
  size: number,
) {
  const counted = (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 ${sql.countFrom ?? sql.from} LIMIT ${QUEUE_COUNT_CAP + 1}) x`,
      params,
    )
  ).rows[0]!.n;
  const capped = counted > QUEUE_COUNT_CAP;
  const pageRows = (limitSql: string) =>
    db.query(`SELECT ${sql.select} ${sql.from} ORDER BY ${sql.order} ${limitSql}`, params).then((r) => r.rows);
  if (!capped) {
    const { page, pages, limitSql } = pageOf(counted, requested, size);
    return { total: counted, capped, page, pages, rows: await pageRows(limitSql) };
  }
  const page = Math.max(1, Math.trunc(requested) || 1);
  const rows = await pageRows(`LIMIT ${size + 1} OFFSET ${(page - 1) * size}`);
  return {
    total: QUEUE_COUNT_CAP,
    capped,
    page,
    pages: rows.length > size ? page + 1 : page,
    rows: rows.slice(0, size),
  };
}
