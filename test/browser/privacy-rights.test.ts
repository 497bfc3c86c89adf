import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
 * 我的資料與隱私 in a real browser (issue 13): a signed-in family downloads everything as a ZIP (its
 * index.html and data.json read back), then asks for deletion with their password and can no longer
 * sign in; the institution administrator confirms nothing must be kept and erases; the outcome is mailed.
 */
type Ctx = { app: TestApp; browser: Browser; dir: string; numbers: string[] };
const test = suite<Ctx>('browser: 我的資料與隱私, the data download and a deletion carried out (issue 13)');
const t = translator('zh-TW');
const PASSWORD = 'family password 1';
const RUNS = [
  { name: 'privacy-js-off-phone', javaScriptEnabled: false, viewport: PHONE },
  { name: 'privacy-js-on-phone', javaScriptEnabled: true, viewport: PHONE },
  { name: 'privacy-js-off-desktop', javaScriptEnabled: false, viewport: DESKTOP },
  { name: 'privacy-js-on-desktop', javaScriptEnabled: true, viewport: DESKTOP },
];
const family = (i: number) => ({
  name: `陳美${'甲乙丙丁'[i]}`,
  nationalId: VALID_IDS[i * 2 + 1]!,
  email: `privacy${i}@example.com`,
});
/** A family of another institution, never in anyone's download. */
const STRANGER = { name: '林外人', nationalId: VALID_IDS[0]!, email: 'stranger@example.com' };
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  ctx.dir = mkdtempSync(join(tmpdir(), 'k7-privacy-browser-'));
  ctx.numbers = [];
  const { pool } = ctx.app.db;
  await twoInstitutions(pool);
  await staffAccounts(pool, [['admin2477', '桃園管理者', '2477', 'institution_admin']]);
  const stranger = await fixture.applicant(pool, { ...STRANGER, password: PASSWORD });
  await fixture.approvedService(pool, {
    applicant: stranger,
    inmate: await fixture.inmate(pool, { institutionCode: '2411', callNumber: '2048', name: '林外囚' }),
    service: 'visit',
    visitKinds: ['onsite'],
    relationship: 'mother',
  });
  for (const [i] of RUNS.entries()) {
    const applicant = await fixture.applicant(pool, { ...family(i), password: PASSWORD });
    const inmate = await fixture.inmate(pool, {
      institutionCode: '2477',
      callNumber: String(3000 + i),
      name: '陳大明',
    });
    const app = await fixture.approvedService(pool, {
      applicant,
      inmate,
      service: 'visit',
      visitKinds: ['onsite'],
      relationship: 'mother',
      status: 'pending',
    });
    await pool.query(
      `INSERT INTO application_document (application_id, kind, file_name, media_type, uploaded_bytes, content, sha256, created_at)
       VALUES ($1, 'identity', '身分證.png', 'image/png', $2, $3, '\\x00', now())`,
      [app, PNG.length, PNG],
    );
    const { rows } = await pool.query<{ number: string }>('SELECT number FROM service_application WHERE id = $1', [
      app,
    ]);
    ctx.numbers.push(rows[0]!.number);
  }
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
  if (ctx.dir) rmSync(ctx.dir, { recursive: true, force: true });
});

RUNS.forEach((run, i) => {
  test(`a family downloads their data and asks for deletion; staff erase it and the mail arrives (${run.name})`, async (ctx) => {
    const f = family(i);
    const number = ctx.numbers[i]!;
    const phone = run.viewport === PHONE;
    const checked = (page: Page, label: string) => checkPage(page, `${run.name}: ${label}`, phone);
    const opts = { javaScriptEnabled: run.javaScriptEnabled, viewport: run.viewport, baseURL: ctx.app.url };
    const familyContext = await newContext(ctx.browser, opts);
    const staffContext = await newContext(ctx.browser, opts);
    const home = await familyContext.newPage();
    const staff = await staffContext.newPage();
    const mine = home.getByRole('main');
    const main = staff.getByRole('main');
    const signIn = async () => {
      await home.goto('/signin');
      await home.getByLabel(t('signin.email')).fill(f.email);
      await home.getByLabel(t('field.password'), { exact: true }).fill(PASSWORD);
      await home.getByRole('button', { name: t('signin.submit') }).click();
    };
    try {
      await withScreenshotOnFailure(home, `${run.name}-download`, async () => {
        await signIn();
        await home.waitForURL('**/account');
        await followMenu(home, t('nav.myData'), phone);
        await home.waitForURL((u) => u.pathname === '/account/data');
        await mine.getByRole('heading', { level: 1, name: t('myData.title'), exact: true }).waitFor();
        await checked(home, 'my data and privacy');
        const [download] = await Promise.all([
          home.waitForEvent('download'),
          mine.getByRole('button', { name: t('myData.download.submit'), exact: true }).click(),
        ]);
        assert.match(download.suggestedFilename(), /\.zip$/);
        const file = join(ctx.dir, `${run.name}.zip`);
        await download.saveAs(file);
        const listing = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n');
        assert.ok(listing.includes('index.html') && listing.includes('data.json'), listing.join(', '));
        assert.ok(
          listing.some((n) => n.startsWith(`documents/${number}/`) && n.endsWith('.png')),
          `the document in the ZIP: ${listing.join(', ')}`,
        );
        const html = execFileSync('unzip', ['-p', file, 'index.html'], { encoding: 'utf8' });
        assert.ok(html.includes(f.name), 'their name in index.html');
        assert.ok(html.includes(number), 'their application number in index.html');
        for (const other of [STRANGER, ...RUNS.map((_, j) => family(j)).filter((_, j) => j !== i)])
          assert.not.ok(
            html.includes(other.name) || html.includes(other.email) || html.includes(other.nationalId),
            `nothing of ${other.name} in index.html`,
          );
        const data = JSON.parse(execFileSync('unzip', ['-p', file, 'data.json'], { encoding: 'utf8' }));
        assert.is(data.profile.email, f.email);
        assert.equal(
          data.applications.map((a: { number: string }) => a.number),
          [number],
          'the application in data.json',
        );
        // The page is still there after the download, usable for the next step.
        assert.is(new URL(home.url()).pathname, '/account/data');
      });

      await withScreenshotOnFailure(home, `${run.name}-deletion`, async () => {
        await mine.getByRole('link', { name: t('myData.delete.start'), exact: true }).click();
        await home.waitForURL((u) => u.pathname === '/account/data/delete');
        await mine.getByRole('heading', { level: 1, name: t('myData.delete.confirmTitle'), exact: true }).waitFor();
        await checked(home, 'deletion confirmation');
        await mine.getByLabel(t('myData.delete.password'), { exact: true }).fill('not my password');
        await mine.getByRole('button', { name: t('myData.delete.submit'), exact: true }).click();
        await mine.getByRole('link', { name: t('error.deletion.password') }).waitFor();
        assert.match(await home.title(), /^錯誤：/);
        await checked(home, 'deletion with a wrong password');
        await mine.getByLabel(t('myData.delete.password'), { exact: true }).fill(PASSWORD);
        await mine.getByRole('button', { name: t('myData.delete.submit'), exact: true }).click();
        await mine.getByRole('heading', { level: 1, name: t('myData.delete.doneTitle'), exact: true }).waitFor();
        assert.match(await mine.innerText(), t('myData.delete.doneLead'));
        await checked(home, 'account closed');
        await home.goto('/account/data');
        await home.waitForURL((u) => u.pathname === '/signin');
        await signIn();
        await mine.getByText(t('error.signin.closed')).first().waitFor();
        assert.is(new URL(home.url()).pathname, '/signin', 'no more sign-in');
        await checked(home, 'sign-in refused');
      });

      await withScreenshotOnFailure(staff, `${run.name}-staff`, async () => {
        await staffSignInPage(staff, t, 'admin2477', STAFF_PASSWORD, (label) => checked(staff, label));
        await followMenu(staff, t('nav.backoffice.families'), phone);
        await staff.waitForURL((u) => u.pathname === '/backoffice/families');
        await main.getByRole('link', { name: t('deletions.title'), exact: true }).click();
        await staff.waitForURL((u) => u.pathname === '/backoffice/families/deletions');
        await main.getByRole('heading', { level: 1, name: t('deletions.title'), exact: true }).waitFor();
        await checked(staff, 'deletion queue');
        await main.locator('tbody tr').filter({ hasText: f.name }).getByRole('link', { name: f.name }).click();
        await staff.waitForURL(/\/backoffice\/families\/deletions\/\d+$/);
        await main.getByRole('heading', { level: 1, name: t('deletions.one.title', { name: f.name }) }).waitFor();
        assert.match(await main.innerText(), f.email);
        await checked(staff, 'deletion request');
        // Erasing without confirming that nothing must be kept: refused, the choice kept.
        await main.getByRole('radio', { name: t('deletions.decision.erase'), exact: true }).check();
        await main.getByRole('button', { name: t('deletions.submit'), exact: true }).click();
        await main.getByRole('link', { name: t('error.deletion.confirm') }).waitFor();
        assert.match(await staff.title(), /^錯誤：/);
        assert.ok(await main.getByRole('radio', { name: t('deletions.decision.erase'), exact: true }).isChecked());
        await checked(staff, 'erasure without the confirmation');
        await main.getByRole('checkbox', { name: t('deletions.nothingToKeep'), exact: true }).check();
        await main.getByRole('button', { name: t('deletions.submit'), exact: true }).click();
        await staff.waitForURL((u) => u.pathname === '/backoffice/families/deletions');
        await main.getByText(t('deletions.done.erased')).waitFor();
        assert.not.match(await main.innerText(), f.name, 'the erased request has left the queue');
        await checked(staff, 'queue after the erasure');
      });
      const mail = await ctx.app.smtp.waitFor(
        (m) => m.to.includes(f.email) && m.subject.includes(t('mail.deletion.erased.subject')),
      );
      assert.match(mail.text, '最後一封信');
      const { rows } = await ctx.app.db.pool.query('SELECT 1 FROM applicant WHERE email = $1 OR name = $2', [
        f.email,
        f.name,
      ]);
      assert.is(rows.length, 0, 'name and address erased');
    } finally {
      await familyContext.close();
      await staffContext.close();
    }
  });
});

test.run();
