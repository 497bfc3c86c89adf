import * as assert from 'uvu/assert';
import { appSuite } from '../support/app.ts';
import { textOf } from '../support/http.ts';

const test = appSuite('the page frame of each area');

const footerOf = (html: string) => textOf(/<footer[\s\S]*<\/footer>/.exec(html)?.[0] ?? '');

test('the back office has a footer of its own; the portal keeps the public one', async ({ app }) => {
  const portal = footerOf(await (await fetch(app.url)).text());
  assert.match(portal, '申辦流程說明');
  assert.match(portal, '便民服務入口網');
  const backoffice = footerOf(await (await fetch(`${app.url}/backoffice/signin`)).text());
  assert.match(backoffice, '便民服務後臺管理系統');
  assert.not.match(backoffice, '申辦流程說明');
  assert.not.match(backoffice, '便民服務入口網');
});

test.run();
