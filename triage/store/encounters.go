package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/ids"

	"github.com/legevakt/workstation/triage"
)

// Channel is how the patient reached the clinic.
type Channel string

// Channels.
const (
	WalkIn Channel = "walk_in" // came to reception
	Phone  Channel = "phone"   // called the legevakt telephone
)

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return c == WalkIn || c == Phone }

// Status is where an encounter stands.
type Status string

// Statuses, in the usual order of an encounter.
const (
	Waiting              Status = "waiting"
	InTriage             Status = "in_triage"
	WaitingForDoctor     Status = "waiting_for_doctor"
	WithDoctor           Status = "with_doctor"
	Done                 Status = "done"
	LeftWithoutBeingSeen Status = "left_without_being_seen"
)

// Statuses lists every status in order.
var Statuses = []Status{Waiting, InTriage, WaitingForDoctor, WithDoctor, Done, LeftWithoutBeingSeen}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// InQueue reports whether a patient with this status is waiting for a
// clinician and so belongs in the queue.
func (s Status) InQueue() bool { return s == Waiting || s == InTriage || s == WaitingForDoctor }

// queueStatuses is the SQL list of InQueue statuses.
const queueStatuses = "('waiting', 'in_triage', 'waiting_for_doctor')"

// queueOpen is the SQL condition of an encounter in the waiting queue: an
// InQueue status and an outcome that still waits (Outcome.InQueue).
const queueOpen = "e.status IN " + queueStatuses + " AND e.outcome IN ('waiting', 'expected')"

// Encounter is one visit or call.
type Encounter struct {
	ID        ids.Encounter
	PatientID ids.Patient
	Channel   Channel
	ArrivedAt time.Time
	Status    Status
	Complaint string // presenting complaint in the nurse's words

	// The current colour and target come from the latest assessment
	// (AddAssessment); Triaged is false before the first one.
	Triaged bool
	Colour  triage.Colour
	Target  time.Duration

	LastAssessedAt time.Time
	MonitorEvery   time.Duration // NEWS2 monitoring interval of the latest assessment
	NEWS2          *int
	NEWS2Band      string

	// Outcome is how a call ended for the queue (OutcomeWaiting until a
	// nurse hands it over, closes it or expects the patient), with the
	// nurse's note (e.g. the advice given); changed by SetOutcome.
	Outcome     Outcome
	OutcomeNote string

	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// NewEncounter is what CreateEncounter needs.
type NewEncounter struct {
	PatientID ids.Patient
	Channel   Channel
	ArrivedAt time.Time // zero means now
	Complaint string
}

const encounterCols = "id, patient_id, channel, arrived_at, status, complaint, colour, target_s, last_assessed_at, monitor_every_s, news2, news2_band, outcome, outcome_note, created_at, updated_at, version"

func scanEncounter(sc interface{ Scan(...any) error }) (Encounter, error) {
	var e Encounter
	var arrived, created, updated int64
	var colour, target, last, every, news2 sql.NullInt64
	var band sql.NullString
	if err := sc.Scan(&e.ID, &e.PatientID, &e.Channel, &arrived, &e.Status, &e.Complaint, &colour, &target, &last, &every, &news2, &band, &e.Outcome, &e.OutcomeNote, &created, &updated, &e.Version); err != nil {
		return Encounter{}, err
	}
	e.ArrivedAt, e.CreatedAt, e.UpdatedAt = fromMicros(arrived), fromMicros(created), fromMicros(updated)
	if colour.Valid {
		e.Triaged, e.Colour, e.Target = true, triage.Colour(colour.Int64), time.Duration(target.Int64)*time.Second
	}
	if last.Valid {
		e.LastAssessedAt = fromMicros(last.Int64)
	}
	e.MonitorEvery = time.Duration(every.Int64) * time.Second
	if news2.Valid {
		v := int(news2.Int64)
		e.NEWS2 = &v
	}
	e.NEWS2Band = band.String
	return e, nil
}

func (t *txn) encounter(ctx context.Context, id ids.Encounter) (Encounter, error) {
	e, err := scanEncounter(t.queryRow(ctx, "SELECT "+encounterCols+" FROM encounters WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Encounter{}, notFound("encounter", id)
	}
	if err != nil {
		return Encounter{}, fmt.Errorf("encounter %d: %w", id, err)
	}
	return e, nil
}

// CreateEncounter opens an encounter (status waiting) for a patient.
func (s *Store) CreateEncounter(ctx context.Context, a Actor, ne NewEncounter) (Encounter, error) {
	ne, err := ne.normalise()
	if err != nil {
		return Encounter{}, err
	}
	var out Encounter
	err = s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, channelPerm(ne.Channel), 0); err != nil {
			return err
		}
		e, err := t.createEncounter(ctx, ne)
		out = e
		return err
	})
	return out, err
}

// normalise checks the channel and trims and checks the complaint.
func (ne NewEncounter) normalise() (NewEncounter, error) {
	if !ne.Channel.Valid() {
		return NewEncounter{}, invalid("channel", "%q, want walk_in or phone", ne.Channel)
	}
	ne.Complaint = strings.TrimSpace(ne.Complaint)
	if err := checkText("complaint", ne.Complaint, maxText); err != nil {
		return NewEncounter{}, err
	}
	return ne, nil
}

// createEncounter inserts a normalised encounter (audited) inside t.
func (t *txn) createEncounter(ctx context.Context, ne NewEncounter) (Encounter, error) {
	p, err := t.patient(ctx, ne.PatientID)
	if err != nil {
		return Encounter{}, t.patientNotFound(ctx, err, "encounter.create", ne.PatientID)
	}
	if p.MergedInto != 0 {
		return Encounter{}, invalid("patient", "patient %d was merged into patient %d; use that one", p.ID, p.MergedInto)
	}
	arrived := ne.ArrivedAt
	if arrived.IsZero() {
		arrived = t.at
	}
	now := micros(t.at)
	var id ids.Encounter
	if err := t.queryRow(ctx, "INSERT INTO encounters (patient_id, channel, arrived_at, status, complaint, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		ne.PatientID, string(ne.Channel), micros(arrived), string(Waiting), ne.Complaint, now, now).Scan(&id); err != nil {
		return Encounter{}, fmt.Errorf("create encounter: %w", err)
	}
	if err := t.auditEncounter(ctx, "encounter.create", id, ne.PatientID, "channel="+string(ne.Channel)); err != nil {
		return Encounter{}, err
	}
	t.changed("encounter", id)
	if err := t.enqueueEncounter(ctx, ne.PatientID, id); err != nil {
		return Encounter{}, err
	}
	return t.encounter(ctx, id)
}

// GetEncounter reads one encounter (audited).
func (s *Store) GetEncounter(ctx context.Context, a Actor, id ids.Encounter) (Encounter, error) {
	var out Encounter
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermReadClinical, id); err != nil {
			return err
		}
		e, err := t.encounter(ctx, id)
		if aerr := t.auditEncounter(ctx, "encounter.read", id, e.PatientID, outcome(err)); aerr != nil {
			return aerr
		}
		out = e
		return err
	})
	return keep(out, err)
}

// UpdateEncounter stores the status and complaint of e. e.Version must be
// the version that was read; if someone changed the encounter since, the
// result is *ConflictError holding the current encounter and nothing is
// written. Colour and target change only through AddAssessment.
func (s *Store) UpdateEncounter(ctx context.Context, a Actor, e Encounter) (Encounter, error) {
	if !e.Status.Valid() {
		return Encounter{}, invalid("status", "%q, want one of waiting, in_triage, waiting_for_doctor, with_doctor, done, left_without_being_seen", e.Status)
	}
	complaint := strings.TrimSpace(e.Complaint)
	if err := checkText("complaint", complaint, maxText); err != nil {
		return Encounter{}, err
	}
	var out Encounter
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermWriteClinical, e.ID); err != nil {
			return err
		}
		// The status it had is kept in the entry ("from="): need-to-know
		// reads it to see that a contact moved out of the actor's own
		// queue (sent home, in to the doctor) was the service's own work.
		var from string
		if err := t.queryRow(ctx, "SELECT status FROM encounters WHERE id = ?", e.ID).Scan(&from); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("update encounter %d: %w", e.ID, err)
		}
		res, err := t.exec(ctx, "UPDATE encounters SET status = ?, complaint = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
			string(e.Status), complaint, micros(t.at), e.ID, e.Version)
		if err != nil {
			return fmt.Errorf("update encounter %d: %w", e.ID, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("update encounter %d: %w", e.ID, err)
		}
		cur, cerr := t.encounter(ctx, e.ID)
		if n == 0 {
			if cerr != nil {
				if aerr := t.auditEncounter(ctx, "encounter.update", e.ID, 0, "not found"); aerr != nil {
					return aerr
				}
				return cerr
			}
			if aerr := t.auditEncounter(ctx, "encounter.update", e.ID, cur.PatientID, "conflict"); aerr != nil {
				return aerr
			}
			return &ConflictError{Entity: "encounter", ID: int64(e.ID), Expected: e.Version, Actual: cur.Version, Current: cur}
		}
		if cerr != nil {
			return cerr
		}
		if err := t.auditEncounter(ctx, "encounter.update", e.ID, cur.PatientID, "status="+string(e.Status)+" from="+from); err != nil {
			return err
		}
		t.changed("encounter", e.ID)
		if err := t.enqueueEncounter(ctx, cur.PatientID, e.ID); err != nil {
			return err
		}
		out = cur
		return nil
	})
	return out, err
}

// EncountersForPatient lists a patient's encounters, newest first (audited).
func (s *Store) EncountersForPatient(ctx context.Context, a Actor, patientID ids.Patient) ([]Encounter, error) {
	var out []Encounter
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requirePatient(ctx, PermReadClinical, patientID); err != nil {
			return err
		}
		if _, err := t.patient(ctx, patientID); err != nil {
			if aerr := t.auditPatient(ctx, "encounter.list", patientID, 0, "not found"); aerr != nil {
				return aerr
			}
			return err
		}
		rows, err := t.query(ctx, "SELECT "+encounterCols+" FROM encounters WHERE patient_id = ? ORDER BY arrived_at DESC, id DESC", patientID)
		if err != nil {
			return fmt.Errorf("encounters of patient %d: %w", patientID, err)
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEncounter(rows)
			if err != nil {
				return fmt.Errorf("encounters of patient %d: %w", patientID, err)
			}
			out = append(out, e)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("encounters of patient %d: %w", patientID, err)
		}
		return t.auditPatient(ctx, "encounter.list", patientID, patientID, fmt.Sprintf("count=%d", len(out)))
	})
	return keep(out, err)
}
