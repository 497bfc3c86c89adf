-- A contact book photo accepted while the post form is still being filled, kept under the form's
-- one-time key: a mistake in the title or the text never makes anyone upload the photo again.
-- Drafts older than a day are purged with the application drafts.
CREATE TABLE contact_book_photo_draft (
  applicant_id bigint NOT NULL REFERENCES applicant(id) ON DELETE CASCADE,
  submission_key uuid NOT NULL,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  uploaded_bytes integer NOT NULL CHECK (uploaded_bytes > 0),
  content bytea NOT NULL,
  width integer NOT NULL CHECK (width > 0),
  height integer NOT NULL CHECK (height > 0),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (applicant_id, submission_key)
);
CREATE INDEX contact_book_photo_draft_age ON contact_book_photo_draft (created_at);

-- The delivery sheet lists a day's approved posts of one institution.
CREATE INDEX contact_book_post_delivery ON contact_book_post (institution_code, decided_at) WHERE status = 'approved';
