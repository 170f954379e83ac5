package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/legevakt/workstation/triage/ids"
)

// SameCaller is the nurse's explicit confirmation that a new call is
// about the same person as an earlier call from the same phone number
// (found by LastCallFrom). A phone is often shared by a household, so a
// match by number alone never decides whom a call is about: only with
// this confirmation is the new call stored on the earlier call's patient
// (by Registration.PatientID for a patient with a temporary id, or by
// the identity number), and Register audits it as "patient.confirm".
type SameCaller struct {
	// Earlier is the earlier call the nurse was shown.
	Earlier ids.Encounter
	// Phone is the number both calls came from, as digits (the number
	// stored with the new call must be the same).
	Phone string
}

// check refuses a confirmation that names no earlier call, or a new call
// from another number (the confirmation is about a match by number).
func (c *SameCaller) check(r *Registration) error {
	if c.Earlier <= 0 {
		return invalid("same caller: earlier call", "%d, want the encounter id of the earlier call shown", c.Earlier)
	}
	if c.Phone == "" {
		return invalid("same caller: phone", "required: the number both calls came from")
	}
	if r.Call == nil || r.Call.CallerPhone != c.Phone {
		return invalid("same caller: phone", "the new call's caller phone must be the number confirmed")
	}
	return nil
}

// confirmSameCaller checks, inside the registration's transaction, that
// the earlier call came from the confirmed number and was about the
// patient the registration is stored on (following merges), and audits
// the nurse's confirmation on that patient. A confirmation that no longer
// fits (the identity number was changed after it) rolls the registration
// back rather than store the call on the wrong patient.
func (t *txn) confirmSameCaller(ctx context.Context, reg Registered, c SameCaller) error {
	var pid ids.Patient
	var phone string
	err := t.queryRow(ctx, `SELECT e.patient_id, c.caller_phone FROM calls c JOIN encounters e ON e.id = c.encounter_id WHERE c.encounter_id = ?`, c.Earlier).Scan(&pid, &phone)
	if errors.Is(err, sql.ErrNoRows) {
		return invalid("same caller: earlier call", "encounter %d is not a call", c.Earlier)
	}
	if err != nil {
		return fmt.Errorf("same caller: earlier call %d: %w", c.Earlier, err)
	}
	p, err := t.patient(ctx, pid)
	for i := 0; err == nil && p.MergedInto != 0 && i < 10; i++ {
		p, err = t.patient(ctx, p.MergedInto)
	}
	if err != nil {
		return fmt.Errorf("same caller: patient of call %d: %w", c.Earlier, err)
	}
	if phone != c.Phone || p.ID != reg.Patient.ID {
		return invalid("same caller", "call %d was not from that number about patient %d; look the caller up again", c.Earlier, reg.Patient.ID)
	}
	return t.auditPatient(ctx, "patient.confirm", p.ID, p.ID, fmt.Sprintf("same person as call encounter=%d from the same phone, confirmed by the nurse; new encounter=%d", c.Earlier, reg.Encounter.ID))
}
