-- Schema 7 (team ecg12): resting 12-lead ECGs attached to a contact, their
-- review and signature.
--
-- The file as the cart wrote it is kept (data, with its SHA-256), with the
-- measurements shown at attachment (summary, JSON: ours and the cart's).
-- An ECG is 'unconfirmed' until a physician signs it with an
-- interpretation (free text and quick findings, JSON array); a signed ECG
-- is immutable, and no ECG is ever deleted. Every attach, view, list and
-- signature is audited by the store.
CREATE TABLE ecgs (
    id             INTEGER PRIMARY KEY,
    encounter_id   INTEGER NOT NULL REFERENCES encounters (id),
    patient_id     INTEGER NOT NULL REFERENCES patients (id),
    attached_at    INTEGER NOT NULL,
    attached_by    TEXT NOT NULL,
    workstation    TEXT NOT NULL,
    format         TEXT NOT NULL,
    source_name    TEXT NOT NULL DEFAULT '',
    acquired_at    INTEGER,
    sha256         TEXT NOT NULL,
    data           BLOB NOT NULL,
    summary        TEXT NOT NULL CHECK (json_valid(summary)),
    status         TEXT NOT NULL DEFAULT 'unconfirmed' CHECK (status IN ('unconfirmed', 'signed')),
    interpretation TEXT NOT NULL DEFAULT '',
    findings       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(findings)),
    stemi          INTEGER NOT NULL DEFAULT 0 CHECK (stemi IN (0, 1)),
    signed_by      TEXT,
    signed_at      INTEGER
);
CREATE INDEX ecgs_review ON ecgs (status, attached_at);
CREATE INDEX ecgs_encounter ON ecgs (encounter_id);
CREATE TRIGGER ecgs_signed_immutable BEFORE UPDATE ON ecgs WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed ECG is immutable'); END;
CREATE TRIGGER ecgs_never_deleted BEFORE DELETE ON ecgs
BEGIN SELECT RAISE(ABORT, 'ECGs are never deleted'); END;
CREATE TRIGGER ecgs_file_immutable BEFORE UPDATE OF data, sha256, format, encounter_id, patient_id, attached_at, attached_by ON ecgs
BEGIN SELECT RAISE(ABORT, 'the attached ECG file is immutable'); END;
