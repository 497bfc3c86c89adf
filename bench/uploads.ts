/**
 * `npm run bench:uploads`: how much memory oversize uploads cost the portal. Starts the portal as its
 * own process (`server.ts`, as in production), signs in as the demo family, measures the process's
 * resident memory (RSS) when idle, then sends 3 parallel chunked posts (Transfer-Encoding: chunked,
 * no Content-Length) of 600 MB each to the contact book application form (30 MB limit) and samples
 * RSS until they are answered. Prints both figures against the target (idle + 150 MB), what each
 * client managed to send, and the answers; the last line is the same as JSON.
 *
 * The database is an embedded PostgreSQL in a temporary folder, or, when DATABASE_URL is set, a
 * scratch database on that server (bench/scratch-db.ts), dropped at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { DEMO_APPLICANT, loadDemoData } from '../domain/demo-data.ts';
import { runBenchmark } from './support.ts';
import { scratchDatabase, type CleanUp } from './scratch-db.ts';

const MB = 1024 * 1024;
const PARALLEL = 3;
const BODY_BYTES = 600 * MB;
const TARGET_MB = 150;
const SAMPLE_MS = 20;
const FORM = '/applications/new/contact-book';

const progress = (msg: string) => process.stderr.write(`${msg}\n`);

/** Resident memory of a process, from /proc (Linux). */
async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

type Res = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A small cookie-keeping client for the sign-in and the form. */
class Session {
  private cookies = new Map<string, string>();
  constructor(readonly base: string) {}
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  request(method: string, pathname: string, form?: Record<string, string>): Promise<Res> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    return new Promise((resolve, reject) => {
      const req = http.request(
        new URL(pathname, this.base),
        {
          method,
          headers: {
            cookie: this.cookieHeader(),
            ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
        },
        (res) => {
          for (const c of res.headers['set-cookie'] ?? []) {
            const [pair] = c.split(';');
            const i = pair!.indexOf('=');
            this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
          }
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

type Post = { status: number; sentMB: number; ms: number; formBack: boolean };

// As the attack was made: many files each just under the per-file limit (30 MB), not one huge file.
const FILE_BYTES = 29 * MB;
const FILE_FIELDS = ['identityFiles', 'relationshipFiles'];

/**
 * One chunked multipart post of `bytes` in files of FILE_BYTES, written as fast as the server reads,
 * until it answers.
 */
function oversizePost(session: Session, csrf: string, bytes: number): Promise<Post> {
  const boundary = '----bench' + Math.random().toString(16).slice(2);
  const fileHead = (n: number) =>
    `\r\n--${boundary}\r\nContent-Disposition: form-data; name="${FILE_FIELDS[n % FILE_FIELDS.length]}"; filename="scan${n}.pdf"\r\n` +
    `Content-Type: application/pdf\r\n\r\n%PDF-1.4\n`;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let inFile = 0;
    let files = 0;
    let status = 0;
    let body = '';
    const req = http.request(new URL(FORM, session.base), {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: session.cookieHeader() },
    });
    const done = () =>
      resolve({ status, sentMB: Math.round(sent / MB), ms: Date.now() - started, formBack: body.includes('<form') });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        req.destroy();
        done();
      });
    });
    req.on('error', (err) => {
      if (!status) reject(err);
    });
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const write = (b: Buffer | string) => {
      sent += Buffer.byteLength(b);
      return req.write(b);
    };
    const pump = () => {
      while (!status && !req.destroyed && sent < bytes) {
        let ok = true;
        if (inFile >= FILE_BYTES) {
          ok = write(fileHead(files++)) && ok;
          inFile = 0;
        }
        inFile += chunk.length;
        ok = write(chunk) && ok;
        if (!ok) return void req.once('drain', pump);
      }
      if (!status && !req.destroyed) req.end(`\r\n--${boundary}--\r\n`);
    };
    write(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}`);
    write(fileHead(files++));
    pump();
  });
}

function startPortal(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('is running')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the portal exited with ${code} before it ran:\n${out}`)));
  });
}

async function main(cleanUp: CleanUp): Promise<void> {
  const { pool, url: databaseUrl } = await scratchDatabase('uploads', cleanUp);
  progress('loading the demo data');
  await loadDemoData(pool, new Date());

  const port = await freePort();
  progress('starting the portal process');
  const child = await startPortal(databaseUrl, port);
  cleanUp.unshift(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  const pid = child.pid!;
  const session = new Session(`http://127.0.0.1:${port}`);
  await session.request('GET', '/signin');
  const signinPage = await session.request('GET', '/signin');
  const signedIn = await session.request('POST', '/signin', {
    _csrf: csrfOf(signinPage.body),
    email: DEMO_APPLICANT.email,
    password: DEMO_APPLICANT.password,
  });
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
  // Warm up: the form's code paths compiled and its queries prepared, as on a portal in service.
  let form = await session.request('GET', FORM);
  for (let i = 0; i < 5; i++) form = await session.request('GET', FORM);
  const csrf = csrfOf(form.body);
  if (!csrf) throw new Error(`the form answered ${form.status} without a CSRF token`);
  await new Promise((r) => setTimeout(r, 1000));
  const idle = await rssBytes(pid);
  progress(`idle RSS ${(idle / MB).toFixed(0)} MB; sending ${PARALLEL} chunked posts of ${BODY_BYTES / MB} MB`);

  let peak = idle;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rssBytes(pid));
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
  })();
  const posts = await Promise.all(Array.from({ length: PARALLEL }, () => oversizePost(session, csrf, BODY_BYTES)));
  // A moment more: memory freed late (or not) shows here too.
  await new Promise((r) => setTimeout(r, 500));
  sampling = false;
  await sampler;
  const after = await rssBytes(pid);

  const figures = {
    node: process.version,
    parallel: PARALLEL,
    bodyMB: BODY_BYTES / MB,
    idleMB: Math.round(idle / MB),
    peakMB: Math.round(peak / MB),
    growthMB: Math.round((peak - idle) / MB),
    afterMB: Math.round(after / MB),
    targetMB: Math.round(idle / MB) + TARGET_MB,
    withinTarget: peak - idle <= TARGET_MB * MB,
    posts,
  };
  console.log(`\nPortal process RSS under ${PARALLEL} parallel chunked posts of ${BODY_BYTES / MB} MB to ${FORM}`);
  console.log(`  idle:   ${figures.idleMB} MB`);
  console.log(
    `  peak:   ${figures.peakMB} MB (+${figures.growthMB} MB; target: at most idle + ${TARGET_MB} MB = ${figures.targetMB} MB) ${figures.withinTarget ? 'OK' : 'OVER'}`,
  );
  console.log(`  after:  ${figures.afterMB} MB`);
  for (const [i, p] of posts.entries())
    console.log(
      `  post ${i + 1}: answered ${p.status}${p.formBack ? ' with the form' : ''} after ${p.ms} ms; the client sent ${p.sentMB} of ${BODY_BYTES / MB} MB`,
    );
  console.log(JSON.stringify(figures));
  if (!figures.withinTarget) process.exitCode = 1;
}

runBenchmark(main);
