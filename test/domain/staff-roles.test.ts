import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { freshDatabase, type TestDb } from '../support/db.ts';
import * as fixture from '../support/fixtures.ts';
import { decideApplication, getReviewCase, listReviewQueue } from '../../domain/applications/review.ts';
import { readDocument } from '../../domain/applications/documents.ts';
import { decidePost, getPostCase, listPostQueue } from '../../domain/contact-book/review.ts';
import { liftSuspension, listSuspensions } from '../../domain/contact-book/suspensions.ts';
import { deliverySheet, markDelivered } from '../../domain/contact-book/delivery.ts';
import { readPostPhoto } from '../../domain/contact-book/photos.ts';
import {
  decideBooking,
  decideBookings,
  listStaffBookings,
  staffBooking,
  staffCancelBooking,
} from '../../domain/bookings/decisions.ts';
import { findApplicantByIdentity, roster } from '../../domain/bookings/rosters.ts';
import { bookByPhone, phoneBookingSheet } from '../../domain/bookings/phone-booking.ts';
import {
  addBatch,
  addBatches,
  blockDate,
  retireBatch,
  setBatchCapacity,
  setCapacities,
  timetableSheet,
  unblockDate,
} from '../../domain/bookings/timetable.ts';
import { searchNotifications } from '../../domain/notifications.ts';
import {
  STAFF_ROLES,
  StaffNotAllowed,
  tasksOf,
  type StaffActor,
  type StaffRole,
  type StaffTask,
} from '../../domain/shared/staff-actor.ts';

/**
 * Issue 12: roles are enforced in the domain, not only by the routes. Every back-office domain function
 * is called as a staff member whose role lacks its task and must throw StaffNotAllowed (the app answers
 * 403) before it reads or writes anything; as a role that has the task it must not. The real role that
 * lacks a task is used where there is one (reviewers and the timetable); for tasks every role has today,
 * a role with no tasks at all stands in, so a function that forgot its check fails here.
 */
type Ctx = { db: TestDb; staff: number; admin: number; batch: number };
const test = suite<Ctx>('roles in the domain: each back-office function refuses a role without its task');
const NOW = new Date('2026-11-28T02:00:00Z');
const queue = { institutionCode: null, callNumber: null, status: null, from: null, to: null, page: 1 };

test.before(async (ctx) => {
  ctx.db = await freshDatabase();
  const { pool } = ctx.db;
  await fixture.institution(pool, { code: '2477' });
  ctx.staff = await fixture.staff(pool, {
    account: 'r2477',
    name: '審核甲',
    institutionCode: '2477',
    role: 'reviewer',
  });
  ctx.admin = await fixture.staff(pool, {
    account: 'a2477',
    name: '管理乙',
    institutionCode: '2477',
    role: 'institution_admin',
  });
  ctx.batch = await fixture.visitBatch(pool, {
    institutionCode: '2477',
    kind: 'onsite',
    weekday: 1,
    startsAt: '09:00',
    lengthMinutes: 30,
    capacity: 5,
  });
});
test.after(async (ctx) => {
  await ctx.db.drop();
});

const actor = (ctx: Ctx, role: StaffRole): StaffActor => ({
  staffId: role === 'reviewer' ? ctx.staff : ctx.admin,
  role,
  institutionCode: '2477',
  ip: '10.0.0.9',
});

/** Every back-office domain function, with the task it asks for, called as `who`. */
const CALLS: [name: string, task: StaffTask, call: (ctx: Ctx, who: StaffActor) => Promise<unknown>][] = [
  ['listReviewQueue', 'review', (c, w) => listReviewQueue(c.db.pool, w, { ...queue, service: null }, 'zh-TW')],
  ['getReviewCase', 'review', (c, w) => getReviewCase(c.db.pool, w, 1, 'zh-TW')],
  ['decideApplication', 'review', (c, w) => decideApplication(c.db.pool, 1, 1, { decision: 'approve' }, w, NOW)],
  ['readDocument', 'review', (c, w) => readDocument(c.db.pool, 1, 1, { staff: w })],
  ['listPostQueue', 'review', (c, w) => listPostQueue(c.db.pool, w, queue, 'zh-TW')],
  ['getPostCase', 'review', (c, w) => getPostCase(c.db.pool, w, 1, 'zh-TW', NOW)],
  ['decidePost', 'review', (c, w) => decidePost(c.db.pool, 1, 1, { decision: 'approve' }, w, NOW)],
  ['readPostPhoto', 'review', (c, w) => readPostPhoto(c.db.pool, 1, { staff: w })],
  ['listSuspensions', 'review', (c, w) => listSuspensions(c.db.pool, w, NOW)],
  ['liftSuspension', 'review', (c, w) => liftSuspension(c.db.pool, 1, w, NOW)],
  ['deliverySheet', 'delivery', (c, w) => deliverySheet(c.db.pool, w, '2477', '2026-11-27')],
  ['markDelivered', 'delivery', (c, w) => markDelivered(c.db.pool, [1], w, NOW)],
  [
    'listStaffBookings',
    'review',
    (c, w) =>
      listStaffBookings(
        c.db.pool,
        w,
        { institutionCode: null, kind: null, service: null, status: null, from: null, to: null, page: 1 },
        'zh-TW',
      ),
  ],
  ['staffBooking', 'review', (c, w) => staffBooking(c.db.pool, w, 1, 'zh-TW')],
  ['decideBooking', 'review', (c, w) => decideBooking(c.db.pool, 1, 1, { decision: 'approve' }, w, NOW)],
  ['decideBookings', 'review', (c, w) => decideBookings(c.db.pool, [], { decision: 'approve' }, w, NOW)],
  ['staffCancelBooking', 'review', (c, w) => staffCancelBooking(c.db.pool, 1, 1, '颱風停止接見', w, NOW)],
  [
    'roster',
    'rosters',
    (c, w) => roster(c.db.pool, w, { institutionCode: '2477', date: '2026-11-30', service: 'visit' }),
  ],
  [
    'findApplicantByIdentity',
    'phone_bookings',
    (c, w) => findApplicantByIdentity(c.db.pool, '王小明', 'A123456789', w, NOW),
  ],
  [
    'phoneBookingSheet',
    'phone_bookings',
    (c, w) => phoneBookingSheet(c.db.pool, w, { applicantId: 1, wanted: '' }, 'zh-TW', NOW),
  ],
  [
    'bookByPhone',
    'phone_bookings',
    (c, w) =>
      bookByPhone(
        c.db.pool,
        1,
        { choice: '', slot: '', date: '', arrival: '', reason: '', companionIds: [], submissionKey: randomUUID() },
        w,
        NOW,
      ),
  ],
  [
    'searchNotifications',
    'notifications',
    (c, w) =>
      searchNotifications(
        c.db.pool,
        w,
        { institutionCode: null, text: null, status: null, channel: null, from: null, to: null, cursor: null },
        'zh-TW',
      ),
  ],
  ['timetableSheet', 'timetable', (c, w) => timetableSheet(c.db.pool, w, '2477', '2026-11-28')],
  [
    'addBatch',
    'timetable',
    (c, w) =>
      addBatch(
        c.db.pool,
        { institutionCode: '2477', kind: 'onsite', weekday: 2, startsAt: '10:00', lengthMinutes: 30, capacity: 3 },
        w,
        NOW,
      ),
  ],
  [
    'addBatches',
    'timetable',
    (c, w) =>
      addBatches(
        c.db.pool,
        { institutionCode: '2477', kind: 'onsite', weekdays: [], startsAt: '10:00', lengthMinutes: 30, capacity: 3 },
        w,
        NOW,
      ),
  ],
  ['setBatchCapacity', 'timetable', (c, w) => setBatchCapacity(c.db.pool, c.batch, 6, w, NOW)],
  ['setCapacities', 'timetable', (c, w) => setCapacities(c.db.pool, '2477', new Map([[c.batch, 7]]), w, NOW)],
  ['retireBatch', 'timetable', (c, w) => retireBatch(c.db.pool, 0, w, NOW)],
  [
    'blockDate',
    'timetable',
    (c, w) => blockDate(c.db.pool, { institutionCode: '2477', date: '2026-12-25', reason: '' }, w, NOW),
  ],
  ['unblockDate', 'timetable', (c, w) => unblockDate(c.db.pool, '2477', '2026-12-25', w, NOW)],
];

const auditLines = async (ctx: Ctx) =>
  Number((await ctx.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_log')).rows[0]!.n);
const batchState = async (ctx: Ctx) =>
  (await ctx.db.pool.query('SELECT capacity, retired_at FROM visit_batch WHERE id = $1', [ctx.batch])).rows[0];

test('a role without the task is refused with StaffNotAllowed, before anything is read or written', async (ctx) => {
  const before = { audit: await auditLines(ctx), batch: await batchState(ctx) };
  for (const [name, task, call] of CALLS) {
    // The real roles without this task, or (when every role has it) a role with no tasks at all.
    const lacking = STAFF_ROLES.filter((r) => !tasksOf(r).includes(task));
    const roles = lacking.length ? lacking : ['no_tasks' as StaffRole];
    for (const role of roles) {
      let thrown: unknown = null;
      try {
        await call(ctx, actor(ctx, role));
      } catch (err) {
        thrown = err;
      }
      assert.instance(thrown, StaffNotAllowed, `${name} as ${role}`);
      assert.is((thrown as StaffNotAllowed).task, task, `${name} names its task`);
      assert.is((thrown as StaffNotAllowed).status, 403);
    }
  }
  assert.is(await auditLines(ctx), before.audit, 'nothing was audited: nothing was done');
  assert.equal(await batchState(ctx), before.batch, 'the timetable is unchanged');
});

test('reviewers may not manage the timetable; institution administrators may', async (ctx) => {
  assert.not.ok(tasksOf('reviewer').includes('timetable'));
  const sheet = await timetableSheet(ctx.db.pool, actor(ctx, 'institution_admin'), '2477', '2026-11-28');
  assert.ok(sheet, 'an administrator of 2477 sees its timetable');
  assert.is(
    await timetableSheet(ctx.db.pool, { role: 'institution_admin', institutionCode: '2411' }, '2477', '2026-11-28'),
    null,
    'another institution’s administrator: not found',
  );
  assert.ok(await setBatchCapacity(ctx.db.pool, ctx.batch, 6, actor(ctx, 'institution_admin'), NOW));
  assert.is((await batchState(ctx)).capacity, 6);
});

test('a role with the task is not refused by any of them', async (ctx) => {
  for (const [name, task, call] of CALLS) {
    const role = STAFF_ROLES.find((r) => tasksOf(r).includes(task))!;
    try {
      await call(ctx, actor(ctx, role));
    } catch (err) {
      assert.not.instance(err, StaffNotAllowed, `${name} as ${role}`);
      throw err;
    }
  }
});

test.run();
