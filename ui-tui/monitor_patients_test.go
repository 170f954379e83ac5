package tui

import (
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-tui/monitorboard"
	"github.com/legevakt/workstation/ui-tui/screen/screentest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The same through Attach: a monitor of this workstation moved from one
// waiting patient to another. The old patient's fresh values neither
// complete the new patient's NEWS2 nor raise FORVERRET on them, and the
// old patient is no longer watched.
func TestAttachingAnotherPatientDropsThePreviousPatientsValues(t *testing.T) {
	m, a := attachedBoard("nb", 10*time.Minute, 0, "low")
	screentest.FeedValues(m, septicNow) // A: NEWS2 5, flagged 0→5
	_, _, ok := m.Deteriorated(a.EncounterID)
	require.True(t, ok)

	b := monitorboard.MonitoredPatient{Device: "demo-sepsis", Location: "Obs 1", EncounterID: 43, Label: "Neste Pasient",
		Assessed: monitorboard.AssessedContext{At: testNow.Add(-5 * time.Minute), Oxygen: news2.Air, Consciousness: news2.Alert, NEWS2: intp(0), Band: "low"}}
	m.Attach(b)
	// B's first value: a normal pulse.
	m.Add(monitorboard.MonitorReading{Device: "demo-sepsis", Location: "Obs 1", Obs: obs(vitals.HR, 70, vitals.PerMin, time.Second)})
	_, _, ok = m.Deteriorated(b.EncounterID)
	assert.False(t, ok, "B flagged FORVERRET from A's RR 21, SBP 108 and T 38.3")
	assert.NotContains(t, plain(m), "RF 21", "A's values shown beside B's name")
	assert.False(t, m.Watches(a.EncounterID), "A is no longer on a monitor, so no longer watched")
}
