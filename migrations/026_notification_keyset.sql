-- Issue 14: the notification log pages by keyset on (created_at, id), newest first (domain/notifications.ts).
-- For one institution, 019's notification_institution_created serves it. For the agency's log of every
-- institution the old index on created_at alone left an incremental sort on id after it, and the
-- (created_at, id) < cursor condition could bound the scan only by created_at (EXPLAIN ANALYZE on
-- 1,000,000 rows: "Incremental Sort, Presorted Key: n.created_at", the row comparison a filter). This one
-- gives the order directly and takes the cursor as its index condition; it also serves everything the
-- old one did (the retention's created_at < cutoff), so the old one goes.
CREATE INDEX notification_created_id ON notification (created_at DESC, id DESC);
DROP INDEX notification_created_at;
