import { escapeHtml } from './html.ts';

/** Without control and format characters (zero-width spaces, bidi controls): only what a person can see. */
export const withoutInvisible = (s: string): string => s.replace(/[\p{Cc}\p{Cf}]/gu, '');

/**
 * Plain text as staff type it (公告), shown as HTML: everything escaped, blank lines making paragraphs,
 * single line breaks kept, and http(s) addresses made links. No markup typed by anyone reaches the page,
 * and no other scheme (javascript:, data:) ever becomes a link: only text that starts with http:// or
 * https:// is matched, and it must parse as such a URL with a host.
 */

// Printable ASCII without space, ", < and >, the host first (no third slash): an address ends at the first
// space or non-ASCII letter, so 「請見https://example.tw。」 links only the address.
const ADDRESS = /https?:\/\/[!#-.0-;=?-~][!#-;=?-~]*/gi;
// Punctuation that ends a sentence rather than the address.
const TRAILING = /[.,;:!?'"*]+$/;

function linkedAddress(raw: string): { href: string; rest: string } | null {
  let href = raw.replace(TRAILING, '');
  // A closing bracket belongs to the address only when the address opened one: (see https://x.tw/a)
  while (/[)\]}]$/.test(href) && !/[([{]/.test(href)) href = href.slice(0, -1).replace(TRAILING, '');
  try {
    const url = new URL(href);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;
  } catch {
    return null;
  }
  return { href, rest: raw.slice(href.length) };
}

/** One line: escaped text, with its addresses as links. */
function lineHtml(line: string): string {
  let out = '';
  let from = 0;
  for (const m of line.matchAll(ADDRESS)) {
    const link = linkedAddress(m[0]);
    if (!link) continue;
    out += escapeHtml(line.slice(from, m.index));
    out += `<a href="${escapeHtml(link.href)}" rel="noopener noreferrer">${escapeHtml(link.href)}</a>`;
    out += escapeHtml(link.rest);
    from = m.index + m[0].length;
  }
  return out + escapeHtml(line.slice(from));
}

/** The paragraphs of a text: separated by one or more blank lines; empty ones dropped. */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\u3000]*\n\s*/)
    .map((p) => p.replace(/^\s+|\s+$/g, ''))
    .filter(Boolean);
}

/** The text as safe HTML: `<p>` per paragraph, `<br>` per line break, links for http(s) addresses. */
export function plainTextToHtml(text: string): string {
  return paragraphsOf(text)
    .map((p) => `<p>${p.split('\n').map(lineHtml).join('<br>\n')}</p>`)
    .join('\n');
}

// A numbered step: "1." (or 1、, full-width １．) at the start of a line, then the step's words (not "1.5").
const STEP = /^[ \t\u3000]*[0-9０-９]{1,3}[.．、][ \t\u3000]*(?=[^\s0-9０-９])/;

/**
 * The same, with numbered steps (lines starting "1.", "2." …) as an ordered list: the FAQ's answers and
 * the guide's steps. Lines between steps that are not numbered stay paragraphs of their own.
 */
export function plainTextWithStepsToHtml(text: string): string {
  const out: string[] = [];
  for (const p of paragraphsOf(text)) {
    let lines: string[] = [];
    let steps: string[] = [];
    const flushLines = () => {
      if (lines.length) out.push(`<p>${lines.map(lineHtml).join('<br>\n')}</p>`);
      lines = [];
    };
    const flushSteps = () => {
      if (steps.length) out.push(`<ol>\n${steps.map((s) => `<li>${lineHtml(s)}</li>`).join('\n')}\n</ol>`);
      steps = [];
    };
    for (const line of p.split('\n')) {
      const m = STEP.exec(line);
      if (m) {
        flushLines();
        steps.push(line.slice(m[0].length));
      } else {
        flushSteps();
        lines.push(line);
      }
    }
    flushLines();
    flushSteps();
  }
  return out.join('\n');
}
