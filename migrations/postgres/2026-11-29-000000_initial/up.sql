-- The whole domain: clusters, enterprises, users, campaigns, assessments, answers, reviews,
-- evidence, enterprise profiles, reports, audit log, refresh tokens.
-- Ids are UUID text; timestamps are UTC; JSON is text.

CREATE TABLE clusters (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    region      TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE enterprises (
    id          TEXT PRIMARY KEY NOT NULL,
    cluster_id  TEXT NOT NULL REFERENCES clusters (id),
    name        TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    industry    TEXT NOT NULL DEFAULT '',
    size        TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    sharing     TEXT NOT NULL DEFAULT 'scores',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX enterprises_cluster ON enterprises (cluster_id);

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    cluster_id    TEXT REFERENCES clusters (id),
    enterprise_id TEXT REFERENCES enterprises (id),
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    language      TEXT NOT NULL DEFAULT 'zh',
    token_version INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE auditor_clusters (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL REFERENCES clusters (id),
    PRIMARY KEY (user_id, cluster_id)
);

CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    expires_at  TIMESTAMP NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    revoked_at  TIMESTAMP
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE campaigns (
    id                 TEXT PRIMARY KEY NOT NULL,
    cluster_id         TEXT NOT NULL REFERENCES clusters (id),
    name               TEXT NOT NULL,
    questionnaire_id   TEXT NOT NULL,
    questionnaire_hash TEXT NOT NULL,
    due_date           DATE NOT NULL,
    target_level       INTEGER NOT NULL,
    status             TEXT NOT NULL DEFAULT 'open',
    created_by         TEXT REFERENCES users (id),
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX campaigns_cluster ON campaigns (cluster_id);

CREATE TABLE assessments (
    id                 TEXT PRIMARY KEY NOT NULL,
    campaign_id        TEXT NOT NULL REFERENCES campaigns (id),
    enterprise_id      TEXT NOT NULL REFERENCES enterprises (id),
    questionnaire_id   TEXT NOT NULL,
    questionnaire_hash TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'draft',
    version            INTEGER NOT NULL DEFAULT 0,
    return_note        TEXT,
    submitted_at       TIMESTAMP,
    reviewed_at        TIMESTAMP,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    UNIQUE (campaign_id, enterprise_id)
);
CREATE INDEX assessments_enterprise ON assessments (enterprise_id);

CREATE TABLE answers (
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    criterion_id  TEXT NOT NULL,
    rating        TEXT NOT NULL,
    comment       TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    updated_by    TEXT REFERENCES users (id),
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (assessment_id, criterion_id)
);

CREATE TABLE reviews (
    id            TEXT PRIMARY KEY NOT NULL,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    auditor_id    TEXT NOT NULL REFERENCES users (id),
    decision      TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX reviews_assessment ON reviews (assessment_id);

CREATE TABLE verified_ratings (
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    criterion_id  TEXT NOT NULL,
    rating        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    review_id     TEXT NOT NULL REFERENCES reviews (id),
    auditor_id    TEXT NOT NULL REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (assessment_id, criterion_id)
);

CREATE TABLE evidence (
    id             TEXT PRIMARY KEY NOT NULL,
    assessment_id  TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size_bytes     BIGINT NOT NULL,
    sha256         TEXT NOT NULL,
    storage_key    TEXT NOT NULL,
    effective_date DATE,
    uploaded_by    TEXT REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX evidence_assessment ON evidence (assessment_id);

CREATE TABLE evidence_criteria (
    evidence_id  TEXT NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
    criterion_id TEXT NOT NULL,
    PRIMARY KEY (evidence_id, criterion_id)
);

CREATE TABLE enterprise_profiles (
    enterprise_id      TEXT PRIMARY KEY NOT NULL REFERENCES enterprises (id),
    questionnaire_hash TEXT NOT NULL,
    answers_json       TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    updated_by         TEXT REFERENCES users (id),
    updated_at         TIMESTAMP NOT NULL
);

CREATE TABLE reports (
    id                 TEXT PRIMARY KEY NOT NULL,
    kind               TEXT NOT NULL,
    subject_id         TEXT NOT NULL,
    language           TEXT NOT NULL,
    sha256             TEXT NOT NULL,
    size_bytes         BIGINT NOT NULL,
    questionnaire_id   TEXT NOT NULL,
    questionnaire_hash TEXT NOT NULL,
    policy_version     TEXT NOT NULL,
    requested_by       TEXT REFERENCES users (id),
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX reports_sha256 ON reports (sha256);

CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY NOT NULL,
    at           TIMESTAMP NOT NULL,
    actor_id     TEXT,
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    cluster_id   TEXT,
    before_json  TEXT,
    after_json   TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_cluster ON audit_log (cluster_id);
