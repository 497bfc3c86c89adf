import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import * as assert from 'uvu/assert';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');

// WCAG 2.2 AA as axe-core knows it: the 2.0 and 2.1 A/AA rules plus the 2.2 AA ones.
const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** CHROMIUM_PATH, else Debian's chromium, else the Chromium shipped inside @sparticuz/chromium. */
export async function chromiumPath(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return (await import('@sparticuz/chromium')).default.executablePath();
}

/** One headless Chromium; no sandbox because tests run as root, and nothing that reaches outside. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
}

export type ContextOptions = {
  javaScriptEnabled: boolean;
  viewport: { width: number; height: number };
  baseURL?: string;
};

/** A fresh browser profile (cookies, storage) for one run. */
export function newContext(browser: Browser, opts: ContextOptions): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled: opts.javaScriptEnabled, viewport: opts.viewport, baseURL: opts.baseURL });
}

/** Runs axe on the page as it is now and fails with every violation, its help text and where it is. */
export async function checkA11y(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(A11Y_TAGS).analyze();
  if (violations.length === 0) return;
  const lines = violations.map((v) => {
    const targets = v.nodes.map((n) => `      ${n.target.join(' ')}`).join('\n');
    return `  ${v.id} (${v.impact ?? 'unknown'}): ${v.help}\n${targets}`;
  });
  assert.unreachable(`${label} (${page.url()}): ${violations.length} accessibility violation(s)\n${lines.join('\n')}`);
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
