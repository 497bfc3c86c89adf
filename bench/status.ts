/**
 * `npm run bench:status`: the signed-in status table (服務項目狀態查詢, GET /applications) against a bare
 * Express 5 app sending the same bytes through `compression`, measured side by side (issue 14: goal
 * ratio >= 0.40).
 *
 * A scratch database (bench/scratch-db.ts) gets one verified family with 16 applications across three
 * services and six inmates in two institutions, some decided. The portal runs in a child process as
 * production runs it (NODE_ENV=production: template cache on; createApp and the server's timeouts as
 * server.ts sets them; pino at the production level), so its CPU profile and memory are its own. The
 * family signs in through the real form; the page is then fetched as a returning browser asks for it
 * (its session and stylesheet cookies, Accept-Encoding "gzip, deflate, br"). A second child serves the
 * captured HTML from a bare Express app with `compression` and the same content type.
 *
 * autocannon, 50 connections, alternates portal / bare for ROUNDS rounds after a warm-up; every portal
 * answer must be a 200 (a lost session would be a 303 to the sign-in page) and the page is checked to be
 * the status table after each round. The portal child counts its PostgreSQL statements (each is one
 * round trip) and takes a CPU profile over one more round; the top five functions by self time are
 * printed beside the ones measured on the code before issue 14's work (bench/status-before.json).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import argon2 from 'argon2';
import autocannon from 'autocannon';
import pg from 'pg';
import { scratchDatabase, type CleanUp } from './scratch-db.ts';
import { Client, csrfFrom } from '../test/support/http.ts';
import { benchNationalId, runBenchmark } from './support.ts';

const CONNECTIONS = 50;
const ROUNDS = Number(process.env.STATUS_ROUNDS ?? 3);
const ROUND_SECONDS = Number(process.env.STATUS_SECONDS ?? 8);
const WARM_UP_SECONDS = 3;
const GOAL_RATIO = 0.4;
const ACCEPT_ENCODING = 'gzip, deflate, br';
const ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const PASSWORD = 'bench family password';
const EMAIL = 'status-bench@example.com';
const TOP = Number(process.env.STATUS_TOP ?? 5);

const progress = (msg: string) => process.stderr.write(`${msg}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Top = { fn: string; file: string; pct: number }[];
type ToChild =
  { cmd: 'queries' } | { cmd: 'cpu' } | { cmd: 'profile-start' } | { cmd: 'profile-stop' } | { cmd: 'memory' };
type FromChild =
  | { ready: number }
  | { queries: number }
  | { cpuMicros: number }
  | { profiled: true; top: Top; samples: number; byPackage: string }
  | { memory: { rssMB: number; heapMB: number } };

// ---------------------------------------------------------------- child processes

/** The portal as server.ts builds it, plus a statement counter and a profiler the parent drives. */
async function portalChild(): Promise<void> {
  let queries = 0;
  // Every statement the app sends (pool.query and clients from pool.connect) goes through Client#query.
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    queries++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  const { loadConfig } = await import('../domain/platform/config.ts');
  const { createLogger } = await import('../domain/platform/logger.ts');
  const { createPool } = await import('../domain/platform/db.ts');
  const { createApp } = await import('../routes/app.ts');
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const pool = createPool(config.databaseUrl!, (err) => logger.error({ message: err.message }, 'idle client error'));
  const app = createApp({ config, pool, logger });
  const server = http.createServer(app);
  server.headersTimeout = 20_000;
  server.requestTimeout = 600_000;
  server.listen(0, '127.0.0.1', () => send({ ready: (server.address() as AddressInfo).port }));
  driven(async (m) => {
    if (m.cmd === 'queries') send({ queries });
    else return profiler(m);
  });
}

/** A bare Express 5 app: the captured page, compressed by `compression`, with the portal's content type. */
async function bareChild(): Promise<void> {
  const { default: express } = await import('express');
  const { default: compression } = await import('compression');
  const html = readFileSync(process.env.STATUS_HTML_FILE!, 'utf8');
  const app = express();
  app.use(compression());
  app.get('/applications', (_req, res) => {
    res.type('text/html; charset=utf-8').send(html);
  });
  const server = http.createServer(app);
  server.listen(0, '127.0.0.1', () => send({ ready: (server.address() as AddressInfo).port }));
  driven((m) => profiler(m));
}

const send = (m: FromChild) => process.send!(m);

function driven(handle: (m: ToChild) => Promise<void> | void): void {
  process.on('message', (m: ToChild) => void Promise.resolve(handle(m)).catch((e) => progress(String(e))));
  process.on('disconnect', () => process.exit(0));
}

let inspector: Session | undefined;
async function profiler(m: ToChild): Promise<void> {
  if (m.cmd === 'cpu') {
    const u = process.cpuUsage();
    send({ cpuMicros: u.user + u.system });
  } else if (m.cmd === 'memory') {
    const u = process.memoryUsage();
    send({ memory: { rssMB: Math.round(u.rss / 1e5) / 10, heapMB: Math.round(u.heapUsed / 1e5) / 10 } });
  } else if (m.cmd === 'profile-start') {
    inspector = new Session();
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 500 });
    await inspector.post('Profiler.start');
  } else if (m.cmd === 'profile-stop' && inspector) {
    const { profile } = await inspector.post('Profiler.stop');
    inspector.disconnect();
    // STATUS_PROFILE_FILE keeps the whole profile (open it in Chrome's DevTools) for a closer look.
    if (process.env.STATUS_PROFILE_FILE) writeFileSync(process.env.STATUS_PROFILE_FILE, JSON.stringify(profile));
    send({ profiled: true, ...topBySelfTime(profile) });
  }
}

type ProfileNode = {
  id: number;
  hitCount?: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
};

/** The functions with the most self time, as shares of all samples except idle ones. */
function topBySelfTime(profile: { nodes: ProfileNode[] }): { top: Top; samples: number; byPackage: string } {
  const root = path.resolve(import.meta.dirname, '..');
  const by = new Map<string, { fn: string; file: string; hits: number }>();
  let samples = 0;
  const parent = new Map<number, ProfileNode>();
  const packages = new Map<string, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits || n.callFrame.functionName === '(idle)') continue;
    samples += hits;
    // A native function (a socket write, say) is named by the JavaScript that called it.
    let from = n;
    while (!from.callFrame.url && parent.has(from.id)) from = parent.get(from.id)!;
    const url = from.callFrame.url.replace(/^file:\/\//, '');
    const relative = url.includes('node_modules/')
      ? url.slice(url.lastIndexOf('node_modules/') + 13)
      : path.relative(root, url);
    const place = url ? `${relative}:${from.callFrame.lineNumber + 1}` : '';
    const pkg = !url
      ? n.callFrame.functionName || '(native)'
      : url.startsWith('node:')
        ? 'node'
        : url.includes('node_modules/')
          ? relative
              .split('/')
              .slice(0, relative.startsWith('@') ? 2 : 1)
              .join('/')
          : relative.split('/').slice(0, 2).join('/');
    packages.set(pkg, (packages.get(pkg) ?? 0) + hits);
    const file =
      from === n ? place || '(native)' : `(native, from ${from.callFrame.functionName || '(anonymous)'} ${place})`;
    const fn = n.callFrame.functionName || '(anonymous)';
    const key = `${fn} ${file}`;
    const entry = by.get(key) ?? { fn, file, hits: 0 };
    entry.hits += hits;
    by.set(key, entry);
  }
  const top = [...by.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, TOP)
    .map((e) => ({ fn: e.fn, file: e.file, pct: Math.round((e.hits / samples) * 1000) / 10 }));
  const byPackage = [...packages]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([k, v]) => `${k} ${((v / samples) * 100).toFixed(1)}%`)
    .join(', ');
  return { top, samples, byPackage };
}

// ---------------------------------------------------------------- the parent

type Child = { process: ChildProcess; port: number; ask: (m: ToChild) => Promise<FromChild> };

function start(mode: 'portal' | 'bare', env: NodeJS.ProcessEnv, cleanUp: CleanUp): Promise<Child> {
  const child = fork(import.meta.filename, [mode], {
    env: { ...process.env, ...env },
    execArgv: ['--import', 'tsx'],
    // The portal's log goes to a pipe, as to a log collector in production; the bench drains it.
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  child.stdout!.resume();
  cleanUp.unshift(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  const ask = (m: ToChild) =>
    new Promise<FromChild>((resolve) => {
      child.once('message', (r: FromChild) => resolve(r));
      child.send(m);
    });
  return new Promise((resolve, reject) => {
    child.once('message', (m: FromChild) => {
      if ('ready' in m) resolve({ process: child, port: m.ready, ask });
    });
    child.once('exit', (code) => reject(new Error(`the ${mode} process exited with ${code} before it listened`)));
  });
}

/** One family with 16 applications: visits, contact books and a lawyer visit, approved, rejected and pending. */
async function seed(pool: pg.Pool): Promise<void> {
  await pool.query(
    `INSERT INTO institution (code, name_zh, name_en) VALUES ('2477', '桃園女子監獄', 'Taoyuan Women''s Prison'),
                                                             ('2418', '臺北監獄', 'Taipei Prison')`,
  );
  await pool.query(
    `INSERT INTO inmate (institution_code, call_number, name)
     SELECT CASE WHEN g <= 3 THEN '2477' ELSE '2418' END, lpad(g::text, 6, '0'), (ARRAY['王小明','陳美玲','林志豪','張雅婷','李建宏','黃淑芬'])[g]
       FROM generate_series(1, 6) g`,
  );
  // Cheap argon2 settings (verification reads them from the hash): signing in is not what is measured.
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
  await pool.query(
    `INSERT INTO applicant (name, national_id, email, birthday, password_hash, privacy_consent_at, email_verified_at)
     VALUES ('測試家屬', $1, $2, '1980-01-01', $3, now(), now())`,
    [benchNationalId(1), EMAIL, hash],
  );
  // [inmate, service, status]: one contact book per inmate at most, one pending per inmate and service.
  const rows: [number, string, string][] = [
    [1, 'visit', 'approved'],
    [1, 'contact_book', 'approved'],
    [1, 'visit', 'pending'],
    [2, 'visit', 'rejected'],
    [2, 'visit', 'approved'],
    [2, 'contact_book', 'rejected'],
    [2, 'contact_book', 'pending'],
    [3, 'lawyer_visit', 'approved'],
    [3, 'visit', 'auto_approved'],
    [4, 'visit', 'approved'],
    [4, 'contact_book', 'approved'],
    [5, 'visit', 'rejected'],
    [5, 'lawyer_visit', 'pending'],
    [5, 'visit', 'pending'],
    [6, 'contact_book', 'rejected'],
    [6, 'visit', 'approved'],
  ];
  await pool.query(
    `INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship,
                                      submission_key, submitted_at, status, decided_at, rejection_reason)
     SELECT '20261101-' || lpad(upper(to_hex(r.n::int)), 6, '0'), p.id, m.id, m.institution_code, r.service,
            CASE WHEN r.service = 'visit' THEN (CASE WHEN r.n % 2 = 0 THEN ARRAY['onsite', 'remote'] ELSE ARRAY['onsite'] END) ELSE '{}' END,
            CASE WHEN r.service = 'lawyer_visit' THEN 'lawyer' ELSE 'mother' END, gen_random_uuid(),
            now() - make_interval(days => 40 - 2 * r.n::int), r.status,
            CASE WHEN r.status <> 'pending' THEN now() - make_interval(days => 39 - 2 * r.n::int) END,
            CASE WHEN r.status = 'rejected' THEN '證明文件不清楚，請重新上傳。' END
       FROM unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY AS r(inmate, service, status, n)
       JOIN inmate m ON m.call_number = lpad(r.inmate::text, 6, '0')
       CROSS JOIN applicant p WHERE p.email = $4`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), EMAIL],
  );
}

async function signIn(base: string): Promise<string> {
  const c = new Client(base);
  // As a browser asks for pages: the first one sets the cookie that says the stylesheet is cached.
  const page = await c.get('/signin', { accept: ACCEPT });
  const res = await c.request('POST', '/signin', { _csrf: csrfFrom(page.text), email: EMAIL, password: PASSWORD });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  const first = await c.get('/applications', { accept: ACCEPT, 'accept-encoding': ACCEPT_ENCODING });
  if (first.status !== 200) throw new Error(`the status table answered ${first.status} after signing in`);
  return c.cookieHeaderValue;
}

/** The status table as a browser receives it (decompressed by fetch), checked to be the table. */
async function statusPage(base: string, cookie: string): Promise<string> {
  const res = await fetch(`${base}/applications`, {
    redirect: 'manual',
    headers: { cookie, accept: ACCEPT, 'accept-encoding': ACCEPT_ENCODING },
  });
  const html = await res.text();
  if (
    res.status !== 200 ||
    !html.includes('<table class="table">') ||
    html.includes('<style>') ||
    (html.match(/<tr>/g) ?? []).length !== 17
  )
    throw new Error(`GET /applications is not the status table with 16 rows, stylesheet linked (status ${res.status})`);
  return html;
}

type Round = { rps: number; requests: number; non2xx: number; errors: number; p50: number; p99: number; bytes: number };

async function load(port: number, cookie: string, seconds: number): Promise<Round> {
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/applications`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { cookie, accept: ACCEPT, 'accept-encoding': ACCEPT_ENCODING },
  });
  return {
    rps: Math.round(r.requests.average),
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    p50: r.latency.p50,
    p99: r.latency.p99,
    bytes: Math.round(r.throughput.total / Math.max(1, r.requests.total)),
  };
}

function printTop(label: string, top: Top): void {
  console.log(`  ${label}`);
  top.forEach((t, i) => console.log(`    ${i + 1}. ${t.pct.toFixed(1).padStart(5)}%  ${t.fn}  ${t.file}`));
}

type Before = {
  measuredOn: string;
  commit: string;
  note: string;
  portal_rps: number[];
  bare_rps: number[];
  ratio: number;
  round_trips_per_view: number;
  portal_cpu_us_per_request?: number;
  bare_cpu_us_per_request?: number;
  top: Top;
};

/** The figures measured on the code before the work (bench/status-before.json), if the file is there. */
function readBefore(): Before | null {
  try {
    return JSON.parse(readFileSync(path.join(import.meta.dirname, 'status-before.json'), 'utf8')) as Before;
  } catch {
    return null;
  }
}

async function main(cleanUp: CleanUp): Promise<void> {
  const { pool, url } = await scratchDatabase('status', cleanUp);
  progress('seeding one family with 16 applications');
  await seed(pool);
  progress('starting the portal (NODE_ENV=production)');
  const portal = await start(
    'portal',
    {
      NODE_ENV: 'production',
      DATABASE_URL: url,
      PORT: '0',
      PUBLIC_URL: 'http://127.0.0.1',
      SESSION_SECRET: 'status-bench-session-secret-0123456789abcdef',
      SMTP_URL: 'smtp://127.0.0.1:9',
      MAIL_FROM: 'bench <noreply@example.com>',
      VIDEO_SERVICE_URL: 'https://video.example.com/join',
      LOG_LEVEL: '',
      DEMO_DATA: '',
    },
    cleanUp,
  );
  const portalBase = `http://127.0.0.1:${portal.port}`;
  const cookie = await signIn(portalBase);
  const html = await statusPage(portalBase, cookie);
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const os = await import('node:os');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'portal-bench-status-html-'));
  cleanUp.unshift(() => rm(tmp, { recursive: true, force: true }));
  const htmlFile = path.join(tmp, 'status.html');
  await writeFile(htmlFile, html);
  // STATUS_HTML_OUT: keep a copy, to try compression settings on the real page.
  if (process.env.STATUS_HTML_OUT) await writeFile(process.env.STATUS_HTML_OUT, html);
  progress(`captured the status table: ${Buffer.byteLength(html)} bytes of HTML`);
  const bare = await start('bare', { STATUS_HTML_FILE: htmlFile, NODE_ENV: 'production' }, cleanUp);

  progress(`warming up (${WARM_UP_SECONDS} s each)`);
  await load(portal.port, cookie, WARM_UP_SECONDS);
  await load(bare.port, '', WARM_UP_SECONDS);

  const portalRounds: Round[] = [];
  const bareRounds: Round[] = [];
  const tripsPerView: number[] = [];
  const portalCpuPerRequest: number[] = [];
  const bareCpuPerRequest: number[] = [];
  console.log(`status table vs bare Express: ${CONNECTIONS} connections, ${ROUND_SECONDS} s per round, alternating`);
  for (let i = 1; i <= ROUNDS; i++) {
    const q0 = (await portal.ask({ cmd: 'queries' })) as { queries: number };
    const cpu0 = (await portal.ask({ cmd: 'cpu' })) as { cpuMicros: number };
    const p = await load(portal.port, cookie, ROUND_SECONDS);
    const cpu1 = (await portal.ask({ cmd: 'cpu' })) as { cpuMicros: number };
    const q1 = (await portal.ask({ cmd: 'queries' })) as { queries: number };
    if (p.non2xx || p.errors)
      throw new Error(`round ${i}: ${p.non2xx} portal answers were not 200, ${p.errors} failed`);
    await statusPage(portalBase, cookie);
    const trips = Math.round(((q1.queries - q0.queries) / p.requests) * 100) / 100;
    tripsPerView.push(trips);
    portalRounds.push(p);
    // CPU time per request: steadier than req/s on a shared machine (other work slows both, not this).
    const portalCpu = Math.round((cpu1.cpuMicros - cpu0.cpuMicros) / p.requests);
    portalCpuPerRequest.push(portalCpu);
    const bareCpu0 = (await bare.ask({ cmd: 'cpu' })) as { cpuMicros: number };
    const b = await load(bare.port, '', ROUND_SECONDS);
    const bareCpu1 = (await bare.ask({ cmd: 'cpu' })) as { cpuMicros: number };
    const bareCpu = Math.round((bareCpu1.cpuMicros - bareCpu0.cpuMicros) / b.requests);
    bareCpuPerRequest.push(bareCpu);
    if (b.non2xx || b.errors) throw new Error(`round ${i}: the bare app failed ${b.non2xx + b.errors} requests`);
    bareRounds.push(b);
    console.log(
      `  round ${i}: portal ${p.rps} req/s (p50 ${p.p50} ms, p99 ${p.p99} ms, ${p.bytes} B/response, ${trips} statements/view, CPU ${portalCpu} µs/request)` +
        ` | bare ${b.rps} req/s (p50 ${b.p50} ms, ${b.bytes} B/response, CPU ${bareCpu} µs/request) | ratio ${(p.rps / b.rps).toFixed(3)}`,
    );
  }
  const portalMedian = median(portalRounds.map((r) => r.rps));
  const bareMedian = median(bareRounds.map((r) => r.rps));
  const ratio = Math.round((portalMedian / bareMedian) * 1000) / 1000;
  const trips = median(tripsPerView);
  const met = ratio >= GOAL_RATIO;
  console.log(`portal median ${portalMedian} req/s, bare Express median ${bareMedian} req/s`);
  console.log(`ratio ${ratio.toFixed(3)} (goal >= ${GOAL_RATIO}): ${met ? 'met' : 'not met'}`);
  console.log(`PostgreSQL round trips per signed-in view: ${trips}`);
  const cpuPortal = median(portalCpuPerRequest);
  const cpuBare = median(bareCpuPerRequest);
  console.log(
    `CPU per request (median): portal ${cpuPortal} µs, bare ${cpuBare} µs: bare/portal ${(cpuBare / cpuPortal).toFixed(3)}` +
      ' (the ratio the CPU alone allows, less disturbed by other work on the machine)',
  );
  const before = readBefore();
  if (before)
    console.log(
      `  before (${before.commit}, ${before.measuredOn}): portal ${before.portal_rps.join(' / ')} req/s, bare ` +
        `${before.bare_rps.join(' / ')} req/s, ratio ${before.ratio}, ${before.round_trips_per_view} round trips per view` +
        (before.portal_cpu_us_per_request
          ? `, CPU per request portal ${before.portal_cpu_us_per_request} µs, bare ${before.bare_cpu_us_per_request} µs`
          : ''),
    );

  progress(`profiling the portal over one more round (${ROUND_SECONDS} s)`);
  await portal.ask({ cmd: 'memory' }).catch(() => undefined);
  portal.process.send({ cmd: 'profile-start' });
  const profiled = await load(portal.port, cookie, ROUND_SECONDS);
  const { top, samples, byPackage } = (await portal.ask({ cmd: 'profile-stop' })) as {
    top: Top;
    samples: number;
    byPackage: string;
  };
  const memory = ((await portal.ask({ cmd: 'memory' })) as { memory: { rssMB: number; heapMB: number } }).memory;
  console.log(
    `portal CPU profile under load (${profiled.rps} req/s while profiled; ${samples} samples; self time, idle left out):`,
  );
  if (before) printTop(`before (${before.commit}, ${before.measuredOn}; ${before.note}):`, before.top);
  printTop('now:', top);
  console.log(`  self time by package (native code counted where the JavaScript calling it is): ${byPackage}`);
  console.log(`portal memory after the rounds: rss ${memory.rssMB} MB, heap used ${memory.heapMB} MB`);

  console.log(
    JSON.stringify({
      checks: [{ figure: 'status table vs bare Express', value: ratio, unit: 'ratio', goal: `>= ${GOAL_RATIO}`, met }],
      portal_rps: portalRounds.map((r) => r.rps),
      bare_rps: bareRounds.map((r) => r.rps),
      portal_median_rps: portalMedian,
      bare_median_rps: bareMedian,
      round_trips_per_view: trips,
      portal_cpu_us_per_request: cpuPortal,
      bare_cpu_us_per_request: cpuBare,
      connections: CONNECTIONS,
      round_seconds: ROUND_SECONDS,
      profile_top: top,
      profile_top_before: before?.top ?? null,
      before: before
        ? { commit: before.commit, ratio: before.ratio, round_trips_per_view: before.round_trips_per_view }
        : null,
      portal_rss_mb: memory.rssMB,
    }),
  );
}

const mode = process.argv[2];
if (mode === 'portal') void portalChild();
else if (mode === 'bare') void bareChild();
else runBenchmark(main);
