/** Registration, signing in, confirming the e-mail address, resetting the password and the account pages. */
import type { Locale } from '../../shared/locale.ts';

export const accountMessages = {
  'register.step': { 'zh-TW': '註冊帳號：第 {step} 步，共 {of} 步', en: 'Create an account: step {step} of {of}' },
  'register.consent.title': { 'zh-TW': '註冊帳號：個人資料蒐集告知聲明', en: 'Create an account: privacy notice' },
  'register.consent.lead': {
    'zh-TW': '請詳閱以下聲明。同意後請勾選下方的方框，再按「下一步」。',
    en: 'Please read the notice below. If you agree, tick the box at the end and select Continue.',
  },
  'register.details.title': { 'zh-TW': '註冊帳號：填寫個人資料', en: 'Create an account: your details' },
  'register.details.lead': {
    'zh-TW': '請填寫與您身分證件相同的資料。',
    en: 'Enter your details exactly as they appear on your identity document.',
  },
  'register.details.fixedFields': {
    'zh-TW': '註冊後僅電話、手機可自行更改，其餘欄位無法自行更改，註冊資料請與後續上傳之身分證明資料相同。',
    en: 'After you register you can change only your mobile and phone numbers yourself. Your other details must match the identity documents you upload later.',
  },
  'register.submit': { 'zh-TW': '註冊', en: 'Create account' },
  'register.checkEmail.title': { 'zh-TW': '請到信箱收取驗證信', en: 'Check your e-mail' },
  'register.checkEmail.sent': { 'zh-TW': '我們已寄信到 {email}。', en: 'We have sent an e-mail to {email}.' },
  'register.checkEmail.resent': {
    'zh-TW': '已重新寄出驗證信。先前寄出的連結已失效。',
    en: 'We have sent the e-mail again. The earlier link no longer works.',
  },
  'register.checkEmail.nextTitle': { 'zh-TW': '接下來', en: 'What to do next' },
  'register.checkEmail.next1': {
    'zh-TW': '打開信箱中主旨為「便民服務入口網註冊通知」的信。',
    en: 'Open the e-mail with the subject “Confirm your Corrections Service Portal account”.',
  },
  'register.checkEmail.next2': {
    'zh-TW': '在 {minutes} 分鐘內點選信中的連結，完成帳號驗證。',
    en: 'Select the link in it within {minutes} minutes to confirm your account.',
  },
  'register.checkEmail.next3': {
    'zh-TW': '驗證完成後，回到本網站以信箱及密碼登入。',
    en: 'Then come back and sign in with your e-mail address and password.',
  },
  'register.checkEmail.noMail': {
    'zh-TW': '沒有收到信？請先查看垃圾郵件匣，或按下方按鈕重新寄送。',
    en: 'No e-mail? Check your spam folder, or send it again.',
  },

  'field.name': { 'zh-TW': '姓名', en: 'Full name' },
  'field.name.hint': { 'zh-TW': '與身分證件上的姓名相同', en: 'As it appears on your identity document' },
  'field.nationalId': { 'zh-TW': '身分證', en: 'ID number' },
  'field.nationalId.hint': {
    'zh-TW': '身分證字號或居留證統一證號，例如 A123456789',
    en: 'National ID number or resident certificate number, for example A123456789',
  },
  'field.email': { 'zh-TW': '信箱', en: 'E-mail address' },
  'field.email.hint': {
    'zh-TW': '信箱是您的登入帳號，不可重複註冊',
    en: 'You will sign in with this address. Each address can be registered only once',
  },
  'field.birthday': { 'zh-TW': '生日', en: 'Date of birth' },
  'field.birthday.hint': {
    'zh-TW': '請用西元年，例如 1980 年 3 月 14 日',
    en: 'For example, 14 3 1980 (use the Western calendar year)',
  },
  'field.birthday.year': { 'zh-TW': '年', en: 'Year' },
  'field.birthday.month': { 'zh-TW': '月', en: 'Month' },
  'field.birthday.day': { 'zh-TW': '日', en: 'Day' },
  'field.mobile': { 'zh-TW': '手機', en: 'Mobile number' },
  'field.mobile.hint': {
    'zh-TW': '辦理行動接見必填，例如 0912345678',
    en: 'Needed for mobile visits, for example 0912345678',
  },
  'field.phone': { 'zh-TW': '電話', en: 'Phone number' },
  'field.phone.hint': { 'zh-TW': '市話，例如 02-2345-6789', en: 'A landline, for example 02-2345-6789' },
  'field.password': { 'zh-TW': '密碼', en: 'Password' },
  'field.password.hint': { 'zh-TW': '至少 8 個字元', en: 'At least 8 characters' },
  'field.passwordConfirm': { 'zh-TW': '再次確認密碼', en: 'Confirm password' },
  'field.currentPassword': { 'zh-TW': '目前的密碼', en: 'Current password' },
  'field.newPassword': { 'zh-TW': '新密碼', en: 'New password' },

  'signin.title': { 'zh-TW': '登入', en: 'Sign in' },
  'signin.email': { 'zh-TW': '帳號（註冊的信箱）', en: 'Account (the e-mail address you registered)' },
  'signin.submit': { 'zh-TW': '登入', en: 'Sign in' },
  'signin.forgot': { 'zh-TW': '忘記密碼', en: 'Forgot password' },
  'signin.resend': { 'zh-TW': '沒有收到驗證信', en: 'Did not get the confirmation e-mail' },
  'signin.noAccount': { 'zh-TW': '還沒有帳號？註冊帳號', en: 'No account yet? Create one' },

  'unverified.title': { 'zh-TW': '帳號尚未完成信箱驗證', en: 'Confirm your e-mail address first' },
  'unverified.text': {
    'zh-TW': '請先點選寄到 {email} 的驗證信中的連結，才能登入。連結已失效或沒有收到信，請按下方按鈕重新寄送。',
    en: 'Select the link in the e-mail we sent to {email} before you sign in. If the link has expired or the e-mail did not arrive, send it again.',
  },

  'verify.done.title': { 'zh-TW': '帳號驗證完成', en: 'Your account is confirmed' },
  'verify.done.text': {
    'zh-TW': '您的信箱已驗證，現在可以登入。',
    en: 'Your e-mail address is confirmed. You can now sign in.',
  },
  'verify.problem.title': { 'zh-TW': '這個驗證連結無法使用', en: 'This confirmation link cannot be used' },
  'verify.problem.expired': {
    'zh-TW': '這個連結已超過 10 分鐘而失效。請取得新的連結。',
    en: 'The link has expired: links work for 10 minutes. Get a new link.',
  },
  'verify.problem.used': {
    'zh-TW': '這個連結已經使用過。如果帳號已完成驗證，請直接登入；否則請取得新的連結。',
    en: 'The link has already been used. If your account is confirmed, sign in; otherwise get a new link.',
  },
  'verify.problem.invalid': {
    'zh-TW': '這個連結不正確，可能複製時不完整。請取得新的連結。',
    en: 'The link is not right; it may have been cut off when copied. Get a new link.',
  },

  'resend.title': { 'zh-TW': '重新寄送驗證信', en: 'Send the confirmation e-mail again' },
  'resend.text': {
    'zh-TW': '請輸入註冊時填寫的信箱。如果這個信箱的帳號尚未驗證，我們會寄出新的驗證連結。',
    en: 'Enter the e-mail address you registered. If its account is not confirmed yet, we will send a new link.',
  },

  'forgot.title': { 'zh-TW': '忘記密碼', en: 'Forgot password' },
  'forgot.text': {
    'zh-TW': '請輸入註冊時填寫的信箱，我們會寄出重新設定密碼的連結。',
    en: 'Enter the e-mail address you registered and we will send you a link to set a new password.',
  },

  'linkSent.title': { 'zh-TW': '請查看您的信箱', en: 'Check your e-mail' },
  'linkSent.verify': {
    'zh-TW': '如果 {email} 有尚未驗證的帳號，我們已寄出新的驗證連結，10 分鐘內有效。',
    en: 'If {email} has an account that is not confirmed yet, we have sent a new confirmation link. It works for 10 minutes.',
  },
  'linkSent.reset': {
    'zh-TW': '如果 {email} 有註冊帳號，我們已寄出重新設定密碼的連結，30 分鐘內有效。',
    en: 'If {email} has an account, we have sent a link to set a new password. It works for 30 minutes.',
  },
  'linkSent.spam': {
    'zh-TW': '幾分鐘內沒有收到信，請查看垃圾郵件匣。',
    en: 'If nothing arrives within a few minutes, check your spam folder.',
  },

  'reset.title': { 'zh-TW': '設定新密碼', en: 'Set a new password' },
  'reset.submit': { 'zh-TW': '設定新密碼', en: 'Set new password' },
  'reset.problem.title': { 'zh-TW': '這個重設密碼連結無法使用', en: 'This password link cannot be used' },
  'reset.problem.expired': {
    'zh-TW': '這個連結已超過 30 分鐘而失效。請重新申請。',
    en: 'The link has expired: links work for 30 minutes. Ask for a new one.',
  },
  'reset.problem.used': {
    'zh-TW': '這個連結已經使用過。請重新申請。',
    en: 'The link has already been used. Ask for a new one.',
  },
  'reset.problem.invalid': {
    'zh-TW': '這個連結不正確，可能複製時不完整。請重新申請。',
    en: 'The link is not right; it may have been cut off when copied. Ask for a new one.',
  },

  'account.title': { 'zh-TW': '我的帳號', en: 'Your account' },
  'account.heading': { 'zh-TW': '{name}，您好', en: 'Hello, {name}' },
  'account.lead': { 'zh-TW': '在這裡管理您的帳號與服務。', en: 'Manage your account and services here.' },
  'account.profileText': {
    'zh-TW': '查看註冊資料，修改手機與電話',
    en: 'See your registered details and change your mobile and phone numbers',
  },
  'account.servicesTitle': { 'zh-TW': '服務項目', en: 'Services' },

  'profile.title': { 'zh-TW': '修改個人資料', en: 'Your details' },
  'profile.lead': {
    'zh-TW': '註冊後只有手機與電話可以自行修改。其他資料如需更正，請洽收容人所在的機關。',
    en: 'You can change only your mobile and phone numbers. To correct anything else, contact the institution where the person you visit is held.',
  },
  'profile.submit': { 'zh-TW': '儲存', en: 'Save' },

  'password.submit': { 'zh-TW': '變更密碼', en: 'Change password' },

  'notice.profileSaved': { 'zh-TW': '已儲存您的手機與電話。', en: 'Your mobile and phone numbers have been saved.' },
  'notice.passwordChanged': {
    'zh-TW': '已變更密碼。其他裝置上的登入已登出。',
    en: 'Your password has been changed. You have been signed out on other devices.',
  },
  'notice.passwordReset': {
    'zh-TW': '已設定新密碼，請用新密碼登入。',
    en: 'Your new password is set. Sign in with it.',
  },

  'error.consent.required': {
    'zh-TW': '請勾選同意個人資料蒐集告知聲明，才能註冊帳號',
    en: 'Tick the box to agree to the privacy notice before you create an account',
  },
  'error.name.required': { 'zh-TW': '請輸入姓名', en: 'Enter your full name' },
  'error.name.long': { 'zh-TW': '姓名不可超過 50 個字', en: 'Your name must be 50 characters or fewer' },
  'error.name.invalid': { 'zh-TW': '姓名含有不能使用的字元', en: 'Your name contains characters that cannot be used' },
  'error.nationalId.required': {
    'zh-TW': '請輸入身分證字號或居留證統一證號',
    en: 'Enter your national ID or resident certificate number',
  },
  'error.nationalId.format': {
    'zh-TW': '身分證字號格式不正確：應為 1 個英文字母加 9 個數字，例如 A123456789',
    en: 'Enter the ID number in the right format: 1 letter and 9 digits, like A123456789',
  },
  'error.nationalId.checksum': {
    'zh-TW': '身分證字號不正確，請再檢查一次',
    en: 'This ID number is not valid. Check it and try again',
  },
  'error.nationalId.taken': {
    'zh-TW': '這個身分證字號已經註冊過帳號。如忘記密碼，請使用「忘記密碼」',
    en: 'An account already uses this ID number. If you forgot your password, use “Forgot password”',
  },
  'error.email.required': { 'zh-TW': '請輸入信箱', en: 'Enter your e-mail address' },
  'error.email.format': {
    'zh-TW': '信箱格式不正確，例如 name@example.com',
    en: 'Enter an e-mail address in the right format, like name@example.com',
  },
  'error.birthday.required': { 'zh-TW': '請輸入生日', en: 'Enter your date of birth' },
  'error.birthday.invalid': { 'zh-TW': '生日必須是真實存在的日期', en: 'Date of birth must be a real date' },
  'error.birthday.year': {
    'zh-TW': '年份請輸入 4 位數的西元年，例如 1980',
    en: 'Enter the year as 4 digits of the Western calendar, like 1980',
  },
  'error.birthday.tooOld': { 'zh-TW': '生日的年份必須在 1900 年以後', en: 'The year of birth must be 1900 or later' },
  'error.birthday.future': { 'zh-TW': '生日必須是今天以前的日期', en: 'Date of birth must be in the past' },
  'error.mobile.format': {
    'zh-TW': '手機號碼格式不正確：應為 09 開頭的 10 位數字，例如 0912345678',
    en: 'Enter a mobile number of 10 digits starting with 09, like 0912345678',
  },
  'error.phone.format': {
    'zh-TW': '電話號碼格式不正確，例如 02-2345-6789',
    en: 'Enter a phone number in the right format, like 02-2345-6789',
  },
  'error.password.required': { 'zh-TW': '請輸入密碼', en: 'Enter a password' },
  'error.password.short': { 'zh-TW': '密碼至少需要 8 個字元', en: 'Your password must be at least 8 characters' },
  'error.password.long': { 'zh-TW': '密碼不可超過 128 個字元', en: 'Your password must be 128 characters or fewer' },
  'error.passwordConfirm.required': { 'zh-TW': '請再次輸入密碼', en: 'Enter your password again' },
  'error.passwordConfirm.mismatch': { 'zh-TW': '兩次輸入的密碼不相同', en: 'The two passwords do not match' },
  'error.currentPassword.required': { 'zh-TW': '請輸入目前的密碼', en: 'Enter your current password' },
  'error.currentPassword.wrong': { 'zh-TW': '目前的密碼不正確', en: 'Your current password is not correct' },
  'error.signin.emailRequired': { 'zh-TW': '請輸入信箱', en: 'Enter your e-mail address' },
  'error.signin.passwordRequired': { 'zh-TW': '請輸入密碼', en: 'Enter your password' },
  'error.signin.invalid': { 'zh-TW': '信箱或密碼不正確', en: 'The e-mail address or password is not correct' },
} satisfies Record<string, Record<Locale, string>>;
