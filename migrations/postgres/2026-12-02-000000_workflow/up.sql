-- The head of the hash-chained audit log: its last sequence number and hash. Every audited write
-- transaction updates this one row first, which serialises appends on both backends.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY NOT NULL,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Every questionnaire text an assessment was opened with, by content hash, so a later edit of
-- a file never changes a past result.
CREATE TABLE questionnaire_versions (
    hash             TEXT PRIMARY KEY NOT NULL,
    questionnaire_id TEXT NOT NULL,
    source           TEXT NOT NULL,
    first_loaded_at  TIMESTAMP NOT NULL
);
