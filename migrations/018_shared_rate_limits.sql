-- Request limits (registration, mails, inmate lookups, the progress lookup, contact book photos, the
-- staff sign-in page) counted here, so every instance of the portal counts against one limit. The
-- schema is rate-limiter-flexible's RateLimiterPostgres (created with `tableCreated: true`), as for
-- sign_in_failure. Keys are hashes of the limit's name and its address or account, never the address.
-- UNLOGGED: counters need no crash safety (a crash only resets them) and skip the WAL on every request.
CREATE UNLOGGED TABLE rate_limit (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
CREATE INDEX rate_limit_expire ON rate_limit (expire);
