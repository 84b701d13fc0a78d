-- The chain's links are keyed (HMAC-SHA256 under the audit key, kept outside the database)
-- from entry keyed_from on; earlier entries keep their plain SHA-256 links. The first start
-- with a key sets both columns; key_fingerprint names the key, so that another key is refused.
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT;
ALTER TABLE audit_head ADD COLUMN key_fingerprint TEXT;
