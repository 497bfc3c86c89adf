import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, type TestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { REVIEWER_2477, signedInStaff, staffAccounts } from '../support/scenarios.ts';
import { VALID_IDS } from '../support/journeys.ts';
import { Client, csrfFrom } from '../support/http.ts';
import { ConfigError, loadConfig } from '../../domain/platform/config.ts';

// Issue 14: behind a proxy, TRUST_PROXY says which X-Forwarded-For entry is the client, so limits and
// the audit log see the person's address; without it the header is anybody's to write and is ignored.
const LIMIT = 2;
const guess = { number: '20261123-ABCDEF', birthYear: '1980', birthMonth: '1', birthDay: '1' };

async function progressFrom(c: Client, forwardedFor: string) {
  if (!c.lastPage.includes('_csrf')) await c.get('/progress');
  return c.request('POST', '/progress', { _csrf: csrfFrom(c.lastPage), ...guess }, { 'x-forwarded-for': forwardedFor });
}

const behind = suite<{ app: TestApp }>('TRUST_PROXY=1: the address the proxy adds is the client');
behind.before(async (ctx) => {
  ctx.app = await startTestApp({ env: { TRUST_PROXY: '1' }, limits: { progressPerAddress: [LIMIT, 15] } });
});
behind.after(async ({ app }) => app.close());

behind('limits key on the X-Forwarded-For address', async ({ app }) => {
  const c = new Client(app.url);
  for (let i = 0; i < LIMIT; i++) assert.is((await progressFrom(c, '203.0.113.7')).status, 200);
  assert.is((await progressFrom(c, '203.0.113.7')).status, 429, 'that person is over the limit');
  assert.is((await progressFrom(c, '203.0.113.8')).status, 200, 'another person behind the same proxy is not');
  // One hop: only the entry the proxy appended counts, not what the client wrote before it.
  assert.is((await progressFrom(c, '203.0.113.8, 203.0.113.7')).status, 429, 'a forged first entry buys nothing');
});

behind('the audit log records the X-Forwarded-For address', async ({ app }) => {
  const db = app.db.pool;
  await fixture.institution(db, { code: '2477' });
  await staffAccounts(db, [['reviewer2477', REVIEWER_2477.name, '2477', 'reviewer']]);
  const applicant = await fixture.applicant(db, {
    name: '林小美',
    nationalId: VALID_IDS[0]!,
    email: 'proxied@example.com',
  });
  const inmate = await fixture.inmate(db, { institutionCode: '2477', callNumber: '1024', name: '王小明' });
  const id = await fixture.approvedService(db, {
    applicant,
    inmate,
    service: 'contact_book',
    relationship: 'mother',
    status: 'pending',
  });
  const staff = await signedInStaff(app.url, 'reviewer2477');
  const page = await staff.get(`/backoffice/applications/${id}`);
  assert.is(page.status, 200);
  const decided = await staff.request(
    'POST',
    `/backoffice/applications/${id}/decision`,
    { _csrf: csrfFrom(page.text), decision: 'approve', version: '1' },
    { 'x-forwarded-for': '198.51.100.23' },
  );
  assert.is(decided.status, 303);
  const { rows } = await db.query(`SELECT host(ip) AS ip FROM audit_log WHERE object_id = $1`, [id]);
  assert.equal(
    rows.map((r) => r.ip),
    ['198.51.100.23'],
  );
});

const direct = suite<{ app: TestApp }>('no TRUST_PROXY: X-Forwarded-For is ignored');
direct.before(async (ctx) => {
  ctx.app = await startTestApp({ limits: { progressPerAddress: [LIMIT, 15] } });
});
direct.after(async ({ app }) => app.close());

direct('limits key on the connection, whatever the header says', async ({ app }) => {
  const c = new Client(app.url);
  for (let i = 0; i < LIMIT; i++) assert.is((await progressFrom(c, `203.0.113.${10 + i}`)).status, 200);
  assert.is((await progressFrom(c, '203.0.113.99')).status, 429, 'a new header does not make a new client');
});

const config = suite('TRUST_PROXY in the configuration');
config('a hop count, a list of addresses and networks, or nothing', () => {
  assert.is(loadConfig({}).trustProxy, false);
  assert.is(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  assert.equal(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.0.1.0/24,loopback, fd00::/8' }).trustProxy, [
    '10.0.0.5',
    '10.0.1.0/24',
    'loopback',
    'fd00::/8',
  ]);
});
config('anything else is refused with what TRUST_PROXY takes', () => {
  for (const bad of ['true', '0', '10.0.0.300', '10.0.0.0/33', 'proxy.example.gov.tw']) {
    try {
      loadConfig({ TRUST_PROXY: bad });
      assert.unreachable(bad);
    } catch (err) {
      assert.instance(err, ConfigError, bad);
      assert.match((err as ConfigError).message, 'TRUST_PROXY must be the number of proxies', bad);
    }
  }
});

behind.run();
direct.run();
config.run();
