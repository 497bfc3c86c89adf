-- 稽核紀錄 is a record, not a working table: nobody edits or deletes an entry, whatever their access.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log cannot be changed: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'entries are only ever added';
END $$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- The audit log page: newest first, within an institution, for one staff member or one action.
CREATE INDEX audit_log_newest ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_institution ON audit_log (institution_code, at DESC, id DESC);
CREATE INDEX audit_log_staff ON audit_log (staff_id, at DESC, id DESC);
CREATE INDEX audit_log_action ON audit_log (action, at DESC, id DESC);

-- The back-office home's statistics read a few weeks of rows by date, per institution or for all:
-- index-only scans over those weeks, never the whole table.
CREATE INDEX service_application_submitted ON service_application (institution_code, submitted_at)
  INCLUDE (service, status);
CREATE INDEX service_application_submitted_all ON service_application (submitted_at) INCLUDE (service, status);
CREATE INDEX service_application_decided ON service_application (institution_code, decided_at)
  INCLUDE (submitted_at, status) WHERE decided_at IS NOT NULL;
CREATE INDEX service_application_decided_all ON service_application (decided_at)
  INCLUDE (submitted_at, status) WHERE decided_at IS NOT NULL;
CREATE INDEX service_application_pending ON service_application (institution_code) WHERE status = 'pending';
CREATE INDEX contact_book_post_submitted ON contact_book_post (institution_code, submitted_at) INCLUDE (status);
CREATE INDEX contact_book_post_submitted_all ON contact_book_post (submitted_at) INCLUDE (status);
CREATE INDEX contact_book_post_pending ON contact_book_post (institution_code) WHERE status = 'pending';
CREATE INDEX visit_booking_day_all ON visit_booking (visit_date) INCLUDE (status, batch_id, institution_code);
