package ecg_test

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/protocols/wfdb"
	"github.com/legevakt/workstation/sharedfiles"
	"github.com/legevakt/workstation/triage/ecg"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test -run %s -update", t.Name())
	assert.Equal(t, string(want), got, "output differs from %s (if the change is intended, run with -update and review the diff)", path)
}

// TestGoldenRecord800 pins the beats and the once-a-minute summaries of
// the 128/s reference record, so any change of the detector or the
// analyser shows as a reviewable diff.
func TestGoldenRecord800(t *testing.T) {
	rec, err := wfdb.ReadRecord(os.DirFS(sharedfiles.Dir(t, "ecg", "svdb/800.hea")), "svdb/800")
	require.NoError(t, err)
	x, err := rec.Physical(0)
	require.NoError(t, err)
	rate := rec.Header.Rate
	a, err := ecg.NewAnalyzer(ecg.AnalyzerConfig{Rate: rate, UnitsPerMillivolt: 1})
	require.NoError(t, err)
	var beats, summaries strings.Builder
	minute := int(60 * rate)
	for i := 0; i < len(x); i += minute {
		end := min(i+minute, len(x))
		a.Push(x[i:end], false, func(b ecg.Beat) {
			fmt.Fprintf(&beats, "%d %.3f %v\n", b.Sample, b.Amplitude, b.SearchBack)
		})
		s := a.Summary()
		fmt.Fprintf(&summaries, "%3d min: hr %s irregularity %s dispersion %s af %v flags %q quality %s\n",
			end/minute, num(s.HeartRate, 1), num(s.Irregularity, 3), num(s.Dispersion, 3), s.AFSuspected, s.Flags.String(), s.Quality)
	}
	golden(t, "svdb800_beats.golden", beats.String())
	golden(t, "svdb800_summaries.golden", summaries.String())
}

func num(v float64, digits int) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.*f", digits, v)
}
