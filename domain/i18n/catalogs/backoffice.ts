/** The back office's frame: sign-in with captcha, the menu, list columns and paging, the notification log. */
import type { Locale } from '../../shared/locale.ts';

export const backofficeMessages = {
  'nav.backoffice.notifications': { 'zh-TW': '通知紀錄', en: 'Notification log' },

  'backoffice.siteName': { 'zh-TW': '便民服務後臺管理系統', en: 'Back office' },
  'backoffice.menuLabel': { 'zh-TW': '後臺選單', en: 'Back-office menu' },
  'backoffice.signin.title': { 'zh-TW': '登入系統', en: 'Sign in to the back office' },
  'backoffice.footer': {
    'zh-TW': '法務部矯正署 便民服務後臺管理系統 · 僅供矯正機關承辦人員使用，所有操作均留有稽核紀錄',
    en: 'Agency of Corrections, Ministry of Justice · Back office · For correctional institution staff only; every action is recorded in the audit log',
  },
  'backoffice.signin.lead': {
    'zh-TW': '本系統僅供矯正機關承辦人員使用。',
    en: 'For the staff of correctional institutions only.',
  },
  'backoffice.account': { 'zh-TW': '帳號', en: 'Account' },
  'backoffice.password': { 'zh-TW': '密碼', en: 'Password' },
  'backoffice.captcha': { 'zh-TW': '驗證碼', en: 'Verification code' },
  'backoffice.captcha.imageHint': {
    'zh-TW': '請輸入圖片中的 4 個英文字母或數字（不分大小寫）。',
    en: 'Type the 4 letters or digits in the picture (capitals or not).',
  },
  'backoffice.captcha.imageAlt': {
    'zh-TW': '驗證碼圖片；看不到圖片請改用文字驗證碼',
    en: 'Verification picture; if you cannot see it, use a text code instead',
  },
  'backoffice.captcha.useText': {
    'zh-TW': '無法辨識圖片？改用文字驗證碼（適用螢幕報讀軟體）',
    en: 'Cannot read the picture? Use a text code instead (works with screen readers)',
  },
  'backoffice.captcha.textHint': {
    'zh-TW': '請以阿拉伯數字輸入：{words}',
    en: 'Type these numbers as digits: {words}',
  },
  'backoffice.captcha.useImage': { 'zh-TW': '改用圖片驗證碼', en: 'Use a picture code instead' },
  'backoffice.captcha.newImage': { 'zh-TW': '換一張圖片', en: 'Show another picture' },
  'backoffice.signin.submit': { 'zh-TW': '登入', en: 'Sign in' },
  'backoffice.signout': { 'zh-TW': '登出', en: 'Sign out' },
  'backoffice.signedInAs': { 'zh-TW': '{name}（{institution}）', en: '{name} ({institution})' },
  'backoffice.allInstitutions': { 'zh-TW': '全部機關', en: 'All institutions' },
  'backoffice.home.title': { 'zh-TW': '後臺首頁', en: 'Back-office home' },
  'backoffice.dateHint': { 'zh-TW': '例如 2026-11-23', en: 'For example 2026-11-23' },
  'backoffice.search': { 'zh-TW': '查詢', en: 'Search' },
  'backoffice.count': { 'zh-TW': '共 {total} 件，第 {page} / {pages} 頁', en: '{total} found, page {page} of {pages}' },
  'backoffice.col.institution': { 'zh-TW': '矯正機關', en: 'Institution' },
  'backoffice.col.inmate': { 'zh-TW': '收容人資訊', en: 'Inmate' },
  'backoffice.col.applicant': { 'zh-TW': '申請人資訊', en: 'Applicant' },
  'backoffice.col.service': { 'zh-TW': '服務項目', en: 'Service' },
  'backoffice.col.date': { 'zh-TW': '申請日期', en: 'Applied on' },
  'backoffice.col.status': { 'zh-TW': '審核狀態', en: 'Status' },
  'backoffice.col.action': { 'zh-TW': '操作', en: 'Action' },
  'backoffice.review': { 'zh-TW': '審核', en: 'Review' },
  'backoffice.view': { 'zh-TW': '檢視', en: 'View' },
  'backoffice.pagination': { 'zh-TW': '分頁', en: 'Pages' },
  'backoffice.prev': { 'zh-TW': '上一頁', en: 'Previous page' },
  'backoffice.next': { 'zh-TW': '下一頁', en: 'Next page' },

  'notifications.title': { 'zh-TW': '通知紀錄', en: 'Notification log' },
  'notifications.q': { 'zh-TW': '關鍵字（收件者、主旨或內容）', en: 'Words (recipient, subject or text)' },
  'notifications.channel': { 'zh-TW': '通知方式', en: 'Channel' },
  'notifications.status': { 'zh-TW': '發送狀態', en: 'Delivery' },
  'notifications.col.institution': { 'zh-TW': '機關', en: 'Institution' },
  'notifications.col.channel': { 'zh-TW': '方式', en: 'Channel' },
  'notifications.col.time': { 'zh-TW': '時間', en: 'Time' },
  'notifications.col.recipient': { 'zh-TW': '收件者', en: 'Recipient' },
  'notifications.col.subject': { 'zh-TW': '主旨', en: 'Subject' },
  'notifications.col.body': { 'zh-TW': '內容', en: 'Text' },
  'notifications.col.status': { 'zh-TW': '狀態', en: 'Status' },
  'notifications.none': { 'zh-TW': '沒有符合條件的通知。', en: 'No notifications match.' },
  'notifications.attempts': { 'zh-TW': '已嘗試 {n} 次', en: '{n, plural, one {# attempt} other {# attempts}}' },
  'notifications.noInstitution': { 'zh-TW': '（帳號通知）', en: '(account mail)' },

  'channel.email': { 'zh-TW': '電子郵件', en: 'E-mail' },
  'channel.sms': { 'zh-TW': '簡訊', en: 'SMS' },

  'notifStatus.queued': { 'zh-TW': '等待發送', en: 'Waiting' },
  'notifStatus.sent': { 'zh-TW': '已發送', en: 'Sent' },
  'notifStatus.failed': { 'zh-TW': '發送失敗', en: 'Failed' },
  'notifStatus.recorded': { 'zh-TW': '已記錄（未設定簡訊服務，未發送）', en: 'Recorded (no SMS gateway: not sent)' },

  'error.staff.accountRequired': { 'zh-TW': '請輸入帳號', en: 'Enter your account' },
  'error.staff.invalid': { 'zh-TW': '帳號或密碼不正確', en: 'The account or password is not right' },
  'error.captcha.required': { 'zh-TW': '請輸入驗證碼', en: 'Enter the verification code' },
  'error.captcha.wrong': {
    'zh-TW': '驗證碼不正確或已過期，請輸入新的驗證碼',
    en: 'The verification code is wrong or has expired: enter the new one',
  },
  'error.decision.required': { 'zh-TW': '請選擇審核通過或審核未通過', en: 'Choose approve or reject' },
  'error.decision.reasonRequired': {
    'zh-TW': '審核未通過時，請選擇原因或填寫說明',
    en: 'To reject, choose a reason or write one',
  },
  'error.decision.reasonTextRequired': {
    'zh-TW': '選擇「其他」時，請填寫說明',
    en: 'When you choose Other, write the reason',
  },
  'error.decision.reasonTooLong': {
    'zh-TW': '說明最多 {max} 字',
    en: 'The explanation can be at most {max} characters',
  },
  'error.filter.date': { 'zh-TW': '請以 2026-11-23 的格式輸入日期', en: 'Enter the date like 2026-11-23' },
} satisfies Record<string, Record<Locale, string>>;
