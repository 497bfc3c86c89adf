-- A place held while booking (issue 13): choosing a batch in the wizard's week grid holds one place
-- of that batch and date for 10 minutes. A live hold counts as taken for everyone else, so the rule
-- kept by visit_batch_day becomes: bookings + live holds of others ≤ capacity, under the same row lock.
-- "Live" is measured at the moment of the statement that asks (the hold's held_at, the booking's
-- booked_at), never by the database's clock, so an expired hold simply stops counting.

-- One hold per wizard: its submission key is the booking's, so the booking replaces the hold.
CREATE TABLE visit_hold (
  submission_key uuid PRIMARY KEY,
  applicant_id bigint NOT NULL REFERENCES applicant(id) ON DELETE CASCADE,
  batch_id bigint NOT NULL REFERENCES visit_batch(id),
  visit_date date NOT NULL,
  held_at timestamptz NOT NULL,
  held_until timestamptz NOT NULL,
  CHECK (held_until > held_at)
);
CREATE INDEX visit_hold_batch ON visit_hold (batch_id, visit_date, held_until);
CREATE INDEX visit_hold_until ON visit_hold (held_until);

-- Live holds of a batch and date at a moment, leaving out one wizard's own.
CREATE FUNCTION visit_holds_of_others(batch bigint, on_date date, at timestamptz, own uuid) RETURNS integer
  LANGUAGE sql VOLATILE AS $$
  SELECT count(*)::int FROM visit_hold
   WHERE batch_id = batch AND visit_date = on_date AND held_until > at AND submission_key <> own $$;

-- A hold takes the batch and date's row lock (creating the row when nobody booked yet), then needs a
-- place that is neither booked nor held by someone else: two people choosing the last place get one hold.
CREATE FUNCTION visit_hold_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  b visit_batch%ROWTYPE;
  taken integer;
BEGIN
  SELECT * INTO b FROM visit_batch WHERE id = NEW.batch_id;
  IF NOT FOUND OR b.retired_at IS NOT NULL OR b.weekday <> extract(isodow FROM NEW.visit_date) THEN
    RAISE EXCEPTION 'no such batch on that date' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_booking_batch';
  END IF;
  INSERT INTO visit_batch_day AS d (batch_id, visit_date, booked, capacity) VALUES (NEW.batch_id, NEW.visit_date, 0, b.capacity)
    ON CONFLICT (batch_id, visit_date) DO UPDATE SET booked = d.booked
    RETURNING d.booked INTO taken;
  -- A new statement, so a new snapshot: it sees every hold committed before the lock was granted.
  IF taken + visit_holds_of_others(NEW.batch_id, NEW.visit_date, NEW.held_at, NEW.submission_key) >= b.capacity THEN
    RAISE EXCEPTION 'no place left to hold' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_hold_full';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER visit_hold_rules BEFORE INSERT OR UPDATE OF batch_id, visit_date, held_at, held_until ON visit_hold
  FOR EACH ROW EXECUTE FUNCTION visit_hold_rules();

-- After visit_booking_taken (AFTER triggers fire in name order) took the row lock and counted the
-- booking: the live holds of others must still fit, and the booker's own hold gives way to the booking.
CREATE FUNCTION visit_booking_taken_hold() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d visit_batch_day%ROWTYPE;
BEGIN
  IF NEW.batch_id IS NOT NULL THEN
    SELECT * INTO d FROM visit_batch_day WHERE batch_id = NEW.batch_id AND visit_date = NEW.visit_date;
    IF d.booked + visit_holds_of_others(NEW.batch_id, NEW.visit_date, NEW.booked_at, NEW.submission_key) > d.capacity THEN
      RAISE EXCEPTION 'the places left are held' USING ERRCODE = 'check_violation', CONSTRAINT = 'visit_batch_full';
    END IF;
  END IF;
  DELETE FROM visit_hold WHERE submission_key = NEW.submission_key;
  RETURN NULL;
END $$;
CREATE TRIGGER visit_booking_taken_hold AFTER INSERT ON visit_booking
  FOR EACH ROW EXECUTE FUNCTION visit_booking_taken_hold();
