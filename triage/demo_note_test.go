package triage

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
)

// The demo warning says exactly what is true: "simulated values were used"
// only when a simulator's value is among the values the result used; a demo
// session scored from other sources is marked as training data instead.
func TestDemoNoteNamesSimulatedValuesOnlyWhenOneIsUsed(t *testing.T) {
	manualObs := func(k vitals.Kind, v float64, u vitals.Unit) vitals.Observation {
		return obs(k, v, u, vitals.SourceManual, 30*time.Second, vitals.Valid)
	}
	noPlain := func(in Input) Input {
		in.RR, in.SpO2, in.SBP, in.DBP, in.HR, in.TempC = news2.Measure{}, news2.Measure{}, news2.Measure{}, news2.Measure{}, news2.Measure{}, news2.Measure{}
		return in
	}
	cases := []struct {
		name string
		in   Input
		want string // the demo note's code in demo mode
	}{
		{"manual: plain numbers typed on the form", healthy(), "demo_session"},
		{"manual: hand observations with their time", func() Input {
			in := noPlain(healthy())
			in.Observations = []vitals.Observation{manualObs(vitals.RR, 16, vitals.PerMin), manualObs(vitals.SpO2, 98, vitals.Percent),
				manualObs(vitals.SBP, 125, vitals.MmHg), manualObs(vitals.HR, 72, vitals.PerMin), manualObs(vitals.Temp, 37, vitals.Cel)}
			return in
		}(), "demo_session"},
		{"device: a real monitor's valid values", func() Input {
			in := healthy()
			in.HR = news2.Measure{}
			in.Observations = []vitals.Observation{obs(vitals.HR, 72, vitals.PerMin, "monitor-1", time.Second, vitals.Valid)}
			return in
		}(), "demo_session"},
		{"simulated: every value from a simulator", func() Input {
			in := noPlain(healthy())
			in.Observations = []vitals.Observation{obs(vitals.RR, 16, vitals.PerMin, "sim-1", time.Second, vitals.Demo),
				obs(vitals.SpO2, 98, vitals.Percent, "sim-1", time.Second, vitals.Demo), obs(vitals.HR, 72, vitals.PerMin, "sim-1", time.Second, vitals.Demo)}
			return in
		}(), "demo_values"},
		{"mixed: hand values and one simulated pulse", func() Input {
			in := healthy()
			in.HR = news2.Measure{}
			in.Observations = []vitals.Observation{obs(vitals.HR, 72, vitals.PerMin, "sim-1", time.Second, vitals.Demo)}
			return in
		}(), "demo_values"},
		{"mixed: the nurse's value displaces the simulator's", func() Input {
			in := healthy() // plain HR 72 wins over the simulator's
			in.Observations = []vitals.Observation{obs(vitals.HR, 130, vitals.PerMin, "sim-1", time.Second, vitals.Demo)}
			return in
		}(), "demo_session"},
		{"mixed: a newer hand observation displaces an older simulated one", func() Input {
			in := healthy()
			in.HR = news2.Measure{}
			in.Observations = []vitals.Observation{obs(vitals.HR, 130, vitals.PerMin, "sim-1", time.Minute, vitals.Demo), manualObs(vitals.HR, 72, vitals.PerMin)}
			return in
		}(), "demo_session"},
		{"mixed: a stale simulated value is left out", func() Input {
			in := healthy()
			in.HR = news2.Measure{}
			in.Observations = []vitals.Observation{obs(vitals.HR, 72, vitals.PerMin, "sim-1", time.Hour, vitals.Demo)}
			return in
		}(), "demo_session"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := NewEngine(nil, WithDemoValues()).Assess(c.in, now)
			require.NoError(t, err)
			codes := noteCodes(a)
			assert.Contains(t, codes, c.want)
			other := map[string]string{"demo_session": "demo_values", "demo_values": "demo_session"}[c.want]
			assert.NotContains(t, codes, other, "one demo note per result")
			// The note agrees with what the result says it used.
			simulated := false
			for _, u := range a.Used {
				for _, o := range c.in.Observations {
					if o.Quality == vitals.Demo && o.Kind == u.Kind && o.Source == u.Source && o.HostTime.Equal(u.HostTime) {
						simulated = true
					}
				}
			}
			assert.Equal(t, simulated, c.want == "demo_values")
			// Outside demo mode no demo note at all.
			b := assess(t, c.in)
			assert.NotContains(t, noteCodes(b), "demo_values")
			assert.NotContains(t, noteCodes(b), "demo_session")
		})
	}
}

// Property over every scored kind: one simulated value among hand values
// gives "demo_values" exactly when the engine chose it.
func TestDemoNoteOverEveryKind(t *testing.T) {
	values := map[vitals.Kind]float64{vitals.RR: 16, vitals.SpO2: 98, vitals.SBP: 125, vitals.DBP: 80, vitals.HR: 72, vitals.PR: 72, vitals.Temp: 37}
	for _, k := range scoredKinds {
		for _, handToo := range []bool{false, true} {
			in := healthy()
			if !handToo {
				switch k {
				case vitals.RR:
					in.RR = news2.Measure{}
				case vitals.SpO2:
					in.SpO2 = news2.Measure{}
				case vitals.SBP:
					in.SBP = news2.Measure{}
				case vitals.DBP:
					in.DBP = news2.Measure{}
				case vitals.HR, vitals.PR:
					in.HR = news2.Measure{}
				case vitals.Temp:
					in.TempC = news2.Measure{}
				}
			}
			in.Observations = []vitals.Observation{obs(k, values[k], vitals.CanonicalUnit(k), "sim-1", time.Second, vitals.Demo)}
			a, err := NewEngine(nil, WithDemoValues()).Assess(in, now)
			require.NoError(t, err)
			used := false
			for _, u := range a.Used {
				used = used || (u.Kind == k && u.Source == "sim-1")
			}
			// PR has no plain number: it is always chosen; others only
			// when the nurse typed none.
			assert.Equal(t, !handToo || k == vitals.PR, used, "%s hand=%v", k, handToo)
			if used {
				assert.Contains(t, noteCodes(a), "demo_values", "%s hand=%v", k, handToo)
			} else {
				assert.Contains(t, noteCodes(a), "demo_session", "%s hand=%v", k, handToo)
				assert.NotContains(t, noteCodes(a), "demo_values", "%s hand=%v", k, handToo)
			}
		}
	}
}
