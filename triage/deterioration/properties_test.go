package deterioration

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage"
	"github.com/legevakt/workstation/triage/ids"
	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
)

var (
	propParams = []string{"rr", "spo2", "sbp", "hr", "consciousness", "temp"}
	propRules  = []string{"adult.hr.red.high", "adult.spo2.red.low", "adult.rr.red.high", "news2.high"}
	propKinds  = []string{string(vitals.HR), string(vitals.SpO2), string(vitals.RR), string(vitals.SBP)}
)

func subset(rng *rand.Rand, pool []string) []string {
	var out []string
	for _, x := range pool {
		if rng.IntN(4) == 0 {
			out = append(out, x)
		}
	}
	return out
}

// randomReading is a reading as the engine could give it: a band from the
// total on a complete set (RCP Chart 3), none on an incomplete one.
func randomReading(rng *rand.Rand, at time.Time) Reading {
	r := Reading{At: at, Total: rng.IntN(MaxTotal + 1), Complete: rng.IntN(3) > 0,
		Threes: subset(rng, propParams), RedRules: subset(rng, propRules),
		Colour: triage.Colours[rng.IntN(len(triage.Colours))], HasColour: true}
	if r.Complete {
		b, err := ParseBand(news2.BandFor(r.Total, len(r.Threes) > 0).String())
		if err == nil {
			r.Band = b
		}
	}
	return r
}

// worse reports whether r is a clinical worsening over base, written out
// from the list independently of compare.
func worse(base, r Reading) bool {
	if r.Total >= base.Total+2 {
		return true
	}
	if base.Complete && r.Complete && base.Band != BandUnknown && r.Band > base.Band {
		return true
	}
	for _, p := range r.Threes {
		if !slices.Contains(base.Threes, p) {
			return true
		}
	}
	for _, id := range r.RedRules {
		if !slices.Contains(base.RedRules, id) {
			return true
		}
	}
	return base.HasColour && r.HasColour && r.Colour < base.Colour
}

// Over random sequences of tracking, readings, monitor reports and
// acknowledgements for a few patients: every worsening alerts (a new
// single 3, a new red rule, a colour rise, a rise of 2, a band rise, a
// value gone stale, a silent monitor), nothing else does, a patient never
// has two open alerts, and the open alert always shows the latest reading
// that worsened.
func TestEveryWorseningAlertsAndOnePatientHasOneOpenAlert(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 17))
	encs := []ids.Encounter{1, 2, 3}
	for run := 0; run < 200; run++ {
		w := newWatch(t)
		at := t0
		lastSignal := map[ids.Encounter]Signal{}
		for step := 0; step < 60; step++ {
			at = at.Add(time.Duration(1+rng.IntN(30)) * time.Second)
			enc := encs[rng.IntN(len(encs))]
			switch op := rng.IntN(10); {
			case op == 0:
				require.NoError(t, w.Track(enc, randomReading(rng, at)))
			case op == 1:
				w.Untrack(enc)
				delete(lastSignal, enc)
			case op == 2:
				for _, a := range w.Open() {
					if a.EncounterID == enc {
						_, err := w.Acknowledge(a.ID, "kari", at, "reason")
						require.NoError(t, err)
					}
				}
			case op <= 4:
				s := Signal{At: at, Stale: subset(rng, propKinds), Silent: rng.IntN(4) == 0}
				tracked := w.Tracking(enc)
				prev := lastSignal[enc]
				a, raised, err := w.Report(enc, s)
				require.NoError(t, err)
				if !tracked {
					assert.False(t, raised, "an untracked patient alerted")
					break
				}
				lastSignal[enc] = s
				newStale := false
				for _, k := range s.Stale {
					newStale = newStale || !slices.Contains(prev.Stale, k)
				}
				want := newStale || s.Silent && !prev.Silent
				require.Equal(t, want, raised, "run %d step %d: signal %+v after %+v", run, step, s, prev)
				if newStale {
					assert.Contains(t, a.Reasons, ReasonStale)
				}
				if s.Silent && !prev.Silent {
					assert.Contains(t, a.Reasons, ReasonSilent)
				}
			default:
				r := randomReading(rng, at)
				base, tracked := w.Baseline(enc)
				a, raised, err := w.Observe(enc, r)
				require.NoError(t, err)
				if !tracked {
					assert.False(t, raised, "an untracked patient alerted")
					break
				}
				require.Equal(t, worse(base, r), raised, "run %d step %d: %+v after baseline %+v", run, step, r, base)
				if raised {
					assert.Equal(t, r.Total, a.Reading.Total, "the alert shows the latest reading")
					assert.Equal(t, r.At, a.Updated)
					nb, _ := w.Baseline(enc)
					assert.Equal(t, r.At, nb.At, "the alerting reading is the new comparison point")
				}
			}
			open := map[ids.Encounter]int{}
			for _, a := range w.Open() {
				open[a.EncounterID]++
				require.LessOrEqual(t, open[a.EncounterID], 1, "patient %d has two open alerts", a.EncounterID)
			}
		}
	}
}

func TestEachNewWorseningNamesWhatAlerted(t *testing.T) {
	base := Reading{At: t0, Total: 3, Band: BandLow, Complete: true, Colour: triage.Yellow, HasColour: true}
	tests := []struct {
		name string
		r    Reading
		want []Reason
	}{
		{"a new single 3 with a rise of 1 only", Reading{Total: 4, Band: BandLowMedium, Complete: true, Threes: []string{"hr"}, Colour: triage.Yellow, HasColour: true},
			[]Reason{ReasonBandUp, ReasonThree}},
		{"a new single 3 on an incomplete set", Reading{Total: 3, Threes: []string{"spo2"}, Colour: triage.Yellow, HasColour: true},
			[]Reason{ReasonThree}},
		{"a red rule of the engine at the same NEWS2", Reading{Total: 3, Band: BandLow, Complete: true, RedRules: []string{"adult.hr.red.high"}, Colour: triage.Red, HasColour: true},
			[]Reason{ReasonRedRule, ReasonColourUp}},
		{"the colour alone rises", Reading{Total: 3, Band: BandLow, Complete: true, Colour: triage.Orange, HasColour: true},
			[]Reason{ReasonColourUp}},
		{"the colour falls: nothing", Reading{Total: 3, Band: BandLow, Complete: true, Colour: triage.Green, HasColour: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWatch(t)
			require.NoError(t, w.Track(enc, base))
			tt.r.At = t0.Add(time.Minute)
			a, raised, err := w.Observe(enc, tt.r)
			require.NoError(t, err)
			require.Equal(t, tt.want != nil, raised)
			if raised {
				assert.Equal(t, tt.want, a.Reasons)
				assert.Equal(t, tt.r.Threes, a.NewThrees)
				assert.Equal(t, tt.r.RedRules, a.NewRedRules)
			}
		})
	}
}

func TestAStaleValueOrASilentMonitorAlertsOnceUntilItRecovers(t *testing.T) {
	w := newWatch(t)
	require.NoError(t, w.Track(enc, rd(0, 2, BandLow)))
	_, raised, err := w.Report(enc, Signal{At: t0.Add(time.Minute)})
	require.NoError(t, err)
	assert.False(t, raised, "a live monitor with fresh values")

	a, raised, _ := w.Report(enc, Signal{At: t0.Add(2 * time.Minute), Stale: []string{"spo2"}})
	require.True(t, raised)
	assert.Equal(t, []Reason{ReasonStale}, a.Reasons)
	assert.Equal(t, []string{"spo2"}, a.Stale)
	assert.Equal(t, 2, a.Reading.Total, "the alert carries the last reading")

	_, raised, _ = w.Report(enc, Signal{At: t0.Add(3 * time.Minute), Stale: []string{"spo2"}})
	assert.False(t, raised, "still stale: no new alert")

	a, raised, _ = w.Report(enc, Signal{At: t0.Add(4 * time.Minute), Stale: []string{"spo2", "hr"}, Silent: true})
	require.True(t, raised)
	assert.Equal(t, "1#1", a.ID, "folded into the open alert")
	assert.Equal(t, []Reason{ReasonStale, ReasonSilent}, a.Reasons)
	assert.Equal(t, []string{"spo2", "hr"}, a.Stale)
	assert.True(t, a.Silent)

	_, err = w.Acknowledge(a.ID, "kari", t0.Add(5*time.Minute), "monitor checked")
	require.NoError(t, err)
	_, raised, _ = w.Report(enc, Signal{At: t0.Add(6 * time.Minute)})
	assert.False(t, raised, "recovered")
	a, raised, _ = w.Report(enc, Signal{At: t0.Add(7 * time.Minute), Silent: true})
	require.True(t, raised, "silent again after recovering")
	assert.Equal(t, "1#2", a.ID)

	_, _, err = w.Report(enc, Signal{})
	assert.ErrorContains(t, err, "signal time: must be set")
	_, raised, _ = w.Report(99, Signal{At: t0, Silent: true})
	assert.False(t, raised)
}

// FromAssessment reads the engine's result: a parameter scoring 3, a rule
// giving red, the computed colour (not the override).
func TestFromAssessmentReadsThreesRedRulesAndTheComputedColour(t *testing.T) {
	var a triage.Assessment
	a.Computed, a.Colour = triage.Red, triage.Red
	a.NEWS2 = news2.Result{Applicable: true, Complete: true, Total: 7, Band: news2.High}
	a.NEWS2.Components.HR = news2.Component{Present: true, Score: 3}
	a.NEWS2.Components.RR = news2.Component{Present: true, Score: 2}
	a.Reasons = []triage.Reason{{Rule: "adult.hr.red.high", Colour: triage.Red}, {Rule: "adult.rr.orange", Colour: triage.Orange}}
	r := FromAssessment(a, t0)
	assert.Equal(t, Reading{At: t0, Total: 7, Band: BandHigh, Complete: true, Threes: []string{"hr"},
		RedRules: []string{"adult.hr.red.high"}, Colour: triage.Red, HasColour: true}, r)

	a.NEWS2.Complete, a.NEWS2.Band = false, news2.BandNone
	r = FromAssessment(a, t0)
	assert.Equal(t, BandUnknown, r.Band, "an incomplete set claims no band")
}
