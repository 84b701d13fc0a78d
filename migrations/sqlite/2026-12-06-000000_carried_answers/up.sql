-- An answer carried over from the enterprise's previous assessment (same edition, or another
-- edition through a crosswalk) until the enterprise saves it again: the questionnaire page asks
-- the enterprise to confirm it.
ALTER TABLE answers ADD COLUMN carried_over BOOLEAN NOT NULL DEFAULT FALSE;
