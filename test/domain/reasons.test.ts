import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LEFT_REASON_KEY, reasonIn } from '../../domain/shared/reasons.ts';
import { translator } from '../../domain/i18n/i18n.ts';

// Reasons are stored as text (what the family read when it was written); the ones the portal itself
// words are known by that text and read in the reader's language today.
const zh = translator('zh-TW');
const en = translator('en');

test('a common rejection reason is read in the language of today, the reviewer’s own words as written', () => {
  const stored = `${zh('rejectReason.identityUnreadable')}\n背面也請一起上傳`;
  assert.is(reasonIn(stored, 'en'), `${en('rejectReason.identityUnreadable')}\n背面也請一起上傳`);
  assert.is(reasonIn(stored, 'zh-TW'), stored);
  assert.is(reasonIn(en('postRejectReason.photoUnclear'), 'zh-TW'), zh('postRejectReason.photoUnclear'));
});

test('the system’s cancellation reasons are translated whole; anything else is left as written', () => {
  assert.is(reasonIn(zh(LEFT_REASON_KEY), 'en'), en(LEFT_REASON_KEY));
  assert.is(reasonIn('照片不清楚', 'en'), '照片不清楚');
  assert.is(reasonIn(`請補件\n${zh('rejectReason.wrongInmate')}`, 'en'), `請補件\n${zh('rejectReason.wrongInmate')}`);
  assert.is(reasonIn(null, 'en'), null);
});

test.run();
