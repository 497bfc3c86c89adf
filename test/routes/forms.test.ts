import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryString, safeReturn } from '../../routes/forms.ts';

test('page links keep an empty filter ("all"), which differs from no filter (the default)', () => {
  assert.is(queryString({ status: '', callNumber: '1024', page: '2' }, true), 'status=&callNumber=1024&page=2');
  assert.is(queryString({ status: '', callNumber: '1024' }), 'callNumber=1024', 'redirects drop empty values');
  assert.is(queryString({ status: ['a', 'b'], page: '1' }, true), 'page=1', 'repeated parameters are not echoed');
});

test('a return address is a local path only', () => {
  assert.is(safeReturn('/contact-book/3'), '/contact-book/3');
  assert.is(safeReturn('//evil.example/x'), '/account');
  assert.is(safeReturn('https://evil.example'), '/account');
});

test.run();
