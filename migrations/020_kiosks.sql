-- 服務機 (issue 13): waiting-room terminals turned into kiosks of one institution. An administrator makes
-- a one-time enrolment link (its token's SHA-256 only, expiring); opening it on the terminal sets a
-- long-lived kiosk cookie whose token's SHA-256 is kept here. Revoking makes the cookie do nothing.
CREATE TABLE kiosk (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  institution_code char(4) NOT NULL REFERENCES institution(code),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  -- the enrolment link: cleared once used
  enrol_token_hash bytea UNIQUE,
  enrol_expires_at timestamptz NOT NULL,
  -- the terminal's cookie: set once enrolled
  token_hash bytea UNIQUE,
  created_by bigint REFERENCES staff(id),
  created_at timestamptz NOT NULL,
  enrolled_at timestamptz,
  last_used_at timestamptz,
  revoked_by bigint REFERENCES staff(id),
  revoked_at timestamptz,
  CHECK ((token_hash IS NULL) = (enrolled_at IS NULL)),
  CHECK (enrol_token_hash IS NULL OR token_hash IS NULL)
);
CREATE INDEX kiosk_institution ON kiosk (institution_code, created_at DESC);
