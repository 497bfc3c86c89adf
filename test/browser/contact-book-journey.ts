import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { until } from '../support/wait.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import {
  checkPage,
  followMenu,
  KIOSK,
  launchBrowser,
  newContext,
  PHONE,
  staffSignInPage,
  withScreenshotOnFailure,
} from '../support/browser.ts';
import { Client } from '../support/http.ts';
import { person, registerVerifyAndSignIn, type Person } from '../support/journeys.ts';
import { translator } from '../../domain/i18n/i18n.ts';
import { formatDate, taipeiToday } from '../../domain/shared/dates.ts';
export { KIOSK, PHONE };

/**
 * The family contact book between the family and the back office (issue 4), as journeys in a real
 * browser: post with a photo, staff reject, the family reads the reason, corrects and resends, staff
 * approve, both mails arrive, staff print the delivery sheet and mark it delivered. Each test file
 * runs some of the journeys (phone, kiosk), so the files run side by side in their own processes.
 */
type Ctx = { app: TestApp; browser: Browser; dir: string; photo: string; families: Person[] };
const t = translator('zh-TW');
const STAFF_PASSWORD = 'staff password 1';

/** One journey: with or without JavaScript, at phone or kiosk size, for an inmate of its own. */
export type Run = {
  name: string;
  javaScriptEnabled: boolean;
  viewport: { width: number; height: number };
  callNumber: string;
  inmate: string;
};
const PHOTO = { width: 800, height: 600 };
// 16 characters as a person counts them: the dog is one, and the thumb with its skin tone is one too
// (17 code points), so the counter must say 150 − 16 = 134 left.
const BODY = '媽媽很好，家裡的小狗也很想你🐶👍🏽';
const BODY_COUNT = 16;
const NEW_BODY = '媽媽很好，小狗也很想你🐶 記得多喝水💧';

export function contactBookJourneys(title: string, runs: readonly Run[]): Test<Ctx> {
  const test = suite<Ctx>(title);
  test.before(async (ctx) => {
    [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
    const { pool } = ctx.app.db;
    await fixture.institution(pool, { code: '2477' });
    await fixture.institution(pool, { code: '2411' });
    for (const run of runs)
      await fixture.inmate(pool, { institutionCode: '2477', callNumber: run.callNumber, name: run.inmate });
    await fixture.inmate(pool, { institutionCode: '2411', callNumber: '2048', name: '張三' });
    for (const [account, name, institutionCode] of [
      ['reviewer2477', '桃園承辦人', '2477'],
      ['reviewer2411', '基隆承辦人', '2411'],
    ] as const)
      await fixture.staff(pool, { account, name, institutionCode, role: 'reviewer', password: STAFF_PASSWORD });
    ctx.families = [];
    for (const [index, run] of runs.entries()) {
      const p = person();
      await registerVerifyAndSignIn(new Client(ctx.app.url), ctx.app.smtp, p);
      // The family's contact book service for this inmate was approved earlier (the builder fails
      // unless it finds both the family and the inmate).
      await fixture.approvedService(pool, {
        applicant: { email: p.email },
        inmate: { institutionCode: '2477', callNumber: run.callNumber },
        service: 'contact_book',
        relationship: 'mother',
        number: `20260101-CBOOK${index}`,
      });
      ctx.families.push(p);
    }
    ctx.dir = await mkdtemp(path.join(os.tmpdir(), 'contact-book-'));
    ctx.photo = path.join(ctx.dir, '全家福.jpg');
    // A picture with something in it (not one flat colour), so it is a real photo to downsize and show.
    const stripes = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${PHOTO.width}" height="${PHOTO.height}"><rect width="100%" height="100%" fill="#336699"/>` +
        `<rect x="100" y="100" width="300" height="200" fill="#ffcc00"/><circle cx="600" cy="400" r="120" fill="#cc3333"/></svg>`,
    );
    await writeFile(ctx.photo, await sharp(stripes).jpeg({ quality: 85 }).toBuffer());
  });
  test.after(async (ctx) => {
    await ctx.browser?.close();
    await ctx.app?.close();
    if (ctx.dir) await rm(ctx.dir, { recursive: true, force: true });
  });

  /** The natural width of a picture once it has loaded (0 while loading or when it failed). */
  const loadedWidth = async (page: Page, selector: string, what: string) => {
    const img = page.locator(selector);
    assert.is(await img.count(), 1, `one ${what}`);
    await img.scrollIntoViewIfNeeded();
    return until(`${what} to load`, () => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0)));
  };

  runs.forEach((run, index) => {
    const phone = run.viewport === PHONE;
    test(`post with a photo, staff reject, read the reason, correct and resend, staff approve, mails, print and deliver (${run.name})`, async (ctx) => {
      const { app } = ctx;
      const family = ctx.families[index]!;
      const title = `想念你 ${run.callNumber}`;
      const reasonText = `照片請換一張看得清楚的，內容請再簡短些（${run.name}）。`;
      const opts = { javaScriptEnabled: run.javaScriptEnabled, viewport: run.viewport, baseURL: app.url };
      const [familyContext, staffContext] = await Promise.all([
        newContext(ctx.browser, opts),
        newContext(ctx.browser, opts),
      ]);
      const home = await familyContext.newPage();
      const staff = await staffContext.newPage();
      const homeMain = home.getByRole('main');
      const staffMain = staff.getByRole('main');

      /** axe on every page, and at phone size no sideways scrolling. */
      const checked = (page: Page, label: string) => checkPage(page, `${run.name}: ${label}`, phone);
      const menu = (page: Page, label: string) => followMenu(page, label, phone);
      const openList = async () => {
        await menu(home, t('nav.contactBookList'));
        await home.waitForURL((u) => u.pathname === '/contact-book');
        await homeMain.getByRole('heading', { level: 1, name: t('nav.contactBookList') }).waitFor();
        return homeMain.getByRole('row').filter({ hasText: title });
      };
      const openPost = async () => {
        await menu(staff, t('nav.backoffice.contactBook'));
        await staff.waitForURL((u) => u.pathname === '/backoffice/contact-book');
        await staffMain.getByRole('heading', { level: 1, name: t('backoffice.posts.title') }).waitFor();
        await checked(staff, 'moderation queue');
        await staffMain
          .getByRole('link', { name: `${t('backoffice.review')} ${run.callNumber} ${title}`, exact: true })
          .click();
        await staff.waitForURL(/\/backoffice\/contact-book\/\d+$/);
        await staffMain.getByRole('heading', { level: 1, name: t('backoffice.post.title', { title }) }).waitFor();
      };
      const decide = async (decision: 'approve' | 'reject') => {
        await staffMain.getByRole('radio', { name: t(`backoffice.case.${decision}`), exact: true }).check();
        if (decision === 'reject')
          await staff.getByLabel(t('backoffice.case.reasonText'), { exact: true }).fill(reasonText);
        await staffMain.getByRole('button', { name: t('backoffice.case.save'), exact: true }).click();
        await staff.waitForURL((u) => u.pathname === '/backoffice/contact-book');
      };

      try {
        // ---- 1. The family posts a note with a photo ----
        const postId = await withScreenshotOnFailure(home, `${run.name}-post`, async () => {
          await home.goto('/signin');
          await checked(home, 'sign-in');
          await home.getByLabel(t('signin.email')).fill(family.email);
          await home.getByLabel(t('field.password'), { exact: true }).fill(family.password);
          // argon2 checks the password on purpose slowly: on a busy machine (the first steps of four test
          // files at once) this takes longer than a page usually does.
          await home.getByRole('button', { name: t('signin.submit') }).click({ timeout: 30_000 });
          await home.waitForURL('**/account', { timeout: 30_000 });
          await checked(home, 'account');

          await menu(home, t('nav.contactBookNew'));
          await home.waitForURL((u) => u.pathname === '/contact-book/new');
          await homeMain.getByRole('heading', { level: 1, name: t('nav.contactBookNew') }).waitFor();
          await checked(home, 'post form');
          // The only recipient is chosen already; the rules say the limit in words (all that shows without script).
          assert.ok(
            (await home.getByLabel(t('post.recipient'), { exact: true }).inputValue()) !== '',
            'the one recipient is chosen',
          );
          assert.match(await homeMain.innerText(), t('post.bodyHint', { max: 150 }));
          const counter = home.locator('#body-count');
          assert.is((await counter.innerText()).trim(), t('post.countLeft', { n: 150 }));

          await home.getByLabel(t('post.title'), { exact: true }).fill(title);
          await home.getByLabel(t('post.body'), { exact: true }).fill(BODY);
          if (run.javaScriptEnabled) {
            // The live counter counts as a person counts: the emoji with its skin tone is one character.
            await until(
              'the counter to follow the typing',
              async () => (await counter.innerText()).trim() === t('post.countLeft', { n: 150 - BODY_COUNT }),
            );
          } else {
            assert.is(
              (await counter.innerText()).trim(),
              t('post.countLeft', { n: 150 }),
              'without script the counter stays as the server wrote it',
            );
          }
          await home.getByLabel(t('post.photoChoose'), { exact: true }).setInputFiles(ctx.photo);
          await checked(home, 'filled post form');
          await homeMain.getByRole('button', { name: t('post.submit'), exact: true }).click();

          await home.waitForURL(/\/contact-book\/\d+\?sent=1$/);
          await homeMain.getByRole('heading', { level: 1, name: t('post.sent') }).waitFor();
          await homeMain.getByText(t('status.pending'), { exact: true }).waitFor();
          const text = await homeMain.innerText();
          assert.match(text, title);
          assert.match(text, BODY, 'the note as written, emoji and all');
          // The family sees their own photo, downsized and stored as a JPEG.
          assert.is(await loadedWidth(home, 'main img.post-photo', 'the post’s photo'), PHOTO.width);
          await checked(home, 'post sent');
          return Number(new URL(home.url()).pathname.split('/').pop());
        });
        const photoUrl = `/backoffice/contact-book/${postId}/photo`;

        // ---- 2. Staff sign in with the text code, open the post, see the photo, reject it ----
        await withScreenshotOnFailure(staff, `${run.name}-reject`, async () => {
          await staffSignInPage(staff, t, 'reviewer2477', STAFF_PASSWORD, (label) => checked(staff, label));
          await checked(staff, 'back office home');

          await openPost();
          assert.is(staff.url(), `${app.url}/backoffice/contact-book/${postId}`);
          const text = await staffMain.innerText();
          for (const s of [
            BODY,
            family.name,
            family.email,
            `${run.callNumber} ${run.inmate}`,
            t('relationship.mother'),
            t('backoffice.post.history.submitted'),
            t('backoffice.post.rejectionsValue', { count: 0 }),
          ])
            assert.match(text, s);
          assert.match(text, t('status.pending'));

          // The photo is in the page and really loads, downsized no further (800 px fits) and a JPEG.
          assert.is(await loadedWidth(staff, 'main img.post-photo', 'the post’s photo'), PHOTO.width);
          assert.is(await staffMain.locator('img.post-photo').getAttribute('alt'), t('post.photoAlt', { title }));
          const photo = await staffContext.request.get(photoUrl);
          assert.is(photo.status(), 200);
          assert.is(photo.headers()['content-type'], 'image/jpeg');
          const meta = await sharp(await photo.body()).metadata();
          assert.equal([meta.format, meta.width, meta.height], ['jpeg', PHOTO.width, PHOTO.height]);
          await checked(staff, 'post to review');

          await decide('reject');
          await staffMain.getByText(t('backoffice.post.rejectedNotice', { id: String(postId) })).waitFor();
          assert.is(
            await staffMain
              .getByRole('link', { name: `${t('backoffice.review')} ${run.callNumber} ${title}`, exact: true })
              .count(),
            0,
            'no longer waiting',
          );
          await checked(staff, 'queue with the notice');
        });

        // ---- 3. The family reads the reason, corrects the note and sends it again ----
        await withScreenshotOnFailure(home, `${run.name}-correct`, async () => {
          const row = await openList();
          await row.getByText(t('status.rejected'), { exact: true }).waitFor();
          const viewReason = row.getByRole('link', { name: `${t('applications.viewReason')} ${title}`, exact: true });
          const dialog = home.locator('dialog#reason-dialog');

          if (run.javaScriptEnabled) {
            await viewReason.click();
            await home.locator('dialog[open]').waitFor();
            assert.is(home.url(), `${app.url}/contact-book`, 'no page change');
            await dialog.getByText(reasonText).waitFor();
            assert.ok(await dialog.getByText(reasonText).isVisible(), 'the staff’s own words are shown');
            assert.ok(await dialog.getByRole('heading', { name: t('post.reasonDialogTitle', { title }) }).isVisible());
            assert.ok(
              await home.evaluate(() => !!document.activeElement?.closest('dialog[open]')),
              'focus moved into the dialog',
            );
            await checked(home, 'list with the reason dialog open');
            await home.keyboard.press('Escape');
            await until('Escape to close the dialog', async () => (await home.locator('dialog[open]').count()) === 0);

            await viewReason.click();
            await home.locator('dialog[open]').waitFor();
            await dialog.getByRole('link', { name: t('applications.correct'), exact: true }).click();
          } else {
            await checked(home, 'list with a rejected post');
            await viewReason.click();
            await home.waitForURL((u) => u.pathname === `/contact-book/${postId}`);
            await homeMain.getByRole('heading', { level: 2, name: t('applications.reasonTitle') }).waitFor();
            assert.match(await homeMain.innerText(), reasonText);
            await checked(home, 'post with the reason');
            await homeMain.getByRole('link', { name: t('applications.correct'), exact: true }).click();
          }

          await home.waitForURL((u) => u.pathname === `/contact-book/${postId}/resend`);
          await homeMain.getByRole('heading', { level: 1, name: t('post.resendTitle') }).waitFor();
          assert.match(await homeMain.innerText(), reasonText);
          const body = home.getByLabel(t('post.body'), { exact: true });
          assert.is(await body.inputValue(), BODY, 'the note comes back to be corrected');
          // Counted on the server the same way (the script, when on, agrees).
          assert.is(
            (await home.locator('#body-count').innerText()).trim(),
            t('post.countLeft', { n: 150 - BODY_COUNT }),
          );
          assert.is(await loadedWidth(home, 'main img.post-photo', 'the photo sent'), PHOTO.width);
          await checked(home, 'correction form');
          await body.fill(NEW_BODY);
          await homeMain.getByRole('button', { name: t('resubmit.submit'), exact: true }).click();

          await home.waitForURL((u) => u.pathname === `/contact-book/${postId}` && u.searchParams.get('sent') === '1');
          await homeMain.getByRole('heading', { level: 1, name: t('post.sent') }).waitFor();
          await homeMain.getByText(t('status.pending'), { exact: true }).waitFor();
          const text = await homeMain.innerText();
          assert.match(text, NEW_BODY);
          assert.not.match(text, reasonText, 'the old reason is gone');
          assert.is(await homeMain.locator('img.post-photo').count(), 1, 'the photo is kept');
          await checked(home, 'post sent again');

          const again = await openList();
          await again.getByText(t('status.pending'), { exact: true }).waitFor();
          assert.is(await again.getByText(t('status.rejected'), { exact: true }).count(), 0);
          await checked(home, 'list with the post pending again');
        });

        // ---- 4. Staff approve; the family sees 審核通過; both result mails arrive ----
        await withScreenshotOnFailure(staff, `${run.name}-approve`, async () => {
          await openPost();
          const text = await staffMain.innerText();
          assert.match(text, NEW_BODY);
          assert.match(text, t('history.resubmitted'));
          assert.match(text, reasonText, 'the reason is kept in the history');
          assert.match(text, t('backoffice.post.rejectionsValue', { count: 1 }));
          await checked(staff, 'post sent again');
          await decide('approve');
          await staffMain.getByText(t('backoffice.post.approvedNotice', { id: String(postId) })).waitFor();
          await checked(staff, 'queue after approval');
        });
        await withScreenshotOnFailure(home, `${run.name}-approved`, async () => {
          const row = await openList();
          await row.getByText(t('status.approved'), { exact: true }).waitFor();
          await checked(home, 'list with the post approved');

          const resultMail = (status: string) =>
            app.smtp.waitFor(
              (m) =>
                m.to.includes(family.email) &&
                m.subject === t('mail.post.subject') &&
                m.text.includes(`審核結果為「${status}」`),
            );
          const rejected = await resultMail(t('status.rejected'));
          assert.match(rejected.text, reasonText, 'the rejection mail carries the staff’s words');
          assert.match(rejected.text, title);
          const approved = await resultMail(t('status.approved'));
          assert.match(approved.text, title);
          assert.not.match(approved.text, reasonText);
          assert.is(
            app.smtp.to(family.email).filter((m) => m.subject === t('mail.post.subject')).length,
            2,
            'one mail per decision',
          );
        });

        // ---- 5. Staff print the day's delivery sheet and mark the post delivered ----
        // The day of the approval just made (read now, so a run near midnight in Taipei still finds it).
        const today = taipeiToday(new Date());
        await withScreenshotOnFailure(staff, `${run.name}-deliver`, async () => {
          await staffMain.getByRole('link', { name: t('backoffice.delivery.title'), exact: true }).click();
          await staff.waitForURL((u) => u.pathname === '/backoffice/contact-book/delivery');
          // The staff's own institution and today are chosen already; choosing them again gives the same sheet.
          assert.is(await staff.getByLabel(t('backoffice.delivery.date'), { exact: true }).inputValue(), today);
          await checked(staff, 'delivery sheet as opened');
          await staff.getByLabel(t('backoffice.col.institution'), { exact: true }).selectOption('2477');
          await staff.getByLabel(t('backoffice.delivery.date'), { exact: true }).fill(today);
          await staffMain.getByRole('button', { name: t('backoffice.search'), exact: true }).click();
          await staff.waitForURL(
            (u) =>
              u.pathname === '/backoffice/contact-book/delivery' &&
              u.searchParams.get('institution') === '2477' &&
              u.searchParams.get('date') === today,
          );
          await staffMain
            .getByText(t('backoffice.delivery.sheetTitle', { institution: '桃園女子監獄', date: formatDate(today) }), {
              exact: true,
            })
            .waitFor();

          const block = staffMain.locator('article.delivery').filter({
            has: staff.getByRole('heading', {
              name: t('backoffice.delivery.to', { callNumber: run.callNumber, name: run.inmate }),
              exact: true,
            }),
          });
          assert.is(await block.count(), 1, 'one block for this post');
          const blockText = await block.innerText();
          assert.match(blockText, title);
          assert.match(blockText, NEW_BODY);
          assert.match(
            blockText,
            t('backoffice.delivery.from', { name: family.name, relationship: t('relationship.mother') }),
          );
          const photo = block.locator('img.delivery__photo');
          assert.is(await photo.getAttribute('src'), photoUrl);
          await photo.scrollIntoViewIfNeeded();
          assert.is(
            await until('the sheet’s photo to load', () =>
              photo.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0)),
            ),
            PHOTO.width,
          );
          const tick = block.getByRole('checkbox', {
            name: t('backoffice.delivery.mark', { callNumber: run.callNumber, title }),
            exact: true,
          });
          const register = staffMain.getByRole('button', { name: t('backoffice.delivery.submit'), exact: true });
          await checked(staff, 'delivery sheet');

          // On paper: the post and the signature line, no menu, header, filters, box or button.
          const notPrinted = [
            ['the site header', staff.locator('header.site-header')],
            [
              phone ? 'the folded menu' : 'the wide menu',
              staff.locator(phone ? 'details.menu-narrow' : 'nav.menu-wide'),
            ],
            ['the filters', staffMain.locator('form.filters')],
            ['the page heading', staffMain.getByRole('heading', { level: 1, name: t('backoffice.delivery.title') })],
            ['the checkbox', tick],
            ['the 登記送達 button', register],
          ] as const;
          for (const [what, locator] of notPrinted) assert.ok(await locator.isVisible(), `${what} is on screen`);
          await staff.emulateMedia({ media: 'print' });
          try {
            assert.ok(await block.isVisible(), 'the post’s block is printed');
            assert.ok(await photo.isVisible(), 'with its photo');
            assert.ok(await block.getByText(t('backoffice.delivery.signature')).isVisible(), 'with the signature line');
            assert.ok(await staffMain.locator('.print-header').isVisible(), 'under the sheet’s title');
            for (const [what, locator] of notPrinted)
              assert.not.ok(await locator.isVisible(), `${what} is not printed`);
            for (const menuKind of ['nav.menu-wide', 'details.menu-narrow'])
              assert.not.ok(await staff.locator(menuKind).isVisible(), `${menuKind} is not printed`);
          } finally {
            await staff.emulateMedia({ media: 'screen' });
          }
          assert.not.ok(
            await block.getByText(t('backoffice.delivery.signature')).isVisible(),
            'the signature line is for paper only',
          );

          await tick.check();
          await register.click();
          await staff.waitForURL(
            (u) => u.pathname === '/backoffice/contact-book/delivery' && u.searchParams.get('date') === today,
          );
          await staffMain.getByText(t('backoffice.post.deliveredNotice', { count: '1' })).waitFor();
          await block.getByText(t('status.delivered'), { exact: true }).waitFor();
          assert.is(await block.getByRole('checkbox').count(), 0, 'nothing left to tick for this post');
          await checked(staff, 'delivery sheet after delivery');
        });

        await withScreenshotOnFailure(home, `${run.name}-delivered`, async () => {
          const row = await openList();
          await row.getByText(t('status.delivered'), { exact: true }).waitFor();
          await checked(home, 'list with the post delivered');
          await row.getByRole('link', { name: title, exact: true }).click();
          await home.waitForURL((u) => u.pathname === `/contact-book/${postId}`);
          const text = await homeMain.innerText();
          assert.match(text, t('status.delivered'));
          assert.match(text, t('post.delivered'), 'with the delivery date');
          await checked(home, 'delivered post');
        });
      } finally {
        await Promise.all([familyContext.close(), staffContext.close()]);
      }
    });
  });

  return test;
}
