import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newContext, withScreenshotOnFailure } from '../support/browser.ts';
import {
  LAWYER_ARRIVAL,
  NAMES,
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

/**
 * Visit booking in a real browser, the lawyer's journey (issue 5): an on-site visit by date and
 * arrival time, with the counts per arrival band. The family's journey and the staff's approval and
 * rosters are bookings-family and bookings-staff.
 */
const test = suite<BookingCtx>('browser: a lawyer books an on-site visit by arrival time (issue 5)');

test.before(setUpBookings);
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

RUNS.forEach((run, index) => {
  test(`a lawyer books an arrival time, seeing the bands, with nobody else to bring (${run.name})`, async (ctx) => {
    const { lawyer } = ctx.people[index]!;
    const day = dayOf(run);
    const inmateOption = inmateOptionOf(run);
    const { menu, signIn, atStep, next, confirmBooking } = journeySteps(run);
    const opts = { javaScriptEnabled: run.javaScriptEnabled, viewport: run.viewport, baseURL: ctx.app.url };
    const lawyerContext = await newContext(ctx.browser, opts);
    const counsel = await lawyerContext.newPage();
    try {
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

      assert.match(lawyerNumber, /^V\d{8}-[0-9A-Z]{6}$/);
    } finally {
      await lawyerContext.close();
    }
  });
});

test.run();
