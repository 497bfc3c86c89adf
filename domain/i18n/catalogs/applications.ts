/** Applying for a service (家庭聯絡簿, 預約接見, 律師接見), the family's list, progress look-up and resubmitting. */
import type { Locale } from '../../shared/locale.ts';

export const applicationsMessages = {
  'nav.applications': { 'zh-TW': '服務項目狀態查詢', en: 'Application status' },
  'nav.applyContactBook': { 'zh-TW': '家庭聯絡簿服務申請', en: 'Apply for the family contact book' },
  'nav.applyVisit': { 'zh-TW': '預約接見服務項目申請', en: 'Apply for visits' },
  'nav.applyLawyer': { 'zh-TW': '律師接見服務項目申請', en: 'Apply for lawyer visits' },

  'apply.title.contact_book': { 'zh-TW': '家庭聯絡簿服務申請', en: 'Apply for the family contact book' },
  'apply.title.visit': { 'zh-TW': '預約接見服務項目申請', en: 'Apply for visits' },
  'apply.title.lawyer_visit': { 'zh-TW': '律師接見服務項目申請', en: 'Apply for lawyer visits' },
  'apply.lead.contact_book': {
    'zh-TW': '申請後，經機關審核通過，就可以發佈家庭聯絡簿給收容人。',
    en: 'Once the institution approves your application, you can send family contact book messages.',
  },
  'apply.lead.visit': {
    'zh-TW': '申請後，經機關審核通過，就可以預約現場、遠距或行動接見。',
    en: 'Once the institution approves your application, you can book visits in person, by video from a government site or from your phone.',
  },
  'apply.lead.lawyer_visit': {
    'zh-TW': '律師、辯護人、學習律師、訴訟代理人及通譯適用。審核通過後可預約現場及行動律師接見。',
    en: 'For lawyers, defenders, trainee lawyers, litigation agents and interpreters. Once approved, you can book lawyer visits in person and by video.',
  },
  'apply.target': { 'zh-TW': '服務項目申請對象', en: 'Who you are applying for' },
  'apply.institution': { 'zh-TW': '矯正機關', en: 'Institution' },
  'apply.institution.choose': { 'zh-TW': '請選擇矯正機關', en: 'Choose the institution' },
  'apply.callNumber': { 'zh-TW': '收容人呼號', en: 'Call number' },
  'apply.callNumber.hint': {
    'zh-TW': '請輸入四或六碼數字，輸入後按「查詢」確認收容人',
    en: '4 or 6 digits. Select “Find” to check the person',
  },
  'apply.lookup': { 'zh-TW': '查詢', en: 'Find' },
  'apply.lookup.found': { 'zh-TW': '申請對象：{name}', en: 'Person: {name}' },
  'apply.lookup.confirm': {
    'zh-TW': '請確認這是您要申請的收容人。',
    en: 'Check that this is the person you are applying for.',
  },
  'apply.relationship': { 'zh-TW': '與收容人關係', en: 'Your relationship to the person' },
  'apply.relationship.choose': { 'zh-TW': '請選擇', en: 'Choose' },
  'apply.visitKinds': { 'zh-TW': '申請的接見方式', en: 'Kinds of visit' },
  'apply.visitKinds.hint': {
    'zh-TW': '可以勾選多項。行動接見需要手機號碼與正面照片。',
    en: 'Choose all that apply. Video visits from your phone need a mobile number and a photo of your face.',
  },
  'apply.files': { 'zh-TW': '需上傳之佐證檔案', en: 'Supporting documents' },
  'apply.files.limits': {
    'zh-TW': '可上傳 PDF、PNG、JPG、JPEG，合計 {limit} MB 以內。目前已上傳 {total} MB。',
    en: 'PDF, PNG, JPG or JPEG, {limit} MB in total. Uploaded so far: {total} MB.',
  },
  'apply.doc.identity': { 'zh-TW': '身分證明文件', en: 'Proof of identity' },
  'apply.doc.relationship': {
    'zh-TW': '關係證明文件（例如戶籍謄本）',
    en: 'Proof of relationship (for example a household register)',
  },
  'apply.doc.mandate': { 'zh-TW': '訴訟委任文件（委任狀）', en: 'Litigation mandate' },
  'apply.doc.photo': {
    'zh-TW': '正面照片（申請行動接見必填）',
    en: 'Photo of your face (needed for video visits from your phone)',
  },
  'apply.doc.hint': {
    'zh-TW': '請至少上傳 1 份文件，可以一次選擇多個檔案',
    en: 'Upload at least 1 document. You can choose several files at once',
  },
  'apply.doc.photoHint': { 'zh-TW': '清楚的正面照片，PNG 或 JPG', en: 'A clear photo of your face, PNG or JPG' },
  'apply.uploaded': { 'zh-TW': '已上傳的檔案', en: 'Files uploaded' },
  'apply.remove': { 'zh-TW': '移除', en: 'Remove' },
  'apply.submit': { 'zh-TW': '送出申請', en: 'Send application' },
  'apply.contactBookRule': {
    'zh-TW': '家庭聯絡簿申請及使用規則：每位收容人限 1 戶家屬申請，並應上傳身分及雙方關係證明文件各 1 份供機關審查。',
    en: 'Family contact book rules: one household per person in custody, with one proof of identity and one proof of relationship for the institution to check.',
  },
  'apply.uploading': { 'zh-TW': '正在上傳：{percent}%', en: 'Uploading: {percent}%' },
  'apply.uploadChecking': { 'zh-TW': '上傳完成，正在檢查檔案…', en: 'Uploaded; checking the files…' },
  'apply.uploadFailed': {
    'zh-TW': '上傳中斷，您填寫的內容都還在，請再按一次送出。',
    en: 'The upload was interrupted. Everything you entered is still here: press the button again.',
  },
  'apply.uploadProgress': { 'zh-TW': '上傳進度', en: 'Upload progress' },

  'applications.none': { 'zh-TW': '您還沒有申請任何服務項目。', en: 'You have not applied for any service yet.' },
  'applications.colInstitution': { 'zh-TW': '矯正機關', en: 'Institution' },
  'applications.colInmate': { 'zh-TW': '收容人', en: 'Person' },
  'applications.colRelationship': { 'zh-TW': '關係', en: 'Relationship' },
  'applications.colService': { 'zh-TW': '服務項目', en: 'Service' },
  'applications.colStatus': { 'zh-TW': '狀態', en: 'Status' },
  'applications.colReviewed': { 'zh-TW': '審核時間', en: 'Reviewed' },
  'applications.number': { 'zh-TW': '申請編號 {number}', en: 'Application {number}' },
  'applications.newTitle': { 'zh-TW': '申請服務項目', en: 'Apply for a service' },
  'applications.sent': { 'zh-TW': '已送出申請', en: 'Application sent' },
  'applications.pendingNext': {
    'zh-TW': '機關審核後會寄信通知您結果。您也可以在「服務項目狀態查詢」查看進度。',
    en: 'We will e-mail you when the institution has decided. You can also follow it on the application status page.',
  },
  'applications.reasonTitle': { 'zh-TW': '審核未通過的原因', en: 'Why it was not approved' },
  'applications.rejectedNext': {
    'zh-TW': '請依上述原因修正後重新送出申請。',
    en: 'Correct what the reason says and send the application again.',
  },
  'applications.submitted': { 'zh-TW': '申請時間', en: 'Sent' },
  'applications.viewReason': { 'zh-TW': '查看原因', en: 'See why' },
  'applications.reasonDialogTitle': {
    'zh-TW': '申請 {number} 審核未通過',
    en: 'Application {number} was not approved',
  },
  'applications.close': { 'zh-TW': '關閉', en: 'Close' },
  'applications.correct': { 'zh-TW': '修改並重新送出', en: 'Correct and resend' },
  'applications.documents': { 'zh-TW': '已送出的佐證檔案', en: 'Documents sent' },
  'applications.history': { 'zh-TW': '歷程', en: 'History' },

  'progress.title': { 'zh-TW': '申辦進度查詢', en: 'Check an application' },
  'progress.lead': {
    'zh-TW': '輸入申請編號與申請人的生日，即可查看申請的審核狀態。這裡不會顯示任何個人資料。',
    en: 'Enter the application number and the applicant’s date of birth to see where the application is. No personal details are shown here.',
  },
  'progress.number': { 'zh-TW': '申請編號', en: 'Application number' },
  'progress.number.hint': {
    'zh-TW': '送出申請後顯示在確認頁與通知信中，例如 20261123-7K3M9Q',
    en: 'Shown after sending the application and in our e-mail, for example 20261123-7K3M9Q',
  },
  'progress.birthday': { 'zh-TW': '申請人的生日', en: 'Applicant’s date of birth' },
  'progress.submit': { 'zh-TW': '查詢進度', en: 'Check' },
  'progress.notFound': {
    'zh-TW': '查無符合的申請。請確認申請編號與生日是否正確。',
    en: 'No application matches. Check the number and the date of birth.',
  },
  'progress.notYet': { 'zh-TW': '尚未審核', en: 'Not yet' },

  'resubmit.title': { 'zh-TW': '修改並重新送出：申請 {number}', en: 'Correct and resend application {number}' },
  'resubmit.lead': {
    'zh-TW': '請依審核人員的說明修改後重新送出。同一件申請會回到「待審核」，之前的審核紀錄都會保留。',
    en: 'Correct the application as the reviewer explains, then send it again. The same application goes back to pending; earlier decisions stay in its history.',
  },
  'resubmit.current': { 'zh-TW': '已送出的檔案', en: 'Files already sent' },
  'resubmit.currentHint': {
    'zh-TW': '要保留的檔案請保持勾選；取消勾選的檔案會被新上傳的檔案取代，不再送審。',
    en: 'Keep the files you want ticked; unticked files are replaced by what you upload and are not reviewed again.',
  },
  'resubmit.keep': { 'zh-TW': '保留 {file}', en: 'Keep {file}' },
  'resubmit.newFiles': { 'zh-TW': '上傳新檔案', en: 'Upload new files' },
  'resubmit.submit': { 'zh-TW': '重新送出', en: 'Resend' },
  'resubmit.fixed': {
    'zh-TW': '申請對象不能修改；要申請其他收容人，請另外提出申請。',
    en: 'The inmate cannot be changed; to apply for another inmate, make a new application.',
  },
  'resubmit.notRejected': {
    'zh-TW': '這件申請目前不是「審核未通過」，不需要修改。',
    en: 'This application is not rejected, so there is nothing to correct.',
  },

  'error.upload.empty': {
    'zh-TW': '「{file}」是空的檔案，請重新選擇',
    en: 'The selected file “{file}” is empty. Choose another file',
  },
  'error.upload.type': {
    'zh-TW': '「{file}」必須是 PDF、PNG、JPG 或 JPEG 檔',
    en: 'The selected file “{file}” must be a PDF, PNG, JPG or JPEG',
  },
  'error.upload.photoType': {
    'zh-TW': '「{file}」必須是 PNG、JPG 或 JPEG 照片',
    en: 'The selected photo “{file}” must be a PNG, JPG or JPEG',
  },
  'error.upload.unreadable': {
    'zh-TW': '「{file}」無法讀取，檔案可能已損壞，請重新選擇',
    en: 'The selected file “{file}” could not be read. It may be damaged; choose it again',
  },
  'error.upload.tooLarge': {
    'zh-TW': '檔案合計不可超過 {limit} MB，目前為 {total} MB',
    en: 'The files must be {limit} MB or less in total; they are {total} MB',
  },
  'error.upload.quota': {
    'zh-TW': '未送出表單中的檔案合計不可超過 {limit} MB，請先送出或移除部分檔案',
    en: 'Files in unsent forms must be {limit} MB or less in total. Send or remove some first',
  },
  'error.upload.tooMany': {
    'zh-TW': '檔案太多：每一項最多 10 個檔案',
    en: 'Too many files: up to 10 for each document',
  },
  'error.callNumber.format': { 'zh-TW': '呼號請輸入 4 或 6 碼數字', en: 'Enter the call number as 4 or 6 digits' },
  'error.callNumber.unknown': {
    'zh-TW': '在這個機關找不到這個呼號，請確認機關與呼號',
    en: 'No one with this call number is held at this institution. Check the institution and the number',
  },
  'error.institution.required': { 'zh-TW': '請選擇矯正機關', en: 'Choose the institution' },
  'error.relationship.required': {
    'zh-TW': '請選擇您與收容人的關係',
    en: 'Choose your relationship to the person in custody',
  },
  'error.visitKinds.required': { 'zh-TW': '請至少勾選一種接見方式', en: 'Choose at least one kind of visit' },
  'error.mobileVisit.noMobile': {
    'zh-TW': '行動接見需要手機號碼：請先到「修改個人資料」填寫手機',
    en: 'Video visits from your phone need a mobile number: add it in “Your details” first',
  },
  'error.documents.identity': { 'zh-TW': '請至少上傳 1 份身分證明文件', en: 'Upload at least 1 proof of identity' },
  'error.documents.relationship': {
    'zh-TW': '請至少上傳 1 份關係證明文件',
    en: 'Upload at least 1 proof of your relationship',
  },
  'error.documents.mandate': { 'zh-TW': '請至少上傳 1 份訴訟委任文件', en: 'Upload at least 1 litigation mandate' },
  'error.documents.photo': {
    'zh-TW': '行動接見請上傳 1 張清楚的正面照片',
    en: 'Upload 1 clear photo of your face for video visits from your phone',
  },
  'error.application.contactBookTaken': {
    'zh-TW': '這位收容人的家庭聯絡簿已由其他家屬申請（每位收容人限 1 戶）',
    en: 'Another family already holds or has asked for this person’s family contact book (one household per person)',
  },
  'error.application.alreadyPending': {
    'zh-TW': '您已申請過這項服務，正在等候審核',
    en: 'You have already applied for this service; it is waiting for review',
  },
  'error.application.formUsed': {
    'zh-TW': '這份表單已經送出過。頁面已更新，請重新確認後再送出。',
    en: 'This form has already been sent. The page has been refreshed: check it and send it again.',
  },
  'error.progress.number': {
    'zh-TW': '申請編號格式不正確，例如 20261123-7K3M9Q',
    en: 'Enter the application number in the right format, like 20261123-7K3M9Q',
  },
} satisfies Record<string, Record<Locale, string>>;
