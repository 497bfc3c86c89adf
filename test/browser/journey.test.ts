import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { checkA11y, KIOSK, launchBrowser, newContext, PHONE, withScreenshotOnFailure } from '../support/browser.ts';
import { person } from '../support/journeys.ts';
import { linkIn } from '../support/smtp-sink.ts';
import { translator } from '../../domain/i18n/i18n.ts';
import { type Locale } from '../../domain/shared/locale.ts';

type Run = { name: string; javaScriptEnabled: boolean; viewport: { width: number; height: number }; locale: Locale };

const RUNS: Run[] = [
  { name: 'js-off-phone-en', javaScriptEnabled: false, viewport: PHONE, locale: 'en' },
  { name: 'js-off-kiosk', javaScriptEnabled: false, viewport: KIOSK, locale: 'zh-TW' },
  { name: 'js-on-phone', javaScriptEnabled: true, viewport: PHONE, locale: 'zh-TW' },
  { name: 'js-on-kiosk', javaScriptEnabled: true, viewport: KIOSK, locale: 'zh-TW' },
];

const test = suite<{ app: TestApp; browser: Browser }>('browser journey');
test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

for (const run of RUNS) {
  const phone = run.viewport === PHONE;
  test(`register, verify, sign in, change the mobile number and sign out (${run.name})`, async ({ app, browser }) => {
    const t = translator(run.locale);
    const context = await newContext(browser, {
      javaScriptEnabled: run.javaScriptEnabled,
      viewport: run.viewport,
      baseURL: app.url,
    });
    const page = await context.newPage();
    const main = page.getByRole('main');

    /** Every page is checked with axe, and at phone size for sideways scrolling. */
    const arrived = async (path: string, label: string) => {
      await page.waitForURL((url) => url.pathname === path);
      await checkA11y(page, `${run.name}: ${label}`);
      if (phone) {
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        assert.ok(scrollWidth <= innerWidth, `${label} scrolls sideways at ${innerWidth} px: ${scrollWidth} px wide`);
      }
    };

    try {
      await withScreenshotOnFailure(page, run.name, async () => {
        const p = person({ name: run.locale === 'en' ? '林美玲' : '陳志明' });

        await page.goto('/');
        await arrived('/', 'home');
        // htmx is loaded only by the pages that use it (issue 14); our own script runs exactly when
        // JavaScript is on (so the CSP lets it through)
        assert.is(await page.evaluate(() => 'htmx' in window), false, 'no htmx on the home page');
        // The first visit's stylesheet is inline (issue 14): the CSP lets exactly that text through.
        assert.is(await page.locator('head style').count(), 1, 'the stylesheet is inline on a first visit');
        assert.is(
          await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')!).color),
          'rgb(255, 255, 255)',
          'the inline stylesheet applies',
        );
        if (run.locale === 'en') {
          await page.getByRole('link', { name: 'English' }).click();
          await arrived('/', 'home in English');
          assert.is(await page.getAttribute('html', 'lang'), 'en');
        }

        // Privacy notice and consent
        await main.getByRole('link', { name: t('home.register') }).click();
        await arrived('/register', 'privacy notice');
        await page.getByRole('checkbox', { name: t('privacy.consent') }).check();
        await page.getByRole('button', { name: t('common.next') }).click();

        // The form: first with mistakes, then right
        await arrived('/register/details', 'registration form');
        await page.getByLabel(t('field.name'), { exact: true }).fill(p.name);
        await page.getByLabel(t('field.nationalId'), { exact: true }).fill('A123456788');
        await page.getByLabel(t('field.email'), { exact: true }).fill(p.email);
        await page
          .getByRole('group', { name: t('field.birthday') })
          .getByLabel(t('field.birthday.year'))
          .fill(p.birthYear);
        await page.locator('#birthMonth').fill(p.birthMonth);
        await page.locator('#birthDay').fill(p.birthDay);
        await page.getByLabel(t('field.mobile')).fill('12345');
        await page.getByLabel(t('field.password'), { exact: true }).fill(p.password);
        await page.getByLabel(t('field.passwordConfirm')).fill(p.password);
        await page.getByRole('button', { name: t('register.submit'), exact: true }).click();

        await arrived('/register/details', 'registration form with errors');
        const summary = page.getByRole('alert');
        await summary.waitFor();
        assert.match(await summary.innerText(), t('error.nationalId.checksum'));
        assert.match(await summary.innerText(), t('error.mobile.format'));
        assert.ok(
          (await page.title()).startsWith(t('common.errorPrefix')),
          `title "${await page.title()}" starts with the error prefix`,
        );
        await summary.getByRole('link', { name: t('error.nationalId.checksum') }).click();
        assert.is(
          await page.locator(':target').getAttribute('id'),
          'nationalId',
          'the summary link leads to the field',
        );
        assert.is(await page.getByLabel(t('field.name'), { exact: true }).inputValue(), p.name);
        assert.is(await page.getByLabel(t('field.email'), { exact: true }).inputValue(), p.email);
        assert.is(await page.locator('#birthYear').inputValue(), p.birthYear);
        assert.is(await page.locator('#birthMonth').inputValue(), p.birthMonth);
        assert.is(await page.locator('#birthDay').inputValue(), p.birthDay);
        assert.is(await page.getByLabel(t('field.mobile')).inputValue(), '12345');
        assert.is(
          await page.getByLabel(t('field.password'), { exact: true }).inputValue(),
          '',
          'passwords are not sent back',
        );

        await page.getByLabel(t('field.nationalId'), { exact: true }).fill(p.nationalId);
        await page.getByLabel(t('field.mobile')).fill(p.mobile);
        await page.getByLabel(t('field.password'), { exact: true }).fill(p.password);
        await page.getByLabel(t('field.passwordConfirm')).fill(p.password);
        await page.getByRole('button', { name: t('register.submit'), exact: true }).click();

        await arrived('/register/check-email', 'check your e-mail');
        assert.match(await main.innerText(), p.email);

        // The link from the real mail
        const mail = await app.smtp.waitFor((m) => m.to.includes(p.email));
        await page.goto(linkIn(mail, `${app.url}/account/verify?token=`));
        await arrived('/account/verify', 'account confirmed');
        await main.getByRole('heading', { name: t('verify.done.title') }).waitFor();

        // Sign in
        await main.getByRole('link', { name: t('nav.signIn') }).click();
        await arrived('/signin', 'sign in');
        await page.getByLabel(t('signin.email')).fill(p.email);
        await page.getByLabel(t('field.password'), { exact: true }).fill(p.password);
        await page.getByRole('button', { name: t('signin.submit') }).click();
        await arrived('/account', 'account');
        await main.getByRole('heading', { level: 1, name: t('account.heading', { name: p.name }) }).waitFor();

        // Change the mobile number
        await main.getByRole('link', { name: t('nav.profile') }).click();
        await arrived('/account/profile', 'profile');
        const mobile = page.getByLabel(t('field.mobile'));
        assert.is(await mobile.inputValue(), '0912345678');
        await mobile.fill('0987 654 321');
        await page.getByRole('button', { name: t('profile.submit') }).click();
        await arrived('/account/profile', 'profile saved');
        assert.is((await main.getByRole('status').innerText()).trim(), t('notice.profileSaved'));
        assert.is(await page.getByLabel(t('field.mobile')).inputValue(), '0987654321');

        // Sign out; on a phone the menu is folded into <details>, which must open without JavaScript
        const signOut = page.getByRole('button', { name: t('nav.signOut') });
        if (phone) {
          assert.not.ok(await signOut.isVisible(), 'the folded menu hides the sign-out button');
          await page.locator('details.menu-narrow > summary').click();
        }
        await signOut.click();
        await arrived('/', 'home after signing out');
        assert.ok(
          await main.getByRole('link', { name: t('nav.signIn'), exact: true }).isVisible(),
          'sign-in link shown',
        );
        assert.is(await main.getByRole('link', { name: t('home.toAccount') }).count(), 0, 'no link to the account');
        assert.is(await signOut.count(), 0, 'no sign-out button');
      });
    } finally {
      await context.close();
    }
  });
}

test.run();
