-- Schema 6: the outbox to the patient record (docs/records.md). What must
-- reach a record system is queued here in the same transaction as the
-- clinical write; senders (records/outbox) claim messages with a lease,
-- deliver them in order per patient and mark them sent, so a crash between
-- send and commit resends (the receiver's conditional create makes that
-- harmless) and nothing is lost.

-- Which destinations take which kinds of message. A write queues one
-- message per destination routed for its kind; with no routes nothing is
-- queued (a destination added later gets the history by bulk export).
CREATE TABLE outbox_routes (
    destination TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('patient', 'encounter', 'assessment', 'observations')),
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (destination, kind)
);

CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    destination  TEXT NOT NULL,
    -- patient_id orders delivery: one patient's messages go one at a time,
    -- oldest first.
    patient_id   INTEGER NOT NULL REFERENCES patients (id),
    encounter_id INTEGER REFERENCES encounters (id),
    kind         TEXT NOT NULL CHECK (kind IN ('patient', 'encounter', 'assessment', 'observations')),
    -- What the message carries: the patient, encounter or assessment id
    -- (ref_from = ref_to), or the observation ids ref_from..ref_to of
    -- encounter_id.
    ref_from     INTEGER NOT NULL,
    ref_to       INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    state        TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'sent', 'parked')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,
    lease_owner  TEXT,
    lease_until  INTEGER,
    reason       TEXT NOT NULL DEFAULT '',
    sent_at      INTEGER,
    CHECK (ref_from <= ref_to)
);
CREATE INDEX outbox_open ON outbox (destination, patient_id, id) WHERE state <> 'sent';
CREATE INDEX outbox_encounter ON outbox (encounter_id, kind, id);

-- The identifier namespace of this database's records: identifiers sent
-- to a record system carry it, so two clinics' encounter 17 never meet.
INSERT INTO triage_meta (key, value) VALUES ('records.instance', lower(hex(randomblob(8))));
