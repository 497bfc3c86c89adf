import type { MessageKey } from '../i18n/i18n.ts';

/**
 * Punctuation a person's name may have besides letters: the middle dots of Indigenous and transliterated
 * names (Walis·Perin), hyphens, apostrophes, full stops, and the space between words; full-width forms too.
 */
const NAME_PUNCTUATION = new Set([..." ·‧・.．'’-－"]);

/**
 * The first character a person's name may not have, or null. Letters of any script and their combining
 * marks are names; so are private-use characters, as rare characters in names are typed (造字). Emoji,
 * digits, symbols, control and invisible characters (zero-width spaces, bidi overrides that make text read
 * backwards to staff) are not.
 */
export function refusedNameCharacter(name: string): string | null {
  for (const ch of name) if (!/[\p{L}\p{M}\p{Co}]/u.test(ch) && !NAME_PUNCTUATION.has(ch)) return ch;
  return null;
}

/** What to tell the person about a character their name may not have: the character, or its code if it is invisible. */
export function nameCharacterProblem(name: string): { key: MessageKey; params: Record<string, string> } | null {
  const ch = refusedNameCharacter(name);
  if (ch === null) return null;
  const visible = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch);
  return visible
    ? { key: 'error.name.character', params: { char: ch } }
    : {
        key: 'error.name.invisible',
        params: { code: `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` },
      };
}
