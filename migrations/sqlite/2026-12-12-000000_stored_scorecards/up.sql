-- The scorecards of a frozen assessment (submitted or accepted), scored from its own and
-- verified sheets: numbers only, in the order of its pinned questionnaire (see
-- src/scoring/stored.rs), with the key of the scoring policy they were computed under. Cluster
-- roll-ups read these instead of scoring every sheet again; a card whose key is not the running
-- policy's is scored again, never used. No row: no card stored (a draft, or not scored yet).
CREATE TABLE assessment_cards (
    assessment_id TEXT PRIMARY KEY NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    own_card      BLOB,
    verified_card BLOB,
    card_key      TEXT NOT NULL
);
