-- Schema 7 (team ecg12): resting 12-lead ECGs attached to a contact, their
-- review and signature. See 007_ecg.sqlite.sql.
CREATE TABLE ecgs (
    id             BIGSERIAL PRIMARY KEY,
    encounter_id   BIGINT NOT NULL REFERENCES encounters (id),
    patient_id     BIGINT NOT NULL REFERENCES patients (id),
    attached_at    BIGINT NOT NULL,
    attached_by    TEXT NOT NULL,
    workstation    TEXT NOT NULL,
    format         TEXT NOT NULL,
    source_name    TEXT NOT NULL DEFAULT '',
    acquired_at    BIGINT,
    sha256         TEXT NOT NULL,
    data           BYTEA NOT NULL,
    summary        JSON NOT NULL,
    status         TEXT NOT NULL DEFAULT 'unconfirmed' CHECK (status IN ('unconfirmed', 'signed')),
    interpretation TEXT NOT NULL DEFAULT '',
    findings       JSON NOT NULL DEFAULT '[]',
    stemi          INTEGER NOT NULL DEFAULT 0 CHECK (stemi IN (0, 1)),
    signed_by      TEXT,
    signed_at      BIGINT
);
CREATE INDEX ecgs_review ON ecgs (status, attached_at);
CREATE INDEX ecgs_encounter ON ecgs (encounter_id);
CREATE FUNCTION ecgs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ECGs are never deleted';
    END IF;
    IF OLD.status = 'signed' THEN
        RAISE EXCEPTION 'a signed ECG is immutable';
    END IF;
    IF NEW.data IS DISTINCT FROM OLD.data OR NEW.sha256 IS DISTINCT FROM OLD.sha256 OR NEW.format IS DISTINCT FROM OLD.format
       OR NEW.encounter_id IS DISTINCT FROM OLD.encounter_id OR NEW.patient_id IS DISTINCT FROM OLD.patient_id
       OR NEW.attached_at IS DISTINCT FROM OLD.attached_at OR NEW.attached_by IS DISTINCT FROM OLD.attached_by THEN
        RAISE EXCEPTION 'the attached ECG file is immutable';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER ecgs_guard BEFORE UPDATE OR DELETE ON ecgs
    FOR EACH ROW EXECUTE FUNCTION ecgs_guard();
CREATE TRIGGER ecgs_no_truncate BEFORE TRUNCATE ON ecgs
    FOR EACH STATEMENT EXECUTE FUNCTION triage_refuse_change();
