-- A correction request accepted keeps the values it replaced (only the fields it changed), so its page
-- still says what the identity was before: the applicant row holds only the values after.
ALTER TABLE applicant_correction_request ADD COLUMN previous jsonb;
