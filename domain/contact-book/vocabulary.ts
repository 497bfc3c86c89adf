import type { MessageKey } from '../i18n/i18n.ts';
import type { StaffDecision } from '../shared/decisions.ts';

/**
 * The family contact book (家庭聯絡簿, 愛在雲端): an approved family member sends the inmate a short
 * note and one photo, reviewed by staff (seed 000 §三).
 */

/** The longest note, in characters as a person counts them. */
export const POST_TEXT_MAX = 150;

const graphemes = new Intl.Segmenter('zh-Hant', { granularity: 'grapheme' });

/**
 * Characters as a person counts them: one Chinese character, one letter with its accents, one emoji
 * (with skin tone, family joins or a flag) is one. A line break is one, whether the browser sent
 * CRLF or LF.
 */
export function countCharacters(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(normalizePostText(text))) n += 1;
  return n;
}

/** The note as stored: NFC, LF line breaks, no spaces around it. */
export function normalizePostText(text: string): string {
  return text.replace(/\r\n?/g, '\n').normalize('NFC').trim();
}

export const POST_TITLE_MAX = 30;

/** Rejections that suspend posting (seed 000 §三(四)), and for how long. */
export const REJECTIONS_BEFORE_SUSPENSION = 3;
export const SUSPENSION_MONTHS = 1;
export type PostField = 'recipient' | 'title' | 'body' | 'photo' | 'form';
export type PostProblem = { key: MessageKey; params?: Record<string, string | number> };
export type PostDecision = StaffDecision<PostRejectionReason>;

/** Common reasons for a post; the text stored is what the family reads, in their language. */
export const POST_REJECTION_REASONS = ['notFamily', 'unsafeContent', 'photoUnclear', 'codedMessage'] as const;
export type PostRejectionReason = (typeof POST_REJECTION_REASONS)[number];
export type PostStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';
export const POST_STATUSES: readonly PostStatus[] = ['pending', 'approved', 'rejected', 'cancelled'];
