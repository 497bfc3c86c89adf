import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { bookingSuite, family, input, NOW, person, q, staff, taipei } from './bookings/setup.ts';
import { bookVisit } from '../../domain/bookings/booking.ts';
import { decideBooking } from '../../domain/bookings/decisions.ts';
import {
  applicationRating,
  decisionToken,
  rateApplication,
  rateByToken,
  rateKioskSession,
  rateVisit,
  readAnswer,
  tokenEvent,
  visitRating,
  visitToken,
  type Answer,
} from '../../domain/ratings/answers.ts';
import { ratingFigures } from '../../domain/ratings/figures.ts';
import { maskPersonalData, MASK } from '../../domain/ratings/moderation.ts';
import { ratingChart } from '../../domain/ratings/chart.ts';
import { translator } from '../../domain/i18n/i18n.ts';

const test = bookingSuite(
  '即時評價: one answer per event, tokens stored as hashes, the share per week, masked comments',
);
const good: Answer = { choice: 5, comment: null };
const numberOf = async (ctx: Parameters<typeof q>[0], id: number) =>
  (await q(ctx, 'SELECT number FROM service_application WHERE id = $1', [id])).rows[0].number as string;

test('the form: one of five choices, a comment of at most 500 characters, blank comments dropped', () => {
  assert.equal(readAnswer('4', '  很好  '), { choice: 4, comment: '很好' });
  assert.equal(readAnswer('1', '   '), { choice: 1, comment: null });
  assert.is(readAnswer('6', ''), 'choice');
  assert.is(readAnswer('', ''), 'choice');
  assert.is(readAnswer(undefined, ''), 'choice');
  assert.is(readAnswer('3', '字'.repeat(501)), 'comment');
  assert.equal(readAnswer('3', '字'.repeat(500)), { choice: 3, comment: '字'.repeat(500) });
});

test('a decision: the page and the mailed link rate the same event, once; only the hash of the token is kept', async (ctx) => {
  const f = await family(ctx);
  const number = await numberOf(ctx, f.applicationId);
  const token = await decisionToken(ctx.db.pool, f.applicationId, NOW);
  assert.ok(token && /^[A-Za-z0-9_-]{43}$/.test(token));
  const { rows } = await q(
    ctx,
    'SELECT token_hash, row_to_json(r)::text AS everything FROM rating r WHERE application_id = $1',
    [f.applicationId],
  );
  assert.is(rows.length, 1);
  assert.ok((rows[0].token_hash as Buffer).equals(createHash('sha256').update(token!).digest()));
  assert.not.ok((rows[0].everything as string).includes(token!), 'the token itself is stored nowhere');

  assert.equal(await applicationRating(ctx.db.pool, f.who, number), { answered: false });
  assert.is((await tokenEvent(ctx.db.pool, token!, NOW))?.answered, false);
  assert.is(await rateByToken(ctx.db.pool, token!, { choice: 2, comment: '等太久' }, NOW), 'saved');
  assert.is(await rateByToken(ctx.db.pool, token!, good, NOW), 'already', 'the link works once');
  assert.is(await rateApplication(ctx.db.pool, f.who, number, good, NOW), 'already', 'the page too: one per event');
  assert.equal(await applicationRating(ctx.db.pool, f.who, number), { answered: true });
  const saved = (await q(ctx, 'SELECT answer, comment FROM rating WHERE application_id = $1', [f.applicationId])).rows;
  assert.equal(saved, [{ answer: 2, comment: '等太久' }]);
  // A new mail for an answered event brings no new link; unknown and malformed tokens rate nothing.
  assert.is(await decisionToken(ctx.db.pool, f.applicationId, NOW), null);
  assert.is(await rateByToken(ctx.db.pool, 'x'.repeat(43), good, NOW), 'not_found');
  assert.is(await rateByToken(ctx.db.pool, "' OR 1=1 --", good, NOW), 'not_found');
});

test('a decision on the page: only the applicant’s own decided application, once', async (ctx) => {
  const f = await family(ctx);
  const number = await numberOf(ctx, f.applicationId);
  const stranger = await person(ctx);
  assert.is(await rateApplication(ctx.db.pool, stranger, number, good, NOW), 'not_found');
  assert.is(await applicationRating(ctx.db.pool, stranger, number), null);
  await q(ctx, `UPDATE service_application SET status = 'pending', decided_at = NULL WHERE id = $1`, [f.applicationId]);
  assert.is(await rateApplication(ctx.db.pool, f.who, number, good, NOW), 'not_found', 'not decided yet');
  await q(ctx, `UPDATE service_application SET status = 'approved', decided_at = $2 WHERE id = $1`, [
    f.applicationId,
    NOW,
  ]);
  assert.is(await rateApplication(ctx.db.pool, f.who, number, { choice: 4, comment: null }, NOW), 'saved');
  assert.is(await rateApplication(ctx.db.pool, f.who, number, { choice: 1, comment: null }, NOW), 'already');
  assert.is((await q(ctx, 'SELECT answer FROM rating WHERE application_id = $1', [f.applicationId])).rows[0].answer, 4);
});

test('a visit: each visitor once, only after it is over, and only an approved one', async (ctx) => {
  const f = await family(ctx);
  const booked = await bookVisit(
    ctx.db.pool,
    await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-11-30' }),
    NOW,
  );
  assert.is(booked.kind, 'booked');
  const id = (booked as { bookingId: number }).bookingId;
  const token = await visitToken(ctx.db.pool, id, f.who, NOW);
  const after = taipei('2026-11-30T09:31:00');
  assert.is(await rateVisit(ctx.db.pool, f.who, id, good, after), 'not_yet', 'still pending');
  await q(ctx, `UPDATE visit_booking SET status = 'approved', decided_at = $2, decided_by = $3 WHERE id = $1`, [
    id,
    NOW,
    ctx.staff2477,
  ]);
  assert.is(
    await rateVisit(ctx.db.pool, f.who, id, good, taipei('2026-11-30T09:10:00')),
    'not_yet',
    'during the visit',
  );
  assert.is(await rateByToken(ctx.db.pool, token!, good, taipei('2026-11-30T09:10:00')), 'not_yet');
  assert.is(await visitRating(ctx.db.pool, f.who, id, taipei('2026-11-30T09:10:00')), null);
  assert.equal(await visitRating(ctx.db.pool, f.who, id, after), { answered: false });
  assert.is(await rateVisit(ctx.db.pool, await person(ctx), id, good, after), 'not_found', 'not a visitor');
  assert.is(await rateVisit(ctx.db.pool, f.who, id, { choice: 3, comment: null }, after), 'saved');
  assert.is(await rateByToken(ctx.db.pool, token!, good, after), 'already', 'the mailed link is the same event');
  assert.equal(await visitRating(ctx.db.pool, f.who, id, after), { answered: true });
});

/** An enrolled kiosk as the route hands it over (only its institution matters to the rating). */
const kioskOf = (institutionCode: string) => ({ id: 1, institutionCode, name: '候客室一號機' });

test('a kiosk session: no person, one answer each, only for a known institution', async (ctx) => {
  assert.is(await rateKioskSession(ctx.db.pool, kioskOf('2477'), { choice: 5, comment: '很方便' }, NOW), 'saved');
  assert.is(await rateKioskSession(ctx.db.pool, kioskOf('9999'), good, NOW), 'not_found');
  assert.is(await rateKioskSession(ctx.db.pool, kioskOf("2477' --"), good, NOW), 'not_found');
  const { rows } = await q(
    ctx,
    `SELECT applicant_id, application_id, booking_id, token_hash FROM rating WHERE event = 'kiosk_session'`,
  );
  assert.equal(rows, [{ applicant_id: null, application_id: null, booking_id: null, token_hash: null }]);
});

test('staff see the share satisfied per week within their scope, per service and institution, with masked comments', async (ctx) => {
  await q(ctx, 'DELETE FROM rating');
  const at = (d: string) => taipei(`${d}T12:00:00`);
  // Week of 2026-11-16: 4 answers at 2477, 3 satisfied (75%); week of 2026-11-23: 2 at 2477, both satisfied; 1 at 2411.
  for (const [code, choice, day, comment] of [
    ['2477', 5, '2026-11-16', null],
    ['2477', 4, '2026-11-17', '電話 0912-345-678 找我'],
    ['2477', 4, '2026-11-18', null],
    ['2477', 2, '2026-11-19', '身分證 A123456789，信箱 a.b@example.com'],
    ['2477', 5, '2026-11-23', null],
    ['2477', 3, '2026-11-24', null],
    ['2411', 1, '2026-11-24', '很差'],
  ] as const)
    await rateKioskSession(ctx.db.pool, kioskOf(code), { choice, comment }, at(day));
  const f = await family(ctx);
  await rateApplication(ctx.db.pool, f.who, await numberOf(ctx, f.applicationId), good, at('2026-11-25'));

  const mine = await ratingFigures(ctx.db.pool, staff(ctx, '2477'), { service: null, institutionCode: '2411' }, NOW);
  const week = (w: string) => mine.weeks.find((x) => x.week === w);
  assert.equal(week('2026-11-16'), { week: '2026-11-16', answers: 4, satisfied: 3, share: 0.75 });
  assert.equal(
    week('2026-11-23'),
    { week: '2026-11-23', answers: 3, satisfied: 2, share: 0.667 },
    'never 2411 for 2477 staff',
  );
  assert.equal(week('2026-11-09'), { week: '2026-11-09', answers: 0, satisfied: 0, share: null });
  assert.equal(mine.total, { answers: 7, satisfied: 5, share: 0.714 });
  assert.equal(
    mine.comments.map((c) => c.comment),
    [`身分證 ${MASK}，信箱 ${MASK}`, `電話 ${MASK} 找我`],
  );
  assert.equal(Object.keys(mine.comments[0]!).sort(), ['comment', 'date', 'service']);

  const agency = staff(ctx, null);
  assert.is((await ratingFigures(ctx.db.pool, agency, { service: null, institutionCode: null }, NOW)).total.answers, 8);
  assert.is(
    (await ratingFigures(ctx.db.pool, agency, { service: null, institutionCode: '2411' }, NOW)).total.answers,
    1,
  );
  const visits = await ratingFigures(ctx.db.pool, agency, { service: 'visit', institutionCode: null }, NOW);
  assert.equal(visits.total, { answers: 1, satisfied: 1, share: 1 });

  const chart = ratingChart(translator('zh-TW'), mine);
  assert.match(chart.svg, /role="img"/);
  assert.match(chart.svg, /<title id="chart-ratings-title">每週滿意比例<\/title>/);
  assert.match(chart.svg, /<desc id="chart-ratings-desc">[^<]*共 7 則評價，滿意比例 71.4%，目標 80%；2 週低於目標/);
  const row = chart.table.rows.find((r) => r.head.includes('2026/11/16'))!;
  assert.equal(row.cells, [4, 3, '75%', '未達成']);
  assert.equal(chart.table.rows.at(-1)!.cells, [7, 5, '71.4%', '未達成']);
});

test('masking: ID numbers, phones and e-mail addresses, half- or full-width; ordinary words and dates stay', () => {
  for (const [text, masked] of [
    ['我的身分證是A123456789', `我的身分證是${MASK}`],
    ['居留證 AC01234567', `居留證 ${MASK}`],
    ['ａ１２３４５６７８９', MASK],
    ['手機0912345678', `手機${MASK}`],
    ['請撥 (02) 2345-6789', `請撥 (02) ${MASK}`],
    ['+886 912 345 678', MASK],
    ['０９１２－３４５－６７８', MASK],
    ['寄到 someone.name+x@mail.example.com.tw 謝謝', `寄到 ${MASK} 謝謝`],
    ['寄到 someone＠example.com', `寄到 ${MASK}`],
  ] as const)
    assert.is(maskPersonalData(text), masked, text);
  assert.is(maskPersonalData('2026/11/20 接見等了 30 分鐘，服務很好'), '2026/11/20 接見等了 30 分鐘，服務很好');
  assert.is(maskPersonalData('第2號窗口'), '第2號窗口');
});

test('a booking approval mails each visitor their own link to rate the visit afterwards; the log keeps only a placeholder', async (ctx) => {
  const f = await family(ctx);
  const booked = await bookVisit(
    ctx.db.pool,
    await input(ctx, { bookerId: f.who, inmateId: f.inmateId, date: '2026-12-01' }),
    NOW,
  );
  const id = (booked as { bookingId: number }).bookingId;
  const version = (await q(ctx, 'SELECT version FROM visit_booking WHERE id = $1', [id])).rows[0].version;
  const decided = await decideBooking(
    ctx.db.pool,
    id,
    version,
    { decision: 'approve' },
    staff(ctx),
    NOW,
    undefined,
    'https://portal.test',
  );
  assert.is(decided, 'decided');
  const jobs = (
    await q(ctx, `SELECT payload FROM graphile_worker._private_jobs WHERE (payload->'secrets')::jsonb ? '[[rating]]'`)
  ).rows.map((r) => r.payload.secrets['[[rating]]'] as string);
  assert.is(jobs.length, 1, 'one visitor, one link');
  const token = /^https:\/\/portal\.test\/ratings\/answer\?token=([A-Za-z0-9_-]{43})$/.exec(jobs[0]!)?.[1];
  assert.ok(token, jobs[0]);
  const mail = (
    await q(
      ctx,
      `SELECT body_text FROM notification WHERE applicant_id = $1 AND channel <> 'sms' ORDER BY id DESC LIMIT 1`,
      [f.who],
    )
  ).rows[0];
  assert.match(mail.body_text, '接見結束後，歡迎以下列連結為本次服務評分');
  assert.match(mail.body_text, '[[rating]]');
  assert.not.match(mail.body_text, token!);
  assert.is(await rateByToken(ctx.db.pool, token!, good, taipei('2026-12-01T08:00:00')), 'not_yet');
  assert.is(await rateByToken(ctx.db.pool, token!, good, taipei('2026-12-01T10:00:00')), 'saved');
  assert.is(await rateVisit(ctx.db.pool, f.who, id, good, taipei('2026-12-01T10:00:00')), 'already');
});

test.run();
