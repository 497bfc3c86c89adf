/** Visit booking, the family's and the lawyer's side (issue 5): the wizard and the list (its mails are in mails.ts). */
import type { Locale } from '../../shared/locale.ts';

export const bookingsMessages = {
  'nav.bookings': { 'zh-TW': '預約接見', en: 'Visits' },
  'nav.bookingNew': { 'zh-TW': '線上預約接見', en: 'Book a visit' },
  'nav.bookingList': { 'zh-TW': '線上預約接見查詢', en: 'My visit bookings' },

  'booking.dateWithWeekday': { 'zh-TW': '{date}（{weekday}）', en: '{weekday} {date}' },
  'booking.whenBatch': { 'zh-TW': '{date} {start}–{end}', en: '{date}, {start}–{end}' },
  'booking.whenArrival': { 'zh-TW': '{date} 預計 {time} 到達', en: '{date}, arriving at {time}' },
  'booking.none': { 'zh-TW': '無', en: 'none' },

  'booking.error.sameDay': {
    'zh-TW': '您這一天已經預約接見這位收容人，同一天限 1 次。請選擇其他日期，或先取消原本的預約。',
    en: 'You already have a visit to this inmate on that day: one a day. Choose another day, or cancel the other booking first.',
  },
  'booking.leave.link': { 'zh-TW': '退出這個預約', en: 'Withdraw from this booking' },
  'booking.leave.title': { 'zh-TW': '退出這個預約嗎？', en: 'Withdraw from this booking?' },
  'booking.leave.warning': {
    'zh-TW': '退出後您就不是這次接見的接見人，預約人會收到電子郵件通知，預約對其他人仍然有效。接見日當天不能退出。',
    en: 'You will no longer be a visitor on this visit. The person who booked it is told by e-mail, and the booking stands for the others. You cannot withdraw on the day itself.',
  },
  'booking.leave.submit': { 'zh-TW': '確定退出', en: 'Yes, withdraw' },
  'booking.notice.left': {
    'zh-TW': '您已退出這個預約，預約人會收到通知。',
    en: 'You have withdrawn. The person who booked is told.',
  },
  'booking.notice.tooLateLeave': {
    'zh-TW': '接見日當天不能在網路上退出，請洽機關。',
    en: 'You cannot withdraw online on the day of the visit. Please call the institution.',
  },
  'booking.error.companionSameDay': {
    'zh-TW': '選擇的其他接見人這一天已經有接見這位收容人的預約（每人每天限 1 次），請重新選擇其他接見人或日期。',
    en: 'One of the other visitors already has a visit to this inmate that day (one a day for each person). Choose other visitors or another day.',
  },

  'booking.stepsLabel': { 'zh-TW': '預約步驟', en: 'Booking steps' },
  'booking.step.kind': { 'zh-TW': '選擇接見類型', en: 'Type of visit' },
  'booking.step.inmate': { 'zh-TW': '選擇接見對象', en: 'Who you are visiting' },
  'booking.step.companions': { 'zh-TW': '選擇其他接見人', en: 'Other visitors' },
  'booking.step.slot': { 'zh-TW': '預約時段挑選', en: 'Date and time' },
  'booking.step.reason': { 'zh-TW': '相當理由', en: 'Reason for the visit' },
  'booking.step.confirm': { 'zh-TW': '確認預約接見資訊', en: 'Check and confirm' },
  'booking.stepOf': { 'zh-TW': '第 {n} 步，共 {total} 步', en: 'Step {n} of {total}' },
  'booking.previous': { 'zh-TW': '上一步', en: 'Previous step' },
  'booking.next': { 'zh-TW': '下一步', en: 'Next' },
  'booking.change': { 'zh-TW': '修改', en: 'Change' },
  'booking.kind.title': { 'zh-TW': '選擇接見類型', en: 'What type of visit?' },
  'booking.kind.none': {
    'zh-TW': '您還沒有審核通過的接見服務。請先申請預約接見（家屬）或律師接見服務，經機關審核通過後，就可以在這裡預約。',
    en: 'You do not have an approved visit service yet. Apply for visits (family) or lawyer visits first; once the institution approves, you can book here.',
  },
  'booking.kind.legend': { 'zh-TW': '接見類型', en: 'Type of visit' },
  'booking.kind.hint': { 'zh-TW': '只列出您已獲准的接見類型。', en: 'Only the types you are approved for are listed.' },
  'booking.kind.about.onsite': {
    'zh-TW': '到機關的接見室與收容人見面。',
    en: 'Meet the inmate in the institution’s visiting room.',
  },
  'booking.kind.about.remote': {
    'zh-TW': '到指定的遠距接見地點，以視訊與收容人見面。',
    en: 'Talk by video from a remote visiting site.',
  },
  'booking.kind.about.mobile': {
    'zh-TW': '用您自己的手機視訊，時間到時點擊簡訊中的連結。',
    en: 'Talk by video on your own phone: open the link we text you at the time of the visit.',
  },
  'booking.inmate.title': { 'zh-TW': '選擇接見對象', en: 'Who are you visiting?' },
  'booking.inmate.legend': { 'zh-TW': '要{kind}的收容人', en: 'The inmate for this {kind}' },
  'booking.inmate.hint': {
    'zh-TW': '關係依您申請服務時填寫的資料，不能在這裡修改。',
    en: 'Your relationship is the one in your approved application and cannot be changed here.',
  },
  'booking.inmate.option': { 'zh-TW': '{inmate}（{institution}）', en: '{inmate} ({institution})' },
  'booking.inmate.relationship': { 'zh-TW': '與收容人關係：{relationship}', en: 'Relationship: {relationship}' },
  'booking.companions.title': { 'zh-TW': '選擇其他接見人', en: 'Anyone else coming?' },
  'booking.companions.lead': {
    'zh-TW':
      '如果還有其他人要一起接見，可以在這裡選擇。其他接見人也必須註冊帳號，並申請同一位收容人的同類接見服務且審核通過，才會出現在這裡。',
    en: 'You can add people who will join the visit. They must have their own account and an approved service of the same type for the same inmate to appear here.',
  },
  'booking.companions.none': {
    'zh-TW': '目前沒有可以一起接見的人。若沒有其他接見人，請直接按「下一步」。',
    en: 'No one else can join this visit at the moment. If no one else is coming, press “Next”.',
  },
  'booking.companions.legend': { 'zh-TW': '其他接見人', en: 'Other visitors' },
  'booking.companions.hint': {
    'zh-TW': '最多選 {max} 位（第二、第三接見人）。他們會收到電子郵件通知。',
    en: 'Up to {max} people. They will be told by e-mail.',
  },
  'booking.companions.person': { 'zh-TW': '{name}（{relationship}）', en: '{name} ({relationship})' },
  'booking.slot.title': { 'zh-TW': '預約時段挑選', en: 'Choose a date and time' },
  'booking.slot.lead': {
    'zh-TW': '可以選擇 2 天後到 7 天內的時段。表格中有選項的時段才可以預約，並標示剩餘名額。',
    en: 'You can book from 2 to 7 days ahead. Only times with places left can be chosen; the number of places left is shown.',
  },
  'booking.slot.legend': { 'zh-TW': '{from} ~ {to} 可預約的梯次', en: 'Visiting times from {from} to {to}' },
  'booking.slot.full': {
    'zh-TW': '若無出現可選擇之梯次，則表示可預約時段均已滿。',
    en: 'If no time can be chosen, every bookable time is full.',
  },
  'booking.slot.noneOpen': {
    'zh-TW': '若無出現可選擇之梯次，則表示可預約時段均已滿。目前 7 天內沒有可以預約的梯次，請過幾天再試，或洽機關。',
    en: 'If no time can be chosen, every bookable time is full. There is nothing free in the next 7 days: please try again in a few days or call the institution.',
  },
  'booking.slot.gridCaption': { 'zh-TW': '{kind}梯次表：日期與梯次', en: '{kind}: dates and visiting times' },
  'booking.slot.batch': { 'zh-TW': '梯次', en: 'Time' },
  'booking.slot.batchName': { 'zh-TW': '第{n}梯 {time}', en: 'Session {n} {time}' },
  'booking.slot.remaining': { 'zh-TW': '剩 {n} 位', en: '{n} left' },
  'booking.slot.notOffered': { 'zh-TW': '無法預約', en: 'not available' },
  'booking.slot.closedDay': { 'zh-TW': '不開放', en: 'closed' },
  'booking.slot.lawyerLead': {
    'zh-TW':
      '請選擇到達日期與預計到達時間。本機關律師現場接見的到達時間：上午 {morningStart}–{morningEnd}、下午 {afternoonStart}–{afternoonEnd}。',
    en: 'Choose the date and the time you will arrive. Lawyers may arrive {morningStart}–{morningEnd} or {afternoonStart}–{afternoonEnd}.',
  },
  'booking.slot.date': { 'zh-TW': '預約接見日期', en: 'Date of the visit' },
  'booking.slot.closed': { 'zh-TW': '不開放的日期：{dates}', en: 'Closed: {dates}' },
  'booking.slot.arrival': { 'zh-TW': '預計到達時間', en: 'Arrival time' },
  'booking.slot.arrivalHint': {
    'zh-TW': '可參考下表各時段已預約的人數，選擇人較少的時段。',
    en: 'The table shows how many lawyer visits are booked in each hour, so you can choose a quiet one.',
  },
  'booking.slot.bandsCaption': {
    'zh-TW': '各時段預約律師現場接見人數一覽表',
    en: 'Lawyer visits already booked, by arrival time',
  },
  'booking.slot.people': { 'zh-TW': '{n} 人', en: '{n}' },
  'booking.slot.lawyerNote': {
    'zh-TW':
      '請注意：機關核准預約後會預先安排律師接見時段，惟實際開始時間仍須視前一位律師接見結束後方可進行安排，尚請見諒。',
    en: 'Please note: once approved, the institution plans your visit, but it can only start when the previous lawyer’s visit ends.',
  },
  'booking.reason.title': { 'zh-TW': '請求接見之相當理由', en: 'Why do you ask to visit?' },
  'booking.reason.label': { 'zh-TW': '相當理由', en: 'Reason for the visit' },
  'booking.reason.hint': {
    'zh-TW':
      '您與收容人的關係是「{relationship}」，需要說明請求接見的理由（最多 {max} 字）。最近親屬、家屬、律師、辯護人不必填寫。',
    en: 'Your relationship to the inmate is “{relationship}”, so please give a reason (up to {max} characters). Close relatives, family, lawyers and defenders do not need one.',
  },
  'booking.confirm.title': { 'zh-TW': '確認預約接見資訊', en: 'Check your booking' },
  'booking.confirm.kind': { 'zh-TW': '接見種類', en: 'Type of visit' },
  'booking.confirm.when': { 'zh-TW': '預約接見日期', en: 'Date and time' },
  'booking.confirm.batch': { 'zh-TW': '第{n}梯', en: 'Session {n}' },
  'booking.confirm.inmate': { 'zh-TW': '收容人', en: 'Inmate' },
  'booking.confirm.applicant': { 'zh-TW': '申請人', en: 'Booked by' },
  'booking.confirm.applicantValue': { 'zh-TW': '{name}（{relationship}）', en: '{name} ({relationship})' },
  'booking.confirm.second': { 'zh-TW': '第二接見人', en: 'Second visitor' },
  'booking.confirm.third': { 'zh-TW': '第三接見人', en: 'Third visitor' },
  'booking.confirm.reason': { 'zh-TW': '請求接見之相當理由', en: 'Reason for the visit' },
  'booking.confirm.reasonNotNeeded': {
    'zh-TW': '家屬或最近親屬（不必填寫）',
    en: 'Family or close relative (not needed)',
  },
  'booking.confirm.reasonNotNeededLawyer': {
    'zh-TW': '律師、辯護人（不必填寫）',
    en: 'Lawyer or defender (not needed)',
  },
  'booking.confirm.mobileNote': {
    'zh-TW': '行動接見時請在穩定的網路環境下進行，以確保視訊品質。核准後會以簡訊及電子郵件寄送視訊連結。',
    en: 'Use a stable internet connection for the video call. Once approved, the video link is sent by text message and e-mail.',
  },
  'booking.confirm.submit': { 'zh-TW': '確認', en: 'Confirm booking' },
  'booking.list.none': { 'zh-TW': '您目前沒有預約。', en: 'You have no bookings.' },
  'booking.list.caption': {
    'zh-TW': '我的預約（含被列為其他接見人的預約）',
    en: 'My bookings (including those where you are another visitor)',
  },
  'booking.list.when': { 'zh-TW': '日期與時間', en: 'Date and time' },
  'booking.list.visitors': { 'zh-TW': '接見人', en: 'Visitors' },
  'booking.list.asCompanion': { 'zh-TW': '您是其他接見人', en: 'You are another visitor' },
  'bookingStatus.pending': { 'zh-TW': '待審核', en: 'Pending review' },
  'bookingStatus.approved': { 'zh-TW': '審核通過', en: 'Approved' },
  'bookingStatus.rejected': { 'zh-TW': '審核未通過', en: 'Not approved' },
  'bookingStatus.cancelled': { 'zh-TW': '已取消', en: 'Cancelled' },
  'booking.cancel.link': { 'zh-TW': '取消預約', en: 'Cancel booking' },
  'booking.cancel.title': { 'zh-TW': '取消這個預約嗎？', en: 'Cancel this booking?' },
  'booking.cancel.warning': {
    'zh-TW': '取消後名額會釋出給其他人，每位接見人都會收到電子郵件通知。接見日當天不能取消。',
    en: 'The place is given back and every visitor is told by e-mail. A visit cannot be cancelled online on its own day.',
  },
  'booking.cancel.submit': { 'zh-TW': '確定取消預約', en: 'Yes, cancel the booking' },
  'booking.cancel.keep': { 'zh-TW': '不要取消', en: 'No, keep it' },
  'booking.show.title': { 'zh-TW': '預約 {number}', en: 'Booking {number}' },
  'booking.show.booked': { 'zh-TW': '預約接見申請完成', en: 'Your visit is booked' },
  'booking.show.number': { 'zh-TW': '預約編號：{number}', en: 'Booking number: {number}' },
  'booking.show.numberLabel': { 'zh-TW': '預約編號', en: 'Booking number' },
  'booking.show.bookedNext': {
    'zh-TW': '機關審核後會以電子郵件通知您與其他接見人。可以在「線上預約接見查詢」查看狀態，並在接見日前一天以前取消。',
    en: 'The institution will review it and we will e-mail you and the other visitors. You can follow it in “My visit bookings” and cancel it up to the day before.',
  },
  'booking.show.byPhone': { 'zh-TW': '（電話預約）', en: '(booked by phone)' },
  'booking.show.rejectedReason': { 'zh-TW': '審核未通過的原因', en: 'Why it was not approved' },
  'booking.show.cancelReason': { 'zh-TW': '機關取消的原因', en: 'Why the institution cancelled it' },
  'booking.show.videoLink': { 'zh-TW': '開始視訊接見', en: 'Start the video visit' },
  'booking.notice.cancelled': {
    'zh-TW': '已取消預約，每位接見人都會收到通知。',
    en: 'The booking is cancelled. Every visitor will be told.',
  },
  'booking.notice.tooLate': {
    'zh-TW': '接見日當天不能在網路上取消，請洽機關。',
    en: 'A visit cannot be cancelled online on its own day. Please call the institution.',
  },
  'booking.notice.notActive': {
    'zh-TW': '這個預約已經取消或未通過審核。',
    en: 'This booking was already cancelled or not approved.',
  },
  'booking.error.kindRequired': { 'zh-TW': '請選擇接見類型', en: 'Choose the type of visit' },
  'booking.error.inmateRequired': { 'zh-TW': '請選擇接見對象', en: 'Choose who you are visiting' },
  'booking.error.dateRequired': { 'zh-TW': '請選擇預約接見日期', en: 'Choose the date of the visit' },
  'booking.error.slotRequired': { 'zh-TW': '請選擇一個梯次', en: 'Choose a visiting time' },
  'booking.error.reasonTooLongMax': {
    'zh-TW': '相當理由最多 {max} 字',
    en: 'The reason can be up to {max} characters',
  },
  'booking.error.notEligible': {
    'zh-TW': '您沒有這個接見類型的審核通過服務，請重新選擇。',
    en: 'You are not approved for this type of visit. Please choose again.',
  },
  'booking.error.inmateRestricted': {
    'zh-TW': '這位收容人目前無法接見（禁見、隔離等），請洽機關。',
    en: 'This inmate cannot have visits at the moment. Please contact the institution.',
  },
  'booking.error.outsideScope': { 'zh-TW': '這位收容人不在您的機關。', en: 'This inmate is not at your institution.' },
  'booking.error.outsideWindow': {
    'zh-TW': '這個日期已不在可預約的 2 到 7 天內，請重新選擇時段。',
    en: 'That date is no longer 2 to 7 days ahead. Please choose another time.',
  },
  'booking.error.blockedDate': {
    'zh-TW': '機關這一天不開放接見，請重新選擇時段。',
    en: 'The institution is closed for visits on that day. Please choose another time.',
  },
  'booking.error.noSuchBatch': {
    'zh-TW': '這個梯次已經取消，請重新選擇時段。',
    en: 'That visiting time has been withdrawn. Please choose another.',
  },
  'booking.error.full': {
    'zh-TW': '這個時段已經額滿，請選擇其他時段。您填寫的其他資料都還在。',
    en: 'That time is now full. Please choose another; everything else you entered is kept.',
  },
  'booking.error.arrivalRequired': { 'zh-TW': '請選擇預計到達時間', en: 'Choose your arrival time' },
  'booking.error.outsideLawyerWindow': {
    'zh-TW': '預計到達時間不在機關開放的時段內，請重新選擇。',
    en: 'That arrival time is outside the institution’s hours. Please choose again.',
  },
  'booking.error.bookerBusy': {
    'zh-TW': '您在這個時段已經有其他接見，請選擇其他時段。',
    en: 'You already have a visit at that time. Please choose another time.',
  },
  'booking.error.inmateBusy': {
    'zh-TW': '收容人在這個時段已經有其他接見，請選擇其他時段。',
    en: 'The inmate already has a visit at that time. Please choose another time.',
  },
  'booking.error.tooManyCompanions': { 'zh-TW': '其他接見人最多 2 位', en: 'You can add up to 2 other visitors' },
  'booking.error.companionNotEligible': {
    'zh-TW': '選擇的其他接見人沒有同類接見服務的核准，請重新選擇。',
    en: 'One of the other visitors is not approved for this type of visit. Please choose again.',
  },
  'booking.error.companionBusy': {
    'zh-TW': '其他接見人在這個時段已經有其他接見，請重新選擇其他接見人或時段。',
    en: 'Another visitor already has a visit at that time. Choose other visitors or another time.',
  },
  'booking.error.reasonRequired': { 'zh-TW': '請填寫請求接見之相當理由', en: 'Give the reason for the visit' },
  'booking.error.reasonTooLong': { 'zh-TW': '相當理由太長，請精簡', en: 'The reason is too long: please shorten it' },
  'booking.error.formUsed': {
    'zh-TW': '這份預約已經送出過，請到「線上預約接見查詢」確認；要再預約請重新開始。',
    en: 'This booking was already sent. Check “My visit bookings”; to book again, start a new booking.',
  },
} satisfies Record<string, Record<Locale, string>>;
