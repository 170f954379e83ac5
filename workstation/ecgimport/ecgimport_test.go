package ecgimport

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/ecg12"
	"github.com/legevakt/workstation/protocols/ecg12/ecgfile"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/patient"
	"github.com/legevakt/workstation/triage/store"
)

// sample is a file of ../shared/ecg12 (or $LEGEVAKT_SHARED/ecg12).
func sample(t *testing.T, name string) []byte {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "ecg12")
	if d := os.Getenv("LEGEVAKT_SHARED"); d != "" {
		dir = filepath.Join(d, "ecg12")
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Skipf("sample files absent (%s)", dir)
	}
	return b
}

// Prepare keeps the file as the cart wrote it and stores our measurements
// beside the cart's, for a contact the file agrees with.
func TestPrepareKeepsTheFileAndSummarisesOursAndTheCarts(t *testing.T) {
	data := sample(t, "philips_pagewriter_1-04.xml")
	rec, err := ecgfile.Decode(data)
	require.NoError(t, err)
	enc := store.Encounter{ID: 7, ArrivedAt: rec.Start}
	ne, ms, err := Prepare(store.Patient{}, enc, "cart-1.xml", data, rec, false, rec.Start.Add(time.Hour), time.UTC)
	require.NoError(t, err)
	assert.Empty(t, ms, "an unidentified patient arriving as the ECG was taken: nothing to disagree with")
	assert.Equal(t, ids.Encounter(7), ne.EncounterID)
	assert.Equal(t, string(ecg12.FormatSierra), ne.Format)
	assert.Equal(t, "cart-1.xml", ne.SourceName)
	assert.Equal(t, data, ne.Data, "the file as the cart wrote it")
	assert.Equal(t, rec.Start, ne.AcquiredAt)
	var sum struct {
		Ours      map[string]float64 `json:"measurements"`
		Cart      map[string]float64 `json:"device_measurements"`
		Leads     []string           `json:"leads"`
		Confirmed []Mismatch         `json:"confirmed_mismatches"`
	}
	require.NoError(t, json.Unmarshal(ne.Summary, &sum))
	assert.Equal(t, 352.0, sum.Cart["qt_ms"])
	assert.Contains(t, sum.Ours, "qrs_ms")
	assert.Len(t, sum.Leads, 12)
	assert.Empty(t, sum.Confirmed, "nothing confirmed")
}

func TestJSONLeavesAbsentValuesOut(t *testing.T) {
	m := ecg12.NoMeasurements()
	m.QTms = 400
	b, err := json.Marshal(JSON(m))
	require.NoError(t, err)
	assert.JSONEq(t, `{"qt_ms":400}`, string(b))
}

func TestTheIdentityCheckRefusesOnlyTwoValidNumbersThatDiffer(t *testing.T) {
	// Two valid numbers: find them by the control digits.
	var valid []string
	for i := 100; len(valid) < 2 && i < 1000; i++ {
		s := fmt.Sprintf("010180%03d", i)
		var nine [9]int
		for j := range nine {
			nine[j] = int(s[j] - '0')
		}
		if k1, k2, ok := patient.ControlDigits(nine); ok {
			valid = append(valid, fmt.Sprintf("%s%d%d", s, k1, k2))
		}
	}
	require.Len(t, valid, 2)
	a, b := valid[0], valid[1]
	rec := func(id string) *ecg12.Recording { return &ecg12.Recording{Patient: ecg12.Patient{ID: id}} }
	assert.NoError(t, checkPatient(rec(a), a))
	assert.NoError(t, checkPatient(rec(" "+a+" "), a))
	assert.ErrorIs(t, checkPatient(rec(b), a), ErrOtherPatient)
	assert.NotContains(t, checkPatient(rec(b), a).Error(), a, "no identity number in the error")
	assert.NoError(t, checkPatient(rec("9999"), a), "a cart's local number: nothing to compare")
	assert.NoError(t, checkPatient(rec(""), a))
	assert.NoError(t, checkPatient(rec(b), ""), "an unidentified patient")
}
