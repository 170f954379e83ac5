package ecgimport

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/devices/ecgdrop"
	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
)

// watchStore is one registered patient with one open contact; it keeps
// what was attached.
type watchStore struct {
	p        store.Patient
	e        store.Encounter
	attached []store.NewECG
}

func (s *watchStore) FindPatientByNID(_ context.Context, _ store.Actor, nid string) (store.Patient, error) {
	if _, err := patient.Parse(nid); err != nil {
		return store.Patient{}, fmt.Errorf("nid: %w", store.ErrInvalid) // as the store refuses it
	}
	if nid != s.p.NID {
		return store.Patient{}, store.ErrNotFound
	}
	return s.p, nil
}

func (s *watchStore) EncountersForPatient(context.Context, store.Actor, ids.Patient) ([]store.Encounter, error) {
	return []store.Encounter{s.e}, nil
}

func (s *watchStore) AttachECG(_ context.Context, _ store.Actor, ne store.NewECG) (store.ECG, error) {
	s.attached = append(s.attached, ne)
	return store.ECG{ID: int64(len(s.attached)), EncounterID: ne.EncounterID}, nil
}

// testNID is a valid identity number; it returns the number, its birth
// date as a file writes it, and its sex as "M" or "F".
func testNID(t *testing.T) (nid, born, sex string) {
	t.Helper()
	nine := [9]int{0, 2, 0, 3, 7, 5, 1, 2, 3}
	k1, k2, ok := patient.ControlDigits(nine)
	for !ok {
		nine[8]++
		k1, k2, ok = patient.ControlDigits(nine)
	}
	nid = fmt.Sprintf("%d%d%d%d%d%d%d%d%d%d%d", nine[0], nine[1], nine[2], nine[3], nine[4], nine[5], nine[6], nine[7], nine[8], k1, k2)
	n, err := patient.Parse(nid)
	require.NoError(t, err)
	sex = "F"
	if n.Sex == patient.Male {
		sex = "M"
	}
	return nid, n.BirthDate.Format("2006-01-02"), sex
}

// TestWatchHoldsEveryMismatchKindAndAttachesOnlyWhatAgrees: the watched
// folder applies the check through Prepare, the same code as attach: a file
// with any mismatch (each kind, and several) is held (ecgdrop.ErrHeld,
// nothing attached), its message naming the kinds and never the identity
// number or a birth date; a file that agrees is attached; a file of
// another patient, or of no registered patient, is rejected, not held.
func TestWatchHoldsEveryMismatchKindAndAttachesOnlyWhatAgrees(t *testing.T) {
	nid, born, sex := testNID(t)
	other := map[string]string{"M": "F", "F": "M"}[sex]
	arrived := time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC)
	now := arrived.Add(time.Hour)
	for _, tc := range []struct {
		name  string
		nid   string
		born  string
		sex   string
		start time.Time
		want  []Mismatch // held for these
		err   string     // rejected with this
	}{
		{"agrees", nid, born, sex, arrived.Add(30 * time.Minute), nil, ""},
		{"nothing but the number", nid, "", "", time.Time{}, nil, ""},
		{"recorded by the ambulance 2 h before arrival", nid, born, sex, arrived.Add(-2 * time.Hour), nil, ""},
		{"birth date", nid, "1950-01-01", sex, arrived, []Mismatch{MismatchBirthDate}, ""},
		{"sex", nid, born, other, arrived, []Mismatch{MismatchSex}, ""},
		{"recorded more than 24 h before arrival", nid, born, sex, arrived.Add(-MaxBeforeArrival - time.Second), []Mismatch{MismatchOld}, ""},
		{"recorded in the future", nid, born, sex, now.Add(FutureTolerance + time.Second), []Mismatch{MismatchFuture}, ""},
		{"all at once", nid, "1950-01-01", other, arrived.Add(-72 * time.Hour), []Mismatch{MismatchBirthDate, MismatchSex, MismatchOld}, ""},
		{"not an identity number", "SBJ-1", born, sex, arrived, nil, "the file's patient identity is not a valid Norwegian identity number"},
		{"no registered patient", validOther(t, nid), born, sex, arrived, nil, "no registered patient has the file's identity number"},
		{"no number", "", born, sex, arrived, nil, "the file carries no patient identity number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &watchStore{p: store.Patient{ID: 3, NID: nid}, e: store.Encounter{ID: 9, PatientID: 3, ArrivedAt: arrived, Status: store.Waiting}}
			rec := &ecg12.Recording{Format: ecg12.FormatAECG, Start: tc.start, Patient: ecg12.Patient{ID: tc.nid, BirthDate: tc.born, Sex: tc.sex}}
			w := Watch{Store: st, Actor: store.Actor{User: "kari"}, Now: func() time.Time { return now }, Loc: time.UTC}
			err := w.Attach(context.Background(), "cart.xml", []byte("the file"), rec)
			switch {
			case tc.want != nil:
				require.Error(t, err)
				assert.True(t, errors.Is(err, ecgdrop.ErrHeld), "held, not rejected: %v", err)
				var held *HeldError
				require.ErrorAs(t, err, &held)
				assert.Equal(t, tc.want, held.Mismatches)
				var mm *MismatchError
				assert.ErrorAs(t, err, &mm)
				for _, m := range tc.want {
					assert.Contains(t, err.Error(), string(m), "the kind is named")
				}
				assert.Contains(t, err.Error(), "--confirm-mismatch")
				assert.NotContains(t, err.Error(), nid)
				assert.NotContains(t, err.Error(), born)
				assert.NotContains(t, err.Error(), "1950")
				assert.Empty(t, st.attached, "a file that needs confirmation is not attached")
			case tc.err != "":
				require.EqualError(t, err, tc.err)
				assert.False(t, errors.Is(err, ecgdrop.ErrHeld))
				assert.Empty(t, st.attached)
			default:
				require.NoError(t, err)
				require.Len(t, st.attached, 1)
				assert.Equal(t, ids.Encounter(9), st.attached[0].EncounterID)
				assert.Nil(t, ConfirmedMismatches(st.attached[0].Summary))
			}
		})
	}
}

// Prepare is attach's check too: with confirm a mismatching file is
// prepared with the confirmation recorded; a file naming another patient
// is refused whatever is confirmed.
func TestPrepareRecordsAConfirmationAndNeverTakesAnotherPatientsFile(t *testing.T) {
	nid, born, sex := testNID(t)
	arrived := time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC)
	p, e := store.Patient{ID: 3, NID: nid}, store.Encounter{ID: 9, PatientID: 3, ArrivedAt: arrived}
	old := &ecg12.Recording{Start: arrived.Add(-48 * time.Hour), Patient: ecg12.Patient{ID: nid, BirthDate: born, Sex: sex}}
	_, ms, err := Prepare(p, e, "a.xml", []byte("x"), old, false, arrived, time.UTC)
	var mm *MismatchError
	require.ErrorAs(t, err, &mm)
	assert.Equal(t, []Mismatch{MismatchOld}, ms)
	ne, ms, err := Prepare(p, e, "a.xml", []byte("x"), old, true, arrived, time.UTC)
	require.NoError(t, err)
	assert.Equal(t, []Mismatch{MismatchOld}, ms)
	assert.Equal(t, []Mismatch{MismatchOld}, ConfirmedMismatches(ne.Summary))
	assert.Equal(t, "a.xml", ne.SourceName)
	assert.Equal(t, []byte("x"), ne.Data)

	theirs := &ecg12.Recording{Start: arrived, Patient: ecg12.Patient{ID: validOther(t, nid)}}
	_, _, err = Prepare(p, e, "b.xml", []byte("y"), theirs, true, arrived, time.UTC)
	assert.ErrorIs(t, err, ErrOtherPatient)
}

// validOther is a valid identity number other than nid.
func validOther(t *testing.T, nid string) string {
	t.Helper()
	nine := [9]int{1, 5, 0, 6, 8, 0, 4, 0, 0}
	for {
		if k1, k2, ok := patient.ControlDigits(nine); ok {
			s := fmt.Sprintf("%d%d%d%d%d%d%d%d%d%d%d", nine[0], nine[1], nine[2], nine[3], nine[4], nine[5], nine[6], nine[7], nine[8], k1, k2)
			if s != nid {
				return s
			}
		}
		nine[8]++
		require.Less(t, nine[8], 10, "no valid number")
	}
}
