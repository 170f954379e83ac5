package ecgimport

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/ecg12"
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

func TestNewECGKeepsTheFileAndSummarisesOursAndTheCarts(t *testing.T) {
	data := sample(t, "philips_pagewriter_1-04.xml")
	ne, rec, err := NewECG(7, "cart-1.xml", data)
	require.NoError(t, err)
	assert.Equal(t, int64(7), ne.EncounterID)
	assert.Equal(t, string(ecg12.FormatSierra), ne.Format)
	assert.Equal(t, "cart-1.xml", ne.SourceName)
	assert.Equal(t, data, ne.Data, "the file as the cart wrote it")
	assert.Equal(t, rec.Start, ne.AcquiredAt)
	var sum struct {
		Ours  map[string]float64 `json:"measurements"`
		Cart  map[string]float64 `json:"device_measurements"`
		Leads []string           `json:"leads"`
	}
	require.NoError(t, json.Unmarshal(ne.Summary, &sum))
	assert.Equal(t, 352.0, sum.Cart["qt_ms"])
	assert.Contains(t, sum.Ours, "qrs_ms")
	assert.Len(t, sum.Leads, 12)
}

func TestNewECGRefusesWhatTheImportersDoNotRead(t *testing.T) {
	_, _, err := NewECG(1, "notes.txt", []byte("not an ECG at all"))
	require.Error(t, err)
}

func TestJSONLeavesAbsentValuesOut(t *testing.T) {
	m := ecg12.NoMeasurements()
	m.QTms = 400
	b, err := json.Marshal(JSON(m))
	require.NoError(t, err)
	assert.JSONEq(t, `{"qt_ms":400}`, string(b))
}
