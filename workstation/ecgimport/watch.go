package ecgimport

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/legevakt/workstation/devices/ecgdrop"
	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/store"
)

// WatchStore is what the watched folder's attaching needs of the store;
// exported as the type of Watch.Store, so a test or a tool gives Watch
// its own store (*store.Store implements it).
type WatchStore interface {
	FindPatientByNID(ctx context.Context, a store.Actor, nid string) (store.Patient, error)
	EncountersForPatient(ctx context.Context, a store.Actor, patientID ids.Patient) ([]store.Encounter, error)
	AttachECG(ctx context.Context, a store.Actor, ne store.NewECG) (store.ECG, error)
}

// Watch attaches the files a cart writes to the watched folder
// (`triagectl ecg12 watch`, devices/ecgdrop) to the newest open contact of
// the patient whose identity number the file carries, as Actor, with the
// same checks as attaching by hand (Prepare). A file that needs a user's
// confirmation is not attached: Attach returns a *HeldError, and ecgdrop
// moves the file to its held folder, from where a nurse attaches it with
// `triagectl ecg12 attach FILE --encounter ID --confirm-mismatch` (or the
// desk's file picker) after checking it is this patient's ECG.
type Watch struct {
	Store WatchStore
	Actor store.Actor
	// Now is the clock for the recording-time check (nil: time.Now); Loc
	// the clinic's zone the cart's clock is read in (nil: time.Local).
	Now func() time.Time
	Loc *time.Location
}

// HeldError is Attach's answer for a file that disagrees with the contact
// it would go to (the mismatches, as Prepare finds them): it wraps
// ecgdrop.ErrHeld, so the file is held, and *MismatchError. Its message
// names the file's kinds of mismatch and what to do, never a patient's
// identity number or birth date. Exported so that a caller of Attach
// (the drop folder's report) takes the mismatches with errors.As rather
// than reading the message.
type HeldError struct{ Mismatches []Mismatch }

func (e *HeldError) Error() string {
	codes := make([]string, len(e.Mismatches))
	for i, m := range e.Mismatches {
		codes[i] = string(m)
	}
	return fmt.Sprintf("%v (%s): %s; check that it is this patient's ECG, then attach it with triagectl ecg12 attach FILE --encounter ID --confirm-mismatch",
		ecgdrop.ErrHeld, strings.Join(codes, ", "), (&MismatchError{Mismatches: e.Mismatches}).Error())
}

// Unwrap gives ecgdrop.ErrHeld and the *MismatchError.
func (e *HeldError) Unwrap() []error {
	return []error{ecgdrop.ErrHeld, &MismatchError{Mismatches: e.Mismatches}}
}

// Attach is an ecgdrop.Handler. Its errors never contain the file's
// identity number.
func (w Watch) Attach(ctx context.Context, name string, data []byte, rec *ecg12.Recording) error {
	if rec.Patient.ID == "" {
		return errors.New("the file carries no patient identity number")
	}
	p, err := w.Store.FindPatientByNID(ctx, w.Actor, rec.Patient.ID)
	if err != nil {
		if errors.Is(err, store.ErrInvalid) {
			return errors.New("the file's patient identity is not a valid Norwegian identity number")
		}
		if errors.Is(err, store.ErrNotFound) {
			return errors.New("no registered patient has the file's identity number")
		}
		return err
	}
	encs, err := w.Store.EncountersForPatient(ctx, w.Actor, p.ID)
	if err != nil {
		return err
	}
	for _, e := range encs { // newest first
		if e.Status == store.Done || e.Status == store.LeftWithoutBeingSeen {
			continue
		}
		now, loc := time.Now, time.Local
		if w.Now != nil {
			now = w.Now
		}
		if w.Loc != nil {
			loc = w.Loc
		}
		ne, ms, err := Prepare(p, e, name, data, rec, false, now(), loc)
		var mismatch *MismatchError
		if errors.As(err, &mismatch) {
			return &HeldError{Mismatches: ms}
		}
		if err != nil {
			return err
		}
		_, err = w.Store.AttachECG(ctx, w.Actor, ne)
		return err
	}
	return errors.New("the patient has no open contact")
}

// WatchCounts counts what a watch did with the files it took.
type WatchCounts struct{ Attached, Held, Rejected int }

// Add counts one result.
func (c *WatchCounts) Add(r ecgdrop.Result) {
	switch {
	case r.Imported:
		c.Attached++
	case r.Held:
		c.Held++
	default:
		c.Rejected++
	}
}

// String is the count as the watch prints it.
func (c WatchCounts) String() string {
	return fmt.Sprintf("%d attached, %d held for confirmation, %d rejected", c.Attached, c.Held, c.Rejected)
}
