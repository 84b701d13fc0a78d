-- Failed logins, counted per key ("account:<username>" or "address:<ip>") in the database so
-- that every instance sharing it applies the same limits.
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL
);

-- Ending every session of a user, and listing the users of a cluster.
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX users_cluster ON users (cluster_id);
CREATE INDEX users_enterprise ON users (enterprise_id);
