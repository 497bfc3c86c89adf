/**
 * `npm run bench:photo` (also run by `npm run bench`): the cost of one contact book photo upload.
 * A 6000×4000 JPEG with GPS EXIF, just under 10 MB, is posted through the real form over loopback
 * to the portal running in a child process; the form is sent without a title, so each request
 * accepts, checks and re-encodes the photo and keeps it as the form's draft, and no post is created.
 * The portal runs as production runs it (NODE_ENV=production, createApp from routes/app.ts as
 * `npm start` builds it). Prints, for 10 uploads after one warm-up: the median and p95 time of the whole
 * request (goal: median <= 400 ms), the median rise of the portal process's resident memory during a
 * request (sampled from /proc every 2 ms), its high-water mark, and its resident memory before the
 * uploads, right after the tenth, and after settling (5 s idle, then a full garbage collection): goal,
 * back within 50 MB of where it started. Then the same figures as one JSON line with the contract's
 * `checks`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { sharpConcurrency } from '../domain/platform/images.ts';
import { createPool } from '../domain/platform/db.ts';
import { scratchDatabase, type CleanUp } from './scratch-db.ts';
import { createLogger } from '../domain/platform/logger.ts';
import { hashPassword } from '../domain/platform/passwords.ts';
import { loadConfig } from '../domain/platform/config.ts';
import { createApp } from '../routes/app.ts';
import { defaultLimits, type Limit, type RateLimits } from '../routes/middleware/rate-limits.ts';
import { isUploadProblem, MB } from '../domain/shared/uploads.ts';
import { POST_PHOTO_MAX_MB, preparePostPhoto } from '../domain/contact-book/photos.ts';
import { Client } from '../test/support/http.ts';
import { npmStartEnv, runBenchmark } from './support.ts';

const RUNS = 10;
const MEDIAN_GOAL_MS = 400;
const SETTLE_GOAL_MB = 50;
const SETTLE_MS = 5000;
const EMAIL = 'bench-family@example.com';
const PASSWORD = 'bench password 2026';
const progress = (msg: string) => process.stderr.write(`${msg}\n`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;

/** The portal alone in this process, so its memory is measured without the client's. */
async function serve(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL!;
  const logger = createLogger('silent');
  const pool = createPool(databaseUrl, () => undefined);
  // Production settings (template cache on); nothing here sends mail, the values only satisfy the checks.
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    SMTP_URL: 'smtp://127.0.0.1:2525',
    MAIL_FROM: '法務部矯正署便民服務入口網 <noreply@portal.bench.invalid>',
    PUBLIC_URL: 'http://127.0.0.1',
    VIDEO_SERVICE_URL: 'https://video-visit.invalid/join',
  });
  const generous: Limit = [1_000_000, 1];
  const limits = Object.fromEntries(Object.keys(defaultLimits).map((k) => [k, generous])) as RateLimits;
  const server = http.createServer(createApp({ config, pool, logger, limits }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send!({ port: (server.address() as AddressInfo).port });
  // The parent asks for a full collection (this process runs with --expose-gc) before its last reading.
  process.on('message', (m) => {
    if (m === 'gc') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send!('collected');
    }
  });
  process.on('disconnect', () => process.exit(0));
}

/** Resident memory of a process, in bytes, as /proc reports it (VmRSS, or the high-water mark VmHWM). */
async function memoryOf(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) * 1024;
}

/** A 6000×4000 phone photo with GPS EXIF, as close to 10 MB as a JPEG of noise gets without going over. */
async function bigPhoneJpeg(): Promise<Buffer> {
  const base = sharp({
    create: {
      width: 6000,
      height: 4000,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  });
  const exif = {
    IFD0: { Make: 'PhoneMaker', Model: 'Phone X' },
    IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '25/1 2/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 33/1 0/1' },
  };
  // The highest quality that stays within the limit (size grows with quality).
  let [low, high, best] = [5, 95, null as Buffer | null];
  while (low <= high) {
    const quality = Math.floor((low + high) / 2);
    const jpeg = await base.clone().withExif(exif).jpeg({ quality }).toBuffer();
    if (jpeg.length <= POST_PHOTO_MAX_MB * MB) [best, low] = [jpeg, quality + 1];
    else high = quality - 1;
  }
  if (!best) throw new Error('could not make a test photo under 10 MB');
  return best;
}

async function main(cleanUp: CleanUp): Promise<void> {
  const { pool, url: databaseUrl } = await scratchDatabase('photo', cleanUp);
  await pool.query(
    `INSERT INTO institution (code, name_zh, name_en) VALUES ('2477', '桃園女子監獄', 'Taoyuan Women''s Prison')`,
  );
  const inmate = (
    await pool.query(
      `INSERT INTO inmate (institution_code, call_number, name) VALUES ('2477', '1024', '王小明') RETURNING id`,
    )
  ).rows[0].id;
  const applicant = (
    await pool.query(
      `INSERT INTO applicant (name, national_id, email, birthday, password_hash, privacy_consent_at, email_verified_at)
       VALUES ('測試家屬', 'A123456789', $1, '1980-01-01', $2, now(), now()) RETURNING id`,
      [EMAIL, await hashPassword(PASSWORD)],
    )
  ).rows[0].id;
  await pool.query(
    `INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, relationship, submission_key, submitted_at, status, decided_at)
       VALUES ('20261101-BENCH1', $1, $2, '2477', 'contact_book', 'mother', $3, now(), 'approved', now())`,
    [applicant, inmate, randomUUID()],
  );

  progress('making a 6000×4000 JPEG with GPS, just under 10 MB');
  const photo = await bigPhoneJpeg();

  const child: ChildProcess = fork(import.meta.filename, [], {
    // As `npm start` runs it: production, and glibc's malloc settings (domain/platform/images.ts says why).
    env: {
      ...process.env,
      ...npmStartEnv(),
      NODE_ENV: 'production',
      BENCH_ROLE: 'server',
      BENCH_DATABASE_URL: databaseUrl,
    },
    execArgv: ['--import', 'tsx', '--expose-gc'],
  });
  cleanUp.unshift(async () => {
    child.disconnect();
    await new Promise((r) => child.once('exit', r));
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the portal process stopped (${code})`)));
  });
  const client = new Client(`http://127.0.0.1:${port}`);
  await client.get('/signin');
  if ((await client.post('/signin', { email: EMAIL, password: PASSWORD })).status !== 303)
    throw new Error('could not sign in');
  const form = await client.get('/contact-book/new');
  const recipient = /<option value="(\d+)" selected>/.exec(form.text)![1]!;

  // The form once, so the page's templates are compiled and cached before "before" is read.
  await client.get('/contact-book/new');
  const baseline = await memoryOf(child.pid!, 'VmRSS');
  const times: number[] = [];
  const rises: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const before = await memoryOf(child.pid!, 'VmRSS');
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await memoryOf(child.pid!, 'VmRSS'));
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const start = performance.now();
    // No title: the form comes back with that error, and the photo is kept as its draft.
    const res = await client.postMultipart(
      '/contact-book/new',
      { action: 'submit', recipient, title: '', body: '測試照片' },
      [['photo', 'IMG_0001.JPG', photo]],
    );
    const ms = performance.now() - start;
    sampling = false;
    await sampler;
    if (res.status !== 422 || !res.text.includes('IMG_0001.JPG'))
      throw new Error(`the upload was not kept (status ${res.status})`);
    if (i === 0) continue; // warm-up: first use of sharp and the code paths
    times.push(ms);
    rises.push(peak - before);
    progress(`  upload ${i}: ${ms.toFixed(0)} ms, +${(rises.at(-1)! / MB).toFixed(1)} MB resident`);
  }
  const stored = (
    await pool.query<{ bytes: number; width: number; height: number }>(
      'SELECT octet_length(content) AS bytes, width, height FROM contact_book_photo_draft LIMIT 1',
    )
  ).rows[0]!;
  const highWater = await memoryOf(child.pid!, 'VmHWM');
  const afterUploads = await memoryOf(child.pid!, 'VmRSS');
  progress(`letting the portal settle for ${SETTLE_MS / 1000} s, then a full garbage collection`);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const collected = new Promise((r) => child.once('message', r));
  child.send('gc');
  await collected;
  const settled = await memoryOf(child.pid!, 'VmRSS');

  // The image pipeline alone, in this process, for comparison.
  const pipeline: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const start = performance.now();
    const out = await preparePostPhoto({ fileName: 'IMG_0001.JPG', bytes: photo });
    if (isUploadProblem(out)) throw new Error(out.key);
    if (i > 0) pipeline.push(performance.now() - start);
  }

  const requestMedianMs = Math.round(median(times));
  const settledRiseMB = Number(((settled - baseline) / MB).toFixed(1));
  const figures = {
    uploadBytes: photo.length,
    runs: RUNS,
    requestMedianMs,
    requestP95Ms: Math.round(p95(times)),
    pipelineMedianMs: Math.round(median(pipeline)),
    residentRiseMedianMB: Number((median(rises) / MB).toFixed(1)),
    residentRiseMaxMB: Number((Math.max(...rises) / MB).toFixed(1)),
    portalBaselineMB: Number((baseline / MB).toFixed(1)),
    portalAfterUploadsMB: Number((afterUploads / MB).toFixed(1)),
    portalSettledMB: Number((settled / MB).toFixed(1)),
    settledRiseMB,
    portalHighWaterMB: Number((highWater / MB).toFixed(1)),
    sharpConcurrency: sharpConcurrency(),
    storedBytes: stored.bytes,
    storedWidth: stored.width,
    storedHeight: stored.height,
    node: process.version,
    checks: [
      {
        figure: '10 MB photo upload, median request',
        value: requestMedianMs,
        unit: 'ms',
        goal: `<= ${MEDIAN_GOAL_MS}`,
        met: requestMedianMs <= MEDIAN_GOAL_MS,
      },
      {
        figure: 'portal RSS after 10 uploads and settling, minus before',
        value: settledRiseMB,
        unit: 'MB',
        goal: `<= ${SETTLE_GOAL_MB}`,
        met: settledRiseMB <= SETTLE_GOAL_MB,
      },
    ],
  };
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(
    `\nContact book photo: a ${(photo.length / MB).toFixed(2)} MB 6000×4000 JPEG with GPS, posted ${RUNS} times (after 1 warm-up) over loopback, portal in production mode`,
  );
  console.log(
    `  whole request (upload, check, re-encode, store as draft, page): median ${requestMedianMs} ms (goal <= ${MEDIAN_GOAL_MS} ms): ${met(requestMedianMs <= MEDIAN_GOAL_MS)}; p95 ${figures.requestP95Ms} ms`,
  );
  console.log(
    `  image pipeline alone (sharp, concurrency ${figures.sharpConcurrency}: decode, rotate, resize to 1600 px, JPEG q82): median ${figures.pipelineMedianMs} ms`,
  );
  console.log(
    `  portal process resident memory during a request: median rise ${figures.residentRiseMedianMB} MB, largest ${figures.residentRiseMaxMB} MB; high-water mark ${figures.portalHighWaterMB} MB`,
  );
  console.log(
    `  RSS before the uploads ${figures.portalBaselineMB} MB, after 10 uploads ${figures.portalAfterUploadsMB} MB, after ${SETTLE_MS / 1000} s and a GC ${figures.portalSettledMB} MB`,
  );
  console.log(
    `  RSS after - RSS before: ${settledRiseMB} MB (goal <= ${SETTLE_GOAL_MB} MB): ${met(settledRiseMB <= SETTLE_GOAL_MB)}`,
  );
  console.log(
    `  stored: ${figures.storedWidth}×${figures.storedHeight} JPEG, ${(figures.storedBytes / 1024).toFixed(0)} KB (${((figures.storedBytes / photo.length) * 100).toFixed(1)}% of the upload)\n`,
  );
  console.log(JSON.stringify(figures));
}

if (process.env.BENCH_ROLE === 'server') {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  runBenchmark(main);
}
