import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import {
  launchBrowser,
  newContext,
  withScreenshotOnFailure,
  checkPage,
  followMenu,
  staffSignInPage,
} from '../support/browser.ts';
import { Client } from '../support/http.ts';
import { person, registerVerifyAndSignIn, type Person } from '../support/journeys.ts';
import { hashPassword } from '../../domain/platform/passwords.ts';
import { translator } from '../../domain/i18n/i18n.ts';

/** Monday 2026-11-23 10:00 in Taipei: bookable dates are Wednesday 11-25 to Monday 11-30. */
const NOW = new Date('2026-11-23T10:00:00+08:00');

type People = { mother: Person; sibling: Person; lawyer: Person };
type Ctx = { app: TestApp; browser: Browser; people: People[] };
const test = suite<Ctx>('browser: booking visits, family and lawyer, staff approval and the rosters (issue 5)');
const t = translator('zh-TW');
const STAFF_PASSWORD = 'staff password 1';
const INSTITUTION = '桃園女子監獄';

const PHONE = { width: 360, height: 640 };
const KIOSK = { width: 1080, height: 1920 };
// One inmate per run (an inmate has one visit at a time) and one visit date per run, so each run's
// batch has all its places, and each run's rosters hold only its own bookings.
const RUNS = [
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
// The family takes the afternoon batch (the third of the day: 09:00, 09:30, 14:00); the lawyer arrives
// at 09:30 and holds the inmate for an hour, so the two visits never meet.
const FAMILY_BATCH = { ordinal: 3, start: '14:00', end: '14:30' };
const LAWYER_ARRIVAL = '09:30';
const CAPACITY = 5;
const NAMES = { mother: '陳美玲', sibling: '林志明', lawyer: '吳律師' };
/** Masked as the family sees the inmate and the people they may bring: the first character, then ○ for each of the rest. */
const MASKED = { inmate: (name: string) => name[0] + '○'.repeat(Math.max([...name].length - 1, 1)), sibling: '林○○' };
/** An ID number as staff see it: only the last 4 characters. */
const maskedId = (id: string) => '*'.repeat(id.length - 4) + id.slice(-4);

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp({ clock: () => new Date(NOW) }), launchBrowser()]);
  const { pool } = ctx.app.db;
  await pool.query(
    `INSERT INTO institution (code, name_zh, name_en) VALUES ('2477', '${INSTITUTION}', 'Taoyuan Women''s Prison')`,
  );
  for (const run of RUNS)
    await pool.query(`INSERT INTO inmate (institution_code, call_number, name) VALUES ('2477', $1, $2)`, [
      run.callNumber,
      run.inmate,
    ]);
  for (let weekday = 1; weekday <= 5; weekday++) {
    for (const at of ['09:00', '09:30', '14:00']) {
      await pool.query(
        `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity) VALUES ('2477', 'onsite', $1, $2, 30, $3)`,
        [weekday, at, CAPACITY],
      );
    }
  }
  await pool.query(
    `INSERT INTO staff (account, name, institution_code, role, password_hash) VALUES ('reviewer2477', '桃園承辦人', '2477', 'reviewer', $1)`,
    [await hashPassword(STAFF_PASSWORD)],
  );
  // Per run: a mother and a sibling with an approved on-site visit service for the run's inmate, and
  // a lawyer with an approved lawyer visit service for the same inmate.
  ctx.people = RUNS.map(() => ({
    mother: person({ name: NAMES.mother }),
    sibling: person({ name: NAMES.sibling }),
    lawyer: person({ name: NAMES.lawyer }),
  }));
  await Promise.all(
    ctx.people
      .flatMap((p) => [p.mother, p.sibling, p.lawyer])
      .map((p) => registerVerifyAndSignIn(new Client(ctx.app.url), ctx.app.smtp, p)),
  );
  for (const [index, run] of RUNS.entries()) {
    const grants: [Person, string, string[], string, string][] = [
      [ctx.people[index]!.mother, 'visit', ['onsite'], 'mother', 'M'],
      [ctx.people[index]!.sibling, 'visit', ['onsite'], 'sibling', 'S'],
      [ctx.people[index]!.lawyer, 'lawyer_visit', [], 'lawyer', 'L'],
    ];
    for (const [who, service, kinds, relationship, letter] of grants) {
      const { rowCount } = await pool.query(
        `INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship, submission_key, submitted_at, status, decided_at)
         SELECT $1, a.id, m.id, '2477', $2, $3, $4, $5, now(), 'approved', now()
           FROM applicant a, inmate m WHERE a.email = $6 AND m.institution_code = '2477' AND m.call_number = $7`,
        [`20261101-BK${index}${letter}00`, service, kinds, relationship, randomUUID(), who.email, run.callNumber],
      );
      assert.is(rowCount, 1, `the approved ${service} service of the ${relationship}`);
    }
  }
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The value of one row of a summary list (<dl class="summary-list">), found by its exact term. */
async function summaryValue(page: Page, term: string): Promise<string> {
  const row = page
    .getByRole('main')
    .locator('dl.summary-list > div')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${escapeRegExp(term)}$`) }) });
  assert.is(await row.count(), 1, `one summary row “${term}”`);
  return (await row.locator('dd').first().innerText()).trim();
}

RUNS.forEach((run, index) => {
  const phone = run.viewport === PHONE;
  test(`a family books with a companion, a lawyer books an arrival time, staff approve both, mails, rosters print, 審核通過 (${run.name})`, async (ctx) => {
    const { app } = ctx;
    const { mother, sibling, lawyer } = ctx.people[index]!;
    const day = t('booking.dateWithWeekday', { date: run.date.replace(/-/g, '/'), weekday: run.weekday });
    const inmateOption = t('booking.inmate.option', { inmate: MASKED.inmate(run.inmate), institution: INSTITUTION });
    const opts = { javaScriptEnabled: run.javaScriptEnabled, viewport: run.viewport, baseURL: app.url };
    const [familyContext, lawyerContext, staffContext] = await Promise.all([
      newContext(ctx.browser, opts),
      newContext(ctx.browser, opts),
      newContext(ctx.browser, opts),
    ]);
    const family = await familyContext.newPage();
    const counsel = await lawyerContext.newPage();
    const staff = await staffContext.newPage();
    const staffMain = staff.getByRole('main');

    /** axe on every page, and at phone size no sideways scrolling. */
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

    try {
      // ---- 1. The mother books an on-site visit with her son as the second visitor ----
      const familyNumber = await withScreenshotOnFailure(family, `${run.name}-family`, async () => {
        const main = family.getByRole('main');
        await signIn(family, mother);
        await checked(family, 'account');
        await menu(family, t('nav.bookingNew'));
        await atStep(family, 'kind', t('booking.kind.title'), 'kind');
        const onsite = main.getByRole('radio', { name: new RegExp(`^${t('visitKind.onsite')}`) });
        assert.is(await main.getByRole('radio').count(), 1, 'only the kind she is approved for');
        await onsite.check();
        await next(family);

        await atStep(family, 'inmate', t('booking.inmate.title'), 'inmate');
        const inmate = main.getByRole('radio', { name: new RegExp(`^${escapeRegExp(inmateOption)}`) });
        assert.ok(await inmate.isChecked(), 'the only inmate is chosen already');
        assert.match(
          await main.innerText(),
          t('booking.inmate.relationship', { relationship: t('relationship.mother') }),
        );
        await next(family);

        await atStep(family, 'companions', t('booking.companions.title'), 'companions');
        const companionName = t('booking.companions.person', {
          name: MASKED.sibling,
          relationship: t('relationship.sibling'),
        });
        const companion = main.getByRole('checkbox', { name: companionName, exact: true });
        assert.is(await main.getByRole('checkbox').count(), 1, 'the other family member only (not the lawyer)');
        assert.not.match(await main.innerText(), NAMES.sibling, 'the companion’s full name is not shown');
        await companion.check();
        await next(family);

        await atStep(family, 'slot', t('booking.slot.title'), 'slot grid');
        // 上一步 goes back with the companion still ticked, and 下一步 comes back to the grid.
        await previous(family);
        await atStep(family, 'companions', t('booking.companions.title'), 'companions again');
        assert.ok(await companion.isChecked(), 'the companion is still ticked after 上一步');
        await next(family);
        await atStep(family, 'slot', t('booking.slot.title'), 'slot grid again');

        const grid = main.getByRole('table', { name: t('booking.slot.gridCaption', { kind: t('visitKind.onsite') }) });
        await grid.waitFor();
        const batchLabel = `${day} ${t('booking.slot.batchName', { n: FAMILY_BATCH.ordinal, time: `${FAMILY_BATCH.start}–${FAMILY_BATCH.end}` })}`;
        const slot = family.getByLabel(batchLabel);
        assert.is(await slot.count(), 1, `one radio for ${batchLabel}`);
        assert.is(
          await grid
            .getByRole('radio', { name: `${batchLabel} ${t('booking.slot.remaining', { n: CAPACITY })}`, exact: true })
            .count(),
          1,
          'with the places left',
        );
        assert.is(
          await grid
            .getByRole('radio', {
              name: new RegExp(`^${escapeRegExp(t('booking.dateWithWeekday', { date: '2026/11/24', weekday: '二' }))}`),
            })
            .count(),
          0,
          'tomorrow is not offered',
        );
        await slot.check();
        await next(family);

        await atStep(family, 'confirm', t('booking.confirm.title'), 'confirm');
        // 上一步 from the summary goes back to the grid with the batch still chosen.
        await previous(family);
        await atStep(family, 'slot', t('booking.slot.title'), 'slot grid with the batch chosen');
        assert.ok(await slot.isChecked(), 'the batch is still chosen after 上一步');
        await next(family);
        await atStep(family, 'confirm', t('booking.confirm.title'), 'confirm again');

        assert.is(await summaryValue(family, t('booking.confirm.kind')), t('visitKind.onsite'));
        const when = await summaryValue(family, t('booking.confirm.when'));
        assert.match(when, t('booking.whenBatch', { date: day, start: FAMILY_BATCH.start, end: FAMILY_BATCH.end }));
        assert.match(when, t('booking.confirm.batch', { n: FAMILY_BATCH.ordinal }));
        assert.is(await summaryValue(family, t('booking.confirm.inmate')), inmateOption);
        assert.is(
          await summaryValue(family, t('booking.confirm.applicant')),
          t('booking.confirm.applicantValue', { name: NAMES.mother, relationship: t('relationship.mother') }),
        );
        // Once chosen, a companion is named in full (issue 11.12): the list of choices masks.
        assert.is(await summaryValue(family, t('booking.confirm.second')), NAMES.sibling);
        assert.is(await summaryValue(family, t('booking.confirm.third')), t('booking.none'));
        assert.is(await summaryValue(family, t('booking.confirm.reason')), t('booking.confirm.reasonNotNeeded'));
        return confirmBooking(family, 'family');
      });

      // ---- 2. The lawyer books an on-site visit by date and arrival time ----
      const lawyerNumber = await withScreenshotOnFailure(counsel, `${run.name}-lawyer`, async () => {
        const main = counsel.getByRole('main');
        await signIn(counsel, lawyer);
        await menu(counsel, t('nav.bookingNew'));
        await atStep(counsel, 'kind', t('booking.kind.title'), 'lawyer: kind');
        await main.getByRole('radio', { name: new RegExp(`^${t('visitKind.onsite')}`) }).check();
        await next(counsel);

        await atStep(counsel, 'inmate', t('booking.inmate.title'), 'lawyer: inmate');
        assert.ok(
          await main.getByRole('radio', { name: new RegExp(`^${escapeRegExp(inmateOption)}`) }).isChecked(),
          'the only inmate is chosen already',
        );
        await next(counsel);

        await atStep(counsel, 'companions', t('booking.companions.title'), 'lawyer: companions');
        assert.match(
          await main.innerText(),
          t('booking.companions.none'),
          'no other lawyer for this inmate, and never the family',
        );
        await next(counsel);

        await atStep(counsel, 'slot', t('booking.slot.title'), 'lawyer: date and arrival time');
        const bands = main.getByRole('table', { name: t('booking.slot.bandsCaption') });
        await bands.waitFor();
        await bands.getByRole('columnheader', { name: '09:00–10:00', exact: true }).waitFor();
        await bands.getByRole('rowheader', { name: day, exact: true }).waitFor();
        assert.match(await main.innerText(), t('booking.slot.lawyerNote'));
        await main.getByRole('radio', { name: day, exact: true }).check();
        await counsel.getByLabel(t('booking.slot.arrival'), { exact: true }).selectOption(LAWYER_ARRIVAL);
        await next(counsel);

        await atStep(counsel, 'confirm', t('booking.confirm.title'), 'lawyer: confirm');
        assert.is(await summaryValue(counsel, t('booking.confirm.kind')), t('visitKind.onsite'));
        assert.is(
          await summaryValue(counsel, t('booking.confirm.when')),
          t('booking.whenArrival', { date: day, time: LAWYER_ARRIVAL }),
        );
        assert.is(await summaryValue(counsel, t('booking.confirm.inmate')), inmateOption);
        assert.is(
          await summaryValue(counsel, t('booking.confirm.applicant')),
          t('booking.confirm.applicantValue', { name: NAMES.lawyer, relationship: t('relationship.lawyer') }),
        );
        assert.is(await summaryValue(counsel, t('booking.confirm.second')), t('booking.none'));
        return confirmBooking(counsel, 'lawyer');
      });
      assert.is.not(familyNumber, lawyerNumber);

      // ---- 3. Staff sign in with the text code and approve both: the family's ticked, the lawyer's on its page ----
      await withScreenshotOnFailure(staff, `${run.name}-approve`, async () => {
        await staffSignInPage(staff, t, 'reviewer2477', STAFF_PASSWORD, (label) => checked(staff, label));

        await menu(staff, t('nav.backoffice.bookings'));
        await staff.waitForURL((u) => u.pathname === '/backoffice/bookings');
        await staffMain.getByRole('heading', { level: 1, name: t('backoffice.bookings.title'), exact: true }).waitFor();
        assert.match(await staffMain.innerText(), t('backoffice.bookings.reminderTitle'), 'the 16:00 reminder');
        await checked(staff, 'booking review list');
        // Only this run's visit date.
        await staff.getByLabel(t('backoffice.bookings.filter.from'), { exact: true }).fill(run.date);
        await staff.getByLabel(t('backoffice.bookings.filter.to'), { exact: true }).fill(run.date);
        await staffMain.getByRole('button', { name: t('backoffice.search'), exact: true }).click();
        await staff.waitForURL(
          (u) =>
            u.pathname === '/backoffice/bookings' &&
            u.searchParams.get('from') === run.date &&
            u.searchParams.get('to') === run.date,
        );
        const table = staffMain.locator('#bookings-table');
        await table.waitFor();
        assert.is(await table.locator('tbody tr').count(), 2, 'the family’s and the lawyer’s booking of the day');
        const familyRow = table.locator('tbody tr').filter({ hasText: NAMES.mother });
        assert.match(await familyRow.innerText(), `${run.callNumber} ${run.inmate}`);
        assert.match(await familyRow.innerText(), t('backoffice.bookings.people', { count: 2 }));
        assert.match(
          await familyRow.innerText(),
          t('backoffice.bookings.kindAndService', {
            kind: t('visitKind.onsite'),
            service: t('backoffice.bookings.service.visit'),
          }),
        );
        assert.match(
          await table.locator('tbody tr').filter({ hasText: NAMES.lawyer }).innerText(),
          t('backoffice.bookings.arrival', { time: LAWYER_ARRIVAL }),
        );
        await checked(staff, 'booking review list for the day');

        await staffMain
          .getByRole('checkbox', { name: t('backoffice.bookings.select', { number: familyNumber }), exact: true })
          .check();
        await staffMain.getByRole('button', { name: t('backoffice.bookings.bulk.approve'), exact: true }).click();
        await staff.waitForURL((u) => u.pathname === '/backoffice/bookings' && u.searchParams.get('from') === run.date);
        await staffMain.getByText(t('backoffice.bookings.bulk.approved', { count: '1' })).waitFor();
        assert.is(
          await staffMain
            .getByRole('checkbox', { name: t('backoffice.bookings.select', { number: familyNumber }), exact: true })
            .count(),
          0,
          'no longer waiting',
        );
        await checked(staff, 'list after approving the ticked booking');

        await staffMain
          .getByRole('link', { name: `${t('backoffice.bookings.review')} ${lawyerNumber}`, exact: true })
          .click();
        await staff.waitForURL(/\/backoffice\/bookings\/\d+$/);
        await staffMain
          .getByRole('heading', {
            level: 1,
            name: t('backoffice.bookings.show.title', { number: lawyerNumber }),
            exact: true,
          })
          .waitFor();
        const text = await staffMain.innerText();
        assert.match(text, `${run.callNumber} ${run.inmate}`);
        assert.match(text, maskedId(lawyer.nationalId));
        assert.not.match(await staff.content(), lawyer.nationalId, 'the full ID number is never on the page');
        await checked(staff, 'lawyer booking');
        await staffMain.getByRole('radio', { name: t('backoffice.bookings.decision.approve'), exact: true }).check();
        await staffMain.getByRole('button', { name: t('backoffice.bookings.decision.save'), exact: true }).click();
        await staff.waitForURL((u) => u.pathname === '/backoffice/bookings');
        await staffMain.getByText(t('backoffice.bookings.decision.approvedNotice', { number: lawyerNumber })).waitFor();
        await checked(staff, 'list after approving on the booking’s page');
      });

      // Every visitor is told: both of the family, and the lawyer.
      const subject = t('mail.booking.subject.approved');
      for (const [who, number] of [
        [mother, familyNumber],
        [sibling, familyNumber],
        [lawyer, lawyerNumber],
      ] as const) {
        const mail = await app.smtp.waitFor(
          (m) => m.to.includes(who.email) && m.subject === subject && m.text.includes(number),
        );
        assert.match(mail.text, t('mail.booking.approved'));
      }

      // ---- 4. The rosters of the visit date: family, then lawyer; printed and as CSV ----
      await withScreenshotOnFailure(staff, `${run.name}-roster`, async () => {
        await staffMain.getByRole('link', { name: t('backoffice.bookings.rosterLink'), exact: true }).click();
        await staff.waitForURL((u) => u.pathname === '/backoffice/bookings/roster');
        await staffMain
          .getByRole('heading', { level: 1, name: t('backoffice.bookings.roster.title'), exact: true })
          .waitFor();
        await checked(staff, 'roster (tomorrow)');

        const show = async (service: 'visit' | 'lawyer_visit') => {
          await staff.getByLabel(t('backoffice.bookings.roster.date'), { exact: true }).fill(run.date);
          await staff.getByLabel(t('backoffice.bookings.filter.service'), { exact: true }).selectOption(service);
          await staffMain.getByRole('button', { name: t('backoffice.bookings.roster.show'), exact: true }).click();
          await staff.waitForURL(
            (u) =>
              u.pathname === '/backoffice/bookings/roster' &&
              u.searchParams.get('date') === run.date &&
              u.searchParams.get('service') === service &&
              u.searchParams.get('institution') === '2477',
          );
          const name = t(`backoffice.bookings.roster.name.${service}`);
          await staffMain
            .getByText(t('backoffice.bookings.roster.heading', { institution: INSTITUTION, name }), { exact: true })
            .waitFor();
          assert.match(await staffMain.innerText(), t('backoffice.bookings.roster.forDate', { date: day }));
          const roster = staffMain.locator('table.roster');
          assert.is(await roster.locator('tbody tr').count(), 1, `one ${service} visit on ${run.date}`);
          const row = roster.locator('tbody tr');
          // At phone size the cells stack and each says its column first (data-label), so the name may start with it.
          const inmate = t('backoffice.bookings.roster.inmate', { name: run.inmate, callNumber: run.callNumber });
          await row.getByRole('rowheader', { name: new RegExp(`(^|\\s)${escapeRegExp(inmate)}$`) }).waitFor();
          await checked(staff, `${service} roster`);

          // On paper: the roster, without the menu, the form or the CSV link.
          const csvLink = staffMain.getByRole('link', { name: t('backoffice.bookings.roster.csv'), exact: true });
          const form = staffMain.locator('form.filters');
          for (const [what, locator] of [
            ['the form', form],
            ['the CSV link', csvLink],
          ] as const)
            assert.ok(await locator.isVisible(), `${what} is on screen`);
          await staff.emulateMedia({ media: 'print' });
          try {
            assert.ok(await roster.isVisible(), 'the roster is printed');
            assert.ok(await staffMain.locator('.roster-header').isVisible(), 'under its heading');
            for (const [what, locator] of [
              ['the form', form],
              ['the CSV link', csvLink],
              ['the wide menu', staff.locator('nav.menu-wide')],
              ['the narrow menu', staff.locator('details.menu-narrow')],
            ] as const) {
              assert.not.ok(await locator.isVisible(), `${what} is not printed`);
            }
            assert.is(await staff.locator('form:visible').count(), 0, 'no form is printed');
          } finally {
            await staff.emulateMedia({ media: 'screen' });
          }

          const csv = await staffContext.request.get((await csvLink.getAttribute('href'))!);
          assert.is(csv.status(), 200);
          assert.match(csv.headers()['content-type'] ?? '', /^text\/csv/);
          return { row, csv: await csv.text() };
        };

        const familyRoster = await show('visit');
        const slotText = await familyRoster.row.locator('td').first().innerText();
        assert.match(
          slotText,
          t('backoffice.bookings.roster.batch', {
            n: FAMILY_BATCH.ordinal,
            start: FAMILY_BATCH.start,
            end: FAMILY_BATCH.end,
          }),
        );
        const visitors = (await familyRoster.row.getByRole('listitem').allInnerTexts()).map((s) => s.trim());
        assert.equal(visitors, [
          t('backoffice.bookings.roster.visitor', {
            name: NAMES.mother,
            relationship: t('relationship.mother'),
            id: maskedId(mother.nationalId),
          }),
          t('backoffice.bookings.roster.visitor', {
            name: NAMES.sibling,
            relationship: t('relationship.sibling'),
            id: maskedId(sibling.nationalId),
          }),
        ]);
        assert.match(await familyRoster.row.innerText(), familyNumber);
        let html = await staff.content();
        for (const who of [mother, sibling]) {
          assert.not.match(html, who.nationalId, 'no full ID number on the roster');
          assert.not.match(familyRoster.csv, who.nationalId, 'no full ID number in the CSV');
          assert.match(familyRoster.csv, `"${maskedId(who.nationalId)}"`);
        }
        for (const s of [familyNumber, run.callNumber, run.inmate, NAMES.mother, NAMES.sibling])
          assert.match(familyRoster.csv, s);

        const lawyerRoster = await show('lawyer_visit');
        assert.match(
          await lawyerRoster.row.locator('td').first().innerText(),
          t('backoffice.bookings.arrival', { time: LAWYER_ARRIVAL }),
        );
        assert.equal(
          (await lawyerRoster.row.getByRole('listitem').allInnerTexts()).map((s) => s.trim()),
          [
            t('backoffice.bookings.roster.visitor', {
              name: NAMES.lawyer,
              relationship: t('relationship.lawyer'),
              id: maskedId(lawyer.nationalId),
            }),
          ],
        );
        assert.match(await lawyerRoster.row.innerText(), lawyerNumber);
        html = await staff.content();
        assert.not.match(html, lawyer.nationalId, 'no full ID number on the lawyer roster');
        assert.not.match(lawyerRoster.csv, lawyer.nationalId, 'no full ID number in the lawyer CSV');
        assert.match(lawyerRoster.csv, `"${maskedId(lawyer.nationalId)}"`);
        assert.not.match(lawyerRoster.csv, familyNumber, 'the family visit is on the other roster');
        assert.match(lawyerRoster.csv, lawyerNumber);
      });

      // ---- 5. The family sees the visit approved ----
      await withScreenshotOnFailure(family, `${run.name}-approved`, async () => {
        const main = family.getByRole('main');
        await menu(family, t('nav.bookingList'));
        await family.waitForURL((u) => u.pathname === '/bookings');
        await main.getByRole('heading', { level: 1, name: t('nav.bookingList'), exact: true }).waitFor();
        const row = main.getByRole('row').filter({ hasText: familyNumber });
        await row.getByText(t('status.approved'), { exact: true }).waitFor();
        assert.match(
          await row.innerText(),
          t('booking.whenBatch', { date: day, start: FAMILY_BATCH.start, end: FAMILY_BATCH.end }),
        );
        assert.match(await row.innerText(), `${NAMES.mother}、${NAMES.sibling}`, 'the visitors in full');
        await checked(family, 'bookings with the visit approved');
      });
    } finally {
      await Promise.all([familyContext.close(), lawyerContext.close(), staffContext.close()]);
    }
  });
});

test.run();
