ALTER TABLE enterprises DROP COLUMN contact_email;
ALTER TABLE enterprises DROP COLUMN contact_phone;
ALTER TABLE enterprises DROP COLUMN contact_name;
