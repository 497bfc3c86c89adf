/**
 * `npm run bench:forgot`: whether "forgot password" tells which addresses have accounts by its time
 * (issue 11.8: 21 ms against 13 ms before the request only queued a job). Runs the portal in this
 * process on a scratch database, then times 200 requests for a registered address and 200 for
 * addresses without an account, taken in turn, and prints the medians, p95 and the gap; the last line
 * is the same as JSON. A figure to read, not a test: a loaded machine moves it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runBenchmark } from './support.ts';
import { scratchDatabase, type CleanUp } from './scratch-db.ts';
import { createLogger } from '../domain/platform/logger.ts';
import { loadConfig } from '../domain/platform/config.ts';
import { hashPassword } from '../domain/platform/passwords.ts';
import { createApp } from '../routes/app.ts';
import { startWorker } from '../domain/jobs.ts';
import { devMailboxTransport } from '../domain/platform/mailer.ts';
import { defaultLimits, type Limit, type RateLimits } from '../routes/middleware/rate-limits.ts';
import { Client } from '../test/support/http.ts';

const ROUNDS = 200;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor((xs.length - 1) / 2)]!;
const p95 = (xs: number[]) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;

async function main(cleanUp: CleanUp): Promise<void> {
  const { pool, url } = await scratchDatabase('forgot', cleanUp);
  await pool.query(
    `INSERT INTO applicant (name, national_id, email, birthday, password_hash, privacy_consent_at, email_verified_at)
       VALUES ('測試家屬', 'A123456789', 'has-account@example.com', '1980-01-01', $1, now(), now())`,
    [await hashPassword('bench password 2026')],
  );
  const logger = createLogger('silent');
  const config = loadConfig({ NODE_ENV: 'development', DATABASE_URL: url, LOG_LEVEL: 'silent', DEMO_DATA: 'false' });
  const generous: Limit = [1_000_000, 1];
  const limits = Object.fromEntries(Object.keys(defaultLimits).map((k) => [k, generous])) as RateLimits;
  // The worker runs in the same process, as in `npm start`: its lookups and mails share the CPU.
  const worker = await startWorker({
    pool,
    logger,
    transport: devMailboxTransport(async () => undefined, logger),
    clock: () => new Date(),
    pollInterval: 200,
  });
  cleanUp.unshift(() => worker.stop());
  const server = http.createServer(createApp({ config, pool, logger, limits }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanUp.unshift(() => new Promise((resolve) => server.close(resolve)));
  const c = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await c.get('/account/forgot');
  const timed = async (email: string) => {
    const start = process.hrtime.bigint();
    const res = await c.post('/account/forgot', { email });
    if (res.status !== 200) throw new Error(`forgot answered ${res.status}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  for (let i = 0; i < 20; i++) await timed(i % 2 ? 'has-account@example.com' : `warm-up-${i}@example.com`);
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    known.push(await timed('has-account@example.com'));
    unknown.push(await timed(`nobody-${i}@example.com`));
  }
  const result = {
    rounds: ROUNDS,
    knownMedianMs: +median(known).toFixed(2),
    unknownMedianMs: +median(unknown).toFixed(2),
    knownP95Ms: +p95(known).toFixed(2),
    unknownP95Ms: +p95(unknown).toFixed(2),
    medianGapMs: +(median(known) - median(unknown)).toFixed(2),
  };
  console.log(`forgot password, ${ROUNDS} requests each, taken in turn`);
  console.log(`  registered address: median ${result.knownMedianMs} ms, p95 ${result.knownP95Ms} ms`);
  console.log(`  no account:         median ${result.unknownMedianMs} ms, p95 ${result.unknownP95Ms} ms`);
  console.log(`  gap of the medians: ${result.medianGapMs} ms`);
  console.log(JSON.stringify(result));
}

runBenchmark(main);
