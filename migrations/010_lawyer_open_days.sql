-- Lawyers' on-site visits have no batch, so nothing kept them to the days the institution opens:
-- a Sunday could be booked and approved (issue 11.10). An institution's open days are the weekdays
-- on which its timetable has any batch (of any kind), less its closed dates; a lawyer's arrival time
-- must fall on one, like a family batch. The same function tells staff which day comes next (the
-- next-day roster and the review reminder).
CREATE FUNCTION visit_open_day(code char(4), on_date date) RETURNS boolean
  LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM visit_batch b
                  WHERE b.institution_code = code AND b.weekday = extract(isodow FROM on_date) AND b.retired_at IS NULL)
     AND NOT EXISTS (SELECT 1 FROM visit_blocked_date x WHERE x.institution_code = code AND x.blocked_on = on_date)
$$;

-- Closed dates keep their own refusal (visit_blocked_date, under the date lock in visit_booking_rules);
-- this one names a weekday without any batch. A family booking's batch already fixes its weekday.
CREATE FUNCTION visit_booking_open_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.batch_id IS NULL AND NOT EXISTS (
       SELECT 1 FROM visit_batch b
        WHERE b.institution_code = NEW.institution_code AND b.weekday = extract(isodow FROM NEW.visit_date) AND b.retired_at IS NULL) THEN
    RAISE EXCEPTION 'the institution takes no visits on %', NEW.visit_date
      USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_open_day';
  END IF;
  RETURN NEW;
END $$;
-- Named to run after visit_booking_rules (triggers of one event fire in name order), so a closed
-- date is still reported as closed.
CREATE TRIGGER visit_booking_rules_open_day BEFORE INSERT ON visit_booking
  FOR EACH ROW EXECUTE FUNCTION visit_booking_open_day();
