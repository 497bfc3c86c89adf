-- The staff sign-in captcha: one row per code shown, used up by one try (DELETE … RETURNING), so
-- parallel posts with one solved code cannot each check a password.
CREATE TABLE staff_captcha (
  id uuid PRIMARY KEY,
  answer text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('image', 'text')),
  expires_at timestamptz NOT NULL
);
CREATE INDEX staff_captcha_expires ON staff_captcha (expires_at);

-- The same file sent twice for one form (a double click, parallel sends) is kept once.
CREATE UNIQUE INDEX application_upload_once ON application_upload (applicant_id, submission_key, kind, sha256);
