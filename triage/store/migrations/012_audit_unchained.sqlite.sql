-- Schema 12 (team scale): the unchained tail of the audit log. See
-- 012_audit_unchained.postgres.sql. SQLite has one writer, so a store
-- transaction chains its entries itself; the tail is used only when
-- chaining is deferred (tests of the chainer on both backends).
CREATE TABLE audit_unchained (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    workstation TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    patient_id  INTEGER,
    detail      TEXT NOT NULL,
    role        TEXT NOT NULL,
    basis       TEXT NOT NULL,
    rows_hash   TEXT NOT NULL
);
CREATE TABLE audit_unchained_rows (
    qid    INTEGER NOT NULL,
    tbl    TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    hash   TEXT NOT NULL,
    PRIMARY KEY (qid, tbl, row_id)
);

-- The unchained entry a chained one came from: an entry is chained once.
ALTER TABLE audit_log ADD COLUMN qid INTEGER;
CREATE UNIQUE INDEX audit_log_qid ON audit_log (qid) WHERE qid IS NOT NULL;

-- The tail is insert-only, except that an entry (and its row hashes)
-- leaves it once it is in the chain.
CREATE TRIGGER audit_unchained_no_update BEFORE UPDATE ON audit_unchained
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_unchained_leave BEFORE DELETE ON audit_unchained
WHEN NOT EXISTS (SELECT 1 FROM audit_log WHERE qid = OLD.id)
BEGIN SELECT RAISE(ABORT, 'an unchained audit entry leaves the tail only when it is chained'); END;
CREATE TRIGGER audit_unchained_rows_no_update BEFORE UPDATE ON audit_unchained_rows
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_unchained_rows_leave BEFORE DELETE ON audit_unchained_rows
WHEN NOT EXISTS (SELECT 1 FROM audit_log WHERE qid = OLD.qid)
BEGIN SELECT RAISE(ABORT, 'an unchained audit entry leaves the tail only when it is chained'); END;
