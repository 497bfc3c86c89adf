/**
 * The settings several test files start from, built from the fixtures and journeys: the two seed
 * institutions, their staff, a family with an approved contact book, people signed in. Each returns
 * the keys or clients a test goes on with; what a test checks stays in the test.
 */
import * as assert from 'uvu/assert';
import type { TestApp } from './app.ts';
import * as fixture from './fixtures.ts';
import type { Db } from './fixtures.ts';
import { Client } from './http.ts';
import { person, registerVerifyAndSignIn, staffSignIn, type Person } from './journeys.ts';
import type { StaffRole } from '../../domain/shared/staff-actor.ts';
import type { Locale } from '../../domain/shared/locale.ts';

/** The password the back-office tests give their staff. */
export const STAFF_PASSWORD = 'staff password 1';

/** The reviewer of 2477 most back-office tests sign in as. */
export const REVIEWER_2477 = {
  account: 'reviewer2477',
  name: '桃園承辦人',
  institutionCode: '2477',
  role: 'reviewer',
} as const;

/** A weekly on-site batch of 30 minutes at 2477 (the institution must exist). Returns its id. */
export function onsiteBatch(db: Db, spec: { weekday: number; startsAt: string; capacity: number }): Promise<number> {
  return fixture.visitBatch(db, { institutionCode: '2477', kind: 'onsite', lengthMinutes: 30, ...spec });
}

/** The two institutions most tests use, 2477 and 2411, under their seed names. */
export async function twoInstitutions(db: Db): Promise<void> {
  await fixture.institution(db, { code: '2477' });
  await fixture.institution(db, { code: '2411' });
}

type StaffRow = readonly [account: string, name: string, institutionCode: string | null, role: StaffRole];

/** Staff accounts, one a row, all able to sign in with `password`. */
export async function staffAccounts(
  db: Db,
  rows: readonly StaffRow[],
  password: string = STAFF_PASSWORD,
): Promise<void> {
  for (const [account, name, institutionCode, role] of rows)
    await fixture.staff(db, { account, name, institutionCode, role, password });
}

/** The clients of the reviewers of 2477 and 2411 and of the agency administrator. */
export type ThreeStaff = { staff: Client; other: Client; agency: Client };

/** A new client signed in to the back office as `account` (the sign-in must succeed). */
export async function signedInStaff(url: string, account: string, password: string = STAFF_PASSWORD): Promise<Client> {
  const c = new Client(url);
  assert.is((await staffSignIn(c, account, password)).status, 303, `${account} signed in`);
  return c;
}

/** A new client signed in as the applicant with this e-mail (the sign-in must succeed). */
export async function signedInApplicant(url: string, email: string, password: string): Promise<Client> {
  const c = new Client(url);
  await c.get('/signin');
  assert.is((await c.post('/signin', { email, password })).status, 303, `${email} signed in`);
  return c;
}

/**
 * A terminal enrolled as a kiosk of the signed-in administrator's institution: the back office's link
 * (産生設定連結) opened and confirmed on a fresh client, which now carries the kiosk cookie.
 */
export async function enrolledKiosk(url: string, admin: Client, name: string): Promise<Client> {
  await admin.get('/backoffice/kiosks');
  const made = await admin.follow(await admin.post('/backoffice/kiosks', { name }));
  const token = /\/kiosk\/enrol\?token=([\w-]+)/.exec(made.text)?.[1];
  assert.ok(token, `the enrolment link of ${name}`);
  const terminal = new Client(url);
  await terminal.get(`/kiosk/enrol?token=${token}`);
  assert.is((await terminal.post('/kiosk/enrol', { token })).location, '/kiosk', `${name} enrolled`);
  return terminal;
}

/** Alice (and what she registered with) and Bob, each on a client of their own. */
export type AliceAndBob = { alicePerson: Person; alice: Client; bob: Client };

/** Alice and Bob, both registered through the pages, verified by mail and signed in. */
export async function aliceAndBob(app: TestApp): Promise<AliceAndBob> {
  const alicePerson = person();
  const alice = new Client(app.url);
  await registerVerifyAndSignIn(alice, app.smtp, alicePerson);
  const bob = new Client(app.url);
  await registerVerifyAndSignIn(bob, app.smtp, person());
  return { alicePerson, alice, bob };
}

/**
 * A family member with an approved contact book for an inmate: the applicant, the inmate (王小明,
 * call number 1024 at 2477 unless told) and the approved service. Returns the three ids.
 */
export async function familyWithContactBook(
  db: Db,
  spec: {
    name: string;
    nationalId: string;
    email: string;
    password?: string;
    locale?: Locale;
    institutionCode?: string;
    callNumber?: string;
    inmateName?: string;
    relationship?: 'mother' | 'spouse';
    /** the book's number; a fresh one if absent */
    number?: string;
  },
): Promise<{ applicant: number; inmate: number; book: number }> {
  const applicant = await fixture.applicant(db, {
    name: spec.name,
    nationalId: spec.nationalId,
    email: spec.email,
    ...(spec.password === undefined ? {} : { password: spec.password }),
    ...(spec.locale === undefined ? {} : { locale: spec.locale }),
  });
  const inmate = await fixture.inmate(db, {
    institutionCode: spec.institutionCode ?? '2477',
    callNumber: spec.callNumber ?? '1024',
    name: spec.inmateName ?? '王小明',
  });
  const book = await fixture.approvedService(db, {
    applicant,
    inmate,
    service: 'contact_book',
    relationship: spec.relationship ?? 'mother',
    ...(spec.number === undefined ? {} : { number: spec.number }),
  });
  return { applicant, inmate, book };
}

/** A suite's `before` that prints what went wrong in the set-up (uvu alone says little) and fails. */
export function loggingSetupErrors<C>(setUp: (ctx: C) => Promise<void>): (ctx: C) => Promise<void> {
  return async (ctx) => {
    try {
      await setUp(ctx);
    } catch (err) {
      console.error('SETUP', err);
      throw err;
    }
  };
}
