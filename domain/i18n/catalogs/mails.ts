/** Every mail and text message the portal sends (domain/mails.ts): the greeting and signature, then per area. */
import type { Locale } from '../../shared/locale.ts';

export const mailsMessages = {
  // The frame of every mail
  'mail.greeting': { 'zh-TW': '{name} 您好：', en: 'Dear {name},' },
  'mail.greetingPlain': { 'zh-TW': '您好：', en: 'Hello,' },
  'mail.signature': {
    'zh-TW': '法務部矯正署 便民服務入口網（本信由系統自動寄出，請勿直接回覆）',
    en: 'Corrections Service Portal, Agency of Corrections (this message was sent automatically; please do not reply)',
  },
  'mail.notYou': {
    'zh-TW': '如果您沒有在便民服務入口網註冊帳號，請忽略這封信。',
    en: 'If you did not create an account on the Corrections Service Portal, you can ignore this e-mail.',
  },

  // Account
  'mail.verify.subject': { 'zh-TW': '便民服務入口網註冊通知', en: 'Confirm your Corrections Service Portal account' },
  'mail.verify.intro': {
    'zh-TW': '您於【便民服務入口網】註冊帳號成功，請點選下方連結進行帳號驗證。',
    en: 'Your Corrections Service Portal account has been created. Select the link below to confirm your e-mail address.',
  },
  'mail.verify.expiry': {
    'zh-TW': '＊此驗證信將於 10 分鐘後失效，失效後請重新申請。',
    en: 'The link works for 10 minutes. After that, ask for a new one.',
  },
  'mail.exists.subject': {
    'zh-TW': '便民服務入口網：您已經有帳號',
    en: 'Corrections Service Portal: you already have an account',
  },
  'mail.exists.intro': {
    'zh-TW': '有人使用這個信箱在【便民服務入口網】註冊帳號，但這個信箱已經註冊過了。',
    en: 'Someone tried to create a Corrections Service Portal account with this e-mail address, but it already has one.',
  },
  'mail.exists.signIn': { 'zh-TW': '如果是您本人，請直接登入：', en: 'If it was you, sign in here:' },
  'mail.exists.forgot': {
    'zh-TW': '忘記密碼，請由此重新設定：',
    en: 'If you forgot your password, set a new one here:',
  },
  'mail.reset.subject': {
    'zh-TW': '便民服務入口網：重新設定密碼',
    en: 'Corrections Service Portal: set a new password',
  },
  'mail.reset.intro': {
    'zh-TW': '我們收到重新設定您【便民服務入口網】密碼的申請，請點選下方連結設定新密碼。',
    en: 'We received a request to set a new password for your Corrections Service Portal account. Select the link below to set one.',
  },
  'mail.reset.expiry': {
    'zh-TW': '＊此連結將於 30 分鐘後失效，且只能使用一次。',
    en: 'The link works once, for 30 minutes.',
  },
  'mail.reset.notYou': {
    'zh-TW': '如果不是您提出的申請，請忽略這封信，您的密碼不會改變。',
    en: 'If you did not ask for this, ignore this e-mail: your password stays the same.',
  },

  // Applications
  'mail.application.pendingSubject': {
    'zh-TW': '便民服務入口網服務項目申請通知',
    en: 'Corrections Service Portal: your application was received',
  },
  'mail.application.pendingIntro': {
    'zh-TW': '您於【便民服務入口網】申請服務項目目前狀態為待審核。',
    en: 'Your application on the Corrections Service Portal is waiting for review.',
  },
  'mail.application.details': {
    'zh-TW':
      '申請服務項目內容：\n申請編號：{number}\n申請對象：{institution}-{inmate}\n與申請對象關係：{relationship}\n申請服務項目：{service}',
    en: 'Application:\nNumber: {number}\nPerson: {institution}-{inmate}\nYour relationship: {relationship}\nService: {service}',
  },
  'mail.application.decisionSubject': {
    'zh-TW': '便民服務入口網服務項目審核結果通知',
    en: 'Corrections Service Portal: the decision on your application',
  },
  'mail.application.approved': {
    'zh-TW': '您於【便民服務入口網】申請服務項目審核結果為審核通過。',
    en: 'Your application on the Corrections Service Portal has been approved.',
  },
  'mail.application.rejected': {
    'zh-TW': '您於【便民服務入口網】申請服務項目審核結果為審核未通過。',
    en: 'Your application on the Corrections Service Portal has not been approved.',
  },
  'mail.application.reason': {
    'zh-TW': '未通過原因：{reason}\n請登入便民服務入口網，於「服務項目狀態查詢」修改並重新送出。',
    en: 'Reason: {reason}\nSign in to the portal, open your application status and correct and resend it.',
  },

  // Contact book
  'mail.post.subject': {
    'zh-TW': '便民服務入口網家庭聯絡簿審核結果通知',
    en: 'Corrections Service Portal: the result of your contact book post',
  },
  'mail.post.result': {
    'zh-TW': '您於【便民服務入口網】發佈家庭連絡簿審核結果為「{status}」。',
    en: 'Your family contact book post on the Corrections Service Portal: {status}.',
  },
  'mail.post.details': {
    'zh-TW': '聯絡簿內容：\n聯絡對象：{institution} {inmate}\n與申請對象關係：{relationship}\n聯絡簿主旨：{title}',
    en: 'Your post:\nTo: {institution} {inmate}\nRelationship: {relationship}\nTitle: {title}',
  },
  'mail.post.reason': {
    'zh-TW': '未通過原因：{reason}\n請登入便民服務入口網，於「查詢家庭聯絡簿」修改並重新送出。',
    en: 'Reason: {reason}\nSign in to the portal, open “My contact book posts”, correct the post and send it again.',
  },
  'mail.post.suspended': {
    'zh-TW': '您發佈的聯絡簿已經退件累計 3 次，依規定暫停發佈至 {date}。',
    en: 'Your posts have now been rejected 3 times, so posting is suspended until {date}.',
  },

  // Visit booking
  'mail.booking.subject.booked': {
    'zh-TW': '便民服務入口網預約接見通知',
    en: 'Corrections Service Portal: your visit booking',
  },
  'mail.booking.subject.approved': {
    'zh-TW': '便民服務入口網預約接見審核結果通知',
    en: 'Corrections Service Portal: the result of your visit booking',
  },
  'mail.booking.subject.rejected': {
    'zh-TW': '便民服務入口網預約接見審核結果通知',
    en: 'Corrections Service Portal: the result of your visit booking',
  },
  'mail.booking.subject.cancelled': {
    'zh-TW': '便民服務入口網預約接見取消通知',
    en: 'Corrections Service Portal: a visit booking was cancelled',
  },
  'mail.booking.booked': {
    'zh-TW': '您於【便民服務入口網】預約接見，目前狀態為待審核。',
    en: 'You booked a visit on the Corrections Service Portal. It is waiting for review.',
  },
  'mail.booking.bookedCompanion': {
    'zh-TW': '{booker} 於【便民服務入口網】預約接見，並將您列為其他接見人，目前狀態為待審核。',
    en: '{booker} booked a visit on the Corrections Service Portal and named you as another visitor. It is waiting for review.',
  },
  'mail.booking.bookedNext': {
    'zh-TW':
      '機關審核後會再通知您。如需取消，請由預約人登入便民服務入口網，於「線上預約接見查詢」在接見日前一天以前取消。',
    en: 'We will tell you when the institution has reviewed it. To cancel, the person who booked signs in and cancels it in “My visit bookings” by the day before the visit.',
  },
  'mail.booking.approved': {
    'zh-TW': '您於【便民服務入口網】預約之接見，審核結果為審核通過。',
    en: 'Your visit booking on the Corrections Service Portal has been approved.',
  },
  'mail.booking.rejected': {
    'zh-TW': '您於【便民服務入口網】預約之接見，審核結果為審核未通過。',
    en: 'Your visit booking on the Corrections Service Portal was not approved.',
  },
  'mail.booking.cancelled': {
    'zh-TW': '您於【便民服務入口網】預約之接見已由預約人取消。',
    en: 'The person who booked this visit has cancelled it.',
  },
  'mail.booking.cancelledByStaff': {
    'zh-TW': '您於【便民服務入口網】預約之接見已由機關取消。',
    en: 'The institution has cancelled this visit.',
  },
  'mail.booking.details': {
    'zh-TW':
      '預約內容：\n預約編號：{number}\n接見種類：{kind}\n預約接見日期：{when}\n矯正機關：{institution}\n收容人：{inmate}\n申請人：{booker}\n其他接見人：{others}',
    en: 'The booking:\nBooking number: {number}\nVisit: {kind}\nWhen: {when}\nInstitution: {institution}\nInmate: {inmate}\nBooked by: {booker}\nOther visitors: {others}',
  },
  'mail.booking.reason': { 'zh-TW': '原因：{reason}', en: 'Reason: {reason}' },
  'mail.booking.companionLeft': {
    'zh-TW': '{name} 已退出您預約的接見，預約仍然有效。',
    en: '{name} has withdrawn from the visit you booked. The booking still stands.',
  },
  'mail.booking.subject.companionLeft': {
    'zh-TW': '便民服務入口網預約接見變更通知',
    en: 'Corrections Service Portal: a change to your visit booking',
  },
  'mail.booking.video': {
    'zh-TW': '請於約定的時間點擊以下連結開始視訊：',
    en: 'At the time of the visit, open this link to start the video call:',
  },
  'mail.booking.videoNote': {
    'zh-TW': '請在穩定的網路環境下進行，以確保視訊品質。此連結只供本次接見使用，請勿轉傳。',
    en: 'Use a stable internet connection for a clear picture. The link is for this visit only: please do not pass it on.',
  },
  'mail.booking.onsiteNote': {
    'zh-TW': '請於接見時間前 30 分鐘攜帶身分證件到機關辦理接見登記。',
    en: 'Please arrive 30 minutes before the visit with your ID to register at the institution.',
  },
  'mail.booking.lawyerNote': {
    'zh-TW': '請攜帶律師證及委任文件，於預計時間到達機關。實際開始時間仍須視前一位律師接見結束後方可安排，尚請見諒。',
    en: 'Please bring your lawyer’s ID and the mandate and arrive at the time you chose. The visit starts when the previous lawyer’s visit ends, so there may be a wait.',
  },

  // Text messages
  'sms.booking.subject': { 'zh-TW': '行動／遠距接見視訊連結', en: 'Video link for a mobile or remote visit' },
  'sms.booking.video': {
    'zh-TW': '【矯正署】您預約的{kind}（{when}）已核准，請於約定時間點擊連結開始視訊：{link}',
    en: 'Agency of Corrections: your {kind} ({when}) is approved. At that time, open this link to start the video call: {link}',
  },
  'sms.booking.subjectApproved': { 'zh-TW': '預約接見核准通知', en: 'Visit approved' },
  'sms.booking.onsite': {
    'zh-TW': '【矯正署】您預約的{kind}（{when}，編號 {number}）已核准，請於接見前 30 分鐘攜帶身分證件到機關登記。',
    en: 'Agency of Corrections: your {kind} ({when}, no. {number}) is approved. Please come 30 minutes early with your ID.',
  },
  'sms.booking.lawyer': {
    'zh-TW': '【矯正署】您預約的律師{kind}（{when}，編號 {number}）已核准，實際開始時間視前一位律師接見結束而定。',
    en: 'Agency of Corrections: your lawyer {kind} ({when}, no. {number}) is approved. It starts when the previous lawyer visit ends.',
  },
} satisfies Record<string, Record<Locale, string>>;
