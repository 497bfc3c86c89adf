import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, loadConfig } from '../../domain/platform/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

test('development needs nothing: embedded database, dev mailbox, demo data', () => {
  const c = loadConfig({});
  assert.is(c.env, 'development');
  assert.is(c.port, 3000);
  assert.is(c.publicUrl, 'http://localhost:3000');
  assert.is(c.devMailbox, true);
  assert.is(c.loadDemoData, true);
  assert.is(c.databaseUrl, undefined);
  assert.is(c.secureCookies, false);
});

test('each bad value gets its own message', () => {
  const p = problems({
    PORT: 'eighty',
    DATABASE_URL: 'mysql://x',
    SMTP_URL: 'http://mail',
    PUBLIC_URL: 'not a url',
    NODE_ENV: 'staging',
    LOG_LEVEL: 'loud',
  });
  assert.is(p.length, 6, p.join('\n'));
  assert.ok(p.some((m) => m.startsWith('PORT')));
  assert.ok(p.some((m) => m.startsWith('DATABASE_URL')));
  assert.ok(p.some((m) => m.startsWith('SMTP_URL')));
  assert.ok(p.some((m) => m.startsWith('PUBLIC_URL')));
  assert.ok(p.some((m) => m.startsWith('NODE_ENV')));
  assert.ok(p.some((m) => m.startsWith('LOG_LEVEL')));
});

test('production refuses to start without its secret, mail server and database; no demo data or dev mailbox there', () => {
  const p = problems({ NODE_ENV: 'production' });
  for (const name of ['SESSION_SECRET', 'SMTP_URL', 'MAIL_FROM', 'PUBLIC_URL', 'DATABASE_URL', 'VIDEO_SERVICE_URL']) {
    assert.ok(
      p.some((m) => m.startsWith(name)),
      name,
    );
  }
  const c = loadConfig({
    NODE_ENV: 'production',
    SESSION_SECRET: 'x'.repeat(40),
    SMTP_URL: 'smtp://mail:25',
    MAIL_FROM: 'noreply@moj.gov.tw',
    PUBLIC_URL: 'https://portal.example.gov.tw/',
    DATABASE_URL: 'postgres://u:p@db/portal',
    VIDEO_SERVICE_URL: 'https://video.example.gov.tw/join/',
  });
  assert.is(c.videoServiceUrl, 'https://video.example.gov.tw/join');
  assert.is(c.smsUrl, undefined, 'no SMS gateway is allowed: messages are then only recorded');
  assert.is(c.devMailbox, false);
  assert.is(c.loadDemoData, false);
  assert.is(c.secureCookies, true);
  assert.is(c.publicUrl, 'https://portal.example.gov.tw');
  assert.ok(problems({ NODE_ENV: 'production', SESSION_SECRET: 'short' }).some((m) => m.includes('at least 32')));
  assert.ok(
    problems({ NODE_ENV: 'production', SMS_URL: 'http://sms.example/send' }).some((m) =>
      m.startsWith('SMS_URL must be https'),
    ),
  );
});

test.run();
