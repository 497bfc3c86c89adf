-- One family visit per person, inmate and day (migration 009) looks for the person's other bookings
-- to the same inmate on the same day. Without an index on the inmate and day, PostgreSQL read every
-- booking of that day in the agency (1,200 rows in the booking benchmark: 0.8 ms a visitor, all
-- institutions' bookings when the week opens) whenever its statistics were behind a rush.
CREATE INDEX visit_booking_inmate_day ON visit_booking (inmate_id, visit_date);
