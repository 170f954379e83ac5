package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/legevakt/workstation/triage/ids"
	"math"
	"strings"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
)

// obsBatch rows go into one INSERT statement (9 parameters each, well
// under both backends' parameter limits).
const obsBatch = 500

func checkObservation(i int, o vitals.Observation) error {
	field := fmt.Sprintf("observation %d", i)
	switch {
	case !o.Kind.Valid():
		return invalid(field, "kind %q is not a known vital kind", o.Kind)
	case math.IsNaN(o.Value) || math.IsInf(o.Value, 0):
		return invalid(field, "value is not a finite number")
	case o.HostTime.IsZero():
		return invalid(field, "host time is missing")
	case strings.TrimSpace(o.Source) == "":
		return invalid(field, "source is empty; want a device id, manual, phone or ecg")
	case o.Quality > vitals.Demo:
		return invalid(field, "quality %d, want valid, questionable, invalid or demo", o.Quality)
	case o.Unit == "":
		return invalid(field, "unit is empty")
	}
	if err := checkText(field+" source", o.Source, 100); err != nil {
		return err
	}
	return checkText(field+" unit", string(o.Unit), 20)
}

// AddObservations stores a batch of observations for an encounter in one
// transaction, all or nothing, with one audit entry for the batch. Times
// are kept to the microsecond.
func (s *Store) AddObservations(ctx context.Context, a Actor, encounterID ids.Encounter, obs []vitals.Observation) error {
	if err := checkObservations(obs); err != nil {
		return err
	}
	if len(obs) == 0 {
		return nil
	}
	return s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermWriteClinical, encounterID); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, encounterID)
		if err != nil {
			return t.encounterNotFound(ctx, err, "observations.add", encounterID)
		}
		return t.addObservations(ctx, enc, obs)
	})
}

// BatchIDMax is the longest batch id AddObservationBatch takes.
const BatchIDMax = 64

// checkBatchID accepts 16 to BatchIDMax letters, digits, '-' and '_': an id
// the writer drew at random (the recorder's are 32 hex digits), never data.
func checkBatchID(id string) error {
	if len(id) < 16 || len(id) > BatchIDMax {
		return invalid("batch id", "%d characters, want 16 to %d", len(id), BatchIDMax)
	}
	for i, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return invalid("batch id", "character %d is not a letter, digit, '-' or '_'", i)
		}
	}
	return nil
}

// AddObservationBatch is AddObservations exactly once per batch id: the id
// is recorded in the same transaction as the observations (and their
// outbox message), so a batch written again after a crash between the
// commit and the writer forgetting it, or after a lost answer to the
// commit, is a successful no-op instead of a second copy in the database
// and in the patient record. The writer draws the id when it forms the
// batch, before the first attempt, and keeps it with the batch. The access
// check is AddObservations'; a repeat is audited (observations.add,
// "count=0 repeated=N") and changes nothing. An id already applied to
// another encounter is ErrInvalid.
func (s *Store) AddObservationBatch(ctx context.Context, a Actor, encounterID ids.Encounter, batchID string, obs []vitals.Observation) error {
	if err := checkBatchID(batchID); err != nil {
		return err
	}
	if err := checkObservations(obs); err != nil {
		return err
	}
	if len(obs) == 0 {
		return nil
	}
	return s.doAppend(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermWriteClinical, encounterID); err != nil {
			return err
		}
		// The encounter's lock first: a repeat of this batch (same id,
		// same encounter) waits here and then finds the id below.
		if err := t.lockEncounter(ctx, encounterID); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, encounterID)
		if err != nil {
			return t.encounterNotFound(ctx, err, "observations.add", encounterID)
		}
		// Appends to this encounter run one at a time (its row lock on
		// PostgreSQL, BEGIN IMMEDIATE on SQLite), so the look-up and the
		// insert below cannot interleave with another write of the
		// batch; the primary key refuses a second row regardless.
		var applied sql.Null[ids.Encounter]
		err = t.queryRow(ctx, "SELECT encounter_id FROM observation_batches WHERE batch_id = ?", batchID).Scan(&applied)
		switch {
		case err == nil && applied.V != enc.ID:
			return invalid("batch id", "already applied to another encounter")
		case err == nil:
			return t.auditEncounter(ctx, "observations.add", enc.ID, enc.PatientID, fmt.Sprintf("count=0 repeated=%d", len(obs)))
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("adding observations to encounter %d: batch look-up: %w", enc.ID, err)
		}
		if _, err := t.exec(ctx, "INSERT INTO observation_batches (batch_id, encounter_id, count, applied_at) VALUES (?, ?, ?, ?)",
			batchID, enc.ID, len(obs), micros(t.at)); err != nil {
			return fmt.Errorf("adding observations to encounter %d: batch id: %w", enc.ID, err)
		}
		return t.addObservations(ctx, enc, obs)
	})
}

// checkObservations checks every observation of a batch.
func checkObservations(obs []vitals.Observation) error {
	for i, o := range obs {
		if err := checkObservation(i, o); err != nil {
			return err
		}
	}
	return nil
}

// addObservations inserts checked observations of enc (audited as one
// batch) inside t.
func (t *txn) addObservations(ctx context.Context, enc Encounter, obs []vitals.Observation) error {
	if err := t.insertObservations(ctx, enc.ID, obs); err != nil {
		return err
	}
	if err := t.auditEncounter(ctx, "observations.add", enc.ID, enc.PatientID, fmt.Sprintf("count=%d", len(obs))); err != nil {
		return err
	}
	kind := ChangeObservationsManual
	for _, o := range obs {
		if o.Source != vitals.SourceManual && o.Source != vitals.SourcePhone {
			kind = ChangeObservations
			break
		}
	}
	t.changed(kind, enc.ID)
	return nil
}

func (t *txn) insertObservations(ctx context.Context, encounterID ids.Encounter, obs []vitals.Observation) error {
	// The batch is queued for the record in the same transaction. Its
	// ids are the encounter's ones above the largest before the insert:
	// appends to one encounter run one at a time (SQLite's BEGIN
	// IMMEDIATE; on PostgreSQL the encounter's row lock, which every
	// append takes, also a doAppend that holds no writers' lock).
	if err := t.lockEncounter(ctx, encounterID); err != nil {
		return err
	}
	dests, err := t.outboxRoutes(ctx, OutboxObservations)
	if err != nil {
		return err
	}
	var before int64
	if len(dests) > 0 {
		if err := t.queryRow(ctx, "SELECT COALESCE(max(id), 0) FROM observations").Scan(&before); err != nil {
			return fmt.Errorf("adding observations to encounter %d: %w", encounterID, err)
		}
	}
	if err := t.insertObservationRows(ctx, encounterID, obs); err != nil {
		return err
	}
	if len(dests) == 0 {
		return nil
	}
	var first, last int64
	var patientID ids.Patient
	if err := t.queryRow(ctx, "SELECT COALESCE(min(id), 0), COALESCE(max(id), 0) FROM observations WHERE encounter_id = ? AND id > ?", encounterID, before).Scan(&first, &last); err != nil {
		return fmt.Errorf("adding observations to encounter %d: %w", encounterID, err)
	}
	if err := t.queryRow(ctx, "SELECT patient_id FROM encounters WHERE id = ?", encounterID).Scan(&patientID); err != nil {
		return fmt.Errorf("adding observations to encounter %d: %w", encounterID, err)
	}
	return t.enqueueTo(ctx, dests, OutboxObservations, patientID, encounterID, first, last)
}

func (t *txn) insertObservationRows(ctx context.Context, encounterID ids.Encounter, obs []vitals.Observation) error {
	for start := 0; start < len(obs); start += obsBatch {
		end := min(start+obsBatch, len(obs))
		var b strings.Builder
		b.WriteString("INSERT INTO observations (encounter_id, kind, value, unit, source, device_time, host_time, quality) VALUES ")
		args := make([]any, 0, (end-start)*8)
		for i, o := range obs[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
			var dev any
			if !o.DeviceTime.IsZero() {
				dev = micros(o.DeviceTime)
			}
			args = append(args, encounterID, string(o.Kind), o.Value, string(o.Unit), o.Source, dev, micros(o.HostTime), int(o.Quality))
		}
		if _, err := t.exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("adding observations to encounter %d: %w", encounterID, err)
		}
	}
	return nil
}

// Observations lists an encounter's observations with host time at or
// after since, oldest first (audited).
func (s *Store) Observations(ctx context.Context, a Actor, encounterID ids.Encounter, since time.Time) ([]vitals.Observation, error) {
	var out []vitals.Observation
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermReadClinical, encounterID); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, encounterID)
		if err != nil {
			if aerr := t.auditEncounter(ctx, "observations.read", encounterID, 0, "not found"); aerr != nil {
				return aerr
			}
			return err
		}
		rows, err := t.query(ctx, `SELECT kind, value, unit, source, device_time, host_time, quality FROM observations
			WHERE encounter_id = ? AND host_time >= ? ORDER BY host_time, id`, encounterID, micros(since))
		if err != nil {
			return fmt.Errorf("observations of encounter %d: %w", encounterID, err)
		}
		defer rows.Close()
		for rows.Next() {
			var o vitals.Observation
			var dev sql.NullInt64
			var host int64
			var q int
			if err := rows.Scan(&o.Kind, &o.Value, &o.Unit, &o.Source, &dev, &host, &q); err != nil {
				return fmt.Errorf("observations of encounter %d: %w", encounterID, err)
			}
			if dev.Valid {
				o.DeviceTime = fromMicros(dev.Int64)
			}
			o.HostTime, o.Quality = fromMicros(host), vitals.Quality(q)
			out = append(out, o)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("observations of encounter %d: %w", encounterID, err)
		}
		return t.auditEncounter(ctx, "observations.read", encounterID, enc.PatientID, fmt.Sprintf("count=%d", len(out)))
	})
	return keep(out, err)
}
