-- One family visit per person, inmate and day counts every visitor, not only the booker: someone
-- named as another visitor cannot also book (or be named in) a second family visit to the same inmate
-- that day. Visitor rows carry neither inmate nor date, so a trigger checks it under a lock per person,
-- inmate and day, which makes two such bookings at the same moment end as one.
CREATE FUNCTION visit_person_one_per_day() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  b visit_booking%ROWTYPE;
BEGIN
  SELECT * INTO b FROM visit_booking WHERE id = NEW.booking_id;
  IF b.service <> 'visit' THEN
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(2482, hashtext(NEW.applicant_id::text || ':' || b.inmate_id::text || ':' || b.visit_date::text));
  IF EXISTS (SELECT 1 FROM visit_booking_visitor v JOIN visit_booking o ON o.id = v.booking_id
              WHERE v.applicant_id = NEW.applicant_id AND v.active AND o.id <> b.id AND o.inmate_id = b.inmate_id
                AND o.visit_date = b.visit_date AND o.service = 'visit') THEN
    RAISE EXCEPTION 'one family visit per person, inmate and day' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_person_one_per_day';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER visit_person_one_per_day BEFORE INSERT ON visit_booking_visitor
  FOR EACH ROW EXECUTE FUNCTION visit_person_one_per_day();
