-- 即時評價 (seed 004, issue 13): one question with five choices after a decision is read, after a visit
-- and at the end of a kiosk session. One row per event: made when the rating is offered (a decision mail
-- with its link, or a page offering it) and answered at most once. Only the hash of a mailed link's token
-- is kept. Nobody is shown to staff: the rows name the application or booking only to keep one answer per event.
CREATE TABLE rating (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event text NOT NULL CHECK (event IN ('decision', 'visit', 'kiosk_session')),
  -- what was rated, for staff's filter: an application's or booking's service, or 'kiosk'
  service text NOT NULL CHECK (service ~ '^[a-z_]{1,40}$'),
  institution_code char(4) NOT NULL REFERENCES institution(code),
  -- Set to null when the application, booking or person is erased: the answer stays as an anonymous count.
  application_id bigint REFERENCES service_application(id) ON DELETE SET NULL,
  booking_id bigint REFERENCES visit_booking(id) ON DELETE SET NULL,
  applicant_id bigint REFERENCES applicant(id) ON DELETE SET NULL,
  token_hash bytea UNIQUE CHECK (token_hash IS NULL OR length(token_hash) = 32),
  offered_at timestamptz NOT NULL,
  -- 5 非常滿意, 4 滿意, 3 普通, 2 不滿意, 1 非常不滿意
  answer smallint CHECK (answer BETWEEN 1 AND 5),
  comment text CHECK (length(comment) <= 500),
  answered_at timestamptz,
  CHECK ((answer IS NULL) = (answered_at IS NULL)),
  CHECK (comment IS NULL OR answer IS NOT NULL),
  CHECK (
    (event = 'decision' AND booking_id IS NULL)
    OR (event = 'visit' AND application_id IS NULL)
    OR (event = 'kiosk_session' AND application_id IS NULL AND booking_id IS NULL AND answer IS NOT NULL)
  )
);
-- One event per decided application and per visitor of a booking.
CREATE UNIQUE INDEX rating_application_key ON rating (application_id) WHERE application_id IS NOT NULL;
CREATE UNIQUE INDEX rating_booking_key ON rating (booking_id, applicant_id) WHERE booking_id IS NOT NULL;
-- Staff's weekly chart reads answers by time within a scope.
CREATE INDEX rating_answered ON rating (institution_code, answered_at) WHERE answered_at IS NOT NULL;
