ALTER TABLE answers DROP COLUMN carried_over;
