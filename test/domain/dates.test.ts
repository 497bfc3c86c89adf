import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addDays, formatDate, isIsoDate, taipeiToday } from '../../domain/shared/dates.ts';

// Calendar dates as forms and filters send them: only real dates in the years the portal deals with
// reach SQL (year 0000 made PostgreSQL refuse, and every back-office filter answered 500).

test('a real calendar date in YYYY-MM-DD is a date', () => {
  for (const s of ['2026-11-28', '2024-02-29', '1900-01-01', '2199-12-31']) assert.ok(isIsoDate(s), s);
});

test('impossible, malformed and out-of-range dates are not', () => {
  for (const s of [
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-11-28T00:00',
    '2026/11/28',
    '26-11-28',
    '',
    '0000-01-01',
    '0001-01-01',
    '1899-12-31',
    '2200-01-01',
    '9999-12-31',
  ])
    assert.not.ok(isIsoDate(s), s);
});

test('the dates either side of the range still read as four-digit days', () => {
  assert.is(addDays('1900-01-01', -1), '1899-12-31');
  assert.is(addDays('2199-12-31', 1), '2200-01-01');
  assert.is(formatDate('2199-12-31'), '2199/12/31');
  assert.is(taipeiToday(new Date('2026-11-27T16:30:00Z')), '2026-11-28', 'Taipei is UTC+8');
});

test.run();
