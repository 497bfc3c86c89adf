-- 查看機關聯絡簿 (issue 13): the institution's side of the contact book. Staff of an institution write to
-- the family of one of its inmates; the recipients are fixed when the post is written (every applicant
-- then holding an approved contact book service for the inmate), so a family approved later does not
-- read what was written before, and access is one row of institution_post_recipient.
CREATE TABLE institution_post (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  institution_code char(4) NOT NULL REFERENCES institution(code),
  inmate_id bigint NOT NULL REFERENCES inmate(id),
  staff_id bigint NOT NULL REFERENCES staff(id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  -- At most 2,000 characters as a person counts them (checked in code); this bounds the code units.
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
  photo bytea,
  photo_width integer,
  photo_height integer,
  -- One form, one post: a second click on 送出 finds the first.
  submission_key uuid NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  CHECK ((photo IS NULL) = (photo_width IS NULL) AND (photo IS NULL) = (photo_height IS NULL))
);
CREATE INDEX institution_post_sent ON institution_post (institution_code, created_at DESC, id DESC);
CREATE INDEX institution_post_sent_all ON institution_post (created_at DESC, id DESC);

CREATE TABLE institution_post_recipient (
  post_id bigint NOT NULL REFERENCES institution_post(id),
  applicant_id bigint NOT NULL REFERENCES applicant(id),
  -- the approved contact book service it was sent under
  application_id bigint NOT NULL REFERENCES service_application(id),
  PRIMARY KEY (post_id, applicant_id)
);
CREATE INDEX institution_post_recipient_applicant ON institution_post_recipient (applicant_id, post_id DESC);

-- The photo chosen while the form is being filled, so a mistake elsewhere never makes staff choose it again.
CREATE TABLE institution_post_photo_draft (
  staff_id bigint NOT NULL REFERENCES staff(id),
  submission_key uuid NOT NULL,
  file_name text NOT NULL,
  uploaded_bytes integer NOT NULL,
  content bytea NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (staff_id, submission_key)
);
