/**
 * `npm run bench`: every speed benchmark of issue 14, one after another, each in its own process (so one
 * benchmark's memory, caches and child processes never colour the next), then one table of every figure
 * that has a goal. Each benchmark prints its own figures as it goes and ends with one JSON line whose
 * `checks` array is what the table is made of (see bench/README.md for what each one measures).
 *
 * A benchmark that crashes, cannot measure or prints no figures makes this exit non-zero; a goal that is not met does not
 * (it is a figure to report, not a failure to hide). The last stdout line is all the figures as JSON.
 *
 * `npm run bench -- status photo` runs only the named ones.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Check = { figure: string; value: number; unit: string; goal: string; met: boolean };
type Result = { name: string; exitCode: number; seconds: number; checks: Check[]; json?: unknown };

/** In the order they run: the lightest first, the seeding of a million rows last. */
const BENCHMARKS: { name: string; script: string; about: string }[] = [
  { name: 'pages', script: 'pages.ts', about: 'bytes and time of every public page' },
  { name: 'status', script: 'status.ts', about: 'the signed-in status table against a bare Express app' },
  { name: 'bookings', script: 'bookings.ts', about: '500 booking attempts at once' },
  { name: 'first-paint', script: 'first-paint.ts', about: 'Slow-3G first paint in Chromium' },
  { name: 'photo', script: 'photo.ts', about: 'a 10 MB contact book photo' },
  { name: 'startup', script: 'startup-memory.ts', about: 'demo passwords hashed at start' },
  { name: 'volume', script: 'volume.ts', about: 'staff lists at volume' },
];

const here = path.dirname(fileURLToPath(import.meta.url));
/** Seconds of rest between two benchmarks (BENCH_SETTLE_SECONDS). */
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? 5);

function run(script: string): Promise<{ exitCode: number; lastLine: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, script)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      out += chunk.toString('utf8');
    });
    child.on('close', (code, signal) => {
      const lines = out.trim().split('\n');
      resolve({ exitCode: code ?? (signal ? 128 : 1), lastLine: lines[lines.length - 1] ?? '' });
    });
  });
}

function parseChecks(lastLine: string): { checks: Check[]; json?: unknown } {
  try {
    const json = JSON.parse(lastLine) as { checks?: Check[] };
    return { checks: Array.isArray(json.checks) ? json.checks : [], json };
  } catch {
    return { checks: [] };
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}

const formatValue = (c: Check) =>
  `${Number.isInteger(c.value) ? c.value : c.value.toFixed(c.value < 10 ? 2 : 1)} ${c.unit}`.trim();

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`,
    );
    process.exit(2);
  }
  const chosen = wanted.length > 0 ? BENCHMARKS.filter((b) => wanted.includes(b.name)) : BENCHMARKS;
  const startedAt = new Date();
  const results: Result[] = [];
  for (const [i, b] of chosen.entries()) {
    // A pause between benchmarks, so that what the one before leaves finishing in the background (its
    // PostgreSQL's shutdown checkpoint, its scratch files being deleted) is not timed in the next.
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));
    process.stdout.write(`\n=== ${b.name}: ${b.about} (bench/${b.script}) ===\n`);
    const t0 = Date.now();
    const { exitCode, lastLine } = await run(b.script);
    const seconds = (Date.now() - t0) / 1000;
    results.push({ name: b.name, exitCode, seconds, ...parseChecks(lastLine) });
  }

  const rows: string[][] = [['benchmark', 'figure', 'measured', 'goal', '']];
  for (const r of results) {
    if (r.exitCode !== 0) rows.push([r.name, `did not finish (exit code ${r.exitCode})`, '', '', 'FAILED']);
    else if (r.checks.length === 0)
      rows.push([r.name, 'printed no figures (its last line is not the JSON)', '', '', 'FAILED']);
    for (const c of r.checks) rows.push([r.name, c.figure, formatValue(c), c.goal, c.met ? 'met' : 'NOT MET']);
  }
  const cpus = os.cpus();
  process.stdout.write(
    `\n=== Summary: every figure with a goal, measured in this one run ===\n` +
      `${startedAt.toISOString()}, ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, Node ${process.version}, ` +
      `load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n\n` +
      `${table(rows)}\n\n` +
      results.map((r) => `${r.name} ${r.seconds.toFixed(0)} s`).join(', ') +
      '\n',
  );
  const failed = results.filter((r) => r.exitCode !== 0 || r.checks.length === 0);
  process.stdout.write(
    `${JSON.stringify({
      startedAt: startedAt.toISOString(),
      node: process.version,
      cpus: cpus.length,
      benchmarks: results.map((r) => ({ name: r.name, exitCode: r.exitCode, seconds: r.seconds, checks: r.checks })),
      met: results.flatMap((r) => r.checks).filter((c) => c.met).length,
      notMet: results.flatMap((r) => r.checks).filter((c) => !c.met).length,
      failed: failed.map((r) => r.name),
    })}\n`,
  );
  process.exitCode = failed.length > 0 ? 1 : 0;
}

await main();
