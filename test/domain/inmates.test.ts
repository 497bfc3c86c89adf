import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { lookUpInmate } from '../../domain/inmates.ts';
import { maskName } from '../../domain/shared/masking.ts';
import { twoInstitutions } from '../support/scenarios.ts';

const test = suite<{ db: TestDb }>('inmate lookup');
test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await twoInstitutions(pool);
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '310567', name: '歐陽娜娜' });
  await fixture.inmate(pool, { institutionCode: '2477', callNumber: '4209', name: '林美', restriction: 'visit_ban' });
  await fixture.inmate(pool, {
    institutionCode: '2477',
    callNumber: '5555',
    name: '張三',
    restriction: 'medical_isolation',
  });
});
test.after(async (ctx) => {
  await ctx.db.drop();
});

test('names are masked after the first character', () => {
  assert.is(maskName('王小明'), '王○○');
  assert.is(maskName('歐陽娜娜'), '歐○○○');
  assert.is(maskName('林美'), '林○');
  assert.is(maskName('王'), '王○', 'a one-character name still hides that it is one character');
});

test('found by institution and a 4- or 6-digit call number; only the masked name comes back', async ({ db }) => {
  const a = await lookUpInmate(db.pool, '2477', '1024');
  assert.is(a.kind, 'found');
  assert.is((a as { maskedName: string }).maskedName, '王○○');
  assert.is(
    (await lookUpInmate(db.pool, '2477', '３１０５６７')).kind,
    'found',
    'full-width digits typed on a phone are fine',
  );
  assert.not.ok(JSON.stringify(a).includes('小明'));
});

test('wrong format, unknown number, another institution and restricted inmates are told apart', async ({ db }) => {
  assert.is((await lookUpInmate(db.pool, '2477', '12345')).kind, 'format');
  assert.is((await lookUpInmate(db.pool, '2477', 'abcd')).kind, 'format');
  assert.is((await lookUpInmate(db.pool, '2477', '9999')).kind, 'unknown');
  assert.is((await lookUpInmate(db.pool, '2411', '1024')).kind, 'unknown', 'call numbers belong to one institution');
  assert.equal(await lookUpInmate(db.pool, '2477', '4209'), { kind: 'restricted', restriction: 'visit_ban' });
  assert.equal(await lookUpInmate(db.pool, '2477', '5555'), { kind: 'restricted', restriction: 'medical_isolation' });
});

test.run();
