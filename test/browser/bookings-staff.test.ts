import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newContext, withScreenshotOnFailure, staffSignInPage } from '../support/browser.ts';
import {
  FAMILY_BATCH,
  INSTITUTION,
  LAWYER_ARRIVAL,
  NAMES,
  RUNS,
  STAFF_PASSWORD,
  bookRun,
  dayOf,
  escapeRegExp,
  journeySteps,
  maskedId,
  setUpBookings,
  t,
  type BookingCtx,
} from '../support/booking-journey.ts';

/**
 * Visit booking in a real browser, the staff's side (issue 5): the review list with the 16:00
 * reminder, approving a ticked booking and one on its page, every visitor mailed, the family and
 * lawyer rosters on screen, on paper and as CSV. The run's bookings are made as the wizard makes them
 * (bookings-family and bookings-lawyer walk the wizard itself).
 */
const test = suite<BookingCtx>('browser: staff approve the bookings of the day, mails, rosters print (issue 5)');

test.before(setUpBookings);
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

RUNS.forEach((run, index) => {
  test(`staff approve a family’s and a lawyer’s booking, everyone is mailed, rosters print, 審核通過 (${run.name})`, async (ctx) => {
    const { app } = ctx;
    const { mother, sibling, lawyer } = ctx.people[index]!;
    const day = dayOf(run);
    const { checked, menu } = journeySteps(run);
    const { familyNumber, lawyerNumber } = await bookRun(ctx, index);
    assert.is.not(familyNumber, lawyerNumber);
    const opts = { javaScriptEnabled: run.javaScriptEnabled, viewport: run.viewport, baseURL: app.url };
    const staffContext = await newContext(ctx.browser, opts);
    const staff = await staffContext.newPage();
    const staffMain = staff.getByRole('main');
    try {
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
    } finally {
      await staffContext.close();
    }
  });
});

test.run();
