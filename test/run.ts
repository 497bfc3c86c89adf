/**
 * The test command: one PostgreSQL for the whole run (DATABASE_URL's server, or an embedded one in a
 * temporary folder), a migrated template database that each test file copies, then the uvu test files
 * in a few processes side by side, then one closing line "N passed, N failed" summed over all of them.
 *
 * Usage: test/run.ts [dir] [pattern]: the files under dir (default test) whose path under it matches
 * the pattern (a regular expression, as uvu reads it). Every test file has a database of its own, so
 * files are independent: the domain and HTTP files are split into TEST_LANES processes (default 2),
 * each browser file runs in a process of its own, and TEST_JOBS processes (default 4) run at a time:
 * a browser file keeps about half a core busy (it mostly waits for pages), so four fill two cores.
 * The browser files share one Chromium, started here. A process's output is printed whole when it ends.
 *
 * Longest first: each file's seconds from this checkout's last run (test-artifacts/test-timings.json,
 * kept out of git), else from test/timings.json (committed, so a fresh clone such as CI's schedules as
 * well; refresh it with `npm run -s test:timings` after a full run when files were added or changed
 * much), else a guess from the file's size.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { chromium, type BrowserServer } from 'playwright-core';
import { startEmbeddedDb, type EmbeddedDb } from '../domain/platform/embedded-db.ts';
import { migrate } from '../domain/platform/migrate.ts';
import { migrateWorkerSchema } from '../domain/platform/worker.ts';
import { createLogger } from '../domain/platform/logger.ts';
import { TEMPLATE_DB } from './support/db.ts';
import { BROWSER_ENDPOINT_ENV, browserLaunchOptions } from './support/browser.ts';

const root = path.resolve(import.meta.dirname, '..');
const [dirArg = 'test', patternArg = '\\.test\\.ts$'] = process.argv.slice(2);
const LANES = Math.max(1, Number(process.env.TEST_LANES) || 2);
const SLOTS = Math.max(1, Number(process.env.TEST_JOBS) || 4);
/** How long each file took last time (seconds), to share the files out evenly; kept out of git. */
const TIMINGS = path.join(root, 'test-artifacts', 'test-timings.json');
/** The same from a full run, committed: what a fresh clone goes by (test/save-timings.ts writes it). */
const COMMITTED_TIMINGS = path.join(root, 'test', 'timings.json');

async function prepareTemplate(adminUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB} ENCODING 'UTF8' TEMPLATE template0`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${TEMPLATE_DB}`;
  const pool = new pg.Pool({ connectionString: url.toString() });
  await migrate(pool);
  await migrateWorkerSchema(pool, createLogger('silent'));
  await pool.end();
}

/**
 * The embedded cluster lives in a temporary folder deleted after the run, so it need not survive a
 * crash: PostgreSQL's "non-durable settings" make each database copy, drop and commit cheaper (measured
 * here: copying the template 0.35 s → 0.1 s, dropping a database 0.44 s → 0.06 s).
 */
async function skipDurability(adminUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const setting of ['fsync', 'synchronous_commit', 'full_page_writes'])
    await admin.query(`ALTER SYSTEM SET ${setting} = off`);
  await admin.query('SELECT pg_reload_conf()');
  await admin.end();
}

/** The test files as uvu's own command would find them: paths under `dir` matching `pattern`. */
async function testFiles(dir: string, pattern: RegExp, under = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(dir, under), { withFileTypes: true })) {
    const name = path.join(under, entry.name);
    if (/^\.git|node_modules/i.test(name)) continue;
    if (entry.isDirectory()) found.push(...(await testFiles(dir, pattern, name)));
    else if (pattern.test(name)) found.push(name);
  }
  return found.sort((a, b) => a.localeCompare(b));
}

type Job = { files: string[]; weight: number; browser: boolean };

/**
 * Browser files one per job; the others shared out over `lanes` jobs, longest first onto the lightest
 * (weights: last run's seconds, else a guess from the file's size).
 */
function planJobs(files: string[], weightOf: (file: string) => number, lanes: number): Job[] {
  const browser = files.filter((f) => f.startsWith(`browser${path.sep}`));
  const others = files.filter((f) => !browser.includes(f)).sort((a, b) => weightOf(b) - weightOf(a));
  const shared: Job[] = Array.from({ length: Math.min(lanes, others.length) }, () => ({
    files: [],
    weight: 0,
    browser: false,
  }));
  for (const file of others) {
    const lightest = shared.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.files.push(file);
    lightest.weight += weightOf(file);
  }
  for (const job of shared) job.files.sort((a, b) => a.localeCompare(b));
  const own = browser.map((f) => ({ files: [f], weight: weightOf(f), browser: true }));
  return [...shared, ...own].sort((a, b) => b.weight - a.weight);
}

async function readTimings(file: string): Promise<Record<string, number>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, number>;
  } catch {
    return {}; // no such run yet
  }
}

async function weights(dir: string, files: string[]): Promise<(file: string) => number> {
  const [last, committed] = await Promise.all([readTimings(TIMINGS), readTimings(COMMITTED_TIMINGS)]);
  const guess = new Map<string, number>();
  for (const f of files) {
    // Measured here: about a second per kB of a domain or HTTP file, eleven per kB of a browser file
    // (a poor guess for a file whose steps live in another one, such as contact-book-kiosk.test.ts).
    const size = (await stat(path.join(dir, f))).size / 1000;
    guess.set(f, last[f] ?? committed[f] ?? (f.startsWith(`browser${path.sep}`) ? size * 11 : size));
  }
  return (f) => guess.get(f) ?? 1;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Outcome = { passed: number; failed: number; ok: boolean; seconds: Record<string, number> };

/** One uvu process for `job`'s files; its output is kept and printed in one piece when it ends. */
async function runJob(job: Job, dir: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const pattern = `^(?:${job.files.map(escapeRegExp).join('|')})$`;
  const args = ['--import', 'tsx', path.join(root, 'node_modules/uvu/bin.js'), dir, pattern, '--no-color'];
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stdout = '';
  // uvu prints a file's name as it starts it: when each name shows up gives each file's time.
  const startOf = new Map<string, number>();
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    stdout += chunk.toString();
    for (const f of job.files) if (!startOf.has(f) && stdout.includes(`${f}\n`)) startOf.set(f, Date.now());
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const ended = Date.now();
  process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
  const seconds: Record<string, number> = {};
  const starts = [...startOf].sort((a, b) => a[1] - b[1]);
  starts.forEach(([f, t], i) => (seconds[f] = ((starts[i + 1]?.[1] ?? ended) - t) / 1000));
  const total = Number(/Total:\s+(\d+)/.exec(stdout)?.[1] ?? NaN);
  const passed = Number(/Passed:\s+(\d+)/.exec(stdout)?.[1] ?? NaN);
  const took = `${((ended - started) / 1000).toFixed(1)} s`;
  if (Number.isNaN(total) || Number.isNaN(passed)) {
    console.log(`(${job.files.join(', ')}: the test process stopped before reporting its totals, after ${took})\n`);
    return { passed: 0, failed: 1, ok: false, seconds };
  }
  console.log(`(${job.files.length === 1 ? job.files[0] : `${job.files.length} files`}: ${took})\n`);
  return { passed, failed: total - passed, ok: code === 0 && total === passed, seconds };
}

/** Runs the jobs, `slots` at a time, in the order given. */
async function runAll(jobs: Job[], slots: number, run: (job: Job) => Promise<Outcome>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) outcomes.push(await run(jobs[next++]!));
  };
  await Promise.all(Array.from({ length: Math.min(slots, jobs.length) }, worker));
  return outcomes;
}

async function main(): Promise<number> {
  const dir = path.resolve(root, dirArg);
  const files = await testFiles(dir, new RegExp(patternArg, 'i'));
  if (files.length === 0) {
    console.log(`No test file under ${dirArg} matches ${patternArg}.`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const jobs = planJobs(files, await weights(dir, files), LANES);
  let embedded: EmbeddedDb | undefined;
  let tmp: string | undefined;
  let browser: BrowserServer | undefined;
  let adminUrl = process.env.DATABASE_URL;
  try {
    const startBrowser = jobs.some((j) => j.browser)
      ? browserLaunchOptions({ headlessShell: true }).then((opts) => chromium.launchServer(opts))
      : undefined;
    if (!adminUrl) {
      tmp = await mkdtemp(path.join(os.tmpdir(), 'portal-test-'));
      await chmod(tmp, 0o755); // the server runs as the postgres user when we are root
      embedded = await startEmbeddedDb(path.join(tmp, 'pg'));
      adminUrl = embedded.url;
      await skipDurability(adminUrl);
    }
    await prepareTemplate(adminUrl);
    browser = await startBrowser;
    const env = {
      ...process.env,
      TEST_ADMIN_URL: adminUrl,
      NODE_ENV: 'test',
      ...(browser ? { [BROWSER_ENDPOINT_ENV]: browser.wsEndpoint() } : {}),
    };
    console.log(`${files.length} test files in ${jobs.length} processes, ${Math.min(SLOTS, jobs.length)} at a time\n`);
    const outcomes = await runAll(jobs, SLOTS, (job) => runJob(job, dirArg, env));
    await saveTimings(Object.assign({}, ...outcomes.map((o) => o.seconds)) as Record<string, number>);
    const passed = outcomes.reduce((n, o) => n + o.passed, 0);
    const failed = outcomes.reduce((n, o) => n + o.failed, 0);
    console.log(`\n${passed} passed, ${failed} failed`);
    return outcomes.every((o) => o.ok) ? 0 : 1;
  } finally {
    await browser?.close();
    if (embedded) await embedded.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

async function saveTimings(seconds: Record<string, number>): Promise<void> {
  try {
    let all: Record<string, number> = {};
    try {
      all = JSON.parse(await readFile(TIMINGS, 'utf8')) as Record<string, number>;
    } catch {
      // the first run here
    }
    await mkdir(path.dirname(TIMINGS), { recursive: true });
    await writeFile(TIMINGS, JSON.stringify({ ...all, ...seconds }, null, 2) + '\n');
  } catch (err) {
    console.error('could not keep the file timings:', err);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
