import { Router, type NextFunction, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, type FieldMessage } from './forms.ts';
import { dayLabeller } from './day-label.ts';
import { dateRangeErrors, queryText } from './filters.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, institutionsFor, staffActor, staffOf } from './middleware/staff-context.ts';
import { takeNotice } from './middleware/notices.ts';
import { scopeOf } from '../domain/staff.ts';
import { formatDateTime, taipeiToday } from '../domain/shared/dates.ts';
import { parseId } from '../domain/shared/ids.ts';
import { maskIdentityNumber } from '../domain/shared/masking.ts';
import { VISIT_KINDS, type VisitKind } from '../domain/applications/vocabulary.ts';
import type { MessageKey } from '../domain/i18n/i18n.ts';
import {
  bulkTally,
  decideBooking,
  decideBookings,
  listStaffBookings,
  staffBooking,
  staffCancelBooking,
  type BookingDecision,
  type StaffBookingFilter,
} from '../domain/bookings/decisions.ts';
import { nextVisitDay } from '../domain/bookings/rosters.ts';
import {
  BOOKING_SERVICES,
  BOOKING_STATUSES,
  BULK_MAX,
  STAFF_REASON_MAX,
  type BookingService,
  type BookingStatus,
} from '../domain/bookings/vocabulary.ts';

// Inside the back office (after requireStaff), 預約接見審核 (issue 5; seed 002):
// GET  /bookings                          the review list: institution, visit dates, kind, family/lawyer, status
//                                         (default: pending from today), a checkbox per pending row
// POST /bookings/decisions                approve, or reject with a reason, every selected booking
// GET  /bookings/:id                      one booking: visitors (ID masked), reason, history; prints as a printout
// POST /bookings/:id/decision             approve, or reject with a reason (names the version seen)
// POST /bookings/:id/cancel               staff cancel a pending or approved booking with a reason
// Rosters are routes/backoffice-rosters.ts; phone bookings routes/backoffice-phone-bookings.ts.
const BASE = `${BACKOFFICE}/bookings`;

// ---- the list's filters ----

type ListRaw = { institution: string; from: string; to: string; kind: string; service: string; status: string };

/** The list's filters. No `status` or `from` at all (the menu link) means pending from today; empty means any. */
function readListFilter(
  q: Record<string, unknown>,
  today: string,
): { raw: ListRaw; filter: StaffBookingFilter; errors: Record<string, FieldMessage> } {
  const raw: ListRaw = {
    institution: queryText(q.institution),
    from: q.from === undefined ? today : queryText(q.from),
    to: queryText(q.to),
    kind: queryText(q.kind),
    service: queryText(q.service),
    status: q.status === undefined ? 'pending' : queryText(q.status),
  };
  const errors = dateRangeErrors(raw);
  return {
    raw,
    errors,
    filter: {
      institutionCode: /^\d{4}$/.test(raw.institution) ? raw.institution : null,
      from: errors.from ? null : raw.from || null,
      to: errors.to ? null : raw.to || null,
      kind: (VISIT_KINDS as readonly string[]).includes(raw.kind) ? (raw.kind as VisitKind) : null,
      service: (BOOKING_SERVICES as readonly string[]).includes(raw.service) ? (raw.service as BookingService) : null,
      status: (BOOKING_STATUSES as readonly string[]).includes(raw.status) ? (raw.status as BookingStatus) : null,
      page: Math.max(1, Number.parseInt(queryText(q.page), 10) || 1),
    },
  };
}

/** The list's query string. `status` and `from` are kept even when empty: absent means the defaults. */
function listQuery(raw: ListRaw, page = 1): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) if (v !== '' || k === 'status' || k === 'from') p.set(k, v);
  if (page > 1) p.set('page', String(page));
  return p.toString();
}

/** `booking` fields as "id:version", each booking once. */
function readSelection(value: unknown): { id: number; version: number }[] {
  const seen = new Map<number, number>();
  for (const v of ([] as unknown[]).concat(value ?? []).slice(0, BULK_MAX)) {
    const m = typeof v === 'string' ? /^(\d{1,15}):(\d{1,9})$/.exec(v) : null;
    if (m && !seen.has(Number(m[1]))) seen.set(Number(m[1]), Number(m[2]));
  }
  return [...seen].map(([id, version]) => ({ id, version }));
}

// ---- decisions ----

/** A reason staff write to visitors: at most STAFF_REASON_MAX characters, and required when `required` names it. */
function reasonProblem(reason: string, required: MessageKey | null): FieldMessage | null {
  if ([...reason].length > STAFF_REASON_MAX)
    return { key: 'backoffice.bookings.error.reasonTooLong', params: { max: STAFF_REASON_MAX } };
  return required && !reason ? required : null;
}

/** Approve, or reject with a reason: the decision as the domain takes it, and the form's problems. */
function readDecision(f: { decision: string; reason: string }) {
  const reason = f.reason.trim();
  const errors: Record<string, FieldMessage> = {};
  if (f.decision !== 'approve' && f.decision !== 'reject') errors.decision = 'backoffice.bookings.error.decision';
  const problem = reasonProblem(reason, f.decision === 'reject' ? 'backoffice.bookings.error.reasonRequired' : null);
  if (problem) errors.reason = problem;
  const decision: BookingDecision = f.decision === 'approve' ? { decision: 'approve' } : { decision: 'reject', reason };
  return { decision, errors };
}

type BookingExtra = {
  errors?: Record<string, FieldMessage>;
  values?: Record<string, string>;
  status?: number;
  conflict?: MessageKey;
};
const conflict = (key: MessageKey): BookingExtra => ({ conflict: key, status: 409 });

/** How the booking's page answers a decision or cancellation the domain refused (not found: next()). */
const REFUSED: Record<string, BookingExtra> = {
  already_decided: conflict('backoffice.bookings.decision.conflict'),
  changed: conflict('backoffice.bookings.decision.conflict'),
  past: conflict('backoffice.bookings.decision.past'),
  closed: conflict('backoffice.bookings.decision.closed'),
  not_active: conflict('backoffice.bookings.cancel.notActive'),
};

export function bookingReviewRoutes(d: RouteDeps): Router {
  const r = Router();

  // ---- the review list ----
  type ListExtra = { errors?: Record<string, FieldMessage>; reason?: string; selected?: number[]; status?: number };
  const renderList = async (req: Request, res: Response, query: Record<string, unknown>, extra: ListExtra = {}) => {
    const today = taipeiToday(d.clock());
    const { raw, filter, errors: filterErrors } = readListFilter(query, today);
    const scope = scopeOf(staffOf(req));
    const list = await listStaffBookings(d.pool, staffActor(req), filter, req.locale);
    const next = await nextVisitDay(d.pool, filter.institutionCode ?? scope, today);
    const errors = { ...filterErrors, ...extra.errors };
    const firstPending = list.rows.find((b) => b.status === 'pending');
    res.status(extra.status ?? (Object.keys(filterErrors).length ? 422 : 200)).render('backoffice/bookings', {
      list,
      raw,
      statuses: BOOKING_STATUSES,
      kinds: VISIT_KINDS,
      services: BOOKING_SERVICES,
      institutions: await institutionsFor(d.pool, req),
      notice: takeNotice(req),
      day: dayLabeller(res),
      nextWorkingDay: next,
      reminderUrl: `${BASE}?${listQuery({ ...raw, from: next, to: next, status: 'pending' })}`,
      filters: listQuery(raw, list.page),
      reason: extra.reason ?? '',
      selected: new Set(extra.selected ?? []),
      reasonMax: STAFF_REASON_MAX,
      pageUrl: (page: number) => `${BASE}?${listQuery(raw, page)}`,
      ...errorView(res.locals.t, errors, ['from', 'to', 'booking', 'decision', 'reason'], {
        booking: firstPending ? `select-${firstPending.id}` : 'bookings-table',
        decision: 'bulk-approve',
      }),
    });
  };

  r.get('/bookings', allowTask('review'), (req, res, next) =>
    renderList(req, res, req.query as Record<string, unknown>).catch(next),
  );

  r.post('/bookings/decisions', allowTask('review'), async (req, res, next) => {
    const f = formFields(req, ['decision', 'reason', 'filters']);
    const query = Object.fromEntries(new URLSearchParams(f.filters.slice(0, 500)));
    const picked = readSelection(req.body?.booking);
    const { decision, errors } = readDecision(f);
    if (!picked.length) errors.booking = 'backoffice.bookings.error.noneSelected';
    if (Object.keys(errors).length) {
      const selected = picked.map((p) => p.id);
      return renderList(req, res, query, { errors, reason: f.reason, selected, status: 422 }).catch(next);
    }
    const outcomes = await decideBookings(
      d.pool,
      picked,
      decision,
      staffActor(req),
      d.clock(),
      d.config.videoServiceUrl,
      d.config.publicUrl,
    );
    const { noneFound, decided, closed, skipped } = bulkTally(outcomes);
    // Every id outside the staff member's scope (or unknown): nothing of theirs was asked for.
    if (noneFound) return next();
    const approve = f.decision === 'approve';
    const count = String(decided);
    // Bookings on a date closed since (or for an inmate restricted since) are told apart: they need a rejection or a cancellation.
    req.session.notice = closed
      ? {
          key: 'backoffice.bookings.bulk.approvedClosed',
          params: { count, skipped: String(skipped), closed: String(closed) },
        }
      : {
          key: skipped
            ? approve
              ? 'backoffice.bookings.bulk.approvedSkipped'
              : 'backoffice.bookings.bulk.rejectedSkipped'
            : approve
              ? 'backoffice.bookings.bulk.approved'
              : 'backoffice.bookings.bulk.rejected',
          params: { count, skipped: String(skipped) },
        };
    res.redirect(303, `${BASE}?${listQuery(readListFilter(query, taipeiToday(d.clock())).raw)}`);
  });

  // ---- one booking ----
  const renderBooking = async (req: Request, res: Response, next: NextFunction, extra: BookingExtra = {}) => {
    const id = parseId(req.params.id);
    const b = id === null ? null : await staffBooking(d.pool, staffActor(req), id, req.locale);
    if (!b) return next();
    const today = taipeiToday(d.clock());
    // Only what the page shows leaves here: no full ID numbers, addresses or the video token.
    const { visitors, videoToken, ...booking } = b;
    res.status(extra.status ?? 200).render('backoffice/bookings-show', {
      b: booking,
      videoSent: b.status === 'approved' && videoToken !== null,
      visitors: visitors.map((v) => ({
        position: v.position,
        name: v.name,
        maskedId: maskIdentityNumber(v.nationalId),
        relationship: v.relationship,
      })),
      canDecide: b.status === 'pending' && b.date >= today,
      past: b.status === 'pending' && b.date < today,
      canCancel: b.status === 'pending' || b.status === 'approved',
      values: extra.values ?? {},
      conflict: extra.conflict ?? null,
      notice: takeNotice(req),
      day: dayLabeller(res),
      printedAt: formatDateTime(d.clock()),
      reasonMax: STAFF_REASON_MAX,
      ...errorView(res.locals.t, extra.errors ?? {}, ['decision', 'reason', 'cancelReason'], {
        decision: 'decision-approve',
      }),
    });
  };

  /** After a change: the notice naming the booking's number, then `to`. */
  const done = async (req: Request, res: Response, id: number, key: MessageKey, to: string) => {
    const b = await staffBooking(d.pool, staffActor(req), id, req.locale);
    req.session.notice = { key, params: { number: b?.number ?? '' } };
    res.redirect(303, to);
  };

  r.get('/bookings/:id', allowTask('review'), (req, res, next) => renderBooking(req, res, next).catch(next));

  r.post('/bookings/:id/decision', allowTask('review'), async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null) return next();
    const f = formFields(req, ['decision', 'reason', 'version']);
    const { decision, errors } = readDecision(f);
    if (!/^\d{1,9}$/.test(f.version)) return res.status(400).render('errors/generic', { status: 400 });
    if (Object.keys(errors).length) return renderBooking(req, res, next, { errors, values: f, status: 422 });
    const who = staffActor(req);
    const outcome = await decideBooking(
      d.pool,
      id,
      Number(f.version),
      decision,
      who,
      d.clock(),
      d.config.videoServiceUrl,
      d.config.publicUrl,
    );
    if (outcome === 'not_found') return next();
    if (outcome === 'reason_required') {
      const required = { reason: 'backoffice.bookings.error.reasonRequired' as MessageKey };
      return renderBooking(req, res, next, { errors: required, values: f, status: 422 });
    }
    if (outcome !== 'decided') return renderBooking(req, res, next, REFUSED[outcome]);
    const approved = f.decision === 'approve';
    const key = approved
      ? 'backoffice.bookings.decision.approvedNotice'
      : 'backoffice.bookings.decision.rejectedNotice';
    await done(req, res, id, key, BASE);
  });

  r.post('/bookings/:id/cancel', allowTask('review'), async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null) return next();
    const f = formFields(req, ['cancelReason', 'version']);
    const reason = f.cancelReason.trim();
    if (!/^\d{1,9}$/.test(f.version)) return res.status(400).render('errors/generic', { status: 400 });
    const problem = reasonProblem(reason, 'backoffice.bookings.error.cancelReasonRequired');
    if (problem) return renderBooking(req, res, next, { errors: { cancelReason: problem }, values: f, status: 422 });
    const outcome = await staffCancelBooking(d.pool, id, Number(f.version), reason, staffActor(req), d.clock());
    if (outcome === 'not_found') return next();
    if (outcome === 'reason_required') {
      const required = { cancelReason: 'backoffice.bookings.error.cancelReasonRequired' as MessageKey };
      return renderBooking(req, res, next, { errors: required, values: f, status: 422 });
    }
    if (outcome !== 'cancelled') return renderBooking(req, res, next, REFUSED[outcome]);
    await done(req, res, id, 'backoffice.bookings.cancel.notice', `${BASE}/${id}`);
  });

  return r;
}
