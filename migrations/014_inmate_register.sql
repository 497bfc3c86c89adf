-- The inmate register (收容人名冊, issue 12): uploaded as CSV with a preview, or pushed by the prison
-- information system with a per-institution token. An inmate no longer in the register (released or
-- transferred) is kept with the date they left: their history stays, they cannot be looked up, and
-- their pending applications, pending posts and coming bookings are cancelled with a reason.

ALTER TABLE inmate ADD COLUMN removed_on date;
CREATE INDEX inmate_institution_present ON inmate (institution_code) WHERE removed_on IS NULL;

-- Cancelled (取消) by the register, with the reason the applicant reads.
ALTER TABLE service_application DROP CONSTRAINT service_application_status_check;
ALTER TABLE service_application ADD CONSTRAINT service_application_status_check
  CHECK (status IN ('pending', 'approved', 'rejected', 'auto_approved', 'cancelled'));
ALTER TABLE service_application ADD COLUMN cancel_reason text CHECK (length(cancel_reason) BETWEEN 1 AND 1000);
ALTER TABLE service_application ADD CONSTRAINT service_application_cancel_reason
  CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL));
ALTER TABLE application_event DROP CONSTRAINT application_event_action_check;
-- (013 added auto_approved: kept.)
ALTER TABLE application_event ADD CONSTRAINT application_event_action_check
  CHECK (action IN ('submitted', 'resubmitted', 'approved', 'rejected', 'auto_approved', 'cancelled'));

ALTER TABLE contact_book_post DROP CONSTRAINT contact_book_post_status_check;
ALTER TABLE contact_book_post ADD CONSTRAINT contact_book_post_status_check
  CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled'));
ALTER TABLE contact_book_post ADD COLUMN cancel_reason text CHECK (length(cancel_reason) BETWEEN 1 AND 1000);
ALTER TABLE contact_book_post ADD CONSTRAINT contact_book_post_cancel_reason
  CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL));
ALTER TABLE contact_book_event DROP CONSTRAINT contact_book_event_action_check;
ALTER TABLE contact_book_event ADD CONSTRAINT contact_book_event_action_check
  CHECK (action IN ('submitted', 'resubmitted', 'approved', 'rejected', 'delivered', 'cancelled'));

-- A booking cancelled because the inmate left: by the register (pushed, so perhaps by no staff member),
-- with a reason, on any day (a visit today cannot happen either).
ALTER TABLE visit_booking ADD COLUMN cancelled_by_register boolean NOT NULL DEFAULT false;
DO $$
DECLARE c text;
BEGIN
  SELECT conname INTO c FROM pg_constraint
   WHERE conrelid = 'visit_booking'::regclass AND contype = 'c'
     AND pg_get_constraintdef(oid) LIKE '%cancel_reason IS NULL%cancelled_by_staff IS NOT NULL%';
  EXECUTE format('ALTER TABLE visit_booking DROP CONSTRAINT %I', c);
END $$;
ALTER TABLE visit_booking ADD CONSTRAINT visit_booking_cancel_reason
  CHECK (cancel_reason IS NULL OR cancelled_by_staff IS NOT NULL OR cancelled_by_register);
ALTER TABLE visit_booking DROP CONSTRAINT visit_booking_cancel_deadline;
ALTER TABLE visit_booking ADD CONSTRAINT visit_booking_cancel_deadline CHECK (
  cancelled_at IS NULL OR cancelled_by_staff IS NOT NULL OR cancelled_by_register
  OR (cancelled_at AT TIME ZONE 'Asia/Taipei')::date < visit_date);

-- Nothing new for an inmate who has left, whatever the code does: no application (or resubmission),
-- no post, no booking. The constraint names are those the pages already explain.
CREATE FUNCTION inmate_has_left(inmate_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM inmate m WHERE m.id = $1 AND m.removed_on IS NOT NULL) $$;

CREATE FUNCTION refuse_inmate_who_left() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'pending' AND (TG_OP = 'INSERT' OR OLD.status <> 'pending') AND inmate_has_left(NEW.inmate_id) THEN
    RAISE EXCEPTION 'the inmate has left the institution' USING ERRCODE = 'check_violation', CONSTRAINT = TG_ARGV[0];
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER service_application_inmate_present BEFORE INSERT OR UPDATE OF status ON service_application
  FOR EACH ROW EXECUTE FUNCTION refuse_inmate_who_left('service_application_inmate_left');
CREATE TRIGGER contact_book_post_inmate_present BEFORE INSERT OR UPDATE OF status ON contact_book_post
  FOR EACH ROW EXECUTE FUNCTION refuse_inmate_who_left('contact_book_inmate_restricted');
CREATE TRIGGER visit_booking_inmate_present BEFORE INSERT ON visit_booking
  FOR EACH ROW EXECUTE FUNCTION refuse_inmate_who_left('visit_booking_inmate');

-- A checked upload waiting for its preview to be applied: the parsed rows are kept here, keyed by an
-- unguessable id, so what is applied is exactly the file previewed (never the form's hidden fields).
CREATE TABLE inmate_register_upload (
  id uuid PRIMARY KEY,
  institution_code char(4) NOT NULL REFERENCES institution(code),
  staff_id bigint NOT NULL REFERENCES staff(id),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  sha256 bytea NOT NULL,
  encoding text NOT NULL CHECK (encoding IN ('utf-8', 'big5')),
  rows jsonb NOT NULL,
  row_count integer NOT NULL CHECK (row_count > 0),
  created_at timestamptz NOT NULL,
  applied_at timestamptz,
  applied_by bigint REFERENCES staff(id)
);
CREATE INDEX inmate_register_upload_age ON inmate_register_upload (created_at);

-- The prison information system's token for pushing the register: only its SHA-256 is kept, and an
-- institution has at most one in force.
CREATE TABLE inmate_register_token (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  institution_code char(4) NOT NULL REFERENCES institution(code),
  token_hash bytea NOT NULL UNIQUE,
  created_by bigint NOT NULL REFERENCES staff(id),
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by bigint REFERENCES staff(id)
);
CREATE UNIQUE INDEX inmate_register_token_in_force ON inmate_register_token (institution_code) WHERE revoked_at IS NULL;
