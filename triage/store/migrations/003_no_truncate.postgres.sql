-- Schema 3: TRUNCATE bypasses row triggers, so the append-only tables
-- (assessments, encounter events, the audit log) refuse it too, with
-- statement-level triggers. Found in review: a TRUNCATE emptied
-- assessments and events without a trace (the audit chain would catch its
-- own truncation, the other two tables nothing).
CREATE TRIGGER assessments_no_truncate BEFORE TRUNCATE ON assessments
    FOR EACH STATEMENT EXECUTE FUNCTION triage_refuse_change();
CREATE TRIGGER encounter_events_no_truncate BEFORE TRUNCATE ON encounter_events
    FOR EACH STATEMENT EXECUTE FUNCTION triage_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION triage_refuse_change();
