import { Router, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, type FieldMessage } from './forms.ts';
import { dayLabeller } from './day-label.ts';
import { queryText } from './filters.ts';
import { BACKOFFICE } from './middleware/area.ts';
import { allowTask, staffActor } from './middleware/staff-context.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import { isUuid, parseId } from '../domain/shared/ids.ts';
import { maskIdentityNumber } from '../domain/shared/masking.ts';
import { identityKind, normalizeIdentityNumber } from '../domain/national-id.ts';
import { bookByPhone, phoneBookingSheet } from '../domain/bookings/phone-booking.ts';
import { findApplicantByIdentity } from '../domain/bookings/rosters.ts';
import { REASON_MAX, type BookingErrorCode } from '../domain/bookings/vocabulary.ts';
import type { MessageKey } from '../domain/i18n/i18n.ts';

// Inside the back office (after requireStaff), 電話預約 (issue 5; seed 002):
// GET  /bookings/phone                    step 1: find the applicant by name + national ID
// POST /bookings/phone
// GET  /bookings/phone/:applicantId       steps 2 and 3: inmate and kind (?choice=), then the time, others, reason
// POST /bookings/phone/:applicantId       books it (marked by_phone), then goes to the booking's page

declare module 'express-session' {
  interface SessionData {
    /**
     * 電話預約: the applicants this staff member identified by name and national ID. Step 2 opens only
     * these, so an applicant id typed into the URL does not skip the identity check.
     */
    phoneApplicants?: { id: number; name: string; maskedId: string }[];
  }
}

const BASE = `${BACKOFFICE}/bookings`;
/** Phone bookings remembered per staff session (a few callers in separate tabs). */
const PHONE_APPLICANTS_KEPT = 10;

/** Every refusal of bookVisit, worded for staff (typed: a new code without a message fails the build). */
const BOOKING_ERROR: Record<BookingErrorCode, MessageKey> = {
  notEligible: 'backoffice.bookings.bookingError.notEligible',
  inmateRestricted: 'backoffice.bookings.bookingError.inmateRestricted',
  outsideScope: 'backoffice.bookings.bookingError.outsideScope',
  outsideWindow: 'backoffice.bookings.bookingError.outsideWindow',
  blockedDate: 'backoffice.bookings.bookingError.blockedDate',
  closedDay: 'backoffice.bookings.bookingError.closedDay',
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

export function phoneBookingRoutes(d: RouteDeps): Router {
  const r = Router();

  // ---- step 1: who is calling ----
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

  r.get('/bookings/phone', allowTask('phone_bookings'), (req, res) => renderFind(req, res));

  r.post('/bookings/phone', allowTask('phone_bookings'), async (req, res) => {
    const f = formFields(req, ['name', 'nationalId']);
    const name = f.name.normalize('NFC').trim();
    const id = normalizeIdentityNumber(f.nationalId);
    const errors: Record<string, FieldMessage> = {};
    if (!name) errors.name = 'backoffice.bookings.error.nameRequired';
    if (!id) errors.nationalId = 'error.nationalId.required';
    else if (!identityKind(id)) errors.nationalId = 'error.nationalId.checksum';
    const found = Object.keys(errors).length
      ? null
      : await findApplicantByIdentity(d.pool, name, id, staffActor(req), d.clock());
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

  // ---- steps 2 and 3: the booking ----
  const phoneApplicant = (req: Request) => {
    const id = parseId(req.params.applicantId);
    return (req.session.phoneApplicants ?? []).find((a) => a.id === id) ?? null;
  };

  type PhoneExtra = { errors?: Record<string, FieldMessage>; values?: PhoneValues; status?: number };
  const renderPhoneBook = async (req: Request, res: Response, extra: PhoneExtra = {}) => {
    const applicant = phoneApplicant(req);
    if (!applicant) return res.redirect(303, `${BASE}/phone`);
    const v = extra.values ?? {};
    const sheet = await phoneBookingSheet(
      d.pool,
      staffActor(req),
      { applicantId: applicant.id, wanted: v.choice ?? queryText(req.query.choice, 60) },
      req.locale,
      d.clock(),
    );
    const { choices, grid, companions } = sheet;
    const firstCell = grid?.rows
      .flatMap((row) => row.cells.map((c, i) => (c ? `slot-${grid.dates[i]!.date}-${c.batchId}` : null)))
      .find(Boolean);
    res.status(extra.status ?? 200).render('backoffice/bookings-phone-book', {
      applicant,
      ...sheet,
      day: dayLabeller(res),
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

  r.get('/bookings/phone/:applicantId', allowTask('phone_bookings'), (req, res, next) =>
    renderPhoneBook(req, res).catch(next),
  );

  r.post('/bookings/phone/:applicantId', allowTask('phone_bookings'), async (req, res, next) => {
    const applicant = phoneApplicant(req);
    if (!applicant) return res.redirect(303, `${BASE}/phone`);
    const f = formFields(req, ['choice', 'slot', 'date', 'arrival', 'reason', 'submissionKey']);
    const companionIds = ([] as unknown[])
      .concat(req.body?.companion ?? [])
      .slice(0, 10)
      .map(parseId)
      .filter((id) => id !== null);
    if (!isUuid(f.submissionKey)) return res.status(400).render('errors/generic', { status: 400 });
    const values: PhoneValues = { ...f, companions: companionIds };
    const outcome = await bookByPhone(d.pool, applicant.id, { ...f, companionIds }, staffActor(req), d.clock());
    if (outcome.kind === 'booked') {
      setNotice(req, 'backoffice.bookings.phone.booked', { number: outcome.number });
      return res.redirect(303, `${BASE}/${outcome.bookingId}`);
    }
    const shown: Record<string, FieldMessage> = {};
    for (const [field, code] of Object.entries(outcome.errors)) {
      shown[field] =
        outcome.kind === 'incomplete'
          ? (`backoffice.bookings.error.${code}` as MessageKey)
          : { key: BOOKING_ERROR[code as BookingErrorCode], params: { max: REASON_MAX } };
    }
    // A key another booking already used cannot book again: the form gets a new one.
    if (outcome.kind === 'refused' && outcome.errors.form === 'formUsed') values.submissionKey = randomUUID();
    await renderPhoneBook(req, res, { errors: shown, values, status: 422 }).catch(next);
  });

  return r;
}
