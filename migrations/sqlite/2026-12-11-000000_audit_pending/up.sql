-- Audit entries written with their change and not yet linked into the hash chain. A write
-- inserts its entry here in its own transaction; the sequencer moves entries into audit_log in
-- id order, giving each its sequence number and hash, so writers never wait on the chain's head.
CREATE TABLE audit_pending (
    id           INTEGER PRIMARY KEY NOT NULL,
    at           TIMESTAMP NOT NULL,
    actor_id     TEXT,
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    cluster_id   TEXT,
    before_json  TEXT,
    after_json   TEXT
);
