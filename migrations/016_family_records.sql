-- 家屬資料查詢修改 (issue 12): staff find families, correct their identity fields, and disable accounts.

-- "A family of an institution": an applicant with at least one application, booking (as booker or
-- other visitor) or post concerning an inmate of that institution. The one place this is defined.
CREATE VIEW applicant_institution AS
  SELECT sa.applicant_id, m.institution_code
    FROM service_application sa JOIN inmate m ON m.id = sa.inmate_id
  UNION
  SELECT v.applicant_id, m.institution_code
    FROM visit_booking_visitor v JOIN visit_booking b ON b.id = v.booking_id JOIN inmate m ON m.id = b.inmate_id
  UNION
  SELECT p.applicant_id, m.institution_code
    FROM contact_book_post p JOIN inmate m ON m.id = p.inmate_id;

-- Name, ID number and birthday may change only through a staff correction: a transaction that has set
-- `portal.identity_correction` to the id of an active staff member (set_config(…, true), local to it).
-- Every other path is refused as before; the e-mail, consent and creation time never change.
CREATE OR REPLACE FUNCTION applicant_identity_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  corrector text := nullif(current_setting('portal.identity_correction', true), '');
BEGIN
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

-- An account disabled by staff, with their reason: it cannot sign in until enabled again.
ALTER TABLE applicant
  ADD COLUMN disabled_at timestamptz,
  ADD COLUMN disabled_reason text CHECK (length(disabled_reason) BETWEEN 1 AND 500),
  ADD COLUMN disabled_by bigint REFERENCES staff(id),
  ADD CONSTRAINT applicant_disabled_with_reason CHECK ((disabled_at IS NULL) = (disabled_reason IS NULL));

-- A family asks for a correction of their name, ID number or birthday (申請更正基本資料); staff of an
-- institution they are a family of (or the agency) accept it, which applies it, or refuse it with a reason.
CREATE TABLE applicant_correction_request (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  applicant_id bigint NOT NULL REFERENCES applicant(id) ON DELETE CASCADE,
  -- The values asked for; NULL where that field is not to change.
  name text CHECK (length(name) BETWEEN 1 AND 50),
  national_id text CHECK (national_id ~ '^[A-Z][A-Z0-9][0-9]{8}$'),
  birthday date CHECK (birthday >= '1900-01-01'),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'refused')),
  submitted_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by bigint REFERENCES staff(id),
  refusal_reason text CHECK (length(refusal_reason) BETWEEN 1 AND 1000),
  CHECK (name IS NOT NULL OR national_id IS NOT NULL OR birthday IS NOT NULL),
  CHECK ((status = 'refused') = (refusal_reason IS NOT NULL)),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
-- One open request at a time per applicant.
CREATE UNIQUE INDEX applicant_correction_request_open ON applicant_correction_request (applicant_id)
  WHERE status = 'pending';
CREATE INDEX applicant_correction_request_queue ON applicant_correction_request (status, submitted_at);
CREATE INDEX applicant_correction_request_applicant ON applicant_correction_request (applicant_id, submitted_at DESC);
