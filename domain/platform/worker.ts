import { EventEmitter } from 'node:events';
import {
  Logger as WorkerLogger,
  run,
  runMigrations,
  type Runner,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from './logger.ts';
import { withMigrationLock } from './migrate.ts';

function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message) => {
    if (level === 'error') logger.error({ scope }, message);
    else if (level === 'warning') logger.warn({ scope }, message);
    else logger.debug({ scope }, message);
  });
}

/**
 * Creates graphile-worker's own schema (its jobs table and add_job function), under the migration lock:
 * two instances starting at once on an empty database would otherwise both run `CREATE SCHEMA`, and one
 * would fail to start (npm run bench:scale found it).
 */
export async function migrateWorkerSchema(pool: pg.Pool, logger: Logger): Promise<void> {
  await withMigrationLock(pool, () => runMigrations({ pgPool: pool, logger: workerLogger(logger) }));
}

/**
 * graphile-worker frees the lock of a job whose process died (kill -9, a lost machine) only after 4
 * hours, long after a 10-minute verification link has expired. Every task here ends within `taskLimit`
 * (see domain/jobs.ts), so a job still locked after `staleAfterSeconds` by a worker that is not one of
 * this process's live workers belongs to a dead process: its lock is released and the job runs again
 * at once. Every instance sweeps; releasing twice is harmless.
 */
export type Recovery = { staleAfterSeconds: number; sweepEverySeconds: number };
// 75 s: above the 60-second task limit with room for the job's own bookkeeping, and low enough that a
// mail whose instance was killed goes out within two minutes (npm run bench:scale measures it).
export const DEFAULT_RECOVERY: Recovery = { staleAfterSeconds: 75, sweepEverySeconds: 10 };

export async function releaseStaleLocks(pool: pg.Pool, staleAfterSeconds: number, liveWorkers: string[]) {
  const { rows } = await pool.query<{ workers: string[] | null }>(
    `SELECT array_agg(DISTINCT locked_by) AS workers FROM graphile_worker.jobs
      WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $1) AND NOT (locked_by = ANY($2::text[]))`,
    [staleAfterSeconds, liveWorkers],
  );
  const workers = rows[0]?.workers ?? [];
  if (workers.length) await pool.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [workers]);
  return workers;
}

/** Runs the given tasks (the list itself lives in domain/jobs.ts, which may import the domain). */
export async function runWorker(opts: {
  pool: pg.Pool;
  logger: Logger;
  taskList: TaskList;
  crontab?: string;
  pollInterval?: number;
  recovery?: Recovery;
}): Promise<Runner> {
  const recovery = opts.recovery ?? DEFAULT_RECOVERY;
  const live = new Set<string>();
  // Listening before the runner starts: its workers are created while run() is still starting.
  const events: WorkerEvents = new EventEmitter();
  events.on('worker:create', ({ worker }) => live.add(worker.workerId));
  events.on('worker:release', ({ worker }) => live.delete(worker.workerId));
  const runner = await run({
    events,
    pgPool: opts.pool,
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: opts.pollInterval ?? 2000,
    logger: workerLogger(opts.logger),
    crontab: opts.crontab,
    taskList: opts.taskList,
  });
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    releaseStaleLocks(opts.pool, recovery.staleAfterSeconds, [...live])
      .then((workers) => {
        if (workers.length) opts.logger.warn({ workers }, 'released jobs locked by workers that died; they run again');
      })
      .catch((err: Error) => opts.logger.error({ message: err.message }, 'could not release stale job locks'))
      .finally(() => (sweeping = false));
  }, recovery.sweepEverySeconds * 1000);
  sweep.unref();
  const stop = runner.stop.bind(runner);
  runner.stop = async () => {
    clearInterval(sweep);
    await stop();
  };
  return runner;
}
