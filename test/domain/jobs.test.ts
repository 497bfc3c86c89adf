import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { freshDatabase } from '../support/db.ts';
import { until } from '../support/wait.ts';
import { createLogger } from '../../domain/platform/logger.ts';
import { smtpTransport } from '../../domain/platform/mailer.ts';
import { systemClock } from '../../domain/platform/clock.ts';
import { startWorker } from '../../domain/jobs.ts';
import { enqueueMail } from '../../domain/shared/outbox.ts';

// Issue 11.4: a process killed with SIGKILL while delivering a mail. The SMTP server below has taken
// the whole message but holds its reply, so the worker dies exactly between "the server has it" and
// "marked sent": the worst case, where the mail must go again and must be recognisable as the same.
const root = path.resolve(import.meta.dirname, '../..');
const FROM = 'Portal <noreply@portal.test>';

test('a mail whose worker was killed mid-delivery goes again within seconds, with the same Message-ID', async () => {
  const db = await freshDatabase();
  const received: { messageId: string; to: string }[] = [];
  let hold = true;
  const held: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      simpleParser(stream).then((m) => {
        received.push({ messageId: m.messageId ?? '', to: (m.to as { text: string }).text });
        if (hold) held.push(() => callback());
        else callback();
      }, callback);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  let child: ReturnType<typeof spawn> | undefined;
  try {
    const id = await enqueueMail(db.pool, { to: 'family@example.com', subject: '驗證信', text: 'hello', html: '' });

    const script = `
      import { createPool } from ${JSON.stringify(path.join(root, 'domain/platform/db.ts'))};
      import { createLogger } from ${JSON.stringify(path.join(root, 'domain/platform/logger.ts'))};
      import { smtpTransport } from ${JSON.stringify(path.join(root, 'domain/platform/mailer.ts'))};
      import { startWorker } from ${JSON.stringify(path.join(root, 'domain/jobs.ts'))};
      const pool = createPool(${JSON.stringify(db.url)}, () => {});
      await startWorker({ pool, logger: createLogger('silent'), transport: smtpTransport(${JSON.stringify(smtpUrl)}, ${JSON.stringify(FROM)}),
        clock: () => new Date(), pollInterval: 100 });`;
    child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await until('the first worker to hand the message to the server', async () => received.length === 1, 20_000);
    const exited = new Promise((r) => child!.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    hold = false;

    const locked = await db.pool.query(`SELECT locked_by FROM graphile_worker.jobs`);
    assert.is(locked.rows.length, 1);
    assert.ok(locked.rows[0].locked_by, 'the dead worker still holds the job');

    const transport = smtpTransport(smtpUrl, FROM);
    const worker = await startWorker({
      pool: db.pool,
      logger: createLogger('silent'),
      transport,
      clock: systemClock,
      pollInterval: 100,
      recovery: { staleAfterSeconds: 1, sweepEverySeconds: 0.25 },
    });
    try {
      const started = Date.now();
      await until('the mail to go again once the dead lock is released', async () => received.length === 2, 15_000);
      assert.ok(Date.now() - started < 15_000);
      assert.is(received[1]!.to, 'family@example.com');
      assert.ok(received[0]!.messageId, 'the mail has a Message-ID');
      assert.is(received[1]!.messageId, received[0]!.messageId, 'both copies carry one Message-ID');
      assert.match(received[0]!.messageId, new RegExp(`^<notification-${id}\\.\\d+@portal\\.test>$`));
      await until(
        'the notification to be marked sent',
        async () =>
          (await db.pool.query(`SELECT status FROM notification WHERE id = $1`, [id])).rows[0].status === 'sent',
      );
    } finally {
      await worker.stop();
      transport.close();
    }
  } finally {
    child?.kill('SIGKILL');
    for (const release of held) release();
    await new Promise<void>((r) => server.close(() => r()));
    await db.drop();
  }
});

test.run();
