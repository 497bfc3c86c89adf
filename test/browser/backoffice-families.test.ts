import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { VALID_IDS } from '../support/journeys.ts';
import { STAFF_PASSWORD, staffAccounts, twoInstitutions } from '../support/scenarios.ts';
import {
  checkPage,
  DESKTOP,
  followMenu,
  launchBrowser,
  newContext,
  PHONE,
  staffSignInPage,
  withScreenshotOnFailure,
} from '../support/browser.ts';
import { translator } from '../../domain/i18n/i18n.ts';

/**
 * 家屬資料查詢修改 in a real browser (issue 12): an institution administrator finds a family member,
 * corrects their name with a reason (after a form sent without one), the family sees the new name and
 * the mail arrives; the family then asks for a correction of their birthday, and staff accept it.
 */
type Ctx = { app: TestApp; browser: Browser };
const test = suite<Ctx>('browser: staff correct a family’s name; the family asks for a correction (issue 12)');
const t = translator('zh-TW');
const PASSWORD = 'family password 1';
const RUNS = [
  { name: 'families-js-off-phone', javaScriptEnabled: false, viewport: PHONE },
  { name: 'families-js-on-phone', javaScriptEnabled: true, viewport: PHONE },
  { name: 'families-js-off-desktop', javaScriptEnabled: false, viewport: DESKTOP },
  { name: 'families-js-on-desktop', javaScriptEnabled: true, viewport: DESKTOP },
];
const family = (i: number) => ({
  name: `林美${'甲乙丙丁'[i]}`,
  corrected: `林美${'甲乙丙丁'[i]}華`,
  nationalId: VALID_IDS[i * 2 + 1]!,
  email: `family${i}@example.com`,
});

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const { pool } = ctx.app.db;
  await twoInstitutions(pool);
  await staffAccounts(pool, [['admin2477', '桃園管理者', '2477', 'institution_admin']]);
  for (const [i] of RUNS.entries()) {
    const f = family(i);
    const applicant = await fixture.applicant(pool, { ...f, password: PASSWORD });
    const inmate = await fixture.inmate(pool, {
      institutionCode: '2477',
      callNumber: String(1024 + i),
      name: '王小明',
    });
    await fixture.approvedService(pool, { applicant, inmate, service: 'contact_book', relationship: 'mother' });
  }
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

RUNS.forEach((run, i) => {
  test(`staff correct a family’s name, the family sees it and is mailed; a request is accepted (${run.name})`, async (ctx) => {
    const f = family(i);
    const phone = run.viewport === PHONE;
    const checked = (page: Page, label: string) => checkPage(page, `${run.name}: ${label}`, phone);
    const opts = { javaScriptEnabled: run.javaScriptEnabled, viewport: run.viewport, baseURL: ctx.app.url };
    const staffContext = await newContext(ctx.browser, opts);
    const familyContext = await newContext(ctx.browser, opts);
    const staff = await staffContext.newPage();
    const home = await familyContext.newPage();
    const main = staff.getByRole('main');
    try {
      await withScreenshotOnFailure(staff, `${run.name}-staff`, async () => {
        await staffSignInPage(staff, t, 'admin2477', STAFF_PASSWORD, (label) => checked(staff, label));
        await followMenu(staff, t('nav.backoffice.families'), phone);
        await staff.waitForURL((u) => u.pathname === '/backoffice/families');
        await main.getByRole('heading', { level: 1, name: t('family.title'), exact: true }).waitFor();
        await checked(staff, 'family search');
        await main.getByLabel(t('family.search.label'), { exact: true }).fill(f.email.toUpperCase());
        await main.getByRole('button', { name: t('family.search.submit'), exact: true }).click();
        await staff.waitForURL((u) => u.searchParams.get('q') === f.email.toUpperCase());
        const row = main.locator('tbody tr').filter({ hasText: f.name });
        assert.match(await row.innerText(), `******${f.nationalId.slice(-4)}`);
        assert.not.match(await staff.content(), f.nationalId, 'IDs are masked in the list');
        await checked(staff, 'search results');
        await row.getByRole('link', { name: f.name, exact: true }).click();
        await staff.waitForURL(/\/backoffice\/families\/\d+$/);
        await main.getByRole('heading', { level: 1, name: t('family.show.title', { name: f.name }) }).waitFor();
        assert.match(await main.innerText(), String(1024 + i), 'the contact book service in scope');
        await checked(staff, 'family record');

        // Without a reason: the form comes back with the name kept and the problem named.
        await main.getByLabel(t('field.name'), { exact: true }).fill(f.corrected);
        await main.getByRole('button', { name: t('family.identity.submit'), exact: true }).click();
        await main.getByRole('link', { name: t('error.family.reasonRequired') }).waitFor();
        assert.match(await staff.title(), /^錯誤：/);
        assert.is(await main.getByLabel(t('field.name'), { exact: true }).inputValue(), f.corrected);
        await checked(staff, 'correction without a reason');
        await main.getByLabel(t('family.identity.reason'), { exact: true }).fill('依戶籍謄本更正');
        await main.getByRole('button', { name: t('family.identity.submit'), exact: true }).click();
        await main.getByText(t('family.notice.corrected')).waitFor();
        await main.getByRole('heading', { level: 1, name: t('family.show.title', { name: f.corrected }) }).waitFor();
        await checked(staff, 'family record after the correction');
      });
      const mail = await ctx.app.smtp.waitFor((m) => m.to.includes(f.email) && m.subject.includes('基本資料已更正'));
      assert.match(mail.text, `${f.name} → ${f.corrected}`);
      assert.match(mail.text, '依戶籍謄本更正');

      await withScreenshotOnFailure(home, `${run.name}-family`, async () => {
        await home.goto('/signin');
        await home.getByLabel(t('signin.email')).fill(f.email);
        await home.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
        await home.getByRole('button', { name: t('signin.submit') }).click();
        await home.waitForURL('**/account');
        await home.goto('/account/profile');
        const profile = home.getByRole('main');
        assert.match(await profile.innerText(), f.corrected, 'the family sees the new name');
        await checked(home, 'profile with the corrected name');
        await profile.getByLabel(t('field.birthday.year'), { exact: true }).fill('1979');
        await profile.getByLabel(t('field.birthday.month'), { exact: true }).fill('12');
        await profile.getByLabel(t('field.birthday.day'), { exact: true }).fill('31');
        await profile.getByLabel(t('correction.field.reason'), { exact: true }).fill('註冊時選錯年份');
        await profile.getByRole('button', { name: t('correction.submit'), exact: true }).click();
        await profile.getByText(t('notice.correctionSent')).waitFor();
        assert.match(await profile.locator('#correction-state').innerText(), t('correction.status.pending'));
        await checked(home, 'profile with a request waiting');
      });

      await withScreenshotOnFailure(staff, `${run.name}-request`, async () => {
        await staff.goto('/backoffice/families');
        await main.locator('tbody tr').filter({ hasText: f.corrected }).getByRole('link').click();
        await staff.waitForURL(/\/backoffice\/families\/requests\/\d+$/);
        assert.match(await main.innerText(), '1979/12/31');
        await checked(staff, 'correction request');
        await main.getByRole('radio', { name: t('family.request.accept'), exact: true }).check();
        await main.getByRole('button', { name: t('family.request.save'), exact: true }).click();
        await main.getByText(t('family.notice.requestAccepted')).waitFor();
        await checked(staff, 'queue after accepting');
      });
      await ctx.app.smtp.waitFor((m) => m.to.includes(f.email) && m.text.includes('1980/01/01 → 1979/12/31'));
      await home.goto('/account/profile');
      assert.match(await home.locator('#correction-state').innerText(), t('correction.status.accepted'));
      assert.match(await home.getByRole('main').innerText(), '1979/12/31');
      await checked(home, 'profile after the request was accepted');
    } finally {
      await staffContext.close();
      await familyContext.close();
    }
  });
});

test.run();
