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

export type QueuePageOf<Row> = { rows: Row[]; total: number; page: number; pages: number };

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

/** One page of a queue: how many rows `from` holds, and the requested page of them (a page past the end shows the last). */
export async function readQueuePage(
  db: Db,
  sql: { select: string; from: string; order: string },
  params: unknown[],
  requested: number,
  size: number,
) {
  const total = Number((await db.query<{ n: string }>(`SELECT count(*) AS n ${sql.from}`, params)).rows[0]!.n);
  const { page, pages, limitSql } = pageOf(total, requested, size);
  const { rows } = await db.query(`SELECT ${sql.select} ${sql.from} ORDER BY ${sql.order} ${limitSql}`, params);
  return { total, page, pages, rows };
}
