-- Schema 5 (team "access"): clinical rows bound into the audit chain,
-- a store identity for signed checkpoints, personal accounts with roles,
-- and the marks of log review. See docs/security.md.

-- A random identity of this store: signed checkpoints of the chain head,
-- written outside the database, name the store they belong to.
INSERT INTO triage_meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))));

-- Entries written from schema 5 on name the acting role, the basis of an
-- access outside the user's own service, and the digest of the clinical
-- rows the entry wrote (audit_rows). All three are in the entry's hash.
ALTER TABLE audit_log ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN basis TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN rows_hash TEXT NOT NULL DEFAULT '';

-- audit_rows: the SHA-256 of each clinical row as a store transaction
-- wrote it, under the audit entry that recorded the write. The newest
-- record of a row must match the row as it is now (audit verify).
CREATE TABLE audit_rows (
    seq    INTEGER NOT NULL,
    tbl    TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    hash   TEXT NOT NULL,
    PRIMARY KEY (seq, tbl, row_id)
);
CREATE INDEX audit_rows_row ON audit_rows (tbl, row_id, seq);
CREATE TRIGGER audit_rows_append_only_update BEFORE UPDATE ON audit_rows
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_rows_append_only_delete BEFORE DELETE ON audit_rows
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- The rows a running store transaction wrote, found by triggers so that
-- every write path binds its rows (also ones added later). A transaction
-- sets a fresh random token in audit_txn first and binds only rows that
-- carry its token: a row changed outside the store (token empty) is
-- never bound by the next honest transaction.
CREATE TABLE audit_txn (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL
);
INSERT INTO audit_txn (id, token) VALUES (1, '');
CREATE TABLE audit_pending (
    token  TEXT NOT NULL,
    tbl    TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    PRIMARY KEY (token, tbl, row_id)
);

-- Personal accounts (local: argon2id password hash, optional TOTP; or an
-- OpenID Connect identity with HPR number and security level). roles is a
-- space-separated list; service is the unit whose queue the user works in.
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL DEFAULT '',
    roles          TEXT NOT NULL DEFAULT '',
    service        TEXT NOT NULL DEFAULT '',
    password_hash  TEXT,
    totp_secret    TEXT,
    oidc_issuer    TEXT,
    oidc_subject   TEXT,
    hpr            TEXT,
    security_level TEXT,
    disabled       INTEGER NOT NULL DEFAULT 0,
    failures       INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (oidc_issuer, oidc_subject)
);

-- Log review: an entry marked as followed up, with who, when and a note.
CREATE TABLE audit_reviews (
    seq         INTEGER PRIMARY KEY,
    reviewed_by TEXT NOT NULL,
    at          INTEGER NOT NULL,
    note        TEXT NOT NULL
);

CREATE TRIGGER patients_bind_insert AFTER INSERT ON patients
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'patients', NEW.id); END;
CREATE TRIGGER patients_bind_update AFTER UPDATE ON patients
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'patients', NEW.id); END;
CREATE TRIGGER encounters_bind_insert AFTER INSERT ON encounters
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'encounters', NEW.id); END;
CREATE TRIGGER encounters_bind_update AFTER UPDATE ON encounters
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'encounters', NEW.id); END;
CREATE TRIGGER assessments_bind_insert AFTER INSERT ON assessments
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'assessments', NEW.id); END;
CREATE TRIGGER observations_bind_insert AFTER INSERT ON observations
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'observations', NEW.id); END;
CREATE TRIGGER observations_bind_update AFTER UPDATE ON observations
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'observations', NEW.id); END;
CREATE TRIGGER calls_bind_insert AFTER INSERT ON calls
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'calls', NEW.encounter_id); END;
CREATE TRIGGER encounter_events_bind_insert AFTER INSERT ON encounter_events
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'encounter_events', NEW.id); END;
CREATE TRIGGER users_bind_insert AFTER INSERT ON users
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'users', NEW.id); END;
CREATE TRIGGER users_bind_update AFTER UPDATE ON users
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'users', NEW.id); END;

-- Rows written before schema 5 are bound once, by the store that applies
-- this migration, in one "audit.bind" entry.
INSERT INTO audit_pending SELECT 'migration-005', 'patients', id FROM patients;
INSERT INTO audit_pending SELECT 'migration-005', 'encounters', id FROM encounters;
INSERT INTO audit_pending SELECT 'migration-005', 'assessments', id FROM assessments;
INSERT INTO audit_pending SELECT 'migration-005', 'observations', id FROM observations;
INSERT INTO audit_pending SELECT 'migration-005', 'encounter_events', id FROM encounter_events;
INSERT INTO audit_pending SELECT 'migration-005', 'calls', encounter_id FROM calls;
