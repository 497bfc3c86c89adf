import type pg from 'pg';
import { type MessageKey, translator } from '../i18n/i18n.ts';
import { withTransaction } from '../platform/db.ts';
import { recordStaffAction } from './audit.ts';
import { isId } from './ids.ts';
import type { Locale } from './locale.ts';
import type { StaffActor } from './staff-actor.ts';

/**
 * A staff decision on something pending (a service application, a contact book post, a visit
 * booking), written once for every concept: the row is locked within the staff member's scope, the
 * decision names the version the reviewer saw (when two decide at once the second is told, and nothing
 * is overwritten), and the status, the history and the audit log are written in one transaction with
 * what the concept adds (its result mail, a suspension).
 */

/**
 * The staff actor as a decision needs them: their scope is checked here; their role by each concept's
 * decision (assertMay(who, 'review')) before anything is read.
 */
export type Decider = Pick<StaffActor, 'staffId' | 'role' | 'institutionCode' | 'ip'>;

/**
 * A table whose rows are decided: it has id, institution_code, status ('pending' until decided),
 * version, decided_at, decided_by and rejection_reason, and a history table with action, staff_id,
 * reason and at.
 */
export type DecidedTable = {
  table: 'service_application' | 'contact_book_post' | 'visit_booking';
  /** the history table and its column naming the row */
  events: {
    table: 'application_event' | 'contact_book_event' | 'visit_booking_event';
    key: 'application_id' | 'post_id' | 'booking_id';
  };
  /** the audit log's action is `${audit}.approved` or `${audit}.rejected`; its object type is the table */
  audit: string;
};

/** What the concept decided: the new status, the reason the applicant reads, and the audit log's details (default: the reason). */
export type Verdict = { status: 'approved' | 'rejected'; reason: string | null; details?: object };

export type DecisionOutcome = 'decided' | 'already_decided' | 'not_found';

/**
 * Decides one row. `verdict` reads what the decision needs (inside the lock) and returns it, or a
 * refusal of the concept's own (say, 'past'), which is returned as it is and changes nothing;
 * `then` writes what follows in the same transaction. The version is compared after the verdict, so
 * a concept's refusal is told before "already decided".
 */
export async function decideWithVersion<Refusal extends string = never>(
  pool: pg.Pool,
  subject: DecidedTable,
  id: number,
  seenVersion: number,
  who: Decider,
  now: Date,
  steps: {
    verdict: (tx: pg.PoolClient, row: { institutionCode: string }) => Promise<Verdict | Refusal>;
    then?: (tx: pg.PoolClient, decided: Verdict & { institutionCode: string }) => Promise<void>;
  },
): Promise<DecisionOutcome | Refusal> {
  if (!isId(id)) return 'not_found';
  return withTransaction(pool, async (tx): Promise<DecisionOutcome | Refusal> => {
    const { rows } = await tx.query<{ institution_code: string; status: string; version: number }>(
      `SELECT institution_code, status, version FROM ${subject.table}
        WHERE id = $1 AND ($2::char(4) IS NULL OR institution_code = $2) FOR UPDATE`,
      [id, who.institutionCode],
    );
    const row = rows[0];
    if (!row) return 'not_found';
    const institutionCode = row.institution_code;
    const verdict = await steps.verdict(tx, { institutionCode });
    if (typeof verdict === 'string') return verdict;
    if (row.status !== 'pending' || row.version !== seenVersion) return 'already_decided';
    const { status, reason } = verdict;
    await tx.query(
      `UPDATE ${subject.table} SET status = $2, decided_at = $3, decided_by = $4, rejection_reason = $5, version = version + 1
        WHERE id = $1`,
      [id, status, now, who.staffId, reason],
    );
    await tx.query(
      `INSERT INTO ${subject.events.table} (${subject.events.key}, action, staff_id, reason, at) VALUES ($1, $2, $3, $4, $5)`,
      [id, status, who.staffId, reason, now],
    );
    await recordStaffAction(tx, {
      staffId: who.staffId,
      action: `${subject.audit}.${status}`,
      objectType: subject.table,
      objectId: id,
      institutionCode,
      ip: who.ip,
      details: verdict.details ?? { reason },
      at: now,
    });
    await steps.then?.(tx, { ...verdict, institutionCode });
    return 'decided';
  });
}

/** Approve, or reject with a common reason (its code) and/or words of the reviewer's own. */
export type StaffDecision<Code extends string = string> =
  { decision: 'approve' } | { decision: 'reject'; reason: string; reasonCode?: Code | null };

/** The most a reviewer may write in their own words. */
export const OWN_WORDS_MAX = 900;

/**
 * A decision whose rejection the applicant reads in their own language (applications, posts): a
 * rejection with neither a common reason nor own words is refused ('reason_required'); the common
 * reason (`${reasonKeys}.${code}`) is written in the applicant's language, then the reviewer's words.
 * The audit log's details are the reason, after the row's `audited` column when one is named.
 */
export async function decideWithReason(
  pool: pg.Pool,
  subject: DecidedTable & { reasonKeys: 'rejectReason' | 'postRejectReason'; audited?: 'number' },
  id: number,
  seenVersion: number,
  d: StaffDecision,
  who: Decider,
  now: Date,
  then: (tx: pg.PoolClient, decided: Verdict & { institutionCode: string }) => Promise<void>,
): Promise<DecisionOutcome | 'reason_required'> {
  const given = givenReason(d);
  if (!given) return 'reason_required';
  return decideWithVersion<never>(pool, subject, id, seenVersion, who, now, {
    verdict: async (tx) => {
      const { rows } = await tx.query<{ locale: Locale; audited: unknown }>(
        `SELECT x.locale, ${subject.audited ? `t.${subject.audited}` : 'NULL'} AS audited
           FROM ${subject.table} t JOIN applicant x ON x.id = t.applicant_id WHERE t.id = $1`,
        [id],
      );
      const reason = d.decision === 'approve' ? null : reasonInWords(rows[0]!.locale, subject.reasonKeys, given);
      return {
        status: d.decision === 'approve' ? 'approved' : 'rejected',
        reason,
        details: subject.audited ? { [subject.audited]: rows[0]!.audited, reason } : { reason },
      };
    },
    then,
  });
}

/** A rejection's common reason and own words, or null when it has neither (or too many words). */
function givenReason(d: StaffDecision): { code: string | null; ownWords: string } | null {
  if (d.decision !== 'reject') return { code: null, ownWords: '' };
  const ownWords = d.reason.trim();
  const code = d.reasonCode ?? null;
  return (!ownWords && !code) || ownWords.length > OWN_WORDS_MAX ? null : { code, ownWords };
}

/** The reason as the applicant reads it: the common reason (`${keyPrefix}.${code}`) in their language, then the reviewer's own words. */
function reasonInWords(
  locale: Locale,
  keyPrefix: 'rejectReason' | 'postRejectReason',
  given: { code: string | null; ownWords: string },
): string {
  const t = translator(locale);
  return [given.code ? t(`${keyPrefix}.${given.code}` as MessageKey) : '', given.ownWords].filter(Boolean).join('\n');
}
