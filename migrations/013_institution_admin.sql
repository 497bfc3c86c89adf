-- Issue 12: institutions run from the back office (機關資料管理, 系統參數設定(機關)) and 自動審核通過.

-- Visiting notes (接見須知) that families read beside an institution's visit times; the address and
-- phone, now typed by staff, get bounds like the names.
ALTER TABLE institution
  ADD COLUMN visiting_notes_zh text NOT NULL DEFAULT '' CHECK (length(visiting_notes_zh) <= 500),
  ADD COLUMN visiting_notes_en text NOT NULL DEFAULT '' CHECK (length(visiting_notes_en) <= 800),
  -- 自動審核通過, per service: off (empty) until an administrator switches it on.
  ADD COLUMN auto_approve_services text[] NOT NULL DEFAULT '{}'
    CHECK (auto_approve_services <@ ARRAY['contact_book', 'visit', 'lawyer_visit']::text[]),
  ADD CONSTRAINT institution_address_length CHECK (length(address_zh) <= 200 AND length(address_en) <= 300),
  ADD CONSTRAINT institution_phone_length CHECK (length(phone) <= 30),
  ADD CONSTRAINT institution_recording_path_length CHECK (length(recording_path) <= 255);

-- An application approved at submission is 自動審核通過 in its history, by nobody, naming the approved
-- application it rests on.
ALTER TABLE application_event DROP CONSTRAINT application_event_action_check;
ALTER TABLE application_event ADD CONSTRAINT application_event_action_check
  CHECK (action IN ('submitted', 'resubmitted', 'approved', 'rejected', 'auto_approved'));
ALTER TABLE application_event
  ADD COLUMN basis_application_id bigint REFERENCES service_application(id),
  ADD CONSTRAINT application_event_auto_approved
    CHECK ((action = 'auto_approved') = (basis_application_id IS NOT NULL) AND (action <> 'auto_approved' OR staff_id IS NULL));
