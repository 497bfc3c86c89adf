import { Router, type Request, type Response, type NextFunction } from 'express';
import { randomUUID } from 'node:crypto';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, type FieldMessage, isRealDate } from './forms.ts';
import { BACKOFFICE } from './middleware/area.ts';
import {
  institutionsFor as institutionsForStaff,
  staffActor,
  staffOf,
  takeStaffNotice,
} from './middleware/staff-context.ts';
import { scopeOf } from '../domain/staff.ts';
import { formatDate, formatDateTime, taipeiToday } from '../domain/shared/dates.ts';
import { identityKind, normalizeIdentityNumber } from '../domain/national-id.ts';
import { maskIdentityNumber } from '../domain/shared/masking.ts';
import { VISIT_KINDS, type VisitKind } from '../domain/applications/vocabulary.ts';
import type { MessageKey, Translate } from '../domain/i18n/i18n.ts';
import {
  BOOKING_STATUSES,
  MAX_COMPANIONS,
  REASON_MAX,
  bookableGrid,
  bookingOptions,
  bookVisit,
  decideBooking,
  decideBookings,
  eligibleCompanions,
  findApplicantByIdentity,
  getBooking,
  isoWeekday,
  lawyerArrivalOptions,
  lawyerBandCounts,
  listStaffBookings,
  maskNationalId,
  roster,
  staffCancelBooking,
  type BookingErrorCode,
  type BookingErrors,
  type BookingField,
  type BookingOption,
  type BookingService,
  type BookingStatus,
  type RosterRow,
  type StaffBookingFilter,
} from '../domain/visit-bookings.ts';

declare module 'express-session' {
  interface SessionData {
    /**
     * 電話預約: the applicants this staff member identified by name and national ID. Step 2 opens only
     * these, so an applicant id typed into the URL does not skip the identity check.
     */
    phoneApplicants?: { id: number; name: string; maskedId: string }[];
  }
}

// Inside the back office (after requireStaff), 預約接見審核 (issue 5; seed 002):
// GET  /bookings                          the review list: institution, visit dates, kind, family/lawyer, status
//                                         (default: pending from today), a checkbox per pending row
// POST /bookings/decisions                approve, or reject with a reason, every selected booking
// GET  /bookings/roster                   預約現場(律師)接見清冊: ?institution=&date=&service=visit|lawyer_visit
//                                         (&format=csv for the same rows as CSV); default date tomorrow
// GET  /bookings/phone                    電話預約, step 1: find the applicant by name + national ID
// POST /bookings/phone
// GET  /bookings/phone/:applicantId       steps 2 and 3: inmate and kind (?choice=), then the time, others, reason
// POST /bookings/phone/:applicantId       books it (marked by_phone), then goes to the booking's page
// GET  /bookings/:id                      one booking: visitors (ID masked), reason, history; prints as a printout
// POST /bookings/:id/decision             approve, or reject with a reason (names the version seen)
// POST /bookings/:id/cancel               staff cancel a pending or approved booking with a reason
const BASE = `${BACKOFFICE}/bookings`;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SERVICES: readonly BookingService[] = ['visit', 'lawyer_visit'];
/** What staff write to visitors (rejection, cancellation); the domain allows more. */
const STAFF_REASON_MAX = 500;
/** At most this many bookings decided by one press. */
const BULK_MAX = 200;
/** Phone bookings remembered per staff session (a few callers in separate tabs). */
const PHONE_APPLICANTS_KEPT = 10;

const str = (v: unknown, max = 40) => (typeof v === 'string' ? v.normalize('NFKC').trim().slice(0, max) : '');

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The next Monday-to-Friday date after `date` (closures per institution are not known here). */
export function nextWorkingDay(date: string): string {
  let next = addDays(date, 1);
  while (isoWeekday(next) > 5) next = addDays(next, 1);
  return next;
}

/** 2026/11/30（一）, or Mon 2026/11/30. */
function dayLabel(t: Translate, date: string): string {
  return t('backoffice.bookings.dateWithWeekday', {
    date: formatDate(date),
    weekday: t(`backoffice.bookings.weekday.${isoWeekday(date)}` as MessageKey),
  });
}

// ---- the list's filters ----

type ListRaw = { institution: string; from: string; to: string; kind: string; service: string; status: string };

/** The list's filters. No `status` or `from` at all (the menu link) means pending from today; empty means any. */
function readListFilter(
  q: Record<string, unknown>,
  today: string,
): { raw: ListRaw; filter: StaffBookingFilter; errors: Record<string, FieldMessage> } {
  const raw: ListRaw = {
    institution: str(q.institution),
    from: q.from === undefined ? today : str(q.from),
    to: str(q.to),
    kind: str(q.kind),
    service: str(q.service),
    status: q.status === undefined ? 'pending' : str(q.status),
  };
  const errors: Record<string, FieldMessage> = {};
  if (raw.from && !isRealDate(raw.from)) errors.from = 'error.filter.date';
  if (raw.to && !isRealDate(raw.to)) errors.to = 'error.filter.date';
  return {
    raw,
    errors,
    filter: {
      institutionCode: /^\d{4}$/.test(raw.institution) ? raw.institution : null,
      from: errors.from ? null : raw.from || null,
      to: errors.to ? null : raw.to || null,
      kind: (VISIT_KINDS as readonly string[]).includes(raw.kind) ? (raw.kind as VisitKind) : null,
      service: (SERVICES as readonly string[]).includes(raw.service) ? (raw.service as BookingService) : null,
      status: (BOOKING_STATUSES as readonly string[]).includes(raw.status) ? (raw.status as BookingStatus) : null,
      page: Math.max(1, Number.parseInt(str(q.page), 10) || 1),
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

// ---- CSV ----

/**
 * One CSV cell: always quoted (commas, quotes and line breaks in names stay inside it), and a text
 * that a spreadsheet would run as a formula (= + - @, or a tab or carriage return first) is prefixed
 * with ' (OWASP's CSV injection advice). A few lines of our own rather than a library: the rules are
 * these two, and they are tested.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** RFC 4180 lines (CRLF) after a UTF-8 byte order mark, so Excel reads the Chinese as UTF-8. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function rosterSlot(t: Translate, r: RosterRow): string {
  if (r.arrivalTime) return t('backoffice.bookings.arrival', { time: r.arrivalTime });
  return r.ordinal
    ? t('backoffice.bookings.roster.batch', { n: r.ordinal, start: r.startsAt, end: r.endsAt })
    : t('backoffice.bookings.batchTime', { start: r.startsAt, end: r.endsAt });
}

function rosterCsv(t: Translate, date: string, rows: RosterRow[]): string {
  const header = [
    t('backoffice.bookings.csv.number'),
    t('backoffice.bookings.csv.date'),
    t('backoffice.bookings.csv.slot'),
    t('backoffice.bookings.csv.callNumber'),
    t('backoffice.bookings.csv.inmate'),
    t('backoffice.bookings.csv.kind'),
    t('backoffice.bookings.csv.channel'),
  ];
  for (let n = 1; n <= MAX_COMPANIONS + 1; n++) {
    header.push(
      t('backoffice.bookings.csv.visitorName', { n }),
      t('backoffice.bookings.csv.visitorId', { n }),
      t('backoffice.bookings.csv.visitorRelationship', { n }),
    );
  }
  const lines = rows.map((r) => {
    const line = [
      r.number,
      formatDate(date),
      rosterSlot(t, r),
      r.callNumber,
      r.inmateName,
      t(`visitKind.${r.kind}` as MessageKey),
      t(r.byPhone ? 'backoffice.bookings.byPhone' : 'backoffice.bookings.online'),
    ];
    for (let n = 1; n <= MAX_COMPANIONS + 1; n++) {
      const v = r.visitors.find((x) => x.position === n);
      line.push(v?.name ?? '', v?.maskedNationalId ?? '', v ? t(`relationship.${v.relationship}` as MessageKey) : '');
    }
    return line;
  });
  return toCsv([header, ...lines]);
}

// ---- phone bookings ----

type Choice = { value: string; option: BookingOption; kind: VisitKind };

const choicesOf = (options: BookingOption[]): Choice[] =>
  options.flatMap((o) => o.kinds.map((kind) => ({ value: `${o.inmateId}:${o.service}:${kind}`, option: o, kind })));

/** Where each of the domain's problems is shown on the phone booking form. */
function phoneField(field: BookingField, code: string, lawyerOnsite: boolean): string {
  switch (field) {
    case 'kind':
    case 'inmate':
      return 'choice';
    case 'slot':
      return !lawyerOnsite ? 'slot' : code === 'outsideWindow' || code === 'blockedDate' ? 'date' : 'arrival';
    case 'companions':
      return 'companions';
    case 'reason':
      return 'reason';
    default:
      return 'form';
  }
}

/** Every refusal of bookVisit, worded for staff (typed: a new code without a message fails the build). */
const BOOKING_ERROR: Record<BookingErrorCode, MessageKey> = {
  notEligible: 'backoffice.bookings.bookingError.notEligible',
  inmateRestricted: 'backoffice.bookings.bookingError.inmateRestricted',
  outsideScope: 'backoffice.bookings.bookingError.outsideScope',
  outsideWindow: 'backoffice.bookings.bookingError.outsideWindow',
  blockedDate: 'backoffice.bookings.bookingError.blockedDate',
  noSuchBatch: 'backoffice.bookings.bookingError.noSuchBatch',
  full: 'backoffice.bookings.bookingError.full',
  arrivalRequired: 'backoffice.bookings.bookingError.arrivalRequired',
  outsideLawyerWindow: 'backoffice.bookings.bookingError.outsideLawyerWindow',
  bookerBusy: 'backoffice.bookings.bookingError.bookerBusy',
  inmateBusy: 'backoffice.bookings.bookingError.inmateBusy',
  sameDay: 'backoffice.bookings.bookingError.sameDay',
  companionSameDay: 'backoffice.bookings.bookingError.companionSameDay',
  tooManyCompanions: 'backoffice.bookings.bookingError.tooManyCompanions',
  companionNotEligible: 'backoffice.bookings.bookingError.companionNotEligible',
  companionBusy: 'backoffice.bookings.bookingError.companionBusy',
  reasonRequired: 'backoffice.bookings.bookingError.reasonRequired',
  reasonTooLong: 'backoffice.bookings.bookingError.reasonTooLong',
  formUsed: 'backoffice.bookings.bookingError.formUsed',
};

type PhoneValues = {
  choice?: string;
  slot?: string;
  date?: string;
  arrival?: string;
  reason?: string;
  companions?: number[];
  submissionKey?: string;
};

export function bookingReviewRoutes(d: RouteDeps): Router {
  const r = Router();
  const reviewer = staffActor;
  const takeNotice = takeStaffNotice;
  const institutionsFor = (req: Request) => institutionsForStaff(d.pool, req);
  const day = (res: Response) => (date: string) => dayLabel(res.locals.t as Translate, date);

  // ---- the review list ----
  type ListExtra = { errors?: Record<string, FieldMessage>; reason?: string; selected?: number[]; status?: number };
  const renderList = async (req: Request, res: Response, query: Record<string, unknown>, extra: ListExtra = {}) => {
    const today = taipeiToday(d.clock());
    const { raw, filter, errors: filterErrors } = readListFilter(query, today);
    const list = await listStaffBookings(d.pool, scopeOf(staffOf(req)), filter, req.locale);
    const next = nextWorkingDay(today);
    const errors = { ...filterErrors, ...extra.errors };
    const firstPending = list.rows.find((b) => b.status === 'pending');
    res.status(extra.status ?? (Object.keys(filterErrors).length ? 422 : 200)).render('backoffice/bookings', {
      list,
      raw,
      statuses: BOOKING_STATUSES,
      kinds: VISIT_KINDS,
      services: SERVICES,
      institutions: await institutionsFor(req),
      notice: takeNotice(req),
      day: day(res),
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

  r.get('/bookings', (req, res, next) => renderList(req, res, req.query as Record<string, unknown>).catch(next));

  r.post('/bookings/decisions', async (req, res, next) => {
    const f = formFields(req, ['decision', 'reason', 'filters']);
    const query = Object.fromEntries(new URLSearchParams(f.filters.slice(0, 500)));
    const picked = readSelection(req.body?.booking);
    const reason = f.reason.trim();
    const errors: Record<string, FieldMessage> = {};
    if (f.decision !== 'approve' && f.decision !== 'reject') errors.decision = 'backoffice.bookings.error.decision';
    if (!picked.length) errors.booking = 'backoffice.bookings.error.noneSelected';
    if (f.decision === 'reject' && !reason) errors.reason = 'backoffice.bookings.error.reasonRequired';
    if ([...reason].length > STAFF_REASON_MAX)
      errors.reason = { key: 'backoffice.bookings.error.reasonTooLong', params: { max: STAFF_REASON_MAX } };
    if (Object.keys(errors).length) {
      return renderList(req, res, query, {
        errors,
        reason: f.reason,
        selected: picked.map((p) => p.id),
        status: 422,
      }).catch(next);
    }
    const outcomes = await decideBookings(
      d.pool,
      picked,
      f.decision === 'approve' ? { decision: 'approve' } : { decision: 'reject', reason },
      reviewer(req),
      d.clock(),
      d.config.videoServiceUrl,
    );
    const all = [...outcomes.values()];
    // Every id outside the staff member's scope (or unknown): nothing of theirs was asked for.
    if (all.every((o) => o === 'not_found')) return next();
    const count = all.filter((o) => o === 'decided').length;
    // Bookings on a date closed since (or for an inmate restricted since) are told apart: they need a rejection or a cancellation.
    const closed = all.filter((o) => o === 'closed').length;
    const skipped = all.length - count - closed;
    const approve = f.decision === 'approve';
    req.session.staffNotice = closed
      ? {
          key: 'backoffice.bookings.bulk.approvedClosed',
          params: { count: String(count), skipped: String(skipped), closed: String(closed) },
        }
      : {
          key: skipped
            ? approve
              ? 'backoffice.bookings.bulk.approvedSkipped'
              : 'backoffice.bookings.bulk.rejectedSkipped'
            : approve
              ? 'backoffice.bookings.bulk.approved'
              : 'backoffice.bookings.bulk.rejected',
          params: { count: String(count), skipped: String(skipped) },
        };
    res.redirect(303, `${BASE}?${listQuery(readListFilter(query, taipeiToday(d.clock())).raw)}`);
  });

  // ---- rosters ----
  r.get('/bookings/roster', async (req, res, next) => {
    const q = req.query as Record<string, unknown>;
    const institutions = await institutionsFor(req);
    const scope = scopeOf(staffOf(req));
    const wanted = str(q.institution);
    const rawDate = str(q.date);
    const date = isRealDate(rawDate) ? rawDate : addDays(taipeiToday(d.clock()), 1);
    const service: BookingService = q.service === 'lawyer_visit' ? 'lawyer_visit' : 'visit';
    let institution = institutions.length === 1 ? institutions[0]! : null;
    if (wanted) {
      // Another institution's roster, or no such institution: not found, as any object outside scope.
      institution = institutions.find((i) => i.code === wanted) ?? null;
      if (!institution) return next();
    }
    const rows = institution
      ? await roster(d.pool, scope, { institutionCode: institution.code, date, service, kinds: ['onsite'] })
      : [];
    if (rows === null) return next();
    const t = res.locals.t as Translate;
    if (q.format === 'csv') {
      if (!institution) return next();
      res.set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="roster-${institution.code}-${date}-${service}.csv"`,
        'Cache-Control': 'no-store',
      });
      return res.send(rosterCsv(t, date, rows));
    }
    const query = new URLSearchParams({ ...(institution ? { institution: institution.code } : {}), date, service });
    res.render('backoffice/bookings-roster', {
      institutions,
      institution,
      date,
      service,
      services: SERVICES,
      rows,
      day: day(res),
      people: rows.reduce((n, b) => n + b.visitors.length, 0),
      dateError: rawDate !== '' && !isRealDate(rawDate),
      csvUrl: `${BASE}/roster?${query.toString()}&format=csv`,
      slot: (row: RosterRow) => rosterSlot(t, row),
    });
  });

  // ---- phone bookings: step 1 ----
  const renderFind = (
    req: Request,
    res: Response,
    opts: { values?: Record<string, string>; errors?: Record<string, FieldMessage>; status?: number } = {},
  ) => {
    res.status(opts.status ?? 200).render('backoffice/bookings-phone', {
      values: opts.values ?? {},
      notice: takeNotice(req),
      ...errorView(res.locals.t, opts.errors ?? {}, ['name', 'nationalId']),
    });
  };

  r.get('/bookings/phone', (req, res) => renderFind(req, res));

  r.post('/bookings/phone', async (req, res) => {
    const f = formFields(req, ['name', 'nationalId']);
    const name = f.name.normalize('NFC').trim();
    const id = normalizeIdentityNumber(f.nationalId);
    const errors: Record<string, FieldMessage> = {};
    if (!name) errors.name = 'backoffice.bookings.error.nameRequired';
    if (!id) errors.nationalId = 'error.nationalId.required';
    else if (!identityKind(id)) errors.nationalId = 'error.nationalId.checksum';
    const found = Object.keys(errors).length
      ? null
      : await findApplicantByIdentity(d.pool, name, id, reviewer(req), d.clock());
    if (!found && !Object.keys(errors).length) errors.name = 'backoffice.bookings.phone.notFound';
    if (!found)
      return renderFind(req, res, { values: { name: f.name, nationalId: f.nationalId }, errors, status: 422 });
    const kept = (req.session.phoneApplicants ?? []).filter((a) => a.id !== Number(found.id));
    req.session.phoneApplicants = [
      ...kept,
      { id: Number(found.id), name: found.name, maskedId: maskIdentityNumber(id) },
    ].slice(-PHONE_APPLICANTS_KEPT);
    res.redirect(303, `${BASE}/phone/${found.id}`);
  });

  // ---- phone bookings: steps 2 and 3 ----
  const phoneApplicant = (req: Request) => {
    const id = /^\d{1,15}$/.test(String(req.params.applicantId)) ? Number(req.params.applicantId) : NaN;
    return (req.session.phoneApplicants ?? []).find((a) => a.id === id) ?? null;
  };

  type PhoneExtra = { errors?: Record<string, FieldMessage>; values?: PhoneValues; status?: number };
  const renderPhoneBook = async (req: Request, res: Response, extra: PhoneExtra = {}) => {
    const applicant = phoneApplicant(req);
    if (!applicant) return res.redirect(303, `${BASE}/phone`);
    const scope = scopeOf(staffOf(req));
    const now = d.clock();
    const options = (await bookingOptions(d.pool, applicant.id, req.locale)).filter(
      (o) => scope === null || o.institutionCode === scope,
    );
    const choices = choicesOf(options);
    const v = extra.values ?? {};
    const wanted = v.choice ?? str(req.query.choice, 60);
    const choice = choices.find((c) => c.value === wanted) ?? (choices.length === 1 ? choices[0]! : null);
    let grid = null,
      lawyer = null,
      companions: Awaited<ReturnType<typeof eligibleCompanions>> = [];
    const bands: { date: string; counts: { from: string; to: string; count: number }[] }[] = [];
    const lawyerOnsite = choice !== null && choice.option.service === 'lawyer_visit' && choice.kind === 'onsite';
    if (choice) {
      const q = { applicantId: applicant.id, inmateId: choice.option.inmateId };
      if (lawyerOnsite) {
        lawyer = await lawyerArrivalOptions(d.pool, q, now);
        for (const x of lawyer?.dates ?? [])
          if (!x.blocked)
            bands.push({ date: x.date, counts: await lawyerBandCounts(d.pool, lawyer!.institutionCode, x.date) });
      } else {
        grid = await bookableGrid(d.pool, { ...q, kind: choice.kind, service: choice.option.service }, now);
      }
      companions = await eligibleCompanions(
        d.pool,
        applicant.id,
        choice.option.inmateId,
        choice.kind,
        choice.option.service,
      );
    }
    const firstCell = grid?.rows
      .flatMap((row) => row.cells.map((c, i) => (c ? `slot-${grid!.dates[i]!.date}-${c.batchId}` : null)))
      .find(Boolean);
    res.status(extra.status ?? 200).render('backoffice/bookings-phone-book', {
      applicant,
      choices,
      choice,
      grid,
      lawyer,
      bands,
      companions,
      lawyerOnsite,
      day: day(res),
      values: { ...v, companions: new Set(v.companions ?? []) },
      submissionKey: v.submissionKey ?? randomUUID(),
      reasonMax: REASON_MAX,
      notice: takeNotice(req),
      action: `${BASE}/phone/${applicant.id}`,
      ...errorView(
        res.locals.t,
        extra.errors ?? {},
        ['form', 'choice', 'slot', 'date', 'arrival', 'companions', 'reason'],
        {
          form: 'phone-title',
          choice: choices[0] ? `choice-${choices[0].value.replace(/:/g, '-')}` : 'choice-title',
          slot: firstCell ?? 'slot-title',
          companions: companions[0] ? `companion-${companions[0].applicantId}` : 'companions-title',
        },
      ),
    });
  };

  r.get('/bookings/phone/:applicantId', (req, res, next) => renderPhoneBook(req, res).catch(next));

  r.post('/bookings/phone/:applicantId', async (req, res, next) => {
    const applicant = phoneApplicant(req);
    if (!applicant) return res.redirect(303, `${BASE}/phone`);
    const f = formFields(req, ['choice', 'slot', 'date', 'arrival', 'reason', 'submissionKey']);
    const companionIds = ([] as unknown[])
      .concat(req.body?.companion ?? [])
      .slice(0, 10)
      .map((x) => (typeof x === 'string' && /^\d{1,15}$/.test(x) ? Number(x) : NaN))
      .filter(Number.isSafeInteger);
    if (!UUID_RE.test(f.submissionKey)) return res.status(400).render('errors/generic', { status: 400 });
    const values: PhoneValues = {
      choice: f.choice,
      slot: f.slot,
      date: f.date,
      arrival: f.arrival,
      reason: f.reason,
      companions: companionIds,
      submissionKey: f.submissionKey,
    };
    const m = /^(\d{1,15}):(visit|lawyer_visit):(onsite|remote|mobile)$/.exec(f.choice);
    const errors: Record<string, FieldMessage> = {};
    if (!m) errors.choice = 'backoffice.bookings.error.choiceRequired';
    const service = (m?.[2] ?? 'visit') as BookingService;
    const kind = (m?.[3] ?? 'onsite') as VisitKind;
    const lawyerOnsite = service === 'lawyer_visit' && kind === 'onsite';
    let date = '',
      batchId: number | null = null,
      arrivalTime: string | null = null;
    if (m && lawyerOnsite) {
      if (!isRealDate(f.date)) errors.date = 'backoffice.bookings.error.dateRequired';
      if (!TIME_RE.test(f.arrival)) errors.arrival = 'backoffice.bookings.error.arrivalRequired';
      date = f.date;
      arrivalTime = f.arrival;
    } else if (m) {
      const slot = /^(\d{4}-\d{2}-\d{2})\|(\d{1,15})$/.exec(f.slot);
      if (!slot) errors.slot = 'backoffice.bookings.error.slotRequired';
      date = slot?.[1] ?? '';
      batchId = slot ? Number(slot[2]) : null;
    }
    if (Object.keys(errors).length) return renderPhoneBook(req, res, { errors, values, status: 422 }).catch(next);
    const outcome = await bookVisit(
      d.pool,
      {
        submissionKey: f.submissionKey,
        bookerId: applicant.id,
        inmateId: Number(m![1]),
        service,
        kind,
        date,
        batchId,
        arrivalTime,
        companionIds,
        reason: f.reason,
        phone: reviewer(req),
      },
      d.clock(),
    );
    if (outcome.kind === 'booked') {
      req.session.staffNotice = { key: 'backoffice.bookings.phone.booked', params: { number: outcome.number } };
      return res.redirect(303, `${BASE}/${outcome.bookingId}`);
    }
    const shown: Record<string, FieldMessage> = {};
    for (const [field, code] of Object.entries(outcome.errors) as [keyof BookingErrors, BookingErrorCode][]) {
      shown[phoneField(field, code, lawyerOnsite)] = { key: BOOKING_ERROR[code], params: { max: REASON_MAX } };
    }
    // A key another booking already used cannot book again: the form gets a new one.
    if (outcome.errors.form === 'formUsed') values.submissionKey = randomUUID();
    await renderPhoneBook(req, res, { errors: shown, values, status: 422 });
  });

  // ---- one booking ----
  type BookingExtra = {
    errors?: Record<string, FieldMessage>;
    values?: Record<string, string>;
    status?: number;
    conflict?: MessageKey;
  };
  const renderBooking = async (req: Request, res: Response, next: NextFunction, extra: BookingExtra = {}) => {
    if (!/^\d{1,15}$/.test(String(req.params.id))) return next();
    const b = await getBooking(d.pool, scopeOf(staffOf(req)), Number(req.params.id), req.locale);
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
        maskedId: maskNationalId(v.nationalId),
        relationship: v.relationship,
      })),
      canDecide: b.status === 'pending' && b.date >= today,
      past: b.status === 'pending' && b.date < today,
      canCancel: b.status === 'pending' || b.status === 'approved',
      values: extra.values ?? {},
      conflict: extra.conflict ?? null,
      notice: takeNotice(req),
      day: day(res),
      printedAt: formatDateTime(d.clock()),
      reasonMax: STAFF_REASON_MAX,
      ...errorView(res.locals.t, extra.errors ?? {}, ['decision', 'reason', 'cancelReason'], {
        decision: 'decision-approve',
      }),
    });
  };

  r.get('/bookings/:id', (req, res, next) => renderBooking(req, res, next).catch(next));

  r.post('/bookings/:id/decision', async (req, res, next) => {
    if (!/^\d{1,15}$/.test(String(req.params.id))) return next();
    const f = formFields(req, ['decision', 'reason', 'version']);
    const reason = f.reason.trim();
    const errors: Record<string, FieldMessage> = {};
    if (f.decision !== 'approve' && f.decision !== 'reject') errors.decision = 'backoffice.bookings.error.decision';
    if (f.decision === 'reject' && !reason) errors.reason = 'backoffice.bookings.error.reasonRequired';
    if ([...reason].length > STAFF_REASON_MAX)
      errors.reason = { key: 'backoffice.bookings.error.reasonTooLong', params: { max: STAFF_REASON_MAX } };
    if (!/^\d{1,9}$/.test(f.version)) return res.status(400).render('errors/generic', { status: 400 });
    if (Object.keys(errors).length) return renderBooking(req, res, next, { errors, values: f, status: 422 });
    const id = Number(req.params.id);
    const outcome = await decideBooking(
      d.pool,
      id,
      Number(f.version),
      f.decision === 'approve' ? { decision: 'approve' } : { decision: 'reject', reason },
      reviewer(req),
      d.clock(),
      d.config.videoServiceUrl,
    );
    if (outcome === 'not_found') return next();
    if (outcome === 'already_decided')
      return renderBooking(req, res, next, { conflict: 'backoffice.bookings.decision.conflict', status: 409 });
    if (outcome === 'past')
      return renderBooking(req, res, next, { conflict: 'backoffice.bookings.decision.past', status: 409 });
    if (outcome === 'closed')
      return renderBooking(req, res, next, { conflict: 'backoffice.bookings.decision.closed', status: 409 });
    if (outcome === 'reason_required')
      return renderBooking(req, res, next, {
        errors: { reason: 'backoffice.bookings.error.reasonRequired' },
        values: f,
        status: 422,
      });
    const b = await getBooking(d.pool, scopeOf(staffOf(req)), id, req.locale);
    req.session.staffNotice = {
      key:
        f.decision === 'approve'
          ? 'backoffice.bookings.decision.approvedNotice'
          : 'backoffice.bookings.decision.rejectedNotice',
      params: { number: b?.number ?? '' },
    };
    res.redirect(303, BASE);
  });

  r.post('/bookings/:id/cancel', async (req, res, next) => {
    if (!/^\d{1,15}$/.test(String(req.params.id))) return next();
    const f = formFields(req, ['cancelReason', 'version']);
    const reason = f.cancelReason.trim();
    if (!/^\d{1,9}$/.test(f.version)) return res.status(400).render('errors/generic', { status: 400 });
    const errors: Record<string, FieldMessage> = {};
    if (!reason) errors.cancelReason = 'backoffice.bookings.error.cancelReasonRequired';
    if ([...reason].length > STAFF_REASON_MAX)
      errors.cancelReason = { key: 'backoffice.bookings.error.reasonTooLong', params: { max: STAFF_REASON_MAX } };
    if (Object.keys(errors).length) return renderBooking(req, res, next, { errors, values: f, status: 422 });
    const id = Number(req.params.id);
    const outcome = await staffCancelBooking(d.pool, id, Number(f.version), reason, reviewer(req), d.clock());
    if (outcome === 'not_found') return next();
    if (outcome === 'changed')
      return renderBooking(req, res, next, { conflict: 'backoffice.bookings.decision.conflict', status: 409 });
    if (outcome === 'not_active')
      return renderBooking(req, res, next, { conflict: 'backoffice.bookings.cancel.notActive', status: 409 });
    if (outcome === 'reason_required')
      return renderBooking(req, res, next, {
        errors: { cancelReason: 'backoffice.bookings.error.cancelReasonRequired' },
        values: f,
        status: 422,
      });
    const b = await getBooking(d.pool, scopeOf(staffOf(req)), id, req.locale);
    req.session.staffNotice = { key: 'backoffice.bookings.cancel.notice', params: { number: b?.number ?? '' } };
    res.redirect(303, `${BASE}/${id}`);
  });

  return r;
}
