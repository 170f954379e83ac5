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
-- answers is a JSON object {code: "yes" | "no" | "not_asked"}; json, not
-- jsonb, so the bytes come back exactly.
CREATE TABLE calls (
    encounter_id    BIGINT PRIMARY KEY REFERENCES encounters (id),
    assessment_id   BIGINT NOT NULL REFERENCES assessments (id),
    at              BIGINT NOT NULL,
    actor           TEXT NOT NULL,
    workstation     TEXT NOT NULL,
    complaint       TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    onset           TEXT NOT NULL DEFAULT '',
    onset_at        BIGINT,
    sex             TEXT NOT NULL CHECK (sex IN ('female', 'male', 'unknown')),
    sex_source      TEXT NOT NULL CHECK (sex_source IN ('nid', 'asked', 'unknown')),
    caller_relation TEXT NOT NULL DEFAULT '',
    caller_phone    TEXT NOT NULL DEFAULT '',
    answers         JSON NOT NULL,
    level_told      TEXT NOT NULL CHECK (level_told IN ('akutt', 'haster', 'vanlig')),
    level_computed  TEXT NOT NULL CHECK (level_computed IN ('akutt', 'haster', 'vanlig'))
);
CREATE INDEX calls_caller_phone ON calls (caller_phone, at);
CREATE TRIGGER calls_immutable BEFORE UPDATE OR DELETE ON calls
    FOR EACH ROW EXECUTE FUNCTION triage_refuse_change();
CREATE TRIGGER calls_no_truncate BEFORE TRUNCATE ON calls
    FOR EACH STATEMENT EXECUTE FUNCTION triage_refuse_change();
