/**
 * The pieces `npm run bench:scale` runs the portal with: the embedded PostgreSQL on a fixed port (so it
 * can be stopped and started again at the same address), portal instances as real `node --import tsx
 * server.ts` processes, nginx from Debian in front of them, and an SMTP sink that keeps each mail's
 * Message-ID.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { createPool } from '../domain/platform/db.ts';
import { MIGRATIONS_DIR } from '../domain/platform/migrate.ts';
import { freePort, startEmbeddedDb, type EmbeddedDb } from '../domain/platform/embedded-db.ts';
import { npmStartEnv } from './support.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const progress = (msg: string) => process.stderr.write(`${msg}\n`);
export const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil(xs.length * p) - 1))] ?? NaN;
export const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');
export const seconds = (ms: number) => Number((ms / 1000).toFixed(1));
export const tally = (xs: string[]) =>
  xs.reduce<Record<string, number>>((t, x) => ({ ...t, [x]: (t[x] ?? 0) + 1 }), {});

export type Cluster = { pool: pg.Pool; lb: string; instances: Instance[]; pg: Postgres; sink: MailSink };

/**
 * What to stop if the benchmark itself dies (an uncaught error): the processes it started would
 * otherwise outlive it. Each step is synchronous and does nothing once its process has ended.
 */
const atExit: (() => void)[] = [];
process.on('exit', () => {
  for (const step of atExit) {
    try {
      step();
    } catch {
      // gone already
    }
  }
});

/** The database's own count of its work: ms spent executing statements, and transactions committed. */
export async function databaseWork(pool: pg.Pool): Promise<{ activeMs: number; commits: number }> {
  const { rows } = await pool.query<{ active: number; commits: number }>(
    `SELECT active_time AS active, xact_commit::int AS commits FROM pg_stat_database WHERE datname = current_database()`,
  );
  return { activeMs: Number(rows[0]!.active), commits: rows[0]!.commits };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks again every `everyMs` until `fn` answers something truthy; throws after `timeoutMs`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | false | null | undefined>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The embedded PostgreSQL on one port for the whole run: stop() and start() keep its address. */
export class Postgres {
  private db: EmbeddedDb | null = null;
  port = 0;
  constructor(private readonly dataDir: string) {}
  async start(): Promise<string> {
    this.port ||= await freePort();
    this.db = await startEmbeddedDb(this.dataDir, { port: this.port, ownSignals: true });
    atExit.push(() => {
      const pid = Number(readFileSync(path.join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGINT');
    });
    return this.db.url;
  }
  async stop(): Promise<void> {
    await this.db?.stop();
    this.db = null;
  }
  /**
   * CPU time of the server and every backend, in ms: the postmaster's own and its reaped children's
   * (cutime, cstime), and each live backend's (its pool connections).
   */
  async cpuMs(): Promise<number> {
    const stat = (pid: string) =>
      readFile(`/proc/${pid}/stat`, 'utf8').then(
        (t) => t.split(') ')[1]!.split(' ').map(Number),
        () => null,
      );
    const postmaster = readFileSync(path.join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]!;
    const own = (await stat(postmaster))!;
    let ticks = own[11]! + own[12]! + own[13]! + own[14]!;
    for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
      const f = await stat(pid);
      if (f && String(f[1]) === postmaster) ticks += f[11]! + f[12]!;
    }
    return ticks * 10; // ticks of 1/100 s
  }
  get running(): boolean {
    return this.db !== null;
  }
}

export type Mail = { messageId: string; subject: string; to: string; at: number };

/** A real SMTP server on loopback keeping every message it accepts, duplicates too. */
export class MailSink {
  readonly mails: Mail[] = [];
  /** How long the server thinks before taking each sender (MAIL FROM), as a busy relay does. */
  delayMs = 0;
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom: (_address, _session, callback) => {
      if (this.delayMs) setTimeout(() => callback(), this.delayMs);
      else callback();
    },
    onData: (stream, session, callback) => {
      simpleParser(stream)
        .then((m) => {
          const to = Array.isArray(m.to) ? m.to.map((a) => a.text).join(', ') : (m.to?.text ?? '');
          this.mails.push({ messageId: m.messageId ?? '', subject: m.subject ?? '', to, at: Date.now() });
          callback();
        })
        .catch(callback);
    },
  });
  port = 0;
  /** Connections that broke off (a sender killed mid-conversation): expected in check 3, not fatal. */
  brokenConnections = 0;
  async start(): Promise<this> {
    this.server.on('error', () => this.brokenConnections++);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** One portal process, started as `npm start` starts it; its output goes to `<dir>/<name>.log`. */
export class Instance {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly dir: string,
  ) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** The running process's id, or null when it has exited. */
  get pid(): number | null {
    return this.child && this.child.exitCode === null && this.child.signalCode === null
      ? (this.child.pid ?? null)
      : null;
  }
  /** CPU time the process has used (user and system), in ms; 0 once it has exited. */
  cpuMs(): number {
    if (!this.pid) return 0;
    const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in ticks of 1/100 s
  }
  get logFile(): string {
    return path.join(this.dir, `${this.name}.log`);
  }
  start(): void {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ...npmStartEnv(),
        ...this.env,
        PORT: String(this.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
    atExit.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  }
  async healthy(timeoutMs = 60_000): Promise<void> {
    await until(
      `${this.name} to answer /healthz (see ${this.logFile})`,
      async () => {
        if (this.child?.exitCode !== null) throw new Error('exited');
        return (await fetch(`${this.url}/healthz`)).status === 200;
      },
      timeoutMs,
    ).catch(async (err: Error) => {
      const tail = (await readFile(this.logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
      throw new Error(`${err.message}\n${tail}`);
    });
  }
  /** Sends `signal` and waits until the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }
  /** The JSON log lines the process has written so far. */
  async logLines(): Promise<Record<string, unknown>[]> {
    const text = await readFile(this.logFile, 'utf8').catch(() => '');
    return text.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }
}

/** nginx from PATH or /usr/sbin; installed from Debian's packages with apt-get when missing. */
export function ensureNginx(): string {
  const found = () =>
    ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ??
    (spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim() || null);
  const have = found();
  if (have) return have;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).stdout.trim();
  const root = process.getuid?.() === 0;
  if (!apt || !root) {
    throw new Error(
      'The scale benchmark needs nginx as its load balancer, and it is not installed. ' +
        (apt
          ? 'Install it with "sudo apt-get install nginx-light" (it cannot be installed from here without root), then run again.'
          : 'This system has no apt-get: install nginx with its package manager, then run again.'),
    );
  }
  progress('nginx is missing: installing nginx-light from the Debian packages (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', 'nginx-light'],
  ]) {
    const r = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`"apt-get ${args.join(' ')}" failed, so nginx could not be installed:\n${r.stderr.trim()}`);
  }
  const installed = found();
  if (!installed) throw new Error('apt-get installed nginx-light, yet no nginx program was found');
  return installed;
}

/**
 * The load balancer's configuration: round robin over the instances (no stickiness: any instance can
 * answer any request), the client's address in X-Forwarded-For, and the answering instance in
 * X-Upstream (for the benchmark only: it shows that both instances served).
 */
export function nginxConfig(dir: string, listenPort: number, upstreams: number[]): string {
  return `worker_processes 1;
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream portal {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=0;`).join('\n')}
    keepalive 64;
    # Below Node's 5 s keepAliveTimeout: nginx must never reuse a connection the portal is closing
    # (a POST sent on it would fail with 502, and nginx does not retry a POST).
    keepalive_timeout 4s;
  }
  server {
    listen 127.0.0.1:${listenPort};
    client_max_body_size 40m;
    location / {
      proxy_pass http://portal;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout;
      proxy_read_timeout 120s;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

/** nginx as a child process (not a daemon) on `listenPort`; returns a function that stops it. */
export async function startNginx(
  binary: string,
  dir: string,
  listenPort: number,
  upstreams: number[],
): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(conf, nginxConfig(dir, listenPort, upstreams));
  const child = spawn(binary, ['-c', conf, '-p', dir, '-e', path.join(dir, 'nginx-error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += String(c)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  atExit.push(() => child.exitCode === null && child.kill('SIGQUIT'));
  await until(
    'nginx to listen',
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
      return (await fetch(`http://127.0.0.1:${listenPort}/healthz`)).status > 0;
    },
    15_000,
  ).catch(async (err: Error) => {
    const log = await readFile(path.join(dir, 'nginx-error.log'), 'utf8').catch(() => '');
    throw new Error(`nginx did not start: ${err.message}\n${stderr}${log}`);
  });
  return async () => {
    if (child.exitCode === null) child.kill('SIGQUIT');
    await exited;
  };
}

/** 5: both instances start at once on the empty database; one applies every migration, the other none. */
export async function startTogether(c: Omit<Cluster, 'pool'>, dbUrl: string) {
  const watcher = createPool(dbUrl, () => undefined);
  let sawWaiter = false;
  let watching = true;
  // Whether one instance ever waited on another's lock: the start really was a race.
  const watch = (async () => {
    while (watching) {
      const { rows } = await watcher
        .query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)
        .catch(() => ({ rows: [{ n: 0 }] }));
      if (rows[0]!.n > 0) sawWaiter = true;
      await sleep(10);
    }
  })();
  const t0 = performance.now();
  for (const i of c.instances) i.start();
  await Promise.all(c.instances.map((i) => i.healthy(120_000)));
  const startSeconds = seconds(performance.now() - t0);
  watching = false;
  await watch;
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).length;
  const applied = await Promise.all(
    c.instances.map(async (i) =>
      (await i.logLines()).filter((l) => l.msg === 'migrations applied').flatMap((l) => l.applied as string[]),
    ),
  );
  const { rows } = await watcher.query<{ n: number; distinct: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct FROM schema_migration',
  );
  await watcher.end();
  const all = applied.flat();
  const once =
    all.length === files && new Set(all).size === files && rows[0]!.n === files && applied.some((a) => !a.length);
  console.log(
    `\n5. Both instances started at the same moment on an empty database (${startSeconds} s to both healthy)`,
  );
  console.log(
    `   migrations: ${files} files; applied by instance A: ${applied[0]!.length}, by B: ${applied[1]!.length}; ` +
      `rows in schema_migration: ${rows[0]!.n}; one instance waited on the other's migration lock: ${sawWaiter ? 'yes' : 'no (they did not overlap)'}`,
  );
  return { migratedOnce: once, lockWaited: sawWaiter };
}
