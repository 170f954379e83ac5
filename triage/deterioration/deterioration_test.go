package deterioration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/ids"
)

var t0 = time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)

func rd(min, total int, band Band) Reading {
	return Reading{At: t0.Add(time.Duration(min) * time.Minute), Total: total, Band: band, Complete: band != BandUnknown}
}

func newWatch(t *testing.T) *Watch {
	t.Helper()
	w, err := New(DefaultConfig())
	require.NoError(t, err)
	return w
}

func TestObserveRaisesAnAlertWhen(t *testing.T) {
	tests := []struct {
		name     string
		baseline Reading
		reading  Reading
		alert    bool
		reasons  []Reason
	}{
		{"the total rises by exactly 2 within the same band", rd(0, 0, BandLow), rd(5, 2, BandLow), true, []Reason{ReasonRise}},
		{"the total rises by 1 only: no alert", rd(0, 2, BandLow), rd(5, 3, BandLow), false, nil},
		{"the total stays the same: no alert", rd(0, 4, BandLow), rd(5, 4, BandLow), false, nil},
		{"the total falls: no alert", rd(0, 6, BandMedium), rd(5, 3, BandLow), false, nil},
		{"a rise of 1 crosses from low into medium", rd(0, 4, BandLow), rd(5, 5, BandMedium), true, []Reason{ReasonBandUp}},
		{"a single red parameter moves low to low-medium with a rise of 1", rd(0, 2, BandLow), rd(5, 3, BandLowMedium), true, []Reason{ReasonBandUp}},
		{"a rise of 3 into high carries both reasons", rd(0, 5, BandMedium), rd(5, 8, BandHigh), true, []Reason{ReasonRise, ReasonBandUp}},
		{"an incomplete set whose partial total rose by 2 still alerts", rd(0, 1, BandLow), Reading{At: t0.Add(time.Minute), Total: 3}, true, []Reason{ReasonRise}},
		{"an incomplete set never compares bands", rd(0, 4, BandLow), Reading{At: t0.Add(time.Minute), Total: 5, Band: BandMedium}, false, nil},
		{"an incomplete baseline never compares bands", Reading{At: t0, Total: 4}, rd(1, 5, BandMedium), false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWatch(t)
			require.NoError(t, w.Track(enc, tt.baseline))
			a, raised, err := w.Observe(enc, tt.reading)
			require.NoError(t, err)
			require.Equal(t, tt.alert, raised, "baseline %d %s, reading %d %s", tt.baseline.Total, tt.baseline.Band, tt.reading.Total, tt.reading.Band)
			if !tt.alert {
				assert.Empty(t, w.Open())
				return
			}
			assert.Equal(t, tt.reasons, a.Reasons)
			assert.Equal(t, "1#1", a.ID)
			assert.Equal(t, tt.reading.Total-tt.baseline.Total, a.Rise())
			assert.Equal(t, tt.reading.At, a.Raised)
			assert.False(t, a.Acknowledged())
		})
	}
}

func TestAnAlertLevelDoesNotAlertTwiceButAFurtherRiseDoes(t *testing.T) {
	w := newWatch(t)
	require.NoError(t, w.Track(enc, rd(0, 1, BandLow)))
	_, raised, err := w.Observe(enc, rd(1, 3, BandLow))
	require.NoError(t, err)
	require.True(t, raised, "1 -> 3 is a rise of 2")

	_, raised, _ = w.Observe(enc, rd(2, 3, BandLow))
	assert.False(t, raised, "3 again is the new baseline, not a new alert")
	_, raised, _ = w.Observe(enc, rd(3, 4, BandLow))
	assert.False(t, raised, "3 -> 4 is a rise of 1 only")

	a, raised, _ := w.Observe(enc, rd(4, 5, BandMedium))
	require.True(t, raised, "3 -> 5 rises by 2 and crosses into medium")
	// One open alert per patient: the further rise folds into it and it
	// shows the latest reading, against the triage it started from.
	assert.Equal(t, "1#1", a.ID)
	assert.Equal(t, 1, a.Baseline.Total)
	assert.Equal(t, 5, a.Reading.Total)
	assert.Equal(t, 1, a.Updates)
	assert.Equal(t, []Reason{ReasonRise, ReasonBandUp}, a.Reasons)
	assert.Len(t, w.Open(), 1, "older alerts fold into the open one")

	_, err = w.Acknowledge(a.ID, "kari", t0.Add(5*time.Minute), "re-triage")
	require.NoError(t, err)
	b, raised, _ := w.Observe(enc, rd(6, 7, BandHigh))
	require.True(t, raised, "after the answer a further worsening is a new alert")
	assert.Equal(t, "1#2", b.ID)
	assert.Equal(t, 5, b.Baseline.Total)
}

func TestLastIsTheNewestReading(t *testing.T) {
	w := newWatch(t)
	_, ok := w.Last(enc)
	assert.False(t, ok)
	require.NoError(t, w.Track(enc, rd(0, 1, BandLow)))
	last, ok := w.Last(enc)
	require.True(t, ok)
	assert.Equal(t, 1, last.Total, "the baseline until a reading arrives")
	_, _, err := w.Observe(enc, rd(1, 2, BandLow))
	require.NoError(t, err)
	last, _ = w.Last(enc)
	assert.Equal(t, 2, last.Total)
}

func TestUntrackedEncountersNeverAlert(t *testing.T) {
	w := newWatch(t)
	_, raised, err := w.Observe(99, rd(1, 12, BandHigh))
	require.NoError(t, err)
	assert.False(t, raised)

	require.NoError(t, w.Track(2, rd(0, 0, BandLow)))
	w.Untrack(2)
	assert.False(t, w.Tracking(2))
	_, raised, _ = w.Observe(2, rd(1, 12, BandHigh))
	assert.False(t, raised, "a patient no longer waiting on a monitor is not watched")
}

func TestRetriageResetsTheBaseline(t *testing.T) {
	w := newWatch(t)
	require.NoError(t, w.Track(enc, rd(0, 2, BandLow)))
	_, raised, _ := w.Observe(enc, rd(1, 5, BandMedium))
	require.True(t, raised)

	// The nurse re-triages at 5; a later 6 is a rise of 1 and same band.
	require.NoError(t, w.Track(enc, rd(2, 5, BandMedium)))
	b, ok := w.Baseline(enc)
	require.True(t, ok)
	assert.Equal(t, 5, b.Total)
	_, raised, _ = w.Observe(enc, rd(3, 6, BandMedium))
	assert.False(t, raised)
}

func TestAcknowledgementIsRecordedOnce(t *testing.T) {
	w := newWatch(t)
	require.NoError(t, w.Track(enc, rd(0, 0, BandLow)))
	a, raised, _ := w.Observe(enc, rd(1, 7, BandHigh))
	require.True(t, raised)

	at := t0.Add(2 * time.Minute)
	ack, err := w.Acknowledge(a.ID, "nurse.kari", at, "re-triaged")
	require.NoError(t, err)
	assert.Equal(t, Ack{AlertID: "1#1", EncounterID: enc, By: "nurse.kari", At: at, Note: "re-triaged"}, ack)
	assert.Empty(t, w.Open())
	require.Len(t, w.Alerts(), 1)
	require.True(t, w.Alerts()[0].Acknowledged())
	assert.Equal(t, "nurse.kari", w.Alerts()[0].Ack.By)
	assert.Equal(t, []Ack{ack}, w.Acks())

	_, err = w.Acknowledge(a.ID, "nurse.ola", at.Add(time.Minute), "")
	require.ErrorIs(t, err, ErrAlreadyAcknowledged)
	assert.Contains(t, err.Error(), "nurse.kari", "the error names who acknowledged first")
	assert.Len(t, w.Acks(), 1, "the first acknowledgement is kept")
}

func TestAcknowledgeRejects(t *testing.T) {
	w := newWatch(t)
	require.NoError(t, w.Track(enc, rd(0, 0, BandLow)))
	a, _, _ := w.Observe(enc, rd(1, 3, BandLow))
	tests := []struct {
		name, id, by string
		at           time.Time
		want         string
	}{
		{"an unknown alert id", "nope#1", "kari", t0, "unknown alert"},
		{"an acknowledgement by nobody", a.ID, "  ", t0, "must be named"},
		{"an acknowledgement without a time", a.ID, "kari", time.Time{}, "time must be set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.Acknowledge(tt.id, tt.by, tt.at, "")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.Len(t, w.Open(), 1, "a rejected acknowledgement leaves the alert open")
}

func TestOpenListsTheMostSevereFirst(t *testing.T) {
	w := newWatch(t)
	for _, e := range []ids.Encounter{1, 2, 3} {
		require.NoError(t, w.Track(e, rd(0, 0, BandLow)))
	}
	_, _, _ = w.Observe(1, rd(1, 3, BandLow))
	_, _, _ = w.Observe(2, rd(2, 8, BandHigh))
	_, _, _ = w.Observe(3, rd(3, 5, BandMedium))
	var order []ids.Encounter
	for _, a := range w.Open() {
		order = append(order, a.EncounterID)
	}
	assert.Equal(t, []ids.Encounter{2, 3, 1}, order)
}

func TestBadReadingsAreRejectedWithTheRange(t *testing.T) {
	w := newWatch(t)
	require.Error(t, w.Track(0, rd(0, 0, BandLow)))
	err := w.Track(enc, Reading{At: t0, Total: 21})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "accepted range 0-20")
	require.NoError(t, w.Track(enc, rd(0, 0, BandLow)))
	_, _, err = w.Observe(enc, Reading{At: t0, Total: -1})
	assert.ErrorContains(t, err, "accepted range 0-20")
	_, _, err = w.Observe(enc, Reading{Total: 3})
	assert.ErrorContains(t, err, "reading time: must be set")
	_, _, err = w.Observe(enc, Reading{At: t0, Total: 3, Band: 9})
	assert.ErrorContains(t, err, "band 9")
}

func TestNewRejectsAZeroRise(t *testing.T) {
	_, err := New(Config{})
	assert.ErrorContains(t, err, "MinRise 0: accepted range 1-20")
}

func TestBandNamesRoundTrip(t *testing.T) {
	for _, b := range []Band{BandLow, BandLowMedium, BandMedium, BandHigh} {
		p, err := ParseBand(b.String())
		require.NoError(t, err)
		assert.Equal(t, b, p)
	}
	p, err := ParseBand("")
	require.NoError(t, err)
	assert.Equal(t, BandUnknown, p)
	assert.Equal(t, "unknown", BandUnknown.String())
	_, err = ParseBand("severe")
	assert.ErrorContains(t, err, "want one of low, low-medium, medium, high")
}

// enc is the encounter the single-patient tests watch.
const enc ids.Encounter = 1
