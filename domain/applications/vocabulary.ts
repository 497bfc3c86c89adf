import type { MessageKey } from '../i18n/i18n.ts';

/** Service applications (服務項目申請): what may be applied for, by whom, with which documents. */

export type Service = 'contact_book' | 'visit' | 'lawyer_visit';
export type VisitKind = 'onsite' | 'remote' | 'mobile';
export type ApplicationStatus = 'pending' | 'approved' | 'rejected' | 'auto_approved' | 'cancelled';
export type DocumentKind = 'identity' | 'relationship' | 'mandate' | 'photo';
export const SERVICES: readonly Service[] = ['contact_book', 'visit', 'lawyer_visit'];
export const VISIT_KINDS: readonly VisitKind[] = ['onsite', 'remote', 'mobile'];

// Seed 000 §一: spouse, lineal relatives, collateral within 3 degrees, in-laws within 2, household
// members; public bodies and care organisations as a special case.
export const FAMILY_RELATIONSHIPS = [
  'spouse',
  'father',
  'mother',
  'child',
  'sibling',
  'grandparent',
  'grandchild',
  'in_law',
  'collateral_relative',
  'household_member',
  'agency_worker',
] as const;

export const LAWYER_RELATIONSHIPS = [
  'lawyer',
  'defender',
  'trainee_lawyer',
  'litigation_agent',
  'interpreter',
] as const;

export type Relationship = (typeof FAMILY_RELATIONSHIPS)[number] | (typeof LAWYER_RELATIONSHIPS)[number];

/** Total size of the files of one application, as uploaded (seeds 001, 003 and 002). */
export const UPLOAD_LIMIT_MB: Record<Service, number> = { contact_book: 30, visit: 20, lawyer_visit: 30 };

export const REQUIRED_DOCUMENTS: Record<Service, DocumentKind[]> = {
  contact_book: ['identity', 'relationship'],
  visit: ['identity', 'relationship'],
  lawyer_visit: ['identity', 'mandate'],
};

/** The document kinds a form asks for: the required ones, and for visits the photo (needed for mobile visits). */
export function documentKindsFor(service: Service): DocumentKind[] {
  return service === 'visit' ? [...REQUIRED_DOCUMENTS.visit, 'photo'] : REQUIRED_DOCUMENTS[service];
}

export function relationshipsFor(service: Service): readonly Relationship[] {
  return service === 'lawyer_visit' ? LAWYER_RELATIONSHIPS : FAMILY_RELATIONSHIPS;
}

/** Form fields; each document kind has its own file field, e.g. identityFiles. */
export type ApplicationField =
  'form' | 'institution' | 'callNumber' | 'relationship' | 'visitKinds' | `${DocumentKind}Files` | 'files';

export type FieldProblem = { key: MessageKey; params?: Record<string, string | number> };
export const STATUSES: readonly ApplicationStatus[] = ['pending', 'approved', 'rejected', 'auto_approved', 'cancelled'];

/** Common reasons offered to a reviewer; the text stored is what the applicant reads. */
export const REJECTION_REASONS = [
  'identityUnreadable',
  'relationshipMissing',
  'mandateMissing',
  'photoUnclear',
  'wrongInmate',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];
