import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { SmtpSink, linkIn } from '../support/smtp-sink.ts';
import { until } from '../support/wait.ts';

type Ctx = { db: TestDb; smtp: SmtpSink; server: ChildProcess; out: string[] };
const test = suite<Ctx>(
  'first start in production: the server says how, the admin command creates the first administrator',
);
const root = path.resolve(import.meta.dirname, '../..');
const PUBLIC_URL = 'https://portal.example.gov.tw';
const run = promisify(execFile);

const env = (ctx: Ctx): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  PORT: '0',
  PUBLIC_URL,
  DATABASE_URL: ctx.db.url,
  SMTP_URL: ctx.smtp.url,
  MAIL_FROM: 'portal <noreply@example.gov.tw>',
  SESSION_SECRET: 'first-start-test-secret-0123456789abcdefghij',
  VIDEO_SERVICE_URL: 'https://video.example.gov.tw/join',
  LOG_LEVEL: 'warn',
});

/** The real command, as `npm run admin --` runs it; its exit code and output. */
async function admin(ctx: Ctx, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'admin.ts', ...args], {
      cwd: root,
      env: env(ctx),
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  ctx.smtp = await new SmtpSink().start();
  ctx.out = [];
  ctx.server = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: root,
    env: env(ctx),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  ctx.server.stdout!.on('data', (c: Buffer) => ctx.out.push(String(c)));
  ctx.server.stderr!.on('data', (c: Buffer) => ctx.out.push(String(c)));
});
test.after(async (ctx) => {
  if (ctx.server.exitCode === null) {
    const exited = new Promise((r) => ctx.server.once('exit', r));
    ctx.server.kill('SIGTERM');
    await exited;
  }
  await ctx.smtp.stop();
  await ctx.db.drop();
});

test('with an empty database the production server starts and says how to create the first agency administrator', async (ctx) => {
  await until(
    'the start message',
    async () => ctx.out.join('').includes('Corrections Service Portal is running'),
    30_000,
  );
  const said = ctx.out.join('');
  assert.match(said, 'No agency administrator exists yet');
  assert.match(said, 'npm run admin -- create-agency-admin --email <address> --name <name>');
});

test('the command creates the administrator, prints the link and the running portal mails the same link', async (ctx) => {
  const first = await admin(ctx, 'create-agency-admin', '--email', 'chief@example.gov.tw', '--name', '署長室');
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stdout, 'Agency administrator created: 署長室 <chief@example.gov.tw>, sign-in account "chief"');
  const printed = /(https:\S+\/backoffice\/password\?token=[\w-]+)/.exec(first.stdout)?.[1];
  assert.ok(printed, first.stdout);
  const mail = await ctx.smtp.waitFor((m) => m.to.includes('chief@example.gov.tw'), 20_000);
  assert.is(linkIn(mail, `${PUBLIC_URL}/backoffice/password?token=`), printed);
  const { rows } = await ctx.db.pool.query(`SELECT account, role, institution_code, password_hash FROM staff`);
  assert.equal(rows, [{ account: 'chief', role: 'agency_admin', institution_code: null, password_hash: null }]);
});

test('run again for the same address it changes nothing and says so (exit 0); wrong use exits 64', async (ctx) => {
  const again = await admin(ctx, 'create-agency-admin', '--email', 'CHIEF@example.gov.tw', '--name', '別人');
  assert.is(again.code, 0);
  assert.match(again.stdout, 'already exists (sign-in account chief, role agency_admin). Nothing was changed.');
  const { rows } = await ctx.db.pool.query(`SELECT name FROM staff`);
  assert.equal(rows, [{ name: '署長室' }]);
  const { rows: tokens } = await ctx.db.pool.query(`SELECT count(*)::int AS n FROM staff_token`);
  assert.is(tokens[0].n, 1, 'no second link');
  const usage = await admin(ctx, 'create-agency-admin', '--email', 'x@example.gov.tw');
  assert.is(usage.code, 64);
  assert.match(usage.stderr, 'Usage: npm run admin -- create-agency-admin');
});

test.run();
