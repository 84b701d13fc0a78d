-- The enterprise's profile as it stood when the campaign closed: a closed campaign's cluster
-- report reads this copy, so later changes to the profile leave it as it was.
ALTER TABLE assessments ADD COLUMN profile_at_close TEXT;
