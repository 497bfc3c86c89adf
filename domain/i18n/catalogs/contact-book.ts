/** The family contact book (家庭聯絡簿), the family's side: writing, listing and resending posts. */
import type { Locale } from '../../shared/locale.ts';

export const contactBookMessages = {
  'nav.contactBook': { 'zh-TW': '家庭聯絡簿', en: 'Family contact book' },
  'nav.contactBookNew': { 'zh-TW': '發佈家庭聯絡簿', en: 'Write a contact book post' },
  'nav.contactBookList': { 'zh-TW': '查詢家庭聯絡簿', en: 'My contact book posts' },

  'post.noService': {
    'zh-TW': '您還沒有審核通過的家庭聯絡簿服務。請先申請「家庭聯絡簿」服務，經機關審核通過後，就可以在這裡發佈聯絡簿。',
    en: 'You do not have an approved family contact book yet. Apply for the contact book service first; once the institution approves it, you can write posts here.',
  },
  'post.suspendedTitle': { 'zh-TW': '發佈權限暫停中', en: 'Posting is suspended' },
  'post.suspendedText': {
    'zh-TW':
      '因您發佈的聯絡簿經審查退件累計 {count} 次，依規定暫停發佈 1 個月，至 {date} 止。期間仍可查看已發佈的聯絡簿；如有疑問，請洽收容人所在的機關。',
    en: 'Your posts have been rejected {count} times, so posting is suspended for one month, until {date}. You can still read your posts. If you have questions, contact the institution.',
  },
  'post.canPostNow': { 'zh-TW': '現在可以發佈', en: 'you can post now' },
  'post.nextDate': {
    'zh-TW': '每 {days} 天限發佈 1 次，下次可發佈日期為 {date}',
    en: 'one post every {days} days; your next post can be sent on {date}',
  },
  'post.suspendedShort': { 'zh-TW': '發佈權限暫停至 {date}', en: 'posting suspended until {date}' },
  'post.rules': {
    'zh-TW':
      '經機關審核後送達收容人。內容以 {max} 字為限，可附照片 1 張；每位收容人依機關規定的天數（例如每 10 天）限發佈 1 次，下方列出下次可發佈的日期。退件的聯絡簿修改後可重新送出，不佔用發佈間隔。',
    en: 'Staff read every post before it is handed over. A post has at most {max} characters and one photo. Each institution sets how often you can write to an inmate (for example every 10 days): the date of your next post is shown below. A rejected post can be corrected and sent again without waiting.',
  },
  'post.recipientName': { 'zh-TW': '{inmate}（{institution}）', en: '{inmate} ({institution})' },
  'post.recipientLine': { 'zh-TW': '{inmate}（{institution}）：', en: '{inmate} ({institution}): ' },
  'post.recipientOption': {
    'zh-TW': '{inmate}（{institution}，{relationship}）',
    en: '{inmate} ({institution}, {relationship})',
  },
  'post.institutionAndRelationship': { 'zh-TW': '{institution}・{relationship}', en: '{institution} · {relationship}' },
  'post.add': { 'zh-TW': '新增', en: 'New post' },
  'post.none': { 'zh-TW': '您還沒有發佈過家庭聯絡簿。', en: 'You have not written any contact book posts yet.' },
  'post.listCaption': { 'zh-TW': '我發佈的家庭聯絡簿', en: 'My contact book posts' },
  'post.col.recipient': { 'zh-TW': '收件人', en: 'To' },
  'post.col.title': { 'zh-TW': '標題', en: 'Title' },
  'post.col.date': { 'zh-TW': '發佈日期', en: 'Sent on' },
  'post.col.status': { 'zh-TW': '狀態', en: 'Status' },
  'post.col.reviewed': { 'zh-TW': '審核時間', en: 'Reviewed on' },
  'post.reasonDialogTitle': { 'zh-TW': '聯絡簿「{title}」審核未通過', en: 'Your post “{title}” was not approved' },
  'post.rejectedNext': {
    'zh-TW': '請依上面的說明修改內容或照片後重新送出。退件的聯絡簿不佔用發佈間隔；退件累計 3 次會暫停發佈 1 個月。',
    en: 'Change the text or the photo as explained above and send it again. A rejected post does not count towards the interval; after 3 rejections, posting is suspended for one month.',
  },
  'post.sent': { 'zh-TW': '聯絡簿已送出', en: 'Your post has been sent' },
  'post.sentNext': {
    'zh-TW': '機關審核後會寄電子郵件通知您結果，也可以在「查詢家庭聯絡簿」查看狀態。',
    en: 'We will e-mail you when staff have reviewed it. You can also check its status in “My contact book posts”.',
  },
  'post.delivered': { 'zh-TW': '送達日期', en: 'Delivered on' },
  'post.body': { 'zh-TW': '內容', en: 'Message' },
  'post.photo': { 'zh-TW': '照片', en: 'Photo' },
  'post.photoAlt': { 'zh-TW': '聯絡簿「{title}」附的照片', en: 'The photo sent with “{title}”' },
  'post.resendTitle': { 'zh-TW': '修改並重新送出聯絡簿', en: 'Correct and resend your post' },
  'post.resendLead': {
    'zh-TW': '請依審核人員的說明修改後重新送出。同一則聯絡簿會回到「待審核」。',
    en: 'Make the changes the reviewer asked for and send the post again. It goes back to “pending review”.',
  },
  'post.recipient': { 'zh-TW': '發佈對象', en: 'Send to' },
  'post.title': { 'zh-TW': '標題', en: 'Title' },
  'post.titleHint': { 'zh-TW': '最多 {max} 字', en: 'Up to {max} characters' },
  'post.bodyHint': {
    'zh-TW': '最多 {max} 字。中文字、英文字母、標點符號、表情符號及換行都各算 1 字。',
    en: 'Up to {max} characters. Each letter, Chinese character, punctuation mark, emoji and line break counts as one.',
  },
  'post.countLeft': {
    'zh-TW': '還可以輸入 {n} 字',
    en: '{n, plural, one {# character left} other {# characters left}}',
  },
  'post.countOver': {
    'zh-TW': '已超過 {n} 字，請刪減',
    en: '{n, plural, one {# character too many} other {# characters too many}}: please shorten it',
  },
  'post.photoHint': {
    'zh-TW': 'JPG、PNG 或 WebP，1 張，{limit} MB 以內。照片會縮小後送審，拍攝地點等資料會移除。',
    en: 'One JPG, PNG or WebP photo of up to {limit} MB. It is made smaller for review, and location and camera details are removed.',
  },
  'post.photoKept': { 'zh-TW': '已收到照片：{file}（{size} MB）', en: 'Photo received: {file} ({size} MB)' },
  'post.photoCurrent': { 'zh-TW': '目前附的照片', en: 'The photo sent with this post' },
  'post.photoRemove': { 'zh-TW': '不附照片（移除目前的照片）', en: 'Send without a photo (remove the current one)' },
  'post.photoReplace': { 'zh-TW': '換一張照片（選填）', en: 'Choose a different photo (optional)' },
  'post.photoChoose': { 'zh-TW': '選擇照片', en: 'Choose a photo' },
  'post.submit': { 'zh-TW': '確認', en: 'Send' },

  'postRejectReason.notFamily': {
    'zh-TW': '內容與家人間的關懷問候無關。',
    en: 'The post is not a family greeting or family news.',
  },
  'postRejectReason.unsafeContent': {
    'zh-TW': '內容涉及妨害機關安全或秩序的事項。',
    en: 'The post touches on the security or order of the institution.',
  },
  'postRejectReason.photoUnclear': {
    'zh-TW': '照片無法辨識或不適合轉交。',
    en: 'The photo cannot be made out or is not suitable to hand over.',
  },
  'postRejectReason.codedMessage': {
    'zh-TW': '內容含有無法理解的暗語或代號。',
    en: 'The post contains code words or signs we cannot understand.',
  },

  'error.photo.tooLarge': {
    'zh-TW': '「{file}」超過 {limit} MB，請選擇較小的照片',
    en: '“{file}” is larger than {limit} MB: choose a smaller photo',
  },
  'error.photo.type': {
    'zh-TW': '「{file}」必須是 JPG、PNG 或 WebP 照片',
    en: '“{file}” must be a JPG, PNG or WebP photo',
  },
  'error.photo.heic': {
    'zh-TW':
      '「{file}」是 HEIC 格式（iPhone 預設的照片格式），無法使用。請在 iPhone 的「設定 > 相機 > 格式」選擇「最相容」後重新拍攝，或用「分享 > 儲存到檔案」另存成 JPG 再上傳。',
    en: '“{file}” is a HEIC photo (the iPhone’s own format), which cannot be used. On the iPhone choose Settings > Camera > Formats > Most Compatible and take it again, or save it as a JPG first, then upload that.',
  },
  'error.photo.tooLargeUnnamed': {
    'zh-TW': '照片超過 {limit} MB，請選擇較小的照片',
    en: 'The photo is larger than {limit} MB: choose a smaller one',
  },
  'error.photo.one': { 'zh-TW': '每則聯絡簿只能附 1 張照片', en: 'A post can have only one photo' },
  'error.post.titleRequired': { 'zh-TW': '請輸入主旨', en: 'Enter a title' },
  'error.post.titleTooLong': { 'zh-TW': '主旨最多 {max} 字', en: 'The title can be at most {max} characters' },
  'error.post.bodyRequired': { 'zh-TW': '請輸入內容', en: 'Write your message' },
  'error.post.bodyTooLong': {
    'zh-TW': '內容最多 {max} 字，目前 {count} 字',
    en: 'The message can be at most {max} characters; it has {count}',
  },
  'error.post.recipient': { 'zh-TW': '請選擇收件的收容人', en: 'Choose who the message is for' },
  'error.post.tooSoon': {
    'zh-TW': '每 {days} 天限發佈 1 次，下次可發佈的日期是 {date}',
    en: 'One message every {days} days: the next can be sent on {date}',
  },
  'error.post.suspended': {
    'zh-TW': '因內容經審查退件累計 3 次，發佈權限暫停至 {date}',
    en: 'Because 3 messages were rejected, sending is suspended until {date}',
  },
  'error.post.suspendedNow': { 'zh-TW': '發佈權限目前暫停中，請稍後再試', en: 'Sending is suspended at the moment' },
  'error.post.justPosted': {
    'zh-TW': '您剛剛已發佈一則聯絡簿，請稍後再發佈',
    en: 'You have just sent a message; the next one must wait',
  },
  'error.post.recipientRestricted': {
    'zh-TW': '這位收容人目前無法收受聯絡簿（禁見、隔離等），請洽機關',
    en: 'This inmate cannot receive posts at the moment (a ban on visits and letters, or isolation). Please contact the institution.',
  },
  'error.post.changed': {
    'zh-TW': '這則聯絡簿在您修改期間已有變動，請重新確認',
    en: 'This message changed while you were correcting it: check it again',
  },
} satisfies Record<string, Record<Locale, string>>;
