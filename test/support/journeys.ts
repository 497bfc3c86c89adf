import * as assert from 'uvu/assert';
import type { RegistrationInput } from '../../domain/applicants/registration.ts';
import { Client, textOf } from './http.ts';
import { linkIn, type SmtpSink } from './smtp-sink.ts';

/** A person registering: the registration form's fields. */
export type Person = RegistrationInput;

// Valid national ID numbers, computed outside this project's code from the published rule
// (area letter code split in two digits weighted 1 and 9, then 8…1, then the check digit).
export const VALID_IDS = [
  'A152601814',
  'A259083012',
  'B166131862',
  'B209139097',
  'E196030826',
  'E246281946',
  'F182199359',
  'F218190931',
  'H178657975',
  'H254323198',
  'K148757491',
  'K211862527',
  'Q176018958',
  'Q255979716',
  'T114710490',
  'T274650757',
];

let counter = 0;
export function person(overrides: Partial<Person> = {}): Person {
  counter += 1;
  return {
    name: '測試者',
    nationalId: VALID_IDS[counter % VALID_IDS.length]!,
    email: `person${counter}-${Date.now()}@example.com`,
    birthYear: '1980',
    birthMonth: '3',
    birthDay: '14',
    mobile: '0912-345-678',
    phone: '',
    password: 'correct horse battery',
    passwordConfirm: 'correct horse battery',
    ...overrides,
  };
}

/** Consent, then the registration form; returns the response to the form post. */
export async function submitRegistration(c: Client, p: Person) {
  await c.get('/register');
  const consent = await c.post('/register', { consent: 'yes' });
  assert.is(consent.status, 303);
  await c.get('/register/details');
  return c.post('/register/details', { ...p });
}

/** Registers, follows the link from the real mail, and signs in. */
export async function registerVerifyAndSignIn(c: Client, smtp: SmtpSink, p: Person): Promise<void> {
  const res = await submitRegistration(c, p);
  assert.is(res.status, 303, `registration accepted (got ${res.status})`);
  const mail = await smtp.waitFor((m) => m.to.includes(p.email) && /驗證|Confirm/.test(m.text + m.subject));
  const link = linkIn(mail, `${c.base}/account/verify`);
  const verified = await c.get(link);
  assert.is(verified.status, 200);
  await c.get('/signin');
  const signin = await c.post('/signin', { email: p.email, password: p.password });
  assert.is(signin.status, 303, 'signed in');
}

const ZH_DIGITS = '零一二三四五六七八九';

/**
 * Signs in to the back office as a screen-reader user would: asks for the text code (digits read
 * out as words), types it as digits. Returns the response to the sign-in post.
 */
export async function staffSignIn(
  c: Client,
  account: string,
  password: string,
  /** beforePost: a step between reading the (zh-TW) sign-in page and sending it, such as a language switch */
  opts: { wrongCaptcha?: boolean; beforePost?: () => Promise<unknown> } = {},
) {
  const page = await c.get('/backoffice/signin?captcha=text');
  const words = /請以阿拉伯數字輸入：([零一二三四五六七八九 ]+)/.exec(textOf(page.text))?.[1];
  assert.ok(words, 'the text code is on the page');
  const digits = words!
    .trim()
    .split(' ')
    .map((w) => ZH_DIGITS.indexOf(w))
    .join('');
  const captchaId = /name="captchaId" value="([^"]+)"/.exec(page.text)![1]!;
  await opts.beforePost?.();
  return c.post('/backoffice/signin', {
    account,
    password,
    captchaId,
    captcha: opts.wrongCaptcha ? [...digits].map((n) => (Number(n) + 1) % 10).join('') : digits,
    captchaMode: 'text',
  });
}
