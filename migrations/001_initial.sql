-- Institutions and their parameters (seed 002: 系統參數設定(機關)).
CREATE TABLE institution (
  code char(4) PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'),
  name_zh text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 40),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 80),
  address_zh text NOT NULL DEFAULT '',
  address_en text NOT NULL DEFAULT '',
  phone text NOT NULL DEFAULT '',
  -- A: mobile visit minutes
  mobile_visit_minutes integer NOT NULL DEFAULT 20 CHECK (mobile_visit_minutes BETWEEN 5 AND 120),
  -- B: recording path
  recording_path text NOT NULL DEFAULT '',
  -- C: contact book interval in days
  contact_book_interval_days integer NOT NULL DEFAULT 10 CHECK (contact_book_interval_days BETWEEN 1 AND 90),
  -- RAS/RAE, RFS/RFE: lawyer arrival windows
  lawyer_morning_start time NOT NULL DEFAULT '09:00',
  lawyer_morning_end time NOT NULL DEFAULT '11:00',
  lawyer_afternoon_start time NOT NULL DEFAULT '14:00',
  lawyer_afternoon_end time NOT NULL DEFAULT '16:00',
  CHECK (lawyer_morning_start < lawyer_morning_end),
  CHECK (lawyer_afternoon_start < lawyer_afternoon_end),
  CHECK (lawyer_morning_end <= lawyer_afternoon_start)
);

CREATE TABLE inmate (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  institution_code char(4) NOT NULL REFERENCES institution(code),
  call_number text NOT NULL CHECK (call_number ~ '^([0-9]{4}|[0-9]{6})$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  -- Why the inmate cannot be applied for (seed 000), or NULL.
  restriction text CHECK (restriction IN ('visit_ban', 'disciplinary_isolation', 'protective_custody', 'medical_isolation')),
  UNIQUE (institution_code, call_number)
);

CREATE TABLE announcement (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  institution_code char(4) REFERENCES institution(code),
  title_zh text NOT NULL CHECK (length(title_zh) BETWEEN 1 AND 200),
  title_en text NOT NULL CHECK (length(title_en) BETWEEN 1 AND 300),
  body_zh text NOT NULL DEFAULT '',
  body_en text NOT NULL DEFAULT '',
  published_on date NOT NULL
);
CREATE INDEX announcement_published_on ON announcement (published_on DESC, id DESC);

CREATE TABLE applicant (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  national_id text NOT NULL CHECK (national_id ~ '^[A-Z][A-Z0-9][0-9]{8}$'),
  email text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
  birthday date NOT NULL CHECK (birthday >= '1900-01-01'),
  mobile text CHECK (mobile ~ '^09[0-9]{8}$'),
  phone text CHECK (length(phone) <= 30),
  password_hash text NOT NULL,
  locale text NOT NULL DEFAULT 'zh-TW' CHECK (locale IN ('zh-TW', 'en')),
  privacy_consent_at timestamptz NOT NULL,
  email_verified_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- The e-mail is the login name: one account per address whatever its case.
CREATE UNIQUE INDEX applicant_email_key ON applicant (lower(email));
CREATE UNIQUE INDEX applicant_national_id_key ON applicant (national_id);

-- After registration only the mobile, phone, password and language may change (seeds 001, 003).
CREATE FUNCTION applicant_identity_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.name IS DISTINCT FROM OLD.name
     OR NEW.national_id IS DISTINCT FROM OLD.national_id
     OR lower(NEW.email) IS DISTINCT FROM lower(OLD.email)
     OR NEW.birthday IS DISTINCT FROM OLD.birthday
     OR NEW.privacy_consent_at IS DISTINCT FROM OLD.privacy_consent_at
     OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'applicant identity fields cannot change after registration' USING ERRCODE = 'check_violation';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER applicant_identity_is_fixed BEFORE UPDATE ON applicant
  FOR EACH ROW EXECUTE FUNCTION applicant_identity_is_fixed();

-- Verification and password reset links: only a hash of the token is kept.
CREATE TABLE applicant_token (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  applicant_id bigint NOT NULL REFERENCES applicant(id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
  used_at timestamptz
);
CREATE INDEX applicant_token_applicant ON applicant_token (applicant_id, purpose);

CREATE TABLE staff (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account text NOT NULL CHECK (account ~ '^[a-z0-9._-]{3,40}$'),
  name text NOT NULL,
  -- NULL only for agency administrators, who see every institution.
  institution_code char(4) REFERENCES institution(code),
  role text NOT NULL CHECK (role IN ('reviewer', 'institution_admin', 'agency_admin')),
  password_hash text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'agency_admin') = (institution_code IS NULL))
);
CREATE UNIQUE INDEX staff_account_key ON staff (lower(account));

-- Sessions (connect-pg-simple's table).
CREATE TABLE session (
  sid varchar NOT NULL PRIMARY KEY,
  sess json NOT NULL,
  expire timestamp(6) NOT NULL
);
CREATE INDEX session_expire ON session (expire);

-- Every mail (and later SMS) the portal sends: the notification log of seed 002 and the outbox.
-- One-time links are not kept here: the body holds a placeholder and the link travels only in the
-- delivery job, which is deleted once delivered.
CREATE TABLE notification (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  institution_code char(4) REFERENCES institution(code),
  applicant_id bigint REFERENCES applicant(id) ON DELETE SET NULL,
  recipient text NOT NULL,
  subject text NOT NULL,
  body_text text NOT NULL,
  body_html text,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX notification_created_at ON notification (created_at DESC);

-- Development only: what the dev mail transport "sent", shown on /dev/mailbox.
CREATE TABLE dev_mailbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recipient text NOT NULL,
  subject text NOT NULL,
  body_text text NOT NULL,
  body_html text,
  received_at timestamptz NOT NULL DEFAULT now()
);
