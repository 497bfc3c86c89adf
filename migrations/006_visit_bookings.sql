-- Visit booking (預約接見, issue 5): each institution's weekly timetable of batches (梯次) per visit
-- kind, its blocked dates, and the bookings with their visitors. The rules that must never break are
-- kept here, whatever the code does: capacity per batch and date, nobody (visitor or inmate) in two
-- visits at once, the 2–7 day window in Asia/Taipei, blocked dates, an approved service for every
-- visitor, and the reason (相當理由) for relationships that need one.

-- Exclusion constraints on (id WITH =, range WITH &&) need btree_gist's equality for bigint.
-- (A trusted extension: a database owner may create it without being a superuser.)
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- One row per weekday and start time: the timetable shown on 機關接見時段查詢 and offered to book.
CREATE TABLE visit_batch (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  institution_code char(4) NOT NULL REFERENCES institution(code),
  visit_kind text NOT NULL CHECK (visit_kind IN ('onsite', 'remote', 'mobile')),
  -- ISO weekday: 1 Monday … 7 Sunday
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  starts_at time NOT NULL CHECK (extract(second FROM starts_at) = 0),
  -- NULL for mobile visits: they last the institution's parameter A (mobile_visit_minutes).
  length_minutes integer CHECK (length_minutes BETWEEN 5 AND 240),
  -- Bookings per date, not people: a booking takes one visiting window or video line, whatever
  -- its number of visitors (one to three).
  capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 500),
  -- Bookings point at their batch, so a batch leaves the timetable by being retired, not deleted.
  retired_at timestamptz,
  CHECK ((visit_kind = 'mobile') = (length_minutes IS NULL))
);
CREATE UNIQUE INDEX visit_batch_slot ON visit_batch (institution_code, visit_kind, weekday, starts_at) WHERE retired_at IS NULL;

-- Holidays and closures: no visit of any kind on these dates.
CREATE TABLE visit_blocked_date (
  institution_code char(4) NOT NULL REFERENCES institution(code),
  blocked_on date NOT NULL,
  reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
  created_by bigint REFERENCES staff(id),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (institution_code, blocked_on)
);

CREATE TABLE visit_booking (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The number people quote: V, the Taipei booking date, six characters.
  number text NOT NULL UNIQUE CHECK (number ~ '^V[0-9]{8}-[0-9A-Z]{6}$'),
  -- The wizard's one-time key: a double click or a resent confirmation makes one booking.
  submission_key uuid NOT NULL UNIQUE,
  booker_id bigint NOT NULL REFERENCES applicant(id),
  -- The booker's approved service this booking is made under.
  application_id bigint NOT NULL REFERENCES service_application(id),
  inmate_id bigint NOT NULL REFERENCES inmate(id),
  institution_code char(4) NOT NULL REFERENCES institution(code),
  service text NOT NULL CHECK (service IN ('visit', 'lawyer_visit')),
  visit_kind text NOT NULL CHECK (visit_kind IN ('onsite', 'remote', 'mobile')),
  visit_date date NOT NULL,
  batch_id bigint REFERENCES visit_batch(id),
  -- Lawyers' on-site visits have an arrival time inside RAS–RAE or RFS–RFE instead of a batch.
  arrival_time time CHECK (extract(second FROM arrival_time) = 0),
  -- When the visitors and the inmate are taken, set by the trigger from the batch (or the arrival).
  during tstzrange NOT NULL,
  relationship text NOT NULL,
  reason text CHECK (length(reason) BETWEEN 1 AND 500),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
  -- Entered by staff for a caller (電話預約).
  by_phone boolean NOT NULL DEFAULT false,
  created_by_staff bigint REFERENCES staff(id),
  -- The unguessable part of the video service's URL for remote and mobile visits.
  video_token text UNIQUE CHECK (video_token ~ '^[A-Za-z0-9_-]{43}$'),
  booked_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by bigint REFERENCES staff(id),
  rejection_reason text CHECK (length(rejection_reason) BETWEEN 1 AND 1000),
  cancelled_at timestamptz,
  -- NULL when the booker cancelled.
  cancelled_by_staff bigint REFERENCES staff(id),
  cancel_reason text CHECK (length(cancel_reason) BETWEEN 1 AND 1000),
  -- Bumped by every change; a staff decision names the version it saw.
  version integer NOT NULL DEFAULT 1,
  -- 2 to 7 days ahead, counted in Asia/Taipei from the moment of booking.
  CONSTRAINT visit_booking_window CHECK (visit_date - (booked_at AT TIME ZONE 'Asia/Taipei')::date BETWEEN 2 AND 7),
  CONSTRAINT visit_booking_slot CHECK ((batch_id IS NULL) = (arrival_time IS NOT NULL)
                                       AND (arrival_time IS NOT NULL) = (service = 'lawyer_visit' AND visit_kind = 'onsite')),
  -- A lawyer's approval grants on-site and mobile visits (seed 002).
  CHECK (service = 'visit' OR visit_kind IN ('onsite', 'mobile')),
  -- 相當理由: not asked of the closest relatives (配偶, 直系血親, 三親等內旁系血親, 二親等內姻親),
  -- household members (家屬), lawyers and defenders (seed 003); asked of agency workers, trainee
  -- lawyers, litigation agents and interpreters.
  CONSTRAINT visit_booking_reason_required CHECK (reason IS NOT NULL OR relationship IN (
    'spouse', 'father', 'mother', 'child', 'sibling', 'grandparent', 'grandchild', 'in_law', 'collateral_relative',
    'household_member', 'lawyer', 'defender')),
  CHECK ((visit_kind IN ('remote', 'mobile')) = (video_token IS NOT NULL)),
  CHECK (by_phone = (created_by_staff IS NOT NULL)),
  CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL)),
  CHECK (status <> 'pending' OR decided_at IS NULL),
  CHECK (status NOT IN ('approved', 'rejected') OR decided_at IS NOT NULL),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
  CHECK (cancel_reason IS NULL OR cancelled_by_staff IS NOT NULL),
  -- The booker cancels until the day before; staff at any time.
  CONSTRAINT visit_booking_cancel_deadline CHECK (
    cancelled_at IS NULL OR cancelled_by_staff IS NOT NULL OR (cancelled_at AT TIME ZONE 'Asia/Taipei')::date < visit_date),
  -- An inmate is in one visit at a time: one per batch and date, and no lawyer's visit across it.
  CONSTRAINT visit_booking_inmate_busy EXCLUDE USING gist (inmate_id WITH =, during WITH &&) WHERE (status IN ('pending', 'approved'))
);
CREATE INDEX visit_booking_booker ON visit_booking (booker_id, visit_date DESC);
CREATE INDEX visit_booking_queue ON visit_booking (institution_code, visit_date, status);
CREATE INDEX visit_booking_batch ON visit_booking (batch_id, visit_date) WHERE status IN ('pending', 'approved');

-- Every visitor of a booking, the booker first. A person is in one active visit at a time, whether
-- as booker or as another visitor, across kinds and institutions.
CREATE TABLE visit_booking_visitor (
  booking_id bigint NOT NULL REFERENCES visit_booking(id) ON DELETE CASCADE,
  applicant_id bigint NOT NULL REFERENCES applicant(id),
  -- 1 the booker, 2 and 3 the other visitors (第二、第三接見人).
  position smallint NOT NULL CHECK (position BETWEEN 1 AND 3),
  -- The approved service the visitor comes under, found by the trigger.
  application_id bigint NOT NULL REFERENCES service_application(id),
  -- Copied from the booking by the triggers, never by hand.
  during tstzrange NOT NULL,
  active boolean NOT NULL,
  PRIMARY KEY (booking_id, applicant_id),
  UNIQUE (booking_id, position),
  CONSTRAINT visit_booking_person_busy EXCLUDE USING gist (applicant_id WITH =, during WITH &&) WHERE (active)
);
CREATE INDEX visit_booking_visitor_applicant ON visit_booking_visitor (applicant_id);

-- Places taken per batch and date, kept by the triggers. Its row lock is what serialises bookings of
-- the same batch and date, so the count is exact under any concurrency; capacity is the batch's at
-- the last booking, so lowering it refuses new bookings without touching existing ones.
CREATE TABLE visit_batch_day (
  batch_id bigint NOT NULL REFERENCES visit_batch(id),
  visit_date date NOT NULL,
  booked integer NOT NULL CHECK (booked >= 0),
  capacity integer NOT NULL,
  PRIMARY KEY (batch_id, visit_date),
  CONSTRAINT visit_batch_full CHECK (booked <= capacity)
);

-- Every booking, decision and cancellation, in order.
CREATE TABLE visit_booking_event (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  booking_id bigint NOT NULL REFERENCES visit_booking(id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('booked', 'approved', 'rejected', 'cancelled')),
  staff_id bigint REFERENCES staff(id),
  applicant_id bigint REFERENCES applicant(id),
  reason text,
  at timestamptz NOT NULL
);
CREATE INDEX visit_booking_event_booking ON visit_booking_event (booking_id, at);

-- Closing a date and booking on it take the same lock (exclusive / shared), so a booking is either
-- made before the date is closed (and staff see it to cancel) or sees the closure.
CREATE FUNCTION visit_date_lock_key(institution_code char(4), on_date date) RETURNS integer
  LANGUAGE sql IMMUTABLE AS $$ SELECT institution_code::int * 100000 + (on_date - date '2000-01-01') $$;

CREATE FUNCTION visit_blocked_date_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(2481, visit_date_lock_key(NEW.institution_code, NEW.blocked_on));
  RETURN NEW;
END $$;
CREATE TRIGGER visit_blocked_date_lock BEFORE INSERT OR UPDATE ON visit_blocked_date
  FOR EACH ROW EXECUTE FUNCTION visit_blocked_date_lock();

-- Lawyers' on-site visits have no batch; the law allows them up to an hour, which is what they hold.
CREATE FUNCTION visit_booking_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  inst institution%ROWTYPE;
  app service_application%ROWTYPE;
  b visit_batch%ROWTYPE;
  starts time;
  minutes integer;
BEGIN
  IF NEW.status <> 'pending' THEN
    RAISE EXCEPTION 'a booking starts as pending' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_status';
  END IF;
  PERFORM pg_advisory_xact_lock_shared(2481, visit_date_lock_key(NEW.institution_code, NEW.visit_date));
  IF EXISTS (SELECT 1 FROM visit_blocked_date WHERE institution_code = NEW.institution_code AND blocked_on = NEW.visit_date) THEN
    RAISE EXCEPTION 'no visits on %', NEW.visit_date USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_blocked_date';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM inmate WHERE id = NEW.inmate_id AND institution_code = NEW.institution_code AND restriction IS NULL) THEN
    RAISE EXCEPTION 'inmate cannot be visited' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_inmate';
  END IF;
  SELECT * INTO app FROM service_application WHERE id = NEW.application_id;
  IF NOT FOUND OR app.applicant_id <> NEW.booker_id OR app.inmate_id <> NEW.inmate_id OR app.service <> NEW.service
     OR app.status NOT IN ('approved', 'auto_approved') OR app.relationship <> NEW.relationship
     OR (app.service = 'visit' AND NOT NEW.visit_kind = ANY (app.visit_kinds)) THEN
    RAISE EXCEPTION 'no approved service for this visit' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_service';
  END IF;
  SELECT * INTO inst FROM institution WHERE code = NEW.institution_code;
  IF NEW.batch_id IS NOT NULL THEN
    SELECT * INTO b FROM visit_batch WHERE id = NEW.batch_id;
    IF NOT FOUND OR b.retired_at IS NOT NULL OR b.institution_code <> NEW.institution_code OR b.visit_kind <> NEW.visit_kind
       OR b.weekday <> extract(isodow FROM NEW.visit_date) THEN
      RAISE EXCEPTION 'no such batch on that date' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_batch';
    END IF;
    starts := b.starts_at;
    minutes := coalesce(b.length_minutes, inst.mobile_visit_minutes);
  ELSE
    IF NOT ((NEW.arrival_time >= inst.lawyer_morning_start AND NEW.arrival_time < inst.lawyer_morning_end)
         OR (NEW.arrival_time >= inst.lawyer_afternoon_start AND NEW.arrival_time < inst.lawyer_afternoon_end)) THEN
      RAISE EXCEPTION 'arrival outside the lawyer windows' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_lawyer_window';
    END IF;
    starts := NEW.arrival_time;
    minutes := 60;
  END IF;
  NEW.during := tstzrange((NEW.visit_date + starts) AT TIME ZONE 'Asia/Taipei',
                          (NEW.visit_date + starts + make_interval(mins => minutes)) AT TIME ZONE 'Asia/Taipei');
  RETURN NEW;
END $$;
CREATE TRIGGER visit_booking_rules BEFORE INSERT ON visit_booking
  FOR EACH ROW EXECUTE FUNCTION visit_booking_rules();

-- Takes the place (refused by visit_batch_full when there is none) and makes the booker a visitor.
CREATE FUNCTION visit_booking_taken() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.batch_id IS NOT NULL THEN
    INSERT INTO visit_batch_day AS d (batch_id, visit_date, booked, capacity)
      SELECT NEW.batch_id, NEW.visit_date, 1, capacity FROM visit_batch WHERE id = NEW.batch_id
      ON CONFLICT (batch_id, visit_date) DO UPDATE SET booked = d.booked + 1, capacity = EXCLUDED.capacity;
  END IF;
  INSERT INTO visit_booking_visitor (booking_id, applicant_id, position) VALUES (NEW.id, NEW.booker_id, 1);
  RETURN NULL;
END $$;
CREATE TRIGGER visit_booking_taken AFTER INSERT ON visit_booking
  FOR EACH ROW EXECUTE FUNCTION visit_booking_taken();

-- What was booked never changes (a new date is a new booking), and a rejected or cancelled booking
-- stays so: its place may already be someone else's.
CREATE FUNCTION visit_booking_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.number, NEW.submission_key, NEW.booker_id, NEW.application_id, NEW.inmate_id, NEW.institution_code, NEW.service,
      NEW.visit_kind, NEW.visit_date, NEW.batch_id, NEW.arrival_time, NEW.during, NEW.relationship, NEW.reason, NEW.by_phone,
      NEW.created_by_staff, NEW.video_token, NEW.booked_at)
     IS DISTINCT FROM
     (OLD.number, OLD.submission_key, OLD.booker_id, OLD.application_id, OLD.inmate_id, OLD.institution_code, OLD.service,
      OLD.visit_kind, OLD.visit_date, OLD.batch_id, OLD.arrival_time, OLD.during, OLD.relationship, OLD.reason, OLD.by_phone,
      OLD.created_by_staff, OLD.video_token, OLD.booked_at) THEN
    RAISE EXCEPTION 'a booking cannot be changed, only decided or cancelled' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_fixed';
  END IF;
  IF NEW.status <> OLD.status AND NOT (
       (OLD.status = 'pending' AND NEW.status IN ('approved', 'rejected', 'cancelled'))
    OR (OLD.status = 'approved' AND NEW.status = 'cancelled')) THEN
    RAISE EXCEPTION 'a booking cannot go from % to %', OLD.status, NEW.status USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_status';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER visit_booking_changes BEFORE UPDATE ON visit_booking
  FOR EACH ROW EXECUTE FUNCTION visit_booking_changes();

-- A rejected or cancelled booking gives its place back and frees its visitors.
CREATE FUNCTION visit_booking_released() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IN ('pending', 'approved') AND NEW.status IN ('rejected', 'cancelled') THEN
    IF NEW.batch_id IS NOT NULL THEN
      UPDATE visit_batch_day SET booked = booked - 1 WHERE batch_id = NEW.batch_id AND visit_date = NEW.visit_date;
    END IF;
    UPDATE visit_booking_visitor SET active = false WHERE booking_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER visit_booking_released AFTER UPDATE OF status ON visit_booking
  FOR EACH ROW EXECUTE FUNCTION visit_booking_released();

-- A visitor's time and activity always mirror the booking; every visitor holds an approved service of
-- the booking's kind for the same inmate (a lawyer's visitors an approved lawyer service).
CREATE FUNCTION visit_booking_visitor_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  b visit_booking%ROWTYPE;
  found_application bigint;
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.booking_id, NEW.applicant_id, NEW.position, NEW.application_id)
                          IS DISTINCT FROM (OLD.booking_id, OLD.applicant_id, OLD.position, OLD.application_id) THEN
    RAISE EXCEPTION 'a visitor cannot be changed' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_fixed';
  END IF;
  SELECT * INTO b FROM visit_booking WHERE id = NEW.booking_id;
  NEW.during := b.during;
  NEW.active := b.status IN ('pending', 'approved');
  IF TG_OP = 'INSERT' THEN
    IF b.status <> 'pending' THEN
      RAISE EXCEPTION 'visitors are added while the booking is pending' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_status';
    END IF;
    IF (NEW.position = 1) <> (NEW.applicant_id = b.booker_id) THEN
      RAISE EXCEPTION 'the booker is the first visitor' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_booker';
    END IF;
    IF NEW.position = 1 THEN
      found_application := b.application_id;
    ELSE
      SELECT a.id INTO found_application FROM service_application a
       WHERE a.applicant_id = NEW.applicant_id AND a.inmate_id = b.inmate_id AND a.service = b.service
         AND a.status IN ('approved', 'auto_approved') AND (a.service = 'lawyer_visit' OR b.visit_kind = ANY (a.visit_kinds))
       ORDER BY a.id DESC LIMIT 1;
      IF found_application IS NULL THEN
        RAISE EXCEPTION 'visitor % holds no approved service for this visit', NEW.applicant_id
          USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_companion_not_eligible';
      END IF;
    END IF;
    NEW.application_id := found_application;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER visit_booking_visitor_rules BEFORE INSERT OR UPDATE ON visit_booking_visitor
  FOR EACH ROW EXECUTE FUNCTION visit_booking_visitor_rules();
