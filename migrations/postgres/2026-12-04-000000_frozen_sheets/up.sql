-- The answer sheets of a frozen assessment, one character per criterion in questionnaire order
-- (F fully, L largely, P partially, N not, A na, - unanswered): its own ratings once submitted,
-- the verified ones once reviewed. A frozen assessment never changes, so cluster roll-ups read
-- these instead of every answer row.
ALTER TABLE assessments ADD COLUMN own_sheet TEXT;
ALTER TABLE assessments ADD COLUMN verified_sheet TEXT;
