/** The pages anyone can read without an account: home, announcements, how to apply, visiting times, privacy. */
import type { Locale } from '../../shared/locale.ts';

export const publicPagesMessages = {
  'home.title': { 'zh-TW': '首頁', en: 'Home' },
  'home.heading': { 'zh-TW': '便民服務入口網', en: 'Corrections Service Portal' },
  'home.lead': {
    'zh-TW': '收容人家屬與律師可在這裡註冊帳號、申請服務項目、預約接見及發佈家庭聯絡簿。',
    en: 'Families of people in custody and their lawyers can create an account here, apply for services, book visits and send family contact book messages.',
  },
  'home.toAccount': { 'zh-TW': '前往我的帳號', en: 'Go to your account' },
  'home.register': { 'zh-TW': '註冊帳號', en: 'Create an account' },
  'home.moreAnnouncements': { 'zh-TW': '更多公告', en: 'All announcements' },
  'home.servicesTitle': { 'zh-TW': '可申請的服務', en: 'Services you can apply for' },
  'home.service.contactBook': { 'zh-TW': '家庭聯絡簿', en: 'Family contact book' },
  'home.service.contactBookText': {
    'zh-TW': '寫一則短訊息並附一張照片給收容人，經機關審核後送達。',
    en: 'Send a short message and one photo to a person in custody. Staff check it before it is delivered.',
  },
  'home.service.visits': { 'zh-TW': '預約接見', en: 'Visit booking' },
  'home.service.visitsText': {
    'zh-TW': '預約現場、遠距或行動接見。',
    en: 'Book a visit in person, by video from a government site, or by video from your phone.',
  },
  'home.service.lawyer': { 'zh-TW': '律師接見', en: 'Lawyer visits' },
  'home.service.lawyerText': {
    'zh-TW': '律師、辯護人、學習律師、訴訟代理人及通譯預約接見。',
    en: 'For lawyers, defenders, trainee lawyers, litigation agents and interpreters.',
  },
  'home.howItWorks': { 'zh-TW': '了解申辦流程', en: 'How applying works' },

  'announcements.none': { 'zh-TW': '目前沒有公告。', en: 'There are no announcements at the moment.' },
  'announcements.colTitle': { 'zh-TW': '標題', en: 'Title' },
  'announcements.colDate': { 'zh-TW': '日期', en: 'Date' },
  'announcements.published': { 'zh-TW': '發布日期：', en: 'Published' },

  'process.lead': {
    'zh-TW': '第一次使用本網站，請依下列步驟辦理。',
    en: 'If this is your first time here, follow these steps.',
  },
  'process.step1.title': { 'zh-TW': '註冊帳號', en: 'Create an account' },
  'process.step1.text': {
    'zh-TW': '閱讀個人資料蒐集告知聲明並同意後，填寫姓名、身分證字號、信箱、生日、手機與密碼。',
    en: 'Read and accept the privacy notice, then enter your name, ID number, e-mail address, date of birth, mobile number and a password.',
  },
  'process.step2.title': { 'zh-TW': '驗證信箱', en: 'Confirm your e-mail address' },
  'process.step2.text': {
    'zh-TW': '到您的信箱收取驗證信，並在 10 分鐘內點選信中的連結。驗證完成後才能登入。',
    en: 'Open the e-mail we send you and select the link within 10 minutes. You can sign in once your address is confirmed.',
  },
  'process.step3.title': { 'zh-TW': '申請服務項目', en: 'Apply for a service' },
  'process.step3.text': {
    'zh-TW': '選擇收容人所在的機關並輸入呼號，上傳身分及關係證明文件，送出申請。',
    en: 'Choose the institution, enter the person’s call number, upload proof of your identity and your relationship, and send the application.',
  },
  'process.step4.title': { 'zh-TW': '等候機關審核', en: 'Wait for the decision' },
  'process.step4.text': {
    'zh-TW': '機關審核後會寄信通知您結果，也可以在服務項目狀態查詢看到。',
    en: 'Staff at the institution review your application. We e-mail you the result, and you can also see it on the application status page.',
  },
  'process.step5.title': { 'zh-TW': '開始使用', en: 'Use the service' },
  'process.step5.text': {
    'zh-TW': '審核通過後，即可預約接見或發佈家庭聯絡簿。',
    en: 'Once approved, you can book visits or send family contact book messages.',
  },

  'visitTimes.lead': {
    'zh-TW':
      '各矯正機關的家屬接見梯次、律師接見到達時段與行動接見時間。可預約 2 天後到 7 天內的梯次；國定假日等不開放的日期，預約時不會出現。',
    en: 'Each institution’s family visiting times, lawyers’ arrival times and the length of mobile visits. Visits can be booked 2 to 7 days ahead; days when the institution is closed are not offered.',
  },
  'visitTimes.caption': { 'zh-TW': '各機關接見時段', en: 'Visiting times by institution' },
  'visitTimes.colInstitution': { 'zh-TW': '矯正機關', en: 'Institution' },
  'visitTimes.colLawyer': { 'zh-TW': '律師接見到達時段', en: 'Lawyer visit arrival times' },
  'visitTimes.colMobile': { 'zh-TW': '行動接見時間', en: 'Mobile visit length' },
  'visitTimes.colContact': { 'zh-TW': '地址與電話', en: 'Address and phone' },
  'visitTimes.colBatches': { 'zh-TW': '家屬接見梯次', en: 'Family visiting times' },
  'visitTimes.noBatches': { 'zh-TW': '請洽機關', en: 'Please ask the institution' },
  'visitTimes.showBatches': { 'zh-TW': '查看{institution}的梯次', en: 'Visiting times at {institution}' },
  'visitTimes.weekdays': { 'zh-TW': '週{days}', en: '{days}' },
  'visitTimes.window': {
    'zh-TW': '上午 {morningStart}–{morningEnd}，下午 {afternoonStart}–{afternoonEnd}',
    en: 'Morning {morningStart}–{morningEnd}, afternoon {afternoonStart}–{afternoonEnd}',
  },
  'visitTimes.minutes': { 'zh-TW': '每次 {minutes} 分鐘', en: '{minutes} minutes' },

  'privacy.title': { 'zh-TW': '個人資料蒐集告知聲明', en: 'Privacy notice: how we collect and use your personal data' },
  'privacy.intro': {
    'zh-TW':
      '感謝您使用本便民服務系統入口網（以下或稱為「本入口網」），本署重視您的隱私與個人資料保護，並尊重您的個人資料控制權。以下說明本署如何蒐集、處理、利用您的個人資料，以及您有哪些權利可以行使。請留意，如您不是註冊或申請服務之本人但使用本入口網時（由他人申請但供您使用），以下內容也對您適用。註冊或申請服務之人有義務讓實際使用本入口網之人詳閱以下內容。',
    en: 'Thank you for using the Corrections Service Portal (“the portal”). The Agency of Corrections values your privacy and your control over your personal data. This notice explains how we collect, process and use your personal data, and the rights you have. It also applies to you if you use the portal through an account someone else registered for you; whoever registers or applies must make sure the person who actually uses the portal reads it.',
  },
  'privacy.s1.title': { 'zh-TW': '1. 誰在蒐集您的個人資料？', en: '1. Who collects your personal data?' },
  'privacy.s1.items': {
    'zh-TW': '法務部矯正署（以下稱為「我們」）',
    en: 'The Agency of Corrections, Ministry of Justice (“we”).',
  },
  'privacy.s2.title': { 'zh-TW': '2. 我們為什麼蒐集您的個人資料（蒐集目的）', en: '2. Why we collect it' },
  'privacy.s2.items': {
    'zh-TW':
      '會員管理\n確認註冊者或服務申請者身分\n確認註冊者或服務申請者與矯正機關收容人關係\n進行申辦服務項目之審核\n行動接見時依法需進行身分確認（採人臉辨識方式）',
    en: 'To manage your account\nTo confirm the identity of the person registering or applying\nTo confirm that person’s relationship with the person in custody\nTo review applications for services\nTo confirm your identity during mobile visits, as the law requires (by face recognition)',
  },
  'privacy.s3.title': { 'zh-TW': '3. 我們蒐集您的哪些個人資料', en: '3. What personal data we collect' },
  'privacy.s3.items': {
    'zh-TW':
      '識別類：姓名、身分證統一編號或居留證統一證號、電子郵件信箱、手機及電話號碼\n特徵類：出生年月日、辦理行動接見時上傳之正面照片\n家庭情形：您與收容人之關係及其證明文件\n其他：您上傳之身分證明文件、使用本入口網之紀錄',
    en: 'Identification: your name, national ID or resident certificate number, e-mail address, mobile and phone numbers\nCharacteristics: your date of birth and, for mobile visits, the photo of your face you upload\nFamily: your relationship with the person in custody and the documents that prove it\nOther: the identity documents you upload and records of your use of the portal',
  },
  'privacy.s4.title': {
    'zh-TW': '4. 我們如何利用您的個人資料（期間、地區、對象及方式）',
    en: '4. How we use it (for how long, where, by whom and how)',
  },
  'privacy.s4.items': {
    'zh-TW':
      '期間：自您註冊起至您申請刪除帳號，或法令所定保存期限屆滿為止。\n地區：中華民國境內。\n對象：法務部矯正署及所屬矯正機關。\n方式：以電子或書面方式處理及利用，除下列情形外，不會提供給第三人：依法律規定；為維護國家安全或增進公共利益所必要；為免除您生命、身體、自由或財產上之危險；為防止他人權益之重大危害；公務機關或學術研究機構基於公共利益為統計或學術研究而有必要，且資料經過提供者處理後或經蒐集者依其揭露方式無從識別特定之當事人；依法得到您的同意；有利於您的權益。',
    en: 'For how long: from your registration until you ask us to delete your account, or until the end of any retention period set by law.\nWhere: in Taiwan (Republic of China).\nBy whom: the Agency of Corrections and the correctional institutions under it.\nHow: electronically or on paper. We do not give it to anyone else except where the law requires it; where it is needed for national security or the public interest; to prevent danger to your life, body, freedom or property; to prevent serious harm to the rights of others; where a public body or research institution needs it for statistics or research in the public interest and the data cannot identify you; where you have agreed; or where it is in your interest.',
  },
  'privacy.s5.title': { 'zh-TW': '5. 您有哪些權利可以行使', en: '5. Your rights' },
  'privacy.s5.items': {
    'zh-TW':
      '您有權請求查詢、閱覽我們保有您的個人資料，或請求我們提供複製本。但我們依法得酌收必要的成本費用。\n您有權向我們補充或更正您的個人資料。\n當不再使用本入口網服務時，或您認為我們不再需要您的個人資料時，您有權請求我們刪除、停止處理或利用您的個人資料。但我們因執行業務所必須（例如法令已規定保存期限），或另外取得您的書面同意時，仍得保存或繼續處理、利用您的個人資料。\n如您認為我們違法蒐集、處理或利用您的個人資料時，您有權請求我們刪除、停止處理或利用您的個人資料。但我們會檢視是否有違法情形，並回覆您結果。',
    en: 'You can ask to see the personal data we hold about you, or for a copy. We may charge the necessary cost, as the law allows.\nYou can add to or correct your personal data.\nWhen you stop using the portal, or think we no longer need your data, you can ask us to delete it or stop processing or using it. We may still keep or use it where our work requires it (for example where the law sets a retention period) or where you agree in writing.\nIf you think we have collected, processed or used your data unlawfully, you can ask us to delete it or stop processing or using it. We will look into it and tell you the outcome.',
  },
  'privacy.s6.title': { 'zh-TW': '6. 您若不提供個人資料的影響', en: '6. If you do not give us your personal data' },
  'privacy.s6.items': {
    'zh-TW': '註冊時所列的個人資料多數為必填欄位，如未正確、完整填寫，可能無法完成註冊帳號，或將無法申請各項服務。',
    en: 'Most registration fields are required. If they are not filled in correctly and completely, you may not be able to create an account or apply for services.',
  },
  'privacy.consent': {
    'zh-TW': '本人已詳閱本網站依個人資料保護法所告知事項並清楚瞭解其蒐集、處理或利用個人資料之目的及用途。',
    en: 'I have read this notice, given under the Personal Data Protection Act, and I understand why and how my personal data will be collected, processed and used.',
  },
} satisfies Record<string, Record<Locale, string>>;
