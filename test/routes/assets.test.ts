import * as assert from 'uvu/assert';
import { appSuite } from '../support/app.ts';

const test = appSuite('static assets: the site icon');

test('/favicon.ico answers with an icon, cached; pages link the versioned one, cached for a year', async ({ app }) => {
  const plain = await fetch(`${app.url}/favicon.ico`);
  assert.is(plain.status, 200);
  assert.match(plain.headers.get('content-type')!, /^image\/(x-icon|vnd\.microsoft\.icon)/);
  assert.match(plain.headers.get('cache-control')!, 'max-age=604800');
  const bytes = Buffer.from(await plain.arrayBuffer());
  assert.equal([...bytes.subarray(0, 4)], [0, 0, 1, 0], 'an ICO header');

  const html = await (await fetch(app.url)).text();
  const href = /<link rel="icon" href="(\/assets\/[0-9a-f]+\/favicon\.ico)">/.exec(html)?.[1];
  assert.ok(href, 'the page links its icon');
  const versioned = await fetch(app.url + href);
  assert.is(versioned.status, 200);
  assert.match(versioned.headers.get('cache-control')!, 'immutable');
});

test.run();
