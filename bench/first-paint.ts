/**
 * `npm run bench:first-paint`: the family pages on Slow 3G (issue 14: 400 kbit/s down and up, 400 ms
 * latency) in a real Chromium, against the portal started as `npm start` starts it in production
 * (server.ts, NODE_ENV=production: template cache on) on a scratch database with the demo data.
 *
 * For the home page, registration and the signed-in status table (服務項目狀態查詢): cold (a fresh
 * browser context: empty cache, no cookies but the session for the signed-in page, so no `styles`
 * cookie and the stylesheet comes inline) and warm (the same context loaded again, once the
 * stylesheet the cold page prefetched is in the cache). Each is loaded RUNS times; the medians of
 * first paint, first contentful paint, load (loadEventEnd) and bytes on the wire (headers included)
 * until load are printed. Goal: cold first paint ≤ 800 ms.
 *
 * The throttling is Chromium's own (DevTools' Network.emulateNetworkConditions on a CDP session, cache
 * on): each request waits the latency once, then its bytes flow at the given rate. It models neither
 * TCP's slow start nor a TLS handshake, so a real link is slower, never faster, than these figures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Cookie, type Page } from 'playwright-core';
import { scratchDatabase, type CleanUp } from './scratch-db.ts';
import { DEMO_APPLICANT, loadDemoData } from '../domain/demo-data.ts';
import { browserLaunchOptions } from '../test/support/browser.ts';
import { until } from '../test/support/wait.ts';
import { npmStartEnv, runBenchmark } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FIRST_PAINT_GOAL_MS = 800;
/** Slow 3G as issue 14 defines it; DevTools takes bytes per second. */
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };
const PHONE = { width: 390, height: 844 };
const PAGES = [
  { name: 'home', path: '/', signedIn: false },
  { name: 'registration', path: '/register', signedIn: false },
  { name: 'status table', path: '/applications', signedIn: true },
] as const;

const progress = (msg: string) => process.stderr.write(`${msg}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

type Visit = { firstPaint: number; fcp: number; load: number; bytes: number; requests: number };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The portal as `npm start` runs it, in production; resolves once /healthz answers. */
async function startPortal(databaseUrl: string, cleanUp: CleanUp): Promise<string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...npmStartEnv(),
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      PUBLIC_URL: url,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      SMTP_URL: 'smtp://127.0.0.1:9', // nothing is mailed here
      MAIL_FROM: 'portal <noreply@portal.bench.invalid>',
      VIDEO_SERVICE_URL: 'https://video-visit.invalid/join',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  cleanUp.unshift(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await until(
    'the portal to answer /healthz',
    async () => {
      if (child.exitCode !== null) throw new Error(`the portal stopped (${child.exitCode}):\n${log}`);
      return (await fetch(`${url}/healthz`).catch(() => null))?.status === 200;
    },
    60_000,
  );
  return url;
}

/** The demo family's session cookie, signed in without throttling; the `styles` cookie is left behind. */
async function signIn(browser: Browser, base: string): Promise<Cookie> {
  const context = await browser.newContext({ baseURL: base });
  try {
    const page = await context.newPage();
    await page.goto('/signin');
    const form = page.locator('main form[action="/signin"]');
    await form.locator('input[name="email"]').fill(DEMO_APPLICANT.email);
    await form.locator('input[name="password"]').fill(DEMO_APPLICANT.password);
    await form.locator('button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname === '/account');
    const session = (await context.cookies()).find((c) => c.name === 'portal.sid');
    if (!session) throw new Error('signed in, but no portal.sid cookie');
    return session;
  } finally {
    await context.close();
  }
}

/** The responses a page received: path, bytes on the wire (headers included), when the last byte came (ms since the epoch). */
type Wire = { url: string; bytes: number; at: number }[];

/**
 * One navigation on the throttled page: its paint and navigation timing, and the bytes on the wire
 * until load. Waits until the network is idle (the prefetched stylesheet and the icon fetched), so the
 * next visit finds them in the cache, and returns every response the page received too.
 */
async function visit(page: Page, wire: Wire, url: string): Promise<Visit & { wire: Wire }> {
  const first = wire.length;
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForFunction(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return !!nav && nav.loadEventEnd > 0;
  });
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return {
      firstPaint: performance.getEntriesByName('first-paint', 'paint')[0]?.startTime ?? NaN,
      fcp: performance.getEntriesByName('first-contentful-paint', 'paint')[0]?.startTime ?? NaN,
      load: nav.loadEventEnd,
      loadAt: performance.timeOrigin + nav.loadEventEnd,
    };
  });
  await page.waitForLoadState('networkidle', { timeout: 60_000 });
  const mine = wire.slice(first);
  // Resource Timing's transferSize counts every response's headers as 300 B; DevTools counts them as sent.
  const untilLoad = mine.filter((w) => w.at <= timing.loadAt + 1);
  return {
    firstPaint: timing.firstPaint,
    fcp: timing.fcp,
    load: timing.load,
    bytes: untilLoad.reduce((n, w) => n + w.bytes, 0),
    requests: untilLoad.length,
    wire: mine,
  };
}

/** A throttled page in `context`, and the responses it receives from the network (not the cache). */
async function throttledPage(context: BrowserContext): Promise<{ page: Page; wire: Wire }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  const wire: Wire = [];
  const urls = new Map<string, string>();
  // DevTools' timestamps are monotonic seconds; a request's wallTime ties them to the epoch.
  let clock = { monotonic: 0, wall: 0 };
  cdp.on('Network.requestWillBeSent', (e) => {
    urls.set(e.requestId, new URL(e.request.url).pathname);
    clock = { monotonic: e.timestamp, wall: e.wallTime };
  });
  cdp.on('Network.loadingFinished', (e) => {
    if (e.encodedDataLength <= 0) return;
    const at = (clock.wall + e.timestamp - clock.monotonic) * 1000;
    wire.push({ url: urls.get(e.requestId) ?? '?', bytes: e.encodedDataLength, at });
  });
  return { page, wire };
}

async function measurePage(
  browser: Browser,
  base: string,
  target: (typeof PAGES)[number],
  session: Cookie,
): Promise<{ cold: (Visit & { wire: Wire })[]; warm: (Visit & { wire: Wire })[] }> {
  const cold: (Visit & { wire: Wire })[] = [];
  const warm: (Visit & { wire: Wire })[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ baseURL: base, viewport: PHONE, isMobile: true });
    try {
      if (target.signedIn) await context.addCookies([session]);
      const { page, wire } = await throttledPage(context);
      cold.push(await visit(page, wire, target.path));
      // A family reads the page before the next one: by then the stylesheet it prefetched is in the
      // cache, and the icon, which Chromium asks for last, after load.
      await until('the icon to be fetched', async () => wire.some((w) => w.url.endsWith('/favicon.ico')), 10_000);
      warm.push(await visit(page, wire, target.path));
    } finally {
      await context.close();
    }
  }
  return { cold, warm };
}

async function main(cleanUp: CleanUp): Promise<void> {
  const { pool, url: databaseUrl } = await scratchDatabase('paint', cleanUp);
  progress('loading the demo data (the demo family and its approved services)');
  await loadDemoData(pool, new Date());
  progress('starting the portal in production mode');
  const base = await startPortal(databaseUrl, cleanUp);
  const browser = await chromium.launch(await browserLaunchOptions());
  cleanUp.unshift(() => browser.close());
  const session = await signIn(browser, base);

  console.log(
    `Slow 3G (400 kbit/s down and up, 400 ms latency) in Chromium ${browser.version()}, phone viewport; medians of ${RUNS} loads`,
  );
  const checks: { figure: string; value: number; unit: string; goal: string; met: boolean }[] = [];
  const results: Record<string, Record<string, Record<string, number>>> = {};
  for (const target of PAGES) {
    progress(`loading ${target.path} (${target.name}) ${RUNS} times cold and warm`);
    // As on a portal that has been running: the page's template compiled and its code paths warm.
    const headers = { cookie: target.signedIn ? `${session.name}=${session.value}` : '', accept: 'text/html' };
    for (let i = 0; i < 3; i++) await (await fetch(base + target.path, { headers, redirect: 'manual' })).text();
    const runs = await measurePage(browser, base, target, session);
    results[target.name] = {};
    console.log(`\n${target.name} (${target.path})`);
    for (const kind of ['cold', 'warm'] as const) {
      const m = (k: keyof Visit) => Math.round(median(runs[kind].map((v) => v[k])));
      const row = {
        first_paint_ms: m('firstPaint'),
        fcp_ms: m('fcp'),
        load_ms: m('load'),
        bytes: m('bytes'),
        requests: m('requests'),
      };
      results[target.name]![kind] = row;
      const met = row.first_paint_ms <= FIRST_PAINT_GOAL_MS;
      const goal = kind === 'cold' ? ` (goal <= ${FIRST_PAINT_GOAL_MS} ms): ${met ? 'met' : 'NOT met'}` : '';
      console.log(
        `  ${kind}: first paint ${row.first_paint_ms} ms${goal}; first contentful paint ${row.fcp_ms} ms; ` +
          `load ${row.load_ms} ms; ${row.bytes} B in ${row.requests} request(s) until load`,
      );
      const all = runs[kind][0]!.wire;
      console.log(
        `    on the wire in all (first run, icon and prefetch included): ${all.reduce((n, w) => n + w.bytes, 0)} B: ` +
          all.map((w) => `${w.url.replace(/^\/assets\/[0-9a-f]+\//, '')} ${w.bytes}`).join(', '),
      );
      if (kind === 'cold')
        checks.push({
          figure: `Slow 3G cold first paint, ${target.name}`,
          value: row.first_paint_ms,
          unit: 'ms',
          goal: `<= ${FIRST_PAINT_GOAL_MS}`,
          met,
        });
    }
    const fp = (kind: 'cold' | 'warm') => runs[kind].map((v) => Math.round(v.firstPaint)).join(' ');
    progress(`  first paint of every run: cold ${fp('cold')}; warm ${fp('warm')}`);
  }
  console.log(JSON.stringify({ bench: 'first-paint', runs: RUNS, results, checks }));
}

runBenchmark(main);
