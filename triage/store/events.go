package store

import (
	"context"
	"fmt"
	"github.com/legevakt/workstation/triage/ids"
	"regexp"
	"time"
)

// Event kinds the front ends record. Kind is open (any name matching
// kindPattern) so a new kind needs no schema change.
const (
	// EventDeteriorationAck: a nurse acknowledged a deterioration alert;
	// Ref is the alert id.
	EventDeteriorationAck = "deterioration.ack"
)

// Event is an append-only note on an encounter: who did what, when, about
// which alert or item (Ref), with an optional free-text note.
type Event struct {
	ID          int64
	EncounterID ids.Encounter
	At          time.Time
	Actor       Actor
	Kind        string
	Ref         string
	Note        string
}

// NewEvent is what AddEvent needs.
type NewEvent struct {
	EncounterID ids.Encounter
	At          time.Time // when it happened; zero means now
	Kind        string    // e.g. EventDeteriorationAck
	Ref         string    // e.g. the alert id
	Note        string
}

var kindPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

// AddEvent records an event on an encounter (audited).
func (s *Store) AddEvent(ctx context.Context, a Actor, ne NewEvent) (Event, error) {
	if err := ne.check(); err != nil {
		return Event{}, err
	}
	var out Event
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermWriteClinical, ne.EncounterID); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, ne.EncounterID)
		if err != nil {
			return t.encounterNotFound(ctx, err, "event.create", ne.EncounterID)
		}
		out, err = t.addEvent(ctx, enc, ne)
		return err
	})
	return out, err
}

// check validates an event before any transaction begins.
func (ne NewEvent) check() error {
	if len(ne.Kind) > 64 || !kindPattern.MatchString(ne.Kind) {
		return invalid("kind", "%q, want lower-case dotted words such as %q (at most 64 characters)", ne.Kind, EventDeteriorationAck)
	}
	if err := checkText("ref", ne.Ref, 200); err != nil {
		return err
	}
	return checkText("note", ne.Note, maxText)
}

// addEvent inserts a checked event on enc (audited) inside t.
func (t *txn) addEvent(ctx context.Context, enc Encounter, ne NewEvent) (Event, error) {
	at := ne.At
	if at.IsZero() {
		at = t.at
	}
	a := t.actor
	ev := Event{EncounterID: enc.ID, At: fromMicros(micros(at)), Actor: a, Kind: ne.Kind, Ref: ne.Ref, Note: ne.Note}
	if err := t.queryRow(ctx, "INSERT INTO encounter_events (encounter_id, at, actor, workstation, kind, ref, note) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		ev.EncounterID, micros(ev.At), a.User, a.Workstation, ev.Kind, ev.Ref, ev.Note).Scan(&ev.ID); err != nil {
		return Event{}, fmt.Errorf("add event to encounter %d: %w", enc.ID, err)
	}
	if err := t.audit(ctx, "event.create", "event", ev.ID, enc.PatientID, "kind="+ev.Kind); err != nil {
		return Event{}, err
	}
	t.changed("event", ev.EncounterID)
	return ev, nil
}

// Events lists an encounter's events, oldest first (audited).
func (s *Store) Events(ctx context.Context, a Actor, encounterID ids.Encounter) ([]Event, error) {
	var out []Event
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermReadClinical, encounterID); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, encounterID)
		if err != nil {
			if aerr := t.auditEncounter(ctx, "event.list", encounterID, 0, "not found"); aerr != nil {
				return aerr
			}
			return err
		}
		rows, err := t.query(ctx, "SELECT id, encounter_id, at, actor, workstation, kind, ref, note FROM encounter_events WHERE encounter_id = ? ORDER BY at, id", encounterID)
		if err != nil {
			return fmt.Errorf("events of encounter %d: %w", encounterID, err)
		}
		defer rows.Close()
		for rows.Next() {
			var ev Event
			var at int64
			if err := rows.Scan(&ev.ID, &ev.EncounterID, &at, &ev.Actor.User, &ev.Actor.Workstation, &ev.Kind, &ev.Ref, &ev.Note); err != nil {
				return fmt.Errorf("events of encounter %d: %w", encounterID, err)
			}
			ev.At = fromMicros(at)
			out = append(out, ev)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("events of encounter %d: %w", encounterID, err)
		}
		return t.auditEncounter(ctx, "event.list", encounterID, enc.PatientID, fmt.Sprintf("count=%d", len(out)))
	})
	return keep(out, err)
}
