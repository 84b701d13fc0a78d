-- The review in progress: an auditor's verified ratings saved one at a time while the
-- assessment waits for review; the decision turns them into verified_ratings.
CREATE TABLE review_ratings (
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    criterion_id  TEXT NOT NULL,
    rating        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    auditor_id    TEXT NOT NULL REFERENCES users (id),
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (assessment_id, criterion_id)
);

-- The sample drawn for the review in progress: the seed, how it was stratified and the drawn
-- criteria (a JSON array of ids in questionnaire order). A new draw replaces it; the audit log
-- keeps every draw.
CREATE TABLE review_samples (
    assessment_id TEXT PRIMARY KEY NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    seed          BIGINT NOT NULL,
    stratum       TEXT NOT NULL,
    size          INTEGER NOT NULL,
    criteria      TEXT NOT NULL,
    auditor_id    TEXT NOT NULL REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL
);
