-- The family contact book (家庭聯絡簿, seed 000 §三): posts from an approved family member to an inmate.
CREATE TABLE contact_book_post (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The approved contact book service this post is sent under.
  application_id bigint NOT NULL REFERENCES service_application(id),
  applicant_id bigint NOT NULL REFERENCES applicant(id),
  inmate_id bigint NOT NULL REFERENCES inmate(id),
  institution_code char(4) NOT NULL REFERENCES institution(code),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  -- At most 150 characters as a person counts them (checked in code); this bounds the code units.
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 1200),
  photo bytea,
  photo_width integer,
  photo_height integer,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  -- The Asia/Taipei date it was (last) sent: the interval of parameter C counts from it.
  posted_on date NOT NULL,
  submitted_at timestamptz NOT NULL,
  submission_key uuid NOT NULL UNIQUE,
  decided_at timestamptz,
  decided_by bigint REFERENCES staff(id),
  rejection_reason text CHECK (length(rejection_reason) <= 1000),
  delivered_at timestamptz,
  delivered_by bigint REFERENCES staff(id),
  version integer NOT NULL DEFAULT 1,
  CHECK ((photo IS NULL) = (photo_width IS NULL) AND (photo IS NULL) = (photo_height IS NULL)),
  CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL)),
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK (delivered_at IS NULL OR status = 'approved')
);
CREATE INDEX contact_book_post_sender ON contact_book_post (applicant_id, inmate_id, posted_on DESC) WHERE status <> 'rejected';
CREATE INDEX contact_book_post_queue ON contact_book_post (institution_code, status, submitted_at);

-- Every sending and decision of a post, in order.
CREATE TABLE contact_book_event (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id bigint NOT NULL REFERENCES contact_book_post(id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('submitted', 'resubmitted', 'approved', 'rejected', 'delivered')),
  staff_id bigint REFERENCES staff(id),
  reason text,
  at timestamptz NOT NULL
);
CREATE INDEX contact_book_event_post ON contact_book_event (post_id, at);

-- Seed 000 §三(四): after 3 rejections, posting is suspended for a month; staff can lift it.
CREATE TABLE contact_book_suspension (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  applicant_id bigint NOT NULL REFERENCES applicant(id),
  institution_code char(4) NOT NULL REFERENCES institution(code),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  lifted_at timestamptz,
  lifted_by bigint REFERENCES staff(id)
);
CREATE INDEX contact_book_suspension_applicant ON contact_book_suspension (applicant_id, ends_at DESC);

-- The rules that must hold whatever the code does: one post per C days per applicant and inmate
-- (C read from the institution at the moment of sending, so changing it changes the rule at once;
-- a rejected post does not count), and none while suspended. Posts of one applicant for one inmate
-- are serialised by a transaction lock, so two sent at the same moment cannot both pass.
CREATE FUNCTION contact_book_post_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  interval_days integer;
BEGIN
  IF NEW.status <> 'pending' OR (TG_OP = 'UPDATE' AND OLD.status <> 'rejected') THEN
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(2479, hashtext(NEW.applicant_id::text || ':' || NEW.inmate_id::text));
  IF EXISTS (SELECT 1 FROM contact_book_suspension s
              WHERE s.applicant_id = NEW.applicant_id AND s.lifted_at IS NULL
                AND NEW.submitted_at >= s.starts_at AND NEW.submitted_at < s.ends_at) THEN
    RAISE EXCEPTION 'contact book posting is suspended' USING ERRCODE = 'check_violation', CONSTRAINT = 'contact_book_suspended';
  END IF;
  SELECT contact_book_interval_days INTO interval_days FROM institution WHERE code = NEW.institution_code;
  IF EXISTS (SELECT 1 FROM contact_book_post p
              WHERE p.applicant_id = NEW.applicant_id AND p.inmate_id = NEW.inmate_id AND p.id <> NEW.id
                AND p.status <> 'rejected'
                AND NEW.posted_on < p.posted_on + interval_days AND p.posted_on < NEW.posted_on + interval_days) THEN
    RAISE EXCEPTION 'one contact book post per % days', interval_days USING ERRCODE = 'check_violation', CONSTRAINT = 'contact_book_interval';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER contact_book_post_rules BEFORE INSERT OR UPDATE OF status ON contact_book_post
  FOR EACH ROW EXECUTE FUNCTION contact_book_post_rules();
