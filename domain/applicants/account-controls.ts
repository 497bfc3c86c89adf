import type pg from 'pg';
import { endSessions } from './accounts.ts';
import { checkReason, lockFamily } from './corrections.ts';
import { familySignInCounterRows } from './family-records.ts';
import { issueToken } from './links.ts';
import { VERIFY_LINK_MINUTES, type FieldErrors, unverifiedExpiredBefore } from './vocabulary.ts';
import { verificationMail } from '../mails.ts';
import { withTransaction } from '../platform/db.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';

/**
 * What staff may do to a family's account (家屬資料查詢修改): mail the verification link again, unlock
 * an account over its sign-in failure limit, disable an account with a reason (it cannot sign in and
 * its sessions end) and enable it again. Each is audited in the transaction that does it.
 */

type Outcome<K extends string> = { kind: K | 'not_found' };

async function onFamily<T>(
  pool: pg.Pool,
  actor: StaffActor,
  applicantId: number,
  work: (tx: pg.PoolClient, audit: (action: string, details?: object) => Promise<void>) => Promise<T>,
  now: Date,
): Promise<T | { kind: 'not_found' }> {
  assertMay(actor, 'family_data');
  return withTransaction(pool, async (tx) => {
    if (!(await lockFamily(tx, actor, applicantId))) return { kind: 'not_found' } as const;
    return work(tx, (action, details) =>
      recordStaffAction(tx, {
        staffId: actor.staffId,
        action,
        objectType: 'applicant',
        objectId: applicantId,
        institutionCode: actor.institutionCode,
        ip: actor.ip,
        details,
        at: now,
      }),
    );
  });
}

/** A new verification link for an account whose address is not confirmed yet (and not expired). */
export function resendVerification(
  pool: pg.Pool,
  actor: StaffActor,
  applicantId: number,
  ctx: { now: Date; publicUrl: string },
): Promise<Outcome<'sent' | 'already_verified' | 'expired'>> {
  return onFamily(
    pool,
    actor,
    applicantId,
    async (tx, audit) => {
      const { rows } = await tx.query(
        'SELECT id, name, email, locale, email_verified_at, created_at FROM applicant WHERE id = $1',
        [applicantId],
      );
      const a = rows[0]!;
      if (a.email_verified_at) return { kind: 'already_verified' } as const;
      // Past its day the account is being purged; the family registers again.
      if (a.created_at <= unverifiedExpiredBefore(ctx.now)) return { kind: 'expired' } as const;
      const token = await issueToken(tx, a.id, 'verify_email', ctx.now, VERIFY_LINK_MINUTES);
      await enqueueMail(tx, {
        ...verificationMail(a.locale, a.id, a.email, a.name, ctx.publicUrl, token),
        institutionCode: actor.institutionCode,
      });
      await audit('family.verification_resent');
      return { kind: 'sent' } as const;
    },
    ctx.now,
  );
}

/** Clears the account's sign-in failure count across addresses, so the password signs in at once again. */
export function unlockSignIn(
  pool: pg.Pool,
  actor: StaffActor,
  applicantId: number,
  now: Date,
): Promise<Outcome<'unlocked'>> {
  return onFamily(
    pool,
    actor,
    applicantId,
    async (tx, audit) => {
      const { rows } = await tx.query<{ email: string }>('SELECT email FROM applicant WHERE id = $1', [applicantId]);
      // Every failure counted against the account, from every address.
      const counters = familySignInCounterRows(rows[0]!.email);
      const { rowCount } = await tx.query('DELETE FROM sign_in_failure WHERE key = $1 OR key LIKE $2', [
        counters.account,
        counters.perAddress,
      ]);
      await audit('family.unlocked', { cleared: (rowCount ?? 0) > 0 });
      return { kind: 'unlocked' } as const;
    },
    now,
  );
}

export type DisableOutcome =
  Outcome<'disabled' | 'already_disabled'> | { kind: 'errors'; errors: FieldErrors<'reason'> };

/** Disables the account with a reason: sign-in says so and to contact the institution; its sessions end now. */
export async function disableAccount(
  pool: pg.Pool,
  actor: StaffActor,
  applicantId: number,
  reasonRaw: string,
  now: Date,
): Promise<DisableOutcome> {
  assertMay(actor, 'family_data');
  const reason = checkReason(reasonRaw);
  if (reason.error) return { kind: 'errors', errors: { reason: reason.error } };
  return onFamily(
    pool,
    actor,
    applicantId,
    async (tx, audit) => {
      const { rowCount } = await tx.query(
        `UPDATE applicant SET disabled_at = $2, disabled_reason = $3, disabled_by = $4 WHERE id = $1 AND disabled_at IS NULL`,
        [applicantId, now, reason.value, actor.staffId],
      );
      if (!rowCount) return { kind: 'already_disabled' } as const;
      await endSessions(tx, applicantId);
      await audit('family.disabled', { reason: reason.value });
      return { kind: 'disabled' } as const;
    },
    now,
  );
}

/** Enables a disabled account again. */
export function enableAccount(
  pool: pg.Pool,
  actor: StaffActor,
  applicantId: number,
  now: Date,
): Promise<Outcome<'enabled' | 'not_disabled'>> {
  return onFamily(
    pool,
    actor,
    applicantId,
    async (tx, audit) => {
      const { rows } = await tx.query<{ disabled_reason: string }>(
        `UPDATE applicant a SET disabled_at = NULL, disabled_reason = NULL, disabled_by = NULL
           FROM applicant old WHERE a.id = $1 AND old.id = a.id AND a.disabled_at IS NOT NULL
         RETURNING old.disabled_reason`,
        [applicantId],
      );
      if (!rows[0]) return { kind: 'not_disabled' } as const;
      await audit('family.enabled', { previousReason: rows[0].disabled_reason });
      return { kind: 'enabled' } as const;
    },
    now,
  );
}
