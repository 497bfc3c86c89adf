import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { paragraphsOf, plainTextToHtml } from '../../domain/shared/plain-text.ts';

// 公告 are typed as plain text: nothing typed is ever markup, only http(s) addresses become links.

test('markup typed into a text is shown as text, never as markup', () => {
  const html = plainTextToHtml('<script>alert(1)</script> & <img src=x onerror=alert(1)> "quoted" \'single\'');
  assert.is(
    html,
    '<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &#39;single&#39;</p>',
  );
  assert.not.match(html, /<(script|img)/);
});

test('http and https addresses become links; the sentence around them stays text', () => {
  assert.is(
    plainTextToHtml('交通方式請見https://www.mjac.moj.gov.tw/cp-1.html。謝謝'),
    '<p>交通方式請見<a href="https://www.mjac.moj.gov.tw/cp-1.html" rel="noopener noreferrer">https://www.mjac.moj.gov.tw/cp-1.html</a>。謝謝</p>',
  );
  assert.is(
    plainTextToHtml('See http://example.tw/a?b=1&c=2, then (https://example.tw/x).'),
    '<p>See <a href="http://example.tw/a?b=1&amp;c=2" rel="noopener noreferrer">http://example.tw/a?b=1&amp;c=2</a>, then (<a href="https://example.tw/x" rel="noopener noreferrer">https://example.tw/x</a>).</p>',
  );
  assert.match(plainTextToHtml('https://example.tw/wiki/A_(b)'), 'href="https://example.tw/wiki/A_(b)"');
});

test('no other scheme becomes a link: javascript:, data:, vbscript:, a bare host', () => {
  for (const text of [
    'javascript:alert(document.cookie)',
    'JaVaScRiPt:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    'www.example.tw',
    'https://',
    'http:///nohost',
  ]) {
    assert.not.match(plainTextToHtml(text), '<a ', text);
  }
  // An address glued after a script scheme links only the https part, and the quote cannot break out.
  const html = plainTextToHtml('javascript:alert(1)//https://x.tw/"onmouseover="alert(1)');
  assert.is((html.match(/<a /g) ?? []).length, 1);
  assert.match(html, '<a href="https://x.tw/" rel="noopener noreferrer">');
  assert.match(html, '&quot;onmouseover=&quot;alert(1)');
});

test('a blank line starts a paragraph; a single line break stays a line break; blank edges go', () => {
  assert.equal(paragraphsOf('\n\n 第一段\r\n第一段第二行\r\n\r\n\r\n  \n第二段  \n\n'), [
    '第一段\n第一段第二行',
    '第二段',
  ]);
  assert.is(plainTextToHtml('a\nb\n\nc'), '<p>a<br>\nb</p>\n<p>c</p>');
  assert.is(plainTextToHtml('   \n\n'), '');
});

test.run();
