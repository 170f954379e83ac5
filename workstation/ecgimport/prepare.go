package ecgimport

import (
	"time"

	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/triage/store"
)

// Prepare is the check every way of attaching a cart's file makes (the
// desk's file picker, `triagectl ecg12 attach` and `ecg12 watch`): it
// returns what store.AttachECG stores on contact e of patient p, after
//   - checkPatient: a file naming another patient by a valid identity
//     number is refused (ErrOtherPatient), confirmed or not;
//   - check: a file whose birth date or sex is not the patient's, or that
//     was recorded more than MaxBeforeArrival before arrival or in the
//     future, is refused with *MismatchError unless confirm is set; with
//     confirm the mismatches are recorded in the summary (confirmed).
//
// It returns the mismatches found either way. name is the file's name as
// the cart wrote it, data its bytes, rec its decoding; now and loc are the
// clock and the clinic's zone for the recording time.
func Prepare(p store.Patient, e store.Encounter, name string, data []byte, rec *ecg12.Recording, confirm bool, now time.Time, loc *time.Location) (store.NewECG, []Mismatch, error) {
	if err := checkPatient(rec, p.NID); err != nil {
		return store.NewECG{}, nil, err
	}
	ms := check(rec, contactOf(p, e), now, loc)
	if len(ms) > 0 && !confirm {
		return store.NewECG{}, ms, &MismatchError{Mismatches: ms}
	}
	summary, err := summarise(rec)
	if err != nil {
		return store.NewECG{}, ms, err
	}
	if summary, err = confirmed(summary, ms); err != nil {
		return store.NewECG{}, ms, err
	}
	return store.NewECG{EncounterID: e.ID, Format: string(rec.Format), SourceName: name,
		AcquiredAt: rec.Start, Data: data, Summary: summary}, ms, nil
}
