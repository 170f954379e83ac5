-- Schema 4 (team tui): how a phone call ended, and the call record.
--
-- outcome says whether an encounter still waits for the clinic: waiting
-- (default), expected (a haster call told to come in: waits with its
-- target), handed_over (an akutt call handed to AMK 113) and closed (advice
-- given, no visit). handed_over and closed leave the waiting queue but stay
-- in the history. Every change is audited and kept as an encounter event.
ALTER TABLE encounters ADD COLUMN outcome TEXT NOT NULL DEFAULT 'waiting'
    CHECK (outcome IN ('waiting', 'expected', 'handed_over', 'closed'));
ALTER TABLE encounters ADD COLUMN outcome_note TEXT NOT NULL DEFAULT '';

-- The record of one phone call, written with its assessment in the same
-- transaction and never changed: what the caller said (note, onset), who
-- called, every criterion shown with its answer, and the level told.
-- answers is a JSON object {code: "yes" | "no" | "not_asked"}.
CREATE TABLE calls (
    encounter_id    INTEGER PRIMARY KEY REFERENCES encounters (id),
    assessment_id   INTEGER NOT NULL REFERENCES assessments (id),
    at              INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    workstation     TEXT NOT NULL,
    complaint       TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    onset           TEXT NOT NULL DEFAULT '',
    onset_at        INTEGER,
    sex             TEXT NOT NULL CHECK (sex IN ('female', 'male', 'unknown')),
    sex_source      TEXT NOT NULL CHECK (sex_source IN ('nid', 'asked', 'unknown')),
    caller_relation TEXT NOT NULL DEFAULT '',
    caller_phone    TEXT NOT NULL DEFAULT '',
    answers         TEXT NOT NULL CHECK (json_valid(answers)),
    level_told      TEXT NOT NULL CHECK (level_told IN ('akutt', 'haster', 'vanlig')),
    level_computed  TEXT NOT NULL CHECK (level_computed IN ('akutt', 'haster', 'vanlig'))
);
CREATE INDEX calls_caller_phone ON calls (caller_phone, at);
CREATE TRIGGER calls_immutable_update BEFORE UPDATE ON calls
BEGIN SELECT RAISE(ABORT, 'a call record is immutable: record a new call instead'); END;
CREATE TRIGGER calls_immutable_delete BEFORE DELETE ON calls
BEGIN SELECT RAISE(ABORT, 'call records are immutable and are never deleted'); END;
