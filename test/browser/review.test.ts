import { suite } from 'uvu';
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

type Files = { png: string; pdf: string; newPdf: string };
type Ctx = { app: TestApp; browser: Browser; dir: string; files: Files; applicants: Person[] };
const test = suite<Ctx>('browser: a contact book application between the applicant and the back office');
const t = translator('zh-TW');
const STAFF_PASSWORD = 'staff password 1';

// One inmate per run: an approved contact book takes the inmate's only household place.
const RUNS = [
  { name: 'review-js-off-phone', javaScriptEnabled: false, viewport: PHONE, callNumber: '1024' },
  { name: 'review-js-on-phone', javaScriptEnabled: true, viewport: PHONE, callNumber: '2048' },
  { name: 'review-js-off-kiosk', javaScriptEnabled: false, viewport: KIOSK, callNumber: '3072' },
  { name: 'review-js-on-kiosk', javaScriptEnabled: true, viewport: KIOSK, callNumber: '4096' },
];

test.before(async (ctx) => {
  [ctx.app, ctx.browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const { pool } = ctx.app.db;
  await fixture.institution(pool, { code: '2477' });
  await fixture.institution(pool, { code: '2411' });
  for (const [institutionCode, callNumber, name] of [
    ['2477', '1024', '王小明'],
    ['2477', '2048', '林美華'],
    ['2477', '3072', '陳志強'],
    ['2477', '4096', '李四'],
    ['2411', '2048', '張三'],
  ] as const)
    await fixture.inmate(pool, { institutionCode, callNumber, name });
  for (const [account, name, institutionCode] of [
    ['reviewer2477', '桃園承辦人', '2477'],
    ['reviewer2411', '基隆承辦人', '2411'],
  ] as const)
    await fixture.staff(pool, { account, name, institutionCode, role: 'reviewer', password: STAFF_PASSWORD });
  ctx.applicants = [];
  for (const _run of RUNS) {
    const p = person();
    await registerVerifyAndSignIn(new Client(ctx.app.url), ctx.app.smtp, p);
    ctx.applicants.push(p);
  }
  ctx.dir = await mkdtemp(path.join(os.tmpdir(), 'review-'));
  ctx.files = {
    png: path.join(ctx.dir, '身分證.png'),
    pdf: path.join(ctx.dir, '戶口名簿.pdf'),
    newPdf: path.join(ctx.dir, '戶籍謄本.pdf'),
  };
  await writeFile(
    ctx.files.png,
    await sharp({ create: { width: 120, height: 80, channels: 3, background: '#336699' } })
      .png()
      .toBuffer(),
  );
  await writeFile(ctx.files.pdf, '%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
  await writeFile(ctx.files.newPdf, '%PDF-1.4\n1 0 obj\n<<>>\nendobj\n2 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.app?.close();
  if (ctx.dir) await rm(ctx.dir, { recursive: true, force: true });
});

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

RUNS.forEach((run, index) => {
  const phone = run.viewport === PHONE;
  test(`apply with files, staff reject, read the reason, correct and resend, staff approve, both mails logged (${run.name})`, async (ctx) => {
    const { app } = ctx;
    const applicant = ctx.applicants[index]!;
    const reasonText = `請補上戶籍謄本第 2 頁（${run.name}）。`;
    const opts = { javaScriptEnabled: run.javaScriptEnabled, viewport: run.viewport, baseURL: app.url };
    const [familyContext, staffContext] = await Promise.all([
      newContext(ctx.browser, opts),
      newContext(ctx.browser, opts),
    ]);
    const family = await familyContext.newPage();
    const staff = await staffContext.newPage();
    const familyMain = family.getByRole('main');
    const staffMain = staff.getByRole('main');

    /** axe on every page, and at phone size no sideways scrolling. */
    const checked = (page: Page, label: string) => checkPage(page, `${run.name}: ${label}`, phone);
    /** A back-office menu link; on a phone the menu is folded into <details>. */
    const staffMenu = async (label: string) => {
      if (phone) await staff.locator('details.menu-narrow > summary').click();
      await staff.locator('nav.menu-wide').getByRole('link', { name: label, exact: true }).click();
    };
    const openCase = async (number: string) => {
      await staffMain.getByRole('link', { name: `${t('backoffice.review')} ${number}` }).click();
      await staff.waitForURL(/\/backoffice\/applications\/\d+$/);
      await staffMain.getByRole('heading', { level: 1, name: t('backoffice.case.title', { number }) }).waitFor();
    };

    try {
      // ---- 1. The applicant applies for the contact book with a picture and a PDF ----
      const number = await withScreenshotOnFailure(family, `${run.name}-apply`, async () => {
        await family.goto('/signin');
        await family.getByLabel(t('signin.email')).fill(applicant.email);
        await family.getByLabel(t('field.password'), { exact: true }).fill(applicant.password);
        await family.getByRole('button', { name: t('signin.submit') }).click();
        await family.waitForURL('**/account');

        await family.goto('/applications/new/contact-book');
        await familyMain.getByRole('heading', { level: 1, name: t('apply.title.contact_book') }).waitFor();
        await family.getByLabel(t('apply.institution')).selectOption('2477');
        await family.getByLabel(t('apply.callNumber')).fill(run.callNumber);
        await family.getByLabel(t('apply.relationship')).selectOption('mother');
        await family.getByLabel(t('apply.doc.identity'), { exact: true }).setInputFiles(ctx.files.png);
        await family.getByLabel(t('apply.doc.relationship'), { exact: true }).setInputFiles(ctx.files.pdf);
        await family.getByRole('button', { name: t('apply.submit') }).click();
        await family.waitForURL(/\/applications\/\d{8}-[0-9A-Z]{6}$/);
        await familyMain.getByRole('heading', { name: t('applications.sent') }).waitFor();
        return new URL(family.url()).pathname.split('/').pop()!;
      });

      // ---- 2. Staff sign in with the text code, open the case and reject it ----
      const caseUrl = await withScreenshotOnFailure(staff, `${run.name}-reject`, async () => {
        await staffSignInPage(staff, t, 'reviewer2477', STAFF_PASSWORD, (label) => checked(staff, label));

        await staffMain.getByRole('link', { name: t('nav.backoffice.applications'), exact: true }).click();
        await staff.waitForURL((url) => url.pathname === '/backoffice/applications');
        await staffMain.getByRole('heading', { level: 1, name: t('backoffice.queue.title') }).waitFor();
        await checked(staff, 'review queue');
        await openCase(number);
        const url = staff.url();
        const text = await staffMain.innerText();
        for (const s of [
          applicant.name,
          applicant.email,
          run.callNumber,
          '身分證.png',
          '戶口名簿.pdf',
          t('history.submitted'),
        ])
          assert.match(text, s);

        // The picture is shown in the page and really loads; the PDF is a link.
        const img = staffMain.locator('img.document__image');
        assert.is(await img.count(), 1, 'one picture shown inline');
        assert.is(await img.getAttribute('alt'), `${t('apply.doc.identity')}：身分證.png`);
        await img.scrollIntoViewIfNeeded();
        const width = await until('the document picture to load', () =>
          img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0)),
        );
        assert.is(width, 120);
        const pdfLink = staffMain.getByRole('link', { name: '戶口名簿.pdf', exact: true });
        const href = await pdfLink.getAttribute('href');
        assert.match(href!, /^\/backoffice\/applications\/\d+\/documents\/\d+$/);
        const pdf = await staffContext.request.get(href!);
        assert.is(pdf.headers()['content-type'], 'application/pdf');
        assert.match((await pdf.body()).toString('latin1'), /^%PDF-/);
        await checked(staff, 'case');

        await staffMain.getByRole('radio', { name: t('backoffice.case.reject'), exact: true }).check();
        await staff.getByLabel(t('backoffice.case.reasonCode')).selectOption('relationshipMissing');
        await staff.getByLabel(t('backoffice.case.reasonText')).fill(reasonText);
        await staffMain.getByRole('button', { name: t('backoffice.case.save') }).click();
        await staff.waitForURL((u) => u.pathname === '/backoffice/applications');
        await staffMain.getByText(t('backoffice.decided.rejected', { number })).waitFor();
        await checked(staff, 'queue with the notice');
        return url;
      });

      // ---- 3. The applicant reads the reason, corrects and resends ----
      await withScreenshotOnFailure(family, `${run.name}-correct`, async () => {
        await family.goto('/applications');
        const row = familyMain.getByRole('row').filter({ hasText: t('service.contact_book') });
        await row.getByText(t('status.rejected'), { exact: true }).waitFor();
        const viewReason = row.getByRole('link', {
          name: `${t('applications.viewReason')} ${t('applications.number', { number })}`,
        });
        const dialog = family.locator('dialog#reason-dialog');
        const focusInDialog = () => family.evaluate(() => !!document.activeElement?.closest('dialog[open]'));

        if (run.javaScriptEnabled) {
          await viewReason.click();
          await family.locator('dialog[open]').waitFor();
          assert.is(family.url(), `${app.url}/applications`, 'no page change');
          await dialog.getByText(reasonText).waitFor();
          assert.ok(await dialog.getByText(reasonText).isVisible(), 'the staff’s own words are shown');
          assert.ok(
            await dialog.getByText(t('rejectReason.relationshipMissing')).isVisible(),
            'with the common reason',
          );
          assert.ok(await focusInDialog(), 'focus moved into the dialog');
          assert.ok(
            await dialog.getByRole('heading', { name: t('applications.reasonDialogTitle', { number }) }).isVisible(),
          );
          await checked(family, 'status table with the reason dialog open');
          await family.keyboard.press('Escape');
          await until('Escape to close the dialog', async () => (await family.locator('dialog[open]').count()) === 0);

          await viewReason.click();
          await family.locator('dialog[open]').waitFor();
          await dialog.getByRole('button', { name: t('applications.close'), exact: true }).click();
          await until('關閉 to close the dialog', async () => (await family.locator('dialog[open]').count()) === 0);

          await viewReason.click();
          await family.locator('dialog[open]').waitFor();
          await dialog.getByRole('link', { name: t('applications.correct') }).click();
        } else {
          await checked(family, 'status table');
          await viewReason.click();
          await family.waitForURL((u) => u.pathname === `/applications/${number}`);
          assert.is(await dialog.count(), 0, 'a page of its own, not the table');
          assert.match(await familyMain.innerText(), reasonText);
          assert.match(await familyMain.innerText(), t('rejectReason.relationshipMissing'));
          await checked(family, 'application with the reason');
          await familyMain.getByRole('link', { name: t('applications.correct') }).click();
        }

        await family.waitForURL((u) => u.pathname === `/applications/${number}/resubmit`);
        await familyMain.getByRole('heading', { level: 1, name: t('resubmit.title', { number }) }).waitFor();
        assert.match(await familyMain.innerText(), reasonText);
        await checked(family, 'correction form');
        const keepRelationship = family.getByRole('checkbox', {
          name: new RegExp(
            `^${escapeRegExp(t('resubmit.keep', { file: `${t('apply.doc.relationship')}：戶口名簿.pdf` }))}`,
          ),
        });
        assert.ok(await keepRelationship.isChecked(), 'documents already sent are kept unless unticked');
        await keepRelationship.uncheck();
        assert.ok(await family.getByRole('checkbox', { name: /身分證\.png/ }).isChecked());
        await family.getByLabel(t('apply.doc.relationship'), { exact: true }).setInputFiles(ctx.files.newPdf);
        await familyMain.getByRole('button', { name: t('resubmit.submit'), exact: true }).click();
        await family.waitForURL((u) => u.pathname === `/applications/${number}`);
        await familyMain.getByRole('heading', { name: t('applications.sent') }).waitFor();
        const sentText = await familyMain.innerText();
        assert.match(sentText, '戶籍謄本.pdf');
        assert.match(sentText, '身分證.png');
        assert.not.match(sentText, '戶口名簿.pdf', 'the unticked document is no longer sent');

        await family.goto('/applications');
        const again = familyMain.getByRole('row').filter({ hasText: t('service.contact_book') });
        await again.getByText(t('status.pending'), { exact: true }).waitFor();
        assert.is(await again.getByText(t('status.rejected'), { exact: true }).count(), 0);
      });

      // ---- 4. Staff approve; history and notification log ----
      await withScreenshotOnFailure(staff, `${run.name}-approve`, async () => {
        await staffMenu(t('nav.backoffice.applications'));
        await staff.waitForURL((u) => u.pathname === '/backoffice/applications');
        await openCase(number);
        assert.is(staff.url(), caseUrl, 'the same case, sent again');
        const text = await staffMain.innerText();
        assert.match(text, '戶籍謄本.pdf');
        assert.match(text, `${t('backoffice.case.replaced')} (1)`);
        await staffMain.getByRole('radio', { name: t('backoffice.case.approve'), exact: true }).check();
        await staffMain.getByRole('button', { name: t('backoffice.case.save') }).click();
        await staff.waitForURL((u) => u.pathname === '/backoffice/applications');
        await staffMain.getByText(t('backoffice.decided.approved', { number })).waitFor();

        await staff.goto(caseUrl);
        const history = await staffMain.locator('ol.history > li').allInnerTexts();
        const actions = history.map((h) =>
          ['submitted', 'rejected', 'resubmitted', 'approved'].find((a) =>
            h.includes(t(`history.${a}` as 'history.submitted')),
          ),
        );
        assert.equal(
          actions,
          ['submitted', 'rejected', 'resubmitted', 'approved'],
          `history in order: ${JSON.stringify(history)}`,
        );
        assert.match(history[1]!, reasonText, 'the reason is kept in the history');
        assert.match(await staffMain.innerText(), t('backoffice.case.decided', { status: t('status.approved') }));
        await checked(staff, 'decided case with its history');

        // Both decision mails, once the worker has sent them.
        await until('both decision mails to be sent', async () => {
          const { rows } = await app.db.pool.query(
            `SELECT count(*)::int AS n FROM notification WHERE recipient = $1 AND status = 'sent' AND (body_text LIKE '%審核結果為審核未通過%' OR body_text LIKE '%審核結果為審核通過%')`,
            [applicant.email],
          );
          return rows[0].n === 2;
        });
        await staffMenu(t('nav.backoffice.notifications'));
        await staff.waitForURL((u) => u.pathname === '/backoffice/notifications');
        await staff.getByLabel(t('notifications.q')).fill(applicant.email);
        await staffMain.getByRole('button', { name: t('backoffice.search'), exact: true }).click();
        await staff.waitForURL((u) => u.searchParams.get('q') === applicant.email);
        const rows = staffMain.getByRole('row').filter({ hasText: t('mail.application.decisionSubject') });
        assert.is(await rows.count(), 2, 'two decision mails');
        for (const r of await rows.all()) {
          assert.match(await r.innerText(), applicant.email);
          assert.match(await r.innerText(), t('notifStatus.sent'));
          await r.locator('summary').click(); // the body is folded; opening it needs no script
        }
        const bodies = (await rows.locator('details p').allInnerTexts()).join('\n');
        assert.match(bodies, '審核結果為審核未通過');
        assert.match(bodies, '審核結果為審核通過');
        assert.match(bodies, reasonText, 'the rejection mail carries the staff’s words');
        assert.not.match(
          await staffMain.innerText(),
          ctx.applicants[(index + 1) % RUNS.length]!.email,
          'only this applicant’s mail',
        );
        await checked(staff, 'notification log');
      });
    } finally {
      await Promise.all([familyContext.close(), staffContext.close()]);
    }
  });
});

test.run();
