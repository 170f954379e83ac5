package store

import (
	"context"
	"errors"
	"fmt"
	"github.com/legevakt/workstation/triage/ids"
	"strings"

	"github.com/legevakt/workstation/triage/vitals"
)

// Registration is one patient's arrival (at reception or on the phone) with
// what was measured and, when the nurse has triaged, the first assessment.
// Register stores all of it in one transaction.
type Registration struct {
	// PatientID names a patient already registered (a retry, or a patient
	// chosen from a list); 0 means: find the patient by Patient.NID, or
	// create one (an unidentified patient with a temporary id when
	// Patient.NID is empty).
	PatientID ids.Patient
	// Patient is who arrived; ignored when PatientID is set. A patient
	// found by identity number keeps the stored name.
	Patient NewPatient

	// Encounter is the visit or call; its PatientID is filled in.
	Encounter NewEncounter

	// Observations are the vitals measured or reported with the
	// registration (source manual or phone, or a device id); may be empty.
	Observations []vitals.Observation

	// Assessment is the first triage; nil when the patient is registered
	// now and triaged later. Its EncounterID is filled in. A phone call
	// keeps its answers in Input and a nurse's change of level in Override.
	Assessment *NewAssessment

	// Call is the phone call's record (calls.go), stored with the
	// assessment, which it needs; its EncounterID and AssessmentID are
	// filled in. Outcome is how the call ended ("" or OutcomeWaiting: it
	// waits), with the nurse's OutcomeNote.
	Call        *NewCall
	Outcome     Outcome
	OutcomeNote string

	// Dropped is the record of a phone call that ended before the triage
	// was done (dropped.go): with it the registration has no assessment
	// and no call record, and its outcome is OutcomeDropped.
	Dropped *NewDroppedCall
	// CallBackOf names a dropped call this call was started from: its
	// call-back is recorded as made by this call, in the same transaction.
	CallBackOf ids.Encounter
	// SameCaller, when set, is the nurse's confirmation that the call is
	// about the patient of an earlier call from the same number; it is
	// checked against the patient stored on and audited (caller_confirm.go).
	SameCaller *SameCaller
}

// Registered is what Register stored.
type Registered struct {
	Patient Patient
	// PatientCreated is true when the patient was new (not found by
	// identity number nor named by PatientID).
	PatientCreated bool
	// Encounter is the new encounter as stored after the assessment
	// (its colour and target are the assessment's).
	Encounter Encounter
	// Assessment is the stored first assessment; nil when none was given.
	Assessment *Assessment
}

// Register registers a patient and opens an encounter, with its
// observations and first assessment, in ONE transaction: it lands whole
// or not at all, so a database that stops in the middle never leaves a
// patient with an encounter and no triage in the queue. Each step is
// audited as its single-step call is (patient.find, patient.create,
// encounter.create, observations.add, assessment.create). Every argument
// is checked before the transaction begins; an error names the field.
func (s *Store) Register(ctx context.Context, a Actor, r Registration) (Registered, error) {
	np, err := r.Patient.normalise()
	if err != nil {
		return Registered{}, fmt.Errorf("registration: %w", err)
	}
	if r.PatientID < 0 {
		return Registered{}, invalid("registration: patient id", "%d, want 0 (find or create) or a registered patient's id", r.PatientID)
	}
	ne, err := r.Encounter.normalise()
	if err != nil {
		return Registered{}, fmt.Errorf("registration: %w", err)
	}
	if err := checkObservations(r.Observations); err != nil {
		return Registered{}, fmt.Errorf("registration: %w", err)
	}
	var na NewAssessment
	if r.Assessment != nil {
		na = *r.Assessment
		if err := na.validate(); err != nil {
			return Registered{}, fmt.Errorf("registration: %w", err)
		}
	}
	if err := r.checkCall(); err != nil {
		return Registered{}, fmt.Errorf("registration: %w", err)
	}
	if c := r.SameCaller; c != nil {
		if err := c.check(&r); err != nil {
			return Registered{}, fmt.Errorf("registration: %w", err)
		}
	}
	var out Registered
	err = s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, channelPerm(ne.Channel), 0); err != nil {
			return err
		}
		reg, err := t.register(ctx, r.PatientID, np, ne, r.Observations, r.Assessment != nil, na)
		if err == nil {
			err = t.registerCall(ctx, &reg, r)
		}
		if err == nil && r.SameCaller != nil {
			err = t.confirmSameCaller(ctx, reg, *r.SameCaller)
		}
		if err != nil {
			// Every error rolls the whole registration back, also one
			// that single-step calls commit as an audited answer (a
			// patient id that is not found).
			return rollback{err}
		}
		out = reg
		return nil
	})
	if rb, ok := err.(rollback); ok {
		err = rb.err
	}
	if err != nil {
		return Registered{}, fmt.Errorf("registration not stored: %w", err)
	}
	return out, nil
}

// rollback carries an error out of a transaction that must not be
// committed. It deliberately does not unwrap, so that do does not take a
// wrapped ErrNotFound for an answer to keep.
type rollback struct{ err error }

func (r rollback) Error() string { return r.err.Error() }

// register does Register's work inside t.
func (t *txn) register(ctx context.Context, patientID ids.Patient, np NewPatient, ne NewEncounter, obs []vitals.Observation, assess bool, na NewAssessment) (Registered, error) {
	var out Registered
	p, created, err := t.registerPatient(ctx, patientID, np)
	if err != nil {
		return Registered{}, err
	}
	out.Patient, out.PatientCreated = p, created
	ne.PatientID = p.ID
	enc, err := t.createEncounter(ctx, ne)
	if err != nil {
		return Registered{}, err
	}
	if len(obs) > 0 {
		if err := t.addObservations(ctx, enc, obs); err != nil {
			return Registered{}, err
		}
	}
	if assess {
		as, err := t.addAssessment(ctx, enc, na)
		if err != nil {
			return Registered{}, err
		}
		out.Assessment = &as
		// The encounter now carries the assessment's colour and target.
		if enc, err = t.encounter(ctx, enc.ID); err != nil {
			return Registered{}, err
		}
	}
	out.Encounter = enc
	return out, nil
}

// registerPatient finds or creates the patient of a registration inside t.
func (t *txn) registerPatient(ctx context.Context, id ids.Patient, np NewPatient) (Patient, bool, error) {
	if id != 0 {
		p, err := t.patient(ctx, id)
		if err != nil {
			return Patient{}, false, err
		}
		if err := t.auditPatient(ctx, "patient.read", id, id, "found"); err != nil {
			return Patient{}, false, err
		}
		if p.MergedInto != 0 {
			return Patient{}, false, invalid("patient", "patient %d was merged into patient %d; use that one", p.ID, p.MergedInto)
		}
		return p, false, nil
	}
	if np.NID != "" {
		p, err := t.findPatientByNID(ctx, np.NID)
		if err == nil {
			return p, false, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return Patient{}, false, err
		}
	}
	p, err := t.createPatient(ctx, np)
	if err != nil {
		return Patient{}, false, err
	}
	return p, true, nil
}

// Triage is a triage of an encounter already registered (the desktop
// registers at arrival and triages when the nurse has measured): the
// nurse's words for the complaint, the observations the triage used, and
// the assessment.
type Triage struct {
	EncounterID ids.Encounter
	// Complaint, when not empty, becomes the encounter's complaint.
	Complaint    string
	Observations []vitals.Observation
	// Assessment is the triage; its EncounterID is filled in.
	Assessment NewAssessment
	// Events are recorded with the triage (e.g. that the nurse chose to
	// save an incomplete NEWS2); their EncounterID is filled in.
	Events []NewEvent
}

// SaveTriage stores a triage of a registered encounter in ONE transaction:
// the complaint, the observations, the assessment and its events land
// together or not at all, audited as UpdateEncounter, AddObservations,
// AddAssessment and AddEvent are. Within the transaction the encounter is read and written under the
// store's write lock, so another workstation's change to it is never lost
// (its version is bumped as UpdateEncounter does).
func (s *Store) SaveTriage(ctx context.Context, a Actor, tr Triage) (Assessment, error) {
	complaint := strings.TrimSpace(tr.Complaint)
	if err := checkText("complaint", complaint, maxText); err != nil {
		return Assessment{}, fmt.Errorf("triage: %w", err)
	}
	if err := checkObservations(tr.Observations); err != nil {
		return Assessment{}, fmt.Errorf("triage: %w", err)
	}
	na := tr.Assessment
	na.EncounterID = tr.EncounterID
	if err := na.validate(); err != nil {
		return Assessment{}, fmt.Errorf("triage: %w", err)
	}
	var out Assessment
	for i := range tr.Events {
		if err := tr.Events[i].check(); err != nil {
			return Assessment{}, fmt.Errorf("triage: event %d: %w", i, err)
		}
	}
	err := s.do(ctx, a, func(t *txn) error {
		if err := t.requireEncounter(ctx, PermWriteClinical, tr.EncounterID); err != nil {
			return err
		}
		enc, err := t.encounter(ctx, tr.EncounterID)
		if err != nil {
			// Nothing is written yet: the failed lookup is kept in the
			// audit log, as AddAssessment keeps it.
			return t.encounterNotFound(ctx, err, "assessment.create", tr.EncounterID)
		}
		if complaint != "" && complaint != enc.Complaint {
			if _, err := t.exec(ctx, "UPDATE encounters SET complaint = ?, updated_at = ?, version = version + 1 WHERE id = ?",
				complaint, micros(t.at), enc.ID); err != nil {
				return fmt.Errorf("triage: complaint of encounter %d: %w", enc.ID, err)
			}
			if err := t.auditEncounter(ctx, "encounter.update", enc.ID, enc.PatientID, "status="+string(enc.Status)); err != nil {
				return err
			}
			t.changed("encounter", enc.ID)
		}
		as, err := t.addAssessment(ctx, enc, na)
		if err != nil {
			return err
		}
		if len(tr.Observations) > 0 {
			if err := t.addObservations(ctx, enc, tr.Observations); err != nil {
				return err
			}
		}
		for _, ne := range tr.Events {
			ne.EncounterID = enc.ID
			if _, err := t.addEvent(ctx, enc, ne); err != nil {
				return err
			}
		}
		out = as
		return nil
	})
	if err != nil {
		return Assessment{}, fmt.Errorf("triage not stored: %w", err)
	}
	return out, nil
}
