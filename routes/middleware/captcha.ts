import type { Request } from 'express';
import { randomInt } from 'node:crypto';
import svgCaptcha from 'svg-captcha';

// The README documents svgCaptcha(text, options), drawing a given text; its typings only declare create().
const drawText = svgCaptcha as unknown as (text: string, options: { width: number; height: number; fontSize: number; noise: number; background: string }) => string;

declare module 'express-session' {
  interface SessionData {
    /** The back office sign-in's current captcha: its answer, which form it takes, and when it was issued. */
    captcha?: { answer: string; mode: CaptchaMode; issuedAt: number };
  }
}

/**
 * Seed 002's staff sign-in asks for a captcha (驗證碼). The picture (svg-captcha draws the characters
 * as distorted paths, with no text a script could read) has an accessible alternative: the same kind
 * of code, read out as number words a screen reader speaks ("五 三 八 二"), to be typed as digits.
 * Either way the answer lives only in the server-side session, is used once, and expires.
 */
export type CaptchaMode = 'image' | 'text';
export const CAPTCHA_MINUTES = 10;

// No 0/O, 1/I/L: characters that cannot be confused with one another (the seed shows "5K2T").
const IMAGE_CHARS = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const EN_DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

export function issueCaptcha(req: Request, mode: CaptchaMode): void {
  const chars = mode === 'image' ? IMAGE_CHARS : '0123456789';
  const answer = Array.from({ length: mode === 'image' ? 4 : 5 }, () => chars[randomInt(chars.length)]).join('');
  req.session.captcha = { answer, mode, issuedAt: Date.now() };
}

/** The current captcha's picture (a new drawing of the same code each time it is asked for). */
export function captchaSvg(req: Request): string | null {
  const c = req.session.captcha;
  if (!c || c.mode !== 'image') return null;
  return drawText(c.answer, { width: 160, height: 56, fontSize: 56, noise: 2, background: '#ffffff' });
}

/** The accessible form of the current code: the digits as words in the page's language. */
export function captchaWords(req: Request, locale: string): string | null {
  const c = req.session.captcha;
  if (!c || c.mode !== 'text') return null;
  const words = locale === 'en' ? EN_DIGITS : ZH_DIGITS;
  return [...c.answer].map((d) => words[Number(d)]).join(' ');
}

/** Checks and uses up the current captcha: a second try always needs a new one. */
export function takeCaptcha(req: Request, given: string): boolean {
  const c = req.session.captcha;
  delete req.session.captcha;
  if (!c || Date.now() - c.issuedAt > CAPTCHA_MINUTES * 60_000) return false;
  // Full-width characters from a phone keyboard and lower case count as the same answer.
  const typed = given.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  return typed.length > 0 && typed === c.answer;
}
