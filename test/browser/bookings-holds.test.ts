import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { launchBrowser, newContext, withScreenshotOnFailure } from '../support/browser.ts';
import { person, type Person } from '../support/journeys.ts';
import * as make from '../support/fixtures.ts';
import { loggingSetupErrors } from '../support/scenarios.ts';
import { INSTITUTION, NOW, RUNS, dayOf, journeySteps, t } from '../support/booking-journey.ts';

/**
 * A place held while booking, in a real browser (issue 13): two people race for the last place of a
 * batch. The first to choose it holds it (the summary says until when) and books; the other, whose grid
 * still showed the place, is told it was just taken, stays on the grid with the rest kept and books
 * another time. Starting a new booking while the place is held asks first. JavaScript off and on, phone and kiosk, axe on every page.
 */
type Ctx = { app: TestApp; browser: Browser; pairs: [Person, Person][] };
const test = suite<Ctx>('browser: two people race for the last place with holds (issue 13)');

const LAST = { ordinal: 2, start: '15:00', end: '15:30' };
const OTHER = { ordinal: 1, start: '09:00', end: '09:30' };

test.before(
  loggingSetupErrors(async (ctx) => {
    [ctx.app, ctx.browser] = await Promise.all([startTestApp({ clock: () => new Date(NOW) }), launchBrowser()]);
    const db = ctx.app.db.pool;
    await make.institution(db, { code: '2477', nameZh: INSTITUTION });
    for (let weekday = 1; weekday <= 5; weekday++)
      for (const [startsAt, capacity] of [
        [OTHER.start, 5],
        [LAST.start, 1],
      ] as const)
        await make.visitBatch(db, {
          institutionCode: '2477',
          kind: 'onsite',
          weekday,
          startsAt,
          lengthMinutes: 30,
          capacity,
        });
    ctx.pairs = [];
    for (const [index, run] of RUNS.entries()) {
      const pair: Person[] = [];
      for (const [n, name] of ['陳美玲', '林秀英'].entries()) {
        const callNumber = `${run.callNumber}${n}0`;
        await make.inmate(db, { institutionCode: '2477', callNumber, name: n ? '張大明' : run.inmate });
        const p = person({ name });
        const id = await make.applicant(db, {
          name,
          nationalId: p.nationalId,
          email: p.email,
          mobile: p.mobile.replace(/-/g, ''),
          password: p.password,
        });
        await make.approvedService(db, {
          applicant: id,
          inmate: { institutionCode: '2477', callNumber },
          service: 'visit',
          visitKinds: ['onsite'],
          relationship: 'mother',
          number: `20261101-HD${index}${n}00`,
        });
        pair.push(p);
      }
      ctx.pairs.push(pair as [Person, Person]);
    }
  }),
);
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

RUNS.forEach((run, index) => {
  test(`two people race for the last place: one holds it and books, the other is told and chooses another (${run.name})`, async (ctx) => {
    const { signIn, atStep, next, checked, confirmBooking } = journeySteps(run);
    const opts = { javaScriptEnabled: run.javaScriptEnabled, viewport: run.viewport, baseURL: ctx.app.url };
    const day = dayOf(run);
    const cell = (b: typeof LAST) =>
      `${day} ${t('booking.slot.batchName', { n: b.ordinal, time: `${b.start}–${b.end}` })}`;
    const contexts = await Promise.all([newContext(ctx.browser, opts), newContext(ctx.browser, opts)]);
    const first = await contexts[0].newPage();
    const second = await contexts[1].newPage();
    const toGrid = async (page: Page, who: Person, label: string) => {
      await signIn(page, who);
      await page.goto('/bookings/new');
      await atStep(page, 'kind', t('booking.kind.title'), `${label}: kind`);
      await page
        .getByRole('main')
        .getByRole('radio', { name: new RegExp(`^${t('visitKind.onsite')}`) })
        .check();
      await next(page);
      await atStep(page, 'inmate', t('booking.inmate.title'), `${label}: inmate`);
      await next(page);
      await atStep(page, 'companions', t('booking.companions.title'), `${label}: companions`);
      await next(page);
      await atStep(page, 'slot', t('booking.slot.title'), `${label}: grid`);
      assert.match(await page.getByRole('main').innerText(), t('booking.slot.holdNote'));
    };
    try {
      const [a, b] = ctx.pairs[index]!;
      await withScreenshotOnFailure(first, `${run.name}-holds-first`, () => toGrid(first, a, 'first'));
      await withScreenshotOnFailure(second, `${run.name}-holds-second`, () => toGrid(second, b, 'second'));
      // Both grids show the last place.
      for (const page of [first, second])
        await page
          .getByRole('radio', { name: `${cell(LAST)} ${t('booking.slot.remaining', { n: 1 })}`, exact: true })
          .waitFor();

      // The first chooses it: it is held for 10 minutes, and the summary says until when.
      await withScreenshotOnFailure(first, `${run.name}-holds-held`, async () => {
        await first.getByLabel(cell(LAST)).check();
        await next(first);
        await atStep(first, 'confirm', t('booking.confirm.title'), 'first: confirm with the hold');
        assert.match(await first.getByRole('main').innerText(), t('booking.confirm.heldUntil', { time: '10:10' }));
        // 預約接見 again (the menu's link) asks before giving the place away; finishing goes back to it.
        await first.goto('/bookings/new');
        await first.getByRole('heading', { level: 1, name: t('booking.resume.title') }).waitFor();
        assert.match(await first.getByRole('main').innerText(), t('booking.resume.held', { time: '10:10' }));
        await checked(first, 'first: asked before starting again');
        await first.getByRole('link', { name: t('booking.resume.continue') }).click();
        await atStep(first, 'confirm', t('booking.confirm.title'), 'first: back at the confirmation');
        assert.match(await first.getByRole('main').innerText(), t('booking.confirm.heldUntil', { time: '10:10' }));
      });

      // The second, whose grid still shows it, is told it was just taken; the grid no longer offers it.
      await withScreenshotOnFailure(second, `${run.name}-holds-taken`, async () => {
        await second.getByLabel(cell(LAST)).check();
        await next(second);
        const summary = second.getByRole('alert');
        await summary.getByText(t('booking.error.slotTaken')).waitFor();
        assert.is(new URL(second.url()).pathname, '/bookings/new/slot');
        await checked(second, 'second: the place was just taken');
        assert.is(await second.getByLabel(cell(LAST)).count(), 0, 'the place is no longer offered');
        await second.getByLabel(cell(OTHER)).check();
        await next(second);
        await atStep(second, 'confirm', t('booking.confirm.title'), 'second: confirm another time');
        assert.match(await second.getByRole('main').innerText(), `${OTHER.start}–${OTHER.end}`);
      });

      // Both book: the first inside the hold keeps the last place.
      const numbers = await Promise.all([
        withScreenshotOnFailure(first, `${run.name}-holds-book-first`, () => confirmBooking(first, 'first')),
        withScreenshotOnFailure(second, `${run.name}-holds-book-second`, () => confirmBooking(second, 'second')),
      ]);
      const { rows } = await ctx.app.db.pool.query(
        `SELECT to_char(b.starts_at, 'HH24:MI') AS at FROM visit_booking v JOIN visit_batch b ON b.id = v.batch_id
          WHERE v.number = ANY ($1) ORDER BY v.number = $2 DESC`,
        [numbers, numbers[0]],
      );
      assert.equal(
        rows.map((r) => r.at),
        [LAST.start, OTHER.start],
      );
      assert.is(
        (await ctx.app.db.pool.query('SELECT count(*)::int AS n FROM visit_hold WHERE visit_date = $1', [run.date]))
          .rows[0].n,
        0,
        'the bookings replaced the holds',
      );
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  });
});

test.run();
