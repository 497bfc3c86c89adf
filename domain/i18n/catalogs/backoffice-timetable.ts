/** 公告時段管理 (issue 5): the weekly batches and the dates an institution is closed for visits. */
import type { Locale } from '../../shared/locale.ts';

export const backofficeTimetableMessages = {
  'nav.backoffice.timetable': { 'zh-TW': '公告時段管理', en: 'Visiting times' },

  'timetable.lead': {
    'zh-TW': '{institution}的接見梯次與不開放日期。家屬在預約時只看得到這裡開放、且還有名額的梯次。',
    en: 'Visiting times and closed dates at {institution}. Families booking a visit see only the times open here that still have places.',
  },
  'timetable.closedTitle': { 'zh-TW': '不開放接見的日期', en: 'Dates closed for visits' },
  'timetable.closedNone': { 'zh-TW': '目前沒有設定不開放的日期。', en: 'No closed dates are set.' },
  'timetable.open': { 'zh-TW': '恢復開放', en: 'Open again' },
  'timetable.closeTitle': { 'zh-TW': '新增不開放日期', en: 'Close a date' },
  'timetable.closeHint': {
    'zh-TW':
      '國定假日、停電、防疫等不開放接見的日期。已經預約的接見不會自動取消：新增後請到「預約接見審核」逐筆取消並說明原因，每位接見人都會收到通知。',
    en: 'Public holidays, power cuts, outbreaks: days with no visits. Visits already booked are not cancelled by this: cancel each one in “Visit bookings” with a reason, and every visitor is told.',
  },
  'timetable.date': { 'zh-TW': '日期', en: 'Date' },
  'timetable.reason': { 'zh-TW': '原因', en: 'Reason' },
  'timetable.closeSubmit': { 'zh-TW': '設為不開放', en: 'Close this date' },
  'timetable.batchesTitle': { 'zh-TW': '每週梯次與名額', en: 'Weekly visiting times and places' },
  'timetable.capacityHint': {
    'zh-TW': '表格中的數字是每個梯次可預約的件數。改成 0 表示取消該梯次（已預約的接見不受影響）。',
    en: 'Each number is how many visits a time can take. 0 removes the time (visits already booked stay).',
  },
  'timetable.caption': { 'zh-TW': '{kind}：每週梯次與名額', en: '{kind}: weekly times and places' },
  'timetable.capacityLabel': {
    'zh-TW': '{kind} 星期{weekday} {time} 的名額',
    en: 'Places for {kind} on {weekday} {time}',
  },
  'timetable.saveCapacity': { 'zh-TW': '儲存名額', en: 'Save places' },
  'timetable.addTitle': { 'zh-TW': '新增梯次', en: 'Add a visiting time' },
  'timetable.weekdays': { 'zh-TW': '星期', en: 'Days' },
  'timetable.startsAt': { 'zh-TW': '開始時間', en: 'Starts at' },
  'timetable.length': { 'zh-TW': '每梯分鐘數', en: 'Minutes' },
  'timetable.lengthHint': {
    'zh-TW': '行動接見依機關參數 A，不必填寫。',
    en: 'Mobile visits last parameter A: leave it.',
  },
  'timetable.capacity': { 'zh-TW': '名額（件）', en: 'Places (visits)' },
  'timetable.addSubmit': { 'zh-TW': '新增梯次', en: 'Add' },
  'timetable.saved': {
    'zh-TW': '已更新 {count} 個梯次的名額。',
    en: 'Places updated for {count, plural, one {# time} other {# times}}.',
  },
  'timetable.added': {
    'zh-TW': '已新增 {count} 個梯次（{skipped} 個已存在而略過）。',
    en: '{count, plural, one {# time} other {# times}} added ({skipped} already existed).',
  },
  'timetable.closed': {
    'zh-TW': '{date} 已設為不開放。這天已有 {count} 件預約，請到「預約接見審核」取消並說明原因。',
    en: '{date} is closed. {count, plural, =0 {No visit was booked that day.} one {# visit was already booked that day: cancel it in “Visit bookings” with a reason.} other {# visits were already booked that day: cancel them in “Visit bookings” with a reason.}}',
  },
  'timetable.opened': { 'zh-TW': '{date} 已恢復開放。', en: '{date} is open again.' },
  'timetable.error.kind': { 'zh-TW': '請選擇接見種類', en: 'Choose the type of visit' },
  'timetable.error.weekdays': { 'zh-TW': '請至少選擇一個星期', en: 'Choose at least one day' },
  'timetable.error.startsAt': { 'zh-TW': '請以 09:00 的格式輸入開始時間', en: 'Enter the start time as 09:00' },
  'timetable.error.length': { 'zh-TW': '每梯分鐘數請輸入 5 到 240', en: 'Enter 5 to 240 minutes' },
  'timetable.error.capacity': { 'zh-TW': '名額請輸入 1 到 500', en: 'Enter 1 to 500 places' },
  'timetable.error.date': { 'zh-TW': '請選擇今天或以後的日期', en: 'Choose today or a later date' },
  'timetable.error.reason': { 'zh-TW': '原因最多 200 字', en: 'The reason can be up to 200 characters' },
  'timetable.error.duplicate': { 'zh-TW': '這一天已經是不開放日期', en: 'This date is already closed' },
} satisfies Record<string, Record<Locale, string>>;
