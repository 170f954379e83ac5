-- Schema 13 (dropped): a phone call that ends before the triage is done
-- (the caller hung up, the line was lost).
--
-- 1. encounters.outcome also takes 'dropped': the call left the waiting
-- queue (nobody is coming) but waits for a call-back. The CHECK of schema 4
-- is replaced (found by what it checks, whatever its name).
DO $$
DECLARE c TEXT;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
        WHERE conrelid = 'encounters'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%outcome%'
    LOOP
        EXECUTE format('ALTER TABLE encounters DROP CONSTRAINT %I', c);
    END LOOP;
END;
$$;
ALTER TABLE encounters ADD CONSTRAINT encounters_outcome_check
    CHECK (outcome IN ('waiting', 'expected', 'handed_over', 'closed', 'dropped'));

-- 2. The record of a dropped call, written once with its encounter and
-- never changed: what was known when the line went (the caller, the
-- patient's sex with its source, the complaint id if chosen, every
-- criterion shown with yes/no/not_asked), the step the call was at, who
-- took it and when it began and ended. level_proposed is the level the
-- screen proposed so far (NULL when none): incomplete, never the decision;
-- no assessment is written for a dropped call, so the encounter stays
-- untriaged and no level of it reaches a queue or a record system.
-- call_back is 'immediate' when akutt was proposed or an akutt criterion
-- was answered yes. partial is the call's input as far as it went (age as
-- said, onset window, reported vitals with air/oxygen and consciousness).
CREATE TABLE dropped_calls (
    encounter_id    BIGINT PRIMARY KEY REFERENCES encounters (id),
    started_at      BIGINT NOT NULL,
    ended_at        BIGINT NOT NULL,
    actor           TEXT NOT NULL,
    workstation     TEXT NOT NULL,
    step            TEXT NOT NULL CHECK (step IN ('caller', 'complaint', 'criteria', 'vitals', 'result')),
    complaint       TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    onset           TEXT NOT NULL DEFAULT '',
    onset_at        BIGINT,
    sex             TEXT NOT NULL CHECK (sex IN ('female', 'male', 'unknown')),
    sex_source      TEXT NOT NULL CHECK (sex_source IN ('nid', 'asked', 'unknown')),
    caller_relation TEXT NOT NULL DEFAULT '',
    caller_phone    TEXT NOT NULL DEFAULT '',
    answers         JSON NOT NULL,
    level_proposed  TEXT CHECK (level_proposed IN ('akutt', 'haster', 'vanlig')),
    call_back       TEXT NOT NULL CHECK (call_back IN ('immediate', 'soon')),
    partial         JSON NOT NULL,
    CHECK (ended_at >= started_at),
    CHECK (call_back = 'immediate' OR level_proposed IS NULL OR level_proposed <> 'akutt')
);
CREATE INDEX dropped_calls_caller_phone ON dropped_calls (caller_phone, ended_at);
CREATE TRIGGER dropped_calls_immutable BEFORE UPDATE OR DELETE ON dropped_calls
    FOR EACH ROW EXECUTE FUNCTION triage_refuse_change();
CREATE TRIGGER dropped_calls_no_truncate BEFORE TRUNCATE ON dropped_calls
    FOR EACH STATEMENT EXECUTE FUNCTION triage_refuse_change();

-- 3. The call-back of a dropped call, once: marked done by a nurse (with
-- her note), or made by a new call started from it (new_encounter_id).
-- A dropped call with no row here waits for its call-back.
CREATE TABLE call_backs (
    encounter_id     BIGINT PRIMARY KEY REFERENCES dropped_calls (encounter_id),
    at               BIGINT NOT NULL,
    actor            TEXT NOT NULL,
    workstation      TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    new_encounter_id BIGINT REFERENCES encounters (id)
);
CREATE TRIGGER call_backs_immutable BEFORE UPDATE OR DELETE ON call_backs
    FOR EACH ROW EXECUTE FUNCTION triage_refuse_change();
CREATE TRIGGER call_backs_no_truncate BEFORE TRUNCATE ON call_backs
    FOR EACH STATEMENT EXECUTE FUNCTION triage_refuse_change();

-- Both are bound into the audit chain as calls are (schema 5).
CREATE TRIGGER dropped_calls_bind AFTER INSERT ON dropped_calls
    FOR EACH ROW EXECUTE FUNCTION triage_bind_call();
CREATE TRIGGER call_backs_bind AFTER INSERT ON call_backs
    FOR EACH ROW EXECUTE FUNCTION triage_bind_call();
