-- Schema 3 (kept in step with PostgreSQL's, which adds TRUNCATE triggers):
-- SQLite has no TRUNCATE, and its whole-table DELETE shortcut is off for
-- tables with triggers, so the row triggers of schemas 1 and 2 already
-- refuse emptying the append-only tables. Nothing to change.
SELECT 1;
