package triage

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/vitals"
)

// randomInput draws a patient with each vital present or not, over the
// whole accepted range, with a random context.
func randomInput(r *rand.Rand, ageDays int) Input {
	m := func(lo, hi float64) news2.Measure {
		if r.IntN(8) == 0 {
			return news2.Measure{}
		}
		return news2.Of(lo + r.Float64()*(hi-lo))
	}
	in := Input{
		AgeDays: ageDays, AgeKnown: true,
		RR: m(0, 80), SpO2: m(50, 100), HR: m(20, 250), TempC: m(30, 43),
		Oxygen:        news2.Oxygen(r.IntN(3)),
		Consciousness: news2.ACVPU(r.IntN(6)),
		Pregnant:      r.IntN(10) == 0,
		NurseConcern:  r.IntN(10) == 0,
	}
	sbp := m(40, 260)
	if sbp.Present {
		in.SBP = sbp
		in.DBP = news2.Of(10 + r.Float64()*(min(sbp.Value, 250)-11))
	}
	codes := NewEngine(nil).Rules().Codes()
	if r.IntN(4) == 0 {
		in.Complaint = codes[r.IntN(len(codes))]
	}
	if r.IntN(3) == 0 {
		in.Scale2 = news2.Scale2Decision{By: "dr. Berg", At: now.Add(-time.Hour)}
	}
	return in
}

func randomAge(r *rand.Rand) int { return r.IntN(MaxAgeDays + 1) }

const propertyRuns = 3000

func TestInvariantUnresponsiveIsRed(t *testing.T) {
	r := rng()
	for i := range propertyRuns {
		in := randomInput(r, randomAge(r))
		in.Consciousness = news2.Unresponsive
		a := assess(t, in)
		require.Equal(t, Red, a.Colour, "case %d: U gave %s (%v)", i, a.Colour, a.Reasons)
	}
	for _, age := range []int{0, 100, 200, 400, 1200, 2500, 5000, 30000} {
		t.Run(fmt.Sprintf("U with nothing else at day %d is red", age), func(t *testing.T) {
			a := assess(t, Input{AgeDays: age, AgeKnown: true, Consciousness: news2.Unresponsive})
			assert.Equal(t, Red, a.Colour)
		})
	}
}

func TestInvariantNEWS2HighIsNeverGreenOrBlue(t *testing.T) {
	r := rng()
	highs := 0
	for i := range propertyRuns * 3 {
		in := randomInput(r, news2.AdultAgeDays+r.IntN(MaxAgeDays-news2.AdultAgeDays+1))
		a := assess(t, in)
		if a.NEWS2.Band == news2.High {
			highs++
			require.True(t, a.Colour <= Orange, "case %d: NEWS2 %d (high) gave %s", i, a.NEWS2.Total, a.Colour)
		}
		if !a.NEWS2.Complete && a.NEWS2.Total >= 7 {
			require.True(t, a.Colour <= Orange, "case %d: partial NEWS2 %d gave %s", i, a.NEWS2.Total, a.Colour)
		}
	}
	require.Greater(t, highs, 100, "the generator must produce high scores to test this")
}

func TestInvariantASingleNEWS2ThreeIsNeverBlue(t *testing.T) {
	r := rng()
	reds := 0
	for i := range propertyRuns * 3 {
		in := randomInput(r, news2.AdultAgeDays+r.IntN(MaxAgeDays-news2.AdultAgeDays+1))
		a := assess(t, in)
		if a.NEWS2.SingleRed {
			reds++
			require.NotEqual(t, Blue, a.Colour, "case %d: a single 3 gave blue (%v)", i, a.Reasons)
			require.True(t, a.Colour <= Yellow, "case %d: a single 3 is at least yellow in this rule set, got %s", i, a.Colour)
		}
	}
	require.Greater(t, reds, 100)
	// The narrowest case: one parameter scores 3, everything else is normal.
	for _, set := range []func(*Input){
		func(in *Input) { in.RR = news2.Of(8) },
		func(in *Input) { in.SpO2 = news2.Of(91) },
		func(in *Input) { in.SBP = news2.Of(90) },
		func(in *Input) { in.HR = news2.Of(40) },
		func(in *Input) { in.TempC = news2.Of(35.0) },
		func(in *Input) { in.Consciousness = news2.Confusion },
	} {
		in := healthy()
		set(&in)
		a := assess(t, in)
		assert.True(t, a.NEWS2.SingleRed)
		assert.NotEqual(t, Blue, a.Colour)
	}
}

func TestInvariantInfantsUnderThreeMonthsAreNeverBelowYellow(t *testing.T) {
	r := rng()
	for i := range propertyRuns {
		in := randomInput(r, r.IntN(92))
		a := assess(t, in)
		require.True(t, a.Colour <= Yellow, "case %d: infant of %d days gave %s", i, in.AgeDays, a.Colour)
	}
	for _, age := range []float64{0, 0.1, 0.2, 0.25} {
		d, err := AgeDaysFromYears(age)
		require.NoError(t, err)
		a := assess(t, Input{AgeDays: d, AgeKnown: true, RR: news2.Of(40), SpO2: news2.Of(99), HR: news2.Of(130),
			TempC: news2.Of(37), Consciousness: news2.Alert, Oxygen: news2.Air})
		assert.Equal(t, Yellow, a.Colour, "a well infant of %g years is yellow, not green or blue", age)
	}
}

// badObservations are observations the engine must leave out.
func badObservations(r *rand.Rand) []vitals.Observation {
	kinds := []vitals.Kind{vitals.RR, vitals.SpO2, vitals.HR, vitals.PR, vitals.SBP, vitals.DBP, vitals.Temp}
	var out []vitals.Observation
	for range 1 + r.IntN(5) {
		k := kinds[r.IntN(len(kinds))]
		rg, _ := vitals.ValidRange(k)
		o := vitals.Observation{Kind: k, Value: rg.Min + r.Float64()*(rg.Max-rg.Min), Unit: rg.Unit,
			Source: "monitor-1", HostTime: now.Add(-time.Second), Quality: vitals.Valid}
		switch r.IntN(6) {
		case 0:
			o.HostTime = now.Add(-time.Duration(1+r.IntN(48)) * time.Hour) // stale
		case 1:
			o.Quality = vitals.Invalid
		case 2:
			o.Quality = vitals.Questionable
		case 3:
			o.Value = rg.Max + 1 + r.Float64()*100 // out of range
		case 4:
			o.Unit = "furlong/fortnight"
		case 5:
			o.Quality = vitals.Demo
		}
		out = append(out, o)
	}
	return out
}

func TestInvariantStaleOrInvalidObservationsNeverLowerUrgency(t *testing.T) {
	r := rng()
	for i := range propertyRuns {
		in := randomInput(r, randomAge(r))
		without := assess(t, in)
		in.Observations = badObservations(r)
		with := assess(t, in)
		require.False(t, with.Colour > without.Colour, "case %d: adding left-out observations lowered %s to %s", i, without.Colour, with.Colour)
		require.Equal(t, without.Colour, with.Colour, "case %d: left-out observations change nothing", i)
		require.Equal(t, without.NEWS2, with.NEWS2, "case %d", i)
		require.Len(t, with.LeftOut, len(in.Observations), "case %d: every bad observation is reported", i)
	}
}

func TestInvariantAStaleValueDoesNotReplaceAFreshOne(t *testing.T) {
	in := healthy()
	in.HR = news2.Measure{}
	in.Observations = []vitals.Observation{
		{Kind: vitals.HR, Value: 140, Unit: vitals.PerMin, Source: "monitor-1", HostTime: now.Add(-5 * time.Second), Quality: vitals.Valid},
		{Kind: vitals.HR, Value: 60, Unit: vitals.PerMin, Source: "monitor-1", HostTime: now.Add(-time.Hour), Quality: vitals.Valid},
		{Kind: vitals.HR, Value: 60, Unit: vitals.PerMin, Source: "monitor-1", HostTime: now, Quality: vitals.Invalid},
	}
	a := assess(t, in)
	assert.Equal(t, Red, a.Colour, "HR 140 stays in force")
}

// FuzzAssess feeds arbitrary numbers and context to the engine: it must
// either refuse with an *InputError or give a valid colour that keeps the
// invariants, and never panic.
func FuzzAssess(f *testing.F) {
	f.Add(14600, true, false, 16.0, 98.0, 125.0, 80.0, 72.0, 37.0, uint8(1), uint8(1), 0.0, uint8(0))
	f.Add(40, true, false, 90.0, 80.0, 60.0, 30.0, 250.0, 35.05, uint8(2), uint8(5), 1e9, uint8(2))
	f.Add(0, false, true, -1.0, 101.0, 19.0, 300.0, -5.0, 98.6, uint8(9), uint8(9), -3.0, uint8(7))
	e := NewEngine(nil)
	f.Fuzz(func(t *testing.T, age int, known, pregnant bool, rr, spo2, sbp, dbp, hr, temp float64, oxy, acvpu uint8, obsAge float64, q uint8) {
		in := Input{AgeDays: age, AgeKnown: known, Pregnant: pregnant,
			RR: news2.Of(rr), SpO2: news2.Of(spo2), SBP: news2.Of(sbp), DBP: news2.Of(dbp),
			Oxygen: news2.Oxygen(oxy), Consciousness: news2.ACVPU(acvpu),
			Observations: []vitals.Observation{
				{Kind: vitals.HR, Value: hr, Unit: vitals.PerMin, Source: "monitor-1", HostTime: now.Add(-time.Duration(obsAge * float64(time.Second))), Quality: vitals.Quality(q)},
				{Kind: vitals.Temp, Value: temp, Unit: vitals.DegF, Source: "phone", HostTime: now, Quality: vitals.Valid},
			}}
		a, err := e.Assess(in, now)
		if err != nil {
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			require.NotEmpty(t, ie.Field)
			return
		}
		require.LessOrEqual(t, a.Colour, Blue)
		require.NotEmpty(t, a.Reasons)
		if in.Consciousness == news2.Unresponsive {
			require.Equal(t, Red, a.Colour)
		}
		if a.NEWS2.Band == news2.High {
			require.LessOrEqual(t, a.Colour, Orange)
		}
		if known && age < 92 {
			require.LessOrEqual(t, a.Colour, Yellow)
		}
	})
}

func TestASingleChartThreeIsNeverBlueOutsideNEWS2FromTwelveYears(t *testing.T) {
	cases := []struct {
		name  string
		set   func(*Input)
		fires bool
	}{
		{"pregnant with temperature 35.0 °C", func(in *Input) { in.Pregnant = true; in.TempC = news2.Of(35.0) }, true},
		{"pregnant with SBP 90", func(in *Input) { in.Pregnant = true; in.SBP = news2.Of(90) }, true},
		{"pregnant with RR 25", func(in *Input) { in.Pregnant = true; in.RR = news2.Of(25) }, true},
		{"14 years old with HR 40", func(in *Input) { in.AgeDays = 14 * 365; in.HR = news2.Of(40) }, true},
		{"12 years exactly with SpO2 91", func(in *Input) { in.AgeDays = 4383; in.SpO2 = news2.Of(91) }, true},
		{"pregnant with normal values", func(in *Input) { in.Pregnant = true }, false},
		{"11 years old with RR 25 (child rules instead)", func(in *Input) { in.AgeDays = 4382; in.RR = news2.Of(25) }, false},
		{"an adult inside NEWS2 (the band floor applies instead)", func(in *Input) { in.TempC = news2.Of(35.0) }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := healthy()
			c.set(&in)
			a := assess(t, in)
			r, fired := a.ReasonFor("news2.excluded.single-red")
			assert.Equal(t, c.fires, fired, "reasons %v", a.Reasons)
			if fired {
				assert.Equal(t, "news2_chart", r.Field)
				assert.False(t, a.NEWS2.Applicable)
				assert.True(t, a.Colour <= Yellow)
			}
		})
	}
	r := rng()
	for i := range propertyRuns {
		in := randomInput(r, 4383+r.IntN(news2.AdultAgeDays-4383))
		if r.IntN(2) == 0 {
			in.AgeDays, in.Pregnant = news2.AdultAgeDays+r.IntN(40*365), true
		}
		a := assess(t, in)
		ni := news2.Input{RR: in.RR, SpO2: in.SpO2, SBP: in.SBP, HR: in.HR, TempC: in.TempC, Oxygen: in.Oxygen, Consciousness: in.Consciousness, Scale2: in.Scale2}
		if news2.Score(ni).SingleRed {
			require.True(t, a.Colour <= Yellow, "case %d: a chart 3 outside NEWS2 gave %s (%v)", i, a.Colour, a.Reasons)
		}
	}
}
