import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import type { MessageKey } from '../i18n/i18n.ts';
import { isCallNumber, type InmateRestriction } from '../inmates.ts';
import { catalogs } from '../i18n/i18n.ts';

/**
 * The inmate register as a file (收容人名冊): CSV with a header row and three columns, as a Windows
 * office program exports it (UTF-8 with or without BOM, or Big5/CP950). Columns, in any order:
 *   呼號 (call_number)      4 or 6 digits; full-width digits are read as digits
 *   姓名 (name)             1 to 50 characters
 *   限制 (restriction)      blank, or why visits are restricted: the code (visit_ban,
 *                           disciplinary_isolation, protective_custody, medical_isolation) or its label
 *                           (禁見, 違規隔離, 保護隔離, 疾病隔離)
 * The same rows come from the push endpoint as JSON; both are checked by `checkRegisterRows`.
 */
export type RegisterRow = { callNumber: string; name: string; restriction: InmateRestriction | null };

/** A problem with one row (its line in the file, or its position in a pushed list), or with the file. */
export type RegisterProblem = { line: number; key: MessageKey; params?: Record<string, string> };

export type RegisterFile =
  | { kind: 'ok'; rows: RegisterRow[]; encoding: 'utf-8' | 'big5' }
  | { kind: 'bad'; problems: RegisterProblem[]; encoding: 'utf-8' | 'big5' | null };

/** Large enough for the largest prison's register (about 6,000 people at ~40 bytes a row) many times over. */
export const REGISTER_MAX_MB = 2;
export const REGISTER_MAX_BYTES = REGISTER_MAX_MB * 1024 * 1024;
export const REGISTER_MAX_ROWS = 20_000;
/** At most this many problems are listed: a wrong file would otherwise list thousands. */
export const REGISTER_MAX_PROBLEMS = 200;
const NAME_MAX = 50;

export const RESTRICTIONS: readonly InmateRestriction[] = [
  'visit_ban',
  'disciplinary_isolation',
  'protective_custody',
  'medical_isolation',
];

const HEADERS: Record<'callNumber' | 'name' | 'restriction', readonly string[]> = {
  callNumber: ['呼號', '收容人呼號', 'call_number', 'callnumber', 'call number'],
  name: ['姓名', '收容人姓名', 'name'],
  restriction: ['限制', '接見限制', '限制事由', 'restriction'],
};

/** The restriction as written in a cell: blank, its code, or its label in either language. */
export function restrictionOf(cell: string): InmateRestriction | null | undefined {
  const v = cell.normalize('NFKC').trim().toLowerCase();
  if (v === '' || v === '無' || v === 'none') return null;
  for (const r of RESTRICTIONS) {
    const key = `inmates.restrictionLabel.${r}` as MessageKey;
    if (v === r || v === catalogs['zh-TW'][key] || v === catalogs.en[key].toLowerCase()) return r;
  }
  return undefined;
}

/** UTF-8 when the bytes are valid UTF-8 (a BOM or not), otherwise Big5 as Windows writes it (CP950). */
export function decodeRegister(bytes: Buffer): { text: string; encoding: 'utf-8' | 'big5' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'cp950'), encoding: 'big5' };
  }
}

/**
 * Checks the rows of a register, wherever they came from: each call number's format and uniqueness,
 * each name, each restriction. `line` says where a row is (its line in the file, or its 1-based
 * position in a pushed list).
 */
export function checkRegisterRows(items: { line: number; callNumber: string; name: string; restriction: string }[]): {
  rows: RegisterRow[];
  problems: RegisterProblem[];
} {
  const rows: RegisterRow[] = [];
  const problems: RegisterProblem[] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const callNumber = item.callNumber.normalize('NFKC').trim();
    const name = item.name.normalize('NFC').trim();
    const restriction = restrictionOf(item.restriction);
    const before = problems.length;
    if (!callNumber) problems.push({ line: item.line, key: 'inmates.problem.callNumberMissing' });
    else if (!isCallNumber(callNumber)) {
      // A spreadsheet drops leading zeros from a number column: 0123 becomes 123.
      const key = /^\d{1,3}$|^\d{5}$/.test(callNumber)
        ? 'inmates.problem.callNumberZeros'
        : 'inmates.problem.callNumberFormat';
      problems.push({ line: item.line, key, params: { value: callNumber.slice(0, 20) } });
    } else if (seen.has(callNumber))
      problems.push({
        line: item.line,
        key: 'inmates.problem.duplicate',
        params: { value: callNumber, first: String(seen.get(callNumber)) },
      });
    if (!name) problems.push({ line: item.line, key: 'inmates.problem.nameMissing' });
    else if ([...name].length > NAME_MAX || /[\p{Cc}\p{Cs}]/u.test(name))
      problems.push({ line: item.line, key: 'inmates.problem.nameFormat' });
    // A character Big5 has no code for (a user-defined 造字, say) arrives as U+FFFD.
    else if (name.includes('\ufffd')) problems.push({ line: item.line, key: 'inmates.problem.nameUnreadable' });
    if (restriction === undefined)
      problems.push({
        line: item.line,
        key: 'inmates.problem.restriction',
        params: { value: item.restriction.trim().slice(0, 40) },
      });
    if (isCallNumber(callNumber) && !seen.has(callNumber)) seen.set(callNumber, item.line);
    if (problems.length === before) rows.push({ callNumber, name, restriction: restriction ?? null });
  }
  if (!items.length) problems.push({ line: 0, key: 'inmates.problem.empty' });
  return { rows, problems: problems.slice(0, REGISTER_MAX_PROBLEMS) };
}

const headerIndex = (cells: string[], names: readonly string[]) =>
  cells.findIndex((c) =>
    names.includes(
      c
        .normalize('NFKC')
        .replace(/^\uFEFF/, '')
        .trim()
        .toLowerCase(),
    ),
  );

/** Reads an uploaded register: size, text, encoding, header, then every row. */
export function readRegisterFile(bytes: Buffer): RegisterFile {
  const file = (key: MessageKey, encoding: 'utf-8' | 'big5' | null = null, line = 0): RegisterFile => ({
    kind: 'bad',
    problems: [{ line, key }],
    encoding,
  });
  if (bytes.length === 0) return file('inmates.problem.empty');
  if (bytes.length > REGISTER_MAX_BYTES)
    return {
      kind: 'bad',
      problems: [{ line: 0, key: 'inmates.problem.tooLarge', params: { limit: String(REGISTER_MAX_MB) } }],
      encoding: null,
    };
  const { text, encoding } = decodeRegister(bytes);
  // A text file has no NUL and few other control characters; a spreadsheet (.xlsx), a PDF or an image does.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) return file('inmates.problem.notText');
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    // With `info`, each record comes with the UTF-8 bytes read up to its end (its types do not say so).
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as {
      record: string[];
      info: { bytes: number };
    }[];
  } catch (err) {
    return file('inmates.problem.unreadable', encoding, Number((err as { lines?: number }).lines) || 0);
  }
  const lineOf = lineCounter(Buffer.from(text, 'utf8'));
  const [header, ...body] = records;
  if (!header) return file('inmates.problem.empty', encoding);
  const at = {
    callNumber: headerIndex(header.record, HEADERS.callNumber),
    name: headerIndex(header.record, HEADERS.name),
    restriction: headerIndex(header.record, HEADERS.restriction),
  };
  if (at.callNumber < 0 || at.name < 0) return file('inmates.problem.header', encoding, 1);
  if (body.length > REGISTER_MAX_ROWS) return file('inmates.problem.tooMany', encoding);
  let end = header.info.bytes;
  const items = [];
  for (const { record, info } of body) {
    // The line a row starts on: after the previous row's end and any blank lines (a quoted cell may hold line breaks).
    const line = lineOf(end);
    end = info.bytes;
    if (record.every((c) => c.trim() === '')) continue;
    items.push({
      line,
      callNumber: record[at.callNumber] ?? '',
      name: record[at.name] ?? '',
      restriction: at.restriction < 0 ? '' : (record[at.restriction] ?? ''),
    });
  }
  const { rows, problems } = checkRegisterRows(items);
  return problems.length ? { kind: 'bad', problems, encoding } : { kind: 'ok', rows, encoding };
}

/** The 1-based line of the first non-blank byte at or after an offset; offsets must not decrease between calls. */
function lineCounter(bytes: Buffer): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    let o = offset;
    while (o < bytes.length && (bytes[o] === 0x0a || bytes[o] === 0x0d)) o++;
    for (; at < o; at++) if (bytes[at] === 0x0a) line++;
    return line;
  };
}
