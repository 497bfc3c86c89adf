/** Visit booking, the staff's side (issue 5): the on-site visit roster (預約現場接見清冊). */
import type { Locale } from '../../shared/locale.ts';

export const backofficeRostersMessages = {
  'backoffice.bookings.roster.title': { 'zh-TW': '預約現場接見清冊', en: 'On-site visit roster' },
  'backoffice.bookings.roster.name.visit': { 'zh-TW': '預約現場接見清冊', en: 'On-site family visit roster' },
  'backoffice.bookings.roster.name.lawyer_visit': {
    'zh-TW': '預約現場律師接見清冊',
    en: 'On-site lawyer visit roster',
  },
  'backoffice.bookings.roster.choose': {
    'zh-TW': '選擇機關、接見日期與預約種類',
    en: 'Institution, visit date and kind of roster',
  },
  'backoffice.bookings.roster.date': { 'zh-TW': '接見日期', en: 'Visit date' },
  'backoffice.bookings.roster.dateHint': {
    'zh-TW': '預設為明天，例如 2026-11-23',
    en: 'Tomorrow unless you choose, for example 2026-11-23',
  },
  'backoffice.bookings.roster.show': { 'zh-TW': '顯示清冊', en: 'Show roster' },
  'backoffice.bookings.roster.chooseInstitution': { 'zh-TW': '請選擇機關。', en: 'Choose an institution.' },
  'backoffice.bookings.roster.heading': { 'zh-TW': '{institution} {name}', en: '{institution}: {name}' },
  'backoffice.bookings.roster.forDate': { 'zh-TW': '接見日期：{date}', en: 'Visit date: {date}' },
  'backoffice.bookings.roster.count': {
    'zh-TW': '共 {count} 件，接見人 {people} 位。只列出審核通過的預約。',
    en: 'Bookings: {count}; visitors: {people}. Only approved bookings are listed.',
  },
  'backoffice.bookings.roster.none': {
    'zh-TW': '這一天沒有審核通過的現場接見。',
    en: 'No approved on-site visits on this date.',
  },
  'backoffice.bookings.roster.howTo': {
    'zh-TW': '請於前一日列印清冊，通知中央台等相關人員，安排次日提帶收容人等準備作業。',
    en: 'Print the roster the day before and pass it to the control room and everyone who prepares the inmates for their visits.',
  },
  'backoffice.bookings.roster.csv': {
    'zh-TW': '下載 CSV 檔（可用 Excel 開啟）',
    en: 'Download as CSV (opens in Excel)',
  },
  'backoffice.bookings.roster.caption': { 'zh-TW': '{name}：{date}', en: '{name}: {date}' },
  'backoffice.bookings.roster.col.slot': { 'zh-TW': '梯次／到達時間', en: 'Batch or arrival' },
  'backoffice.bookings.roster.col.inmate': { 'zh-TW': '收容人（呼號）', en: 'Inmate (call number)' },
  'backoffice.bookings.roster.col.visitors': { 'zh-TW': '接見人（身分證末 4 碼）', en: 'Visitors (ID last 4)' },
  'backoffice.bookings.roster.col.kind': { 'zh-TW': '接見類型', en: 'Kind' },
  'backoffice.bookings.roster.col.number': { 'zh-TW': '預約編號', en: 'Booking number' },
  'backoffice.bookings.roster.batch': { 'zh-TW': '第 {n} 梯 {start}–{end}', en: 'Batch {n}, {start}–{end}' },
  'backoffice.bookings.roster.inmate': { 'zh-TW': '{name}（{callNumber}）', en: '{name} ({callNumber})' },
  'backoffice.bookings.roster.visitor': { 'zh-TW': '{name}（{relationship}）{id}', en: '{name} ({relationship}) {id}' },
  'backoffice.bookings.csv.number': { 'zh-TW': '預約編號', en: 'Booking number' },
  'backoffice.bookings.csv.date': { 'zh-TW': '接見日期', en: 'Visit date' },
  'backoffice.bookings.csv.slot': { 'zh-TW': '梯次／到達時間', en: 'Batch or arrival' },
  'backoffice.bookings.csv.callNumber': { 'zh-TW': '呼號', en: 'Call number' },
  'backoffice.bookings.csv.inmate': { 'zh-TW': '收容人', en: 'Inmate' },
  'backoffice.bookings.csv.kind': { 'zh-TW': '接見類型', en: 'Kind' },
  'backoffice.bookings.csv.channel': { 'zh-TW': '預約方式', en: 'Booked' },
  'backoffice.bookings.csv.visitorName': { 'zh-TW': '接見人{n}姓名', en: 'Visitor {n} name' },
  'backoffice.bookings.csv.visitorId': { 'zh-TW': '接見人{n}身分證', en: 'Visitor {n} ID' },
  'backoffice.bookings.csv.visitorRelationship': { 'zh-TW': '接見人{n}關係', en: 'Visitor {n} relationship' },
} satisfies Record<string, Record<Locale, string>>;
