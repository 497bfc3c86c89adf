import * as assert from 'uvu/assert';
import { bookVisit } from '../../../domain/bookings/booking.ts';
import { bookedMails } from '../../../domain/bookings/notices.ts';
import { dispatchWaitingMails } from '../../../domain/shared/outbox.ts';
import { getBooking } from '../../../domain/bookings/records.ts';
import { bookingSuite, NOW, q, family, grant, input, person } from './setup.ts';

/**
 * Issue 14: the 已預約 mails are built before the booking and written with it in one statement. They
 * must say what the booking, read back once written, says (times, names, number), reach every visitor
 * in their own language, wait for the dispatcher and get one delivery job each from it, and never be
 * written for a booking refused.
 */
const test = bookingSuite('visit bookings, the booked mails written with the booking');

/**
 * The mails of the booking's visitors, in the order written, as the outbox holds them: each waits in
 * notification_outbox with its secrets (`waiting`), then the dispatcher gives it its delivery job.
 */
async function mailsOf(ctx: Parameters<Parameters<typeof test>[1]>[0], people: number[]) {
  const waiting = new Map(
    (
      await q(
        ctx,
        `SELECT o.notification_id AS id, o.secrets::text AS secrets FROM notification_outbox o
           JOIN notification n ON n.id = o.notification_id WHERE n.applicant_id = ANY ($1::bigint[])`,
        [people],
      )
    ).rows.map((r: { id: number; secrets: string }) => [Number(r.id), r.secrets]),
  );
  while ((await dispatchWaitingMails(ctx.db.pool)) > 0);
  const { rows } = await q(
    ctx,
    `SELECT n.id, n.recipient AS to, n.subject, n.body_text AS text, n.body_html AS html, n.applicant_id, n.institution_code,
            (SELECT count(*)::int FROM graphile_worker._private_jobs j WHERE (j.payload->>'id')::bigint = n.id) AS jobs,
            (SELECT (j.payload->'secrets')::text FROM graphile_worker._private_jobs j WHERE (j.payload->>'id')::bigint = n.id) AS secrets
       FROM notification n WHERE n.applicant_id = ANY ($1::bigint[]) ORDER BY n.id`,
    [people],
  );
  type Mail = {
    id: number;
    to: string;
    subject: string;
    text: string;
    html: string;
    applicant_id: number;
    jobs: number;
  };
  return rows.map(({ id, ...m }: Mail) => ({ ...m, waiting: waiting.get(Number(id)) ?? null }));
}

/** What the mails must say: built from the booking as the database holds it once written. */
async function expected(ctx: Parameters<Parameters<typeof test>[1]>[0], bookingId: number) {
  const detail = (await getBooking(ctx.db.pool, null, bookingId, 'zh-TW', false))!;
  return bookedMails(detail).map((m) => ({
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    applicant_id: m.applicantId,
    institution_code: m.institutionCode,
    jobs: 1,
    secrets: '{}',
    waiting: '{}',
  }));
}

test('a family booking with another visitor: one mail each, in their language, matching the booking, each with its delivery job', async (ctx) => {
  const f = await family(ctx);
  const companion = await person(ctx, '陳小華');
  await grant(ctx, companion, f.inmateId);
  await q(ctx, `UPDATE applicant SET locale = 'en' WHERE id = $1`, [companion]);
  const outcome = await bookVisit(
    ctx.db.pool,
    await input(ctx, {
      bookerId: f.who,
      inmateId: f.inmateId,
      date: '2026-12-02',
      at: '09:30',
      companionIds: [companion],
    }),
    NOW,
  );
  assert.is(outcome.kind, 'booked');
  const id = (outcome as { bookingId: number }).bookingId;
  const mails = await mailsOf(ctx, [f.who, companion]);
  assert.equal(mails, await expected(ctx, id));
  assert.equal(
    mails.map((m) => m.applicant_id),
    [f.who, companion],
  );
  assert.match(mails[0]!.text, '09:30');
  assert.is.not(mails[1]!.subject, mails[0]!.subject, 'the other visitor reads English, the booker Chinese');
});

test("a lawyer's on-site visit: the mail gives the arrival time, as the booking read back does", async (ctx) => {
  const f = await family(ctx, { service: 'lawyer_visit' }, '2411');
  const outcome = await bookVisit(
    ctx.db.pool,
    await input(ctx, {
      bookerId: f.who,
      inmateId: f.inmateId,
      date: '2026-12-02',
      service: 'lawyer_visit',
      kind: 'onsite',
      arrivalTime: '09:45',
    }),
    NOW,
  );
  assert.is(outcome.kind, 'booked');
  const mails = await mailsOf(ctx, [f.who]);
  assert.equal(mails, await expected(ctx, (outcome as { bookingId: number }).bookingId));
  assert.match(mails[0]!.text, '09:45');
});

test('eight families confirm the two places of a batch at once: two are booked, and only their visitors get a mail', async (ctx) => {
  const date = '2026-12-03';
  const people = [];
  for (let i = 0; i < 8; i++) people.push(await family(ctx));
  const inputs = await Promise.all(
    people.map((f) => input(ctx, { bookerId: f.who, inmateId: f.inmateId, date, kind: 'remote', at: '09:00' })),
  );
  const results = await Promise.all(inputs.map((i) => bookVisit(ctx.db.pool, i, NOW)));
  const booked = people.filter((_, i) => results[i]!.kind === 'booked').map((f) => f.who);
  assert.is(booked.length, 2);
  const mails = await mailsOf(
    ctx,
    people.map((f) => f.who),
  );
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  assert.equal(sorted(mails.map((m) => Number(m.applicant_id))), sorted(booked));
  assert.ok(mails.every((m) => m.jobs === 1));
});

test.run();
