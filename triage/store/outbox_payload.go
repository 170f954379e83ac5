package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/legevakt/workstation/triage/ids"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
)

// StoredObservation is an observation with its row id, which identifies
// it in a record system.
type StoredObservation struct {
	ID          int64
	EncounterID ids.Encounter
	vitals.Observation
}

// OutboxPayload is what one outbox message sends, read in one transaction.
type OutboxPayload struct {
	Message OutboxMessage
	Patient Patient
	// MergedInto is the patient Patient was merged into, when it was.
	MergedInto *Patient
	// Encounter is the message's encounter (nil for a patient message).
	Encounter *Encounter
	// Assessment for an assessment message.
	Assessment *Assessment
	// Observations of an observations message, by id.
	Observations []StoredObservation
}

// OutboxPayload reads what message m sends: the patient as it is now
// (the one it was merged into too), the encounter, and the assessment or
// the batch of observations. Audited as one read.
func (s *Store) OutboxPayload(ctx context.Context, a Actor, m OutboxMessage) (OutboxPayload, error) {
	out := OutboxPayload{Message: m}
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireAny(ctx, PermReadClinical, PermOutboxSend, "outbox", m.ID); err != nil {
			return err
		}
		var err error
		if !t.actor.Role.Can(PermReadClinical) && t.enforcing() && !t.actor.system {
			// The record sender reads only what it holds a lease on,
			// as the outbox has it (not as the caller says).
			if m, err = t.leasedOutbox(ctx, m.ID); err != nil {
				return err
			}
			out.Message = m
		} else if t.enforcing() && !t.actor.system {
			// A clinician reads the message as the outbox has it too: a
			// message made up by the caller (one patient's id with
			// another's encounter) would pass need-to-know on the one
			// and read the other.
			if m, err = t.outboxMessage(ctx, m.ID); err != nil {
				return err
			}
			out.Message = m
		}
		pid := m.PatientID
		if m.Kind == OutboxPatient {
			pid = ids.Patient(m.RefFrom) // a merge queues the merged patient under the one it went into
		}
		if m.EncounterID != 0 {
			enc, err := t.encounter(ctx, m.EncounterID)
			if err != nil {
				return err
			}
			out.Encounter = &enc
			pid = enc.PatientID // the encounter may have moved with a merge
		}
		if out.Patient, err = t.patient(ctx, pid); err != nil {
			return err
		}
		if out.Patient.MergedInto != 0 {
			into, err := t.patient(ctx, out.Patient.MergedInto)
			if err != nil {
				return err
			}
			out.MergedInto = &into
		}
		switch m.Kind {
		case OutboxAssessment:
			as, err := t.assessment(ctx, m.RefFrom)
			if err != nil {
				return err
			}
			out.Assessment = &as
		case OutboxObservations:
			if out.Observations, err = t.observationRange(ctx, m.EncounterID, m.RefFrom, m.RefTo); err != nil {
				return err
			}
		}
		return t.audit(ctx, "record.read", "outbox", m.ID, out.Patient.ID, "destination="+m.Destination+" kind="+string(m.Kind))
	})
	return out, err
}

func (t *txn) assessment(ctx context.Context, id int64) (Assessment, error) {
	as, err := scanAssessment(t.queryRow(ctx, "SELECT "+assessmentCols+" FROM assessments WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Assessment{}, notFound("assessment", id)
	}
	if err != nil {
		return Assessment{}, fmt.Errorf("assessment %d: %w", id, err)
	}
	return as, nil
}

const storedObsCols = "id, encounter_id, kind, value, unit, source, device_time, host_time, quality"

func scanStoredObservation(sc interface{ Scan(...any) error }) (StoredObservation, error) {
	var o StoredObservation
	var dev sql.NullInt64
	var host int64
	var q int
	if err := sc.Scan(&o.ID, &o.EncounterID, &o.Kind, &o.Value, &o.Unit, &o.Source, &dev, &host, &q); err != nil {
		return StoredObservation{}, err
	}
	if dev.Valid {
		o.DeviceTime = fromMicros(dev.Int64)
	}
	o.HostTime, o.Quality = fromMicros(host), vitals.Quality(q)
	return o, nil
}

func (t *txn) observationRange(ctx context.Context, encounterID ids.Encounter, from, to int64) ([]StoredObservation, error) {
	rows, err := t.query(ctx, "SELECT "+storedObsCols+" FROM observations WHERE encounter_id = ? AND id BETWEEN ? AND ? ORDER BY id", encounterID, from, to)
	if err != nil {
		return nil, fmt.Errorf("observations %d-%d of encounter %d: %w", from, to, encounterID, err)
	}
	defer rows.Close()
	var out []StoredObservation
	for rows.Next() {
		o, err := scanStoredObservation(rows)
		if err != nil {
			return nil, fmt.Errorf("observations of encounter %d: %w", encounterID, err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ObservationKey names a stored observation by what an assessment keeps
// of the values it used: kind, source and host time.
type ObservationKey struct {
	Kind     vitals.Kind
	Source   string
	HostTime time.Time
}

// FindObservations returns, for each key, the stored observation of the
// encounter with that kind, source and host time (to the microsecond), so
// that a NEWS2 result can point at the vitals it was derived from; keys
// without a stored observation are left out. Audited.
func (s *Store) FindObservations(ctx context.Context, a Actor, encounterID ids.Encounter, keys []ObservationKey) (map[ObservationKey]StoredObservation, error) {
	out := map[ObservationKey]StoredObservation{}
	if len(keys) == 0 {
		return out, nil
	}
	if len(keys) > 100 {
		return nil, invalid("keys", "%d, at most 100", len(keys))
	}
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermReadClinical, encounterID); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, encounterID)
		if err != nil {
			return t.encounterNotFound(ctx, err, "observations.find", encounterID)
		}
		if err := t.findObservations(ctx, encounterID, keys, out); err != nil {
			return err
		}
		return t.auditEncounter(ctx, "observations.find", encounterID, enc.PatientID, fmt.Sprintf("count=%d", len(out)))
	})
	return out, err
}

// leasedOutbox reads outbox message id for the record sender: it must be
// waiting and leased (ErrLeaseLost otherwise), so the sender's identity
// reads nothing but what it is delivering now.
func (t *txn) leasedOutbox(ctx context.Context, id int64) (OutboxMessage, error) {
	m, err := t.outboxMessage(ctx, id)
	if err != nil {
		return m, err
	}
	if m.State != OutboxWaiting || m.LeaseOwner == "" || !m.LeaseUntil.After(t.at) {
		return m, fmt.Errorf("outbox message %d is %s and not leased: %w", id, m.State, ErrLeaseLost)
	}
	return m, nil
}

// outboxMessage reads message id as the outbox has it.
func (t *txn) outboxMessage(ctx context.Context, id int64) (OutboxMessage, error) {
	m, err := scanOutbox(t.queryRow(ctx, "SELECT "+outboxCols+" FROM outbox WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, notFound("outbox message", id)
	}
	if err != nil {
		return m, fmt.Errorf("outbox message %d: %w", id, err)
	}
	return m, nil
}

// OutboxFindObservations is FindObservations for the record sender: the
// observations of the encounter of outbox message m (leased, waiting)
// that its NEWS2 result was derived from. Audited.
func (s *Store) OutboxFindObservations(ctx context.Context, a Actor, m OutboxMessage, keys []ObservationKey) (map[ObservationKey]StoredObservation, error) {
	if len(keys) > 100 {
		return nil, invalid("keys", "%d, at most 100", len(keys))
	}
	out := map[ObservationKey]StoredObservation{}
	if len(keys) == 0 {
		return out, nil
	}
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermOutboxSend, "outbox", m.ID); err != nil {
			return err
		}
		lm, err := t.leasedOutbox(ctx, m.ID)
		if err != nil {
			return err
		}
		if err := t.findObservations(ctx, lm.EncounterID, keys, out); err != nil {
			return err
		}
		return t.audit(ctx, "record.find", "outbox", lm.ID, lm.PatientID, fmt.Sprintf("encounter=%d count=%d", lm.EncounterID, len(out)))
	})
	return out, err
}

// findObservations adds to out the observations of encounterID with the
// given keys (the first stored one per key).
func (t *txn) findObservations(ctx context.Context, encounterID ids.Encounter, keys []ObservationKey, out map[ObservationKey]StoredObservation) error {
	conds := make([]string, 0, len(keys))
	args := []any{encounterID}
	for _, k := range keys {
		conds = append(conds, "(kind = ? AND source = ? AND host_time = ?)")
		args = append(args, string(k.Kind), k.Source, micros(k.HostTime))
	}
	rows, err := t.query(ctx, "SELECT "+storedObsCols+" FROM observations WHERE encounter_id = ? AND ("+strings.Join(conds, " OR ")+") ORDER BY id", args...)
	if err != nil {
		return fmt.Errorf("observations of encounter %d: %w", encounterID, err)
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanStoredObservation(rows)
		if err != nil {
			return fmt.Errorf("observations of encounter %d: %w", encounterID, err)
		}
		k := ObservationKey{Kind: o.Kind, Source: o.Source, HostTime: o.HostTime}
		if _, dup := out[k]; !dup {
			out[k] = o
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("observations of encounter %d: %w", encounterID, err)
	}
	return nil
}
