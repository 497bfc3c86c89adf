/**
 * `npm run bench:startup`: the start-up memory spike of the demo data (issue 14: 425 MB while ten demo
 * passwords were hashed at once). A child process, started fresh so its memory is its own, runs
 * loadDemoData on a new scratch database (as `npm start` does in development) and reports its resident
 * memory just before and its peak (VmHWM) after, and how long the load took: the demo passwords' argon2
 * hashes are nearly all of it (64 MiB and about 0.1–0.3 s of CPU each).
 *
 * Goal: the peak rises by at most one hash's memory and some headroom (≤ 100 MB) over where it started.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { scratchDatabase, type CleanUp } from './scratch-db.ts';
import { runBenchmark } from './support.ts';

const RISE_GOAL_MB = 100;
const progress = (msg: string) => process.stderr.write(`${msg}\n`);

/** A /proc/self/status field (VmRSS, VmHWM) in MB. */
const statusMb = (field: string) =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

type ChildReport = { startMb: number; peakMb: number; loadMs: number; loaded: boolean };

async function child(url: string): Promise<void> {
  const { createPool } = await import('../domain/platform/db.ts');
  const { loadDemoData } = await import('../domain/demo-data.ts');
  const { systemClock } = await import('../domain/platform/clock.ts');
  const pool = createPool(url, () => undefined);
  try {
    await pool.query('SELECT 1'); // the pool's first connection, before the figure
    const startMb = statusMb('VmRSS');
    const t0 = performance.now();
    const { loaded } = await loadDemoData(pool, systemClock());
    const loadMs = performance.now() - t0;
    const report: ChildReport = { startMb, peakMb: statusMb('VmHWM'), loadMs, loaded };
    process.send!(report);
  } finally {
    await pool.end();
  }
}

async function main(cleanUp: CleanUp): Promise<void> {
  const { url } = await scratchDatabase('startup', cleanUp);
  progress('loading the demo data in a fresh process');
  const proc = fork(import.meta.filename, [], {
    env: { ...process.env, BENCH_ROLE: 'child', BENCH_DATABASE_URL: url },
    execArgv: ['--import', 'tsx'],
  });
  cleanUp.unshift(async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  const report = await new Promise<ChildReport>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as ChildReport));
    proc.once('exit', (code) => reject(new Error(`the child process stopped (${code}) without a figure`)));
  });
  if (!report.loaded) throw new Error('the scratch database already had demo data');
  const round = (n: number) => Math.round(n * 10) / 10;
  const rise = round(report.peakMb - report.startMb);
  const met = rise <= RISE_GOAL_MB;
  console.log(`demo data (13 argon2id hashes, 64 MiB each) loaded in ${Math.round(report.loadMs)} ms`);
  console.log(`resident memory before ${round(report.startMb)} MB, peak ${round(report.peakMb)} MB`);
  console.log(
    `peak rise while loading ${rise} MB (goal <= ${RISE_GOAL_MB} MB: one hash's memory and headroom): ${met ? 'met' : 'NOT met'}`,
  );
  console.log(
    JSON.stringify({
      bench: 'startup',
      start_mb: round(report.startMb),
      peak_mb: round(report.peakMb),
      load_ms: Math.round(report.loadMs),
      checks: [
        {
          figure: 'start-up memory rise while demo passwords are hashed',
          value: rise,
          unit: 'MB',
          goal: `<= ${RISE_GOAL_MB}`,
          met,
        },
      ],
    }),
  );
}

if (process.env.BENCH_ROLE === 'child') {
  child(process.env.BENCH_DATABASE_URL!).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  runBenchmark(main);
}
