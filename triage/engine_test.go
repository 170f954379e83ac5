package triage

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/vitals"
)

var now = time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC)

const adultDays = 40 * 365

// healthy is a complete adult set that fires no rule.
func healthy() Input {
	return Input{
		AgeDays: adultDays, AgeKnown: true,
		RR: news2.Of(16), SpO2: news2.Of(98), SBP: news2.Of(125), DBP: news2.Of(80),
		HR: news2.Of(72), TempC: news2.Of(37.0),
		Oxygen: news2.Air, Consciousness: news2.Alert,
	}
}

func assess(t *testing.T, in Input) Assessment {
	t.Helper()
	a, err := NewEngine(nil).Assess(in, now)
	require.NoError(t, err)
	return a
}

func TestLevelsMatchColours(t *testing.T) {
	for _, c := range Colours {
		assert.Equal(t, c.String(), rules.Level(c).String(), "rules.Level and triage.Colour share one order")
	}
}

func TestHealthyAdultIsBlueWithTheBaselineReason(t *testing.T) {
	a := assess(t, healthy())
	assert.Equal(t, Blue, a.Colour)
	assert.Equal(t, 240, a.TargetMinutes)
	require.Len(t, a.Reasons, 1)
	assert.Equal(t, "baseline", a.Reasons[0].Rule)
	assert.Equal(t, news2.Low, a.NEWS2.Band)
	assert.Equal(t, "adult", a.AgeGroup)
	assert.Equal(t, EngineVersion, a.EngineVersion)
	assert.Equal(t, "legevakt-open/1.1.0", a.RulesVersion)
	assert.Len(t, a.RulesDigest, 64)
}

// Adult vital-parameter rules at each border, on both sides.
func TestAdultVitalParameterBorders(t *testing.T) {
	cases := []struct {
		name  string
		set   func(*Input)
		rule  string
		fires bool
	}{
		{"RR 7 is red", func(in *Input) { in.RR = news2.Of(7) }, "adult.rr.red.low", true},
		{"RR 8 is not red", func(in *Input) { in.RR = news2.Of(8) }, "adult.rr.red.low", false},
		{"RR 25 is not orange", func(in *Input) { in.RR = news2.Of(25) }, "adult.rr.orange.high", false},
		{"RR 26 is orange", func(in *Input) { in.RR = news2.Of(26) }, "adult.rr.orange.high", true},
		{"RR 30 is not red", func(in *Input) { in.RR = news2.Of(30) }, "adult.rr.red.high", false},
		{"RR 31 is red", func(in *Input) { in.RR = news2.Of(31) }, "adult.rr.red.high", true},
		{"SpO2 87 on air is red", func(in *Input) { in.SpO2 = news2.Of(87) }, "adult.spo2.red.air", true},
		{"SpO2 88 on air is not red", func(in *Input) { in.SpO2 = news2.Of(88) }, "adult.spo2.red.air", false},
		{"SpO2 88 on air is orange", func(in *Input) { in.SpO2 = news2.Of(88) }, "adult.spo2.orange.air", true},
		{"SpO2 90 on air is orange", func(in *Input) { in.SpO2 = news2.Of(90) }, "adult.spo2.orange.air", true},
		{"SpO2 91 on air is not orange", func(in *Input) { in.SpO2 = news2.Of(91) }, "adult.spo2.orange.air", false},
		{"SpO2 94 on air is yellow", func(in *Input) { in.SpO2 = news2.Of(94) }, "adult.spo2.yellow.air", true},
		{"SpO2 95 on air is not yellow", func(in *Input) { in.SpO2 = news2.Of(95) }, "adult.spo2.yellow.air", false},
		{"SpO2 89 on oxygen is red", func(in *Input) { in.SpO2, in.Oxygen = news2.Of(89), news2.Supplemental }, "adult.spo2.red.oxygen", true},
		{"SpO2 90 on oxygen is not red", func(in *Input) { in.SpO2, in.Oxygen = news2.Of(90), news2.Supplemental }, "adult.spo2.red.oxygen", false},
		{"SpO2 92 on oxygen is orange", func(in *Input) { in.SpO2, in.Oxygen = news2.Of(92), news2.Supplemental }, "adult.spo2.orange.oxygen", true},
		{"SpO2 93 on oxygen is not orange", func(in *Input) { in.SpO2, in.Oxygen = news2.Of(93), news2.Supplemental }, "adult.spo2.orange.oxygen", false},
		{"SpO2 89 on oxygen is not the air rule", func(in *Input) { in.SpO2, in.Oxygen = news2.Of(89), news2.Supplemental }, "adult.spo2.orange.air", false},
		{"SpO2 89 with oxygen unrecorded fires the oxygen rule", func(in *Input) { in.SpO2, in.Oxygen = news2.Of(89), news2.OxygenUnknown }, "adult.spo2.red.oxygen", true},
		{"any oxygen is yellow", func(in *Input) { in.Oxygen = news2.Supplemental }, "adult.oxygen.yellow", true},
		{"HR 39 is orange", func(in *Input) { in.HR = news2.Of(39) }, "adult.hr.orange.low", true},
		{"HR 40 is not orange", func(in *Input) { in.HR = news2.Of(40) }, "adult.hr.orange.low", false},
		{"HR 49 is yellow", func(in *Input) { in.HR = news2.Of(49) }, "adult.hr.yellow.low", true},
		{"HR 50 is not yellow", func(in *Input) { in.HR = news2.Of(50) }, "adult.hr.yellow.low", false},
		{"HR 109 is not yellow", func(in *Input) { in.HR = news2.Of(109) }, "adult.hr.yellow.high", false},
		{"HR 110 is yellow", func(in *Input) { in.HR = news2.Of(110) }, "adult.hr.yellow.high", true},
		{"HR 119 is not orange", func(in *Input) { in.HR = news2.Of(119) }, "adult.hr.orange.high", false},
		{"HR 120 is orange", func(in *Input) { in.HR = news2.Of(120) }, "adult.hr.orange.high", true},
		{"HR 130 is not red", func(in *Input) { in.HR = news2.Of(130) }, "adult.hr.red.high", false},
		{"HR 131 is red", func(in *Input) { in.HR = news2.Of(131) }, "adult.hr.red.high", true},
		{"HR 130.5 rounds to 131 and is red", func(in *Input) { in.HR = news2.Of(130.5) }, "adult.hr.red.high", true},
		{"SBP 89 is red", func(in *Input) { in.SBP = news2.Of(89) }, "adult.sbp.red.low", true},
		{"SBP 90 is not red", func(in *Input) { in.SBP = news2.Of(90) }, "adult.sbp.red.low", false},
		{"temperature 34.9 is orange", func(in *Input) { in.TempC = news2.Of(34.9) }, "adult.temp.orange.low", true},
		{"temperature 35.0 is not orange", func(in *Input) { in.TempC = news2.Of(35.0) }, "adult.temp.orange.low", false},
		{"temperature 34.95 rounds to 35.0 and is not orange", func(in *Input) { in.TempC = news2.Of(34.95) }, "adult.temp.orange.low", false},
		{"temperature 38.5 is not yellow", func(in *Input) { in.TempC = news2.Of(38.5) }, "adult.temp.yellow.high", false},
		{"temperature 38.54 is not yellow", func(in *Input) { in.TempC = news2.Of(38.54) }, "adult.temp.yellow.high", false},
		{"temperature 38.55 rounds to 38.6 and is yellow", func(in *Input) { in.TempC = news2.Of(38.55) }, "adult.temp.yellow.high", true},
		{"temperature 41.0 is not orange", func(in *Input) { in.TempC = news2.Of(41.0) }, "adult.temp.orange.high", false},
		{"temperature 41.1 is orange", func(in *Input) { in.TempC = news2.Of(41.1) }, "adult.temp.orange.high", true},
		{"new confusion is yellow", func(in *Input) { in.Consciousness = news2.Confusion }, "consciousness.c", true},
		{"voice is orange", func(in *Input) { in.Consciousness = news2.Voice }, "consciousness.v", true},
		{"pain is red", func(in *Input) { in.Consciousness = news2.Pain }, "consciousness.p", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := healthy()
			c.set(&in)
			a := assess(t, in)
			r, fired := a.ReasonFor(c.rule)
			assert.Equal(t, c.fires, fired, "rule %s; reasons %v", c.rule, a.Reasons)
			if fired {
				assert.NotEmpty(t, r.Source, "every rule cites its source")
				assert.NotEmpty(t, r.Value)
				assert.False(t, a.Colour.MoreUrgent(Red) || r.Colour.MoreUrgent(a.Colour), "the colour is at least the rule's")
			}
		})
	}
}

func TestAgeGroupBorders(t *testing.T) {
	cases := []struct {
		days  int
		group string
	}{
		{0, "infant-0-2m"}, {91, "infant-0-2m"}, {92, "infant-3-5m"}, {182, "infant-3-5m"}, {183, "infant-6-11m"},
		{364, "infant-6-11m"}, {365, "child-1-2y"}, {1094, "child-1-2y"}, {1095, "child-3-5y"},
		{2190, "child-3-5y"}, {2191, "child-6-11y"}, {4382, "child-6-11y"}, {4383, "adult"}, {MaxAgeDays, "adult"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("day %d is %s", c.days, c.group), func(t *testing.T) {
			in := healthy()
			in.AgeDays = c.days
			assert.Equal(t, c.group, assess(t, in).AgeGroup)
		})
	}
}

func TestPaediatricBandsAtTheirBorders(t *testing.T) {
	child := func(days int, rr, hr float64) Input {
		return Input{AgeDays: days, AgeKnown: true, RR: news2.Of(rr), HR: news2.Of(hr), SpO2: news2.Of(98),
			TempC: news2.Of(37), Consciousness: news2.Alert, Oxygen: news2.Air}
	}
	cases := []struct {
		name string
		in   Input
		want Colour
	}{
		{"infant 3–5 mo with RR 30 and HR 120 is green-banded, so blue", child(120, 30, 120), Blue},
		{"infant 3–5 mo with RR 29 is yellow", child(120, 29, 120), Yellow},
		{"infant 3–5 mo with RR 56 is yellow", child(120, 56, 120), Yellow},
		{"infant 3–5 mo with RR 66 is orange", child(120, 66, 120), Orange},
		{"infant 3–5 mo with RR 76 is red", child(120, 76, 120), Red},
		{"infant 3–5 mo with HR 171 is yellow", child(120, 40, 171), Yellow},
		{"infant 3–5 mo with HR 211 is red", child(120, 40, 211), Red},
		{"child 3–5 y with RR 24 and HR 115 is blue", child(1500, 24, 115), Blue},
		{"child 3–5 y with HR 116 is yellow", child(1500, 20, 116), Yellow},
		{"child 3–5 y with HR 151 is red", child(1500, 20, 151), Red},
		{"child 6–11 y with RR 33 is red", child(3000, 33, 90), Red},
		{"child 6–11 y with HR 44 is red", child(3000, 20, 44), Red},
		{"newborn with normal values is still yellow", child(3, 45, 140), Yellow},
		{"newborn with HR 181 is orange", child(3, 45, 181), Orange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := assess(t, c.in)
			assert.Equal(t, c.want, a.Colour, "reasons %v", a.Reasons)
			assert.False(t, a.NEWS2.Applicable, "NEWS2 does not apply to children")
		})
	}
}

func TestPaediatricTemperatureAndSpO2(t *testing.T) {
	in := Input{AgeDays: 40, AgeKnown: true, RR: news2.Of(45), HR: news2.Of(140), SpO2: news2.Of(98),
		TempC: news2.Of(38.1), Consciousness: news2.Alert}
	a := assess(t, in)
	_, fired := a.ReasonFor("infant-0-2m.temp.orange.high")
	assert.True(t, fired, "a fever above 38 °C in an infant under 3 months is orange")
	assert.Equal(t, Orange, a.Colour)

	in.TempC = news2.Of(38.0)
	in.SpO2 = news2.Of(92)
	in.Oxygen = news2.Supplemental
	a = assess(t, in)
	_, fired = a.ReasonFor("infant-0-2m.spo2.red.oxygen")
	assert.True(t, fired, "SpO2 below 93 on oxygen is red for small children")
	assert.Equal(t, Red, a.Colour)
}

func TestNEWS2BandMinimumColours(t *testing.T) {
	cases := []struct {
		name string
		set  func(*Input)
		band news2.Band
		rule string
		min  Colour
	}{
		{"NEWS2 1–4 is at least green", func(in *Input) { in.HR = news2.Of(95) }, news2.Low, "news2.low", Green},
		{"a single 3 (low-medium) is at least yellow", func(in *Input) { in.HR = news2.Of(40); in.TempC = news2.Of(37) }, news2.LowMedium, "news2.low-medium", Yellow},
		{"NEWS2 medium is at least yellow", func(in *Input) { in.RR = news2.Of(22); in.HR = news2.Of(115); in.TempC = news2.Of(38.2) }, news2.Medium, "news2.medium", Yellow},
		{"NEWS2 high is at least orange", func(in *Input) {
			in.RR = news2.Of(22)
			in.HR = news2.Of(115)
			in.TempC = news2.Of(38.2)
			in.SBP = news2.Of(105)
			in.SpO2 = news2.Of(95)
		}, news2.High, "news2.high", Orange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := healthy()
			c.set(&in)
			a := assess(t, in)
			require.Equal(t, c.band, a.NEWS2.Band, "total %d", a.NEWS2.Total)
			r, ok := a.ReasonFor(c.rule)
			require.True(t, ok, "reasons %v", a.Reasons)
			assert.Equal(t, c.min, r.Colour)
			assert.False(t, c.min.MoreUrgent(a.Colour), "colour %s is at least %s", a.Colour, c.min)
		})
	}
}

func TestIncompleteSetUsesThePartialTotalAsALowerBound(t *testing.T) {
	in := Input{AgeDays: adultDays, AgeKnown: true, RR: news2.Of(26), HR: news2.Of(125), Consciousness: news2.Confusion,
		SBP: news2.Of(95), DBP: news2.Of(60)}
	a := assess(t, in)
	assert.False(t, a.NEWS2.Complete)
	assert.Equal(t, news2.BandNone, a.NEWS2.Band)
	r, ok := a.ReasonFor("news2.high")
	require.True(t, ok, "partial total 10 is at least high: %v", a.Reasons)
	assert.Equal(t, "news2_partial", r.Field)
	_, ok = a.ReasonFor("vitals.incomplete")
	assert.True(t, ok)
	assert.Contains(t, noteCodes(a), "news2_incomplete")
}

func TestNoVitalsAtAllIsNeverBlue(t *testing.T) {
	a := assess(t, Input{AgeDays: adultDays, AgeKnown: true})
	assert.Equal(t, Green, a.Colour)
	r, _ := a.ReasonFor("vitals.incomplete")
	assert.Equal(t, "missing: rr, spo2, oxygen, sbp, hr, consciousness, temp", r.Value)
}

func TestDiscriminatorsAndNurseConcern(t *testing.T) {
	cases := []struct {
		name string
		set  func(*Input)
		rule string
		want Colour
	}{
		{"chest pain is orange", func(in *Input) { in.Complaint = "chest_pain" }, "complaint.chest_pain", Orange},
		{"an ongoing seizure is red", func(in *Input) { in.Complaint = "seizure_ongoing" }, "complaint.seizure_ongoing", Red},
		{"moderate pain as a discriminator is yellow", func(in *Input) { in.Discriminators = []string{"moderate_pain"} }, "discriminator.moderate_pain", Yellow},
		{"nurse concern is orange", func(in *Input) { in.NurseConcern = true }, "nurse.concern", Orange},
		{"mild pain is green", func(in *Input) { in.Complaint = "mild_pain" }, "complaint.mild_pain", Green},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := healthy()
			c.set(&in)
			a := assess(t, in)
			_, ok := a.ReasonFor(c.rule)
			assert.True(t, ok)
			assert.Equal(t, c.want, a.Colour)
		})
	}
}

func TestBadInputNamesTheFieldAndTheRange(t *testing.T) {
	cases := []struct {
		name     string
		set      func(*Input)
		field    string
		min, max float64
	}{
		{"HR 300.1", func(in *Input) { in.HR = news2.Of(300.1) }, "hr", 0, 300},
		{"HR -1", func(in *Input) { in.HR = news2.Of(-1) }, "hr", 0, 300},
		{"RR 120.5", func(in *Input) { in.RR = news2.Of(120.5) }, "rr", 0, 120},
		{"SpO2 100.1", func(in *Input) { in.SpO2 = news2.Of(100.1) }, "spo2", 0, 100},
		{"SBP 19", func(in *Input) { in.SBP = news2.Of(19) }, "sbp", 20, 300},
		{"SBP 301", func(in *Input) { in.SBP = news2.Of(301) }, "sbp", 20, 300},
		{"temperature 24.9", func(in *Input) { in.TempC = news2.Of(24.9) }, "temp_c", 25, 45},
		{"temperature 45.1", func(in *Input) { in.TempC = news2.Of(45.1) }, "temp_c", 25, 45},
		{"age -1 day", func(in *Input) { in.AgeDays = -1 }, "age", 0, 125},
		{"age above 125 years", func(in *Input) { in.AgeDays = MaxAgeDays + 1 }, "age", 0, 125},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			in := healthy()
			c.set(&in)
			_, err := NewEngine(nil).Assess(in, now)
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, c.field, ie.Field)
			assert.Equal(t, c.min, ie.Min)
			assert.Equal(t, c.max, ie.Max)
			assert.Contains(t, ie.Error(), c.field)
		})
	}
	okCases := map[string]func(*Input){
		"HR 300":    func(in *Input) { in.HR = news2.Of(300) },
		"RR 0":      func(in *Input) { in.RR = news2.Of(0) },
		"RR 80":     func(in *Input) { in.RR = news2.Of(80) },
		"SpO2 0":    func(in *Input) { in.SpO2 = news2.Of(0) },
		"SBP 300":   func(in *Input) { in.SBP = news2.Of(300) },
		"temp 25.0": func(in *Input) { in.TempC = news2.Of(25) },
		"temp 45.0": func(in *Input) { in.TempC = news2.Of(45) },
		"age 125":   func(in *Input) { in.AgeDays = MaxAgeDays },
	}
	for name, set := range okCases {
		t.Run(name+" is accepted", func(t *testing.T) {
			in := healthy()
			set(&in)
			_, err := NewEngine(nil).Assess(in, now)
			assert.NoError(t, err)
		})
	}
	refusals := map[string]struct {
		set   func(*Input)
		field string
	}{
		"SBP equal to DBP":         {func(in *Input) { in.SBP, in.DBP = news2.Of(80), news2.Of(80) }, "sbp"},
		"an unknown complaint":     {func(in *Input) { in.Complaint = "toothache" }, "complaint"},
		"an unknown discriminator": {func(in *Input) { in.Discriminators = []string{"x"} }, "discriminators"},
		"an impossible ACVPU":      {func(in *Input) { in.Consciousness = 9 }, "consciousness"},
		"an impossible oxygen":     {func(in *Input) { in.Oxygen = 9 }, "oxygen"},
	}
	for name, c := range refusals {
		t.Run(name+" is refused", func(t *testing.T) {
			in := healthy()
			c.set(&in)
			_, err := NewEngine(nil).Assess(in, now)
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, c.field, ie.Field)
		})
	}
}

func TestAgeConversions(t *testing.T) {
	d, err := AgeDaysFromYears(16)
	require.NoError(t, err)
	assert.Equal(t, news2.AdultAgeDays, d, "16 years is the NEWS2 border day")
	d, _ = AgeDaysFromYears(0.25)
	assert.Equal(t, 91, d, "a quarter year is still an infant of 0–2 months")
	d, _ = AgeDaysFromYears(12)
	assert.Equal(t, 4383, d, "12 years is the adult rule border")
	_, err = AgeDaysFromYears(125.01)
	assert.Error(t, err)
	birth := time.Date(2026, 10, 1, 23, 30, 0, 0, time.UTC)
	assert.Equal(t, 52, AgeDaysAt(birth, now))
	assert.Equal(t, -1, AgeDaysAt(now.AddDate(0, 0, 1), now))
}

func obs(k vitals.Kind, v float64, u vitals.Unit, src string, age time.Duration, q vitals.Quality) vitals.Observation {
	return vitals.Observation{Kind: k, Value: v, Unit: u, Source: src, HostTime: now.Add(-age), Quality: q}
}

func TestObservationsAreChosenAndLeftOutWithReasons(t *testing.T) {
	in := Input{AgeDays: adultDays, AgeKnown: true, Oxygen: news2.Air, Consciousness: news2.Alert,
		Observations: []vitals.Observation{
			obs(vitals.HR, 150, vitals.PerMin, "monitor-1", 5*time.Minute, vitals.Valid),       // stale device HR
			obs(vitals.HR, 80, vitals.PerMin, "monitor-1", 10*time.Second, vitals.Valid),       // fresh
			obs(vitals.HR, 70, vitals.PerMin, "monitor-1", 20*time.Second, vitals.Valid),       // older, superseded
			obs(vitals.PR, 140, vitals.PerMin, "oxi-1", 5*time.Second, vitals.Valid),           // HR wins over PR
			obs(vitals.SpO2, 85, vitals.Percent, "oxi-1", 5*time.Second, vitals.Invalid),       // invalid
			obs(vitals.SpO2, 97, vitals.Percent, "oxi-1", 5*time.Second, vitals.Valid),         // used
			obs(vitals.RR, 17, vitals.PerMin, "monitor-1", 5*time.Second, vitals.Questionable), // questionable
			obs(vitals.RR, 15, vitals.PerMin, vitals.SourcePhone, 20*time.Minute, vitals.Valid),
			obs(vitals.Temp, 100.4, vitals.DegF, vitals.SourcePhone, 10*time.Minute, vitals.Valid), // 38.0 °C
			obs(vitals.Temp, 37, vitals.MmHg, "thermo", time.Minute, vitals.Valid),                 // wrong unit
			obs(vitals.SBP, 500, vitals.MmHg, "nibp", time.Minute, vitals.Valid),                   // out of range
			obs(vitals.SBP, 120, vitals.MmHg, "nibp", 2*time.Minute, vitals.Valid),
			obs(vitals.SBP, 130, vitals.MmHg, "nibp", 2*time.Minute, vitals.Demo),
			obs("glucose", 5, "mmol/L", "meter", time.Minute, vitals.Valid),
		}}
	a := assess(t, in)
	why := map[string]int{}
	for _, l := range a.LeftOut {
		why[l.Why]++
		assert.NotEmpty(t, l.Detail)
	}
	assert.Equal(t, map[string]int{"stale": 1, "invalid": 1, "questionable": 1, "unit": 1, "out_of_range": 1, "demo": 1, "unknown_kind": 1}, why)
	used := map[vitals.Kind]Used{}
	for _, u := range a.Used {
		used[u.Kind] = u
	}
	assert.Equal(t, 80.0, used[vitals.HR].Value, "the most recent valid HR is used")
	assert.Equal(t, 10*time.Second, used[vitals.HR].Age)
	assert.Equal(t, 80.0, a.NEWS2.Components.HR.Raw, "HR is the pulse; PR only when no HR")
	assert.Equal(t, 97.0, used[vitals.SpO2].Value)
	assert.InDelta(t, 38.0, used[vitals.Temp].Value, 1e-9, "100.4 °F is 38.0 °C")
	assert.Equal(t, vitals.DegF, used[vitals.Temp].RawUnit)
	assert.Equal(t, 15.0, used[vitals.RR].Value, "a phone report of 20 min is within its 60 min limit")
	assert.True(t, a.NEWS2.Complete)
}

func TestPulseRateIsUsedWhenThereIsNoHeartRate(t *testing.T) {
	in := healthy()
	in.HR = news2.Measure{}
	in.Observations = []vitals.Observation{obs(vitals.PR, 135, vitals.PerMin, "oxi-1", time.Second, vitals.Valid)}
	a := assess(t, in)
	assert.Equal(t, 3, a.NEWS2.Components.HR.Score)
	assert.Equal(t, Red, a.Colour, "PR 135 is above the adult red border")
}

func TestPlainNumbersWinOverObservations(t *testing.T) {
	in := healthy()
	in.Observations = []vitals.Observation{obs(vitals.HR, 150, vitals.PerMin, "monitor-1", 0, vitals.Valid)}
	a := assess(t, in)
	assert.Equal(t, 72.0, a.NEWS2.Components.HR.Raw, "the nurse's entry at the time of the assessment wins the tie")
}

func TestDeviceBloodPressureWithSystolicNotAboveDiastolicIsLeftOut(t *testing.T) {
	in := healthy()
	in.SBP, in.DBP = news2.Measure{}, news2.Measure{}
	in.Observations = []vitals.Observation{
		obs(vitals.SBP, 60, vitals.MmHg, "nibp", time.Minute, vitals.Valid),
		obs(vitals.DBP, 70, vitals.MmHg, "nibp", time.Minute, vitals.Valid),
	}
	a := assess(t, in)
	require.Len(t, a.LeftOut, 2)
	assert.Equal(t, "sbp_not_above_dbp", a.LeftOut[0].Why)
	assert.True(t, a.NEWS2.Missing.Has(news2.ParamSBP))
}

func TestDemoValuesAreScoredOnlyInDemoMode(t *testing.T) {
	in := healthy()
	in.HR = news2.Measure{}
	in.Observations = []vitals.Observation{obs(vitals.HR, 72, vitals.PerMin, "sim-1", time.Second, vitals.Demo)}
	a, err := NewEngine(nil, WithDemoValues()).Assess(in, now)
	require.NoError(t, err)
	assert.True(t, a.NEWS2.Complete)
	assert.Contains(t, noteCodes(a), "demo_values")
	b := assess(t, in)
	assert.False(t, b.NEWS2.Complete)
}

func TestStalePolicyAndTargetsAreConfigurable(t *testing.T) {
	p := vitals.DefaultStalePolicy()
	p.Manual = time.Minute
	targets := Targets{0, 5 * time.Minute, 30 * time.Minute, 90 * time.Minute, 120 * time.Minute}
	e := NewEngine(nil, WithStalePolicy(p), WithTargets(targets))
	in := healthy()
	in.RR = news2.Measure{}
	in.Observations = []vitals.Observation{obs(vitals.RR, 16, vitals.PerMin, vitals.SourceManual, 2*time.Minute, vitals.Valid)}
	a, err := e.Assess(in, now)
	require.NoError(t, err)
	require.Len(t, a.LeftOut, 1)
	assert.Equal(t, "stale", a.LeftOut[0].Why)
	assert.Equal(t, Green, a.Colour)
	assert.Equal(t, 90, a.TargetMinutes)
	assert.Equal(t, [5]int{0, 5, 30, 90, 120}, a.TargetsMinutes)
}

func TestScale2Decisions(t *testing.T) {
	cases := []struct {
		name  string
		d     news2.Scale2Decision
		scale int
		note  string
	}{
		{"a recorded decision uses scale 2", news2.Scale2Decision{By: "dr. Berg", At: now.Add(-time.Hour)}, 2, "spo2_scale2"},
		{"a decision without who uses scale 1", news2.Scale2Decision{At: now.Add(-time.Hour)}, 1, "spo2_scale2_unrecorded"},
		{"a decision dated after the assessment uses scale 1", news2.Scale2Decision{By: "dr. Berg", At: now.Add(time.Hour)}, 1, "spo2_scale2_future"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := healthy()
			in.Scale2 = c.d
			a := assess(t, in)
			assert.Equal(t, c.scale, a.NEWS2.Scale)
			assert.Contains(t, noteCodes(a), c.note)
		})
	}
}

func TestUnknownAgeUsesAdultRulesAndSaysSo(t *testing.T) {
	in := healthy()
	in.AgeKnown, in.AgeDays = false, 0
	a := assess(t, in)
	assert.Equal(t, "adult", a.AgeGroup)
	assert.True(t, a.NEWS2.Applicable)
	assert.Contains(t, noteCodes(a), "age_unknown")
}

func TestPregnancyExcludesNEWS2ButKeepsVitalRules(t *testing.T) {
	in := healthy()
	in.Pregnant = true
	in.HR = news2.Of(135)
	a := assess(t, in)
	assert.False(t, a.NEWS2.Applicable)
	assert.Equal(t, news2.Pregnancy, a.NEWS2.Exclusion)
	assert.Equal(t, Red, a.Colour)
	assert.Contains(t, noteCodes(a), "news2_not_applicable")
}

func TestSameInputSameAssessment(t *testing.T) {
	in := healthy()
	in.RR, in.HR, in.Complaint, in.NurseConcern = news2.Of(27), news2.Of(125), "chest_pain", true
	in.Discriminators = []string{"severe_pain", "moderate_pain"}
	a := assess(t, in)
	for range 20 {
		b := assess(t, in)
		require.Equal(t, a, b)
	}
	for i := 1; i < len(a.Reasons); i++ {
		prev, cur := a.Reasons[i-1], a.Reasons[i]
		assert.True(t, prev.Colour < cur.Colour || (prev.Colour == cur.Colour && prev.Rule <= cur.Rule), "reasons are ordered: %v", a.Reasons)
	}
}

func TestAssessmentRoundTripsThroughJSON(t *testing.T) {
	in := healthy()
	in.RR = news2.Of(26)
	in.Observations = []vitals.Observation{obs(vitals.HR, 150, vitals.PerMin, "monitor-1", time.Hour, vitals.Valid)}
	a := assess(t, in)
	a, err := Override(a, Red, "")
	require.NoError(t, err)
	b, err := json.Marshal(a)
	require.NoError(t, err)
	var back Assessment
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, a, back)
}

func noteCodes(a Assessment) []string {
	var out []string
	for _, n := range a.Notes {
		out = append(out, n.Code)
	}
	return out
}

var sinkA Assessment

func BenchmarkAssess(b *testing.B) {
	e := NewEngine(nil)
	in := healthy()
	in.RR, in.HR, in.TempC, in.Complaint = news2.Of(22), news2.Of(112), news2.Of(38.05), "moderate_pain"
	in.Observations = []vitals.Observation{
		obs(vitals.SpO2, 95, vitals.Percent, "monitor-1", time.Second, vitals.Valid),
		obs(vitals.HR, 110, vitals.PerMin, "monitor-1", time.Second, vitals.Valid),
		obs(vitals.RR, 20, vitals.PerMin, "monitor-1", 2*time.Minute, vitals.Valid),
	}
	b.ReportAllocs()
	for b.Loop() {
		a, err := e.Assess(in, now)
		if err != nil {
			b.Fatal(err)
		}
		sinkA = a
	}
}

// rng makes the property tests below reproducible.
func rng() *rand.Rand { return rand.New(rand.NewPCG(2, 2026)) }

func TestRepeatedDiscriminatorsCountOnce(t *testing.T) {
	in := healthy()
	in.Complaint = "chest_pain"
	in.Discriminators = []string{"chest_pain", "severe_pain", "severe_pain"}
	a := assess(t, in)
	n := 0
	for _, r := range a.Reasons {
		if r.Field == "complaint" || r.Field == "discriminators" {
			n++
		}
	}
	assert.Equal(t, 2, n, "chest_pain once as the complaint, severe_pain once: %v", a.Reasons)
}

func TestInputRoundTripsThroughJSON(t *testing.T) {
	in := healthy()
	in.Scale2 = news2.Scale2Decision{By: "dr. Berg", At: now.Add(-time.Hour)}
	in.Complaint, in.Discriminators, in.NurseConcern = "chest_pain", []string{"severe_pain"}, true
	in.Observations = []vitals.Observation{obs(vitals.HR, 88, vitals.PerMin, "monitor-1", time.Second, vitals.Valid)}
	in.TempC = news2.Measure{}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.NotContains(t, string(b), `"temp_c"`, "an absent number is left out")
	var back Input
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, in, back)
	a1, a2 := assess(t, in), assess(t, back)
	assert.Equal(t, a1, a2, "the stored input gives the same assessment")
}

func TestPlainNumbersWinOverObservationsStampedInTheFuture(t *testing.T) {
	in := healthy()
	in.Observations = []vitals.Observation{obs(vitals.HR, 150, vitals.PerMin, "monitor-1", -time.Hour, vitals.Valid)}
	a := assess(t, in)
	assert.Equal(t, 72.0, a.NEWS2.Components.HR.Raw, "a device clock ahead of ours does not displace the nurse's entry")
}

// A device value stamped far in the future (a workstation clock stepped
// back) has no knowable age: it is left out as stale, saying so, not scored
// as fresh. A few seconds ahead is clock skew and is scored.
func TestAnObservationFarInTheFutureIsStale(t *testing.T) {
	in := healthy()
	in.SpO2 = news2.Measure{}
	in.Observations = []vitals.Observation{obs(vitals.SpO2, 84, vitals.Percent, "monitor-1", -2*time.Hour, vitals.Valid)}
	a := assess(t, in)
	assert.False(t, a.NEWS2.Components.SpO2.Present, "a value two hours ahead is not scored")
	require.Len(t, a.LeftOut, 1)
	assert.Equal(t, WhyStale, a.LeftOut[0].Why)
	assert.Contains(t, a.LeftOut[0].Detail, "in the future")

	in.Observations = []vitals.Observation{obs(vitals.SpO2, 84, vitals.Percent, "monitor-1", -3*time.Second, vitals.Valid)}
	a = assess(t, in)
	assert.True(t, a.NEWS2.Components.SpO2.Present, "three seconds ahead is clock skew")
	assert.Equal(t, 84.0, a.NEWS2.Components.SpO2.Raw)
}

func TestAssessRefusesAZeroTime(t *testing.T) {
	_, err := NewEngine(nil).Assess(healthy(), time.Time{})
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "now", ie.Field)
}
