/** Words every area shares: services, visit kinds, relationships, restrictions, weekdays, review statuses and history. */
import type { Locale } from '../../shared/locale.ts';

export const vocabularyMessages = {
  'service.contact_book': { 'zh-TW': '家庭聯絡簿', en: 'Family contact book' },
  'service.visit': { 'zh-TW': '預約接見', en: 'Visit booking' },
  'service.lawyer_visit': { 'zh-TW': '律師接見', en: 'Lawyer visits' },

  'visitKind.onsite': { 'zh-TW': '現場接見', en: 'Visit in person' },
  'visitKind.remote': { 'zh-TW': '遠距接見', en: 'Video visit from a government site' },
  'visitKind.mobile': { 'zh-TW': '行動接見', en: 'Video visit from your phone' },

  'relationship.spouse': { 'zh-TW': '配偶', en: 'Spouse' },
  'relationship.father': { 'zh-TW': '父', en: 'Father' },
  'relationship.mother': { 'zh-TW': '母', en: 'Mother' },
  'relationship.child': { 'zh-TW': '子女', en: 'Child' },
  'relationship.sibling': { 'zh-TW': '兄弟姊妹', en: 'Brother or sister' },
  'relationship.grandparent': { 'zh-TW': '祖父母、外祖父母', en: 'Grandparent' },
  'relationship.grandchild': { 'zh-TW': '孫子女、外孫子女', en: 'Grandchild' },
  'relationship.in_law': { 'zh-TW': '姻親（二親等內）', en: 'In-law (up to the second degree)' },
  'relationship.collateral_relative': {
    'zh-TW': '旁系血親（三親等內）',
    en: 'Other relative (up to the third degree)',
  },
  'relationship.household_member': { 'zh-TW': '家長、家屬（同居親屬）', en: 'Member of the same household' },
  'relationship.agency_worker': {
    'zh-TW': '機關、機構人員（專案申請）',
    en: 'Worker of a public body or care organisation (special case)',
  },
  'relationship.lawyer': { 'zh-TW': '律師', en: 'Lawyer' },
  'relationship.defender': { 'zh-TW': '辯護人', en: 'Defender' },
  'relationship.trainee_lawyer': { 'zh-TW': '學習律師', en: 'Trainee lawyer' },
  'relationship.litigation_agent': { 'zh-TW': '訴訟代理人', en: 'Litigation agent' },
  'relationship.interpreter': { 'zh-TW': '通譯', en: 'Interpreter' },

  'restriction.visit_ban': {
    'zh-TW': '這位收容人目前經法院或檢察署禁止接見、通信，暫時無法申請。',
    en: 'A court or prosecutor has banned visits and letters for this person, so you cannot apply for now.',
  },
  'restriction.disciplinary_isolation': {
    'zh-TW': '這位收容人目前在違規處分或隔離調查期間，暫時無法申請。',
    en: 'This person is under a disciplinary measure or in isolation for an investigation, so you cannot apply for now.',
  },
  'restriction.protective_custody': {
    'zh-TW': '這位收容人目前在隔離保護期間，暫時無法申請。',
    en: 'This person is in protective custody, so you cannot apply for now.',
  },
  'restriction.medical_isolation': {
    'zh-TW': '這位收容人目前因疾病隔離，暫時無法申請。',
    en: 'This person is in medical isolation, so you cannot apply for now.',
  },

  'status.pending': { 'zh-TW': '待審核', en: 'Waiting for review' },
  'status.approved': { 'zh-TW': '審核通過', en: 'Approved' },
  'status.rejected': { 'zh-TW': '審核未通過', en: 'Not approved' },
  'status.auto_approved': { 'zh-TW': '自動審核通過', en: 'Approved automatically' },
  'status.delivered': { 'zh-TW': '已送達', en: 'Delivered' },

  'history.submitted': { 'zh-TW': '送出申請', en: 'Submitted' },
  'history.resubmitted': { 'zh-TW': '修改後重新送出', en: 'Corrected and resubmitted' },
  'history.approved': { 'zh-TW': '審核通過', en: 'Approved' },
  'history.rejected': { 'zh-TW': '審核未通過', en: 'Rejected' },
  'history.delivered': { 'zh-TW': '已送達收容人', en: 'Handed to the inmate' },

  'weekday.1': { 'zh-TW': '一', en: 'Mon' },
  'weekday.2': { 'zh-TW': '二', en: 'Tue' },
  'weekday.3': { 'zh-TW': '三', en: 'Wed' },
  'weekday.4': { 'zh-TW': '四', en: 'Thu' },
  'weekday.5': { 'zh-TW': '五', en: 'Fri' },
  'weekday.6': { 'zh-TW': '六', en: 'Sat' },
  'weekday.7': { 'zh-TW': '日', en: 'Sun' },
} satisfies Record<string, Record<Locale, string>>;
