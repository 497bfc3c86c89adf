/**
 * Taiwan identity numbers accepted at registration:
 * - national ID (身分證字號): area letter, gender digit 1/2, 7 digits, check digit;
 * - resident certificate number issued since 2021 (新式統一證號): same shape, second digit 8/9;
 * - older resident certificate number (舊式統一證號): area letter, letter A–D, 7 digits, check digit.
 */
export type IdentityKind = 'national_id' | 'resident_new' | 'resident_old';

// The area letter's two-digit code (I, O, W, X, Y, Z are out of alphabetical order).
const LETTER_CODE: Record<string, number> = {
  A: 10,
  B: 11,
  C: 12,
  D: 13,
  E: 14,
  F: 15,
  G: 16,
  H: 17,
  I: 34,
  J: 18,
  K: 19,
  L: 20,
  M: 21,
  N: 22,
  O: 35,
  P: 23,
  Q: 24,
  R: 25,
  S: 26,
  T: 27,
  U: 28,
  V: 29,
  W: 32,
  X: 30,
  Y: 31,
  Z: 33,
};

/** Upper-cases and strips spaces so "a 123456789" and "A123456789" are the same number. */
export function normalizeIdentityNumber(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

function checksumOk(areaCode: number, secondDigit: number, rest: string): boolean {
  // rest: 8 digits, the last being the check digit.
  let sum = Math.floor(areaCode / 10) + (areaCode % 10) * 9 + secondDigit * 8;
  for (let i = 0; i < 7; i++) sum += Number(rest[i]) * (7 - i);
  sum += Number(rest[7]);
  return sum % 10 === 0;
}

/** The kind of a valid number, or null when its shape or check digit is wrong. */
export function identityKind(raw: string): IdentityKind | null {
  const id = normalizeIdentityNumber(raw);
  let m = /^([A-Z])([1289])(\d{8})$/.exec(id);
  if (m) {
    const area = LETTER_CODE[m[1]!]!;
    if (!checksumOk(area, Number(m[2]), m[3]!)) return null;
    return m[2] === '1' || m[2] === '2' ? 'national_id' : 'resident_new';
  }
  m = /^([A-Z])([A-D])(\d{8})$/.exec(id);
  if (m) {
    const area = LETTER_CODE[m[1]!]!;
    // The old resident number's second letter counts by the last digit of its own code.
    if (!checksumOk(area, LETTER_CODE[m[2]!]! % 10, m[3]!)) return null;
    return 'resident_old';
  }
  return null;
}
