/** 服務項目審核: the staff's queue and case page; the contact book's review pages use its filters and decision form. */
import type { Locale } from '../../shared/locale.ts';

export const backofficeApplicationsMessages = {
  'nav.backoffice.applications': { 'zh-TW': '服務項目審核', en: 'Review service applications' },

  'backoffice.home.pending': {
    'zh-TW': '待審核的服務項目申請：{count} 件',
    en: 'Service applications waiting for review: {count}',
  },
  'backoffice.queue.title': { 'zh-TW': '服務項目審核', en: 'Review service applications' },
  'backoffice.queue.filters': { 'zh-TW': '查詢條件', en: 'Filters' },
  'backoffice.queue.all': { 'zh-TW': '全部', en: 'All' },
  'backoffice.queue.callNumber': { 'zh-TW': '呼號', en: 'Call number' },
  'backoffice.queue.status': { 'zh-TW': '審核狀態', en: 'Review status' },
  'backoffice.queue.service': { 'zh-TW': '服務項目', en: 'Service' },
  'backoffice.queue.from': { 'zh-TW': '申請日期起', en: 'Applied from' },
  'backoffice.queue.to': { 'zh-TW': '申請日期迄', en: 'Applied until' },
  'backoffice.queue.none': { 'zh-TW': '沒有符合條件的申請。', en: 'No applications match.' },
  'backoffice.queue.order': {
    'zh-TW': '待審核的申請排在最前面，由最早申請的開始。',
    en: 'Pending applications come first, oldest first.',
  },
  'backoffice.case.title': { 'zh-TW': '審核申請 {number}', en: 'Review application {number}' },
  'backoffice.case.applicant': { 'zh-TW': '申請人', en: 'Applicant' },
  'backoffice.case.name': { 'zh-TW': '姓名', en: 'Name' },
  'backoffice.case.nationalId': { 'zh-TW': '身分證統一編號', en: 'National ID' },
  'backoffice.case.birthday': { 'zh-TW': '出生日期', en: 'Date of birth' },
  'backoffice.case.email': { 'zh-TW': '電子郵件', en: 'E-mail' },
  'backoffice.case.mobile': { 'zh-TW': '行動電話', en: 'Mobile' },
  'backoffice.case.inmate': { 'zh-TW': '收容人', en: 'Inmate' },
  'backoffice.case.request': { 'zh-TW': '申請內容', en: 'Request' },
  'backoffice.case.documents': { 'zh-TW': '佐證檔案', en: 'Documents' },
  'backoffice.case.download': { 'zh-TW': '下載', en: 'Download' },
  'backoffice.case.replaced': { 'zh-TW': '已替換的檔案', en: 'Replaced files' },
  'backoffice.case.history': { 'zh-TW': '歷程', en: 'History' },
  'backoffice.case.decision': { 'zh-TW': '審核結果', en: 'Decision' },
  'backoffice.case.approve': { 'zh-TW': '審核通過', en: 'Approve' },
  'backoffice.case.reject': { 'zh-TW': '審核未通過', en: 'Reject' },
  'backoffice.case.reasonCode': { 'zh-TW': '未通過原因', en: 'Reason' },
  'backoffice.case.reasonChoose': { 'zh-TW': '請選擇常用原因', en: 'Choose a common reason' },
  'backoffice.case.reasonOther': { 'zh-TW': '其他（請在下方說明）', en: 'Other (explain below)' },
  'backoffice.case.reasonText': { 'zh-TW': '補充說明', en: 'Further explanation' },
  'backoffice.case.reasonHint': {
    'zh-TW': '申請人會看到您選擇的原因和這段說明，原文照登；最多 {max} 字。',
    en: 'The applicant reads the reason you choose and this text, as written; at most {max} characters.',
  },
  'backoffice.case.save': { 'zh-TW': '儲存審核結果', en: 'Save the decision' },
  'backoffice.case.decided': { 'zh-TW': '這件申請已審核：{status}', en: 'This application has been decided: {status}' },
  'backoffice.case.conflict': {
    'zh-TW': '這件申請剛才已由其他承辦人員審核，您的審核結果沒有儲存。以下是目前的狀態。',
    en: 'Another member of staff has just decided this application; your decision was not saved. This is how it stands now.',
  },
  'backoffice.decided.approved': {
    'zh-TW': '申請 {number} 審核通過，系統將寄信通知申請人。',
    en: 'Application {number} approved; the applicant will be e-mailed.',
  },
  'backoffice.decided.rejected': {
    'zh-TW': '申請 {number} 審核未通過，系統將寄信通知申請人。',
    en: 'Application {number} rejected; the applicant will be e-mailed.',
  },

  'rejectReason.identityUnreadable': {
    'zh-TW': '身分證明文件無法辨識，請重新上傳清晰的檔案。',
    en: 'The identity document cannot be read: please upload a clear copy.',
  },
  'rejectReason.relationshipMissing': {
    'zh-TW': '關係證明文件不足，無法確認您與收容人的關係。',
    en: 'The relationship documents do not show how you are related to the inmate.',
  },
  'rejectReason.mandateMissing': {
    'zh-TW': '未附訴訟委任文件，或文件與申請對象不符。',
    en: 'The litigation mandate is missing or is not for this inmate.',
  },
  'rejectReason.photoUnclear': {
    'zh-TW': '行動接見照片不清晰，請上傳清楚的正面照片。',
    en: 'The photo for mobile visits is not clear: please upload a clear frontal photo.',
  },
  'rejectReason.wrongInmate': {
    'zh-TW': '文件上的收容人與申請對象不符。',
    en: 'The documents name a different person from the inmate applied for.',
  },

  'error.application.changed': {
    'zh-TW': '這件申請在您修改期間已有變動，頁面已更新，請重新確認後再送出',
    en: 'This application changed while you were correcting it; the page has been updated: check it and send it again',
  },
} satisfies Record<string, Record<Locale, string>>;
