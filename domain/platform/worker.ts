import { Logger as WorkerLogger, run, runMigrations, type Runner, type TaskList } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from './logger.ts';

function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message) => {
    if (level === 'error') logger.error({ scope }, message);
    else if (level === 'warning') logger.warn({ scope }, message);
    else logger.debug({ scope }, message);
  });
}

/** Creates graphile-worker's own schema (its jobs table and add_job function). */
export async function migrateWorkerSchema(pool: pg.Pool, logger: Logger): Promise<void> {
  await runMigrations({ pgPool: pool, logger: workerLogger(logger) });
}

/** Runs the given tasks (the list itself lives in domain/jobs.ts, which may import the domain). */
export async function runWorker(opts: {
  pool: pg.Pool;
  logger: Logger;
  taskList: TaskList;
  crontab?: string;
  pollInterval?: number;
}): Promise<Runner> {
  return run({
    pgPool: opts.pool,
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: opts.pollInterval ?? 2000,
    logger: workerLogger(opts.logger),
    crontab: opts.crontab,
    taskList: opts.taskList,
  });
}
