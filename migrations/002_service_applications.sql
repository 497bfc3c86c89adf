-- Service applications (服務項目申請): one applicant, one inmate, one service; reviewed by staff.
CREATE TABLE service_application (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The number people quote (public progress lookup, seed 004); not guessable on its own.
  number text NOT NULL UNIQUE CHECK (number ~ '^[0-9]{8}-[0-9A-Z]{6}$'),
  applicant_id bigint NOT NULL REFERENCES applicant(id),
  inmate_id bigint NOT NULL REFERENCES inmate(id),
  institution_code char(4) NOT NULL REFERENCES institution(code),
  service text NOT NULL CHECK (service IN ('contact_book', 'visit', 'lawyer_visit')),
  -- For visits: which kinds were asked for; lawyer approval grants on-site and mobile lawyer visits.
  visit_kinds text[] NOT NULL DEFAULT '{}' CHECK (visit_kinds <@ ARRAY['onsite', 'remote', 'mobile']),
  relationship text NOT NULL CHECK (relationship IN (
    'spouse', 'father', 'mother', 'child', 'sibling', 'grandparent', 'grandchild', 'in_law',
    'collateral_relative', 'household_member', 'agency_worker',
    'lawyer', 'defender', 'trainee_lawyer', 'litigation_agent', 'interpreter')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'auto_approved')),
  -- The form's one-time key: a double click or a resubmitted page creates one application.
  submission_key uuid NOT NULL UNIQUE,
  submitted_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by bigint REFERENCES staff(id),
  rejection_reason text CHECK (length(rejection_reason) <= 1000),
  -- Bumped by every change; a decision names the version it saw, so a second decision cannot overwrite.
  version integer NOT NULL DEFAULT 1,
  CHECK ((service = 'visit') = (cardinality(visit_kinds) > 0)),
  CHECK ((service = 'lawyer_visit') = (relationship IN ('lawyer', 'defender', 'trainee_lawyer', 'litigation_agent', 'interpreter'))),
  CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL)),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX service_application_applicant ON service_application (applicant_id, submitted_at DESC);
CREATE INDEX service_application_queue ON service_application (institution_code, status, submitted_at);
-- One family contact book per inmate (seed 000: 1 household): one pending or approved at a time.
CREATE UNIQUE INDEX one_contact_book_per_inmate ON service_application (inmate_id)
  WHERE service = 'contact_book' AND status IN ('pending', 'approved', 'auto_approved');
-- One open request per applicant, inmate and service; a rejected one is corrected and resubmitted.
CREATE UNIQUE INDEX one_pending_application_per_service ON service_application (applicant_id, inmate_id, service)
  WHERE status = 'pending';

-- Documents: stored in PostgreSQL so an application and its files commit together or not at all,
-- and every instance behind a load balancer sees them (see README).
CREATE TABLE application_document (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES service_application(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('identity', 'relationship', 'mandate', 'photo')),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  uploaded_bytes integer NOT NULL CHECK (uploaded_bytes > 0),
  content bytea NOT NULL,
  sha256 bytea NOT NULL,
  -- Replaced documents stay for the history but are no longer part of the application.
  replaced_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX application_document_application ON application_document (application_id) WHERE replaced_at IS NULL;

-- Every submission and decision, in order: the history shown to staff and kept across resubmissions.
CREATE TABLE application_event (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES service_application(id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('submitted', 'resubmitted', 'approved', 'rejected')),
  staff_id bigint REFERENCES staff(id),
  reason text,
  at timestamptz NOT NULL
);
CREATE INDEX application_event_application ON application_event (application_id, at);

-- Staff actions: who, when, what, on which object, from which address.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id bigint REFERENCES staff(id),
  action text NOT NULL,
  object_type text NOT NULL,
  object_id bigint,
  institution_code char(4) REFERENCES institution(code),
  ip inet,
  details jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_at ON audit_log (at DESC);

-- Files accepted while a form is still being filled (a lookup, or a submit with another mistake), so
-- nothing is uploaded twice; moved into application_document when the application is submitted.
CREATE TABLE application_upload (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  applicant_id bigint NOT NULL REFERENCES applicant(id) ON DELETE CASCADE,
  submission_key uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('identity', 'relationship', 'mandate', 'photo')),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  uploaded_bytes integer NOT NULL CHECK (uploaded_bytes > 0),
  content bytea NOT NULL,
  sha256 bytea NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX application_upload_form ON application_upload (applicant_id, submission_key);
