package eval

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompareCountsBeatByBeat(t *testing.T) {
	// At 100 samples/s the 150 ms window is 15 samples either side.
	const rate = 100
	opt := Options{Window: MatchWindow, Start: 0}
	tests := []struct {
		name     string
		ref, det []int64
		want     Counts
	}{
		{"identical times all match", []int64{100, 200, 300}, []int64{100, 200, 300}, Counts{TP: 3}},
		{"a detection exactly 150 ms away still matches", []int64{100}, []int64{115}, Counts{TP: 1}},
		{"a detection 160 ms away is a false positive and the beat is missed", []int64{100}, []int64{116}, Counts{FP: 1, FN: 1}},
		{"two detections near one beat: one matches, one is false", []int64{100}, []int64{95, 105}, Counts{TP: 1, FP: 1}},
		{"one detection between two close beats matches only one of them", []int64{100, 110}, []int64{105}, Counts{TP: 1, FN: 1}},
		{"the matching is maximal when windows overlap", []int64{100, 120}, []int64{108, 133}, Counts{TP: 2}},
		{"no detections miss every beat", []int64{100, 200}, nil, Counts{FN: 2}},
		{"detections without beats are all false", nil, []int64{100, 200}, Counts{FP: 2}},
		{"input order does not matter", []int64{300, 100, 200}, []int64{200, 300, 100}, Counts{TP: 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Compare(tc.ref, tc.det, rate, opt)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCompareScoresOnlyFromTheStart(t *testing.T) {
	const rate = 100
	// Start at 5:00 = sample 30000. A beat just before the start matched
	// by a detection just after it counts for neither side.
	ref := []int64{100, 29995, 30100, 30200}
	det := []int64{100, 150, 30005, 30100, 30400}
	got, err := Compare(ref, det, rate, DefaultOptions())
	require.NoError(t, err)
	assert.Equal(t, Counts{TP: 1, FP: 1, FN: 1}, got, "30100 matches, 30200 is missed, 30400 is false; 29995/30005 is before the start")
}

func TestCompareRefusesNonsenseOptions(t *testing.T) {
	_, err := Compare(nil, nil, 0, DefaultOptions())
	assert.ErrorContains(t, err, "sampling rate")
	_, err = Compare(nil, nil, 360, Options{Window: 0, Start: 0})
	assert.ErrorContains(t, err, "window")
	_, err = Compare(nil, nil, 360, Options{Window: 0.15, Start: -1})
	assert.ErrorContains(t, err, "start")
}

func TestSensitivityAndPredictivity(t *testing.T) {
	c := Counts{TP: 998, FP: 2, FN: 1}
	assert.InDelta(t, 998.0/999, c.Se(), 1e-12)
	assert.InDelta(t, 998.0/1000, c.PPV(), 1e-12)
	assert.Equal(t, Counts{TP: 1000, FP: 3, FN: 1}, c.Add(Counts{TP: 2, FP: 1}))
	assert.True(t, math.IsNaN(Counts{}.Se()), "no reference beats: sensitivity undefined, not 0 or 100 %")
	assert.True(t, math.IsNaN(Counts{}.PPV()))
}

func TestWriteTablePrintsRecordsAndGross(t *testing.T) {
	var b strings.Builder
	require.NoError(t, WriteTable(&b, []Result{
		{"100", Counts{TP: 1901, FN: 1}},
		{"108", Counts{TP: 1474, FP: 25, FN: 6}},
		{"empty", Counts{}},
	}))
	want := "" +
		"  record    TP  FP  FN    Se%     +P%\n" +
		"     100  1901   0   1  99.95  100.00\n" +
		"     108  1474  25   6  99.59   98.33\n" +
		"   empty     0   0   0      -       -\n" +
		"   gross  3375  25   7  99.79   99.26\n"
	assert.Equal(t, want, b.String())
}
