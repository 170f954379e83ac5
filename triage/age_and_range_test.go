package triage

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/legevakt/workstation/triage/news2"
	"github.com/legevakt/workstation/triage/rules"
	"github.com/legevakt/workstation/triage/vitals"
)

// Review: docs/engine.md §2.1 reads RETTS-p's "1–2 years" as "first to
// third birthday", and AgeDaysFromYears claims to count "as the age borders
// of the rule set are counted". A child recorded as 1 year old (triagectl
// score "age_years": 1, the phone TUI's whole-year age, the desk's "12 mnd")
// or on the calendar day of the 1st/3rd/6th birthday must get that
// birthday's age group. HR 178 is red for 1–2 y (> 175) but only orange for
// 6–11 mo (> 150, red > 180); RR 45 is red at 3–5 y (> 40) but orange at
// 1–2 y; RR 35 is red at 6–11 y (> 32) but orange at 3–5 y.
func TestWholeYearAgesAndBirthdaysGetTheirAgeGroup(t *testing.T) {
	child := func(days int, rr, hr float64) Input {
		return Input{AgeDays: days, AgeKnown: true, RR: news2.Of(rr), HR: news2.Of(hr), SpO2: news2.Of(98),
			TempC: news2.Of(37), Consciousness: news2.Alert, Oxygen: news2.Air}
	}
	at := func(t *testing.T, in Input, when time.Time) Assessment {
		t.Helper()
		a, err := NewEngine(nil).Assess(in, when)
		require.NoError(t, err)
		return a
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

	t.Run("age_years 1", func(t *testing.T) {
		d, err := AgeDaysFromYears(1)
		require.NoError(t, err)
		a := at(t, child(d, 30, 178), now)
		assert.Equal(t, "child-1-2y", a.AgeGroup, "1 year (%d days) is 1–2 years", d)
		assert.Equal(t, Red, a.Colour, "HR 178 at 1 year is red; reasons %v", a.Reasons)
	})
	t.Run("first birthday", func(t *testing.T) {
		birth, when := day(2025, 11, 22), day(2026, 11, 22) // 365 days
		a := at(t, child(AgeDaysAt(birth, when), 30, 178), when)
		assert.Equal(t, "child-1-2y", a.AgeGroup)
		assert.Equal(t, Red, a.Colour, "reasons %v", a.Reasons)
	})
	t.Run("third birthday", func(t *testing.T) {
		birth, when := day(2024, 3, 1), day(2027, 3, 1) // 1095 days, no 29 February in between
		a := at(t, child(AgeDaysAt(birth, when), 45, 100), when)
		assert.Equal(t, "child-3-5y", a.AgeGroup)
		assert.Equal(t, Red, a.Colour, "reasons %v", a.Reasons)
	})
	t.Run("sixth birthday", func(t *testing.T) {
		birth, when := day(2025, 3, 1), day(2031, 3, 1) // 2191 days, one 29 February
		a := at(t, child(AgeDaysAt(birth, when), 35, 90), when)
		assert.Equal(t, "child-6-11y", a.AgeGroup)
		assert.Equal(t, Red, a.Colour, "reasons %v", a.Reasons)
	})
}

// Review: RETTS-p makes RR > 80 red for infants of 0–2 months, and
// default.json ships infant-0-2m.rr.red.high "above 80". But the accepted
// RR range (vitals.ValidRange) ends at 80 /min, so the rule can never fire:
// a typed RR 85 is refused, and a monitor's RR 85 is left out as
// out_of_range, leaving the infant at the yellow age floor, less urgent
// than the same infant at RR 80 (orange, > 60).
func TestNewbornWithRR85IsRed(t *testing.T) {
	in := Input{AgeDays: 20, AgeKnown: true, HR: news2.Of(140), SpO2: news2.Of(98),
		TempC: news2.Of(37), Consciousness: news2.Alert, Oxygen: news2.Air,
		Observations: []vitals.Observation{{Kind: vitals.RR, Value: 85, Unit: vitals.PerMin, Source: "monitor-1",
			HostTime: now.Add(-5 * time.Second), Quality: vitals.Valid}}}
	a := assess(t, in)
	_, fired := a.ReasonFor("infant-0-2m.rr.red.high")
	assert.True(t, fired, "RR 85 is above the RETTS-p red border of 80; left out: %v", a.LeftOut)
	assert.Equal(t, Red, a.Colour, "reasons %v", a.Reasons)

	typed := in
	typed.Observations = nil
	typed.RR = news2.Of(85)
	_, err := NewEngine(nil).Assess(typed, now)
	assert.NoError(t, err, "a newborn's RR of 85 /min is physiologically possible and must be accepted")
}

// Review: rules.Load accepts an oxygen restriction on a categorical rule
// and the rule's Threshold even says "= V on oxygen", but evaluate fires
// categorical rules through FiresOnCode, which never looks at Oxygen: the
// restriction is silently ignored.
func TestOxygenRestrictionOnACategoricalRuleIsNotIgnored(t *testing.T) {
	file := strings.Replace(string(rules.DefaultJSON()),
		`{"id": "consciousness.v", "param": "consciousness", "in": ["V"], "colour": "orange"`,
		`{"id": "consciousness.v", "param": "consciousness", "in": ["V"], "oxygen": "oxygen", "colour": "orange"`, 1)
	set, err := rules.Load(strings.NewReader(file))
	if err != nil {
		return // refusing the file is a correct outcome too
	}
	in := healthy()
	in.Consciousness = news2.Voice // on air
	a, err := NewEngine(set).Assess(in, now)
	require.NoError(t, err)
	r, fired := a.ReasonFor("consciousness.v")
	assert.False(t, fired, "an on-oxygen rule fired for a patient on air: %+v", r)
}
