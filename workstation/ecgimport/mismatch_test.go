package ecgimport

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/protocols/ecg12/ecgfile"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
)

// QA's case: the PageWriter sample (patient born 1950-01-01, recorded
// 2010-01-19) attached to a patient born 1976 who arrived today.
func TestTheCartsSampleDisagreesWithAPatientOf1976ByBirthDateAndAge(t *testing.T) {
	rec, err := ecgfile.Decode(sample(t, "philips_pagewriter_1-04.xml"))
	require.NoError(t, err)
	require.Equal(t, "1950-01-01", rec.Patient.BirthDate)
	now := time.Date(2026, 12, 7, 21, 0, 0, 0, time.UTC)
	c := contact{BirthDate: time.Date(1976, 3, 2, 0, 0, 0, 0, time.UTC), Arrived: now.Add(-time.Hour)}
	got := check(rec, c, now, time.UTC)
	assert.Equal(t, []Mismatch{MismatchBirthDate, MismatchOld}, got)
	err = &MismatchError{got}
	assert.NotContains(t, err.Error(), "1950")
	assert.NotContains(t, err.Error(), "1976")
}

func TestCheckComparesOnlyWhatBothGiveAndHoldsTheTimeLimits(t *testing.T) {
	arrived := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	now := arrived.Add(2 * time.Hour)
	born := time.Date(1976, 3, 2, 0, 0, 0, 0, time.UTC)
	rec := func(birth, sex string, start time.Time) *ecg12.Recording {
		return &ecg12.Recording{Start: start, Patient: ecg12.Patient{BirthDate: birth, Sex: sex}}
	}
	at := func(d time.Duration) time.Time { return arrived.Add(d) }
	for _, tc := range []struct {
		name string
		rec  *ecg12.Recording
		c    contact
		want []Mismatch
	}{
		{"all agree", rec("1976-03-02", "M", at(time.Hour)), contact{born, patient.Male, arrived}, nil},
		{"nothing in the file", rec("", "", time.Time{}), contact{born, patient.Male, arrived}, nil},
		{"unidentified patient: no date to compare", rec("1950-01-01", "F", at(0)), contact{time.Time{}, 0, arrived}, nil},
		{"another birth date", rec("1976-03-03", "", at(0)), contact{born, 0, arrived}, []Mismatch{MismatchBirthDate}},
		{"another sex", rec("", "f", at(0)), contact{born, patient.Male, arrived}, []Mismatch{MismatchSex}},
		{"exactly 24 h before arrival", rec("", "", at(-MaxBeforeArrival)), contact{born, 0, arrived}, nil},
		{"a second more", rec("", "", at(-MaxBeforeArrival-time.Second)), contact{born, 0, arrived}, []Mismatch{MismatchOld}},
		{"the cart's clock a little ahead", rec("", "", now.Add(FutureTolerance)), contact{born, 0, arrived}, nil},
		{"in the future", rec("", "", now.Add(FutureTolerance+time.Second)), contact{born, 0, arrived}, []Mismatch{MismatchFuture}},
		{"everything wrong", rec("1950-01-01", "F", at(-48*time.Hour)), contact{born, patient.Male, arrived}, []Mismatch{MismatchBirthDate, MismatchSex, MismatchOld}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, check(tc.rec, tc.c, now, time.UTC))
		})
	}
}

// The cart's wall clock is read in the clinic's zone: 12:30 on the cart
// in Oslo is 11:30 UTC, before a 12:00 UTC arrival by less than a day,
// and 10 minutes after a now of 11:20 UTC is not in the future.
func TestTheRecordingTimeIsReadInTheClinicsZone(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	require.NoError(t, err)
	now := time.Date(2026, 12, 7, 11, 25, 0, 0, time.UTC)
	r := &ecg12.Recording{Start: time.Date(2026, 12, 7, 12, 30, 0, 0, time.UTC)}
	assert.Nil(t, check(r, contact{Arrived: now}, now, oslo))
	assert.Equal(t, []Mismatch{MismatchFuture}, check(r, contact{Arrived: now}, now, time.UTC))
}

func TestTheContactTakesTheIdentityNumbersBirthDateAndSexElseTheChosenSex(t *testing.T) {
	nine := [9]int{0, 2, 0, 3, 7, 5, 1, 2, 3}
	k1, k2, ok := patient.ControlDigits(nine)
	for !ok {
		nine[8]++
		k1, k2, ok = patient.ControlDigits(nine)
	}
	nid := fmt.Sprintf("%d%d%d%d%d%d%d%d%d%d%d", nine[0], nine[1], nine[2], nine[3], nine[4], nine[5], nine[6], nine[7], nine[8], k1, k2)
	n, err := patient.Parse(nid)
	require.NoError(t, err)
	arrived := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	c := contactOf(store.Patient{NID: nid}, store.Encounter{ArrivedAt: arrived})
	assert.Equal(t, contact{n.BirthDate, n.Sex, arrived}, c)
	assert.Equal(t, contact{Sex: patient.Female, Arrived: arrived}, contactOf(store.Patient{Sex: store.SexFemale}, store.Encounter{ArrivedAt: arrived}))
}

func TestConfirmedRecordsTheMismatchesInTheSummary(t *testing.T) {
	sum := []byte(`{"leads":["I"]}`)
	same, err := confirmed(sum, nil)
	require.NoError(t, err)
	assert.Equal(t, sum, same)
	assert.Nil(t, ConfirmedMismatches(sum))
	out, err := confirmed(sum, []Mismatch{MismatchBirthDate, MismatchOld})
	require.NoError(t, err)
	assert.Equal(t, []Mismatch{MismatchBirthDate, MismatchOld}, ConfirmedMismatches(out))
	var m map[string]any
	require.NoError(t, json.Unmarshal(out, &m))
	assert.Equal(t, []any{"I"}, m["leads"], "the summary is kept")
}
