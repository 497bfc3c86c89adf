import { createHash } from 'node:crypto';

/**
 * The keys of the sign-in failure counters (table sign_in_failure, kept by rate-limiter-flexible, which
 * prefixes each key with `<area>-<counter>:`). Hashed, so the table holds no address and no account name.
 * The address+account key starts with the account's hash, so everything counted against one account
 * (from anywhere) can be found and cleared by an administrator or a password-set link.
 */
export type SignInArea = 'applicant' | 'staff';

export const hashedKey = (...parts: string[]) => createHash('sha256').update(parts.join('\n'), 'utf8').digest('hex');

export function signInCounterKeys(address: string, account: string) {
  const accountHash = hashedKey(account);
  return {
    address: hashedKey(address),
    addressAndAccount: `${accountHash}.${hashedKey(address, account)}`,
    account: accountHash,
  };
}

/** Where one account's counters are: its own row, and a LIKE pattern for its per-address rows. */
export function accountCounterRows(area: SignInArea, account: string): { account: string; perAddress: string } {
  const accountHash = hashedKey(account);
  return { account: `${area}-account:${accountHash}`, perAddress: `${area}-address-account:${accountHash}.%` };
}
