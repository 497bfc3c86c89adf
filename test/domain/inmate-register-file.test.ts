import { test } from 'uvu';
import * as assert from 'uvu/assert';
import iconv from 'iconv-lite';
import { checkRegisterRows, readRegisterFile, restrictionOf } from '../../domain/inmates/register-file.ts';

const csv = (s: string) => Buffer.from(s, 'utf8');
const problemsOf = (bytes: Buffer) => {
  const f = readRegisterFile(bytes);
  return f.kind === 'bad' ? f.problems.map((p) => [p.line, p.key]) : [];
};

test('UTF-8 with a BOM and CRLF, as Excel saves "CSV UTF-8": Chinese headers, every row read', () => {
  const f = readRegisterFile(
    csv('\uFEFF呼號,姓名,限制\r\n1024,王小明,\r\n310567,歐陽娜娜,禁見\r\n4209,林美,medical_isolation\r\n'),
  );
  assert.equal(f, {
    kind: 'ok',
    encoding: 'utf-8',
    rows: [
      { callNumber: '1024', name: '王小明', restriction: null },
      { callNumber: '310567', name: '歐陽娜娜', restriction: 'visit_ban' },
      { callNumber: '4209', name: '林美', restriction: 'medical_isolation' },
    ],
  });
});

test('Big5 (CP950) as Excel saves plain "CSV" on a Traditional Chinese Windows: detected and decoded', () => {
  const bytes = iconv.encode('姓名,呼號,限制\r\n陳碧珠,2048,保護隔離\r\n許惠,4096,\r\n', 'cp950');
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'really not UTF-8');
  const f = readRegisterFile(bytes);
  assert.equal(f, {
    kind: 'ok',
    encoding: 'big5',
    rows: [
      { callNumber: '2048', name: '陳碧珠', restriction: 'protective_custody' },
      { callNumber: '4096', name: '許惠', restriction: null },
    ],
  });
});

test('UTF-8 without a BOM, English headers in another order, no restriction column, full-width digits', () => {
  const f = readRegisterFile(csv('name,call_number\n"Wang, Xiao",１０２４\n'));
  assert.equal(f, {
    kind: 'ok',
    encoding: 'utf-8',
    rows: [{ callNumber: '1024', name: 'Wang, Xiao', restriction: null }],
  });
});

test('bad rows are listed with their line number (blank lines counted) and the reason', () => {
  const text = [
    '呼號,姓名,限制', // 1
    '1024,王小明,', // 2
    '', // 3: skipped, still counted
    '123,林美,', // 4: leading zero dropped by a spreadsheet
    '1024,張三,', // 5: duplicate of line 2
    '5555,,', // 6: no name
    '6666,李四,軟禁', // 7: unknown restriction
    'abcd,王五,', // 8
    '"7777","多行', // 9
    '姓名",', // 10
  ].join('\r\n');
  assert.equal(problemsOf(csv(text)), [
    [4, 'inmates.problem.callNumberZeros'],
    [5, 'inmates.problem.duplicate'],
    [6, 'inmates.problem.nameMissing'],
    [7, 'inmates.problem.restriction'],
    [8, 'inmates.problem.callNumberFormat'],
    [9, 'inmates.problem.nameFormat'],
  ]);
  const dup = readRegisterFile(csv(text));
  assert.equal(dup.kind === 'bad' && dup.problems[1]!.params, { value: '1024', first: '2' });
});

test('the file itself: empty, no header, not text, unreadable CSV, too large', () => {
  assert.equal(problemsOf(Buffer.alloc(0)), [[0, 'inmates.problem.empty']]);
  assert.equal(problemsOf(csv('呼號,姓名\r\n')), [[0, 'inmates.problem.empty']]);
  assert.equal(problemsOf(csv('1024,王小明\r\n')), [[1, 'inmates.problem.header']]);
  const xlsx = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64)]);
  assert.equal(problemsOf(xlsx), [[0, 'inmates.problem.notText']]);
  assert.equal(problemsOf(csv('呼號,姓名\n1024,"王小明\n')), [[2, 'inmates.problem.unreadable']]);
  assert.equal(problemsOf(Buffer.alloc(3 * 1024 * 1024, 0x41)), [[0, 'inmates.problem.tooLarge']]);
});

test('restrictions: blank, the code, or its label in either language; anything else is refused', () => {
  assert.is(restrictionOf(''), null);
  assert.is(restrictionOf(' visit_ban '), 'visit_ban');
  assert.is(restrictionOf('違規隔離'), 'disciplinary_isolation');
  assert.is(restrictionOf('Medical isolation'), 'medical_isolation');
  assert.is(restrictionOf('house arrest'), undefined);
});

test('pushed rows are checked the same way, by position', () => {
  const { rows, problems } = checkRegisterRows([
    { line: 1, callNumber: '1024', name: '王小明', restriction: '' },
    { line: 2, callNumber: '99', name: '林美', restriction: '' },
  ]);
  assert.equal(rows, [{ callNumber: '1024', name: '王小明', restriction: null }]);
  assert.equal(
    problems.map((p) => [p.line, p.key]),
    [[2, 'inmates.problem.callNumberZeros']],
  );
  assert.equal(checkRegisterRows([]).problems, [{ line: 0, key: 'inmates.problem.empty' }]);
});

test.run();
