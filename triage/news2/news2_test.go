package news2

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// normal is a complete set that scores 0 on every parameter.
func normal() Input {
	return Input{
		AgeDays: 40 * 365, AgeKnown: true,
		RR: Of(16), SpO2: Of(98), SBP: Of(125), HR: Of(72), TempC: Of(37.0),
		Oxygen: Air, Consciousness: Alert,
	}
}

var decision = Scale2Decision{By: "dr. Hansen", At: time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)}

type edgeCase struct {
	value float64
	want  int
}

// Every band edge of RCP Chart 1 on both sides.
func TestChartEdgesBothSides(t *testing.T) {
	params := []struct {
		name  string
		set   func(*Input, float64)
		get   func(Result) Component
		cases []edgeCase
	}{
		{"RR", func(in *Input, v float64) { in.RR = Of(v) }, func(r Result) Component { return r.Components.RR },
			[]edgeCase{{0, 3}, {8, 3}, {9, 1}, {11, 1}, {12, 0}, {20, 0}, {21, 2}, {24, 2}, {25, 3}, {80, 3}}},
		{"SpO2 scale 1", func(in *Input, v float64) { in.SpO2 = Of(v) }, func(r Result) Component { return r.Components.SpO2 },
			[]edgeCase{{0, 3}, {91, 3}, {92, 2}, {93, 2}, {94, 1}, {95, 1}, {96, 0}, {100, 0}}},
		{"SBP", func(in *Input, v float64) { in.SBP = Of(v) }, func(r Result) Component { return r.Components.SBP },
			[]edgeCase{{20, 3}, {90, 3}, {91, 2}, {100, 2}, {101, 1}, {110, 1}, {111, 0}, {219, 0}, {220, 3}, {300, 3}}},
		{"pulse", func(in *Input, v float64) { in.HR = Of(v) }, func(r Result) Component { return r.Components.HR },
			[]edgeCase{{0, 3}, {40, 3}, {41, 1}, {50, 1}, {51, 0}, {90, 0}, {91, 1}, {110, 1}, {111, 2}, {130, 2}, {131, 3}, {300, 3}}},
		{"temperature", func(in *Input, v float64) { in.TempC = Of(v) }, func(r Result) Component { return r.Components.Temp },
			[]edgeCase{{25, 3}, {35.0, 3}, {35.1, 1}, {36.0, 1}, {36.1, 0}, {38.0, 0}, {38.1, 1}, {39.0, 1}, {39.1, 2}, {45, 2}}},
	}
	for _, p := range params {
		for _, c := range p.cases {
			t.Run(fmt.Sprintf("%s %g scores %d", p.name, c.value, c.want), func(t *testing.T) {
				in := normal()
				p.set(&in, c.value)
				r := Score(in)
				got := p.get(r)
				require.True(t, got.Present)
				assert.Equal(t, c.want, got.Score, "%s %g scored %d, chart says %d", p.name, c.value, got.Score, c.want)
				assert.Equal(t, c.want, r.Total, "the other parameters score 0, so the total is the component")
			})
		}
	}
}

// Temperature is rounded half-up to 0.1 °C once; x.04 stays, x.05 and x.06 go up.
func TestTemperatureRoundsHalfUpAroundEveryEdge(t *testing.T) {
	cases := []struct {
		temp      float64
		quantised float64
		want      int
	}{
		{35.04, 35.0, 3}, {35.05, 35.1, 1}, {35.06, 35.1, 1},
		{36.04, 36.0, 1}, {36.05, 36.1, 0}, {36.06, 36.1, 0},
		{38.04, 38.0, 0}, {38.05, 38.1, 1}, {38.06, 38.1, 1},
		{39.04, 39.0, 1}, {39.05, 39.1, 2}, {39.06, 39.1, 2},
		{34.95, 35.0, 3}, {36.949, 36.9, 0},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%.3g °C is charted as %.1f and scores %d", c.temp, c.quantised, c.want), func(t *testing.T) {
			in := normal()
			in.TempC = Of(c.temp)
			got := Score(in).Components.Temp
			assert.Equal(t, c.temp, got.Raw, "raw value is kept")
			assert.InDelta(t, c.quantised, got.Quantised, 1e-9, "temperature %g quantised to %g", c.temp, got.Quantised)
			assert.Equal(t, c.want, got.Score, "temperature %g scored %d, chart says %d", c.temp, got.Score, c.want)
		})
	}
}

// Whole-number parameters are rounded half-up once: x.49 stays, x.5 goes up.
func TestWholeNumbersRoundHalfUp(t *testing.T) {
	cases := []struct {
		name string
		set  func(*Input)
		get  func(Result) Component
		q    float64
		want int
	}{
		{"RR 20.49 is 20 and scores 0", func(in *Input) { in.RR = Of(20.49) }, func(r Result) Component { return r.Components.RR }, 20, 0},
		{"RR 20.5 is 21 and scores 2", func(in *Input) { in.RR = Of(20.5) }, func(r Result) Component { return r.Components.RR }, 21, 2},
		{"RR 8.5 is 9 and scores 1", func(in *Input) { in.RR = Of(8.5) }, func(r Result) Component { return r.Components.RR }, 9, 1},
		{"pulse 90.5 is 91 and scores 1", func(in *Input) { in.HR = Of(90.5) }, func(r Result) Component { return r.Components.HR }, 91, 1},
		{"pulse 130.4 is 130 and scores 2", func(in *Input) { in.HR = Of(130.4) }, func(r Result) Component { return r.Components.HR }, 130, 2},
		{"SpO2 95.5 is 96 and scores 0", func(in *Input) { in.SpO2 = Of(95.5) }, func(r Result) Component { return r.Components.SpO2 }, 96, 0},
		{"SpO2 91.49 is 91 and scores 3", func(in *Input) { in.SpO2 = Of(91.49) }, func(r Result) Component { return r.Components.SpO2 }, 91, 3},
		{"SBP 90.5 is 91 and scores 2", func(in *Input) { in.SBP = Of(90.5) }, func(r Result) Component { return r.Components.SBP }, 91, 2},
		{"SBP 219.5 is 220 and scores 3", func(in *Input) { in.SBP = Of(219.5) }, func(r Result) Component { return r.Components.SBP }, 220, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := normal()
			c.set(&in)
			got := c.get(Score(in))
			assert.Equal(t, c.q, got.Quantised)
			assert.Equal(t, c.want, got.Score)
		})
	}
}

func TestSpO2Scale2NeedsARecordedDecision(t *testing.T) {
	cases := []struct {
		name      string
		spo2      float64
		oxygen    Oxygen
		decision  Scale2Decision
		wantScale int
		want      int
	}{
		{"89 % without a decision is scale 1 and scores 3", 89, Air, Scale2Decision{}, 1, 3},
		{"89 % with a decision naming nobody is scale 1", 89, Air, Scale2Decision{At: decision.At}, 1, 3},
		{"89 % with a decision without a time is scale 1", 89, Air, Scale2Decision{By: "dr. Hansen"}, 1, 3},
		{"89 % on scale 2 scores 0", 89, Air, decision, 2, 0},
		{"83 % on scale 2 scores 3", 83, Air, decision, 2, 3},
		{"84 % on scale 2 scores 2", 84, Air, decision, 2, 2},
		{"85 % on scale 2 scores 2", 85, Air, decision, 2, 2},
		{"86 % on scale 2 scores 1", 86, Air, decision, 2, 1},
		{"87 % on scale 2 scores 1", 87, Air, decision, 2, 1},
		{"88 % on scale 2 scores 0", 88, Air, decision, 2, 0},
		{"92 % on oxygen on scale 2 scores 0", 92, Supplemental, decision, 2, 0},
		{"93 % on air on scale 2 scores 0", 93, Air, decision, 2, 0},
		{"100 % on air on scale 2 scores 0", 100, Air, decision, 2, 0},
		{"93 % on oxygen on scale 2 scores 1", 93, Supplemental, decision, 2, 1},
		{"94 % on oxygen on scale 2 scores 1", 94, Supplemental, decision, 2, 1},
		{"95 % on oxygen on scale 2 scores 2", 95, Supplemental, decision, 2, 2},
		{"96 % on oxygen on scale 2 scores 2", 96, Supplemental, decision, 2, 2},
		{"97 % on oxygen on scale 2 scores 3", 97, Supplemental, decision, 2, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := normal()
			in.SpO2, in.Oxygen, in.Scale2 = Of(c.spo2), c.oxygen, c.decision
			r := Score(in)
			assert.Equal(t, c.wantScale, r.Scale)
			assert.Equal(t, c.want, r.Components.SpO2.Score)
		})
	}
}

func TestOxygenAndConsciousness(t *testing.T) {
	cases := []struct {
		name   string
		oxygen Oxygen
		acvpu  ACVPU
		want   int
	}{
		{"air and alert score 0", Air, Alert, 0},
		{"supplemental oxygen scores 2", Supplemental, Alert, 2},
		{"new confusion scores 3", Air, Confusion, 3},
		{"voice scores 3", Air, Voice, 3},
		{"pain scores 3", Air, Pain, 3},
		{"unresponsive scores 3", Air, Unresponsive, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := normal()
			in.Oxygen, in.Consciousness = c.oxygen, c.acvpu
			assert.Equal(t, c.want, Score(in).Total)
		})
	}
}

func TestBandsAndTheirCombinations(t *testing.T) {
	cases := []struct {
		name       string
		set        func(*Input)
		total      int
		band       Band
		singleRed  bool
		monitoring string
		interval   time.Duration
		response   Text
	}{
		{"total 0 is low with 12-hourly monitoring", func(in *Input) {}, 0, Low, false, "12-hourly", 12 * time.Hour, responseZero},
		{"total 1 is low with 4–6-hourly monitoring", func(in *Input) { in.HR = Of(95) }, 1, Low, false, "4-6-hourly", 4 * time.Hour, responseLow},
		{"total 4 without a 3 is low", func(in *Input) { in.RR = Of(22); in.Oxygen = Supplemental }, 4, Low, false, "4-6-hourly", 4 * time.Hour, responseLow},
		{"a single 3 raises a total of 3 to low-medium", func(in *Input) { in.RR = Of(26) }, 3, LowMedium, true, "hourly", time.Hour, responseLowMedium},
		{"a single 3 raises a total of 4 to low-medium", func(in *Input) { in.RR = Of(26); in.HR = Of(95) }, 4, LowMedium, true, "hourly", time.Hour, responseLowMedium},
		{"total 5 is medium", func(in *Input) { in.RR = Of(22); in.Oxygen = Supplemental; in.HR = Of(95) }, 5, Medium, false, "hourly", time.Hour, responseMedium},
		{"total 5 with a single 3 is medium, flag kept", func(in *Input) { in.Consciousness = Confusion; in.Oxygen = Supplemental }, 5, Medium, true, "hourly", time.Hour, responseMedium},
		{"total 6 is medium", func(in *Input) { in.RR = Of(22); in.Oxygen = Supplemental; in.HR = Of(115) }, 6, Medium, false, "hourly", time.Hour, responseMedium},
		{"total 7 is high", func(in *Input) { in.RR = Of(22); in.Oxygen = Supplemental; in.HR = Of(115); in.TempC = Of(38.5) }, 7, High, false, "continuous", 0, responseHigh},
		{"a high total keeps the single-3 flag", func(in *Input) { in.RR = Of(30); in.Oxygen = Supplemental; in.HR = Of(115) }, 7, High, true, "continuous", 0, responseHigh},
		{"every parameter at its worst totals 20", func(in *Input) {
			in.RR, in.SpO2, in.SBP, in.HR, in.TempC = Of(5), Of(80), Of(80), Of(35), Of(34)
			in.Oxygen, in.Consciousness = Supplemental, Unresponsive
		}, 20, High, true, "continuous", 0, responseHigh},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := normal()
			c.set(&in)
			r := Score(in)
			require.True(t, r.Applicable)
			require.True(t, r.Complete)
			assert.Equal(t, c.total, r.Total)
			assert.Equal(t, c.band, r.Band)
			assert.Equal(t, c.singleRed, r.SingleRed)
			assert.Equal(t, c.monitoring, r.Monitoring.Code)
			assert.Equal(t, c.interval, r.Monitoring.Interval)
			assert.Equal(t, c.response, r.Response)
			assert.NotEmpty(t, r.Response.NB)
			assert.NotEmpty(t, r.Monitoring.Text.EN)
		})
	}
}

func TestNotApplicableWithTheReason(t *testing.T) {
	cases := []struct {
		name      string
		set       func(*Input)
		applies   bool
		exclusion Exclusion
	}{
		{"a child of 15 years is excluded", func(in *Input) { in.AgeDays = 15 * 365 }, false, Under16},
		{"the day before 16 years is excluded", func(in *Input) { in.AgeDays = AdultAgeDays - 1 }, false, Under16},
		{"16 years exactly applies", func(in *Input) { in.AgeDays = AdultAgeDays }, true, NoExclusion},
		{"a newborn is excluded", func(in *Input) { in.AgeDays = 0 }, false, Under16},
		{"pregnancy is excluded", func(in *Input) { in.Pregnant = true }, false, Pregnancy},
		{"an unrecorded age is scored as an adult", func(in *Input) { in.AgeKnown = false; in.AgeDays = 0 }, true, NoExclusion},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := normal()
			c.set(&in)
			r := Score(in)
			assert.Equal(t, c.applies, r.Applicable)
			assert.Equal(t, c.exclusion, r.Exclusion)
			if !c.applies {
				assert.NotEmpty(t, r.ExclusionText.NB)
				assert.NotEmpty(t, r.ExclusionText.EN)
				assert.Equal(t, BandNone, r.Band, "no band is claimed when NEWS2 does not apply")
				assert.Zero(t, r.Total)
			}
		})
	}
}

func TestIncompleteSetListsMissingAndClaimsNoBand(t *testing.T) {
	in := normal()
	in.TempC = Measure{}
	in.Oxygen = OxygenUnknown
	in.HR = Of(math.NaN())
	in.RR = Of(30)
	r := Score(in)
	assert.True(t, r.Applicable)
	assert.False(t, r.Complete)
	assert.Equal(t, []Param{ParamOxygen, ParamHR, ParamTemp}, r.Missing.List())
	assert.Equal(t, BandNone, r.Band)
	assert.Equal(t, 3, r.Total, "the partial total is kept as a lower bound")
	assert.True(t, r.SingleRed)
	assert.Empty(t, r.Monitoring.Code)
	assert.Equal(t, incompleteText, r.Response)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"missing":["oxygen","hr","temp"]`)
	assert.Contains(t, string(b), `"band":null`)
}

func TestNonFiniteValuesAreMissingNotScored(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		in := normal()
		in.SBP = Of(v)
		r := Score(in)
		assert.True(t, r.Missing.Has(ParamSBP), "SBP %v", v)
		assert.False(t, r.Complete)
	}
}

func TestQuantiseAbsurdValuesWithoutPanic(t *testing.T) {
	assert.Equal(t, 0, QuantiseInt(math.NaN()))
	assert.Equal(t, 10000000, QuantiseInt(1e300))
	assert.Equal(t, -10000000, QuantiseInt(-1e300))
	assert.Equal(t, 0, QuantiseTenths(math.NaN()))
	assert.Equal(t, 381, QuantiseTenths(38.05))
	assert.Equal(t, 380, QuantiseTenths(38.04999))
}

func TestResultRoundTripsThroughJSON(t *testing.T) {
	in := normal()
	in.RR, in.Oxygen, in.Scale2 = Of(26), Supplemental, decision
	r := Score(in)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back Result
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, r, back)
}

func TestScoreDoesNotAllocate(t *testing.T) {
	in := normal()
	in.Scale2 = decision
	allocs := testing.AllocsPerRun(100, func() { _ = Score(in) })
	assert.Zero(t, allocs)
}

var sink Result

func BenchmarkNEWS2(b *testing.B) {
	in := normal()
	in.RR, in.HR, in.TempC = Of(22.4), Of(112), Of(38.05)
	b.ReportAllocs()
	for b.Loop() {
		sink = Score(in)
	}
}
