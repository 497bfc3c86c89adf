/** Visit booking, the staff's side (issue 5): booking for a caller on the phone (電話預約). */
import type { Locale } from '../../shared/locale.ts';

export const backofficePhoneBookingsMessages = {
  'backoffice.bookings.phone.title': { 'zh-TW': '電話預約', en: 'Book for a caller' },
  'backoffice.bookings.phone.lead': {
    'zh-TW':
      '替已註冊並完成信箱驗證的家屬或律師預約接見。規則與線上預約相同；預約會標示為電話預約，並寄信通知每位接見人。',
    en: 'Book a visit for a registered family member or lawyer whose e-mail is verified. The same rules apply as online; the booking is marked as booked by phone and every visitor is mailed.',
  },
  'backoffice.bookings.phone.step1': { 'zh-TW': '第 1 步：確認申請人', en: 'Step 1: find the applicant' },
  'backoffice.bookings.phone.name': { 'zh-TW': '姓名', en: 'Name' },
  'backoffice.bookings.phone.nameHint': { 'zh-TW': '與註冊時填寫的姓名相同', en: 'As registered' },
  'backoffice.bookings.phone.nationalId': {
    'zh-TW': '身分證字號或居留證統一證號',
    en: 'National ID or resident certificate number',
  },
  'backoffice.bookings.phone.find': { 'zh-TW': '查詢申請人', en: 'Find applicant' },
  'backoffice.bookings.phone.notFound': {
    'zh-TW': '找不到符合的申請人。請核對姓名與身分證字號；尚未註冊或未完成信箱驗證者，請先上網註冊。',
    en: 'No applicant matches. Check the name and ID number; someone not registered, or whose e-mail is not verified, must register online first.',
  },
  'backoffice.bookings.phone.applicant': { 'zh-TW': '申請人：{name}（{id}）', en: 'Applicant: {name} ({id})' },
  'backoffice.bookings.phone.otherApplicant': { 'zh-TW': '換一位申請人', en: 'Another applicant' },
  'backoffice.bookings.phone.step2': {
    'zh-TW': '第 2 步：選擇接見對象與類型',
    en: 'Step 2: choose the inmate and the kind of visit',
  },
  'backoffice.bookings.phone.choice': { 'zh-TW': '接見對象與類型', en: 'Inmate and kind of visit' },
  'backoffice.bookings.phone.choiceOption': {
    'zh-TW': '{inmate}（{institution}）・{service}・{kind}・{relationship}',
    en: '{inmate} ({institution}), {service}, {kind}, {relationship}',
  },
  'backoffice.bookings.phone.noOptions': {
    'zh-TW': '這位申請人在本機關沒有審核通過的接見服務項目，不能預約。請申請人先申請服務項目。',
    en: 'This applicant holds no approved visit service at your institution, so no visit can be booked. They need to apply for the service first.',
  },
  'backoffice.bookings.phone.next': { 'zh-TW': '下一步：選擇時段', en: 'Next: choose a time' },
  'backoffice.bookings.phone.step3': { 'zh-TW': '第 3 步：選擇時段並確認', en: 'Step 3: choose a time and confirm' },
  'backoffice.bookings.phone.gridCaption': {
    'zh-TW': '可預約的梯次：{kind}（接見日前 2 至 7 天可預約）',
    en: 'Batches open for {kind} (2 to 7 days ahead)',
  },
  'backoffice.bookings.phone.gridBatch': { 'zh-TW': '第 {n} 梯 {start}', en: 'Batch {n}, {start}' },
  'backoffice.bookings.phone.cell': {
    'zh-TW': '{date} {start}–{end}，尚餘 {remaining} 個名額',
    en: '{date} {start}–{end}, {remaining} places left',
  },
  'backoffice.bookings.phone.cellShort': { 'zh-TW': '尚餘 {remaining}', en: '{remaining} left' },
  'backoffice.bookings.phone.full': {
    'zh-TW': '若無出現可選擇之梯次，則表示可預約時段均已滿。',
    en: 'If no batch can be chosen, every bookable time is full.',
  },
  'backoffice.bookings.phone.closed': { 'zh-TW': '不開放', en: 'closed' },
  'backoffice.bookings.phone.slot': { 'zh-TW': '梯次', en: 'Batch' },
  'backoffice.bookings.phone.date': { 'zh-TW': '接見日期', en: 'Visit date' },
  'backoffice.bookings.phone.dateBlocked': { 'zh-TW': '{date}（不開放接見）', en: '{date} (closed for visits)' },
  'backoffice.bookings.phone.chooseDate': { 'zh-TW': '請選擇日期', en: 'Choose a date' },
  'backoffice.bookings.phone.arrival': { 'zh-TW': '預計到達時間', en: 'Arrival time' },
  'backoffice.bookings.phone.arrivalHint': {
    'zh-TW': '上午 {ms}–{me}，下午 {fs}–{fe}。實際開始時間仍須視前一位律師接見結束後方可安排。',
    en: 'Morning {ms}–{me}, afternoon {fs}–{fe}. The visit starts when the previous lawyer’s visit ends.',
  },
  'backoffice.bookings.phone.chooseTime': { 'zh-TW': '請選擇時間', en: 'Choose a time' },
  'backoffice.bookings.phone.bandsCaption': {
    'zh-TW': '各時段預約律師現場接見人數一覽表',
    en: 'Lawyer on-site visits booked per time band',
  },
  'backoffice.bookings.phone.bandsDate': { 'zh-TW': '日期', en: 'Date' },
  'backoffice.bookings.phone.companions': {
    'zh-TW': '其他接見人（選填，最多 2 位）',
    en: 'Other visitors (optional, at most 2)',
  },
  'backoffice.bookings.phone.companionsHint': {
    'zh-TW': '只列出對同一收容人也有審核通過服務項目的人。',
    en: 'Only people who also hold an approved service for this inmate are listed.',
  },
  'backoffice.bookings.phone.companion': { 'zh-TW': '{name}（{relationship}）', en: '{name} ({relationship})' },
  'backoffice.bookings.phone.reason': { 'zh-TW': '相當理由', en: 'Reason for the visit' },
  'backoffice.bookings.phone.reasonHint': {
    'zh-TW': '申請人與收容人的關係須填寫相當理由；最多 {max} 字。',
    en: 'Needed for this relationship to the inmate. At most {max} characters.',
  },
  'backoffice.bookings.phone.submit': { 'zh-TW': '確認預約', en: 'Confirm booking' },
  'backoffice.bookings.phone.changeChoice': { 'zh-TW': '重新選擇接見對象', en: 'Choose another inmate or kind' },
  'backoffice.bookings.phone.booked': {
    'zh-TW': '已完成電話預約 {number}，狀態為待審核，系統已寄信通知每位接見人。',
    en: 'Phone booking {number} made. It is pending review and every visitor has been mailed.',
  },
  'backoffice.bookings.error.nameRequired': { 'zh-TW': '請輸入姓名', en: 'Enter the name' },
  'backoffice.bookings.error.choiceRequired': {
    'zh-TW': '請選擇接見對象與類型',
    en: 'Choose the inmate and the kind of visit',
  },
  'backoffice.bookings.error.slotRequired': { 'zh-TW': '請選擇一個梯次', en: 'Choose a batch' },
  'backoffice.bookings.error.dateRequired': { 'zh-TW': '請選擇接見日期', en: 'Choose the visit date' },
  'backoffice.bookings.error.arrivalRequired': { 'zh-TW': '請選擇預計到達時間', en: 'Choose the arrival time' },
  'backoffice.bookings.bookingError.notEligible': {
    'zh-TW': '申請人沒有這種接見的審核通過服務項目',
    en: 'The applicant holds no approved service for this kind of visit',
  },
  'backoffice.bookings.bookingError.inmateRestricted': {
    'zh-TW': '這位收容人目前不能接見',
    en: 'This inmate cannot have visits at the moment',
  },
  'backoffice.bookings.bookingError.outsideScope': {
    'zh-TW': '只能預約本機關的接見',
    en: 'You can only book visits at your own institution',
  },
  'backoffice.bookings.bookingError.outsideWindow': {
    'zh-TW': '只能預約 2 至 7 天後的接見',
    en: 'Visits can be booked 2 to 7 days ahead only',
  },
  'backoffice.bookings.bookingError.blockedDate': {
    'zh-TW': '這一天機關不開放接見，請選擇其他日期',
    en: 'The institution is closed for visits on that date: choose another',
  },
  'backoffice.bookings.bookingError.noSuchBatch': {
    'zh-TW': '這個梯次不存在或已取消，請重新選擇',
    en: 'That batch does not exist or was withdrawn: choose again',
  },
  'backoffice.bookings.bookingError.full': {
    'zh-TW': '這個時段已經額滿，請選擇其他梯次',
    en: 'That batch is now full: choose another',
  },
  'backoffice.bookings.bookingError.arrivalRequired': { 'zh-TW': '請選擇預計到達時間', en: 'Choose the arrival time' },
  'backoffice.bookings.bookingError.outsideLawyerWindow': {
    'zh-TW': '到達時間不在機關的律師接見時段內',
    en: 'The arrival time is outside the institution’s lawyer visit hours',
  },
  'backoffice.bookings.bookingError.bookerBusy': {
    'zh-TW': '申請人在這個時間已有其他接見',
    en: 'The applicant already has another visit at that time',
  },
  'backoffice.bookings.bookingError.inmateBusy': {
    'zh-TW': '收容人在這個時間已有其他接見',
    en: 'The inmate already has another visit at that time',
  },
  'backoffice.bookings.bookingError.sameDay': {
    'zh-TW': '這位申請人這一天已預約接見這位收容人（同一天限 1 次）',
    en: 'This applicant already has a visit to this inmate on that day (one a day)',
  },
  'backoffice.bookings.bookingError.companionSameDay': {
    'zh-TW': '其他接見人這一天已經有接見這位收容人的預約（每人每天限 1 次）',
    en: 'Another visitor already has a visit to this inmate that day (one a day for each person)',
  },
  'backoffice.bookings.decision.closed': {
    'zh-TW': '這一天已設為不開放接見，或收容人目前無法接見，不能核准；請審核未通過或取消並說明原因。',
    en: 'The institution is closed for visits that day, or the inmate cannot have visits now: it cannot be approved. Reject it or cancel it with a reason.',
  },
  'backoffice.bookings.bookingError.tooManyCompanions': {
    'zh-TW': '其他接見人最多 2 位',
    en: 'At most 2 other visitors',
  },
  'backoffice.bookings.bookingError.companionNotEligible': {
    'zh-TW': '有其他接見人沒有對這位收容人審核通過的服務項目',
    en: 'Another visitor holds no approved service for this inmate',
  },
  'backoffice.bookings.bookingError.companionBusy': {
    'zh-TW': '有其他接見人在這個時間已有其他接見',
    en: 'Another visitor already has a visit at that time',
  },
  'backoffice.bookings.bookingError.reasonRequired': { 'zh-TW': '請填寫相當理由', en: 'Give the reason for the visit' },
  'backoffice.bookings.bookingError.reasonTooLong': {
    'zh-TW': '相當理由最多 {max} 字',
    en: 'The reason can be at most {max} characters',
  },
  'backoffice.bookings.bookingError.formUsed': {
    'zh-TW': '這份表單已經送出過。請重新選擇後再送出',
    en: 'This form has already been sent. Choose again and confirm',
  },
} satisfies Record<string, Record<Locale, string>>;
