/** Visit booking, the staff's side (issue 5): review and cancelling; rosters and phone bookings have their own files. */
import type { Locale } from '../../shared/locale.ts';

export const backofficeBookingsMessages = {
  'nav.backoffice.bookings': { 'zh-TW': '預約接見審核', en: 'Visit bookings' },

  // Shared pieces
  'backoffice.bookings.weekday.1': { 'zh-TW': '一', en: 'Mon' },
  'backoffice.bookings.weekday.2': { 'zh-TW': '二', en: 'Tue' },
  'backoffice.bookings.weekday.3': { 'zh-TW': '三', en: 'Wed' },
  'backoffice.bookings.weekday.4': { 'zh-TW': '四', en: 'Thu' },
  'backoffice.bookings.weekday.5': { 'zh-TW': '五', en: 'Fri' },
  'backoffice.bookings.weekday.6': { 'zh-TW': '六', en: 'Sat' },
  'backoffice.bookings.weekday.7': { 'zh-TW': '日', en: 'Sun' },
  'backoffice.bookings.dateWithWeekday': { 'zh-TW': '{date}（{weekday}）', en: '{weekday} {date}' },
  'backoffice.bookings.status.pending': { 'zh-TW': '待審核', en: 'Pending' },
  'backoffice.bookings.status.approved': { 'zh-TW': '審核通過', en: 'Approved' },
  'backoffice.bookings.status.rejected': { 'zh-TW': '審核未通過', en: 'Not approved' },
  'backoffice.bookings.status.cancelled': { 'zh-TW': '已取消', en: 'Cancelled' },
  'backoffice.bookings.service.visit': { 'zh-TW': '家屬接見', en: 'Family visit' },
  'backoffice.bookings.service.lawyer_visit': { 'zh-TW': '律師接見', en: 'Lawyer visit' },
  'backoffice.bookings.kindAndService': { 'zh-TW': '{kind}・{service}', en: '{kind}, {service}' },
  'backoffice.bookings.batchTime': { 'zh-TW': '{start}–{end}', en: '{start}–{end}' },
  'backoffice.bookings.arrival': { 'zh-TW': '預計 {time} 到達', en: 'arriving at {time}' },
  'backoffice.bookings.byPhone': { 'zh-TW': '電話預約', en: 'Booked by phone' },
  'backoffice.bookings.online': { 'zh-TW': '線上預約', en: 'Booked online' },
  'backoffice.bookings.none': { 'zh-TW': '無', en: 'none' },
  'backoffice.bookings.people': { 'zh-TW': '{count} 人', en: '{count}' },
  'backoffice.bookings.reasonHint': {
    'zh-TW': '接見人會在通知信中看到這段原因，原文照登；最多 {max} 字。',
    en: 'Every visitor reads this reason, word for word, in the notice. At most {max} characters.',
  },

  // 預約接見審核: the list
  'backoffice.bookings.title': { 'zh-TW': '預約接見審核', en: 'Visit bookings' },
  'backoffice.bookings.reminderTitle': { 'zh-TW': '每日審核時間', en: 'Daily review deadline' },
  'backoffice.bookings.reminder': {
    'zh-TW':
      '每一工作日 16 時前，請完成次一工作日（{date}）預約接見的審核。審核結果會以電子郵件通知每位接見人，行動及遠距接見另以簡訊寄送視訊連結。',
    en: 'Every working day, review the bookings for the next working day ({date}) by 16:00. Every visitor is told the result by e-mail; mobile and remote visits also get the video link by text message.',
  },
  'backoffice.bookings.reminderLink': {
    'zh-TW': '只看 {date} 待審核的預約',
    en: 'Show only pending bookings for {date}',
  },
  'backoffice.bookings.rosterLink': { 'zh-TW': '列印預約現場接見清冊', en: 'Print the on-site visit roster' },
  'backoffice.bookings.phoneLink': { 'zh-TW': '電話預約', en: 'Book for a caller' },
  'backoffice.bookings.filter.institution': { 'zh-TW': '矯正機關', en: 'Institution' },
  'backoffice.bookings.filter.from': { 'zh-TW': '接見日期起', en: 'Visit date from' },
  'backoffice.bookings.filter.to': { 'zh-TW': '接見日期迄', en: 'Visit date to' },
  'backoffice.bookings.filter.kind': { 'zh-TW': '接見類型', en: 'Kind of visit' },
  'backoffice.bookings.filter.service': { 'zh-TW': '預約種類', en: 'Family or lawyer' },
  'backoffice.bookings.filter.status': { 'zh-TW': '審核狀態', en: 'Status' },
  'backoffice.bookings.filter.defaults': {
    'zh-TW': '未指定條件時，顯示今天以後待審核的預約。',
    en: 'With no filters, pending bookings from today on are shown.',
  },
  'backoffice.bookings.order': { 'zh-TW': '依接見日期與時間排列。', en: 'In order of visit date and time.' },
  'backoffice.bookings.noRows': { 'zh-TW': '沒有符合條件的預約。', en: 'No bookings match.' },
  'backoffice.bookings.caption': { 'zh-TW': '預約接見清單', en: 'Visit bookings' },
  'backoffice.bookings.col.select': { 'zh-TW': '選取', en: 'Select' },
  'backoffice.bookings.col.date': { 'zh-TW': '接見日期', en: 'Visit date' },
  'backoffice.bookings.col.time': { 'zh-TW': '時段', en: 'Time' },
  'backoffice.bookings.col.kind': { 'zh-TW': '接見類型', en: 'Kind' },
  'backoffice.bookings.col.inmate': { 'zh-TW': '收容人', en: 'Inmate' },
  'backoffice.bookings.col.booker': { 'zh-TW': '預約人', en: 'Booked by' },
  'backoffice.bookings.col.visitors': { 'zh-TW': '接見人數', en: 'Visitors' },
  'backoffice.bookings.col.status': { 'zh-TW': '審核狀態', en: 'Status' },
  'backoffice.bookings.col.action': { 'zh-TW': '操作', en: 'Action' },
  'backoffice.bookings.select': { 'zh-TW': '選取預約 {number}', en: 'Select booking {number}' },
  'backoffice.bookings.open': { 'zh-TW': '檢視', en: 'View' },
  'backoffice.bookings.review': { 'zh-TW': '審核', en: 'Review' },
  'backoffice.bookings.bulk.title': { 'zh-TW': '審核勾選的預約', en: 'Decide the selected bookings' },
  'backoffice.bookings.bulk.hint': {
    'zh-TW':
      '勾選上方待審核的預約，再按「審核通過」或填寫原因後按「審核未通過」。已由其他承辦人先審核的預約不會被變更。',
    en: 'Tick pending bookings above, then approve them, or give a reason and reject them. A booking another reviewer has already decided is left as it is.',
  },
  'backoffice.bookings.bulk.reason': { 'zh-TW': '審核未通過原因', en: 'Reason for not approving' },
  'backoffice.bookings.bulk.approve': { 'zh-TW': '勾選的預約審核通過', en: 'Approve selected' },
  'backoffice.bookings.bulk.reject': { 'zh-TW': '勾選的預約審核未通過', en: 'Reject selected' },
  'backoffice.bookings.bulk.noPending': { 'zh-TW': '這一頁沒有待審核的預約。', en: 'Nothing on this page is pending.' },
  'backoffice.bookings.bulk.approved': {
    'zh-TW': '已審核通過 {count} 件預約，系統將通知每位接見人。',
    en: 'Approved: {count}. Every visitor will be told.',
  },
  'backoffice.bookings.bulk.approvedClosed': {
    'zh-TW':
      '已審核通過 {count} 件預約。{closed} 件的接見日已設為不開放（或收容人目前無法接見），不能核准：請逐筆審核未通過或取消並說明原因。另有 {skipped} 件已由其他承辦人先審核或接見日已過。',
    en: 'Approved {count, plural, one {# booking} other {# bookings}}. {closed, plural, one {# is} other {# are}} on a day now closed for visits (or the inmate cannot have visits now) and cannot be approved: reject or cancel each with a reason. {skipped, plural, one {# more was} other {# more were}} already decided by someone else or past.',
  },
  'backoffice.bookings.bulk.rejected': {
    'zh-TW': '已將 {count} 件預約審核未通過，系統將通知每位接見人原因。',
    en: 'Not approved: {count}. Every visitor will be told the reason.',
  },
  'backoffice.bookings.bulk.approvedSkipped': {
    'zh-TW':
      '已審核通過 {count} 件預約，系統將通知每位接見人。另有 {skipped} 件已由其他承辦人先審核（或接見日已過），沒有變更。',
    en: 'Approved: {count}. Every visitor will be told. Left as they were, because another reviewer had already decided them or their date has passed: {skipped}.',
  },
  'backoffice.bookings.bulk.rejectedSkipped': {
    'zh-TW':
      '已將 {count} 件預約審核未通過，系統將通知每位接見人原因。另有 {skipped} 件已由其他承辦人先審核（或接見日已過），沒有變更。',
    en: 'Not approved: {count}. Every visitor will be told the reason. Left as they were, because another reviewer had already decided them or their date has passed: {skipped}.',
  },
  'backoffice.bookings.error.noneSelected': {
    'zh-TW': '請至少勾選一件待審核的預約',
    en: 'Select at least one pending booking',
  },
  'backoffice.bookings.error.decision': { 'zh-TW': '請選擇審核通過或審核未通過', en: 'Choose approve or not approve' },
  'backoffice.bookings.error.reasonRequired': {
    'zh-TW': '審核未通過時，請填寫原因',
    en: 'Give the reason for not approving',
  },
  'backoffice.bookings.error.reasonTooLong': {
    'zh-TW': '原因最多 {max} 字',
    en: 'The reason can be at most {max} characters',
  },
  'backoffice.bookings.error.cancelReasonRequired': { 'zh-TW': '請填寫取消原因', en: 'Give the reason for cancelling' },

  // One booking
  'backoffice.bookings.show.title': { 'zh-TW': '預約接見 {number}', en: 'Visit booking {number}' },
  'backoffice.bookings.show.printTitle': { 'zh-TW': '{institution} 預約接見明細', en: '{institution}: visit booking' },
  'backoffice.bookings.show.printedAt': { 'zh-TW': '列印時間：{time}', en: 'Printed {time}' },
  'backoffice.bookings.show.printHint': {
    'zh-TW': '用瀏覽器的列印功能列印本頁，即為單筆預約接見明細；選單、按鈕與表單不會印出。',
    en: 'Print this page from the browser for a single booking printout; the menu, buttons and forms are left out.',
  },
  'backoffice.bookings.show.visit': { 'zh-TW': '預約內容', en: 'The visit' },
  'backoffice.bookings.show.number': { 'zh-TW': '預約編號', en: 'Booking number' },
  'backoffice.bookings.show.institution': { 'zh-TW': '矯正機關', en: 'Institution' },
  'backoffice.bookings.show.date': { 'zh-TW': '接見日期', en: 'Visit date' },
  'backoffice.bookings.show.time': { 'zh-TW': '時段', en: 'Time' },
  'backoffice.bookings.show.kind': { 'zh-TW': '接見類型', en: 'Kind' },
  'backoffice.bookings.show.inmate': { 'zh-TW': '收容人', en: 'Inmate' },
  'backoffice.bookings.show.inmateValue': { 'zh-TW': '{callNumber} {name}', en: '{callNumber} {name}' },
  'backoffice.bookings.show.booker': { 'zh-TW': '預約人', en: 'Booked by' },
  'backoffice.bookings.show.relationship': { 'zh-TW': '與收容人關係', en: 'Relationship to the inmate' },
  'backoffice.bookings.show.channel': { 'zh-TW': '預約方式', en: 'How it was booked' },
  'backoffice.bookings.show.bookedAt': { 'zh-TW': '預約時間', en: 'Booked at' },
  'backoffice.bookings.show.reason': { 'zh-TW': '相當理由', en: 'Reason for the visit' },
  'backoffice.bookings.show.decidedAt': { 'zh-TW': '審核時間', en: 'Reviewed at' },
  'backoffice.bookings.show.rejectionReason': { 'zh-TW': '審核未通過原因', en: 'Reason for not approving' },
  'backoffice.bookings.show.cancelledAt': { 'zh-TW': '取消時間', en: 'Cancelled at' },
  'backoffice.bookings.show.cancelReason': { 'zh-TW': '取消原因', en: 'Reason for cancelling' },
  'backoffice.bookings.show.cancelledByBooker': { 'zh-TW': '由預約人取消', en: 'Cancelled by the person who booked' },
  'backoffice.bookings.show.videoSent': {
    'zh-TW': '視訊連結已以電子郵件及簡訊寄給接見人（連結不在此顯示）。',
    en: 'The video link was sent to the visitors by e-mail and text message (it is not shown here).',
  },
  'backoffice.bookings.show.visitors': { 'zh-TW': '接見人', en: 'Visitors' },
  'backoffice.bookings.show.col.position': { 'zh-TW': '身分', en: 'Role' },
  'backoffice.bookings.show.col.name': { 'zh-TW': '姓名', en: 'Name' },
  'backoffice.bookings.show.col.nationalId': { 'zh-TW': '身分證（僅顯示末 4 碼）', en: 'ID number (last 4 only)' },
  'backoffice.bookings.show.col.relationship': { 'zh-TW': '關係', en: 'Relationship' },
  'backoffice.bookings.position.1': { 'zh-TW': '預約人', en: 'Booker' },
  'backoffice.bookings.position.2': { 'zh-TW': '第二接見人', en: 'Second visitor' },
  'backoffice.bookings.position.3': { 'zh-TW': '第三接見人', en: 'Third visitor' },
  'backoffice.bookings.show.history': { 'zh-TW': '歷程', en: 'History' },
  'backoffice.bookings.history.booked': { 'zh-TW': '預約', en: 'Booked' },
  'backoffice.bookings.history.companion_left': {
    'zh-TW': '其他接見人 {name} 退出',
    en: 'Other visitor {name} withdrew',
  },
  'backoffice.bookings.history.approved': { 'zh-TW': '審核通過', en: 'Approved' },
  'backoffice.bookings.history.rejected': { 'zh-TW': '審核未通過', en: 'Not approved' },
  'backoffice.bookings.history.cancelled': { 'zh-TW': '取消', en: 'Cancelled' },
  'backoffice.bookings.history.byStaff': { 'zh-TW': '承辦人：{name}', en: 'by {name}' },
  'backoffice.bookings.decision.title': { 'zh-TW': '審核', en: 'Review' },
  'backoffice.bookings.decision.legend': { 'zh-TW': '審核結果', en: 'Decision' },
  'backoffice.bookings.decision.approve': { 'zh-TW': '審核通過', en: 'Approve' },
  'backoffice.bookings.decision.reject': { 'zh-TW': '審核未通過', en: 'Do not approve' },
  'backoffice.bookings.decision.reason': {
    'zh-TW': '審核未通過原因（審核未通過時必填）',
    en: 'Reason for not approving (needed to reject)',
  },
  'backoffice.bookings.decision.save': { 'zh-TW': '儲存審核結果', en: 'Save decision' },
  'backoffice.bookings.decision.done': {
    'zh-TW': '這筆預約已審核：{status}',
    en: 'This booking has been reviewed: {status}',
  },
  'backoffice.bookings.decision.conflict': {
    'zh-TW': '這筆預約剛才已由其他承辦人審核或變更，您的操作沒有儲存。以下是目前的狀態。',
    en: 'Another reviewer has just decided or changed this booking, so nothing you did was saved. This is how it stands now.',
  },
  'backoffice.bookings.decision.past': {
    'zh-TW': '接見日期已過，這筆預約不能再審核。',
    en: 'The visit date has passed: this booking can no longer be reviewed.',
  },
  'backoffice.bookings.decision.approvedNotice': {
    'zh-TW': '預約 {number} 審核通過，系統將通知每位接見人。',
    en: 'Booking {number} approved. Every visitor will be told.',
  },
  'backoffice.bookings.decision.rejectedNotice': {
    'zh-TW': '預約 {number} 審核未通過，系統將通知每位接見人原因。',
    en: 'Booking {number} not approved. Every visitor will be told the reason.',
  },
  'backoffice.bookings.cancel.title': { 'zh-TW': '取消預約', en: 'Cancel the booking' },
  'backoffice.bookings.cancel.hint': {
    'zh-TW': '機關因故取消時使用。每位接見人都會收到取消通知及原因。',
    en: 'For when the institution has to call a visit off. Every visitor is told, with the reason.',
  },
  'backoffice.bookings.cancel.reason': { 'zh-TW': '取消原因', en: 'Reason for cancelling' },
  'backoffice.bookings.cancel.submit': { 'zh-TW': '取消這筆預約', en: 'Cancel this booking' },
  'backoffice.bookings.cancel.notice': {
    'zh-TW': '預約 {number} 已取消，系統將通知每位接見人。',
    en: 'Booking {number} cancelled. Every visitor will be told.',
  },
  'backoffice.bookings.cancel.notActive': {
    'zh-TW': '這筆預約已不是待審核或審核通過，不能取消。以下是目前的狀態。',
    en: 'This booking is no longer pending or approved, so it cannot be cancelled. This is how it stands now.',
  },

  'backoffice.home.pendingBookings': {
    'zh-TW': '今天起待審核的預約接見：{count} 件',
    en: 'Visit bookings from today waiting for review: {count}',
  },
} satisfies Record<string, Record<Locale, string>>;
