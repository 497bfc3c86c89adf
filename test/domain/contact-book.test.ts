import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { countCharacters, POST_TEXT_MAX } from '../../domain/contact-book/vocabulary.ts';

test('characters are counted as a person counts them', () => {
  assert.is(countCharacters('媽媽很想你'), 5);
  assert.is(countCharacters('👍🏽'), 1, 'an emoji with a skin tone');
  assert.is(countCharacters('👨‍👩‍👧‍👦'), 1, 'a family joined by zero-width joiners');
  assert.is(countCharacters('🇹🇼'), 1, 'a flag');
  assert.is(countCharacters('e\u0301'), 1, 'a letter with a combining accent');
  assert.is(countCharacters('ㄅㄆㄇ'), 3);
  assert.is(countCharacters('第一行\r\n第二行'), 7, 'a CRLF line break is one');
  assert.is(countCharacters('  留白  '), 2, 'spaces around the note do not count');
  assert.is(countCharacters('𠮷'), 1, 'a character outside the BMP (a surrogate pair) is one');
});

test('exactly the limit and one over', () => {
  assert.is(POST_TEXT_MAX, 150);
  const at = '想'.repeat(149) + '👨‍👩‍👧';
  assert.is(countCharacters(at), 150);
  assert.is(countCharacters(at + '！'), 151);
  assert.ok(at.length > 150, 'the UTF-16 length would have said otherwise');
});

test.run();
