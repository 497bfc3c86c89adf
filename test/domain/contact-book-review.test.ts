import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { submitPost } from '../../domain/contact-book/posts.ts';
import { decidePost } from '../../domain/contact-book/review.ts';
import { getPostCase, listPostQueue } from '../../domain/contact-book/review.ts';
import { deliverySheet, markDelivered } from '../../domain/contact-book/delivery.ts';
import { familyWithContactBook } from '../support/scenarios.ts';
import { viewer } from '../support/staff.ts';

type Ctx = { db: TestDb; staff: number; other: number; posts: number[] };
const test = suite<Ctx>(
  'contact book moderation: queue scope and Taipei dates, the delivery sheet by Taipei day, delivery by scope, the result mail',
);
const taipei = (isoLocal: string) => new Date(`${isoLocal}+08:00`);

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await fixture.institution(pool, { code: '2477', nameEn: 'Taoyuan' });
  await fixture.institution(pool, { code: '2411', nameEn: 'Keelung' });
  ctx.staff = await fixture.staff(pool, {
    account: 'staff2477',
    name: '甲',
    institutionCode: '2477',
    role: 'reviewer',
  });
  ctx.other = await fixture.staff(pool, {
    account: 'staff2411',
    name: '乙',
    institutionCode: '2411',
    role: 'reviewer',
  });
  ctx.posts = [];
  // Three families at 2477, each with a post sent on 2026-11-20 and decided at the edges of a Taipei day.
  for (const [i, id] of ['A152601814', 'A259083012', 'B166131862'].entries()) {
    const { applicant, book } = await familyWithContactBook(pool, {
      name: `家屬${i}`,
      nationalId: id,
      email: `f${i}@example.com`,
      locale: i === 2 ? 'en' : 'zh-TW',
      callNumber: String(7000 + i),
      number: `20261101-REVW0${i}`,
    });
    const sent = await submitPost(
      ctx.db.pool,
      {
        applicantId: applicant,
        applicationId: book,
        title: `近況${i}`,
        body: '家裡都好。',
        photo: null,
        submissionKey: randomUUID(),
      },
      taipei('2026-11-20T09:00:00'),
    );
    assert.is(sent.kind, 'posted');
    ctx.posts.push((sent as { postId: number }).postId);
  }
});
test.after(async (ctx) => {
  await ctx.db.drop();
});

const reviewer = (ctx: Ctx, code = '2477') => ({
  staffId: code === '2477' ? ctx.staff : ctx.other,
  role: 'reviewer' as const,
  institutionCode: code,
  ip: '10.0.0.3',
});
const filter = { institutionCode: null, callNumber: null, status: null, from: null, to: null, page: 1 };

test('the queue is the institution’s own, pending first; dates are Taipei days', async (ctx) => {
  const mine = await listPostQueue(ctx.db.pool, viewer('2477'), filter, 'zh-TW');
  assert.is(mine.total, 3);
  assert.is((await listPostQueue(ctx.db.pool, viewer('2411'), filter, 'zh-TW')).total, 0);
  assert.is(
    (await listPostQueue(ctx.db.pool, viewer('2411'), { ...filter, institutionCode: '2477' }, 'zh-TW')).total,
    0,
    'asking for another institution does not widen the scope',
  );
  assert.is(
    (await listPostQueue(ctx.db.pool, viewer(null), { ...filter, from: '2026-11-20', to: '2026-11-20' }, 'zh-TW'))
      .total,
    3,
  );
  assert.is((await listPostQueue(ctx.db.pool, viewer(null), { ...filter, from: '2026-11-21' }, 'zh-TW')).total, 0);
  assert.is(
    (await listPostQueue(ctx.db.pool, viewer(null), { ...filter, callNumber: '7001' }, 'zh-TW')).rows[0]!.title,
    '近況1',
  );
  assert.is(
    await getPostCase(ctx.db.pool, viewer('2411'), ctx.posts[0]!, 'zh-TW', new Date()),
    null,
    'another institution: no such post',
  );
});

test('the delivery sheet holds the posts approved on that Taipei day: 23:59 is that day, 00:00 the next', async (ctx) => {
  const [a, b, c] = ctx.posts as [number, number, number];
  assert.is(
    await decidePost(ctx.db.pool, a, 1, { decision: 'approve' }, reviewer(ctx), taipei('2026-11-21T23:59:00')),
    'decided',
  );
  assert.is(
    await decidePost(ctx.db.pool, b, 1, { decision: 'approve' }, reviewer(ctx), taipei('2026-11-22T00:00:00')),
    'decided',
  );
  assert.is(
    await decidePost(
      ctx.db.pool,
      c,
      1,
      { decision: 'reject', reason: '', reasonCode: 'unsafeContent' },
      reviewer(ctx),
      taipei('2026-11-21T10:00:00'),
    ),
    'decided',
  );
  assert.equal(
    (await deliverySheet(ctx.db.pool, viewer('2477'), '2477', '2026-11-21')).map((p) => p.id),
    [a],
    'a rejected post is not delivered',
  );
  assert.equal(
    (await deliverySheet(ctx.db.pool, viewer('2477'), '2477', '2026-11-22')).map((p) => p.id),
    [b],
  );
  assert.equal(
    await deliverySheet(ctx.db.pool, viewer('2411'), '2477', '2026-11-21'),
    [],
    'not for another institution',
  );
  // The English-speaking family reads the common reason in English.
  const reason = (await ctx.db.pool.query('SELECT rejection_reason FROM contact_book_post WHERE id = $1', [c])).rows[0]
    .rejection_reason;
  assert.is(reason, 'The post touches on the security or order of the institution.');
});

test('only approved posts of the institution are marked delivered, once; the mails say the result in the seed’s words', async (ctx) => {
  const [a, b, c] = ctx.posts as [number, number, number];
  assert.is(
    await markDelivered(ctx.db.pool, [a, b, c, a, Number.NaN], reviewer(ctx, '2411'), new Date()),
    0,
    'another institution marks nothing',
  );
  assert.is(
    await markDelivered(ctx.db.pool, [a, b, c, a, Number.NaN], reviewer(ctx), taipei('2026-11-22T15:00:00')),
    2,
    'the rejected one and the repeat are skipped',
  );
  assert.is(await markDelivered(ctx.db.pool, [a], reviewer(ctx), new Date()), 0, 'already delivered');
  const events = (
    await ctx.db.pool.query(`SELECT count(*)::int AS n FROM contact_book_event WHERE action = 'delivered'`)
  ).rows[0].n;
  assert.is(events, 2);
  const mails = (await ctx.db.pool.query(`SELECT recipient, subject, body_text FROM notification ORDER BY id`)).rows;
  assert.is(mails.length, 3);
  assert.match(mails[0].body_text, '您於【便民服務入口網】發佈家庭聯絡簿審核結果為「審核通過」。');
  assert.match(mails[0].body_text, '聯絡簿主旨：近況0');
  assert.match(mails[2].body_text, 'Your family contact book post on the Corrections Service Portal: Not approved.');
});

test.run();
