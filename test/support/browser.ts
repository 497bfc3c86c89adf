import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type LaunchOptions, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import * as assert from 'uvu/assert';
import type { Translate } from '../../domain/i18n/i18n.ts';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');

// WCAG 2.2 AA as axe-core knows it: the 2.0 and 2.1 A/AA rules plus the 2.2 AA ones.
const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe-core's own minified build (0.58 MB; `axeCore.source` is the 1.3 MB readable one): the same
 * rules, sent to the browser and parsed in about half the time, once per page checked.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The sizes every page is tried at (STYLE.md): a small phone, a desktop, and the kiosk's portrait screen. */
export const PHONE = { width: 360, height: 640 };
export const DESKTOP = { width: 1280, height: 900 };
export const KIOSK = { width: 1080, height: 1920 };

/** Debian's chromium-headless-shell: the same Chromium without the desktop browser's layers. */
const HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';

/**
 * CHROMIUM_PATH, else (for the tests) Debian's Chromium headless shell, else Debian's chromium, else the
 * Chromium shipped inside @sparticuz/chromium. The headless shell renders the same pages with about a
 * third less CPU than the full chromium's headless mode (measured here on
 * browser/staff-accounts.test.ts: 94 → 61 CPU seconds, 63 → 46 s), which matters when four browser
 * test files share two cores. The benchmarks keep the full chromium, as a visitor's browser.
 */
export async function chromiumPath(opts: { headlessShell?: boolean } = {}): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (opts.headlessShell && existsSync(HEADLESS_SHELL)) return HEADLESS_SHELL;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return (await import('@sparticuz/chromium')).default.executablePath();
}

/** Launch options of the one headless Chromium: no sandbox because tests run as root, and nothing that reaches outside. */
export async function browserLaunchOptions(opts: { headlessShell?: boolean } = {}): Promise<LaunchOptions> {
  return {
    executablePath: await chromiumPath(opts),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}

/** Where test/run.ts's shared Chromium listens; unset when a test file runs on its own. */
export const BROWSER_ENDPOINT_ENV = 'TEST_BROWSER_WS';

/**
 * The browser for one test file: a connection to the Chromium that test/run.ts started for the whole
 * run (its `close()` only disconnects, leaving the contexts of other files alone), else one of its own.
 */
export async function launchBrowser(): Promise<Browser> {
  const endpoint = process.env[BROWSER_ENDPOINT_ENV];
  if (endpoint) return chromium.connect(endpoint);
  return chromium.launch(await browserLaunchOptions({ headlessShell: true }));
}

export type ContextOptions = {
  javaScriptEnabled: boolean;
  viewport: { width: number; height: number };
  baseURL?: string;
};

/** For each context with JavaScript off, the page where axe checks copies of its pages. */
const inspectors = new WeakMap<BrowserContext, Inspector>();

/** A fresh browser profile (cookies, storage) for one run. */
export async function newContext(browser: Browser, opts: ContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled: opts.javaScriptEnabled,
    viewport: opts.viewport,
    baseURL: opts.baseURL,
  });
  // Every page here answers in milliseconds: a step that waits longer has found a missing control.
  context.setDefaultTimeout(5_000);
  if (!opts.javaScriptEnabled) {
    const inspector = await Inspector.open(browser, opts.viewport);
    inspectors.set(context, inspector);
    context.on('close', () => void inspector.close());
  }
  return context;
}

/** Runs axe on the page as it is now and fails with every violation, its help text and where it is. */
export async function checkA11y(page: Page, label: string): Promise<void> {
  const inspector = inspectors.get(page.context());
  const violations = inspector ? await inspector.check(page) : await axe(page);
  if (violations.length === 0) return;
  const lines = violations.map((v) => {
    const targets = v.nodes.map((n) => `      ${n.target.join(' ')}`).join('\n');
    return `  ${v.id} (${v.impact ?? 'unknown'}): ${v.help}\n${targets}`;
  });
  assert.unreachable(`${label} (${page.url()}): ${violations.length} accessibility violation(s)\n${lines.join('\n')}`);
}

type Violations = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'];

async function axe(page: Page): Promise<Violations> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`axe did not finish on ${page.url()} within 15 s`)), 15_000);
  });
  // AxeBuilder sends axe-core's source to the page twice per check; it is sent once here, only when
  // this document does not have it yet, and AxeBuilder's own injections are left empty.
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  // Legacy mode runs axe.run() in the page itself; the default opens a blank page per check to
  // merge results across iframes, which costs about twice the time and our pages have no iframes.
  const run = new AxeBuilder({ page, axeSource: ';' }).withTags(A11Y_TAGS).setLegacyMode(true).analyze();
  try {
    return (await Promise.race([run, timeout])).violations;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * axe needs timers and promises, which never run in a page with JavaScript disabled. So the page's
 * markup as it is now is loaded, at the same address and size, into a page that may run axe but
 * fetches no scripts: the DOM, the stylesheet and the layout are the JavaScript-off ones.
 */
class Inspector {
  private html = '';
  private constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
  ) {}

  static async open(browser: Browser, viewport: ContextOptions['viewport']): Promise<Inspector> {
    const context = await browser.newContext({ javaScriptEnabled: true, viewport });
    // Every page this context loads is a copy to check: axe comes with each one from the browser
    // itself instead of over the wire per check.
    await context.addInitScript(AXE_SOURCE);
    const inspector = new Inspector(context, await context.newPage());
    await context.route('**/*', (route) => {
      const request = route.request();
      if (request.isNavigationRequest())
        return route.fulfill({ contentType: 'text/html; charset=utf-8', body: inspector.html });
      if (request.resourceType() === 'script') return route.abort();
      return route.continue();
    });
    return inspector;
  }

  async check(page: Page): Promise<Violations> {
    this.html = await page.content();
    const url = new URL(page.url());
    url.hash = ''; // a URL differing only in its fragment would not load the new copy
    await this.page.goto(url.href);
    return axe(this.page);
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

/** Runs `steps`; when they fail, keeps a full-page screenshot as test-artifacts/<name>.png and rethrows. */
export async function withScreenshotOnFailure<T>(page: Page, name: string, steps: () => Promise<T>): Promise<T> {
  try {
    return await steps();
  } catch (err) {
    const file = path.join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    try {
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: file, fullPage: true });
      console.error(`screenshot of the failure: ${file}`);
    } catch (shotErr) {
      console.error(`could not save a screenshot to ${file}:`, shotErr);
    }
    throw err;
  }
}

/** axe on the page as it is now and, at phone width, no sideways scrolling of the page. */
export async function checkPage(page: Page, label: string, phone: boolean): Promise<void> {
  await checkA11y(page, label);
  if (!phone) return;
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `${label} scrolls sideways at ${innerWidth} px: ${scrollWidth} px wide`);
}

/** Follows a menu link, public or back office; on a phone the menu is first opened with its toggle. */
export async function followMenu(page: Page, label: string, phone: boolean): Promise<void> {
  if (phone) await page.locator('details.menu-narrow > summary').click();
  await page.locator('nav.menu-wide').getByRole('link', { name: label, exact: true }).click();
}

const ZH_DIGITS = '零一二三四五六七八九';

/**
 * Signs in to the back office as a screen-reader user would: asks for the text code (digits read out
 * as words), types it as digits. `check` runs on the sign-in pages (axe). Ends on the back-office home.
 */
export async function staffSignInPage(
  page: Page,
  t: Translate,
  account: string,
  password: string,
  check: (label: string) => Promise<void>,
): Promise<void> {
  const main = page.getByRole('main');
  await page.goto('/backoffice/signin');
  await check('staff sign-in (picture code)');
  await main.getByRole('link', { name: /無法辨識圖片？改用文字驗證碼/ }).click();
  await page.waitForURL(/captcha=text/);
  await check('staff sign-in (text code)');
  const hint = await page.locator('#captcha-hint').innerText();
  const words = /請以阿拉伯數字輸入：([零一二三四五六七八九 ]+)/.exec(hint)?.[1];
  assert.ok(words, `the code read out as words: "${hint}"`);
  const digits = words!
    .trim()
    .split(/\s+/)
    .map((w) => ZH_DIGITS.indexOf(w))
    .join('');
  assert.match(digits, /^\d{4,}$/);
  await page.getByLabel(t('backoffice.account'), { exact: true }).fill(account);
  await page.getByLabel(t('backoffice.password'), { exact: true }).fill(password);
  await page.getByLabel(t('backoffice.captcha'), { exact: true }).fill(digits);
  await page.getByRole('button', { name: t('backoffice.signin.submit'), exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/backoffice');
}
