package monitorboard

import (
	"testing"
	"time"

	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/vitals"
	"github.com/stretchr/testify/assert"
)

// A shared-store monitor (the reception's "desk-mon-3") is taken off
// patient A and put on patient B. The store feed names B on B's readings
// (MonitorReading.EncounterID, Patient); the bed then forgets A's blood
// pressure, temperature and trend instead of scoring them as B's.
func TestStoreMonitorMovedToAnotherPatientDoesNotMixThem(t *testing.T) {
	m := New(newTestContext("nb", true), nil, News2Chart{})
	rd := func(enc ids.Encounter, who string, k vitals.Kind, v float64, u vitals.Unit, ago time.Duration) MonitorReading {
		o := obs(k, v, u, ago)
		o.Source = "desk-mon-3"
		return MonitorReading{Device: "desk-mon-3", Location: who, Patient: who, EncounterID: enc, Obs: o}
	}
	// Patient A, septic: low BP, fever, fast pulse over four minutes.
	for i, hr := range []float64{118, 124, 130, 136, 140} {
		m.Add(rd(10, "Pasient A", vitals.HR, hr, vitals.PerMin, time.Duration(8-i)*30*time.Second))
	}
	m.Add(rd(10, "Pasient A", vitals.SBP, 84, vitals.MmHg, 4*time.Minute))
	m.Add(rd(10, "Pasient A", vitals.Temp, 39.6, vitals.Cel, 4*time.Minute))
	// The monitor is now on patient B: one pulse so far.
	m.Add(rd(11, "Pasient B", vitals.HR, 64, vitals.PerMin, 5*time.Second))

	s := plain(m)
	assert.Contains(t, s, "Pasient B")
	assert.NotContains(t, s, "BT 84", "A's blood pressure shown as B's")
	assert.NotContains(t, s, "T 39,6", "A's temperature shown as B's")
	assert.Contains(t, s, "NEWS2 0+", "B's NEWS2 is B's pulse 64 alone (0), not A's SBP 84 (3) and T 39.6 (2)")
	assert.Contains(t, s, "(samler", "B's trend starts empty; A's pulse points are not B's")
}
