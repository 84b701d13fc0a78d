ALTER TABLE reports DROP COLUMN not_final;
ALTER TABLE reports DROP COLUMN indicated_level;
ALTER TABLE reports DROP COLUMN data_date;
ALTER TABLE reports DROP COLUMN subject_name;
