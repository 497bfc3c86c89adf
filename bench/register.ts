/**
 * `npm run bench:register`: the inmate register (收容人名冊) of a large prison, 5,000 inmates, as a
 * Big5 CSV the way Excel saves it. Measures, on a pool the size the portal uses:
 *   1. the first import into an empty register: reading and checking the file, the preview (diff), and
 *      applying it (5,000 added) in one transaction;
 *   2. a later import of the full register with 200 names or restrictions changed, 100 inmates gone
 *      (each with a pending application, so 100 cancellations and 100 mails) and 100 new ones.
 * Each step is run 5 times (on fresh copies of the state where it changes data) and the median is
 * printed, then the same figures as one JSON line.
 */
import { performance } from 'node:perf_hooks';
import iconv from 'iconv-lite';
import type pg from 'pg';
import { withTransaction } from '../domain/platform/db.ts';
import { readRegisterFile, type RegisterRow } from '../domain/inmates/register-file.ts';
import { applyRegister, diffRegister } from '../domain/inmates/register.ts';
import { saveRegisterUpload } from '../domain/inmates/register-store.ts';
import type { StaffActor } from '../domain/shared/staff-actor.ts';
import { runBenchmark } from './support.ts';
import { scratchDatabase, type CleanUp } from './scratch-db.ts';

const INMATES = 5000;
const CHANGED = 200;
const GONE = 100;
const NEW = 100;
const RUNS = 5;
const NOW = new Date('2026-11-23T10:00:00+08:00');
const progress = (msg: string) => process.stderr.write(`${msg}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const SURNAMES = '陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周';
const GIVEN = '志明美華淑芬建國俊傑家豪怡君雅婷宗翰冠宇';

function nameOf(n: number): string {
  return SURNAMES[n % SURNAMES.length]! + GIVEN[(n * 7) % GIVEN.length]! + GIVEN[(n * 13) % GIVEN.length]!;
}

function csvOf(rows: RegisterRow[]): Buffer {
  const label = {
    visit_ban: '禁見',
    disciplinary_isolation: '違規隔離',
    protective_custody: '保護隔離',
    medical_isolation: '疾病隔離',
  };
  const lines = [
    '呼號,姓名,限制',
    ...rows.map((r) => `${r.callNumber},${r.name},${r.restriction ? label[r.restriction] : ''}`),
  ];
  return iconv.encode(lines.join('\r\n') + '\r\n', 'cp950');
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const out = await work();
  return [out, performance.now() - start];
}

/**
 * Empties the register (and what hangs on it) between runs. The audit log refuses TRUNCATE by a
 * trigger (entries are only ever added); this scratch database's superuser sets the triggers aside
 * for the one transaction (session_replication_role = replica), as a restore would.
 */
async function reset(pool: pg.Pool): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica');
    await tx.query(
      `TRUNCATE notification, application_event, service_application, inmate, inmate_register_upload, audit_log, graphile_worker._private_jobs CASCADE`,
    );
  });
}

async function main(cleanUp: CleanUp): Promise<void> {
  const { pool } = await scratchDatabase('register', cleanUp);
  await pool.query(
    `INSERT INTO institution (code, name_zh, name_en) VALUES ('2477', '桃園女子監獄', 'Taoyuan Women''s Prison')`,
  );
  const staffId = Number(
    (
      await pool.query<{ id: string }>(
        `INSERT INTO staff (account, name, institution_code, role, password_hash) VALUES ('admin', '管理者', '2477', 'institution_admin', 'x') RETURNING id`,
      )
    ).rows[0]!.id,
  );
  const actor: StaffActor = { staffId, role: 'institution_admin', institutionCode: '2477', ip: '127.0.0.1' };
  const first: RegisterRow[] = Array.from({ length: INMATES }, (_, i) => ({
    callNumber: String(100000 + i),
    name: nameOf(i),
    restriction: i % 50 === 0 ? 'visit_ban' : null,
  }));
  const second: RegisterRow[] = first
    .slice(GONE)
    .map((r, i) =>
      i < CHANGED ? { ...r, name: r.name + '華', restriction: i % 2 ? 'medical_isolation' : r.restriction } : r,
    )
    .concat(
      Array.from({ length: NEW }, (_, i) => ({
        callNumber: String(200000 + i),
        name: nameOf(i + 7),
        restriction: null,
      })),
    );
  const files = { first: csvOf(first), second: csvOf(second) };

  const importOnce = async (bytes: Buffer) => {
    const [file, readMs] = await timed(async () => readRegisterFile(bytes));
    if (file.kind !== 'ok')
      throw new Error(`the bench file is not clean: ${JSON.stringify(file.problems.slice(0, 3))}`);
    const [diff, previewMs] = await timed(async () => {
      const id = await saveRegisterUpload(
        pool,
        actor,
        { institutionCode: '2477', fileName: 'register.csv', bytes, ...file },
        NOW,
      );
      return { id: id!, diff: await diffRegister(pool, '2477', file.rows) };
    });
    const [outcome, applyMs] = await timed(() =>
      applyRegister(pool, '2477', file.rows, { kind: 'upload', actor, uploadId: diff.id }, NOW, diff.diff.fingerprint),
    );
    if (outcome.kind !== 'applied') throw new Error(`not applied: ${outcome.kind}`);
    return { readMs, previewMs, applyMs, counts: outcome.counts };
  };

  const results: Record<string, { readMs: number; previewMs: number; applyMs: number; counts: object }> = {};
  for (const step of ['first', 'second'] as const) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      await reset(pool);
      if (step === 'second') {
        await importOnce(files.first);
        // A pending application for each inmate about to leave: each is cancelled and its applicant mailed.
        await pool.query(
          `WITH a AS (
               INSERT INTO applicant (name, national_id, email, birthday, password_hash, privacy_consent_at, email_verified_at)
               SELECT '家屬', 'A1' || lpad(g::text, 8, '0'), 'family' || g || '@example.com', '1980-01-01', 'x', now(), now()
                 FROM generate_series(1, $1) g
               ON CONFLICT DO NOTHING RETURNING id, email)
             INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, relationship, submission_key, submitted_at)
             SELECT '20261123-' || lpad(m.call_number, 6, '0'), a.id, m.id, '2477', 'contact_book', 'mother', gen_random_uuid(), now()
               FROM a JOIN inmate m ON m.call_number = (100000 + substring(a.email FROM 'family([0-9]+)@')::int - 1)::text`,
          [GONE],
        );
      }
      progress(`${step} import, run ${i + 1} of ${RUNS}`);
      runs.push(await importOnce(files[step]));
    }
    results[step] = {
      readMs: median(runs.map((r) => r.readMs)),
      previewMs: median(runs.map((r) => r.previewMs)),
      applyMs: median(runs.map((r) => r.applyMs)),
      counts: runs[0]!.counts,
    };
  }
  const bytes = { first: files.first.length, second: files.second.length };
  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  console.log(
    `Inmate register of ${INMATES} inmates (Big5 CSV, ${(bytes.first / 1024).toFixed(0)} kB), median of ${RUNS} runs:`,
  );
  for (const [step, r] of Object.entries(results)) {
    console.log(
      `  ${step === 'first' ? 'first import into an empty register' : `full register, ${CHANGED} changed, ${GONE} gone, ${NEW} new`}: ` +
        `read and check ${f(r.readMs)}, preview ${f(r.previewMs)}, apply ${f(r.applyMs)} (${JSON.stringify(r.counts)})`,
    );
  }
  console.log(JSON.stringify({ bench: 'register', inmates: INMATES, bytes, runs: RUNS, ...results }));
}

runBenchmark(main);
