package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/legevakt/workstation/triage/ids"
)

// ExportVisitor receives the rows of an export, each kind in id order:
// first every patient, then encounters, assessments, observations. A nil
// function skips that kind (and its query).
type ExportVisitor struct {
	Patient     func(Patient) error
	Encounter   func(Encounter) error
	Assessment  func(Assessment) error
	Observation func(StoredObservation) error
}

// ExportCounts says how many rows an export gave.
type ExportCounts struct {
	Patients, Encounters, Assessments, Observations int
}

// exportAuditChunk is how many patients one records.export entry names:
// a year's export names a quarter of a million patients, and the access
// log reads every export entry's list (listsAny), so the list is split
// into entries of a bounded size rather than written as one.
const exportAuditChunk = 1000

// Export streams the encounters that arrived in [from, to), their
// patients, assessments and observations to v, for bulk export.
//
// Bulk export is the integration role's duty (PermExport,
// docs/records.md "Who may export"): no other role may, since a range of
// arrival times is no clinician's need-to-know; a refusal is an
// ErrForbidden and is audited. An export is a read of each exported
// patient's record: before any row reaches v, the patients of the range
// are named in records.export entries (detail "... patients=1,2,3", at
// most exportAuditChunk per entry), committed, so each counts in the
// patient's access log. A patient the range gains while the rows stream
// (a contact registered, or moved by a merge, after those entries) is
// named in an entry of its own before its first row reaches v. The rows
// are read with plain queries outside a write transaction, so a long
// export does not hold up the workstations.
func (s *Store) Export(ctx context.Context, a Actor, from, to time.Time, v ExportVisitor) (ExportCounts, error) {
	var n ExportCounts
	if !from.Before(to) {
		return n, invalid("range", "from %s is not before to %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	lo, hi := micros(from), micros(to)
	var first []ids.Patient
	if err := s.doRead(ctx, a, func(t *txn) error {
		if err := t.require(ctx, PermExport, "export", 0); err != nil {
			return err
		}
		var err error
		if first, err = t.exportPatients(ctx, lo, hi); err != nil {
			return err
		}
		return t.auditExport(ctx, lo, hi, first)
	}); err != nil {
		return n, err
	}
	named := make(map[ids.Patient]bool, len(first))
	for _, p := range first {
		named[p] = true
	}
	name := func(p ids.Patient) error {
		if named[p] {
			return nil
		}
		if err := s.doRead(ctx, a, func(t *txn) error { return t.auditExport(ctx, lo, hi, []ids.Patient{p}) }); err != nil {
			return fmt.Errorf("export: naming patient %d: %w", p, err)
		}
		named[p] = true
		return nil
	}
	encs := "SELECT id FROM encounters WHERE arrived_at >= ? AND arrived_at < ?"
	each := func(query string, scan func(*sql.Rows) error) error {
		rows, err := s.db.QueryContext(ctx, s.q(query), lo, hi)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		return nil
	}
	if v.Patient != nil {
		q := "SELECT " + s.patientCols() + " FROM patients WHERE id IN (SELECT patient_id FROM encounters WHERE arrived_at >= ? AND arrived_at < ?) ORDER BY id"
		if err := each(q, func(r *sql.Rows) error {
			p, err := scanPatient(r)
			if err != nil {
				return fmt.Errorf("export patients: %w", err)
			}
			if err := name(p.ID); err != nil {
				return err
			}
			n.Patients++
			return v.Patient(p)
		}); err != nil {
			return n, err
		}
	}
	if v.Encounter != nil {
		if err := each("SELECT "+encounterCols+" FROM encounters WHERE arrived_at >= ? AND arrived_at < ? ORDER BY id", func(r *sql.Rows) error {
			e, err := scanEncounter(r)
			if err != nil {
				return fmt.Errorf("export encounters: %w", err)
			}
			if err := name(e.PatientID); err != nil {
				return err
			}
			n.Encounters++
			return v.Encounter(e)
		}); err != nil {
			return n, err
		}
	}
	// Assessments and observations carry no patient: they are exported
	// under the patient of their encounter, named above.
	if v.Assessment != nil {
		if err := each("SELECT "+assessmentCols+" FROM assessments WHERE encounter_id IN ("+encs+") ORDER BY id", func(r *sql.Rows) error {
			as, err := scanAssessment(r)
			if err != nil {
				return fmt.Errorf("export assessments: %w", err)
			}
			n.Assessments++
			return v.Assessment(as)
		}); err != nil {
			return n, err
		}
	}
	if v.Observation != nil {
		if err := each("SELECT "+storedObsCols+" FROM observations WHERE encounter_id IN ("+encs+") ORDER BY id", func(r *sql.Rows) error {
			o, err := scanStoredObservation(r)
			if err != nil {
				return fmt.Errorf("export observations: %w", err)
			}
			n.Observations++
			return v.Observation(o)
		}); err != nil {
			return n, err
		}
	}
	return n, nil
}

// exportPatients lists, in id order, the patients of the encounters that
// arrived in [lo, hi) (microseconds).
func (t *txn) exportPatients(ctx context.Context, lo, hi int64) ([]ids.Patient, error) {
	rows, err := t.query(ctx, "SELECT DISTINCT patient_id FROM encounters WHERE arrived_at >= ? AND arrived_at < ? ORDER BY patient_id", lo, hi)
	if err != nil {
		return nil, fmt.Errorf("export: patients of the range: %w", err)
	}
	defer rows.Close()
	var out []ids.Patient
	for rows.Next() {
		var p ids.Patient
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("export: patients of the range: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// auditExport writes the records.export entries of an export of [lo, hi)
// naming pids: one entry per exportAuditChunk patients ("from=.. to=..
// part=i/k count=N patients=..."), or one with count=0 when the range
// holds nobody (the attempt is still on record). The patients come last
// in the detail, as in every list read's (listsAny reads them there).
func (t *txn) auditExport(ctx context.Context, lo, hi int64, pids []ids.Patient) error {
	parts := max(1, (len(pids)+exportAuditChunk-1)/exportAuditChunk)
	for i := range parts {
		chunk := pids[min(i*exportAuditChunk, len(pids)):min((i+1)*exportAuditChunk, len(pids))]
		detail := patientsDetail(fmt.Sprintf("from=%d to=%d part=%d/%d count=%d", lo, hi, i+1, parts, len(chunk)),
			len(chunk), func(j int) ids.Patient { return chunk[j] })
		if err := t.audit(ctx, "records.export", "export", 0, 0, detail); err != nil {
			return err
		}
	}
	return nil
}
