-- Schema 9 (team ecgaudit): the ECG records of schema 7 bound into the
-- audit chain like the clinical rows of schema 5. See
-- 009_ecg_audit.sqlite.sql.
CREATE TRIGGER ecgs_bind AFTER INSERT OR UPDATE ON ecgs
    FOR EACH ROW EXECUTE FUNCTION triage_bind_row();

-- ECGs written before schema 9 are bound once, by the store that applies
-- this migration, in one "audit.bind" entry.
INSERT INTO audit_pending SELECT 'migration-009', 'ecgs', id FROM ecgs;
