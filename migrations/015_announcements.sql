-- 公告 written by administrators (issue 12): a publishing window (from, and an optional until, both
-- inclusive Taipei dates), a pinned flag, and a status, of which only 'published' is ever public.
-- Existing rows were all public from their date on: they become published announcements from that date.
ALTER TABLE announcement RENAME COLUMN published_on TO publish_from;
ALTER INDEX announcement_published_on RENAME TO announcement_publish_from;

ALTER TABLE announcement
  ADD COLUMN publish_until date,
  ADD COLUMN pinned boolean NOT NULL DEFAULT false,
  ADD COLUMN status text NOT NULL DEFAULT 'published'
    CONSTRAINT announcement_status_check CHECK (status IN ('draft', 'published', 'withdrawn')),
  ADD COLUMN version integer NOT NULL DEFAULT 1,
  ADD COLUMN created_by bigint REFERENCES staff(id),
  ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_by bigint REFERENCES staff(id),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD CONSTRAINT announcement_window_check CHECK (publish_until IS NULL OR publish_until >= publish_from),
  ADD CONSTRAINT announcement_body_length_check CHECK (length(body_zh) <= 20000 AND length(body_en) <= 20000);

-- The public list: published ones, pinned first, then newest first.
CREATE INDEX announcement_public ON announcement (pinned DESC, publish_from DESC, id DESC) WHERE status = 'published';
CREATE INDEX announcement_institution ON announcement (institution_code);
