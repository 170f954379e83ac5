-- Schema 13 (dropped): a phone call that ends before the triage is done
-- (the caller hung up, the line was lost). See 013_dropped_calls.postgres.sql
-- for what the tables hold.
--
-- 1. encounters.outcome also takes 'dropped'. SQLite cannot change a CHECK
-- in place, so the table is rebuilt in this migration's transaction, the
-- rows kept exactly (same ids, columns and values, so the audit chain's
-- row hashes still match):
--   * copy the rows to a temporary table;
--   * drop encounters. Foreign keys are on and cannot be turned off inside
--     a transaction, so they are deferred to the commit: the children's
--     references are counted as violations when the parent rows go ...
--   * ... and counted back, row by row, when the same rows are inserted
--     into the new encounters table. A row lost or changed on the way
--     leaves a violation, and the commit (the whole migration) fails.
--   * the indexes and triggers of encounters are made again.
-- observation_batches has no index on encounter_id, which the foreign-key
-- count would scan once per encounter: one is made for the rebuild.
PRAGMA defer_foreign_keys = ON;
CREATE INDEX observation_batches_encounter ON observation_batches (encounter_id);
CREATE TEMP TABLE encounters_013 AS SELECT * FROM encounters;
DROP TABLE encounters;
CREATE TABLE encounters (
    id               INTEGER PRIMARY KEY,
    patient_id       INTEGER NOT NULL REFERENCES patients (id),
    channel          TEXT NOT NULL CHECK (channel IN ('walk_in', 'phone')),
    arrived_at       INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('waiting', 'in_triage', 'waiting_for_doctor', 'with_doctor', 'done', 'left_without_being_seen')),
    complaint        TEXT NOT NULL DEFAULT '',
    colour           INTEGER CHECK (colour BETWEEN 0 AND 4),
    target_s         INTEGER,
    last_assessed_at INTEGER,
    monitor_every_s  INTEGER,
    news2            INTEGER,
    news2_band       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    outcome          TEXT NOT NULL DEFAULT 'waiting'
        CHECK (outcome IN ('waiting', 'expected', 'handed_over', 'closed', 'dropped')),
    outcome_note     TEXT NOT NULL DEFAULT ''
);
INSERT INTO encounters (id, patient_id, channel, arrived_at, status, complaint, colour, target_s, last_assessed_at, monitor_every_s,
    news2, news2_band, created_at, updated_at, version, outcome, outcome_note)
SELECT id, patient_id, channel, arrived_at, status, complaint, colour, target_s, last_assessed_at, monitor_every_s,
    news2, news2_band, created_at, updated_at, version, outcome, outcome_note FROM encounters_013;
DROP TABLE encounters_013;
CREATE INDEX encounters_open ON encounters (status, arrived_at)
    WHERE status IN ('waiting', 'in_triage', 'waiting_for_doctor');
CREATE INDEX encounters_patient ON encounters (patient_id);
CREATE TRIGGER encounters_bind_insert AFTER INSERT ON encounters
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'encounters', NEW.id); END;
CREATE TRIGGER encounters_bind_update AFTER UPDATE ON encounters
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'encounters', NEW.id); END;
DROP INDEX observation_batches_encounter;

-- 2. The record of a dropped call, written once with its encounter.
CREATE TABLE dropped_calls (
    encounter_id    INTEGER PRIMARY KEY REFERENCES encounters (id),
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    workstation     TEXT NOT NULL,
    step            TEXT NOT NULL CHECK (step IN ('caller', 'complaint', 'criteria', 'vitals', 'result')),
    complaint       TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    onset           TEXT NOT NULL DEFAULT '',
    onset_at        INTEGER,
    sex             TEXT NOT NULL CHECK (sex IN ('female', 'male', 'unknown')),
    sex_source      TEXT NOT NULL CHECK (sex_source IN ('nid', 'asked', 'unknown')),
    caller_relation TEXT NOT NULL DEFAULT '',
    caller_phone    TEXT NOT NULL DEFAULT '',
    answers         TEXT NOT NULL CHECK (json_valid(answers)),
    level_proposed  TEXT CHECK (level_proposed IN ('akutt', 'haster', 'vanlig')),
    call_back       TEXT NOT NULL CHECK (call_back IN ('immediate', 'soon')),
    partial         TEXT NOT NULL CHECK (json_valid(partial)),
    CHECK (ended_at >= started_at),
    CHECK (call_back = 'immediate' OR level_proposed IS NULL OR level_proposed <> 'akutt')
);
CREATE INDEX dropped_calls_caller_phone ON dropped_calls (caller_phone, ended_at);
CREATE TRIGGER dropped_calls_immutable_update BEFORE UPDATE ON dropped_calls
BEGIN SELECT RAISE(ABORT, 'a dropped call record is immutable: its call-back is recorded in call_backs'); END;
CREATE TRIGGER dropped_calls_immutable_delete BEFORE DELETE ON dropped_calls
BEGIN SELECT RAISE(ABORT, 'dropped call records are immutable and are never deleted'); END;

-- 3. The call-back of a dropped call, once.
CREATE TABLE call_backs (
    encounter_id     INTEGER PRIMARY KEY REFERENCES dropped_calls (encounter_id),
    at               INTEGER NOT NULL,
    actor            TEXT NOT NULL,
    workstation      TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    new_encounter_id INTEGER REFERENCES encounters (id)
);
CREATE TRIGGER call_backs_immutable_update BEFORE UPDATE ON call_backs
BEGIN SELECT RAISE(ABORT, 'a call-back is immutable'); END;
CREATE TRIGGER call_backs_immutable_delete BEFORE DELETE ON call_backs
BEGIN SELECT RAISE(ABORT, 'call-backs are never deleted'); END;

-- Both are bound into the audit chain as calls are (schema 5).
CREATE TRIGGER dropped_calls_bind_insert AFTER INSERT ON dropped_calls
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'dropped_calls', NEW.encounter_id); END;
CREATE TRIGGER call_backs_bind_insert AFTER INSERT ON call_backs
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'call_backs', NEW.encounter_id); END;
