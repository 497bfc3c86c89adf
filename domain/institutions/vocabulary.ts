import type { MessageKey } from '../i18n/i18n.ts';
import { isTime, minutesOf } from '../shared/dates.ts';
import { withoutInvisible } from '../shared/plain-text.ts';

/**
 * 機關資料管理 and 系統參數設定(機關): what an institution's record and parameters are, their bounds
 * (the same as the database's CHECKs in migrations 001 and 013) and the checks a form gets, with one
 * message per field.
 */

export type FieldProblem = { key: MessageKey; params?: Record<string, string | number> };
export type Problems<F extends string> = Partial<Record<F, FieldProblem>>;

// ---- the record ----

export type InstitutionInput = {
  code: string;
  nameZh: string;
  nameEn: string;
  addressZh: string;
  addressEn: string;
  phone: string;
  visitingNotesZh: string;
  visitingNotesEn: string;
};
export type InstitutionField = keyof InstitutionInput;
export const INSTITUTION_FIELDS: readonly InstitutionField[] = [
  'code',
  'nameZh',
  'nameEn',
  'addressZh',
  'addressEn',
  'phone',
  'visitingNotesZh',
  'visitingNotesEn',
];

/** Characters (code points) each text may hold, as the database (migration 013) allows; under formFields' 1000. */
export const RECORD_LIMITS: Record<Exclude<InstitutionField, 'code'>, number> = {
  nameZh: 40,
  nameEn: 80,
  addressZh: 200,
  addressEn: 300,
  phone: 30,
  visitingNotesZh: 500,
  visitingNotesEn: 800,
};

const PHONE_RE = /^[0-9+()#\-\s,.轉分機ext]*$/i;
const length = (s: string) => [...s].length;
// Tabs and newlines are kept in the notes; other control characters are never meant (the routes strip
// them at the edge; the domain refuses them for any other caller).
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** An institution's record trimmed and checked; the code is checked only when it is being created. */
export function checkInstitution(raw: InstitutionInput, creating: boolean) {
  const value: InstitutionInput = {
    code: raw.code.normalize('NFKC').trim(),
    nameZh: withoutInvisible(raw.nameZh).trim(),
    nameEn: withoutInvisible(raw.nameEn).trim(),
    addressZh: raw.addressZh.trim(),
    addressEn: raw.addressEn.trim(),
    phone: raw.phone.trim(),
    visitingNotesZh: raw.visitingNotesZh.replace(/\r\n?/g, '\n').trim(),
    visitingNotesEn: raw.visitingNotesEn.replace(/\r\n?/g, '\n').trim(),
  };
  const errors: Problems<InstitutionField> = {};
  // 0000 is no institution's code (a blank filled with zeros).
  if (creating && (!/^\d{4}$/.test(value.code) || value.code === '0000'))
    errors.code = { key: 'institutions.error.code' };
  if (!value.nameZh) errors.nameZh = { key: 'institutions.error.nameZhRequired' };
  if (!value.nameEn) errors.nameEn = { key: 'institutions.error.nameEnRequired' };
  for (const [field, max] of Object.entries(RECORD_LIMITS) as [Exclude<InstitutionField, 'code'>, number][]) {
    if (errors[field]) continue;
    if (
      CONTROL_RE.test(value[field]) ||
      /[\ud800-\udfff]/.test(value[field].replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))
    )
      errors[field] = { key: 'institutions.error.characters' };
    else if (length(value[field]) > max) errors[field] = { key: 'institutions.error.tooLong', params: { max } };
  }
  if (!errors.phone && (!PHONE_RE.test(value.phone) || (value.phone && !/\d/.test(value.phone))))
    errors.phone = { key: 'institutions.error.phone' };
  return { value, errors };
}

// ---- the parameters (seed 002's table) ----

/** Seed 002's 類別 codes, in the seed's order. */
export const PARAMETER_CODES = ['A', 'B', 'C', 'RAS', 'RAE', 'RFS', 'RFE'] as const;
export type ParameterCode = (typeof PARAMETER_CODES)[number];

export type Parameters = {
  A: number;
  B: string;
  C: number;
  RAS: string;
  RAE: string;
  RFS: string;
  RFE: string;
};

/** What a new institution starts with (the schema's defaults; seed 002 and PRODUCT.md). */
export const DEFAULT_PARAMETERS: Parameters = {
  A: 20,
  B: '',
  C: 10,
  RAS: '09:00',
  RAE: '11:00',
  RFS: '14:00',
  RFE: '16:00',
};

/** The database's bounds (migration 001): A mobile visit minutes, C contact book interval days. */
export const MOBILE_MINUTES = { min: 5, max: 120 } as const;
export const INTERVAL_DAYS = { min: 1, max: 90 } as const;
export const RECORDING_PATH_MAX = 255;

/** The column behind each code. */
export const PARAMETER_COLUMNS: Record<ParameterCode, string> = {
  A: 'mobile_visit_minutes',
  B: 'recording_path',
  C: 'contact_book_interval_days',
  RAS: 'lawyer_morning_start',
  RAE: 'lawyer_morning_end',
  RFS: 'lawyer_afternoon_start',
  RFE: 'lawyer_afternoon_end',
};

const wholeNumber = (s: string) => (/^\d{1,4}$/.test(s) ? Number(s) : NaN);

/**
 * The posted parameters checked: A and C whole numbers in their ranges, B a path of printable
 * characters, the four times HH:MM in order RAS < RAE ≤ RFS < RFE (each window has length, and the
 * morning ends before the afternoon starts). A problem of order is told on the later field.
 */
export function checkParameters(raw: Record<ParameterCode, string>) {
  const v = {
    A: raw.A.normalize('NFKC').trim(),
    B: raw.B.trim(),
    C: raw.C.normalize('NFKC').trim(),
    RAS: raw.RAS.normalize('NFKC').trim(),
    RAE: raw.RAE.normalize('NFKC').trim(),
    RFS: raw.RFS.normalize('NFKC').trim(),
    RFE: raw.RFE.normalize('NFKC').trim(),
  };
  const errors: Problems<ParameterCode> = {};
  const a = wholeNumber(v.A);
  if (!(a >= MOBILE_MINUTES.min && a <= MOBILE_MINUTES.max))
    errors.A = { key: 'parameters.error.A', params: MOBILE_MINUTES };
  const c = wholeNumber(v.C);
  if (!(c >= INTERVAL_DAYS.min && c <= INTERVAL_DAYS.max))
    errors.C = { key: 'parameters.error.C', params: INTERVAL_DAYS };
  if (
    CONTROL_RE.test(v.B) ||
    /[\r\n\t]/.test(v.B) ||
    /[\ud800-\udfff]/.test(v.B.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))
  )
    errors.B = { key: 'parameters.error.B' };
  else if (length(v.B) > RECORDING_PATH_MAX)
    errors.B = { key: 'institutions.error.tooLong', params: { max: RECORDING_PATH_MAX } };
  for (const code of ['RAS', 'RAE', 'RFS', 'RFE'] as const)
    if (!isTime(v[code])) errors[code] = { key: 'parameters.error.time' };
  const t = (code: 'RAS' | 'RAE' | 'RFS' | 'RFE') => (errors[code] ? null : minutesOf(v[code]));
  const [ras, rae, rfs, rfe] = [t('RAS'), t('RAE'), t('RFS'), t('RFE')];
  if (ras !== null && rae !== null && !(ras < rae)) errors.RAE = { key: 'parameters.error.RAE' };
  if (rae !== null && rfs !== null && !errors.RAE && !(rae <= rfs)) errors.RFS = { key: 'parameters.error.RFS' };
  if (rfs !== null && rfe !== null && !errors.RFS && !(rfs < rfe)) errors.RFE = { key: 'parameters.error.RFE' };
  const value: Parameters = { A: a, B: v.B, C: c, RAS: v.RAS, RAE: v.RAE, RFS: v.RFS, RFE: v.RFE };
  return { value, errors, entered: v };
}
