-- Rules found missing in review.

-- One family member cannot hold every visit of an inmate: at most one active family booking per
-- booker, inmate and day (made again after cancelling, or for another day). Lawyers are not limited
-- this way: their visits are a matter of the defence, and their arrival windows bound them.
CREATE UNIQUE INDEX visit_booking_one_per_day ON visit_booking (booker_id, inmate_id, visit_date)
  WHERE service = 'visit' AND status IN ('pending', 'approved');

-- Another visitor may withdraw from a booking (they were named by the booker); the booker cannot be
-- removed: the booker cancels instead.
ALTER TABLE visit_booking_event DROP CONSTRAINT visit_booking_event_action_check;
ALTER TABLE visit_booking_event ADD CONSTRAINT visit_booking_event_action_check
  CHECK (action IN ('booked', 'approved', 'rejected', 'cancelled', 'companion_left'));
CREATE FUNCTION visit_booking_visitor_leaves() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.position = 1 AND EXISTS (SELECT 1 FROM visit_booking WHERE id = OLD.booking_id) THEN
    RAISE EXCEPTION 'the booker cannot leave a booking' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_booker';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER visit_booking_visitor_leaves BEFORE DELETE ON visit_booking_visitor
  FOR EACH ROW EXECUTE FUNCTION visit_booking_visitor_leaves();

-- No contact book post to an inmate who cannot be applied for (a court ban on visits and letters,
-- isolation): the same rule as applications and bookings, now also for posts.
CREATE OR REPLACE FUNCTION contact_book_post_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  interval_days integer;
BEGIN
  IF NEW.status <> 'pending' OR (TG_OP = 'UPDATE' AND OLD.status <> 'rejected') THEN
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(2479, hashtext(NEW.applicant_id::text || ':' || NEW.inmate_id::text));
  IF EXISTS (SELECT 1 FROM inmate WHERE id = NEW.inmate_id AND restriction IS NOT NULL) THEN
    RAISE EXCEPTION 'inmate cannot receive posts' USING ERRCODE = 'check_violation', CONSTRAINT = 'contact_book_inmate_restricted';
  END IF;
  IF EXISTS (SELECT 1 FROM contact_book_suspension s
              WHERE s.applicant_id = NEW.applicant_id AND s.lifted_at IS NULL
                AND NEW.submitted_at >= s.starts_at AND NEW.submitted_at < s.ends_at) THEN
    RAISE EXCEPTION 'contact book posting is suspended' USING ERRCODE = 'check_violation', CONSTRAINT = 'contact_book_suspended';
  END IF;
  SELECT contact_book_interval_days INTO interval_days FROM institution WHERE code = NEW.institution_code;
  IF EXISTS (SELECT 1 FROM contact_book_post p
              WHERE p.applicant_id = NEW.applicant_id AND p.inmate_id = NEW.inmate_id AND p.id <> NEW.id
                AND p.status <> 'rejected'
                AND NEW.posted_on < p.posted_on + interval_days AND p.posted_on < NEW.posted_on + interval_days) THEN
    RAISE EXCEPTION 'one contact book post per % days', interval_days USING ERRCODE = 'check_violation', CONSTRAINT = 'contact_book_interval';
  END IF;
  RETURN NEW;
END $$;
