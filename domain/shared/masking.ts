/**
 * Masking protects people from strangers, not from themselves: lists, CSVs and public pages mask; a
 * visitor sees their own booking's names in full, and staff see what their role needs.
 */

/** 王小明 → 王○○: the first character, then one ○ for each of the rest (counted as a person counts). */
export function maskName(name: string): string {
  const chars = [...new Intl.Segmenter('zh-Hant', { granularity: 'grapheme' }).segment(name.trim())].map(
    (s) => s.segment,
  );
  if (chars.length === 0) return '';
  return chars[0] + '○'.repeat(Math.max(chars.length - 1, 1));
}

/** A national ID or resident number to its last 4 characters, for rosters and logs shown to staff. */
export function maskIdentityNumber(id: string): string {
  return id.length <= 4 ? id : '*'.repeat(id.length - 4) + id.slice(-4);
}
