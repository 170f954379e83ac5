-- Schema 1 of the triage store, SQLite dialect. Times are integer
-- microseconds since the Unix epoch (UTC) in both dialects, so that values
-- compare, index and hash the same way everywhere. Durations are seconds.

-- 0x54524941 is "TRIA": marks the file as ours (see store.Open).
PRAGMA application_id = 1414678849;

CREATE TABLE triage_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO triage_meta (key, value) VALUES ('application', 'legevakt-triage');

CREATE TABLE patients (
    id          INTEGER PRIMARY KEY,
    nid         TEXT UNIQUE,
    temp_id     TEXT UNIQUE,
    name        TEXT NOT NULL DEFAULT '',
    merged_into INTEGER REFERENCES patients (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    CHECK (nid IS NOT NULL OR temp_id IS NOT NULL)
);

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
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX encounters_open ON encounters (status, arrived_at)
    WHERE status IN ('waiting', 'in_triage', 'waiting_for_doctor');
CREATE INDEX encounters_patient ON encounters (patient_id);

CREATE TABLE assessments (
    id              INTEGER PRIMARY KEY,
    encounter_id    INTEGER NOT NULL REFERENCES encounters (id),
    at              INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    workstation     TEXT NOT NULL,
    colour          INTEGER NOT NULL CHECK (colour BETWEEN 0 AND 4),
    target_s        INTEGER NOT NULL,
    news2           INTEGER,
    news2_band      TEXT,
    monitor_every_s INTEGER NOT NULL DEFAULT 0,
    engine_version  TEXT NOT NULL,
    ruleset_version TEXT NOT NULL,
    override_colour INTEGER CHECK (override_colour BETWEEN 0 AND 4),
    override_reason TEXT,
    input           TEXT NOT NULL CHECK (json_valid(input)),
    result          TEXT NOT NULL CHECK (json_valid(result)),
    CHECK ((override_colour IS NULL) = (override_reason IS NULL))
);
CREATE INDEX assessments_encounter ON assessments (encounter_id, at);
CREATE TRIGGER assessments_immutable_update BEFORE UPDATE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are immutable: record a new assessment instead'); END;
CREATE TRIGGER assessments_immutable_delete BEFORE DELETE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are immutable and are never deleted'); END;

CREATE TABLE observations (
    id           INTEGER PRIMARY KEY,
    encounter_id INTEGER NOT NULL REFERENCES encounters (id),
    kind         TEXT NOT NULL,
    value        REAL NOT NULL,
    unit         TEXT NOT NULL,
    source       TEXT NOT NULL,
    device_time  INTEGER,
    host_time    INTEGER NOT NULL,
    quality      INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 3)
);
CREATE INDEX observations_encounter_time ON observations (encounter_id, host_time);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    workstation TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    patient_id  INTEGER,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_patient ON audit_log (patient_id, seq);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- The head of the hash chain: one row, locked by every writer, so entries
-- get consecutive sequence numbers and each links to the one before.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Change feed for the live queue: one row per committed change; watchers
-- poll it (SQLite) or are told by NOTIFY (PostgreSQL).
CREATE TABLE changes (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    at           INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    encounter_id INTEGER
);
