package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/legevakt/workstation/triage/ids"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/legevakt/workstation/triage/patient"
)

// ErrExists: a patient with that identity number is already registered.
var ErrExists = errors.New("already exists")

// Patient is a person the clinic has registered: identified by a national
// identity number, or unidentified with a temporary id.
type Patient struct {
	ID ids.Patient
	// NID is the validated fødselsnummer or D-number (11 digits); empty for
	// an unidentified patient.
	NID string
	// TempID is the temporary id ("UKJENT-…") given to an unidentified
	// patient; it stays on the record after identification or merge so old
	// paper notes can still be traced.
	TempID string
	Name   string // display name, may be empty
	// MergedInto is the patient this (unidentified) record was merged into,
	// 0 when not merged. A merged record keeps no encounters.
	MergedInto ids.Patient
	// Sex is the sex chosen at registration for a patient whose identity
	// number was not known (schema 10); "" when none was chosen. An
	// identified patient's sex is read from the identity number
	// (patient.NID.Sex).
	Sex       Sex
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// Identified reports whether the patient has an identity number.
func (p Patient) Identified() bool { return p.NID != "" }

// Label is what lists name the patient by: the name, else the temporary
// id, else "" (the identity number is never shown in lists). The store
// holds no screen text: a patient known only by the identity number is
// worded by the screen's language with wording.PatientLabel(label, id, lang)
// ("pasient 12", "patient 12").
func (p Patient) Label() string { return patientLabel(p.Name, p.TempID) }

func patientLabel(name, temp string) string {
	if name != "" {
		return name
	}
	return temp
}

// NewPatient is what CreatePatient needs. Leave NID empty for an
// unidentified patient: a temporary id is drawn.
type NewPatient struct {
	NID  string // fødselsnummer or D-number, validated by triage/patient
	Name string
	// Sex is the sex the nurse chose (SexFemale or SexMale; "" or
	// SexUnknown for none). With an identity number it must agree with
	// the number's.
	Sex Sex
}

const maxText = 500

func checkText(field, v string, max int) error {
	if !utf8.ValidString(v) {
		return invalid(field, "not valid UTF-8")
	}
	if n := utf8.RuneCountInString(v); n > max {
		return invalid(field, "%d characters, at most %d", n, max)
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return invalid(field, "holds control character %U", r)
		}
	}
	return nil
}

// patientSexSchema is the schema that added patients.sex.
const patientSexSchema = 10

// patientCols are the columns scanPatient reads; a store on a schema
// before patients.sex reads NULL for it.
func (s *Store) patientCols() string {
	if s.patientSex {
		return "id, nid, temp_id, name, merged_into, created_at, updated_at, version, sex"
	}
	return "id, nid, temp_id, name, merged_into, created_at, updated_at, version, NULL"
}

func scanPatient(sc interface{ Scan(...any) error }) (Patient, error) {
	var p Patient
	var nid, temp, sex sql.NullString
	var merged sql.Null[ids.Patient]
	var created, updated int64
	if err := sc.Scan(&p.ID, &nid, &temp, &p.Name, &merged, &created, &updated, &p.Version, &sex); err != nil {
		return Patient{}, err
	}
	p.NID, p.TempID, p.MergedInto, p.Sex = nid.String, temp.String, merged.V, Sex(sex.String)
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return p, nil
}

func (t *txn) patient(ctx context.Context, id ids.Patient) (Patient, error) {
	p, err := scanPatient(t.queryRow(ctx, "SELECT "+t.s.patientCols()+" FROM patients WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Patient{}, notFound("patient", id)
	}
	if err != nil {
		return Patient{}, fmt.Errorf("patient %d: %w", id, err)
	}
	return p, nil
}

// CreatePatient registers a patient. A given identity number is validated
// (both control digits and a real date); an identity number already
// registered is ErrExists. Without one, a temporary id is drawn.
func (s *Store) CreatePatient(ctx context.Context, a Actor, np NewPatient) (Patient, error) {
	np, err := np.normalise()
	if err != nil {
		return Patient{}, err
	}
	var out Patient
	err = s.do(ctx, a, func(t *txn) error {
		if err := t.requirePatient(ctx, PermRegister, 0); err != nil {
			return err
		}
		p, err := t.createPatient(ctx, np)
		out = p
		return err
	})
	return out, err
}

// normalise trims the name and validates the identity number, giving it
// in its stored form; both are checked before any transaction begins.
func (np NewPatient) normalise() (NewPatient, error) {
	name := strings.TrimSpace(np.Name)
	if err := checkText("name", name, 200); err != nil {
		return NewPatient{}, err
	}
	sex := np.Sex
	switch sex {
	case SexUnknown:
		sex = ""
	case "", SexFemale, SexMale:
	default:
		return NewPatient{}, invalid("sex", "%q, want female, male or unknown", np.Sex)
	}
	var nid string
	if strings.TrimSpace(np.NID) != "" {
		n, err := patient.Parse(np.NID)
		if err != nil {
			return NewPatient{}, fmt.Errorf("%w: %w", err, ErrInvalid)
		}
		nid = n.Number
		if sex != "" && sex != SexOf(n.Sex) {
			return NewPatient{}, invalid("sex", "%s, but the identity number gives %s", sex, SexOf(n.Sex))
		}
	}
	return NewPatient{NID: nid, Name: name, Sex: sex}, nil
}

// SexOf is the store's word for a sex of triage/patient (SexUnknown for
// none).
func SexOf(x patient.Sex) Sex {
	switch x {
	case patient.Female:
		return SexFemale
	case patient.Male:
		return SexMale
	}
	return SexUnknown
}

// PatientSex is x as triage/patient has it (0 for unknown or none).
func PatientSex(x Sex) patient.Sex {
	switch x {
	case SexFemale:
		return patient.Female
	case SexMale:
		return patient.Male
	}
	return 0
}

// createPatient inserts a normalised patient (audited) inside t.
func (t *txn) createPatient(ctx context.Context, np NewPatient) (Patient, error) {
	var nidArg, tempArg, sexArg any
	if np.Sex != "" {
		if !t.s.patientSex {
			return Patient{}, invalid("sex", "this store's schema (before %d) cannot hold it; open it with upgrade", patientSexSchema)
		}
		sexArg = string(np.Sex)
	}
	if np.NID != "" {
		var id int64
		err := t.queryRow(ctx, "SELECT id FROM patients WHERE nid = ?", np.NID).Scan(&id)
		if err == nil {
			return Patient{}, fmt.Errorf("a patient with this identity number is registered as patient %d: %w", id, ErrExists)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return Patient{}, fmt.Errorf("create patient: %w", err)
		}
		nidArg = np.NID
	} else {
		temp, err := t.freeTempID(ctx)
		if err != nil {
			return Patient{}, err
		}
		tempArg = temp
	}
	now := micros(t.at)
	args := []any{nidArg, tempArg, np.Name, now, now}
	sexCol, sexVal := "", ""
	if t.s.patientSex {
		sexCol, sexVal, args = ", sex", ", ?", append(args, sexArg)
	}
	var id ids.Patient
	if err := t.queryRow(ctx, "INSERT INTO patients (nid, temp_id, name, created_at, updated_at"+sexCol+") VALUES (?, ?, ?, ?, ?"+sexVal+") RETURNING id",
		args...).Scan(&id); err != nil {
		if isUniqueViolation(err) {
			// Another workstation registered the same number between
			// our check and our insert.
			return Patient{}, fmt.Errorf("a patient with this identity number was registered at the same moment: %w", ErrExists)
		}
		return Patient{}, fmt.Errorf("create patient: %w", err)
	}
	detail := "identified"
	if np.NID == "" {
		detail = "unidentified"
	}
	if err := t.auditPatient(ctx, "patient.create", id, id, detail); err != nil {
		return Patient{}, err
	}
	t.changed("patient", 0)
	if err := t.enqueuePatient(ctx, id); err != nil {
		return Patient{}, err
	}
	return t.patient(ctx, id)
}

// freeTempID draws temporary ids until one is unused.
func (t *txn) freeTempID(ctx context.Context) (string, error) {
	for range 8 {
		temp, err := patient.NewTempID(nil)
		if err != nil {
			return "", err
		}
		var n int
		if err := t.queryRow(ctx, "SELECT count(*) FROM patients WHERE temp_id = ?", temp).Scan(&n); err != nil {
			return "", fmt.Errorf("temporary id: %w", err)
		}
		if n == 0 {
			return temp, nil
		}
	}
	return "", fmt.Errorf("temporary id: 8 draws in a row were taken; the random source is broken")
}

// GetPatient reads one patient (audited).
func (s *Store) GetPatient(ctx context.Context, a Actor, id ids.Patient) (Patient, error) {
	var out Patient
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requirePatient(ctx, PermReadClinical, id); err != nil {
			return err
		}
		p, err := t.patient(ctx, id)
		if aerr := t.auditPatient(ctx, "patient.read", id, pidIf(err, id), outcome(err)); aerr != nil {
			return aerr
		}
		out = p
		return err
	})
	return keep(out, err)
}

// pidIf is the patient id for the audit entry: 0 when there is no such
// patient (the id must not point at a row that does not exist).
func pidIf(err error, id ids.Patient) ids.Patient {
	if err != nil {
		return 0
	}
	return id
}

func outcome(err error) string {
	if err != nil {
		return "not found"
	}
	return "found"
}

// FindPatientByNID looks a patient up by identity number (audited, also
// when there is no match). The number is validated first, so a typo gives
// a clear error rather than "not found".
func (s *Store) FindPatientByNID(ctx context.Context, a Actor, nid string) (Patient, error) {
	n, err := patient.Parse(nid)
	if err != nil {
		// A malformed number is a lookup too (issue 16): audited, never
		// with the number typed.
		perr := fmt.Errorf("%w: %w", err, ErrInvalid)
		if aerr := s.do(ctx, a, func(t *txn) error {
			if err := t.requirePatient(ctx, PermReadClinical, 0); err != nil {
				return err
			}
			return t.auditPatient(ctx, "patient.find", 0, 0, "by=nid malformed")
		}); aerr != nil {
			return Patient{}, aerr
		}
		return Patient{}, perr
	}
	var out Patient
	err = s.do(ctx, a, func(t *txn) error {
		if err := t.requirePatient(ctx, PermReadClinical, 0); err != nil {
			return err
		}
		p, err := t.findPatientByNID(ctx, n.Number)
		out = p
		return err
	})
	return keep(out, err)
}

// findPatientByNID looks up a validated identity number inside t
// (audited, also when there is no match: then ErrNotFound).
func (t *txn) findPatientByNID(ctx context.Context, nid string) (Patient, error) {
	p, err := scanPatient(t.queryRow(ctx, "SELECT "+t.s.patientCols()+" FROM patients WHERE nid = ?", nid))
	if errors.Is(err, sql.ErrNoRows) {
		if aerr := t.auditPatient(ctx, "patient.find", 0, 0, "by=nid not found"); aerr != nil {
			return Patient{}, aerr
		}
		return Patient{}, fmt.Errorf("no patient with this identity number: %w", ErrNotFound)
	}
	if err != nil {
		return Patient{}, fmt.Errorf("find patient: %w", err)
	}
	return p, t.auditPatient(ctx, "patient.find", p.ID, p.ID, "by=nid found")
}

// UpdatePatient changes the name of p and, for an unidentified patient,
// may set the identity number (identification). p.Version must be the
// version read; otherwise *ConflictError with the current patient.
func (s *Store) UpdatePatient(ctx context.Context, a Actor, p Patient) (Patient, error) {
	name := strings.TrimSpace(p.Name)
	if err := checkText("name", name, 200); err != nil {
		return Patient{}, err
	}
	var nid string
	if p.NID != "" {
		n, err := patient.Parse(p.NID)
		if err != nil {
			return Patient{}, fmt.Errorf("%w: %w", err, ErrInvalid)
		}
		nid = n.Number
	}
	var out Patient
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requirePatient(ctx, PermRegister, p.ID); err != nil {
			return err
		}
		cur, err := t.patient(ctx, p.ID)
		if err != nil {
			if aerr := t.auditPatient(ctx, "patient.update", p.ID, 0, "not found"); aerr != nil {
				return aerr
			}
			return err
		}
		if cur.Version != p.Version {
			if aerr := t.auditPatient(ctx, "patient.update", p.ID, p.ID, "conflict"); aerr != nil {
				return aerr
			}
			return &ConflictError{Entity: "patient", ID: int64(p.ID), Expected: p.Version, Actual: cur.Version, Current: cur}
		}
		if cur.MergedInto != 0 {
			return invalid("patient", "patient %d was merged into patient %d; edit that one", p.ID, cur.MergedInto)
		}
		if cur.NID != "" && nid != cur.NID {
			return invalid("nid", "patient %d already has an identity number; it cannot be changed or removed here", p.ID)
		}
		var fields []string
		if name != cur.Name {
			fields = append(fields, "name")
		}
		if nid != cur.NID {
			var other int64
			err := t.queryRow(ctx, "SELECT id FROM patients WHERE nid = ?", nid).Scan(&other)
			if err == nil {
				return fmt.Errorf("this identity number is registered as patient %d; merge instead: %w", other, ErrExists)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("update patient: %w", err)
			}
			fields = append(fields, "nid")
		}
		var nidArg any
		if nid != "" {
			nidArg = nid
		}
		res, err := t.exec(ctx, "UPDATE patients SET name = ?, nid = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
			name, nidArg, micros(t.at), p.ID, p.Version)
		if isUniqueViolation(err) {
			return fmt.Errorf("this identity number was registered at the same moment: %w", ErrExists)
		}
		if err != nil {
			return fmt.Errorf("update patient %d: %w", p.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("update patient %d: %d rows changed, want 1", p.ID, n)
		}
		if err := t.auditPatient(ctx, "patient.update", p.ID, p.ID, "fields="+strings.Join(fields, ",")); err != nil {
			return err
		}
		t.changed("patient", 0)
		if err := t.enqueuePatient(ctx, p.ID); err != nil {
			return err
		}
		out, err = t.patient(ctx, p.ID)
		return err
	})
	return out, err
}

// MergePatients merges the unidentified patient from into the patient
// into (typically once the person has been identified): from's encounters
// move to into, from is marked merged and keeps its temporary id for
// tracing. Returns the patient into as it is after the merge.
func (s *Store) MergePatients(ctx context.Context, a Actor, from, into ids.Patient) (Patient, error) {
	if from == into {
		return Patient{}, invalid("merge", "patient %d cannot be merged into itself", from)
	}
	var out Patient
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requirePatient(ctx, PermMerge, from); err != nil {
			return err
		}
		src, err := t.patient(ctx, from)
		if err != nil {
			return t.patientNotFound(ctx, err, "patient.merge", from)
		}
		dst, err := t.patient(ctx, into)
		if err != nil {
			return t.patientNotFound(ctx, err, "patient.merge", into)
		}
		switch {
		case src.Identified():
			return invalid("merge", "patient %d has an identity number; only an unidentified (temporary) patient can be merged into another", from)
		case src.MergedInto != 0:
			return invalid("merge", "patient %d was already merged into patient %d", from, src.MergedInto)
		case dst.MergedInto != 0:
			return invalid("merge", "patient %d was merged into patient %d; merge into that one", into, dst.MergedInto)
		}
		now := micros(t.at)
		res, err := t.exec(ctx, "UPDATE encounters SET patient_id = ?, updated_at = ?, version = version + 1 WHERE patient_id = ?", into, now, from)
		if err != nil {
			return fmt.Errorf("merge: moving encounters: %w", err)
		}
		moved, _ := res.RowsAffected()
		if _, err := t.exec(ctx, "UPDATE patients SET merged_into = ?, updated_at = ?, version = version + 1 WHERE id = ?", into, now, from); err != nil {
			return fmt.Errorf("merge: marking patient %d: %w", from, err)
		}
		name := dst.Name
		if name == "" {
			name = src.Name
		}
		if _, err := t.exec(ctx, "UPDATE patients SET name = ?, updated_at = ?, version = version + 1 WHERE id = ?", name, now, into); err != nil {
			return fmt.Errorf("merge: updating patient %d: %w", into, err)
		}
		detail := fmt.Sprintf("from=%d into=%d encounters=%d", from, into, moved)
		if err := t.auditPatient(ctx, "patient.merge", from, from, detail); err != nil {
			return err
		}
		if err := t.auditPatient(ctx, "patient.merge", into, into, detail); err != nil {
			return err
		}
		t.changed("patient", 0)
		if err := t.enqueueMerge(ctx, from, into); err != nil {
			return err
		}
		out, err = t.patient(ctx, into)
		return err
	})
	return out, err
}

// isUniqueViolation recognises a unique-constraint error from either
// driver: SQLSTATE 23505 (PostgreSQL) or SQLITE_CONSTRAINT_UNIQUE.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return lite.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
	}
	return false
}
