import * as assert from 'uvu/assert';
import * as make from '../../support/fixtures.ts';
import { bookVisit } from '../../../domain/bookings/booking.ts';
import { requestDeletion } from '../../../domain/applicants/deletion.ts';
import { bookingSuite, NOW, q, grant, inmate, input } from './setup.ts';

/**
 * Found on review: a family closing their account (刪除帳號) left other people's plans silently changed.
 * Their own coming bookings are cancelled, and the other visitors must be told (they would come for a
 * visit that no longer is); from another's booking they leave, and the booker must be told, as when a
 * visitor withdraws. The one closing asked for no more mail and gets none about it.
 */
const test = bookingSuite('visit bookings when a visitor closes their account');
const PASSWORD = 'family password 1';

async function member(ctx: Parameters<Parameters<typeof test>[1]>[0], name: string, n: number) {
  return make.applicant(ctx.db.pool, {
    name,
    nationalId: `B1${String(n).padStart(8, '0')}`,
    email: `closing${n}@example.com`,
    mobile: '0912345678',
    password: PASSWORD,
  });
}

const mailsTo = async (ctx: Parameters<Parameters<typeof test>[1]>[0], applicantId: number) =>
  (
    await q(
      ctx,
      `SELECT subject, body_text FROM notification WHERE applicant_id = $1 AND channel = 'email' ORDER BY id`,
      [applicantId],
    )
  ).rows as { subject: string; body_text: string }[];

test('the booker closes: the booking is cancelled and the other visitor told; a visitor closes: the booker is told', async (ctx) => {
  const inmateId = await inmate(ctx);
  const [amy, ben, cai] = [
    await member(ctx, '林阿美', 1),
    await member(ctx, '陳阿斌', 2),
    await member(ctx, '吳阿才', 3),
  ];
  for (const who of [amy, ben, cai]) await grant(ctx, who, inmateId);
  const byAmy = await bookVisit(
    ctx.db.pool,
    await input(ctx, { bookerId: amy, inmateId, date: '2026-12-02', at: '09:00', companionIds: [ben] }),
    NOW,
  );
  const byBen = await bookVisit(
    ctx.db.pool,
    await input(ctx, { bookerId: ben, inmateId, date: '2026-12-03', at: '09:00', companionIds: [cai] }),
    NOW,
  );
  assert.is(byAmy.kind, 'booked');
  assert.is(byBen.kind, 'booked');
  const before = { amy: (await mailsTo(ctx, amy)).length, ben: (await mailsTo(ctx, ben)).length };

  // Amy, the booker of the first, closes her account.
  assert.is(await requestDeletion(ctx.db.pool, amy, PASSWORD, NOW), 'closed');
  const toBen = (await mailsTo(ctx, ben)).slice(before.ben);
  assert.is(toBen.length, 1, 'Ben is told of the cancellation');
  assert.match(toBen[0]!.body_text, '已由預約人取消');
  assert.is((await mailsTo(ctx, amy)).length, before.amy, 'Amy, who asked for no more mail, gets none');

  // Cai, another visitor on Ben's booking, closes: Ben is told Cai withdrew; the booking stands.
  assert.is(await requestDeletion(ctx.db.pool, cai, PASSWORD, NOW), 'closed');
  const toBenNow = (await mailsTo(ctx, ben)).slice(before.ben + 1);
  assert.is(toBenNow.length, 1, 'Ben is told Cai left');
  assert.match(toBenNow[0]!.body_text, '吳阿才');
  const status = (
    await q(ctx, 'SELECT status FROM visit_booking WHERE id = $1', [(byBen as { bookingId: number }).bookingId])
  ).rows[0].status;
  assert.is(status, 'pending');
});

test.run();
