/**
 * What the three browser files of visit booking share (family, lawyer, staff; each runs in a process of
 * its own): the four runs (JavaScript off and on, phone and kiosk), the institution with its batches,
 * per run an inmate with a mother, a sibling and a lawyer approved for it, and the steps of the wizard.
 */
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './app.ts';
import { checkPage, followMenu, KIOSK, launchBrowser, PHONE } from './browser.ts';
import { person, type Person } from './journeys.ts';
import * as make from './fixtures.ts';
import { translator } from '../../domain/i18n/i18n.ts';
import { bookVisit } from '../../domain/bookings/booking.ts';
export { KIOSK, PHONE };

/** Monday 2026-11-23 10:00 in Taipei: bookable dates are Wednesday 11-25 to Monday 11-30. */
export const NOW = new Date('2026-11-23T10:00:00+08:00');
export const t = translator('zh-TW');
export const STAFF_PASSWORD = 'staff password 1';
export const INSTITUTION = '桃園女子監獄';

// One inmate per run (an inmate has one visit at a time) and one visit date per run, so each run's
// batch has all its places, and each run's rosters hold only its own bookings.
export const RUNS = [
  {
    name: 'bookings-js-off-phone',
    javaScriptEnabled: false,
    viewport: PHONE,
    callNumber: '1024',
    inmate: '王小明',
    date: '2026-11-25',
    weekday: '三',
  },
  {
    name: 'bookings-js-on-phone',
    javaScriptEnabled: true,
    viewport: PHONE,
    callNumber: '2048',
    inmate: '林美華',
    date: '2026-11-26',
    weekday: '四',
  },
  {
    name: 'bookings-js-off-kiosk',
    javaScriptEnabled: false,
    viewport: KIOSK,
    callNumber: '3072',
    inmate: '陳志強',
    date: '2026-11-27',
    weekday: '五',
  },
  {
    name: 'bookings-js-on-kiosk',
    javaScriptEnabled: true,
    viewport: KIOSK,
    callNumber: '4096',
    inmate: '李四',
    date: '2026-11-30',
    weekday: '一',
  },
];
export type Run = (typeof RUNS)[number];
// The family takes the afternoon batch (the third of the day: 09:00, 09:30, 14:00); the lawyer arrives
// at 09:30 and holds the inmate for an hour, so the two visits never meet.
export const FAMILY_BATCH = { ordinal: 3, start: '14:00', end: '14:30' };
export const LAWYER_ARRIVAL = '09:30';
export const CAPACITY = 5;
export const NAMES = { mother: '陳美玲', sibling: '林志明', lawyer: '吳律師' };
/** Masked as the family sees the inmate and the people they may bring: the first character, then ○ for each of the rest. */
export const MASKED = {
  inmate: (name: string) => name[0] + '○'.repeat(Math.max([...name].length - 1, 1)),
  sibling: '林○○',
};
/** An ID number as staff see it: only the last 4 characters. */
export const maskedId = (id: string) => '*'.repeat(id.length - 4) + id.slice(-4);
/** 2026/11/25（三）: the run's visit date as the pages write it. */
export const dayOf = (run: Run) =>
  t('booking.dateWithWeekday', { date: run.date.replace(/-/g, '/'), weekday: run.weekday });
export const inmateOptionOf = (run: Run) =>
  t('booking.inmate.option', { inmate: MASKED.inmate(run.inmate), institution: INSTITUTION });

export type People = {
  mother: Person & { id: number };
  sibling: Person & { id: number };
  lawyer: Person & { id: number };
};
export type BookingCtx = {
  app: TestApp;
  browser: Browser;
  people: People[];
  inmates: number[];
  batches: Map<string, number>;
  staffId: number;
};

/**
 * The app on the fixed clock and the shared Chromium; institution 2477 with on-site batches at 09:00,
 * 09:30 and 14:00 Monday to Friday; a reviewer; per run an inmate, and a mother, a sibling (on-site
 * visits) and a lawyer (lawyer visits) approved for that inmate, able to sign in.
 */
export async function setUpBookings(ctx: BookingCtx): Promise<void> {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp({ clock: () => new Date(NOW) }), launchBrowser()]);
  const db = ctx.app.db.pool;
  await make.institution(db, { code: '2477', nameZh: INSTITUTION });
  ctx.inmates = [];
  for (const run of RUNS)
    ctx.inmates.push(await make.inmate(db, { institutionCode: '2477', callNumber: run.callNumber, name: run.inmate }));
  ctx.batches = new Map();
  for (let weekday = 1; weekday <= 5; weekday++) {
    for (const startsAt of ['09:00', '09:30', '14:00']) {
      const id = await make.visitBatch(db, {
        institutionCode: '2477',
        kind: 'onsite',
        weekday,
        startsAt,
        lengthMinutes: 30,
        capacity: CAPACITY,
      });
      ctx.batches.set(`${weekday} ${startsAt}`, id);
    }
  }
  ctx.staffId = await make.staff(db, {
    account: 'reviewer2477',
    name: '桃園承辦人',
    institutionCode: '2477',
    role: 'reviewer',
    password: STAFF_PASSWORD,
  });
  ctx.people = [];
  for (const [index, run] of RUNS.entries()) {
    const registered = async (name: string) => {
      const p = person({ name });
      const id = await make.applicant(db, {
        name,
        nationalId: p.nationalId,
        email: p.email,
        mobile: p.mobile.replace(/-/g, ''),
        password: p.password,
      });
      return { ...p, id };
    };
    const people = {
      mother: await registered(NAMES.mother),
      sibling: await registered(NAMES.sibling),
      lawyer: await registered(NAMES.lawyer),
    };
    ctx.people.push(people);
    const grants = [
      [people.mother, 'visit', ['onsite'], 'mother', 'M'],
      [people.sibling, 'visit', ['onsite'], 'sibling', 'S'],
      [people.lawyer, 'lawyer_visit', [], 'lawyer', 'L'],
    ] as const;
    for (const [who, service, visitKinds, relationship, letter] of grants)
      await make.approvedService(db, {
        applicant: who.id,
        inmate: { institutionCode: '2477', callNumber: run.callNumber },
        service,
        visitKinds: [...visitKinds],
        relationship,
        number: `20261101-BK${index}${letter}00`,
      });
  }
}

/**
 * The run's two bookings made as the wizard makes them (the family's and the lawyer's files walk the
 * wizard itself): the mother with the sibling in the afternoon batch, the lawyer arriving at 09:30.
 */
export async function bookRun(ctx: BookingCtx, index: number): Promise<{ familyNumber: string; lawyerNumber: string }> {
  const run = RUNS[index]!;
  const { mother, sibling, lawyer } = ctx.people[index]!;
  const weekday = new Date(`${run.date}T00:00:00Z`).getUTCDay();
  const common = { inmateId: ctx.inmates[index]!, date: run.date, reason: '' };
  const family = await bookVisit(
    ctx.app.db.pool,
    {
      ...common,
      submissionKey: randomUUID(),
      bookerId: mother.id,
      service: 'visit',
      kind: 'onsite',
      batchId: ctx.batches.get(`${weekday} ${FAMILY_BATCH.start}`)!,
      arrivalTime: null,
      companionIds: [sibling.id],
    },
    NOW,
  );
  const counsel = await bookVisit(
    ctx.app.db.pool,
    {
      ...common,
      submissionKey: randomUUID(),
      bookerId: lawyer.id,
      service: 'lawyer_visit',
      kind: 'onsite',
      batchId: null,
      arrivalTime: LAWYER_ARRIVAL,
      companionIds: [],
    },
    NOW,
  );
  assert.ok(family.kind === 'booked' && counsel.kind === 'booked', JSON.stringify([family, counsel]));
  return {
    familyNumber: (family as { number: string }).number,
    lawyerNumber: (counsel as { number: string }).number,
  };
}

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The value of one row of a summary list (<dl class="summary-list">), found by its exact term. */
export async function summaryValue(page: Page, term: string): Promise<string> {
  const row = page
    .getByRole('main')
    .locator('dl.summary-list > div')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${escapeRegExp(term)}$`) }) });
  assert.is(await row.count(), 1, `one summary row “${term}”`);
  return (await row.locator('dd').first().innerText()).trim();
}

/** The steps every journey of a run takes: axe and no sideways scrolling, the menu, signing in, the wizard. */
export function journeySteps(run: Run) {
  const phone = run.viewport === PHONE;
  const checked = (page: Page, label: string) => checkPage(page, `${run.name}: ${label}`, phone);
  const menu = (page: Page, label: string) => followMenu(page, label, phone);
  const signIn = async (page: Page, who: Person) => {
    await page.goto('/signin');
    await page.getByLabel(t('signin.email')).fill(who.email);
    await page.getByLabel(t('field.password'), { exact: true }).fill(who.password);
    await page.getByRole('button', { name: t('signin.submit') }).click();
    await page.waitForURL('**/account');
  };
  /** The wizard's steps: the heading, where the person is, and axe. */
  const atStep = async (
    page: Page,
    step: 'kind' | 'inmate' | 'companions' | 'slot' | 'confirm',
    title: string,
    label: string,
  ) => {
    await page.waitForURL((u) => u.pathname === `/bookings/new/${step}`);
    const main = page.getByRole('main');
    await main.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
    assert.is((await main.locator('[aria-current="step"]').innerText()).trim(), t(`booking.step.${step}`));
    await checked(page, label);
  };
  const next = (page: Page) =>
    page
      .getByRole('main')
      .getByRole('button', { name: t('booking.next'), exact: true })
      .click();
  const previous = (page: Page) =>
    page
      .getByRole('main')
      .getByRole('link', { name: t('booking.previous'), exact: true })
      .click();
  /** Presses 確認 and reads the booking number off the confirmation. */
  const confirmBooking = async (page: Page, who: string) => {
    const main = page.getByRole('main');
    await main.getByRole('button', { name: t('booking.confirm.submit'), exact: true }).click();
    await page.waitForURL(/\/bookings\/\d+\?booked=1$/);
    await main
      .getByRole('status')
      .getByRole('heading', { level: 1, name: t('booking.show.booked'), exact: true })
      .waitFor();
    const number = /預約編號：(V\d{8}-[0-9A-Z]{6})/.exec(await main.innerText())?.[1];
    assert.ok(number, `${who}: a booking number on the confirmation`);
    assert.match(await main.innerText(), t('status.pending'));
    await checked(page, `${who}: booked`);
    return number!;
  };
  return { phone, checked, menu, signIn, atStep, next, previous, confirmBooking };
}
