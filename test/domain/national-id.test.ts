import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { identityKind } from '../../domain/national-id.ts';
import { maskIdentityNumber } from '../../domain/shared/masking.ts';
import { VALID_IDS } from '../support/journeys.ts';

test('the textbook national ID A123456789 is valid, and so is every number computed outside this code', () => {
  assert.is(identityKind('A123456789'), 'national_id');
  for (const id of VALID_IDS) assert.is(identityKind(id), 'national_id', id);
});

test('every wrong check digit is refused', () => {
  for (let d = 0; d <= 9; d++) {
    const id = `A12345678${d}`;
    assert.is(identityKind(id) !== null, d === 9, id);
  }
});

test('lower case and spaces are forgiven; other shapes are not', () => {
  assert.is(identityKind(' a123456789 '), 'national_id');
  for (const bad of ['', 'A12345678', 'A1234567890', '1123456789', 'A323456789', 'A12345678X', 'ＡＢ']) {
    assert.is(identityKind(bad), null, bad);
  }
});

test('resident certificate numbers: the new shape (8 or 9 second) and the old one (two letters)', () => {
  assert.is(identityKind('A800000014'), 'resident_new');
  assert.is(identityKind('A900000016'), 'resident_new');
  assert.is(identityKind('A800000015'), null);
  assert.is(identityKind('FA12345689'), 'resident_old');
  assert.is(identityKind('FA12345688'), null);
  assert.is(identityKind('FE12345689'), null, 'old numbers use A–D as second letter');
});

test('masking keeps only the last four characters', () => {
  assert.is(maskIdentityNumber('A123456789'), '******6789');
});

test.run();
