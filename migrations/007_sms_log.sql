-- SMS (issue 5): with no SMS gateway configured, a text message is kept in the notification log as
-- 'recorded' (not sent), so staff still see what would have gone out.
ALTER TABLE notification DROP CONSTRAINT notification_status_check;
ALTER TABLE notification ADD CONSTRAINT notification_status_check CHECK (status IN ('queued', 'sent', 'failed', 'recorded'));
