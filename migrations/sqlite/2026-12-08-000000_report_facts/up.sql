-- What an issued report prints about itself, kept with its record so that anyone can be told
-- what it says later, even after its data changed: the subject's name as printed (the
-- enterprise, or the cluster and campaign), the day of its data, the indicated level (or the
-- cluster's readiness tier) as printed, and whether every page says it is not final. Reports
-- recorded before this migration have none of it.
ALTER TABLE reports ADD COLUMN subject_name TEXT;
ALTER TABLE reports ADD COLUMN data_date DATE;
ALTER TABLE reports ADD COLUMN indicated_level TEXT;
ALTER TABLE reports ADD COLUMN not_final BOOLEAN;
