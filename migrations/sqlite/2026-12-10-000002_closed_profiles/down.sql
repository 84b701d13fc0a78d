ALTER TABLE assessments DROP COLUMN profile_at_close;
