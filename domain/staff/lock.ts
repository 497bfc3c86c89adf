import type { Db } from '../platform/db.ts';
import { accountCounterRows } from '../platform/sign-in-keys.ts';

/**
 * 已鎖定: a staff account over its failure limit across addresses (routes/middleware/rate-limits.ts).
 * The sign-in still lets an address that has not failed at it in (issue 11: no stranger locks staff
 * out); an administrator's 解除鎖定 or the owner's password-set link clears every counter of the account.
 * Expiry is read from the database's clock, the one the counters were written with.
 */
const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/** Which of these accounts are over `limit` failures (the staff sign-in's per-account limit). */
export async function lockedAccounts(db: Db, accounts: string[], limit: number): Promise<Set<string>> {
  if (!accounts.length) return new Set();
  const keys = accounts.map((a) => accountCounterRows('staff', a.toLowerCase()).account);
  const { rows } = await db.query<{ key: string }>(
    `SELECT key FROM sign_in_failure WHERE key = ANY($1::text[]) AND points >= $2 AND (expire IS NULL OR expire > ${NOW_MS})`,
    [keys, limit],
  );
  const found = new Set(rows.map((r) => r.key));
  return new Set(accounts.filter((a, i) => found.has(keys[i]!)));
}

/** Forgets every failure counted against the account, from every address. */
export async function clearSignInFailures(db: Db, account: string): Promise<void> {
  const rows = accountCounterRows('staff', account.toLowerCase());
  await db.query('DELETE FROM sign_in_failure WHERE key = $1 OR key LIKE $2', [rows.account, rows.perAddress]);
}
