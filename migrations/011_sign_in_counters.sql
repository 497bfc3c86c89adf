-- Failed sign-in counters shared by every instance (rate-limiter-flexible's RateLimiterPostgres, with
-- `tableCreated: true`; its own schema). Keys are hashes of the address and account, never the address.
CREATE TABLE sign_in_failure (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
CREATE INDEX sign_in_failure_expire ON sign_in_failure (expire);

-- A one-time sign-in link, mailed when an account is over its failure limit across addresses.
ALTER TABLE applicant_token DROP CONSTRAINT applicant_token_purpose_check;
ALTER TABLE applicant_token ADD CONSTRAINT applicant_token_purpose_check
  CHECK (purpose IN ('verify_email', 'reset_password', 'sign_in'));

-- Unverified accounts expire 24 hours after registration (the purge job and the registration check).
CREATE INDEX applicant_unverified_created ON applicant (created_at) WHERE email_verified_at IS NULL;
