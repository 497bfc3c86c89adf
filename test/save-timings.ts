/**
 * Writes test/timings.json, the per-file seconds test/run.ts schedules a fresh clone by (longest file
 * first), from this checkout's last run (test-artifacts/test-timings.json): whole seconds, only the test
 * files that still exist. Run it after a full `npm test` when files were added, split or grew much.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const last = JSON.parse(await readFile(path.join(root, 'test-artifacts', 'test-timings.json'), 'utf8')) as Record<
  string,
  number
>;
const kept = Object.entries(last)
  .filter(([file]) => file.endsWith('.test.ts') && existsSync(path.join(root, 'test', file)))
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([file, seconds]) => [file, Math.max(1, Math.round(seconds))] as const);
await writeFile(path.join(root, 'test', 'timings.json'), JSON.stringify(Object.fromEntries(kept), null, 2) + '\n');
console.log(`test/timings.json: ${kept.length} files`);
