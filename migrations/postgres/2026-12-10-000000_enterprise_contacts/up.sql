-- Whom the cluster manager calls about an enterprise. Absent is the empty text, never NULL.
ALTER TABLE enterprises ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
