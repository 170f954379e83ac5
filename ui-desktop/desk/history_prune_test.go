package desk

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
)

// TestHistoriesForgetPatientsNoLongerMonitored: a patient whose monitor
// went to someone else keeps the trend's window of values, no more, and
// is forgotten when the window has passed; the patient still on the
// monitor keeps the window, however long the session.
func TestHistoriesForgetPatientsNoLongerMonitored(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	h := histories{}
	obs := func(at time.Time) vitals.Observation {
		return vitals.Observation{Kind: vitals.HR, Value: 80, Unit: vitals.PerMin, Source: "sim-1", HostTime: at, Quality: vitals.Valid}
	}
	const left, staying = ids.Encounter(1), ids.Encounter(2)
	for s := 0; s < 600; s++ { // 10 minutes on the monitor, then it moves on
		h.add(left, obs(t0.Add(time.Duration(s)*time.Second)))
	}
	for _, tc := range []struct {
		after     time.Duration
		leftKept  int
		leftInMap bool
	}{
		{after: 10 * time.Minute, leftKept: 600, leftInMap: true},
		{after: TrendWindow + 5*time.Minute, leftKept: 300, leftInMap: true},
		{after: TrendWindow + 10*time.Minute, leftKept: 0, leftInMap: false},
		{after: 8 * time.Hour, leftKept: 0, leftInMap: false},
	} {
		now := t0.Add(tc.after)
		h.add(staying, obs(now))
		h.prune(now)
		_, in := h[left]
		assert.Equal(t, tc.leftInMap, in, "after %s", tc.after)
		assert.Len(t, h[left], tc.leftKept, "after %s", tc.after)
		assert.NotEmpty(t, h[staying], "the patient on the monitor keeps the window")
		for id, list := range h {
			for _, o := range list {
				assert.False(t, o.HostTime.Before(now.Add(-TrendWindow)), "encounter %d keeps a value older than the window", id)
			}
		}
	}
}
