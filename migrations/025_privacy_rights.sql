-- 我的資料與隱私 (issue 13): the privacy notice's rights as actions.

-- 停止利用: the family asked for no mail beyond what their own requests need (such as rating requests).
-- erased_at: the personal data of a closed account were erased after staff confirmed nothing must be kept.
ALTER TABLE applicant
  ADD COLUMN optional_mail_stopped_at timestamptz,
  ADD COLUMN erased_at timestamptz;

-- 刪除: a family closes their account and asks for their data to be erased. The account is disabled at
-- once; staff confirm nothing must be kept by law (then the data are erased) or keep it for now with a
-- reason (the request stays open for a later erasure).
CREATE TABLE applicant_deletion_request (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  applicant_id bigint NOT NULL REFERENCES applicant(id),
  requested_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'kept', 'erased')),
  decided_at timestamptz,
  decided_by bigint REFERENCES staff(id),
  -- Staff confirmed that no law requires keeping the data (erased) or why they are kept for now.
  nothing_to_keep boolean NOT NULL DEFAULT false,
  note text CHECK (length(note) BETWEEN 1 AND 1000),
  -- The mail that told the family the outcome; its address is blanked once it is delivered.
  outcome_notification_id bigint REFERENCES notification(id),
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK (status <> 'kept' OR note IS NOT NULL),
  CHECK (status <> 'erased' OR nothing_to_keep)
);
CREATE UNIQUE INDEX applicant_deletion_request_open ON applicant_deletion_request (applicant_id)
  WHERE status IN ('pending', 'kept');
CREATE INDEX applicant_deletion_request_queue ON applicant_deletion_request (status, requested_at);

-- 下載我的資料: each download, for the family's own record and for abuse checks.
CREATE TABLE applicant_data_export (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  applicant_id bigint NOT NULL REFERENCES applicant(id),
  at timestamptz NOT NULL,
  ip inet
);
CREATE INDEX applicant_data_export_applicant ON applicant_data_export (applicant_id, at DESC);

-- Retention and erasure: a post's photo deleted (its row stays for the counts) says when.
ALTER TABLE contact_book_post ADD COLUMN photo_erased_at timestamptz;

-- As migration 016, plus the erasure: a transaction that has set `portal.applicant_erasure` to an
-- active staff member's id may replace every identity field (e-mail included) of an account whose
-- deletion request that staff member is carrying out.
CREATE OR REPLACE FUNCTION applicant_identity_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  corrector text := nullif(current_setting('portal.identity_correction', true), '');
  eraser text := nullif(current_setting('portal.applicant_erasure', true), '');
BEGIN
  IF eraser IS NOT NULL AND eraser ~ '^[0-9]{1,18}$'
     AND EXISTS (SELECT 1 FROM staff WHERE id = eraser::bigint AND active)
     AND EXISTS (SELECT 1 FROM applicant_deletion_request r WHERE r.applicant_id = OLD.id AND r.status IN ('pending', 'kept'))
     AND NEW.created_at IS NOT DISTINCT FROM OLD.created_at THEN
    NEW.updated_at := now();
    RETURN NEW;
  END IF;
  IF lower(NEW.email) IS DISTINCT FROM lower(OLD.email)
     OR NEW.privacy_consent_at IS DISTINCT FROM OLD.privacy_consent_at
     OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR ((NEW.name IS DISTINCT FROM OLD.name
          OR NEW.national_id IS DISTINCT FROM OLD.national_id
          OR NEW.birthday IS DISTINCT FROM OLD.birthday)
         AND (corrector IS NULL OR corrector !~ '^[0-9]{1,18}$'
              OR NOT EXISTS (SELECT 1 FROM staff WHERE id = corrector::bigint AND active))) THEN
    RAISE EXCEPTION 'applicant identity fields cannot change after registration' USING ERRCODE = 'check_violation';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END $$;
