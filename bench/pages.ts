/**
 * `npm run bench`: starts the portal on loopback with its demo data and prints, for each public page,
 * the compressed bytes sent (HTML, CSS, JS) and the median and p95 time of sequential requests, then a
 * short concurrent run on `/`. The last stdout line is the same figures as JSON, for CI artifacts.
 *
 * The database is an embedded PostgreSQL in a temporary folder, or, when DATABASE_URL is set, a
 * scratch database on that server (bench/scratch-db.ts), dropped at the end.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { loadConfig } from '../domain/platform/config.ts';
import { createLogger } from '../domain/platform/logger.ts';
import { loadDemoData } from '../domain/demo-data.ts';
import { createApp } from '../routes/app.ts';
import { defaultLimits, type Limit, type RateLimits } from '../routes/middleware/rate-limits.ts';
import { runBenchmark } from './support.ts';
import { scratchDatabase, type CleanUp } from './scratch-db.ts';

const WARM_UP = 10;
const SAMPLES = 200;
const PARALLEL_CLIENTS = 10;
const REQUESTS_PER_CLIENT = 200;
const REQUEST_TIMEOUT_MS = 10_000;
const ACCEPT_ENCODING = 'gzip, br';

type Fetched = { status: number; encoding: string; wireBytes: number; contentType: string; body: Buffer };

type AssetFigures = { url: string; encoding: string; bytes: number };

type PageFigures = {
  path: string;
  status: number;
  encoding: string;
  htmlBytes: number;
  css: AssetFigures[];
  js: AssetFigures[];
  medianMs: number;
  p95Ms: number;
};

type Throughput = { path: string; clients: number; requests: number; seconds: number; requestsPerSecond: number };

const progress = (msg: string) => process.stderr.write(`${msg}\n`);

/**
 * One GET over loopback. `wireBytes` is the body as sent (still compressed): the raw chunk lengths,
 * since node:http does not decompress. The body is kept only when asked, to parse links from HTML.
 */
function get(base: string, pathname: string, agent: http.Agent, keepBody = false): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(pathname, base), { agent, headers: { 'Accept-Encoding': ACCEPT_ENCODING } }, (res) => {
      let wireBytes = 0;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        wireBytes += chunk.length;
        if (keepBody) chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          encoding: res.headers['content-encoding'] ?? 'identity',
          wireBytes,
          contentType: res.headers['content-type'] ?? '',
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () =>
      req.destroy(new Error(`GET ${pathname} took over ${REQUEST_TIMEOUT_MS} ms`)),
    );
    req.on('error', reject);
  });
}

async function getOk(base: string, pathname: string, agent: http.Agent, keepBody = false): Promise<Fetched> {
  const res = await get(base, pathname, agent, keepBody);
  if (res.status !== 200) throw new Error(`GET ${pathname} answered ${res.status}, expected 200`);
  return res;
}

function decompressed(res: Fetched): string {
  const raw =
    res.encoding === 'br'
      ? brotliDecompressSync(res.body)
      : res.encoding === 'gzip'
        ? gunzipSync(res.body)
        : res.encoding === 'deflate'
          ? inflateSync(res.body)
          : res.body;
  return raw.toString('utf8');
}

function linked(html: string): { css: string[]; js: string[] } {
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]+)"`).exec(tag)?.[1];
  const css = [...html.matchAll(/<link\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((t) => /\brel\s*=\s*"stylesheet"/.test(t))
    .map((t) => attr(t, 'href'));
  const js = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => attr(m[0], 'src'));
  const defined = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => x !== undefined))];
  return { css: defined(css), js: defined(js) };
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

async function timeSequential(
  base: string,
  pathname: string,
  agent: http.Agent,
): Promise<{ medianMs: number; p95Ms: number }> {
  for (let i = 0; i < WARM_UP; i++) await getOk(base, pathname, agent);
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await getOk(base, pathname, agent);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: round(percentile(times, 0.5)), p95Ms: round(percentile(times, 0.95)) };
}

async function timeConcurrent(base: string, pathname: string, agent: http.Agent): Promise<Throughput> {
  const client = async () => {
    for (let i = 0; i < REQUESTS_PER_CLIENT; i++) await getOk(base, pathname, agent);
  };
  for (let i = 0; i < WARM_UP; i++) await getOk(base, pathname, agent);
  const start = performance.now();
  await Promise.all(Array.from({ length: PARALLEL_CLIENTS }, client));
  const seconds = (performance.now() - start) / 1000;
  const requests = PARALLEL_CLIENTS * REQUESTS_PER_CLIENT;
  return {
    path: pathname,
    clients: PARALLEL_CLIENTS,
    requests,
    seconds: round(seconds),
    requestsPerSecond: Math.round(requests / seconds),
  };
}

async function firstAnnouncementPath(base: string, agent: http.Agent): Promise<string> {
  const page = await getOk(base, '/announcements', agent, true);
  const href = /href="(\/announcements\/\d+)"/.exec(decompressed(page))?.[1];
  if (!href) throw new Error('/announcements lists no announcement: is the demo data loaded?');
  return href;
}

async function measure(base: string, agent: http.Agent): Promise<{ pages: PageFigures[]; throughput: Throughput }> {
  const paths = [
    '/',
    '/announcements',
    await firstAnnouncementPath(base, agent),
    '/process',
    '/visit-times',
    '/privacy',
    '/register',
    '/signin',
    '/account/forgot',
    '/account/verify/resend',
  ];
  // The layout links the same files from every page; fetch each distinct one once.
  const assets = new Map<string, AssetFigures>();
  const asset = async (url: string): Promise<AssetFigures> => {
    let found = assets.get(url);
    if (!found) {
      const res = await getOk(base, url, agent);
      found = { url, encoding: res.encoding, bytes: res.wireBytes };
      assets.set(url, found);
    }
    return found;
  };

  const pages: PageFigures[] = [];
  for (const pathname of paths) {
    progress(`  ${pathname}`);
    const page = await getOk(base, pathname, agent, true);
    if (!page.contentType.startsWith('text/html'))
      throw new Error(`GET ${pathname} sent ${page.contentType}, expected HTML`);
    const links = linked(decompressed(page));
    const css: AssetFigures[] = [];
    for (const url of links.css) css.push(await asset(url));
    const js: AssetFigures[] = [];
    for (const url of links.js) js.push(await asset(url));
    const timing = await timeSequential(base, pathname, agent);
    pages.push({
      path: pathname,
      status: page.status,
      encoding: page.encoding,
      htmlBytes: page.wireBytes,
      css,
      js,
      ...timing,
    });
  }
  progress(`  ${PARALLEL_CLIENTS} parallel clients on /`);
  const throughput = await timeConcurrent(base, '/', agent);
  return { pages, throughput };
}

function printTable(pages: PageFigures[], throughput: Throughput): void {
  const sum = (xs: AssetFigures[]) => xs.reduce((n, a) => n + a.bytes, 0);
  const encodings = (xs: AssetFigures[]) => [...new Set(xs.map((a) => a.encoding))].join('+') || '-';
  const header = ['page', 'status', 'HTML B', 'enc', 'CSS B', 'enc', 'JS B', 'enc', 'median ms', 'p95 ms'];
  const rows = pages.map((p) => [
    p.path,
    String(p.status),
    String(p.htmlBytes),
    p.encoding,
    String(sum(p.css)),
    encodings(p.css),
    String(sum(p.js)),
    encodings(p.js),
    p.medianMs.toFixed(2),
    p.p95Ms.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // The page column reads best left-aligned, the figures right-aligned.
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(
    `\nPublic pages: bytes on the wire (Accept-Encoding: ${ACCEPT_ENCODING}); time of ${SAMPLES} sequential requests after ${WARM_UP} warm-up, keep-alive, loopback`,
  );
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  const assets = new Map(pages.flatMap((p) => [...p.css, ...p.js]).map((a) => [a.url, a]));
  console.log('\nAssets (each fetched once):');
  for (const a of assets.values()) console.log(`  ${a.url}  ${a.bytes} B ${a.encoding}`);
  console.log(
    `\nThroughput on ${throughput.path}: ${throughput.requestsPerSecond} requests/s ` +
      `(${throughput.clients} parallel clients x ${throughput.requests / throughput.clients} requests in ${throughput.seconds.toFixed(2)} s)\n`,
  );
}

async function main(cleanUp: CleanUp): Promise<void> {
  const { pool, url: databaseUrl } = await scratchDatabase('pages', cleanUp);
  const logger = createLogger('silent');
  progress('loading the demo data');
  await loadDemoData(pool, new Date());

  // As production runs it (templates compiled once and cached). No mail worker runs here, so the
  // SMTP address is never used.
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    SMTP_URL: 'smtp://127.0.0.1:9',
    MAIL_FROM: 'bench <bench@example.com>',
    PUBLIC_URL: 'http://127.0.0.1',
    VIDEO_SERVICE_URL: 'https://video.example.com',
  });
  const generous: Limit = [1_000_000, 1];
  // Every limit, whatever limits are added later.
  const limits = Object.fromEntries(Object.keys(defaultLimits).map((k) => [k, generous])) as RateLimits;
  const server = http.createServer(createApp({ config, pool, logger, limits }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  cleanUp.unshift(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Keep-alive, as a browser would: the figures are the portal's, not TCP handshakes'.
  const agent = new http.Agent({ keepAlive: true, maxSockets: PARALLEL_CLIENTS });
  cleanUp.unshift(async () => agent.destroy());

  progress(`measuring ${base}`);
  const { pages, throughput } = await measure(base, agent);
  printTable(pages, throughput);
  // The first-paint budget (issue 14): a first visit's HTML, which carries its CSS inline, in one
  // round trip of TCP's first window: 14 KB compressed.
  const largest = pages.reduce((a, b) => (b.htmlBytes > a.htmlBytes ? b : a));
  const checks = [
    {
      figure: `largest first-visit HTML with its CSS (${largest.path})`,
      value: Math.round((largest.htmlBytes / 1024) * 10) / 10,
      unit: 'KB',
      goal: '<= 14 KB',
      met: largest.htmlBytes <= 14 * 1024,
    },
  ];
  console.log(
    JSON.stringify({
      checks,
      acceptEncoding: ACCEPT_ENCODING,
      warmUp: WARM_UP,
      samples: SAMPLES,
      node: process.version,
      pages,
      throughput,
    }),
  );
}

runBenchmark(main);
