-- Schema 2: encounter events, e.g. a nurse acknowledging a deterioration
-- alert. Append-only like assessments: a correction is a new event.
CREATE TABLE encounter_events (
    id           INTEGER PRIMARY KEY,
    encounter_id INTEGER NOT NULL REFERENCES encounters (id),
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    workstation  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    ref          TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX encounter_events_encounter ON encounter_events (encounter_id, at);
CREATE TRIGGER encounter_events_immutable_update BEFORE UPDATE ON encounter_events
BEGIN SELECT RAISE(ABORT, 'encounter events are append-only'); END;
CREATE TRIGGER encounter_events_immutable_delete BEFORE DELETE ON encounter_events
BEGIN SELECT RAISE(ABORT, 'encounter events are append-only'); END;
