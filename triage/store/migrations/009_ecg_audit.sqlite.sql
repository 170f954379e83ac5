-- Schema 9 (team ecgaudit): the ECG records of schema 7 (the cart's file,
-- the measurements, the physician's interpretation, findings and
-- signature) bound into the audit chain like the clinical rows of schema
-- 5: triggers note each ECG row a store transaction writes under its
-- token, and the store hashes it into audit_rows under the entry that
-- recorded the write ("ecg.attach", "ecg.sign"). See docs/security.md.
CREATE TRIGGER ecgs_bind_insert AFTER INSERT ON ecgs
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'ecgs', NEW.id); END;
CREATE TRIGGER ecgs_bind_update AFTER UPDATE ON ecgs
BEGIN INSERT OR IGNORE INTO audit_pending VALUES ((SELECT token FROM audit_txn WHERE id = 1), 'ecgs', NEW.id); END;

-- ECGs written before schema 9 are bound once, by the store that applies
-- this migration, in one "audit.bind" entry.
INSERT INTO audit_pending SELECT 'migration-009', 'ecgs', id FROM ecgs;
