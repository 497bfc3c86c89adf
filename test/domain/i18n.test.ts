import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { catalogs, translator } from '../../domain/i18n/i18n.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

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

test.run();
