import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import iconv from 'iconv-lite';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import {
  checkA11y,
  checkPage,
  launchBrowser,
  newContext,
  PHONE,
  staffSignInPage,
  withScreenshotOnFailure,
} from '../support/browser.ts';
import { translator } from '../../domain/i18n/i18n.ts';
import { VALID_IDS } from '../support/journeys.ts';

/**
 * 收容人名冊 in a real browser (issue 12): an institution administrator uploads a register with one bad
 * row and sees it listed with its line, then a good one (Big5 or UTF-8 with BOM, as Excel saves them),
 * previews and applies it; a family can then look up the new call number. JS on and off, phone and
 * desktop, axe on every page.
 */
type Ctx = { app: TestApp; browser: Browser };
const test = suite<Ctx>('browser: the inmate register, a bad row then a good file, a family finds the new inmate');
const t = translator('zh-TW');
const PASSWORD = 'browser test password';
const STAFF_PASSWORD = 'staff password 1';

const DESKTOP = { width: 1280, height: 800 };
const RUNS = [
  {
    name: 'register-js-off-phone',
    javaScriptEnabled: false,
    viewport: PHONE,
    callNumber: '8001',
    inmate: '周杰',
    big5: true,
  },
  {
    name: 'register-js-on-phone',
    javaScriptEnabled: true,
    viewport: PHONE,
    callNumber: '8002',
    inmate: '蔡依林',
    big5: false,
  },
  {
    name: 'register-js-off-desktop',
    javaScriptEnabled: false,
    viewport: DESKTOP,
    callNumber: '800003',
    inmate: '林俊傑',
    big5: false,
  },
  {
    name: 'register-js-on-desktop',
    javaScriptEnabled: true,
    viewport: DESKTOP,
    callNumber: '8004',
    inmate: '張惠妹',
    big5: true,
  },
] as const;

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const { pool } = ctx.app.db;
  await fixture.institution(pool, { code: '2477' });
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  await fixture.staff(pool, {
    account: 'admin2477',
    name: '桃園管理者',
    institutionCode: '2477',
    role: 'institution_admin',
    password: STAFF_PASSWORD,
  });
  await fixture.applicant(pool, {
    name: '家屬甲',
    nationalId: VALID_IDS[0]!,
    email: 'family@example.com',
    mobile: '0912345678',
    password: PASSWORD,
  });
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
});

/** The whole register after run `index`: the inmate already there and the new one of each run so far. */
function registerFile(
  index: number,
  opts: { badRow: boolean; big5: boolean },
): { name: string; mimeType: string; buffer: Buffer } {
  const lines = ['呼號,姓名,限制', '1024,王小明,'];
  for (const run of RUNS.slice(0, index + 1)) lines.push(`${run.callNumber},${run.inmate},`);
  // Line 3: a call number whose leading zero a spreadsheet dropped.
  if (opts.badRow) lines.splice(2, 0, '512,林美,');
  const text = lines.join('\r\n') + '\r\n';
  const buffer = opts.big5 ? iconv.encode(text, 'cp950') : Buffer.from('\uFEFF' + text, 'utf8');
  return { name: opts.badRow ? '名冊-錯誤.csv' : '名冊.csv', mimeType: 'text/csv', buffer };
}

RUNS.forEach((run, index) => {
  test(`a bad row listed with its line, then a good file previewed and applied; a family finds ${run.callNumber} (${run.name})`, async (ctx) => {
    const phone = run.viewport === PHONE;
    const opts = { javaScriptEnabled: run.javaScriptEnabled, viewport: run.viewport, baseURL: ctx.app.url };
    const staffContext = await newContext(ctx.browser, opts);
    const familyContext = await newContext(ctx.browser, opts);
    const staff = await staffContext.newPage();
    const family = await familyContext.newPage();
    const main = staff.getByRole('main');
    try {
      await withScreenshotOnFailure(staff, `${run.name}-staff`, async () => {
        await staffSignInPage(staff, t, 'admin2477', STAFF_PASSWORD, (label) => checkPage(staff, label, phone));
        // In the menu (folded away on a phone, so found by its address).
        assert.ok(await staff.locator('nav a[href="/backoffice/inmates"]').count(), 'in the menu');
        await staff.goto('/backoffice/inmates');
        await main.getByRole('heading', { level: 1, name: t('nav.backoffice.inmates') }).waitFor();
        await checkPage(staff, `${run.name}: register page`, phone);

        await staff
          .getByLabel(t('inmates.upload.file'))
          .setInputFiles(registerFile(index, { badRow: true, big5: run.big5 }));
        await main.getByRole('button', { name: t('inmates.upload.submit') }).click();
        await staff.getByRole('alert').waitFor();
        assert.match(await staff.title(), /^錯誤：/);
        const problems = main.locator('#problems tbody tr');
        assert.is(await problems.count(), 1, 'one bad row');
        assert.match(await problems.first().innerText(), '第 3 行');
        assert.match(await problems.first().innerText(), t('inmates.problem.callNumberZeros', { value: '512' }));
        await checkPage(staff, `${run.name}: bad row listed`, phone);

        await staff
          .getByLabel(t('inmates.upload.file'))
          .setInputFiles(registerFile(index, { badRow: false, big5: run.big5 }));
        await main.getByRole('button', { name: t('inmates.upload.submit') }).click();
        await staff.waitForURL(/\/backoffice\/inmates\/uploads\/[0-9a-f-]{36}$/);
        await main.getByRole('heading', { level: 1, name: t('inmates.preview.title') }).waitFor();
        const preview = await main.innerText();
        assert.match(preview, t('inmates.preview.countAdded', { count: 1 }));
        assert.match(preview, t('inmates.preview.countRemoved', { count: 0 }));
        assert.match(preview, run.big5 ? 'Big5' : 'UTF-8');
        const added = await main.locator('#added tbody tr').innerText();
        assert.ok(added.includes(run.callNumber) && added.includes(run.inmate), added);
        await checkPage(staff, `${run.name}: preview`, phone);

        await main.getByRole('button', { name: t('inmates.preview.apply') }).click();
        await staff.waitForURL((u) => u.pathname === '/backoffice/inmates');
        assert.match(await main.getByRole('status').first().innerText(), '名冊已套用：新增 1 人');
        await checkPage(staff, `${run.name}: applied`, phone);
      });

      await withScreenshotOnFailure(family, `${run.name}-family`, async () => {
        await family.goto('/signin');
        await family.getByLabel(t('signin.email')).fill('family@example.com');
        await family.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
        await family.getByRole('button', { name: t('signin.submit') }).click();
        await family.waitForURL('**/account');
        await family.goto('/applications/new/visit');
        await family.getByLabel(t('apply.institution')).selectOption('2477');
        await family.getByLabel(t('apply.callNumber')).fill(run.callNumber);
        await family.getByRole('button', { name: t('apply.lookup') }).click();
        const masked = run.inmate[0] + '○'.repeat([...run.inmate].length - 1);
        await family.getByRole('main').getByText(`申請對象：${masked}`).waitFor();
        await checkA11y(family, `${run.name}: the family finds the new inmate`);
      });
    } finally {
      await staffContext.close();
      await familyContext.close();
    }
  });
});

test.run();
