/** 聯絡簿管理, the staff's side: reviewing posts, the delivery sheet and suspended writers. */
import type { Locale } from '../../shared/locale.ts';

export const backofficeContactBookMessages = {
  'nav.backoffice.contactBook': { 'zh-TW': '聯絡簿管理', en: 'Contact book' },

  'backoffice.home.pendingPosts': {
    'zh-TW': '待審核的家庭聯絡簿：{count} 則',
    en: 'Contact book posts waiting for review: {count}',
  },
  'backoffice.posts.title': { 'zh-TW': '聯絡簿管理', en: 'Contact book posts' },
  'backoffice.posts.none': { 'zh-TW': '沒有符合條件的聯絡簿。', en: 'No posts match.' },
  'backoffice.post.withPhoto': { 'zh-TW': '（附照片）', en: '(with photo)' },
  'backoffice.post.title': { 'zh-TW': '聯絡簿：{title}', en: 'Contact book post: {title}' },
  'backoffice.post.conflict': {
    'zh-TW': '這則聯絡簿已由其他承辦人審核，頁面已更新為目前的狀態。',
    en: 'Another member of staff has already reviewed this post. The page now shows its current state.',
  },
  'backoffice.post.about': { 'zh-TW': '發佈人與收件人', en: 'Sender and recipient' },
  'backoffice.post.rejections': { 'zh-TW': '發佈人累計退件', en: 'Sender’s rejected posts' },
  'backoffice.post.rejectionsValue': { 'zh-TW': '{count} 次', en: '{count}' },
  'backoffice.post.suspended': {
    'zh-TW': '發佈人的發佈權限暫停至 {date}。',
    en: 'The sender’s posting is suspended until {date}.',
  },
  'backoffice.post.suspensionRule': {
    'zh-TW': '同一發佈人的聯絡簿退件累計 3 次，系統會暫停其發佈權限 1 個月；承辦人可提前解除。',
    en: 'When a sender’s posts have been rejected 3 times, posting is suspended for a month. Staff can lift it early.',
  },
  'backoffice.post.deliveredNotice': {
    'zh-TW': '已登記 {count} 則聯絡簿送達。',
    en: '{count, plural, one {# post} other {# posts}} recorded as delivered.',
  },
  'backoffice.post.liftedNotice': {
    'zh-TW': '已解除暫停，發佈人現在可以發佈聯絡簿。',
    en: 'The suspension is lifted; the sender can post again.',
  },
  'backoffice.post.approvedNotice': {
    'zh-TW': '聯絡簿已審核通過，已寄信通知發佈人。',
    en: 'Post approved. The sender has been e-mailed.',
  },
  'backoffice.post.rejectedNotice': {
    'zh-TW': '聯絡簿已審核未通過，已寄信通知發佈人原因。',
    en: 'Post rejected. The sender has been e-mailed the reason.',
  },
  'backoffice.delivery.title': { 'zh-TW': '聯絡簿送達單', en: 'Contact book delivery sheet' },
  'backoffice.delivery.choose': { 'zh-TW': '選擇機關與日期', en: 'Institution and date' },
  'backoffice.delivery.date': { 'zh-TW': '審核通過日期', en: 'Approved on' },
  'backoffice.delivery.chooseInstitution': { 'zh-TW': '請選擇機關。', en: 'Choose an institution.' },
  'backoffice.delivery.sheetTitle': {
    'zh-TW': '{institution} 家庭聯絡簿送達單 {date}',
    en: '{institution}: family contact book delivery sheet, {date}',
  },
  'backoffice.delivery.count': { 'zh-TW': '共 {count} 則', en: '{count, plural, one {# post} other {# posts}}' },
  'backoffice.delivery.none': { 'zh-TW': '這一天沒有審核通過的聯絡簿。', en: 'No posts were approved on this day.' },
  'backoffice.delivery.howTo': {
    'zh-TW': '列印本頁交給收容人後，勾選已送達的聯絡簿並按「登記送達」，家屬就會看到「已送達」。',
    en: 'Print this page and hand the posts over, then tick the delivered ones and press “Record delivery”: the families will see “Delivered”.',
  },
  'backoffice.delivery.to': { 'zh-TW': '收件人：{callNumber} {name}', en: 'To: {callNumber} {name}' },
  'backoffice.delivery.from': { 'zh-TW': '發佈人：{name}（{relationship}）', en: 'From: {name} ({relationship})' },
  'backoffice.delivery.mark': { 'zh-TW': '已送達：{callNumber}「{title}」', en: 'Delivered: {callNumber} “{title}”' },
  'backoffice.delivery.signature': {
    'zh-TW': '收容人簽收：＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿',
    en: 'Received by the inmate: ______________  Date: __________',
  },
  'backoffice.delivery.submit': { 'zh-TW': '登記送達', en: 'Record delivery' },
  'backoffice.suspensions.title': { 'zh-TW': '暫停發佈名單', en: 'Suspended senders' },
  'backoffice.suspensions.lift': { 'zh-TW': '解除暫停', en: 'Lift suspension' },
  'backoffice.suspensions.none': { 'zh-TW': '目前沒有暫停發佈的家屬。', en: 'No one’s posting is suspended.' },
  'backoffice.suspensions.from': { 'zh-TW': '暫停起日', en: 'Suspended on' },
  'backoffice.suspensions.until': { 'zh-TW': '暫停至', en: 'Until' },
} satisfies Record<string, Record<Locale, string>>;
