import type { MessageKey } from '../i18n/i18n.ts';

/**
 * Punctuation a person's name may have besides letters: the middle dots of Indigenous and transliterated
 * names (Walis·Perin), hyphens, apostrophes, full stops, commas (Chen, Mei-Ling), and the space between
 * words; full-width forms too. Also the two joiners some scripts need inside a word (Persian, Indic).
 */
const NAME_PUNCTUATION = new Set([..." ·‧・.．,，'’‘-‐－\u200c\u200d"]);
/** Letters of any script with their marks, and private use: rare characters in names are typed so (造字). */
const NAME_LETTER = /[\p{L}\p{M}\p{Co}]/u;
/**
 * Invisible however it is classed (a Hangul filler counts as a letter). Variation selectors stay: they pick
 * the glyph of a name's character; so do the joiners above.
 */
const INVISIBLE = /(?![\u{FE00}-\u{FE0E}\u{E0100}-\u{E01EF}\u200c\u200d])\p{Default_Ignorable_Code_Point}/u;

/**
 * The first character a person's name may not have, or null. Emoji, digits, symbols, control and
 * invisible characters (zero-width spaces, bidi overrides that make text read backwards to staff, fillers)
 * are not a name's; a name of punctuation alone is refused at its first character.
 */
export function refusedNameCharacter(name: string): string | null {
  const chars = [...name];
  for (const ch of chars) if (INVISIBLE.test(ch) || (!NAME_LETTER.test(ch) && !NAME_PUNCTUATION.has(ch))) return ch;
  return chars.length > 0 && !chars.some((ch) => NAME_LETTER.test(ch)) ? chars[0]! : null;
}

/** What to tell the person about a character their name may not have: the character, or its code if it is invisible. */
export function nameCharacterProblem(name: string): { key: MessageKey; params: Record<string, string> } | null {
  const ch = refusedNameCharacter(name);
  if (ch === null) return null;
  const visible = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch) && !INVISIBLE.test(ch) && ch.trim() !== '';
  return visible
    ? { key: 'error.name.character', params: { char: ch } }
    : {
        key: 'error.name.invisible',
        params: { code: `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` },
      };
}
