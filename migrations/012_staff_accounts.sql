-- Staff accounts run by administrators (issue 12): an e-mail address for password-set links, a language
-- for their mails, and accounts that exist before their owner has chosen a password.
ALTER TABLE staff ADD COLUMN email text CHECK (email IS NULL OR (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254));
CREATE UNIQUE INDEX staff_email_key ON staff (lower(email)) WHERE email IS NOT NULL;
ALTER TABLE staff ADD COLUMN locale text NOT NULL DEFAULT 'zh-TW' CHECK (locale IN ('zh-TW', 'en'));
-- NULL until the owner follows the password-set link: nobody, not even the administrator, types it.
ALTER TABLE staff ALTER COLUMN password_hash DROP NOT NULL;

-- One-time links mailed to staff: setting a password, confirming a new e-mail address. Only the
-- SHA-256 of the token is kept; a new link of a kind replaces the earlier ones.
CREATE TABLE staff_token (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id bigint NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('set_password', 'confirm_email')),
  token_hash bytea NOT NULL UNIQUE,
  new_email text CHECK ((purpose = 'confirm_email') = (new_email IS NOT NULL)),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
  used_at timestamptz
);
CREATE INDEX staff_token_staff ON staff_token (staff_id, purpose);
