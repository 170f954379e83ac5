package store

import (
	"context"

	"github.com/legevakt/workstation/triage/ids"
)

// The store's API takes and returns ids.Patient and ids.Encounter, so a
// patient id passed where an encounter id belongs does not compile. They go
// to and come from SQL as they are (driver.Valuer and sql.Scanner, in
// triage/ids). The one place they become plain numbers is the audit log:
// its entity id names a row of any table (an ECG, an outbox message, a
// user), so it is an int64, and the helpers below are where an encounter or
// patient id enters it, with the entity named by the id's type rather than
// by a string beside it.

// requireEncounter is require for an action on encounter id.
func (t *txn) requireEncounter(ctx context.Context, p Perm, id ids.Encounter) error {
	return t.require(ctx, p, "encounter", int64(id))
}

// requirePatient is require for an action on patient id.
func (t *txn) requirePatient(ctx context.Context, p Perm, id ids.Patient) error {
	return t.require(ctx, p, "patient", int64(id))
}

// auditEncounter is audit for an entry about encounter id of patient
// patientID (0 when the encounter was not found).
func (t *txn) auditEncounter(ctx context.Context, action string, id ids.Encounter, patientID ids.Patient, detail string) error {
	return t.audit(ctx, action, "encounter", int64(id), patientID, detail)
}

// auditPatient is audit for an entry about patient id; patientID is the
// patient the entry concerns (id itself, or 0 when it was not found).
func (t *txn) auditPatient(ctx context.Context, action string, id, patientID ids.Patient, detail string) error {
	return t.audit(ctx, action, "patient", int64(id), patientID, detail)
}

// encounterNotFound is auditNotFound for a look-up of encounter id.
func (t *txn) encounterNotFound(ctx context.Context, err error, action string, id ids.Encounter) error {
	return t.auditNotFound(ctx, err, action, "encounter", int64(id))
}

// patientNotFound is auditNotFound for a look-up of patient id.
func (t *txn) patientNotFound(ctx context.Context, err error, action string, id ids.Patient) error {
	return t.auditNotFound(ctx, err, action, "patient", int64(id))
}
