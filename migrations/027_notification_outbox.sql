-- Issue 14: a booking's mails get their delivery jobs in batches instead of one graphile-worker add_job
-- per mail inside the booking's statement. Measured in npm run bench:bookings: add_job cost PostgreSQL
-- 0.7–1.0 ms a call inside a booking (about a third of the booking's database time in a rush), while
-- add_jobs with many jobs at once costs 0.01 ms a job. A mail written with its booking waits here, with
-- the secrets its delivery job carries (a video link: never stored in notification), until the
-- dispatcher (domain/shared/outbox.ts) moves it into its job. Deleting the row and adding the job are
-- one statement, so every mail gets exactly one job, with any number of instances dispatching.
CREATE TABLE notification_outbox (
  notification_id bigint PRIMARY KEY REFERENCES notification(id) ON DELETE CASCADE,
  secrets json NOT NULL
);
