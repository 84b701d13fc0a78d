ALTER TABLE assessments DROP COLUMN verified_sheet;
ALTER TABLE assessments DROP COLUMN own_sheet;
