ALTER TABLE audit_head DROP COLUMN key_fingerprint;
ALTER TABLE audit_head DROP COLUMN keyed_from;
