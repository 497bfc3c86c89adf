import type { Db } from './platform/db.ts';
import type { Locale } from './shared/locale.ts';

export type Institution = {
  code: string;
  name: string;
  address: string;
  phone: string;
  /** 接見須知 for families, in the reader's language (the Chinese when there is no English; '' when none) */
  visitingNotes: string;
  mobileVisitMinutes: number;
  contactBookIntervalDays: number;
  lawyerMorning: { start: string; end: string };
  lawyerAfternoon: { start: string; end: string };
};

type InstitutionRow = {
  code: string;
  name_zh: string;
  name_en: string;
  address_zh: string;
  address_en: string;
  phone: string;
  visiting_notes_zh: string;
  visiting_notes_en: string;
  mobile_visit_minutes: number;
  contact_book_interval_days: number;
  lawyer_morning_start: string;
  lawyer_morning_end: string;
  lawyer_afternoon_start: string;
  lawyer_afternoon_end: string;
};

const hhmm = (t: string) => t.slice(0, 5);

function toInstitution(r: InstitutionRow, locale: Locale): Institution {
  return {
    code: r.code,
    name: locale === 'en' ? r.name_en : r.name_zh,
    address: locale === 'en' ? r.address_en : r.address_zh,
    phone: r.phone,
    visitingNotes: locale === 'en' ? r.visiting_notes_en || r.visiting_notes_zh : r.visiting_notes_zh,
    mobileVisitMinutes: r.mobile_visit_minutes,
    contactBookIntervalDays: r.contact_book_interval_days,
    lawyerMorning: { start: hhmm(r.lawyer_morning_start), end: hhmm(r.lawyer_morning_end) },
    lawyerAfternoon: { start: hhmm(r.lawyer_afternoon_start), end: hhmm(r.lawyer_afternoon_end) },
  };
}

export async function listInstitutions(db: Db, locale: Locale): Promise<Institution[]> {
  const { rows } = await db.query<InstitutionRow>(
    `SELECT code, name_zh, name_en, address_zh, address_en, phone, visiting_notes_zh, visiting_notes_en, mobile_visit_minutes, contact_book_interval_days,
            lawyer_morning_start, lawyer_morning_end, lawyer_afternoon_start, lawyer_afternoon_end
       FROM institution ORDER BY code`,
  );
  return rows.map((r) => toInstitution(r, locale));
}
