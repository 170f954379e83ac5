-- Schema 8 (team ws): the ids of the observation batches applied, so that a
-- batch written again is stored, and queued for the record, once. See
-- 008_observation_batches.sqlite.sql.
CREATE TABLE observation_batches (
    batch_id     TEXT PRIMARY KEY,
    encounter_id BIGINT NOT NULL REFERENCES encounters (id),
    count        INTEGER NOT NULL,
    applied_at   BIGINT NOT NULL
);
CREATE TRIGGER observation_batches_immutable BEFORE UPDATE OR DELETE ON observation_batches
    FOR EACH ROW EXECUTE FUNCTION triage_refuse_change();
CREATE TRIGGER observation_batches_no_truncate BEFORE TRUNCATE ON observation_batches
    FOR EACH STATEMENT EXECUTE FUNCTION triage_refuse_change();
