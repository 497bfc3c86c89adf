/**
 * Comments are shown to staff without anything that may name a person: whatever looks like a national
 * ID or resident number, a phone number or an e-mail address is replaced by ＊＊＊ (full-width digits,
 * letters and ＠ included, as people type them on a phone).
 */
const D = '[0-9０-９]';
const L = '[A-Za-zＡ-Ｚａ-ｚ]';
const SEP = '[\\s\\-－‐–—.．()（）]';
const PATTERNS: RegExp[] = [
  // e-mail: anything@anything.tld, with a full-width ＠ too
  new RegExp(`[^\\s@＠<>()（）「」，,；;]+[@＠][^\\s@＠<>()（）「」，,；;]+[.．][A-Za-zＡ-Ｚａ-ｚ]{2,}`, 'g'),
  // national ID and resident numbers: a letter, then 9 digits (or a second letter and 8 digits)
  new RegExp(`${L}(?:${L}|${D})${D}{8}`, 'g'),
  // phone numbers: +886 or 0, then 7 to 10 more digits, separators allowed between them
  new RegExp(`(?:\\+?(?:886|８８６)${SEP}*|[0０])(?:${D}${SEP}?){6,9}${D}`, 'g'),
  // any other run of 8 or more digits (an account, a card, a number without its leading 0)
  new RegExp(`(?:${D}${SEP}?){7,}${D}`, 'g'),
];

export const MASK = '＊＊＊';

export function maskPersonalData(text: string): string {
  return PATTERNS.reduce((out, re) => out.replace(re, MASK), text);
}
