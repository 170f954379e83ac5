-- Schema 8 (team ws): the ids of the observation batches applied, so that a
-- batch written again (a recorder that crashed between the commit and
-- forgetting the batch, or that lost the commit's answer) is stored, and
-- queued for the record, once. The id is inserted in the same transaction
-- as the batch's observations; a repeated id is a no-op (audited). Rows are
-- never changed or deleted.
CREATE TABLE observation_batches (
    batch_id     TEXT PRIMARY KEY,
    encounter_id INTEGER NOT NULL REFERENCES encounters (id),
    count        INTEGER NOT NULL,
    applied_at   INTEGER NOT NULL
);
CREATE TRIGGER observation_batches_immutable BEFORE UPDATE ON observation_batches
BEGIN SELECT RAISE(ABORT, 'applied observation batches are immutable'); END;
CREATE TRIGGER observation_batches_never_deleted BEFORE DELETE ON observation_batches
BEGIN SELECT RAISE(ABORT, 'applied observation batches are never deleted'); END;
