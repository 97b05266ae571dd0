-- The highest build.progress seq stored per build: a completion waits until the progress it
-- follows has been stored, so a build's event log ends with its final state.
ALTER TABLE builds ADD COLUMN progress_seq bigint NOT NULL DEFAULT 0;
