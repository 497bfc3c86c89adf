import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../migrations');

// Any fixed 64-bit number of our own: two instances starting together wait for each other here.
const MIGRATION_LOCK = 4_217_002_477;

type MigrationFile = { id: number; name: string; sql: string; sha256: string };

export class MigrationError extends Error {}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const match = /^(\d{3})_[a-z0-9_]+\.sql$/.exec(name);
    if (!match) throw new MigrationError(`Migration file name "${name}" must look like 001_what_it_does.sql`);
    const id = Number(match[1]);
    if (files.some((f) => f.id === id)) throw new MigrationError(`Two migrations are numbered ${match[1]}`);
    const sql = await readFile(path.join(dir, name), 'utf8');
    files.push({ id, name, sql, sha256: createHash('sha256').update(sql).digest('hex') });
  }
  return files;
}

/**
 * Runs `work` holding the migration lock (on a connection of its own), as migrate() does: for other
 * schemas set up at start (graphile-worker's), so instances starting together take turns there too.
 */
export async function withMigrationLock<T>(pool: pg.Pool, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/**
 * Applies the numbered SQL files not applied yet, in order, each in its own transaction, under an
 * advisory lock. Refuses to run when an applied file has been edited since.
 * Returns the names of the files it applied.
 */
export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      id integer PRIMARY KEY,
      name text NOT NULL,
      sha256 text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ id: number; name: string; sha256: string }>(
      'SELECT id, name, sha256 FROM schema_migration ORDER BY id',
    );
    const done = new Map(rows.map((r) => [r.id, r]));
    for (const row of rows) {
      const file = files.find((f) => f.id === row.id);
      if (!file) throw new MigrationError(`Migration ${row.name} was applied but its file is missing from ${dir}`);
      if (file.sha256 !== row.sha256) {
        throw new MigrationError(
          `Migration ${file.name} was edited after it was applied. Applied migrations must never change: ` +
            'put the change in a new numbered file instead.',
        );
      }
    }
    for (const file of files) {
      if (done.has(file.id)) continue;
      try {
        await client.query('BEGIN');
        await client.query(file.sql);
        await client.query('INSERT INTO schema_migration (id, name, sha256) VALUES ($1, $2, $3)', [
          file.id,
          file.name,
          file.sha256,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new MigrationError(`Migration ${file.name} failed: ${(err as Error).message}`);
      }
      applied.push(file.name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return applied;
}
