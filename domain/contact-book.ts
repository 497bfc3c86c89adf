/**
 * The family contact book (家庭聯絡簿, 愛在雲端): an approved family member sends the inmate a short
 * note and one photo, reviewed by staff (seed 000 §三).
 */

/** The longest note, in characters as a person counts them. */
export const POST_TEXT_MAX = 150;

const graphemes = new Intl.Segmenter('zh-Hant', { granularity: 'grapheme' });

/**
 * Characters as a person counts them: one Chinese character, one letter with its accents, one emoji
 * (with skin tone, family joins or a flag) is one. A line break is one, whether the browser sent
 * CRLF or LF.
 */
export function countCharacters(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(normalizePostText(text))) n += 1;
  return n;
}

/** The note as stored: NFC, LF line breaks, no spaces around it. */
export function normalizePostText(text: string): string {
  return text.replace(/\r\n?/g, '\n').normalize('NFC').trim();
}
