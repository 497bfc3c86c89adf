import pg from 'pg';

/** A pool or a client inside a transaction: every domain function takes one as `db`. */
export type Db = pg.Pool | pg.PoolClient;

// Dates (no time) come back as 'YYYY-MM-DD' strings, not local-midnight Date objects.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// bigint ids fit comfortably in a JS number for this portal's volumes.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** The connections each portal process keeps open (see createPool). */
export const POOL_SIZE = 10;

export function createPool(connectionString: string, onError: (err: Error) => void): pg.Pool {
  // The pool keeps the connections it has opened (min = max) rather than closing them after 30 s idle:
  // a rush after a quiet spell (booking opening in the morning) then meets connections that are already
  // signed in (SCRAM costs both sides a few ms) and whose PostgreSQL backends have their catalogs,
  // functions and statement plans cached (measured by npm run bench:bookings: a rush on fresh
  // connections costs each one 15–20 ms more in its first bookings). Ten idle connections cost the
  // server little. allowExitOnIdle: idle connections never keep a process alive on their own (a script
  // that is done exits; the server is kept alive by its listening socket).
  const pool = new pg.Pool({
    connectionString,
    max: POOL_SIZE,
    min: POOL_SIZE,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', onError);
  // Nor may a checked-out one: pg-pool listens for errors only while a client is idle, and a client
  // between two statements of a transaction (waiting on Node) that loses its server (PostgreSQL stopped
  // or restarted) emits 'error' with nobody listening, which ends the process. The next statement fails
  // instead, and release() drops the broken client from the pool.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * Opens every connection of the pool at once and readies each with `warmUp`, before the portal takes
 * requests: the pool keeps them (min = max), so the first rush after a start meets connections that
 * are signed in and warmed rather than opening and warming them while families wait.
 */
export async function openPool(pool: pg.Pool, warmUp: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  // Every connection that opened goes back to the pool, even when another could not open or warm up.
  const opened = await Promise.allSettled(Array.from({ length: POOL_SIZE }, () => pool.connect()));
  const clients = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const failedToOpen = opened.find((o) => o.status === 'rejected');
  if (failedToOpen) {
    for (const c of clients) c.release();
    throw failedToOpen.reason;
  }
  // Each connection goes back only once its own warm-up has ended, and one whose warm-up failed is
  // closed rather than kept (release(err)): it may have failed between a BEGIN and its ROLLBACK, and a
  // request must never be handed a connection still inside someone else's transaction. Waiting for all
  // (allSettled, not all) keeps the others from being released while still mid-warm-up.
  const warmed = await Promise.allSettled(clients.map((c) => Promise.resolve().then(() => warmUp(c))));
  warmed.forEach((w, i) => clients[i]!.release(w.status === 'rejected'));
  const failedToWarm = warmed.find((w) => w.status === 'rejected');
  if (failedToWarm) throw failedToWarm.reason;
}

/** Runs `work` in one transaction on one client; rolls back on any error. */
export async function withTransaction<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Whether a request failed because PostgreSQL could not be reached or refused the connection (stopped,
 * restarting, too many clients, the network), not because of the request: such a failure is answered
 * 503 with Retry-After, as /healthz says, and nothing of the request was saved.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  // SQLSTATE class 08 (connection exception) but 08P01 (a protocol violation: a fault, not an outage);
  // 57P01–57P03 (shut down, crashed, not accepting yet); 53300 (too many clients); 25006 (a read-only
  // transaction: a standby, or a server put in read-only for maintenance).
  if (/^08[0-9A-Z]{3}$/.test(code) && code !== '08P01') return true;
  if (['57P01', '57P02', '57P03', '53300', '25006'].includes(code)) return true;
  // Opening a connection: nothing listens, or the host is not found; a connection's socket reset, broken
  // or timed out (pg hands the socket's error to the query running on it). No route makes any other
  // network call while answering (mail goes through the job queue), so these are the database's.
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code))
    return true;
  // pg and pg-pool say these in words only.
  const message = typeof e.message === 'string' ? e.message : '';
  return /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(
    message,
  );
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** A CHECK constraint, or a rule a trigger raises under a constraint's name, refused the change. */
export function isCheckViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23514' && e.constraint === constraint;
}

/** A WHERE clause built from optional filters: each `?` in a condition is that condition's value. */
export function conditions() {
  const where: string[] = [];
  const params: unknown[] = [];
  return {
    params,
    add(sql: string, value: unknown): void {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    },
    sql: () => (where.length ? `WHERE ${where.join(' AND ')}` : ''),
  };
}

/** The page to show of `total` rows (a page past the end shows the last), with its LIMIT/OFFSET. */
export function pageOf(
  total: number,
  requested: number,
  size: number,
): { page: number; pages: number; limitSql: string } {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, Math.trunc(requested) || 1), pages);
  return { page, pages, limitSql: `LIMIT ${size} OFFSET ${(page - 1) * size}` };
}
