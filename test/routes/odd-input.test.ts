import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp } from '../support/app.ts';
import * as fixture from '../support/fixtures.ts';
import { Client } from '../support/http.ts';
import { person, registerVerifyAndSignIn, staffSignIn } from '../support/journeys.ts';

test('odd input (non-numeric and huge ids, arrays, impossible dates, overlong text) on the new pages is answered, never a 500', async () => {
  const app = await startTestApp();
  try {
    await fixture.institution(app.db.pool, { code: '2477', nameEn: 'T' });
    await fixture.staff(app.db.pool, {
      account: 'staffprobe',
      name: 's',
      institutionCode: '2477',
      role: 'institution_admin',
      password: 'staff password 1',
    });
    const c = new Client(app.url);
    await registerVerifyAndSignIn(c, app.smtp, person());
    const s = new Client(app.url);
    assert.is((await staffSignIn(s, 'staffprobe', 'staff password 1')).status, 303);
    const bad: string[] = [];
    const gets = [
      '/bookings/abc',
      '/bookings/99999999999999999999',
      '/bookings/-1/cancel',
      '/bookings/1e5/leave',
      '/contact-book/abc',
      '/contact-book/1.5/photo',
      '/contact-book/99999999999999999999/resend',
      '/bookings/new/slot?x[]=1',
      '/contact-book?page[]=2',
    ];
    for (const g of gets) {
      const r = await c.get(g);
      if (r.status >= 500) bad.push(`GET ${g} ${r.status}`);
    }
    await c.get('/bookings/new/kind');
    for (const [p, body] of [
      ['/bookings/new/kind', 'kind=a&kind=b'],
      ['/bookings/new/slot', 'slot=a%7Cb%7Cc'],
      ['/bookings/new/companions', 'companion=x&companion=1e400'],
      ['/bookings/new/reason', 'reason=' + 'x'.repeat(6000)],
      ['/bookings/abc/cancel', ''],
      ['/bookings/abc/leave', ''],
    ] as const) {
      const token = /name="_csrf" value="([^"]+)"/.exec(c.lastPage)![1]!;
      const r = await c.request('POST', p, `_csrf=${encodeURIComponent(token)}&${body}`);
      if (r.status >= 500) bad.push(`POST ${p} ${r.status}`);
    }
    const sgets = [
      '/backoffice/bookings?from=2026-13-45&page=abc&status[]=x',
      '/backoffice/bookings/abc',
      '/backoffice/bookings/roster?date=2026-02-30&service[]=x',
      '/backoffice/bookings/roster?institution=9999',
      '/backoffice/bookings/phone/abc',
      '/backoffice/contact-book/abc',
      '/backoffice/contact-book/abc/photo',
      '/backoffice/timetable?institution[]=1',
      '/backoffice/contact-book/delivery?institution=abc&date=x',
    ];
    for (const g of sgets) {
      const r = await s.get(g);
      if (r.status >= 500) bad.push(`GET ${g} ${r.status}`);
    }
    await s.get('/backoffice/timetable');
    for (const [p, body] of [
      ['/backoffice/bookings/decisions', 'decision=approve&booking=abc&booking=1:x&booking=99999999999999999999:1'],
      ['/backoffice/bookings/abc/decision', 'decision=approve&version=1'],
      ['/backoffice/bookings/1/cancel', 'reason=x&version=abc'],
      ['/backoffice/contact-book/delivery', 'post=abc&post=1e400&institution=2477&date=2026-02-30'],
      ['/backoffice/timetable/capacity', 'institution=2477&cap-abc=1&cap-1=9999'],
      [
        '/backoffice/timetable/batches',
        'institution=2477&kind=onsite&weekday=9&weekday=x&startsAt=25:00&lengthMinutes=1e9&capacity=-1',
      ],
      ['/backoffice/timetable/closed', 'institution=2477&date=2026-02-30'],
      ['/backoffice/timetable/closed/2026-02-30/open', 'institution=2477'],
      ['/backoffice/bookings/phone', 'name=x&nationalId=' + 'A'.repeat(500)],
    ] as const) {
      const token = /name="_csrf" value="([^"]+)"/.exec(s.lastPage)![1]!;
      const r = await s.request('POST', p, `_csrf=${encodeURIComponent(token)}&${body}`);
      if (r.status >= 500) bad.push(`POST ${p} ${r.status}`);
    }
    assert.equal(bad, []);
  } finally {
    await app.close();
  }
});
test.run();
