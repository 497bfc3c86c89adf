import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newContext, withScreenshotOnFailure } from '../support/browser.ts';
import {
  CAPACITY,
  FAMILY_BATCH,
  MASKED,
  NAMES,
  NOW,
  RUNS,
  dayOf,
  escapeRegExp,
  inmateOptionOf,
  journeySteps,
  setUpBookings,
  summaryValue,
  t,
  type BookingCtx,
} from '../support/booking-journey.ts';
import { decideBooking } from '../../domain/bookings/decisions.ts';

/**
 * Visit booking in a real browser, the family's journey (issue 5): the wizard step by step with a
 * companion, 上一步 keeping the answers, the confirmation; once staff approve, the family's list. The
 * lawyer's journey and the staff's approval and rosters are bookings-lawyer and bookings-staff.
 */
const test = suite<BookingCtx>('browser: a family books a visit with a companion and sees it approved (issue 5)');

test.before(setUpBookings);
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

RUNS.forEach((run, index) => {
  test(`a family books with a companion through every step, then sees the visit approved (${run.name})`, async (ctx) => {
    const { mother } = ctx.people[index]!;
    const day = dayOf(run);
    const inmateOption = inmateOptionOf(run);
    const { checked, menu, signIn, atStep, next, previous, confirmBooking } = journeySteps(run);
    const opts = { javaScriptEnabled: run.javaScriptEnabled, viewport: run.viewport, baseURL: ctx.app.url };
    const familyContext = await newContext(ctx.browser, opts);
    const family = await familyContext.newPage();
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

      // Staff approve it (bookings-staff approves through the pages).
      const { rows } = await ctx.app.db.pool.query('SELECT id, version FROM visit_booking WHERE number = $1', [
        familyNumber,
      ]);
      const who = { staffId: ctx.staffId, role: 'reviewer' as const, institutionCode: '2477', ip: '127.0.0.1' };
      assert.is(
        await decideBooking(ctx.app.db.pool, Number(rows[0].id), rows[0].version, { decision: 'approve' }, who, NOW),
        'decided',
      );

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
      await familyContext.close();
    }
  });
});

test.run();
