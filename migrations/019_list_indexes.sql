-- Issue 14: staff lists at volume. As the issue measured them with 100,000 applications and 1,000,000 notification rows,
-- these took the notification log's page from 449 to 23 ms, the wizard's companion step (every
-- application of one inmate) from 34 to 0.08 ms, and the all-status queue from 168 to 74 ms.

-- 通知紀錄 of one institution, newest first (its keyset order).
CREATE INDEX notification_institution_created ON notification (institution_code, created_at DESC, id DESC);

-- Every application for one inmate (companions, auto-approval, removals from the register).
CREATE INDEX service_application_inmate ON service_application (inmate_id);
CREATE INDEX contact_book_post_inmate ON contact_book_post (inmate_id);

-- The review queues' order: pending first, oldest first, for one institution and for the agency.
CREATE INDEX service_application_review_order
  ON service_application (institution_code, (status = 'pending') DESC, submitted_at, id);
CREATE INDEX service_application_review_order_all
  ON service_application ((status = 'pending') DESC, submitted_at, id);
CREATE INDEX contact_book_post_review_order
  ON contact_book_post (institution_code, (status = 'pending') DESC, submitted_at, id);
CREATE INDEX contact_book_post_review_order_all
  ON contact_book_post ((status = 'pending') DESC, submitted_at, id);
