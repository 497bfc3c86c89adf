import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { catalogs, translator } from '../../domain/i18n/i18n.ts';

// `{n}` and the number of a plural choice `{n, plural, one {…} other {…}}`, each once.
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();

test('both catalogs have exactly the same keys, none empty', () => {
  const zh = Object.keys(catalogs['zh-TW']).sort();
  const en = Object.keys(catalogs.en).sort();
  assert.equal(
    zh.filter((k) => !en.includes(k)),
    [],
    'missing in English',
  );
  assert.equal(
    en.filter((k) => !zh.includes(k)),
    [],
    'missing in Chinese',
  );
  for (const [locale, cat] of Object.entries(catalogs)) {
    for (const [k, v] of Object.entries(cat)) assert.ok(v.trim().length > 0, `${locale} ${k} is empty`);
  }
});

test('a message has the same {placeholders} in both languages', () => {
  for (const key of Object.keys(catalogs['zh-TW']) as (keyof typeof catalogs.en)[]) {
    assert.equal(placeholders(catalogs.en[key]), placeholders(catalogs['zh-TW'][key]), key);
  }
});

test('a missing key fails loudly rather than showing nothing', () => {
  assert.throws(() => translator('en')('no.such.key' as never));
  assert.is(translator('en')('nav.myAccount', { name: 'Lee' }), 'Account: Lee');
});

test('English chooses its words by plural rules where a number meets a noun (issue 11.23)', () => {
  const en = translator('en');
  assert.is(en('post.countOver', { n: 1 }), '1 character too many: please shorten it');
  assert.is(en('post.countOver', { n: 3 }), '3 characters too many: please shorten it');
  assert.is(en('post.countLeft', { n: 1 }), '1 character left');
  assert.is(en('notifications.attempts', { n: 1 }), '1 attempt');
  assert.is(en('notifications.attempts', { n: 12 }), '12 attempts');
  assert.is(
    en('timetable.closed', { date: '2026/12/01', count: 0 }),
    '2026/12/01 is closed. No visit was booked that day.',
  );
  assert.match(
    en('timetable.closed', { date: '2026/12/01', count: 1 }),
    '1 visit was already booked that day: cancel it',
  );
  assert.is(translator('zh-TW')('post.countOver', { n: 1 }), '已超過 1 字，請刪減');
  assert.is(
    en('error.429.text', { minutes: 1 }),
    "To keep everyone's data safe, the number of tries is limited. Please try again in 1 minute.",
  );
  assert.is(
    translator('zh-TW')('timetable.closed', { date: '2026/12/01', count: 0 }),
    '2026/12/01 已設為不開放。這天沒有預約。',
  );
  // Without a number the template is given whole, for the live counter in public/app.js to fill.
  assert.match(en('post.countLeft'), '{n, plural, one {# character left} other {# characters left}}');
});

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (e.name.endsWith('.eta')) out.push(p);
  }
  return out;
}

test('views hold no visible Chinese text of their own: every string comes from the catalogs', async () => {
  const views = path.resolve(import.meta.dirname, '../../views');
  for (const file of await files(views)) {
    const text = await readFile(file, 'utf8');
    // The language switch names each language in itself, as it must.
    const stripped = text.replace(/lang="zh-Hant-TW" hreflang="zh-Hant-TW">中文</g, '');
    assert.not.match(stripped, /\p{Script=Han}/u, path.relative(views, file));
  }
});

test('one word per review status in each language, from one catalog entry (issue 11.24)', () => {
  const statuses = { pending: '待審核', approved: '審核通過', rejected: '審核未通過', cancelled: '已取消' } as const;
  const zh = catalogs['zh-TW'] as Record<string, string>;
  const en = catalogs.en as Record<string, string>;
  for (const [status, word] of Object.entries(statuses)) {
    assert.is(zh[`status.${status}`], word);
    // Any other entry named after a status and carrying the word would be a second source of it.
    const twins = Object.keys(zh).filter((k) => k !== `status.${status}` && /status/i.test(k) && zh[k] === word);
    assert.equal(twins, [], `${word} has one entry`);
  }
  assert.is(en['status.pending'], 'Pending review');
  assert.is(en['status.cancelled'], 'Cancelled');
  assert.equal(
    Object.keys(zh).filter((k) => /^(bookingStatus|backoffice\.bookings\.status)\./.test(k)),
    [],
    'the booking pages use status.*',
  );
  assert.equal(
    Object.keys(en).filter((k) => ['Waiting for review', 'Pending'].includes(en[k]!)),
    [],
    'the other words for 待審核 are gone',
  );
});

test.run();
