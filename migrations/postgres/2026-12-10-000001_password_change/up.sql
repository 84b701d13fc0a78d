-- An account whose password someone else set (generated at creation or by a reset) must
-- change it before it does anything else.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
