package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// truncateATR rewrites dir/name.atr to hold only the beats before cut.
func truncateATR(t *testing.T, dir, name string, beats []int64, cut int64) {
	t.Helper()
	var atr []byte
	last := int64(0)
	for _, b := range beats {
		if b >= cut {
			break
		}
		d := b - last
		for d > 1023 {
			atr = append(atr, 0, 59<<2, 0, 0, byte(d), byte(d>>8))
			last, d = b, 0
		}
		atr = append(atr, byte(d), byte(1<<2)|byte(d>>8))
		last = b
	}
	atr = append(atr, 0, 0)
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".atr"), atr, 0o600))
}

func TestECGEvalRefusesAReferenceThatStopsEarly(t *testing.T) {
	dir := t.TempDir()
	beats := writeECGRecord(t, dir, "syn")
	truncateATR(t, dir, "syn", beats, 330*250) // the signal runs 6:00, the reference 5:30

	rc, out, stderr := runTC("ecg", "eval", "--db", dir)
	assert.Equal(t, 1, rc, out)
	assert.Contains(t, stderr, "stops early")
	assert.Contains(t, stderr, "--common-span")
	assert.NotContains(t, out, "gross", "no table that would pass for a result")

	rc, out, stderr = runTC("ecg", "eval", "--db", dir, "--common-span")
	require.Equal(t, 0, rc, stderr)
	assert.Contains(t, out, "scored 05:00 to 05:29 only")
	gross := out[strings.Index(out, "gross"):]
	assert.Regexp(t, `gross +37 +0 +0 +100.00 +100.00`, gross, "every beat of the common span, nothing else")
}

func TestECGEvalScoresAWholeReferenceWithoutASpanNote(t *testing.T) {
	dir := t.TempDir()
	writeECGRecord(t, dir, "syn")
	rc, out, stderr := runTC("ecg", "eval", "--db", dir)
	require.Equal(t, 0, rc, stderr)
	assert.NotContains(t, out, "scored")
}

func TestECGDetectRefusesANaNGain(t *testing.T) {
	dir := t.TempDir()
	writeECGRecord(t, dir, "syn")
	hea, err := os.ReadFile(filepath.Join(dir, "syn.hea"))
	require.NoError(t, err)
	bad := strings.Replace(string(hea), " 16 200 ", " 16 NaN ", 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "syn.hea"), []byte(bad), 0o600))
	rc, out, stderr := runTC("ecg", "detect", "--record", filepath.Join(dir, "syn"))
	assert.Equal(t, 1, rc)
	assert.Empty(t, out)
	assert.Contains(t, stderr, "ADC gain")
}

func TestECGSignalFlagRefusesNegativeNumbers(t *testing.T) {
	dir := t.TempDir()
	writeECGRecord(t, dir, "syn")
	for _, args := range [][]string{
		{"ecg", "detect", "--record", filepath.Join(dir, "syn"), "--signal", "-1"},
		{"ecg", "eval", "--db", dir, "--signal", "-3"},
		{"ecg", "detect", "--record", filepath.Join(dir, "syn"), "--signal", "NaN"},
	} {
		rc, _, stderr := runTC(args...)
		assert.Equal(t, 2, rc, "%v", args)
		assert.Contains(t, stderr, "signal", "%v names the flag", args)
	}
}
