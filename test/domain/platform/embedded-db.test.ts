import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedDb, stopLeftoverServer } from '../../../domain/platform/embedded-db.ts';

const modulePath = path.resolve(import.meta.dirname, '../../../domain/platform/embedded-db.ts');

test('a portal killed with SIGKILL leaves its PostgreSQL running; the next start stops it and says so', async () => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'portal-leftover-'));
  await chmod(tmp, 0o755); // the server runs as the postgres user when we are root
  const dataDir = path.join(tmp, 'pg');
  try {
    // A first "portal": starts the embedded server, prints its address, and is then killed outright.
    const script =
      `import { startEmbeddedDb } from ${JSON.stringify(modulePath)};` +
      `const db = await startEmbeddedDb(${JSON.stringify(dataDir)}, { ownSignals: true });` +
      `console.log('URL ' + db.url); setInterval(() => {}, 60_000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const firstUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /URL (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`the first start exited (${code}) before printing its address`)));
    });
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;

    const pidFile = path.join(dataDir, 'postmaster.pid');
    assert.ok(existsSync(pidFile), 'the killed portal left postmaster.pid behind');
    const leftoverPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    assert.not.throws(() => process.kill(leftoverPid, 0), 'the leftover PostgreSQL is still running');
    const probe = new pg.Client({ connectionString: firstUrl });
    await probe.connect();
    await probe.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
    await probe.end();

    const notices: string[] = [];
    const db = await startEmbeddedDb(dataDir, { ownSignals: true, onNotice: (m) => notices.push(m) });
    try {
      assert.is(notices.length, 1);
      assert.match(notices[0]!, new RegExp(`process ${leftoverPid}\\) was stopped`));
      assert.throws(() => process.kill(leftoverPid, 0), 'the leftover server is gone');
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query('SELECT n FROM kept');
      await client.end();
      assert.equal(rows, [{ n: 42 }], 'what the first server committed is still there');
    } finally {
      await db.stop();
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test('a second start while the first portal still runs refuses, and leaves the first portal’s database alone', async () => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'portal-leftover-'));
  await chmod(tmp, 0o755);
  const dataDir = path.join(tmp, 'pg');
  const script =
    `import { startEmbeddedDb } from ${JSON.stringify(modulePath)};` +
    `const db = await startEmbeddedDb(${JSON.stringify(dataDir)}, { ownSignals: true });` +
    `console.log('URL ' + db.url);` +
    `setInterval(() => {}, 60_000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const firstUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /URL (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`the first start exited (${code}) before printing its address`)));
    });
    let refused: Error | undefined;
    await startEmbeddedDb(dataDir, { ownSignals: true }).then(
      (db) => db.stop(),
      (err: Error) => (refused = err),
    );
    assert.ok(refused, 'the second start is refused');
    assert.match(refused!.message, `Another portal (process ${child.pid}) is running`);
    const client = new pg.Client({ connectionString: firstUrl });
    await client.connect();
    assert.equal(
      (await client.query('SELECT 1 AS one')).rows,
      [{ one: 1 }],
      "the first portal's database still answers",
    );
    await client.end();
  } finally {
    // Killed outright, then its orphaned server stopped as a next start would: nothing can hang here.
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    await stopLeftoverServer(dataDir).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
});

test('a clean start says nothing about leftovers', async () => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'portal-leftover-'));
  await chmod(tmp, 0o755);
  try {
    const notices: string[] = [];
    const db = await startEmbeddedDb(path.join(tmp, 'pg'), { ownSignals: true, onNotice: (m) => notices.push(m) });
    await db.stop();
    assert.equal(notices, []);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test.run();
