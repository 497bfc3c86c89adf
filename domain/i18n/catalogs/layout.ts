/** Every page's frame: the site's name, the menu, shared buttons and the error pages. */
import type { Locale } from '../../shared/locale.ts';

export const layoutMessages = {
  'nav.skip': { 'zh-TW': '跳到主要內容', en: 'Skip to main content' },
  'nav.label': { 'zh-TW': '主選單', en: 'Main menu' },
  'nav.menu': { 'zh-TW': '選單', en: 'Menu' },
  'nav.home': { 'zh-TW': '首頁', en: 'Home' },
  'nav.account': { 'zh-TW': '帳號與服務', en: 'Account and services' },
  'nav.profile': { 'zh-TW': '修改個人資料', en: 'Your details' },
  'nav.password': { 'zh-TW': '變更密碼', en: 'Change password' },
  'nav.notices': { 'zh-TW': '訊息及流程公告', en: 'News and how-to' },
  'nav.announcements': { 'zh-TW': '訊息公告', en: 'Announcements' },
  'nav.process': { 'zh-TW': '申辦流程說明', en: 'How to apply' },
  'nav.visitTimes': { 'zh-TW': '機關接見時段查詢', en: 'Visiting times' },
  'nav.privacy': { 'zh-TW': '個資收集聲明', en: 'Privacy notice' },
  'nav.signIn': { 'zh-TW': '登入', en: 'Sign in' },
  'nav.register': { 'zh-TW': '註冊', en: 'Create an account' },
  'nav.signOut': { 'zh-TW': '登出', en: 'Sign out' },
  'nav.myAccount': { 'zh-TW': '{name}的帳號', en: 'Account: {name}' },
  'nav.devMailbox': { 'zh-TW': '開發用信箱', en: 'Development mailbox' },

  'site.agency': { 'zh-TW': '法務部矯正署', en: 'Agency of Corrections' },
  'site.name': { 'zh-TW': '便民服務入口網', en: 'Corrections Service Portal' },
  'site.footer': {
    'zh-TW': '法務部矯正署 便民服務入口網 · 服務時間：週一至週五 08:30–17:30',
    en: 'Agency of Corrections, Ministry of Justice · Corrections Service Portal · Help desk: Monday to Friday, 08:30–17:30',
  },

  'common.back': { 'zh-TW': '回上一頁', en: 'Back' },
  'common.next': { 'zh-TW': '下一步', en: 'Continue' },
  'common.optional': { 'zh-TW': '（選填）', en: '(optional)' },
  'common.errorPrefix': { 'zh-TW': '錯誤：', en: 'Error: ' },
  'common.errorSummary': { 'zh-TW': '請修正以下問題', en: 'There is a problem' },
  'common.sendLink': { 'zh-TW': '寄送連結', en: 'Send link' },
  'common.sendLinkAgain': { 'zh-TW': '重新寄送驗證信', en: 'Send the confirmation e-mail again' },
  'common.getNewLink': { 'zh-TW': '取得新的連結', en: 'Get a new link' },
  'common.backToSignIn': { 'zh-TW': '回到登入頁', en: 'Back to sign in' },

  'dev.mailbox.title': { 'zh-TW': '開發用信箱', en: 'Development mailbox' },
  'dev.mailbox.lead': {
    'zh-TW': '這是開發環境：系統寄出的信不會真的寄出，而是顯示在這裡，方便您點選驗證連結。正式環境沒有這個頁面。',
    en: 'This is a development setup: e-mails are not really sent but shown here, so you can follow the confirmation links. This page does not exist in production.',
  },
  'dev.mailbox.empty': { 'zh-TW': '目前沒有信件。', en: 'No e-mails yet.' },
  'dev.mailbox.to': { 'zh-TW': '收件人：', en: 'To:' },

  'error.413.title': { 'zh-TW': '檔案太大', en: 'The files are too large' },
  'error.413.text': {
    'zh-TW': '一次送出的檔案合計不可超過 {limit} MB。請回上一頁，分次上傳或選擇較小的檔案。',
    en: 'The files sent at once must be {limit} MB or less in total. Go back and upload them in smaller batches or choose smaller files.',
  },
  'error.404.title': { 'zh-TW': '找不到這個頁面', en: 'Page not found' },
  'error.404.text': {
    'zh-TW': '網址可能打錯了，或頁面已經移除。',
    en: 'If you typed the web address, check it is correct. The page may also have been removed.',
  },
  'error.csrf.title': { 'zh-TW': '表單已逾時', en: 'This form has expired' },
  'error.csrf.text': {
    'zh-TW': '為了保護您的資料，這個表單已失效。請回到上一頁重新整理後再送出一次。',
    en: 'To protect your data, this form no longer works. Go back, reload the page and send it again.',
  },
  'error.429.title': { 'zh-TW': '嘗試次數太多', en: 'Too many attempts' },
  'error.429.text': {
    'zh-TW': '為了保護帳號安全，請在 {minutes} 分鐘後再試。',
    en: 'To keep accounts safe, please try again in {minutes} minutes.',
  },
  'error.generic.title': { 'zh-TW': '系統發生問題', en: 'Sorry, something went wrong' },
  'error.generic.text': {
    'zh-TW': '很抱歉，系統暫時無法處理您的要求，沒有任何資料被儲存。請稍後再試。',
    en: 'We could not complete your request and nothing was saved. Please try again later.',
  },
} satisfies Record<string, Record<Locale, string>>;
